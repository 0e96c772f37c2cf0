# %% [markdown]
# # Exercise: a discriminator trained with binary cross-entropy finds D*
#
# Real data N(2, 1), a fixed generator whose samples follow N(0, 1). With equal
# variances, log(p_data / p_g) = 2x - 2, so D*(x) = sigmoid(2x - 2): a single
# neuron with weight 2 and bias -2 can represent it exactly. Trained with
# binary cross-entropy (real = 1, generated = 0) on samples, the neuron should
# find these values, and -2 x its loss should approach
# V(D*, G) = -log 4 + 2 JS(p_data || p_g), with JS computed by integration.

# %%
import numpy as np
import torch
from torch import nn

SEED = 0
torch.manual_seed(SEED)
device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
print(f"Using device: {device}")

mu_data, mu_g, sigma, n = 2.0, 0.0, 1.0, 100_000
w_theory = (mu_data - mu_g) / sigma**2
b_theory = (mu_g**2 - mu_data**2) / (2 * sigma**2)


def samples(mu):
    return mu + sigma * torch.randn(n, 1, dtype=torch.float64, device=device)


x = torch.cat([samples(mu_data), samples(mu_g)])
labels = torch.cat([torch.ones(n, 1), torch.zeros(n, 1)]).to(x)

# %% The discriminator: one neuron, D(x) = sigmoid(w x + b), trained to convergence
discriminator = nn.Linear(1, 1).to(device, torch.float64)
loss_fn = nn.BCEWithLogitsLoss()
optimizer = torch.optim.LBFGS(discriminator.parameters(), max_iter=100, line_search_fn="strong_wolfe")


def closure():
    optimizer.zero_grad()
    loss = loss_fn(discriminator(x), labels)
    loss.backward()
    return loss


optimizer.step(closure)
w, b = discriminator.weight.item(), discriminator.bias.item()
print(f"trained: w = {w:.4f}, b = {b:.4f}; D*(x) = sigmoid({w_theory:g} x {b_theory:+g})")

# %% V(D*, G) and the JS divergence by integration, V of the trained D on new samples
grid = np.linspace(-12, 14, 200_001)
p_data = np.exp(-((grid - mu_data) ** 2) / (2 * sigma**2)) / np.sqrt(2 * np.pi * sigma**2)
p_g = np.exp(-((grid - mu_g) ** 2) / (2 * sigma**2)) / np.sqrt(2 * np.pi * sigma**2)
m = (p_data + p_g) / 2
js = 0.5 * np.trapezoid(p_data * np.log(p_data / m) + p_g * np.log(p_g / m), grid)
d_star = p_data / (p_data + p_g)
v_star = np.trapezoid(p_data * np.log(d_star) + p_g * np.log(1 - d_star), grid)
with torch.no_grad():
    x_new = torch.cat([samples(mu_data), samples(mu_g)])
    v_trained = -2 * loss_fn(discriminator(x_new), labels).item()
print(f"JS = {js:.4f}; V(D*, G) = {v_star:.4f}, -log 4 + 2 JS = {-np.log(4) + 2 * js:.4f}")
print(f"V of the trained discriminator on new samples: {v_trained:.4f}")
print(
    f"w_gap={abs(w - w_theory):.4f} b_gap={abs(b - b_theory):.4f} "
    f"identity_gap={abs(v_star - (-np.log(4) + 2 * js)):.1e} v_gap={abs(v_trained - v_star):.4f}"
)
