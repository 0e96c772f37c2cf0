# %% [markdown]
# # Exercise: model.eval() and torch.no_grad() with a dropout layer
#
# The example's network with nn.Dropout(0.2) after the ReLU. In training mode
# two forward passes of the same batch give different logits (a new random
# mask each time); in evaluation mode they are identical, and equal to the
# network without the dropout layer. torch.no_grad() changes no number: it
# only stops autograd from recording the graph (the output has no grad_fn).

# %%
import torch
from torch import nn

SEED = 42
torch.manual_seed(SEED)
device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
print(f"Using device: {device}")

batch_size = 256
x_test = torch.rand(batch_size, 28, 28, device=device)  # images in [0, 1]
model = nn.Sequential(
    nn.Flatten(),
    nn.Linear(784, 128),
    nn.ReLU(),
    nn.Dropout(0.2),  # the only layer that behaves differently in the two modes
    nn.Linear(128, 10),
).to(device)
without_dropout = nn.Sequential(*[layer for layer in model if not isinstance(layer, nn.Dropout)])

# %% Training mode: a new dropout mask on every call
model.train()
train_gap = (model(x_test) - model(x_test)).abs().max().item()

# %% Evaluation mode: deterministic, dropout is the identity
model.eval()
eval_gap = (model(x_test) - model(x_test)).abs().max().item()
identity_gap = (model(x_test) - without_dropout(x_test)).abs().max().item()

# %% torch.no_grad(): the same numbers, no graph
with_graph = model(x_test)
with torch.no_grad():
    no_graph = model(x_test)
no_grad_gap = (with_graph - no_graph).abs().max().item()
print(f"train mode, two calls: largest difference {train_gap:.3f}")
print(f"eval mode, two calls: {eval_gap:.1e}; eval mode vs the network without dropout: {identity_gap:.1e}")
print(
    f"under torch.no_grad(): difference {no_grad_gap:.1e}, grad_fn {no_graph.grad_fn} "
    f"(without it: {type(with_graph.grad_fn).__name__})"
)
print(
    f"train_mode_gap={train_gap:.4f} eval_mode_gap={eval_gap:.1e} identity_gap={identity_gap:.1e} "
    f"no_grad_gap={no_grad_gap:.1e} no_grad_has_graph={int(no_graph.grad_fn is not None)}"
)
