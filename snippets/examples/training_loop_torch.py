# %% [markdown]
# # The PyTorch training loop, step by step (MNIST, Flatten -> 128 -> 10)

# %%
# --8<-- [start:imports]
import urllib.request
from pathlib import Path

import numpy as np
import torch
from torch import nn
from torch.utils.data import DataLoader, Dataset, random_split

SEED = 42
torch.manual_seed(SEED)  # weights, the validation split and the shuffling repeat
# --8<-- [end:imports]

# %% Device
# --8<-- [start:device]
device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
print(f"Using device: {device}")
# --8<-- [end:device]

# %% Data: the same mnist.npz file that keras.datasets.mnist.load_data() uses
# --8<-- [start:load]
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
# --8<-- [end:load]


# %% Dataset: how to get sample i, and how many there are
# --8<-- [start:dataset]
class MnistDataset(Dataset):
    """MNIST images as float32 tensors in [0, 1], labels as int64 class indices."""

    def __init__(self, images, labels):
        self.images = torch.from_numpy(images.astype("float32") / 255.0)
        self.labels = torch.from_numpy(labels.astype("int64"))

    def __len__(self):
        return len(self.labels)

    def __getitem__(self, i):
        return self.images[i], self.labels[i]


# Hold out 10% of the training images for validation; the test set waits until the end.
train_ds, val_ds = random_split(MnistDataset(x_train, y_train), [0.9, 0.1])
test_ds = MnistDataset(x_test, y_test)
print(f"train: {len(train_ds)}, validation: {len(val_ds)}, test: {len(test_ds)}")
# --8<-- [end:dataset]

# %% DataLoader: batches, shuffled anew every epoch
# --8<-- [start:loader]
num_epochs = 10
batch_size = 32
train_loader = DataLoader(train_ds, batch_size=batch_size, shuffle=True)
val_loader = DataLoader(val_ds, batch_size=256)  # no shuffling needed to evaluate
test_loader = DataLoader(test_ds, batch_size=256)
xb, yb = next(iter(train_loader))
print(f"one batch: x {tuple(xb.shape)} {xb.dtype}, y {tuple(yb.shape)} {yb.dtype}")
# --8<-- [end:loader]

# %% Model: Flatten -> 128 ReLU units -> 10 logits
# --8<-- [start:model]
model = nn.Sequential(
    nn.Flatten(),  # (batch, 28, 28) -> (batch, 784)
    nn.Linear(784, 128),
    nn.ReLU(),
    nn.Linear(128, 10),  # logits: no softmax, CrossEntropyLoss applies log-softmax
).to(device)
# --8<-- [end:model]

# %% Loss and optimizer
# --8<-- [start:loss]
loss_fn = nn.CrossEntropyLoss()  # takes logits and integer labels
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)  # as Keras' "adam"
# --8<-- [end:loss]

# %% Why zero_grad(): backward() adds to .grad
# --8<-- [start:accumulate]
xb, yb = xb.to(device), yb.to(device)
optimizer.zero_grad()
loss_fn(model(xb), yb).backward()
once = model[1].weight.grad.clone()
loss_fn(model(xb), yb).backward()  # the same batch again, without zero_grad()
grad_ratio = (model[1].weight.grad.norm() / once.norm()).item()
print(f"gradient after a second backward() without zero_grad(): {grad_ratio:.2f} x")
optimizer.zero_grad()  # back to a clean state before training
# --8<-- [end:accumulate]


# %% One training epoch
# --8<-- [start:train]
def train_one_epoch():
    model.train()  # training mode (matters for dropout and batch normalization)
    total_loss, correct, seen = 0.0, 0, 0
    for xb, yb in train_loader:
        xb, yb = xb.to(device), yb.to(device)
        optimizer.zero_grad()  # 1. clear the gradients of the previous step
        logits = model(xb)  # 2. forward pass
        loss = loss_fn(logits, yb)  # 3. mean loss over the batch
        loss.backward()  # 4. backpropagation: d loss / d parameter into each .grad
        optimizer.step()  # 5. update the parameters from their .grad
        total_loss += loss.item() * len(yb)
        correct += (logits.argmax(dim=1) == yb).sum().item()
        seen += len(yb)
    return total_loss / seen, correct / seen


# --8<-- [end:train]


# %% Evaluation: no gradients, evaluation mode
# --8<-- [start:evaluate]
def evaluate(loader):
    model.eval()  # evaluation mode (dropout off, batch normalization uses its averages)
    total_loss, correct, seen = 0.0, 0, 0
    with torch.no_grad():  # no graph is recorded: faster, less memory
        for xb, yb in loader:
            xb, yb = xb.to(device), yb.to(device)
            logits = model(xb)
            total_loss += loss_fn(logits, yb).item() * len(yb)
            correct += (logits.argmax(dim=1) == yb).sum().item()
            seen += len(yb)
    return total_loss / seen, correct / seen


# --8<-- [end:evaluate]


# %% The loop: train, then validate, every epoch
# --8<-- [start:loop]
for epoch in range(num_epochs):
    loss, accuracy = train_one_epoch()
    val_loss, val_accuracy = evaluate(val_loader)
    print(
        f"Epoch {epoch + 1}/{num_epochs} - accuracy: {accuracy:.4f} - loss: {loss:.4f} - "
        f"val_accuracy: {val_accuracy:.4f} - val_loss: {val_loss:.4f}"
    )
# --8<-- [end:loop]

# %% Test: once, at the very end
# --8<-- [start:test]
test_loss, test_accuracy = evaluate(test_loader)
print(f"test_accuracy={test_accuracy:.4f} test_loss={test_loss:.4f} grad_ratio={grad_ratio:.3f}")
# --8<-- [end:test]
