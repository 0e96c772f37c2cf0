# %% [markdown]
# # Exercise: the discriminator step without detach()
#
# One batch of the page's training step, three ways: with fake.detach() as on
# the page; without it, as written (the generator step then fails); and
# without it but with a fresh fake for the generator step (no error, but the
# discriminator's backward pass also computes gradients for the generator).

# %%
import torch
from torch import nn

SEED = 0
torch.manual_seed(SEED)

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
print(f"Using device: {device}")

# %% The page's two networks, a batch of real points and the loss
latent_dim, batch_size = 8, 256
generator = nn.Sequential(
    nn.Linear(latent_dim, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 2)
).to(device)
discriminator = nn.Sequential(nn.Linear(2, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 1)).to(
    device
)
loss_fn = nn.BCEWithLogitsLoss()
d_optimizer = torch.optim.Adam(discriminator.parameters(), lr=2e-3, betas=(0.5, 0.999))
g_optimizer = torch.optim.Adam(generator.parameters(), lr=2e-3, betas=(0.5, 0.999))
real = 2 * torch.randn(batch_size, 2, device=device)
ones = torch.ones(batch_size, 1, device=device)
zeros = torch.zeros(batch_size, 1, device=device)


def generator_grad_norm():
    grads = [p.grad for p in generator.parameters() if p.grad is not None]
    return torch.cat([g.flatten() for g in grads]).norm().item() if grads else 0.0


def step(detach, fresh_fake_for_generator=False):
    """One discriminator step and one generator step; returns the generator's
    gradient norm after the discriminator step, and the error, if any."""
    generator.zero_grad()
    fake = generator(torch.randn(batch_size, latent_dim, device=device))
    d_logits = discriminator(torch.cat([real, fake.detach() if detach else fake]))
    d_loss = loss_fn(d_logits, torch.cat([ones, zeros]))
    d_optimizer.zero_grad()
    d_loss.backward()
    d_optimizer.step()
    after_d_step = generator_grad_norm()
    if fresh_fake_for_generator:
        fake = generator(torch.randn(batch_size, latent_dim, device=device))
    try:
        g_loss = loss_fn(discriminator(fake), ones)
        g_optimizer.zero_grad()
        g_loss.backward()
        g_optimizer.step()
        return after_d_step, None
    except RuntimeError as err:
        return after_d_step, str(err).split(".")[0]


# %%
detached_grad, detached_error = step(detach=True)
plain_grad, plain_error = step(detach=False)
fresh_grad, fresh_error = step(detach=False, fresh_fake_for_generator=True)
print(
    f"with detach():            generator gradient after the D step {detached_grad:.4f}, error: {detached_error}"
)
print(f"without detach():         generator gradient after the D step {plain_grad:.4f}, error: {plain_error}")
print(
    f"without, fresh fake for G: generator gradient after the D step {fresh_grad:.4f}, error: {fresh_error}"
)
print(
    f"detached_error={int(detached_error is not None)} undetached_error={int(plain_error is not None)} "
    f"detached_generator_grad={detached_grad:.4f} undetached_generator_grad={fresh_grad:.4f}"
)
