# %% [markdown]
# # Exercise: a confidently wrong sigmoid output under MSE and under cross-entropy
#
# With p = sigmoid(z) and label y = 1: dL/dz = p - y for binary cross-entropy
# and 2 (p - y) p (1 - p) for the squared error. At z = -6 (p = 0.0025) the
# first is about -1, the second about -0.005. Both formulas are checked with
# autograd, then 20 gradient-descent steps (learning rate 1) start from z = -6.

# %%
import torch
import torch.nn.functional as F

SEED = 0
torch.manual_seed(SEED)
device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
print(f"Using device: {device}")

y = torch.tensor([1.0], dtype=torch.float64, device=device)


def bce(z):
    return F.binary_cross_entropy_with_logits(z, y)


def mse(z):
    return F.mse_loss(torch.sigmoid(z), y)


def grad(loss_fn, value):
    z = torch.tensor([value], dtype=torch.float64, device=device, requires_grad=True)
    loss_fn(z).backward()
    return z.grad.item()


z0 = -6.0
p = torch.sigmoid(torch.tensor(z0, dtype=torch.float64)).item()
by_hand = {"bce": p - 1, "mse": 2 * (p - 1) * p * (1 - p)}
autograd = {"bce": grad(bce, z0), "mse": grad(mse, z0)}
for name in by_hand:
    print(f"{name}: dL/dz at z = {z0}: by hand {by_hand[name]:.6f}, autograd {autograd[name]:.6f}")
formula_gap = max(abs(by_hand[k] - autograd[k]) for k in by_hand)

# %%
alpha, num_steps = 1.0, 20
p_after = {}
for name, loss_fn in (("bce", bce), ("mse", mse)):
    z = z0
    for _ in range(num_steps):
        z -= alpha * grad(loss_fn, z)
    p_after[name] = torch.sigmoid(torch.tensor(z)).item()
    print(f"{name}: after {num_steps} steps z = {z:.3f}, p = {p_after[name]:.4f}")
print(
    f"bce_grad={autograd['bce']:.4f} mse_grad={autograd['mse']:.4f} formula_gap={formula_gap:.1e} "
    f"bce_p_after={p_after['bce']:.4f} mse_p_after={p_after['mse']:.4f}"
)
