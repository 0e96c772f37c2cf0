# %% [markdown]
# # Exercise: the sunspot model with a GRU instead of an LSTM
#
# torch.nn.GRU returns (outputs, h_n), without a memory cell c_n. With n_in
# inputs and n_h units, PyTorch's LSTM has 4 (n_h n_in + n_h^2 + 2 n_h)
# parameters (two biases per gate block) and its GRU 3 (n_h n_in + n_h^2 + 2 n_h).
# For a single-layer, unidirectional network, outputs[:, -1] is h_n[-1].

# %%
import torch
from torch import nn

SEED = 42
torch.manual_seed(SEED)
device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
print(f"Using device: {device}")

window, batch_size, n_in, n_h = 20, 32, 1, 32
x_train = torch.randn(batch_size, window, n_in, device=device)  # (batch, time, features)


# %% The example's model, with the recurrent layer as a parameter
class SunspotRNN(nn.Module):
    def __init__(self, cell, hidden_size=n_h):
        super().__init__()
        self.rnn = cell(input_size=n_in, hidden_size=hidden_size, batch_first=True)
        self.head = nn.Linear(hidden_size, 1)

    def forward(self, x):
        outputs, _ = self.rnn(x)  # LSTM: _ = (h_n, c_n); GRU: _ = h_n
        return self.head(outputs[:, -1])


def count(model):
    return sum(p.numel() for p in model.parameters())


def formula(gate_blocks):
    return gate_blocks * (n_h * n_in + n_h * n_h + 2 * n_h) + (n_h + 1)


results = {}
for name, cell, blocks in (("LSTM", nn.LSTM, 4), ("GRU", nn.GRU, 3)):
    model = SunspotRNN(cell).to(device)
    outputs, state = model.rnn(x_train)
    h_n = state[0] if name == "LSTM" else state
    last_gap = (outputs[:, -1] - h_n[-1]).abs().max().item()
    results[name] = (count(model), formula(blocks), last_gap)
    print(
        f"{name}: {count(model):,} parameters (formula {formula(blocks):,}), "
        f"prediction shape {tuple(model(x_train).shape)}, |outputs[:, -1] - h_n[-1]| = {last_gap:.1e}"
    )
print(f"linear autoregression: {window + 1} coefficients")

lstm, gru = results["LSTM"], results["GRU"]
print(
    f"lstm_params={lstm[0]} gru_params={gru[0]} "
    f"formula_gap={abs(lstm[0] - lstm[1]) + abs(gru[0] - gru[1])} "
    f"last_step_gap={max(lstm[2], gru[2]):.1e}"
)
