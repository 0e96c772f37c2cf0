# %% [markdown]
# # Exercise: CosineAnnealingLR stepped right and stepped wrong
#
# The page's sgd_cosine run on the tests' data: 10 epochs of 57 updates,
# T = 570. Three ways to drive the schedule: T_max = 570 stepped after every
# batch (right); T_max = 10 (the number of epochs) stepped after every batch;
# T_max = 570 stepped once per epoch. The learning rates are read from the
# optimizer after every update.

# %%
import math

import torch

SEED = 0
torch.manual_seed(SEED)

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
print(f"Using device: {device}")

num_epochs, steps_per_epoch = 10, 57
total_steps = num_epochs * steps_per_epoch  # T = 570
alpha_0 = 0.05


def learning_rates(t_max, step_per_batch):
    """The learning rate used by each of the 570 updates."""
    w = torch.zeros(1, device=device, requires_grad=True)
    optimizer = torch.optim.SGD([w], lr=alpha_0, momentum=0.9)
    scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=t_max)
    rates = []
    for _ in range(num_epochs):
        for _ in range(steps_per_epoch):
            rates.append(optimizer.param_groups[0]["lr"])
            w.grad = torch.zeros_like(w)
            optimizer.step()
            if step_per_batch:
                scheduler.step()
        if not step_per_batch:
            scheduler.step()
    return rates, optimizer.param_groups[0]["lr"]


# %%
right, right_final = learning_rates(total_steps, step_per_batch=True)
epochs_as_steps, _ = learning_rates(num_epochs, step_per_batch=True)
per_epoch, per_epoch_final = learning_rates(total_steps, step_per_batch=False)

formula = [0.5 * alpha_0 * (1 + math.cos(math.pi * t / total_steps)) for t in range(total_steps)]
formula_gap = max(abs(a - b) for a, b in zip(right, formula))
restarts = sum(1 for t in range(1, total_steps) if abs(epochs_as_steps[t] - alpha_0) < 1e-12)
print(f"T_max=570, every batch: update 285 uses {right[285]:.4f}, after training {right_final:.2e}")
print(
    f"T_max=10, every batch:  updates 0, 10, 20, 30 use {[round(epochs_as_steps[t], 4) for t in (0, 10, 20, 30)]}"
)
print(f"T_max=10, every batch:  back at alpha_0 = 0.05 at {restarts} updates after the first")
print(
    f"T_max=570, every epoch: after training {per_epoch_final:.5f} = {per_epoch_final / alpha_0:.2%} of alpha_0"
)
print(
    f"right_final_lr={right_final:.3e} right_formula_gap={formula_gap:.2e} "
    f"epochs_as_steps_restarts={restarts} per_epoch_final_ratio={per_epoch_final / alpha_0:.5f}"
)
