# %% [markdown]
# # Exercise: a prediction of shape (m, 1) against labels of shape (m,)
#
# The difference broadcasts to (m, m): the "mean squared error" then averages
# every prediction against every label. Squeezing the prediction fixes it.

# %%
import torch

SEED = 0
torch.manual_seed(SEED)
device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
print(f"Using device: {device}")

m = 100
x_train = torch.randn(m, 3, device=device)
y_train = x_train @ torch.tensor([1.0, -2.0, 0.5], device=device) + 0.1 * torch.randn(m, device=device)
model = torch.nn.Linear(3, 1).to(device)
with torch.no_grad():  # a perfect fit up to the noise
    model.weight.copy_(torch.tensor([[1.0, -2.0, 0.5]]))
    model.bias.zero_()
    y_pred = model(x_train)  # shape (m, 1): one column

print("y_pred:", tuple(y_pred.shape), "y_train:", tuple(y_train.shape))
diff = y_pred - y_train  # (m, 1) - (m,) -> (m, m)
print("y_pred - y_train:", tuple(diff.shape))
wrong = (diff**2).mean()
right = ((y_pred.squeeze(1) - y_train) ** 2).mean()  # (m,) - (m,) -> (m,)
reference = torch.nn.functional.mse_loss(y_pred.squeeze(1), y_train)
print(f"wrong loss {wrong.item():.4f}, right loss {right.item():.4f}")
print(
    f"wrong_elements={diff.numel()} wrong_over_right={(wrong / right).item():.1f} "
    f"fixed_vs_mse_loss={(right - reference).abs().item():.1e}"
)
