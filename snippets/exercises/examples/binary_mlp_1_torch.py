# %% [markdown]
# # Exercise: the binary MLP without its hidden layers
#
# The page's data (the same seed), optimizer and schedule; only the model
# changes: nn.Linear(10, 1) alone (logistic regression) against the page's
# 10 -> 10 -> 10 -> 1 network. A linear model splits the plane with a straight
# line, and no straight line separates the inside of a circle from its outside.

# %%
import numpy as np
import torch
from torch import nn

SEED = 42
torch.manual_seed(SEED)
rng = np.random.default_rng(SEED)

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
print(f"Using device: {device}")

# %% Data: as on the page (label 1 inside the circle x0^2 + x1^2 < 2 / pi)
num_samples = 2000
x = rng.uniform(-1.0, 1.0, size=(num_samples, 10)).astype("float32")
y = (x[:, 0] ** 2 + x[:, 1] ** 2 < 2 / np.pi).astype("float32").reshape(-1, 1)
x_train, x_test = torch.from_numpy(x[:1600]).to(device), torch.from_numpy(x[1600:]).to(device)
y_train, y_test = torch.from_numpy(y[:1600]).to(device), torch.from_numpy(y[1600:]).to(device)
# No validation set here: both models train on all 1,600 training samples.
print(f"share of label 1 in the test set: {y_test.mean().item():.3f}")

num_epochs = 30
batch_size = 32
loss_fn = nn.BCEWithLogitsLoss()


# %% The page's training: SGD with Nesterov momentum, inverse time decay
def train_and_test(model):
    torch.manual_seed(SEED)  # the same batch order for both models
    model = model.to(device)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9, nesterov=True)
    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda t: 1.0 / (1.0 + 1e-3 * t))
    for _ in range(num_epochs):
        order = torch.randperm(len(x_train))  # a new shuffle every epoch
        for i in range(0, len(x_train), batch_size):
            batch = order[i : i + batch_size]
            loss = loss_fn(model(x_train[batch]), y_train[batch])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            scheduler.step()
    model.eval()
    with torch.no_grad():
        logits = model(x_test)
        accuracy = ((logits > 0).float() == y_test).float().mean().item()
        return accuracy, loss_fn(logits, y_test).item()


# %%
linear_accuracy, linear_loss = train_and_test(nn.Linear(10, 1))
torch.manual_seed(SEED)
mlp = nn.Sequential(nn.Linear(10, 10), nn.ReLU(), nn.Linear(10, 10), nn.ReLU(), nn.Linear(10, 1))
mlp_accuracy, mlp_loss = train_and_test(mlp)
print(f"linear model: test accuracy {linear_accuracy:.4f}, test loss {linear_loss:.4f}")
print(f"page's MLP:   test accuracy {mlp_accuracy:.4f}, test loss {mlp_loss:.4f}")
print(
    f"linear_test_accuracy={linear_accuracy:.4f} linear_test_loss={linear_loss:.4f} "
    f"mlp_test_accuracy={mlp_accuracy:.4f}"
)
