# %% [markdown]
# # The shapes of a dense layer in PyTorch: nn.Linear stores W as (out, in)

# %%
import torch
from torch import nn

SEED = 0
torch.manual_seed(SEED)
device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
print(f"Using device: {device}")

# --8<-- [start:layer]
layer = nn.Linear(3, 2).to(device)  # 3 inputs -> 2 outputs
print("weight:", tuple(layer.weight.shape), "bias:", tuple(layer.bias.shape))  # (2, 3), (2,)
x = torch.randn(4, 3, device=device)  # a batch of 4 samples, one per row
out = layer(x)
formula = x @ layer.weight.T + layer.bias  # z = W x + b for every row at once
print("x:", tuple(x.shape), "-> out:", tuple(out.shape))
# --8<-- [end:layer]
print(f"layer_gap={(out - formula).abs().max().item():.1e}")
