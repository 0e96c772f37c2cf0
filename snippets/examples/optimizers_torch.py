# %% [markdown]
# # Six optimizers on the same MNIST network (Flatten -> 128 -> 10), PyTorch
#
# One model, one set of initial weights, one batch order: the only thing that
# changes from run to run is the optimizer. Every hyper-parameter is written
# out, with the values that make the Keras version run the same algorithms.

# %%
import copy
import math
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
# Hold out the last 10% of the training images for validation (as Keras'
# validation_split=0.1 does); the test set is used once, at the very end.
num_val = len(x_train) // 10
x_val, y_val = x_train[-num_val:], y_train[-num_val:]
x_train, y_train = x_train[:-num_val], y_train[:-num_val]
print(f"train: {tuple(x_train.shape)}, val: {tuple(x_val.shape)}, test: {tuple(x_test.shape)}")

num_epochs = 10
batch_size = 64
steps_per_epoch = math.ceil(len(x_train) / batch_size)  # the last batch may be smaller

# %% Model: built once; every run starts from a copy of these initial weights
model = nn.Sequential(
    nn.Flatten(),  # (batch, 28, 28) -> (batch, 784)
    nn.Linear(784, 128),
    nn.ReLU(),
    nn.Linear(128, 10),  # no softmax: CrossEntropyLoss applies log-softmax
).to(device)
initial_weights = copy.deepcopy(model.state_dict())
loss_fn = nn.CrossEntropyLoss()

# %% The optimizers, every hyper-parameter explicit (PyTorch's defaults differ
# from Keras': RMSprop alpha=0.99 and eps=1e-8, Adam eps=1e-8)
OPTIMIZERS = {
    "sgd": lambda params: torch.optim.SGD(params, lr=0.05),
    "momentum": lambda params: torch.optim.SGD(params, lr=0.05, momentum=0.9),
    "nesterov": lambda params: torch.optim.SGD(params, lr=0.05, momentum=0.9, nesterov=True),
    "rmsprop": lambda params: torch.optim.RMSprop(params, lr=1e-3, alpha=0.9, eps=1e-7),
    "adam": lambda params: torch.optim.Adam(params, lr=1e-3, betas=(0.9, 0.999), eps=1e-7),
    # SGD + momentum whose learning rate falls from 0.05 to 0 along a cosine
    "sgd_cosine": lambda params: torch.optim.SGD(params, lr=0.05, momentum=0.9),
}


def evaluate(x, y):
    """Loss and accuracy of the current model on (x, y)."""
    model.eval()
    with torch.no_grad():
        logits = model(x.to(device))
        loss = loss_fn(logits, y.to(device)).item()
        accuracy = (logits.argmax(dim=1) == y.to(device)).float().mean().item()
    return loss, accuracy


# %% Train one run per optimizer, from the same weights and in the same batch order
results = {}
for name, make_optimizer in OPTIMIZERS.items():
    model.load_state_dict(initial_weights)
    optimizer = make_optimizer(model.parameters())
    scheduler = None
    if name == "sgd_cosine":
        # T_max counts optimizer steps: scheduler.step() runs after every batch
        scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(
            optimizer, T_max=num_epochs * steps_per_epoch, eta_min=0.0
        )
    train_loader = DataLoader(
        TensorDataset(x_train, y_train),
        batch_size=batch_size,
        shuffle=True,
        generator=torch.Generator().manual_seed(SEED),  # same order in every run
    )
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
            if scheduler is not None:
                scheduler.step()
            total_loss += loss.item() * len(xb)
            correct += (logits.argmax(dim=1) == yb).sum().item()
        train_loss, train_accuracy = total_loss / len(x_train), correct / len(x_train)
        val_loss, val_accuracy = evaluate(x_val, y_val)
        print(
            f"[{name}] Epoch {epoch + 1}/{num_epochs} - "
            f"accuracy: {train_accuracy:.4f} - loss: {train_loss:.4f} - "
            f"val_accuracy: {val_accuracy:.4f} - val_loss: {val_loss:.4f}"
        )
    test_loss, test_accuracy = evaluate(x_test, y_test)
    final_lr = optimizer.param_groups[0]["lr"]
    results[name] = {"loss": train_loss, "test_accuracy": test_accuracy, "lr": final_lr}

# %% Final table: training loss of the last epoch, test accuracy, learning rate at the end
print(f"{'optimizer':<12}{'final loss':>12}{'test accuracy':>15}{'final lr':>10}")
for name, r in results.items():
    print(f"{name:<12}{r['loss']:>12.4f}{r['test_accuracy']:>15.4f}{r['lr']:>10.4g}")

metrics = {f"{name}_test_accuracy": r["test_accuracy"] for name, r in results.items()}
metrics |= {f"{name}_final_loss": r["loss"] for name, r in results.items()}
# How many times higher one run's final training loss is than another's
for slow, fast in (("sgd", "momentum"), ("sgd", "adam"), ("sgd_cosine", "momentum")):
    metrics[f"{slow}_over_{fast}_loss_ratio"] = results[slow]["loss"] / results[fast]["loss"]
metrics["sgd_cosine_final_lr"] = results["sgd_cosine"]["lr"]
print(" ".join(f"{k}={v:.4g}" for k, v in metrics.items()))
