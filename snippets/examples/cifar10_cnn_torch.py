# %% [markdown]
# # CIFAR-10 convolutional network, PyTorch
#
# Three Conv2d layers (two followed by max pooling), a dense layer of 64 units,
# 10 output logits.

# %%
import pickle
import tarfile
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

class_names = ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"]

# %% Data: the CIFAR-10 archive that keras.datasets.cifar10.load_data() uses
CIFAR10_URL = "https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz"


def load_cifar10(path=Path("data") / "cifar-10-python.tar.gz"):
    """Return (x_train, y_train), (x_test, y_test): uint8 images (n, 32, 32, 3)
    and uint8 labels (n,), read from the archive's pickled batches."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        part = path.with_suffix(".part")
        try:
            urllib.request.urlretrieve(CIFAR10_URL, part)
        except OSError as err:
            raise SystemExit(
                f"Could not download {CIFAR10_URL}: {err}\n"
                f"Download cifar-10-python.tar.gz by hand and save it as {path.resolve()}"
            ) from err
        part.replace(path)

    def read_batch(tar, name):
        batch = pickle.load(tar.extractfile(f"cifar-10-batches-py/{name}"), encoding="bytes")
        x = batch[b"data"].reshape(-1, 3, 32, 32).transpose(0, 2, 3, 1)
        return x, np.array(batch[b"labels"], dtype=np.uint8)

    with tarfile.open(path) as tar:
        train = [read_batch(tar, f"data_batch_{i}") for i in range(1, 6)]
        x_test, y_test = read_batch(tar, "test_batch")
    x_train = np.concatenate([x for x, _ in train])
    y_train = np.concatenate([y for _, y in train])
    return (x_train, y_train), (x_test, y_test)


(x_train, y_train), (x_test, y_test) = load_cifar10()
# PyTorch puts channels first: (n, 32, 32, 3) -> (n, 3, 32, 32), in [0, 1]
x_train = torch.from_numpy(x_train.transpose(0, 3, 1, 2).astype("float32") / 255.0)
x_test = torch.from_numpy(x_test.transpose(0, 3, 1, 2).astype("float32") / 255.0)
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
batch_size = 64
train_loader = DataLoader(TensorDataset(x_train, y_train), batch_size=batch_size, shuffle=True)


# %% Model: a convolutional network (not a plain feed-forward one)
model = nn.Sequential(
    nn.Conv2d(3, 32, kernel_size=3),  # -> 32x30x30
    nn.ReLU(),
    nn.MaxPool2d(2),  # -> 32x15x15
    nn.Conv2d(32, 64, kernel_size=3),  # -> 64x13x13
    nn.ReLU(),
    nn.MaxPool2d(2),  # -> 64x6x6
    nn.Conv2d(64, 64, kernel_size=3),  # -> 64x4x4
    nn.ReLU(),
    nn.Flatten(),  # -> 1024
    nn.Linear(1024, 64),
    nn.ReLU(),
    nn.Linear(64, 10),  # logits: CrossEntropyLoss applies log-softmax itself
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
