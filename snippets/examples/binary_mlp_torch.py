# %% [markdown]
# # Binary classification with a small MLP (10 -> 10 -> 10 -> 1), PyTorch

# %%
import numpy as np
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

SEED = 42
torch.manual_seed(SEED)
rng = np.random.default_rng(SEED)

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
print(f"Using device: {device}")

# %% Data: 10 random features; the label is 1 when the point (x0, x1) lies inside
# a circle that covers half of the square. The other 8 features are noise.
num_samples = 2000
x = rng.uniform(-1.0, 1.0, size=(num_samples, 10)).astype("float32")
y = (x[:, 0] ** 2 + x[:, 1] ** 2 < 2 / np.pi).astype("float32").reshape(-1, 1)
x_train, x_test = torch.from_numpy(x[:1600]), torch.from_numpy(x[1600:])
y_train, y_test = torch.from_numpy(y[:1600]), torch.from_numpy(y[1600:])
# Validation set: the last 10% of the training data (160 of 1,600 samples,
# the same split as Keras' validation_split=0.1), never trained on, evaluated
# after every epoch. The test set is used only once, at the end.
num_val = len(x_train) // 10
x_train, x_val = x_train[:-num_val], x_train[-num_val:]
y_train, y_val = y_train[:-num_val], y_train[-num_val:]

num_epochs = 30
batch_size = 32
train_loader = DataLoader(TensorDataset(x_train, y_train), batch_size=batch_size, shuffle=True)

# %% Model
model = nn.Sequential(
    nn.Linear(10, 10),
    nn.ReLU(),
    nn.Linear(10, 10),
    nn.ReLU(),
    nn.Linear(10, 1),  # outputs a logit; the sigmoid is inside the loss
).to(device)

# BCEWithLogitsLoss = sigmoid + binary cross-entropy, computed stably.
loss_fn = nn.BCEWithLogitsLoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9, nesterov=True)
# lr_t = 0.05 / (1 + 1e-3 * t), stepped once per update, as in the Keras tab.
scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lr_lambda=lambda t: 1.0 / (1.0 + 1e-3 * t))


def evaluate(x, y):
    """Mean loss and accuracy on (x, y), in evaluation mode, without gradients."""
    model.eval()
    with torch.no_grad():
        logits = model(x.to(device))
        loss = loss_fn(logits, y.to(device)).item()
        accuracy = ((logits > 0).float() == y.to(device)).float().mean().item()
    return loss, accuracy


# %% Train
for epoch in range(num_epochs):
    model.train()
    total_loss, correct = 0.0, 0
    for xb, yb in train_loader:
        xb, yb = xb.to(device), yb.to(device)
        logits = model(xb)
        loss = loss_fn(logits, yb)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        scheduler.step()
        total_loss += loss.item() * len(xb)
        correct += ((logits > 0).float() == yb).sum().item()
    n = len(train_loader.dataset)
    val_loss, val_accuracy = evaluate(x_val, y_val)
    print(
        f"Epoch {epoch + 1}/{num_epochs} - "
        f"accuracy: {correct / n:.4f} - loss: {total_loss / n:.4f} - "
        f"val_accuracy: {val_accuracy:.4f} - val_loss: {val_loss:.4f}"
    )

# %% Evaluate on held-out data
test_loss, test_accuracy = evaluate(x_test, y_test)
print(f"test_accuracy={test_accuracy:.4f} test_loss={test_loss:.4f}")
