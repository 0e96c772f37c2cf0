# %% [markdown]
# # A GAN on a ring of 8 Gaussians, Keras 3
#
# The generator learns to turn 8-dimensional Gaussian noise into points of a
# 2-D mixture of 8 Gaussians on a circle. Two numbers measure it: how many of
# the 8 modes it covers and the share of its samples close to some mode.
#
# Runs on any Keras 3 backend: `KERAS_BACKEND=tensorflow python gan_keras.py`.
# Without KERAS_BACKEND this script uses PyTorch.

# %%
import os

os.environ.setdefault("KERAS_BACKEND", "torch")  # must be set before importing keras

import keras
import matplotlib.pyplot as plt
import numpy as np

SEED = 0
keras.utils.set_random_seed(SEED)
rng = np.random.default_rng(SEED)

# %% Data: 8 Gaussians with standard deviation 0.05 on a circle of radius 2
num_modes, radius, std = 8, 2.0, 0.05
angles = 2 * np.pi * np.arange(num_modes) / num_modes
centers = radius * np.stack([np.cos(angles), np.sin(angles)], axis=1)


def sample_real(n, modes=num_modes):
    """n points of the mixture (modes=1: all from the first mode)."""
    k = rng.integers(0, modes, size=n)
    return (centers[k] + std * rng.standard_normal((n, 2))).astype("float32")


x_train = sample_real(12_800)
x_val = sample_real(1_280)  # held out: never used for training
print(f"train: {x_train.shape}, validation: {x_val.shape}")


def mode_metrics(samples, min_share=0.02):
    """modes: how many modes receive at least min_share of the samples within
    3 std of them; high_quality: the share of samples within 3 std of a mode."""
    dist = np.linalg.norm(samples[:, None, :] - centers[None, :, :], axis=2)
    close = dist.min(axis=1) <= 3 * std
    counts = np.bincount(dist.argmin(axis=1)[close], minlength=num_modes)
    return int((counts >= min_share * len(samples)).sum()), float(close.mean())


num_epochs = 30
batch_size = 256

# %% Models: generator (noise -> point), discriminator (point -> logit), and
# the two chained, through which the generator is trained
latent_dim = 8
generator = keras.Sequential(
    [
        keras.Input(shape=(latent_dim,)),
        keras.layers.Dense(64, activation="relu"),
        keras.layers.Dense(64, activation="relu"),
        keras.layers.Dense(2),
    ]
)
discriminator = keras.Sequential(
    [
        keras.Input(shape=(2,)),
        keras.layers.Dense(64, activation="relu"),
        keras.layers.Dense(64, activation="relu"),
        keras.layers.Dense(1),  # a logit: the loss applies the sigmoid
    ]
)
loss_fn = keras.losses.BinaryCrossentropy(from_logits=True)
# Two optimizers: one compiled into each trained model.
discriminator.compile(optimizer=keras.optimizers.Adam(2e-3, beta_1=0.5), loss=loss_fn)
discriminator.trainable = False  # frozen inside the combined model
gan = keras.Sequential([generator, discriminator])
gan.compile(optimizer=keras.optimizers.Adam(2e-3, beta_1=0.5), loss=loss_fn)


def generate(n):
    return generator.predict_on_batch(rng.standard_normal((n, latent_dim)).astype("float32"))


# The same measure before training: the generator has learned nothing yet.
untrained_modes, untrained_high_quality = mode_metrics(generate(10_000))

# %% Training: one discriminator step, then one generator step, per batch
z_val = rng.standard_normal((len(x_val), latent_dim)).astype("float32")  # fixed noise
val_labels = np.concatenate([np.ones((len(x_val), 1)), np.zeros((len(x_val), 1))])
for epoch in range(num_epochs):
    order = rng.permutation(len(x_train))
    d_total, g_total = 0.0, 0.0
    for start in range(0, len(x_train), batch_size):
        real = x_train[order[start : start + batch_size]]
        n = len(real)
        z = rng.standard_normal((n, latent_dim)).astype("float32")
        fake = generator.predict_on_batch(z)  # a NumPy array: no gradient to G

        # Discriminator: real -> 1, generated -> 0.
        discriminator.trainable = True
        d_loss = discriminator.train_on_batch(
            np.concatenate([real, fake]), np.concatenate([np.ones((n, 1)), np.zeros((n, 1))])
        )
        # Generator, non-saturating loss: -log D(G(z)), i.e. generated -> 1.
        # The discriminator is frozen, so only the generator's weights move.
        discriminator.trainable = False
        g_loss = gan.train_on_batch(z, np.ones((n, 1)))

        d_total += float(d_loss) * n
        g_total += float(g_loss) * n

    # Validation: held-out real points and fixed noise, no update.
    fake = generator.predict_on_batch(z_val)
    val_d_loss = float(discriminator.test_on_batch(np.concatenate([x_val, fake]), val_labels))
    val_g_loss = float(gan.test_on_batch(z_val, np.ones((len(z_val), 1))))
    modes, high_quality = mode_metrics(fake)
    print(
        f"Epoch {epoch + 1}/{num_epochs} - d_loss: {d_total / len(x_train):.4f} - "
        f"g_loss: {g_total / len(x_train):.4f} - val_d_loss: {val_d_loss:.4f} - "
        f"val_g_loss: {val_g_loss:.4f} - modes: {modes} - high_quality: {high_quality:.4f}"
    )

# %% Evaluation on fresh samples, against the two ways a GAN fails
samples = generate(10_000)
modes, high_quality = mode_metrics(samples)
# Mode collapse, made on purpose: every sample from the same single mode.
collapsed_modes, collapsed_high_quality = mode_metrics(sample_real(10_000, modes=1))

fig, ax = plt.subplots(figsize=(3, 3))
ax.scatter(*samples[:1_280].T, s=2, c="tab:orange")
ax.scatter(*x_val.T, s=1, c="0.25")
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
