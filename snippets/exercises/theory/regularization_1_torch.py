# %% [markdown]
# # Exercise: L2 regularization shrinks the weights of a linear model
#
# For L = mean((X w - y)^2) + lambda ||w||^2 the minimum is
# w_lambda = (X^T X + n lambda I)^(-1) X^T y. Gradient descent with PyTorch's
# weight_decay = 2 lambda reaches it, and ||w_lambda|| falls as lambda grows.

# %%
import torch

SEED = 0
torch.manual_seed(SEED)
device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
print(f"Using device: {device}")

n, d = 200, 10
x_train = torch.randn(n, d, dtype=torch.float64, device=device)
w_true = torch.randn(d, dtype=torch.float64, device=device)
y_train = x_train @ w_true + 0.5 * torch.randn(n, dtype=torch.float64, device=device)
loss_fn = torch.nn.MSELoss()
num_epochs = 500  # full-batch gradient-descent steps

norms, gaps = [], []
for lam in (0.0, 0.01, 0.1, 1.0, 10.0):
    closed_form = torch.linalg.solve(
        x_train.T @ x_train + n * lam * torch.eye(d, dtype=torch.float64, device=device), x_train.T @ y_train
    )
    # The Hessian of the total loss is 2 X^T X / n + 2 lambda I; a step of
    # 1 / (its largest eigenvalue) is safely below 2 / lambda_max.
    hessian_max = torch.linalg.eigvalsh(2 * x_train.T @ x_train / n).max().item() + 2 * lam
    w = torch.zeros(d, dtype=torch.float64, device=device, requires_grad=True)
    optimizer = torch.optim.SGD([w], lr=1 / hessian_max, weight_decay=2 * lam)  # weight_decay = 2 lambda
    for _ in range(num_epochs):
        optimizer.zero_grad()
        loss_fn(x_train @ w, y_train).backward()
        optimizer.step()
    gaps.append((w.detach() - closed_form).abs().max().item())
    norms.append(w.detach().norm().item())
    print(f"lambda={lam:5.2f}: ||w|| = {norms[-1]:.4f}, |gradient descent - closed form| = {gaps[-1]:.1e}")

decreasing = all(a > b for a, b in zip(norms, norms[1:]))
print(
    f"max_gap_to_closed_form={max(gaps):.1e} norms_decreasing={int(decreasing)} "
    f"norm_ratio_last_first={norms[-1] / norms[0]:.4f}"
)
