# %% [markdown]
# # Overfitting and regularization in practice, Keras 3
#
# One MLP (784 -> 256 -> 256 -> 10) on a deliberately small training set
# (500 MNIST digits), trained five ways: no regularization, L2, dropout,
# batch normalization and early stopping.
#
# Runs on any Keras 3 backend: `KERAS_BACKEND=tensorflow python regularization_keras.py`.
# Without KERAS_BACKEND this script uses PyTorch.

# %%
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
x_train, x_test = x_train / 255.0, x_test / 255.0

# A deliberately small training set (500 digits), so that the network can
# memorise it; the next 500 digits are held out for validation.
x_val, y_val = x_train[500:1000], y_train[500:1000]
x_train, y_train = x_train[:500], y_train[:500]
print(f"train: {x_train.shape}, validation: {x_val.shape}, test: {x_test.shape}")

num_epochs = 30
batch_size = 32
L2_LAMBDA = 5e-4  # adds L2_LAMBDA * sum(w**2) of each kernel to the loss
DROPOUT_RATE = 0.5
PATIENCE = 5


# %% Model: the same network for every variant, plus the layers a variant adds
def make_model(variant):
    keras.utils.set_random_seed(SEED)  # every variant starts from the same weights
    regularizer = keras.regularizers.L2(L2_LAMBDA) if variant == "l2" else None
    layers = [keras.Input(shape=(28, 28)), keras.layers.Flatten()]
    for _ in range(2):
        layers.append(keras.layers.Dense(256, kernel_regularizer=regularizer))
        if variant == "batchnorm":
            layers.append(keras.layers.BatchNormalization())  # before the activation
        layers.append(keras.layers.Activation("relu"))
        if variant == "dropout":
            layers.append(keras.layers.Dropout(DROPOUT_RATE))
    layers.append(keras.layers.Dense(10, activation="softmax"))
    model = keras.Sequential(layers)
    model.compile(
        optimizer="adam",
        loss="sparse_categorical_crossentropy",
        # Keras' `loss` includes the L2 penalty; the cross-entropy metric does
        # not, so it is the number to compare across variants.
        metrics=["accuracy", keras.metrics.SparseCategoricalCrossentropy(name="crossentropy")],
    )
    return model


# %% Training: every variant with the same data, validation split and epochs
def train(variant):
    model = make_model(variant)
    callbacks = []
    if variant == "early_stopping":
        stopper = keras.callbacks.EarlyStopping(
            monitor="val_loss", patience=PATIENCE, restore_best_weights=True
        )
        callbacks.append(stopper)
    history = model.fit(
        x_train,
        y_train,
        validation_data=(x_val, y_val),
        # All 500 validation digits in one batch: the same validation metrics
        # as batches of 32 (Keras averages over samples), in fewer steps.
        validation_batch_size=len(x_val),
        epochs=num_epochs,
        batch_size=batch_size,
        callbacks=callbacks,
        verbose=0,
    )
    h = history.history
    for epoch in range(len(h["loss"])):
        print(
            f"[{variant}] Epoch {epoch + 1}/{num_epochs} - "
            f"accuracy: {h['accuracy'][epoch]:.4f} - loss: {h['crossentropy'][epoch]:.4f} - "
            f"val_accuracy: {h['val_accuracy'][epoch]:.4f} - val_loss: {h['val_crossentropy'][epoch]:.4f}"
        )
    if variant == "early_stopping":
        print(
            f"[{variant}] stopped after epoch {len(h['loss'])}, "
            f"restored the weights of epoch {stopper.best_epoch + 1}"
        )
    return model, h["val_crossentropy"]


variants = ["baseline", "l2", "dropout", "batchnorm", "early_stopping"]
models, val_curves = {}, {}
for variant in variants:
    models[variant], val_curves[variant] = train(variant)

# %% Evaluation: the test set is used once per variant, at the very end
results = {}
for variant, model in models.items():
    val = model.evaluate(x_val, y_val, verbose=0, return_dict=True)
    test = model.evaluate(x_test, y_test, verbose=0, return_dict=True)
    results[variant] = {
        "val_loss": val["crossentropy"],
        "test_loss": test["crossentropy"],
        "test_accuracy": test["accuracy"],
    }

# %% Held-out test metrics of every variant
print(f"{'variant':<16}{'val_loss':>10}{'test_loss':>11}{'test_accuracy':>15}")
for variant, r in results.items():
    print(f"{variant:<16}{r['val_loss']:>10.4f}{r['test_loss']:>11.4f}{r['test_accuracy']:>15.4f}")

# The variant you would pick: the lowest validation loss (not test loss)
best = min(variants[1:], key=lambda v: results[v]["val_loss"])
base = results["baseline"]
# Overfitting: how far the baseline's validation loss rose above its minimum
baseline_val_rise = val_curves["baseline"][-1] - min(val_curves["baseline"])
print(f"chosen on validation loss: {best}")
print(
    f"baseline_test_loss={base['test_loss']:.4f} "
    f"best_test_loss={results[best]['test_loss']:.4f} "
    f"best_gain={base['test_loss'] - results[best]['test_loss']:.4f} "
    f"baseline_test_accuracy={base['test_accuracy']:.4f} "
    f"best_test_accuracy={results[best]['test_accuracy']:.4f} "
    f"baseline_val_rise={baseline_val_rise:.4f}"
)
