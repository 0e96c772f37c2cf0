# %% [markdown]
# # Exercise: batch normalization with a batch of one, train vs eval mode
#
# In training mode a sample's output depends on the other samples of its batch
# (it is normalised with the batch's mean and variance); with one sample per
# feature there is nothing to normalise with, and BatchNorm1d refuses it. In
# eval mode the running statistics are used: the output of a sample depends on
# that sample only, and a batch of one works.

# %%
import torch
from torch import nn

SEED = 0
torch.manual_seed(SEED)
device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
print(f"Using device: {device}")

num_features, batch_size = 4, 32
model = nn.BatchNorm1d(num_features).to(device)

# Training mode: fill the running statistics from a few batches.
model.train()
for _ in range(50):
    model(2.0 + 3.0 * torch.randn(batch_size, num_features, device=device))

sample = torch.randn(1, num_features, device=device)
others_a = 2.0 + 3.0 * torch.randn(batch_size - 1, num_features, device=device)
others_b = 2.0 + 3.0 * torch.randn(batch_size - 1, num_features, device=device)


def output_of_sample(batch_rest):
    return model(torch.cat([sample, batch_rest]))[0]


with torch.no_grad():
    # Training mode (this also updates the running statistics; done after
    # filling them, it changes them slightly, which does not matter here).
    train_dependence = (output_of_sample(others_a) - output_of_sample(others_b)).abs().max().item()
    try:
        model(sample)
        batch1_raises = 0
    except ValueError as error:
        batch1_raises = 1
        print(f"training mode, batch of 1: ValueError: {error}")

    model.eval()
    eval_dependence = (output_of_sample(others_a) - output_of_sample(others_b)).abs().max().item()
    alone = model(sample)[0]  # a batch of one is fine in eval mode
    by_hand = (sample[0] - model.running_mean) / torch.sqrt(model.running_var + model.eps)
    by_hand = model.weight * by_hand + model.bias
    alone_gap = (alone - output_of_sample(others_a)).abs().max().item()
    formula_gap = (alone - by_hand).abs().max().item()

print(
    f"running mean {model.running_mean.mean().item():.2f}, running var {model.running_var.mean().item():.2f}"
)
print(
    f"train_dependence={train_dependence:.3f} batch1_raises={batch1_raises} "
    f"eval_dependence={eval_dependence:.1e} eval_alone_gap={alone_gap:.1e} eval_formula_gap={formula_gap:.1e}"
)
