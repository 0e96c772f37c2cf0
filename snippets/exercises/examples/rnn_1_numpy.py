# %% [markdown]
# # Exercise: the sunspot baselines by hand, and when persistence beats the mean
#
# On the 43 test years: persistence (next year = this year), copying the value
# of one solar cycle (11 years) earlier, and predicting the training mean.
# With population moments of the two aligned series a = y_t and b = y_{t-1},
# mean((a - b)^2) = (mean(a) - mean(b))^2 + var(a) + var(b) - 2 cov(a, b)
# exactly; for a stationary series this is 2 sigma^2 (1 - rho_1), so persistence
# beats the mean (MSE sigma^2) only when the lag-1 autocorrelation rho_1 > 1/2.

# %%
import numpy as np
from statsmodels.datasets import sunspots

SEED = 0  # nothing random here; kept for the site's convention
np.random.seed(SEED)

# %% Data: the same windows and the same time-ordered split as the example
series = sunspots.load_pandas().data["SUNACTIVITY"].to_numpy(dtype="float64")
window = 20
windows = np.stack([series[i : i + window] for i in range(len(series) - window)])
targets = series[window:]
n_val = n_test = round(0.15 * len(targets))
n_train = len(targets) - n_val - n_test
test = slice(-n_test, None)
actual = targets[test]


def rmse(forecast):
    return np.sqrt(np.mean((forecast - actual) ** 2))


# %% Three forecasts that need no training
naive_rmse = rmse(windows[test][:, -1])  # persistence: the last year of the window
cycle_rmse = rmse(windows[test][:, -11])  # the year 11 years before the target
mean_rmse = rmse(np.full_like(actual, series[: n_train + window].mean()))  # training mean
print(f"persistence {naive_rmse:.2f}, 11 years earlier {cycle_rmse:.2f}, training mean {mean_rmse:.2f}")

# %% The persistence MSE from means, variances and the covariance
a, b = actual, windows[test][:, -1]
identity = (a.mean() - b.mean()) ** 2 + a.var() + b.var() - 2 * np.cov(a, b, bias=True)[0, 1]
identity_gap = abs(identity - np.mean((a - b) ** 2))
rho_1 = np.corrcoef(series[1:], series[:-1])[0, 1]  # lag-1 autocorrelation, all years
approx = 2 * series.var() * (1 - rho_1)  # 2 sigma^2 (1 - rho_1), all years
all_years_mse = np.mean((series[1:] - series[:-1]) ** 2)
print(f"test years: persistence MSE {naive_rmse**2:.1f} = from the moments {identity:.1f}")
print(
    f"all years: lag-1 autocorrelation {rho_1:.3f}, persistence MSE {all_years_mse:.1f}, "
    f"2 sigma^2 (1 - rho_1) = {approx:.1f}, predicting the mean: sigma^2 = {series.var():.1f}"
)
print(
    f"naive_rmse={naive_rmse:.2f} cycle_rmse={cycle_rmse:.2f} mean_rmse={mean_rmse:.2f} "
    f"identity_gap={identity_gap:.1e} rho_1={rho_1:.3f}"
)
