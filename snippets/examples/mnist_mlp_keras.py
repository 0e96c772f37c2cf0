# %% [markdown]
# # MNIST multilayer perceptron (Flatten -> 128 -> 10), Keras 3
#
# Runs on any Keras 3 backend: `KERAS_BACKEND=tensorflow python mnist_mlp_keras.py`.
# Without KERAS_BACKEND this script uses PyTorch.

# %%
# --8<-- [start:imports]
import os

os.environ.setdefault("KERAS_BACKEND", "torch")  # must be set before importing keras

import keras

SEED = 42
keras.utils.set_random_seed(SEED)
# --8<-- [end:imports]

# %% Data
# --8<-- [start:data]
try:
    (x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
except Exception as err:  # Keras raises a bare Exception when a download fails
    raise SystemExit(
        f"Could not load MNIST: {err}\n"
        "Download mnist.npz by hand and put it in ~/.keras/datasets/ "
        "(see 'If the download fails' on this example's page)."
    ) from err
# Pixels are integers 0-255; scale them to [0, 1].
x_train, x_test = x_train / 255.0, x_test / 255.0
# --8<-- [end:data]

# %% Model
# --8<-- [start:model]
model = keras.Sequential(
    [
        keras.Input(shape=(28, 28)),
        keras.layers.Flatten(),  # (28, 28) -> (784,)
        keras.layers.Dense(128, activation="relu"),
        keras.layers.Dense(10, activation="softmax"),
    ]
)
# --8<-- [end:model]

# %% Compile
# --8<-- [start:compile]
model.compile(
    optimizer="adam",
    loss="sparse_categorical_crossentropy",
    metrics=["accuracy"],
)
# --8<-- [end:compile]

# %% Train
# --8<-- [start:fit]
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
# --8<-- [end:fit]

# %% Evaluate on held-out data
# --8<-- [start:evaluate]
test_loss, test_accuracy = model.evaluate(x_test, y_test, verbose=0)
print(f"test_accuracy={test_accuracy:.4f} test_loss={test_loss:.4f}")
# --8<-- [end:evaluate]
