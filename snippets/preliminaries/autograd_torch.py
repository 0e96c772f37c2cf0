# %% [markdown]
# # Automatic differentiation in PyTorch: f(x, w, b) = (sigmoid(w x + b) - y)^2
#
# The gradient of one small function three ways: torch.autograd, the chain rule
# by hand, and central finite differences. Then: gradients accumulate until
# they are zeroed, and one gradient-descent step lowers the loss.

# %%
# --8<-- [start:graph]
import torch

SEED = 0
torch.manual_seed(SEED)
device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
print(f"Using device: {device}")

# One sample (x, y) and two parameters w, b. float64 so that the finite
# differences below are accurate.
x = torch.tensor(1.5, dtype=torch.float64, device=device)
y = torch.tensor(1.0, dtype=torch.float64, device=device)
w = torch.tensor(0.8, dtype=torch.float64, device=device, requires_grad=True)
b = torch.tensor(-0.5, dtype=torch.float64, device=device, requires_grad=True)


def f(w, b):
    z = w * x + b  # pre-activation
    p = torch.sigmoid(z)  # prediction
    return (p - y) ** 2  # squared error


loss = f(w, b)  # the forward pass records the graph
print(f"loss = {loss.item():.6f}, loss.grad_fn = {type(loss.grad_fn).__name__}")
loss.backward()  # backward pass: fills w.grad and b.grad
print(f"autograd: dL/dw = {w.grad.item():.10f}, dL/db = {b.grad.item():.10f}")
autograd = torch.stack([w.grad, b.grad]).clone()
# --8<-- [end:graph]

# %% The same gradient by hand: the chain rule
# --8<-- [start:hand]
with torch.no_grad():  # plain arithmetic, nothing to record
    z = w * x + b
    p = torch.sigmoid(z)
    dL_dp = 2 * (p - y)
    dp_dz = p * (1 - p)  # sigmoid'(z)
    dL_dz = dL_dp * dp_dz
    hand = torch.stack([dL_dz * x, dL_dz * 1.0])  # dz/dw = x, dz/db = 1
print(f"by hand:  dL/dw = {hand[0].item():.10f}, dL/db = {hand[1].item():.10f}")
# --8<-- [end:hand]

# %% And by central finite differences
# --8<-- [start:finite_diff]
h = 1e-6
with torch.no_grad():
    numeric = torch.stack(
        [
            (f(w + h, b) - f(w - h, b)) / (2 * h),
            (f(w, b + h) - f(w, b - h)) / (2 * h),
        ]
    )
print(f"numeric:  dL/dw = {numeric[0].item():.10f}, dL/db = {numeric[1].item():.10f}")
# --8<-- [end:finite_diff]

# %% Gradients accumulate: a second backward() adds to .grad
# --8<-- [start:accumulate]
f(w, b).backward()  # w.grad already holds the first gradient
print(f"after a second backward(): dL/dw = {w.grad.item():.10f} (twice the gradient)")
accumulation_ratio = (w.grad / autograd[0]).item()

lr = 0.5
optimizer = torch.optim.SGD([w, b], lr=lr)
optimizer.zero_grad()  # sets .grad to None (set_to_none=True is the default)
print("after zero_grad():", w.grad)
loss_before = f(w, b)
loss_before.backward()  # a fresh gradient, not added to an old one
optimizer.step()  # w <- w - lr * dL/dw, b <- b - lr * dL/db
with torch.no_grad():
    loss_after = f(w, b)
print(f"one step of gradient descent: loss {loss_before.item():.6f} -> {loss_after.item():.6f}")
# --8<-- [end:accumulate]

# %% The three gradients agree
autograd_vs_hand = (autograd - hand).abs().max().item()
finite_diff_gap = (autograd - numeric).abs().max().item()
print(
    f"autograd_vs_hand={autograd_vs_hand:.1e} finite_diff_gap={finite_diff_gap:.1e} "
    f"accumulation_ratio={accumulation_ratio:.6f} "
    f"loss_decrease={(loss_before - loss_after).item():.6f}"
)
