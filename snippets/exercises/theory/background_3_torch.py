# %% [markdown]
# # Exercise: hand-designed features against learned ones
#
# The label is 1 inside a circle: x1^2 + x2^2 < 0.6. Logistic regression on the
# raw inputs (x1, x2) cannot draw a circle; on the hand-designed features
# (x1^2, x2^2) the rule is linear; a network with one hidden layer learns its
# own features from (x1, x2). All three are trained the same way and scored on
# held-out test points.

# %%
import torch
from torch import nn

SEED = 0
torch.manual_seed(SEED)
device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
print(f"Using device: {device}")


def make_data(n):
    x = torch.rand(n, 2, device=device) * 2 - 1  # uniform in the square [-1, 1]^2
    y = ((x**2).sum(dim=1, keepdim=True) < 0.6).float()
    return x, y


x_train, y_train = make_data(1000)
x_test, y_test = make_data(1000)
print(f"share of label 1 in the test set: {y_test.mean().item():.3f}")

# %%
num_epochs = 300  # full-batch steps
loss_fn = nn.BCEWithLogitsLoss()


def train_and_test(model, features):
    model = model.to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=0.05)
    for _ in range(num_epochs):
        optimizer.zero_grad()
        loss = loss_fn(model(features(x_train)), y_train)
        loss.backward()
        optimizer.step()
    with torch.no_grad():
        return ((model(features(x_test)) > 0).float() == y_test).float().mean().item()


def raw(x):
    return x


def squares(x):
    return x**2  # the hand-designed features (x1^2, x2^2)


results = {
    "linear_raw": train_and_test(nn.Linear(2, 1), raw),
    "linear_squares": train_and_test(nn.Linear(2, 1), squares),
    "mlp_raw": train_and_test(nn.Sequential(nn.Linear(2, 16), nn.ReLU(), nn.Linear(16, 1)), raw),
}
for name, accuracy in results.items():
    print(f"{name:15s} test accuracy {accuracy:.3f}")
print(" ".join(f"{name}_test_accuracy={accuracy:.3f}" for name, accuracy in results.items()))
