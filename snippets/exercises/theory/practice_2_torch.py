# %% [markdown]
# # Exercise: the same seed gives the same weights, another seed does not
#
# A short training run (random initialization, shuffled mini-batches, dropout)
# repeated with the same seed ends with bit-identical weights on the same
# machine and library version; with another seed the weights differ.

# %%
import os

# cuBLAS (matrix products on an NVIDIA GPU) is deterministic only with this
# setting, made before CUDA starts; use_deterministic_algorithms(True) below
# raises an error on the GPU without it. It does nothing on the CPU.
os.environ.setdefault("CUBLAS_WORKSPACE_CONFIG", ":4096:8")

import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
print(f"Using device: {device}")
torch.use_deterministic_algorithms(True)  # refuse any nondeterministic kernel

# Fixed data (its own generator), so that only the training run depends on the seed.
data_gen = torch.Generator().manual_seed(1234)
x_train = torch.randn(256, 20, generator=data_gen)
y_train = (x_train[:, :5].sum(dim=1) > 0).long()
batch_size, num_epochs = 32, 2


def train(seed):
    torch.manual_seed(seed)  # initialization and dropout masks
    loader = DataLoader(
        TensorDataset(x_train, y_train),
        batch_size=batch_size,
        shuffle=True,
        generator=torch.Generator().manual_seed(seed),
    )  # the shuffling order
    model = nn.Sequential(nn.Linear(20, 64), nn.ReLU(), nn.Dropout(0.2), nn.Linear(64, 2)).to(device)
    loss_fn = nn.CrossEntropyLoss()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    for _ in range(num_epochs):
        for xb, yb in loader:
            optimizer.zero_grad()
            loss_fn(model(xb.to(device)), yb.to(device)).backward()
            optimizer.step()
    return torch.cat([p.detach().reshape(-1) for p in model.parameters()])


run_a, run_b, run_c = train(seed=0), train(seed=0), train(seed=1)
same_seed_gap = (run_a - run_b).abs().max().item()
other_seed_gap = (run_a - run_c).abs().max().item()
print(f"seed 0 twice: max |difference| {same_seed_gap}; seed 0 vs seed 1: {other_seed_gap:.3f}")
print(f"same_seed_gap={same_seed_gap:.1e} other_seed_gap={other_seed_gap:.4f}")
