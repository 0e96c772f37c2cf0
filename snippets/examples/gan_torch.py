# %% [markdown]
# # A GAN on a ring of 8 Gaussians, PyTorch
#
# The generator learns to turn 8-dimensional Gaussian noise into points of a
# 2-D mixture of 8 Gaussians on a circle. Two numbers measure it: how many of
# the 8 modes it covers and the share of its samples close to some mode.

# %%
import matplotlib.pyplot as plt
import numpy as np
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

SEED = 0
torch.manual_seed(SEED)
# The networks are tiny: on the CPU one thread is faster than several threads
# waiting on each other.
torch.set_num_threads(1)
rng = np.random.default_rng(SEED)

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
print(f"Using device: {device}")

# %% Data: 8 Gaussians with standard deviation 0.05 on a circle of radius 2
num_modes, radius, std = 8, 2.0, 0.05
angles = 2 * np.pi * np.arange(num_modes) / num_modes
centers = radius * np.stack([np.cos(angles), np.sin(angles)], axis=1)


def sample_real(n, modes=num_modes):
    """n points of the mixture (modes=1: all from the first mode)."""
    k = rng.integers(0, modes, size=n)
    return (centers[k] + std * rng.standard_normal((n, 2))).astype("float32")


x_train = torch.from_numpy(sample_real(12_800))
x_val = torch.from_numpy(sample_real(1_280))  # held out: never used for training
print(f"train: {tuple(x_train.shape)}, validation: {tuple(x_val.shape)}")


def mode_metrics(samples, min_share=0.02):
    """modes: how many modes receive at least min_share of the samples within
    3 std of them; high_quality: the share of samples within 3 std of a mode."""
    dist = np.linalg.norm(samples[:, None, :] - centers[None, :, :], axis=2)
    close = dist.min(axis=1) <= 3 * std
    counts = np.bincount(dist.argmin(axis=1)[close], minlength=num_modes)
    return int((counts >= min_share * len(samples)).sum()), float(close.mean())


num_epochs = 30
batch_size = 256
train_loader = DataLoader(TensorDataset(x_train), batch_size=batch_size, shuffle=True)


# %% Models: generator (noise -> point) and discriminator (point -> logit)
latent_dim = 8
generator = nn.Sequential(
    nn.Linear(latent_dim, 64),
    nn.ReLU(),
    nn.Linear(64, 64),
    nn.ReLU(),
    nn.Linear(64, 2),
).to(device)
discriminator = nn.Sequential(
    nn.Linear(2, 64),
    nn.ReLU(),
    nn.Linear(64, 64),
    nn.ReLU(),
    nn.Linear(64, 1),  # a logit: BCEWithLogitsLoss applies the sigmoid
).to(device)
loss_fn = nn.BCEWithLogitsLoss()
# Two optimizers: each network is updated only by its own loss.
d_optimizer = torch.optim.Adam(discriminator.parameters(), lr=2e-3, betas=(0.5, 0.999))
g_optimizer = torch.optim.Adam(generator.parameters(), lr=2e-3, betas=(0.5, 0.999))


def generate(n):
    with torch.no_grad():
        return generator(torch.randn(n, latent_dim, device=device)).cpu().numpy()


# The same measure before training: the generator has learned nothing yet.
untrained_modes, untrained_high_quality = mode_metrics(generate(10_000))

# %% Training: one discriminator step, then one generator step, per batch
z_val = torch.randn(len(x_val), latent_dim, device=device)  # fixed noise for validation
for epoch in range(num_epochs):
    generator.train()
    discriminator.train()
    d_total, g_total = 0.0, 0.0
    for (real,) in train_loader:
        real = real.to(device)
        n = len(real)
        ones = torch.ones(n, 1, device=device)
        zeros = torch.zeros(n, 1, device=device)
        fake = generator(torch.randn(n, latent_dim, device=device))

        # Discriminator: real -> 1, generated -> 0. detach() cuts the graph,
        # so this step computes no gradient for the generator.
        d_logits = discriminator(torch.cat([real, fake.detach()]))
        d_loss = loss_fn(d_logits, torch.cat([ones, zeros]))
        d_optimizer.zero_grad()
        d_loss.backward()
        d_optimizer.step()

        # Generator, non-saturating loss: -log D(G(z)), i.e. generated -> 1.
        # Only g_optimizer steps; the gradients left in the discriminator are
        # cleared by d_optimizer.zero_grad() in the next batch.
        g_loss = loss_fn(discriminator(fake), ones)
        g_optimizer.zero_grad()
        g_loss.backward()
        g_optimizer.step()

        d_total += d_loss.item() * n
        g_total += g_loss.item() * n

    # Validation: held-out real points and fixed noise, no update.
    generator.eval()
    discriminator.eval()
    with torch.no_grad():
        n = len(x_val)
        fake = generator(z_val)
        d_logits = discriminator(torch.cat([x_val.to(device), fake]))
        labels = torch.cat([torch.ones(n, 1, device=device), torch.zeros(n, 1, device=device)])
        val_d_loss = loss_fn(d_logits, labels).item()
        val_g_loss = loss_fn(discriminator(fake), labels[:n]).item()
    modes, high_quality = mode_metrics(fake.cpu().numpy())
    n_train = len(train_loader.dataset)
    print(
        f"Epoch {epoch + 1}/{num_epochs} - d_loss: {d_total / n_train:.4f} - "
        f"g_loss: {g_total / n_train:.4f} - val_d_loss: {val_d_loss:.4f} - "
        f"val_g_loss: {val_g_loss:.4f} - modes: {modes} - high_quality: {high_quality:.4f}"
    )

# %% Evaluation on fresh samples, against the two ways a GAN fails
generator.eval()
samples = generate(10_000)
modes, high_quality = mode_metrics(samples)
# Mode collapse, made on purpose: every sample from the same single mode.
collapsed_modes, collapsed_high_quality = mode_metrics(sample_real(10_000, modes=1))

fig, ax = plt.subplots(figsize=(3, 3))
ax.scatter(*samples[:1_280].T, s=2, c="tab:orange")
ax.scatter(*x_val.numpy().T, s=1, c="0.25")
for c in centers:
    ax.add_patch(plt.Circle(c, 3 * std, fill=False, lw=0.6, color="tab:blue"))
ax.set(xlim=(-2.6, 2.6), ylim=(-2.6, 2.6), xticks=[], yticks=[], aspect="equal")
fig.tight_layout()
fig.savefig("samples.png", dpi=80)

print(
    f"modes={modes} high_quality={high_quality:.4f} "
    f"untrained_modes={untrained_modes} untrained_high_quality={untrained_high_quality:.4f} "
    f"collapsed_modes={collapsed_modes} collapsed_high_quality={collapsed_high_quality:.4f}"
)
