# %% [markdown]
# # MNIST with a small dense network (784 -> 32 -> 10), Keras 3
#
# Runs on any Keras 3 backend: `KERAS_BACKEND=tensorflow python mnist_dense_keras.py`.
# Without KERAS_BACKEND this script uses PyTorch.

# %%
import os

os.environ.setdefault("KERAS_BACKEND", "torch")  # must be set before importing keras

import keras

SEED = 42
keras.utils.set_random_seed(SEED)

# %% Data: 28x28 grey images of digits 0-9, flattened to 784 values in [0, 1]
try:
    (x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
except Exception as err:  # Keras raises a bare Exception when a download fails
    raise SystemExit(
        f"Could not load MNIST: {err}\n"
        "Download mnist.npz by hand and put it in ~/.keras/datasets/ "
        "(see 'If the download fails' on this example's page)."
    ) from err
x_train = x_train.reshape(-1, 784).astype("float32") / 255.0
x_test = x_test.reshape(-1, 784).astype("float32") / 255.0
print(f"train: {x_train.shape}, test: {x_test.shape}")

# %% Model: one hidden layer of 32 ReLU units, softmax over the 10 classes
model = keras.Sequential(
    [
        keras.Input(shape=(784,)),
        keras.layers.Dense(32, activation="relu"),
        keras.layers.Dense(10, activation="softmax"),
    ]
)
model.compile(
    optimizer=keras.optimizers.Adam(learning_rate=1e-3),
    loss="sparse_categorical_crossentropy",  # labels are integers 0-9
    metrics=["accuracy"],
)

# %% Training in mini-batches
num_epochs = 10
batch_size = 32
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

# %% Evaluation on held-out data
test_loss, test_accuracy = model.evaluate(x_test, y_test, verbose=0)
print(f"test_accuracy={test_accuracy:.4f} test_loss={test_loss:.4f}")
