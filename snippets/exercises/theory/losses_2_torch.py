# %% [markdown]
# # Exercise: cross-entropy from logits by hand, and the floor of a double softmax
#
# log softmax(z)_k = z_k - logsumexp(z), with the maximum subtracted inside the
# logsumexp; the mean of -log softmax(z)_{c_i} equals nn.CrossEntropyLoss, even
# for logits in the thousands, where log(softmax(z)) gives inf. Feeding
# probabilities q = softmax(z) to nn.CrossEntropyLoss (a second softmax) gives
# a loss of at least log(1 + (K - 1)/e), reached only when q is one-hot.

# %%
import math

import torch
from torch import nn

SEED = 0
torch.manual_seed(SEED)
device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
print(f"Using device: {device}")

K, m = 10, 64
loss_fn = nn.CrossEntropyLoss()


def cross_entropy(z, labels):
    """Mean of -log softmax(z)[i, labels[i]], from the logits z of shape (m, K)."""
    z_max = z.max(dim=1, keepdim=True).values
    log_p = z - (z_max + torch.log(torch.exp(z - z_max).sum(dim=1, keepdim=True)))
    return -log_p[torch.arange(len(labels)), labels].mean()


labels = torch.randint(0, K, (m,), device=device)
gaps = {}
for scale in (1.0, 1000.0):
    z = scale * torch.randn(m, K, dtype=torch.float64, device=device)
    naive = -torch.log(torch.softmax(z, dim=1))[torch.arange(m), labels].mean()
    ours, reference = cross_entropy(z, labels), loss_fn(z, labels)
    gaps[scale] = (ours - reference).abs().item()
    print(
        f"logits x {scale:g}: ours {ours.item():.6f}, nn.CrossEntropyLoss {reference.item():.6f}, "
        f"log(softmax) {naive.item():.6f}"
    )

# %%
# A second softmax: the probabilities q go in as logits. Random q (uniform on
# the simplex: Dirichlet(1, ..., 1)) and a one-hot q, against the floor log(1 + (K - 1)/e).
floor = math.log(1 + (K - 1) / math.e)
q = torch.distributions.Dirichlet(torch.ones(K, dtype=torch.float64)).sample((100_000,))
targets = torch.zeros(100_000, dtype=torch.long)
random_min = nn.CrossEntropyLoss(reduction="none")(q, targets).min().item()
one_hot = torch.zeros(1, K, dtype=torch.float64)
one_hot[0, 0] = 1.0
one_hot_loss = loss_fn(one_hot, targets[:1]).item()
print(
    f"floor log(1 + {K - 1}/e) = {floor:.4f}; smallest loss over 100,000 random q: {random_min:.4f}; "
    f"one-hot q: {one_hot_loss:.4f}"
)
print(
    f"ours_vs_torch={gaps[1.0]:.1e} large_logits_gap={gaps[1000.0]:.1e} "
    f"random_min_minus_floor={random_min - floor:.4f} one_hot_minus_floor={abs(one_hot_loss - floor):.1e}"
)
