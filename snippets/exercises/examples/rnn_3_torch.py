# %% [markdown]
# # Exercise: what nn.LSTM computes when batch_first=True is forgotten
#
# Without batch_first, a (32, 20, 1) batch is read as 20 sequences of 32 time
# steps. No error, and outputs keeps the shape (32, 20, 32); but outputs[:, -1]
# is then the state of "sequence" 20 (year 20 of every sample) after each of
# the 32 steps: the forecast for sample i sees only the last year of samples
# 0, ..., i, and none of sample i's first 19 years. Measured here from the
# gradient of one forecast with respect to the inputs.

# %%
import torch
from torch import nn

SEED = 42
torch.manual_seed(SEED)
device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
print(f"Using device: {device}")

window, batch_size, i = 20, 32, 5  # i: the sample whose forecast we look at
x_train = torch.randn(batch_size, window, 1, device=device)

# Two layers with the same weights, one with batch_first=True and one without.
right = nn.LSTM(input_size=1, hidden_size=32, batch_first=True).to(device)
wrong = nn.LSTM(input_size=1, hidden_size=32).to(device)
wrong.load_state_dict(right.state_dict())
head = nn.Linear(32, 1).to(device)


def inputs_used(lstm):
    """Which inputs the forecast of sample i depends on (nonzero gradient)."""
    x = x_train.clone().requires_grad_(True)
    outputs, _ = lstm(x)
    forecast = head(outputs[:, -1])  # the example's code, unchanged
    forecast[i, 0].backward()
    used = x.grad[..., 0] != 0  # (batch, time)
    return tuple(outputs.shape), used[i].sum().item(), (used.sum() - used[i].sum()).item()


results = {}
for name, lstm in (("batch_first=True", right), ("batch_first missing", wrong)):
    shape, own, others = inputs_used(lstm)
    results[name] = (own, others)
    print(
        f"{name}: outputs {shape}; the forecast of sample {i} uses {own} of its own "
        f"{window} years and {others} values of other samples"
    )

(own_right, others_right), (own_wrong, others_wrong) = results.values()
print(
    f"own_years_right={own_right} other_values_right={others_right} "
    f"own_years_wrong={own_wrong} other_values_wrong={others_wrong}"
)
