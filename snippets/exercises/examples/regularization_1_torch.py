# %% [markdown]
# # Exercise: Keras' L2(lambda) is PyTorch's weight_decay = 2 lambda, not AdamW
#
# The gradient of lambda * sum(w^2) is 2 lambda w, and weight_decay=wd adds
# wd * w to the gradient in torch.optim.SGD and torch.optim.Adam: the two
# trainings are identical with wd = 2 lambda, and differ with wd = lambda.
# AdamW's decay bypasses Adam's scaling and gives other weights; a
# weight_decay given to all parameters also shrinks the biases.

# %%
import copy

import torch
from torch import nn

SEED = 0
torch.manual_seed(SEED)
device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
print(f"Using device: {device}")

L2_LAMBDA = 5e-4
num_steps, batch_size = 10, 32
x_train = torch.randn(batch_size, 20, dtype=torch.float64, device=device)
y_train = torch.randint(0, 10, (batch_size,), device=device)
loss_fn = nn.CrossEntropyLoss()
initial = nn.Linear(20, 10).to(device, torch.float64)


def train(make_optimizer, penalty=0.0, steps=num_steps):
    """Full-batch steps; the loss is cross-entropy + penalty * sum(weight^2)."""
    model = copy.deepcopy(initial)
    optimizer = make_optimizer(model)
    for _ in range(steps):
        loss = loss_fn(model(x_train), y_train) + penalty * model.weight.pow(2).sum()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return model


def weights_only(opt, wd, **kw):
    """The example's parameter groups: decay the weight matrix, not the bias."""
    return lambda m: opt([{"params": [m.weight], "weight_decay": wd}, {"params": [m.bias]}], **kw)


def gap(a, b):
    return max((p - q).abs().max().item() for p, q in zip(a.parameters(), b.parameters()))


results = {}
for name, opt, lr in (("SGD", torch.optim.SGD, 0.1), ("Adam", torch.optim.Adam, 1e-3)):
    penalty = train(weights_only(opt, 0.0, lr=lr), penalty=L2_LAMBDA)  # Keras' L2(lambda)
    decay = train(weights_only(opt, 2 * L2_LAMBDA, lr=lr))  # weight_decay = 2 lambda
    half = train(weights_only(opt, L2_LAMBDA, lr=lr))  # weight_decay = lambda: too weak
    results[name] = (gap(penalty, decay), gap(penalty, half))
    print(
        f"{name}: penalty vs weight_decay=2*lambda {results[name][0]:.1e}, vs weight_decay=lambda {results[name][1]:.1e}"
    )

adam_l2 = train(weights_only(torch.optim.Adam, 0.0, lr=1e-3), penalty=L2_LAMBDA)
adamw = train(weights_only(torch.optim.AdamW, 2 * L2_LAMBDA, lr=1e-3))
adamw_gap = gap(adam_l2, adamw)
print(f"AdamW(weight_decay=2*lambda) vs Adam + L2 penalty: {adamw_gap:.1e}")

# One SGD step (lr 0.1): with weight_decay for all parameters, the bias ends
# lr * wd * b_0 lower than with the weights-only groups (same gradients at step 1).
wd = 2 * L2_LAMBDA
groups = train(weights_only(torch.optim.SGD, wd, lr=0.1), steps=1)
all_params = train(lambda m: torch.optim.SGD(m.parameters(), lr=0.1, weight_decay=wd), steps=1)
bias_shift = groups.bias - all_params.bias
bias_change = bias_shift.abs().max().item()
bias_formula_gap = (bias_shift - 0.1 * wd * initial.bias).abs().max().item()
print(
    f"weight_decay on all parameters: the bias moves by up to {bias_change:.1e} (lr * wd * b_0 within {bias_formula_gap:.1e})"
)
print(
    f"sgd_gap={results['SGD'][0]:.1e} adam_gap={results['Adam'][0]:.1e} "
    f"sgd_wrong_factor_gap={results['SGD'][1]:.1e} adam_wrong_factor_gap={results['Adam'][1]:.1e} "
    f"adamw_gap={adamw_gap:.1e} bias_decay={bias_change:.1e} bias_formula_gap={bias_formula_gap:.1e}"
)
