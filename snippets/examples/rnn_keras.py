# %% [markdown]
# # Forecasting yearly sunspot numbers with an LSTM, Keras 3
#
# Runs on any Keras 3 backend: `KERAS_BACKEND=tensorflow python rnn_keras.py`.
# Without KERAS_BACKEND this script uses PyTorch. The data (yearly sunspot
# numbers 1700-2008) ships inside statsmodels: `pip install statsmodels`.

# %%
import os

os.environ.setdefault("KERAS_BACKEND", "torch")  # must be set before importing keras

import keras
import numpy as np
from statsmodels.datasets import sunspots

SEED = 42
keras.utils.set_random_seed(SEED)

# %% Data: one number per year, cut into windows of 20 years -> the next year
data = sunspots.load_pandas().data
years = data["YEAR"].to_numpy().astype(int)
series = data["SUNACTIVITY"].to_numpy(dtype="float32")

window = 20  # the model sees years t-20 ... t-1 and predicts year t
windows = np.stack([series[i : i + window] for i in range(len(series) - window)])
targets = series[window:]
target_years = years[window:]

# Split in time order (never shuffled across time): the first 70% of the years
# train, the next 15% validate, the last 15% test.
n_val = n_test = round(0.15 * len(targets))
n_train = len(targets) - n_val - n_test
train, val, test = slice(0, n_train), slice(n_train, n_train + n_val), slice(-n_test, None)
for name, part in (("train", train), ("validation", val), ("test", test)):
    first, last = target_years[part][0], target_years[part][-1]
    print(f"{name}: {len(targets[part])} windows, predicting {first}-{last}")

# Standardize with the training years' mean and standard deviation only.
mean, std = series[: n_train + window].mean(), series[: n_train + window].std()
# Inputs (samples, time steps, features) = (n, 20, 1): the layout Keras' LSTM expects.
x_all = ((windows - mean) / std)[..., np.newaxis]
y_all = (targets - mean) / std
x_train, y_train = x_all[train], y_all[train]
x_val, y_val = x_all[val], y_all[val]
x_test, y_test = x_all[test], y_all[test]

# %% Model: an LSTM reads the 20 years one by one; a Dense layer maps its last state to the forecast
model = keras.Sequential(
    [
        keras.Input(shape=(window, 1)),
        keras.layers.LSTM(32),  # returns only the hidden state after the last year
        keras.layers.Dense(1),
    ]
)
model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.005), loss="mean_squared_error")

# %% Training, with the validation loss after every epoch; keep the best weights
num_epochs = 100
batch_size = 32
# Stop after 15 epochs without a lower validation loss, then go back to the best epoch.
early_stopping = keras.callbacks.EarlyStopping(
    monitor="val_loss", patience=15, restore_best_weights=True, verbose=1
)
# shuffle=True (the default) shuffles whole windows: each carries its own past.
model.fit(
    x_train,
    y_train,
    validation_data=(x_val, y_val),
    epochs=num_epochs,
    batch_size=batch_size,
    callbacks=[early_stopping],
    verbose=2,
)

# %% Evaluation on the test years, in sunspot numbers, against two baselines
forecast = model.predict(x_test, verbose=0)[:, 0] * std + mean
actual = targets[test]
test_rmse = np.sqrt(np.mean((forecast - actual) ** 2))

# Naive forecast: next year = this year (the last value of the window).
naive_rmse = np.sqrt(np.mean((windows[test][:, -1] - actual) ** 2))

# Linear autoregression: least squares on the same 20-year training windows.
design = np.column_stack([windows, np.ones(len(windows))])
coef, *_ = np.linalg.lstsq(design[train], targets[train], rcond=None)
linear_rmse = np.sqrt(np.mean((design[test] @ coef - actual) ** 2))

for year, a, f in list(zip(target_years[test], actual, forecast))[-5:]:
    print(f"{year}: actual {a:6.1f}, forecast {f:6.1f}")
print(
    f"test_rmse={test_rmse:.2f} naive_rmse={naive_rmse:.2f} "
    f"linear_rmse={linear_rmse:.2f} rmse_ratio={test_rmse / naive_rmse:.3f}"
)
