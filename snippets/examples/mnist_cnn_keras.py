# %% [markdown]
# # MNIST convolutional network, Keras 3
#
# Two Conv2D + MaxPooling2D blocks, a dense layer of 128 units, softmax over 10 digits.
# Runs on any Keras 3 backend: `KERAS_BACKEND=tensorflow python mnist_cnn_keras.py`.
# Without KERAS_BACKEND this script uses PyTorch.

# %%
import os

os.environ.setdefault("KERAS_BACKEND", "torch")  # must be set before importing keras

import keras

SEED = 42
keras.utils.set_random_seed(SEED)

# %% Data: images get a channel axis, (n, 28, 28) -> (n, 28, 28, 1), in [0, 1]
try:
    (x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
except Exception as err:  # Keras raises a bare Exception when a download fails
    raise SystemExit(
        f"Could not load MNIST: {err}\n"
        "Download mnist.npz by hand and put it in ~/.keras/datasets/ "
        "(see 'If the download fails' on this example's page)."
    ) from err
x_train = x_train.reshape(-1, 28, 28, 1).astype("float32") / 255.0
x_test = x_test.reshape(-1, 28, 28, 1).astype("float32") / 255.0
print(f"train: {x_train.shape}, test: {x_test.shape}")

# %% Model
model = keras.Sequential(
    [
        keras.Input(shape=(28, 28, 1)),
        keras.layers.Conv2D(32, kernel_size=(3, 3), activation="relu"),  # -> 26x26x32
        keras.layers.MaxPooling2D(pool_size=(2, 2)),  # -> 13x13x32
        keras.layers.Conv2D(64, kernel_size=(3, 3), activation="relu"),  # -> 11x11x64
        keras.layers.MaxPooling2D(pool_size=(2, 2)),  # -> 5x5x64
        keras.layers.Flatten(),  # -> 1600
        keras.layers.Dense(128, activation="relu"),
        keras.layers.Dense(10, activation="softmax"),
    ]
)
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])

# %% Train
num_epochs = 6
batch_size = 128
# validation_split=0.1 holds out the last 10% of the training data: never
# trained on, evaluated after every epoch (val_loss, val_accuracy).
# The test set is used only once, at the end.
model.fit(
    x_train,
    y_train,
    epochs=num_epochs,
    batch_size=batch_size,
    validation_split=0.1,
    verbose=2,
)

# %% Evaluate on held-out data
test_loss, test_accuracy = model.evaluate(x_test, y_test, verbose=0)
print(f"test_accuracy={test_accuracy:.4f} test_loss={test_loss:.4f}")
