# %% [markdown]
# # Binary classification with a small MLP (10 -> 10 -> 10 -> 1), Keras 3
#
# Runs on any Keras 3 backend: `KERAS_BACKEND=tensorflow python binary_mlp_keras.py`.
# Without KERAS_BACKEND this script uses PyTorch (see the first lines below).

# %%
import os

# Keras 3 reads KERAS_BACKEND once, when it is first imported. Keras itself
# defaults to TensorFlow; we default to PyTorch and respect a value you set.
os.environ.setdefault("KERAS_BACKEND", "torch")

import keras
import numpy as np

SEED = 42
keras.utils.set_random_seed(SEED)  # seeds Python, NumPy and the backend
rng = np.random.default_rng(SEED)

# %% Data: 10 random features; the label is 1 when the point (x0, x1) lies inside
# a circle that covers half of the square. The other 8 features are noise.
num_samples = 2000
x = rng.uniform(-1.0, 1.0, size=(num_samples, 10)).astype("float32")
y = (x[:, 0] ** 2 + x[:, 1] ** 2 < 2 / np.pi).astype("float32").reshape(-1, 1)
x_train, x_test = x[:1600], x[1600:]  # 400 samples held out for evaluation
y_train, y_test = y[:1600], y[1600:]

# %% Model
model = keras.Sequential(
    [
        keras.Input(shape=(10,)),
        keras.layers.Dense(10, activation="relu"),
        keras.layers.Dense(10, activation="relu"),
        keras.layers.Dense(1, activation="sigmoid"),
    ]
)

# lr_t = 0.05 / (1 + 1e-3 * t), t = number of updates so far. This is what
# the `decay=` argument of Keras 2 optimizers computed (Keras 3 ignores it).
lr_schedule = keras.optimizers.schedules.InverseTimeDecay(
    initial_learning_rate=0.05, decay_steps=1, decay_rate=1e-3
)
optimizer = keras.optimizers.SGD(learning_rate=lr_schedule, momentum=0.9, nesterov=True)
model.compile(optimizer=optimizer, loss="binary_crossentropy", metrics=["accuracy"])

# %% Train
num_epochs = 30
batch_size = 32
# validation_split=0.1 holds out the last 10% of the training data (160 of
# 1,600 samples): never trained on, evaluated after every epoch (val_loss,
# val_accuracy). The test set is used only once, at the end.
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
