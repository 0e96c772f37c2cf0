# %% [markdown]
# # Six optimizers on the same MNIST network (Flatten -> 128 -> 10), Keras 3
#
# One model, one set of initial weights, one batch order: the only thing that
# changes from run to run is the optimizer. Every hyper-parameter is written
# out, with the values that make the PyTorch version run the same algorithms.
# Runs on any Keras 3 backend: `KERAS_BACKEND=tensorflow python optimizers_keras.py`.
# Without KERAS_BACKEND this script uses PyTorch.

# %%
import math
import os

os.environ.setdefault("KERAS_BACKEND", "torch")  # must be set before importing keras

import keras

SEED = 42
keras.utils.set_random_seed(SEED)

# %% Data
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
# Hold out the last 10% of the training images for validation (what
# validation_split=0.1 would take); the test set is used once, at the very end.
num_val = len(x_train) // 10
x_val, y_val = x_train[-num_val:], y_train[-num_val:]
x_train, y_train = x_train[:-num_val], y_train[:-num_val]
print(f"train: {x_train.shape}, val: {x_val.shape}, test: {x_test.shape}")

num_epochs = 10
batch_size = 64
steps_per_epoch = math.ceil(len(x_train) / batch_size)  # the last batch may be smaller

# %% Model: built once; every run starts from a copy of these initial weights
model = keras.Sequential(
    [
        keras.Input(shape=(28, 28)),
        keras.layers.Flatten(),  # (28, 28) -> (784,)
        keras.layers.Dense(128, activation="relu"),
        keras.layers.Dense(10, activation="softmax"),
    ]
)
initial_weights = model.get_weights()

# %% The optimizers, every hyper-parameter explicit (Keras' defaults differ
# from PyTorch's: RMSprop rho=0.9 vs alpha=0.99, epsilon 1e-7 vs 1e-8)
OPTIMIZERS = {
    "sgd": lambda: keras.optimizers.SGD(learning_rate=0.05),
    "momentum": lambda: keras.optimizers.SGD(learning_rate=0.05, momentum=0.9),
    "nesterov": lambda: keras.optimizers.SGD(learning_rate=0.05, momentum=0.9, nesterov=True),
    "rmsprop": lambda: keras.optimizers.RMSprop(learning_rate=1e-3, rho=0.9, epsilon=1e-7),
    "adam": lambda: keras.optimizers.Adam(learning_rate=1e-3, beta_1=0.9, beta_2=0.999, epsilon=1e-7),
    # SGD + momentum whose learning rate falls from 0.05 to 0 along a cosine;
    # decay_steps counts optimizer steps (batches), not epochs
    "sgd_cosine": lambda: keras.optimizers.SGD(
        learning_rate=keras.optimizers.schedules.CosineDecay(
            0.05, decay_steps=num_epochs * steps_per_epoch, alpha=0.0
        ),
        momentum=0.9,
    ),
}


class EpochLog(keras.callbacks.Callback):
    """Print one line per epoch, prefixed with the run's name."""

    def __init__(self, name):
        super().__init__()
        self.name = name

    def on_epoch_end(self, epoch, logs=None):
        values = " - ".join(f"{k}: {logs[k]:.4f}" for k in ("accuracy", "loss", "val_accuracy", "val_loss"))
        print(f"[{self.name}] Epoch {epoch + 1}/{num_epochs} - {values}")


# %% Train one run per optimizer, from the same weights and in the same batch order
results = {}
for name, make_optimizer in OPTIMIZERS.items():
    model.set_weights(initial_weights)
    model.compile(
        optimizer=make_optimizer(),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    keras.utils.set_random_seed(SEED)  # the same shuffling in every run
    history = model.fit(
        x_train,
        y_train,
        validation_data=(x_val, y_val),
        epochs=num_epochs,
        batch_size=batch_size,
        verbose=0,
        callbacks=[EpochLog(name)],
    )
    test_loss, test_accuracy = model.evaluate(x_test, y_test, verbose=0)
    final_lr = float(keras.ops.convert_to_numpy(model.optimizer.learning_rate))
    results[name] = {
        "loss": history.history["loss"][-1],
        "test_accuracy": test_accuracy,
        "lr": final_lr,
    }

# %% Final table: training loss of the last epoch, test accuracy, learning rate at the end
print(f"{'optimizer':<12}{'final loss':>12}{'test accuracy':>15}{'final lr':>10}")
for name, r in results.items():
    print(f"{name:<12}{r['loss']:>12.4f}{r['test_accuracy']:>15.4f}{r['lr']:>10.4g}")

metrics = {f"{name}_test_accuracy": r["test_accuracy"] for name, r in results.items()}
metrics |= {f"{name}_final_loss": r["loss"] for name, r in results.items()}
# How many times higher one run's final training loss is than another's
for slow, fast in (("sgd", "momentum"), ("sgd", "adam"), ("sgd_cosine", "momentum")):
    metrics[f"{slow}_over_{fast}_loss_ratio"] = results[slow]["loss"] / results[fast]["loss"]
metrics["sgd_cosine_final_lr"] = results["sgd_cosine"]["lr"]
print(" ".join(f"{k}={v:.4g}" for k, v in metrics.items()))
