# %% [markdown]
# # Exercise: PyTorch's and Keras' Nesterov momentum, constant and decaying rate
#
# PyTorch (torch.optim.SGD, nesterov=True):
#     v_t = mu v_{t-1} + g_t,         theta_t = theta_{t-1} - alpha_t (g_t + mu v_t)
# Keras (keras.optimizers.SGD, nesterov=True), written out here by hand:
#     m_t = mu m_{t-1} - alpha_t g_t, theta_t = theta_{t-1} + mu m_t - alpha_t g_t
# The page's network is trained with PyTorch's optimizer; at every update the
# Keras rule is fed the same gradients, and the two steps are compared.
# With a constant rate, m_t = -alpha v_t and the steps are equal; with the
# page's inverse time decay, m_t holds gradients scaled by the older, larger
# rates, so Keras' steps come out slightly longer.

# %%
import numpy as np
import torch
from torch import nn

SEED = 42
torch.manual_seed(SEED)
rng = np.random.default_rng(SEED)

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
print(f"Using device: {device}")

# %% The page's data and model, in float64 so that rounding does not blur the comparison
x = rng.uniform(-1.0, 1.0, size=(1600, 10))
y = (x[:, 0] ** 2 + x[:, 1] ** 2 < 2 / np.pi).astype("float64").reshape(-1, 1)
x_train = torch.from_numpy(x).to(device)
y_train = torch.from_numpy(y).to(device)
batch_size = 32
num_steps = 450  # as many updates as the page's first 10 epochs (1,440 / 32 = 45 per epoch)
loss_fn = nn.BCEWithLogitsLoss()
mu = 0.9


def compare(beta):
    """The difference between the Keras rule's steps and PyTorch's, relative to
    PyTorch's: sum over updates of |keras - torch| / sum of |torch|, for
    alpha_t = 0.05 / (1 + beta t)."""
    torch.manual_seed(SEED)
    model = (
        nn.Sequential(nn.Linear(10, 10), nn.ReLU(), nn.Linear(10, 10), nn.ReLU(), nn.Linear(10, 1))
        .double()
        .to(device)
    )
    params = list(model.parameters())
    optimizer = torch.optim.SGD(params, lr=0.05, momentum=mu, nesterov=True)
    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda t: 1.0 / (1.0 + beta * t))
    keras_m = [torch.zeros_like(p) for p in params]  # Keras' momentum variables
    difference, length = 0.0, 0.0
    for _ in range(num_steps):
        alpha = optimizer.param_groups[0]["lr"]  # alpha_t, the rate of this update
        batch = torch.randint(0, len(x_train), (batch_size,), device=device)
        optimizer.zero_grad()
        loss_fn(model(x_train[batch]), y_train[batch]).backward()
        before = [p.detach().clone() for p in params]
        optimizer.step()
        scheduler.step()
        torch_step, keras_step = [], []
        for p, p0, m in zip(params, before, keras_m):
            m.mul_(mu).sub_(alpha * p.grad)  # m_t = mu m_{t-1} - alpha_t g_t
            keras_step.append((mu * m - alpha * p.grad).flatten())
            torch_step.append((p.detach() - p0).flatten())
        torch_step, keras_step = torch.cat(torch_step), torch.cat(keras_step)
        difference += (keras_step - torch_step).norm().item()
        length += torch_step.norm().item()
    return difference / length, optimizer.param_groups[0]["lr"]


# %%
constant_gap, _ = compare(beta=0.0)
decayed_gap, final_alpha = compare(beta=1e-3)
print(f"constant rate 0.05:  relative step difference {constant_gap:.2e}")
print(f"decaying rate 0.05 -> {final_alpha:.4f}: relative step difference {decayed_gap:.2e}")
print(f"constant_lr_step_gap={constant_gap:.3e} decayed_lr_step_gap={decayed_gap:.3e}")
