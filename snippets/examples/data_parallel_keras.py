# %% [markdown]
# # Data-parallel training with tf.distribute.MirroredStrategy, Keras 3
#
# Keras backends: tensorflow
#
# Runs on the TensorFlow backend only: `python data_parallel_keras.py`.
# The CPU is split into two logical devices, so that two replicas train
# side by side on any machine.

# %%
# --8<-- [start:imports]
import os

os.environ.setdefault("KERAS_BACKEND", "tensorflow")  # must be set before importing keras
if os.environ["KERAS_BACKEND"] != "tensorflow":
    raise SystemExit(
        f"This example needs the TensorFlow backend (KERAS_BACKEND is "
        f"{os.environ['KERAS_BACKEND']!r}): run KERAS_BACKEND=tensorflow python data_parallel_keras.py"
    )

import numpy as np
import tensorflow as tf

# Two logical CPU devices; this must happen before TensorFlow first uses a device.
cpu = tf.config.list_physical_devices("CPU")[0]
tf.config.set_logical_device_configuration(
    cpu, [tf.config.LogicalDeviceConfiguration(), tf.config.LogicalDeviceConfiguration()]
)

import keras  # noqa: E402 (after the device split above)

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
x_train, x_test = x_train / 255.0, x_test / 255.0
# --8<-- [end:data]

# %% The strategy: one replica per device, gradients summed across replicas each step
# --8<-- [start:strategy]
strategy = tf.distribute.MirroredStrategy(["/cpu:0", "/cpu:1"])
n_replicas = strategy.num_replicas_in_sync
print(f"replicas: {n_replicas}")
# --8<-- [end:strategy]

# %% Model, optimizer and metrics are created inside the strategy's scope
# --8<-- [start:model]
num_epochs = 6
batch_size = 32 * n_replicas  # the global batch: fit() gives each replica 32 of them
steps_per_epoch = int(np.ceil(len(x_train) * 0.9 / batch_size))
base_lr = 0.05  # tuned for a batch of 32 on one device
# Linear scaling rule with a linear warm-up over the first epoch (Goyal et al., 2017):
# PolynomialDecay with power=1 goes in a straight line from base_lr to
# base_lr * n_replicas in steps_per_epoch steps, then stays there.
learning_rate = keras.optimizers.schedules.PolynomialDecay(
    base_lr, decay_steps=steps_per_epoch, end_learning_rate=base_lr * n_replicas, power=1.0
)
with strategy.scope():
    model = keras.Sequential(
        [
            keras.Input(shape=(28, 28)),
            keras.layers.Flatten(),
            keras.layers.Dense(128, activation="relu"),
            keras.layers.Dense(10, activation="softmax"),
        ]
    )
    model.compile(
        optimizer=keras.optimizers.SGD(learning_rate=learning_rate, momentum=0.9),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
# --8<-- [end:model]

# %% Training: fit() splits every batch between the replicas
# --8<-- [start:fit]
model.fit(
    x_train,
    y_train,
    epochs=num_epochs,
    batch_size=batch_size,
    validation_split=0.1,
    verbose=2,
)
# --8<-- [end:fit]

# %% The replicas stayed identical; test on held-out data
# --8<-- [start:check]
# Each weight is a MirroredVariable: one copy per device, in .values.
replica_max_diff = max(
    float(np.max(np.abs(w.value.values[0].numpy() - copy.numpy())))
    for w in model.weights
    for copy in w.value.values[1:]
)
test_loss, test_accuracy = model.evaluate(x_test, y_test, batch_size=batch_size, verbose=0)
print(
    f"test_accuracy={test_accuracy:.4f} test_loss={test_loss:.4f} "
    f"replica_max_diff={replica_max_diff:.3g} replicas={n_replicas}"
)
# --8<-- [end:check]
