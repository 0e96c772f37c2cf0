# %% [markdown]
# # Exercise: parameters of an LSTM and a GRU of the same size, Keras 3
#
# n_in inputs, n_h units. Each gate block has a kernel (n_in x n_h), a
# recurrent kernel (n_h x n_h) and a bias (n_h): an LSTM has 4 blocks,
# 4 (n_h (n_in + n_h) + n_h); a GRU has 3, plus a second bias of 3 n_h with
# reset_after=True (the default): 3 n_h (n_in + n_h) + 6 n_h.
# Runs on any Keras 3 backend: `KERAS_BACKEND=tensorflow python architectures_3_keras.py`.

# %%
import os

os.environ.setdefault("KERAS_BACKEND", "torch")  # must be set before importing keras

import keras

SEED = 0
keras.utils.set_random_seed(SEED)

n_in, n_h, steps = 8, 16, 5
formulas = {
    "LSTM": 4 * (n_h * (n_in + n_h) + n_h),
    "GRU (reset_after=True)": 3 * n_h * (n_in + n_h) + 2 * 3 * n_h,
    "GRU (reset_after=False)": 3 * (n_h * (n_in + n_h) + n_h),
}
layers = {
    "LSTM": keras.layers.LSTM(n_h),
    "GRU (reset_after=True)": keras.layers.GRU(n_h),
    "GRU (reset_after=False)": keras.layers.GRU(n_h, reset_after=False),
}
gaps = {}
for name, layer in layers.items():
    model = keras.Sequential([keras.Input((steps, n_in)), layer])
    counted = model.count_params()
    gaps[name] = abs(counted - formulas[name])
    shapes = ", ".join(str(tuple(w.shape)) for w in layer.weights)
    print(f"{name}: count_params {counted}, formula {formulas[name]}; weights {shapes}")

ratio = layers["GRU (reset_after=True)"].count_params() / layers["LSTM"].count_params()
print(
    f"lstm_gap={gaps['LSTM']} gru_gap={gaps['GRU (reset_after=True)']} "
    f"gru_v1_gap={gaps['GRU (reset_after=False)']} gru_over_lstm={ratio:.4f}"
)
