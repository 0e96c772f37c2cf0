# %% [markdown]
# # CIFAR-10 convolutional network, Keras 3
#
# Three Conv2D layers (two followed by max pooling), a dense layer of 64 units,
# softmax over the 10 classes. Runs on any Keras 3 backend:
# `KERAS_BACKEND=tensorflow python cifar10_cnn_keras.py`.
# Without KERAS_BACKEND this script uses PyTorch.

# %%
import os

os.environ.setdefault("KERAS_BACKEND", "torch")  # must be set before importing keras

import keras

SEED = 42
keras.utils.set_random_seed(SEED)

class_names = ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"]

# %% Data: 32x32 RGB images, labels of shape (n, 1)
try:
    (x_train, y_train), (x_test, y_test) = keras.datasets.cifar10.load_data()
except Exception as err:  # Keras raises a bare Exception when a download fails
    raise SystemExit(
        f"Could not load CIFAR-10: {err}\n"
        "Download cifar-10-python.tar.gz by hand and put it in ~/.keras/datasets/ "
        "(see 'If the download fails' on this example's page)."
    ) from err
x_train = x_train.astype("float32") / 255.0
x_test = x_test.astype("float32") / 255.0
print(f"train: {x_train.shape}, test: {x_test.shape}")

# %% Model: a convolutional network (not a plain feed-forward one)
model = keras.Sequential(
    [
        keras.Input(shape=(32, 32, 3)),
        keras.layers.Conv2D(32, (3, 3), activation="relu"),  # -> 30x30x32
        keras.layers.MaxPooling2D((2, 2)),  # -> 15x15x32
        keras.layers.Conv2D(64, (3, 3), activation="relu"),  # -> 13x13x64
        keras.layers.MaxPooling2D((2, 2)),  # -> 6x6x64
        keras.layers.Conv2D(64, (3, 3), activation="relu"),  # -> 4x4x64
        keras.layers.Flatten(),  # -> 1024
        keras.layers.Dense(64, activation="relu"),
        keras.layers.Dense(10, activation="softmax"),  # outputs probabilities
    ]
)
# The output layer already applies softmax, so the loss gets probabilities:
# from_logits=False (the default). from_logits=True here would be wrong: on the torch
# and JAX backends it applies softmax twice (TensorFlow warns and uses the logits).
model.compile(
    optimizer="adam",
    loss=keras.losses.SparseCategoricalCrossentropy(from_logits=False),
    metrics=["accuracy"],
)

# %% Train
num_epochs = 10
batch_size = 64
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
