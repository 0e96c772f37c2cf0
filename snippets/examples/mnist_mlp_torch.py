# %% [markdown]
# # MNIST multilayer perceptron (Flatten -> 128 -> 10), PyTorch

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
# Pixels are integers 0-255; scale them to [0, 1]. Flatten happens in the model.
x_train = torch.from_numpy(x_train.astype("float32") / 255.0)
x_test = torch.from_numpy(x_test.astype("float32") / 255.0)
y_train = torch.from_numpy(y_train.astype("int64"))
y_test = torch.from_numpy(y_test.astype("int64"))
# Validation set: the last 10% of the training data (the same split as
# Keras' validation_split=0.1), never trained on, evaluated after every
# epoch. The test set is used only once, at the end.
num_val = len(x_train) // 10
x_train, x_val = x_train[:-num_val], x_train[-num_val:]
y_train, y_val = y_train[:-num_val], y_train[-num_val:]
print(f"train: {tuple(x_train.shape)}, validation: {tuple(x_val.shape)}, test: {tuple(x_test.shape)}")

num_epochs = 10
batch_size = 32
train_loader = DataLoader(TensorDataset(x_train, y_train), batch_size=batch_size, shuffle=True)


# %% Model: Flatten -> 128 ReLU units -> 10 logits
model = nn.Sequential(
    nn.Flatten(),  # (batch, 28, 28) -> (batch, 784)
    nn.Linear(784, 128),
    nn.ReLU(),
    nn.Linear(128, 10),  # no softmax: CrossEntropyLoss applies log-softmax
).to(device)
loss_fn = nn.CrossEntropyLoss()
optimizer = torch.optim.Adam(model.parameters())  # lr=1e-3, as Keras' "adam"


def evaluate(x, y):
    """Mean loss and accuracy on (x, y), in evaluation mode, without gradients."""
    model.eval()
    with torch.no_grad():
        logits = model(x.to(device))
        loss = loss_fn(logits, y.to(device)).item()
        accuracy = (logits.argmax(dim=1) == y.to(device)).float().mean().item()
    return loss, accuracy


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
