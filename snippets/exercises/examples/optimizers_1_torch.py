# %% [markdown]
# # Exercise: SGD, momentum and Adam on an ill-conditioned quadratic
#
# f(w) = (w1^2 + 100 w2^2) / 2 from w = (1, 1), 100 steps each. The curvatures
# are 1 and 100: gradient descent is stable only for alpha < 2 / 100, and with
# such a small step the flat direction w1 shrinks by a factor (1 - alpha) per
# step only. Adam divides each coordinate's step by the size of its own
# gradients, so both coordinates move alike; that helps only while the
# curvatures lie along the coordinate axes. The same quadratic rotated by 45
# degrees, started at the rotated (1, 1), shows it.

# %%
import torch

SEED = 0
torch.manual_seed(SEED)

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
print(f"Using device: {device}")

curvature = torch.tensor([1.0, 100.0], dtype=torch.float64, device=device)
num_steps = 100


c = 0.5**0.5
rotation = torch.tensor([[c, -c], [c, c]], dtype=torch.float64, device=device)


def loss_fn(w, rotated=False):
    if rotated:
        w = rotation.T @ w  # the coordinates along the rotated axes
    return 0.5 * (curvature * w**2).sum()


def minimize(make_optimizer, rotated=False):
    w = torch.ones(2, dtype=torch.float64, device=device)
    w = (rotation @ w if rotated else w).requires_grad_()
    optimizer = make_optimizer([w])
    for _ in range(num_steps):
        loss = loss_fn(w, rotated)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return loss_fn(w, rotated).item(), w.detach()


# %%
runs = {
    "sgd": lambda p: torch.optim.SGD(p, lr=0.019),  # just below 2 / 100
    "sgd_diverged": lambda p: torch.optim.SGD(p, lr=0.021),  # just above
    "momentum": lambda p: torch.optim.SGD(p, lr=0.01, momentum=0.9),
    "adam": lambda p: torch.optim.Adam(p, lr=0.1),
}
results = {}
for name, make_optimizer in runs.items():
    loss, w = minimize(make_optimizer)
    results[name] = (loss, w)
    print(f"{name:13s} loss after {num_steps} steps {loss:.3e}, w = ({w[0]:.3e}, {w[1]:.3e})")
rotated_sgd_loss, _ = minimize(runs["sgd"], rotated=True)
rotated_adam_loss, _ = minimize(runs["adam"], rotated=True)
print(f"rotated by 45 degrees: sgd loss {rotated_sgd_loss:.3e}, adam loss {rotated_adam_loss:.3e}")
adam_w = results["adam"][1]
print(
    f"sgd_loss={results['sgd'][0]:.4e} sgd_diverged_loss={results['sgd_diverged'][0]:.4e} "
    f"momentum_loss={results['momentum'][0]:.4e} adam_loss={results['adam'][0]:.4e} "
    f"adam_coordinate_gap={abs(adam_w[0] - adam_w[1]).item():.3e} "
    f"rotated_sgd_loss={rotated_sgd_loss:.4e} rotated_adam_loss={rotated_adam_loss:.4e}"
)
