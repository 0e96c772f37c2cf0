# %% [markdown]
# # MNIST convolutional network, PyTorch
#
# Two Conv2d + MaxPool2d blocks, a dense layer of 128 units, 10 output logits.

# %%
import urllib.request
from pathlib import Path

import numpy as np
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

SEED = 42
torch.manual_seed(SEED)

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
print(f"Using device: {device}")

# %% Data: the same mnist.npz file that keras.datasets.mnist.load_data() uses
MNIST_URL = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/mnist.npz"


def load_mnist(path=Path("data") / "mnist.npz"):
    """Return (x_train, y_train), (x_test, y_test) as uint8 arrays."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        part = path.with_suffix(".part")
        try:
            urllib.request.urlretrieve(MNIST_URL, part)
        except OSError as err:
            raise SystemExit(
                f"Could not download {MNIST_URL}: {err}\n"
                f"Download mnist.npz by hand and save it as {path.resolve()}"
            ) from err
        part.replace(path)
    with np.load(path) as f:
        return (f["x_train"], f["y_train"]), (f["x_test"], f["y_test"])


(x_train, y_train), (x_test, y_test) = load_mnist()
# PyTorch puts channels first: (n, 28, 28) -> (n, 1, 28, 28), in [0, 1]
x_train = torch.from_numpy(x_train.reshape(-1, 1, 28, 28).astype("float32") / 255.0)
x_test = torch.from_numpy(x_test.reshape(-1, 1, 28, 28).astype("float32") / 255.0)
y_train = torch.from_numpy(y_train.astype("int64"))
y_test = torch.from_numpy(y_test.astype("int64"))
# Validation set: the last 10% of the training data (the same split as
# Keras' validation_split=0.1), never trained on, evaluated after every
# epoch. The test set is used only once, at the end.
num_val = len(x_train) // 10
x_train, x_val = x_train[:-num_val], x_train[-num_val:]
y_train, y_val = y_train[:-num_val], y_train[-num_val:]
print(f"train: {tuple(x_train.shape)}, validation: {tuple(x_val.shape)}, test: {tuple(x_test.shape)}")

num_epochs = 6
batch_size = 128
train_loader = DataLoader(TensorDataset(x_train, y_train), batch_size=batch_size, shuffle=True)


# %% Model
model = nn.Sequential(
    nn.Conv2d(1, 32, kernel_size=3),  # -> 32x26x26
    nn.ReLU(),
    nn.MaxPool2d(2),  # -> 32x13x13
    nn.Conv2d(32, 64, kernel_size=3),  # -> 64x11x11
    nn.ReLU(),
    nn.MaxPool2d(2),  # -> 64x5x5
    nn.Flatten(),  # -> 1600
    nn.Linear(1600, 128),
    nn.ReLU(),
    nn.Linear(128, 10),  # logits: CrossEntropyLoss applies log-softmax
).to(device)
loss_fn = nn.CrossEntropyLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)


def evaluate(x, y):
    """Mean loss and accuracy on (x, y), in evaluation mode, without
    gradients, in chunks of 1,000 images to bound memory."""
    model.eval()
    total_loss, correct = 0.0, 0
    with torch.no_grad():
        for i in range(0, len(x), 1000):
            xb, yb = x[i : i + 1000].to(device), y[i : i + 1000].to(device)
            logits = model(xb)
            total_loss += loss_fn(logits, yb).item() * len(xb)
            correct += (logits.argmax(dim=1) == yb).sum().item()
    return total_loss / len(x), correct / len(x)


# %% Training in mini-batches
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
        total_loss += loss.item() * len(xb)
        correct += (logits.argmax(dim=1) == yb).sum().item()
    n = len(train_loader.dataset)
    val_loss, val_accuracy = evaluate(x_val, y_val)
    print(
        f"Epoch {epoch + 1}/{num_epochs} - "
        f"accuracy: {correct / n:.4f} - loss: {total_loss / n:.4f} - "
        f"val_accuracy: {val_accuracy:.4f} - val_loss: {val_loss:.4f}"
    )

# %% Evaluation on held-out data
test_loss, test_accuracy = evaluate(x_test, y_test)
print(f"test_accuracy={test_accuracy:.4f} test_loss={test_loss:.4f}")
