# %% [markdown]
# # Forecasting yearly sunspot numbers with an LSTM, PyTorch
#
# The data (yearly sunspot numbers 1700-2008) ships inside statsmodels:
# `pip install statsmodels`. No download.

# %%
import copy

import numpy as np
import torch
from statsmodels.datasets import sunspots
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

SEED = 42
torch.manual_seed(SEED)

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
print(f"Using device: {device}")

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


def to_tensors(part):
    """Scaled inputs (samples, time steps, features) = (n, 20, 1) and targets (n, 1)."""
    x = torch.from_numpy((windows[part] - mean) / std).unsqueeze(-1)
    y = torch.from_numpy((targets[part] - mean) / std).unsqueeze(-1)
    return x, y


(x_train, y_train), (x_val, y_val), (x_test, y_test) = map(to_tensors, (train, val, test))

num_epochs = 100
batch_size = 32
patience = 15  # stop after 15 epochs without a lower validation loss
# Shuffling whole windows is fine: each window carries its own past.
train_loader = DataLoader(TensorDataset(x_train, y_train), batch_size=batch_size, shuffle=True)


# %% Model: an LSTM reads the 20 years one by one; a linear layer maps its last state to the forecast
class SunspotLSTM(nn.Module):
    def __init__(self, hidden_size=32):
        super().__init__()
        # batch_first=True: inputs are (batch, time, features), as in Keras.
        self.lstm = nn.LSTM(input_size=1, hidden_size=hidden_size, batch_first=True)
        self.head = nn.Linear(hidden_size, 1)

    def forward(self, x):
        outputs, (h_n, c_n) = self.lstm(x)  # outputs: (batch, time, hidden)
        return self.head(outputs[:, -1])  # the hidden state after the last year


model = SunspotLSTM().to(device)
loss_fn = nn.MSELoss()
optimizer = torch.optim.Adam(model.parameters(), lr=0.005)

# %% Training, with the validation loss after every epoch; keep the best weights
best_val_loss, best_epoch, best_state = float("inf"), 0, None
for epoch in range(num_epochs):
    model.train()
    total_loss = 0.0
    for xb, yb in train_loader:
        xb, yb = xb.to(device), yb.to(device)
        loss = loss_fn(model(xb), yb)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        total_loss += loss.item() * len(xb)
    model.eval()
    with torch.no_grad():
        val_loss = loss_fn(model(x_val.to(device)), y_val.to(device)).item()
    print(f"Epoch {epoch + 1}/{num_epochs} - loss: {total_loss / n_train:.4f} - val_loss: {val_loss:.4f}")
    if val_loss < best_val_loss:
        best_val_loss, best_epoch = val_loss, epoch
        best_state = copy.deepcopy(model.state_dict())
    elif epoch - best_epoch >= patience:
        print(f"Epoch {epoch + 1}: early stopping")
        break
print(f"Restoring model weights from the end of the best epoch: {best_epoch + 1}.")
model.load_state_dict(best_state)

# %% Evaluation on the test years, in sunspot numbers, against two baselines
model.eval()
with torch.no_grad():
    forecast = model(x_test.to(device)).cpu().numpy()[:, 0] * std + mean
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
