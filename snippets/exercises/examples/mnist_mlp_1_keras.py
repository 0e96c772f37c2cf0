# %% [markdown]
# # Exercise: one-hot labels with categorical_crossentropy, Keras 3
#
# The page trains with integer labels and sparse_categorical_crossentropy.
# Here the same model learns from one-hot labels (keras.utils.to_categorical)
# with categorical_crossentropy: both losses are -log p_y, so from the same
# initial weights and batch order the two runs end with the same weights.
# The two mismatched pairings are refused with a ValueError.

# %%
import os

os.environ.setdefault("KERAS_BACKEND", "torch")  # must be set before importing keras

import keras
import numpy as np

SEED = 42

# %% Data: the page's, one epoch on the first 2,000 training images to stay short
(x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
x_train = x_train[:2000].astype("float32") / 255.0
y_train = y_train[:2000]
y_train_onehot = keras.utils.to_categorical(y_train, num_classes=10)
print(f"integer labels: {y_train.shape}, one-hot labels: {y_train_onehot.shape}")
print(f"first label {y_train[0]} as one-hot: {y_train_onehot[0]}")

num_epochs = 1
batch_size = 32


# %% The page's model, trained once with each loss
def train(loss, labels):
    keras.utils.set_random_seed(SEED)  # the same initial weights and batch order
    model = keras.Sequential(
        [
            keras.Input(shape=(28, 28)),
            keras.layers.Flatten(),
            keras.layers.Dense(128, activation="relu"),
            keras.layers.Dense(10, activation="softmax"),
        ]
    )
    model.compile(optimizer="adam", loss=loss, metrics=["accuracy"])
    history = model.fit(x_train, labels, epochs=num_epochs, batch_size=batch_size, verbose=0)
    print(f"{loss}: training loss {history.history['loss'][-1]:.6f}")
    return model


sparse_model = train("sparse_categorical_crossentropy", y_train)
onehot_model = train("categorical_crossentropy", y_train_onehot)
weight_gap = max(
    float(np.abs(a - b).max()) for a, b in zip(sparse_model.get_weights(), onehot_model.get_weights())
)
print(f"largest difference between the two models' weights: {weight_gap:.2e}")

# %% The mismatched pairings
probabilities = sparse_model.predict(x_train[:5], verbose=0)
refused = 0
for name, loss, labels in [
    ("categorical_crossentropy with integer labels", keras.losses.categorical_crossentropy, y_train[:5]),
    (
        "sparse_categorical_crossentropy with one-hot labels",
        keras.losses.sparse_categorical_crossentropy,
        y_train_onehot[:5],
    ),
]:
    try:
        loss(labels, probabilities)
        print(f"{name}: accepted")
    except ValueError as err:
        refused += 1
        print(f"{name}: ValueError: {str(err).splitlines()[0][:60]}...")
print(f"weight_gap={weight_gap:.3e} mismatches_refused={refused}")
