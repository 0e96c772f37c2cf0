# %% [markdown]
# # Overfitting and regularization in practice, PyTorch
#
# One MLP (784 -> 256 -> 256 -> 10) on a deliberately small training set
# (500 MNIST digits), trained five ways: no regularization, L2 (weight
# decay), dropout, batch normalization and early stopping.

# %%
import copy
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
x_train = torch.from_numpy(x_train.reshape(-1, 784).astype("float32") / 255.0)
x_test = torch.from_numpy(x_test.reshape(-1, 784).astype("float32") / 255.0)
y_train = torch.from_numpy(y_train.astype("int64"))
y_test = torch.from_numpy(y_test.astype("int64"))

# A deliberately small training set (500 digits), so that the network can
# memorise it; the next 500 digits are held out for validation.
x_val, y_val = x_train[500:1000], y_train[500:1000]
x_train, y_train = x_train[:500], y_train[:500]
print(f"train: {tuple(x_train.shape)}, validation: {tuple(x_val.shape)}, test: {tuple(x_test.shape)}")

num_epochs = 30
batch_size = 32
L2_LAMBDA = 5e-4  # the penalty lambda * sum(w**2), as keras.regularizers.L2(5e-4)
DROPOUT_RATE = 0.5
PATIENCE = 5


# %% Model: the same network for every variant, plus the layers a variant adds
def make_model(variant):
    torch.manual_seed(SEED)  # every variant starts from the same weights
    layers = [nn.Flatten()]
    for n_in in (784, 256):
        layers.append(nn.Linear(n_in, 256))
        if variant == "batchnorm":
            layers.append(nn.BatchNorm1d(256))  # normalise before the activation
        layers.append(nn.ReLU())
        if variant == "dropout":
            layers.append(nn.Dropout(DROPOUT_RATE))
    layers.append(nn.Linear(256, 10))  # logits: CrossEntropyLoss applies log-softmax
    return nn.Sequential(*layers).to(device)


def make_optimizer(model, variant):
    if variant != "l2":
        return torch.optim.Adam(model.parameters())  # lr=1e-3, as Keras' "adam"
    # weight_decay=wd adds wd * w to the gradient: the gradient of the penalty
    # (wd / 2) * sum(w**2). wd = 2 * lambda is Keras' L2(lambda). Only the
    # weight matrices are decayed, not the biases, as kernel_regularizer does.
    weights = [p for name, p in model.named_parameters() if name.endswith("weight")]
    biases = [p for name, p in model.named_parameters() if name.endswith("bias")]
    return torch.optim.Adam([{"params": weights, "weight_decay": 2 * L2_LAMBDA}, {"params": biases}])


loss_fn = nn.CrossEntropyLoss()


def evaluate(model, x, y):
    model.eval()  # dropout off, batch norm uses its running statistics
    with torch.no_grad():
        logits = model(x.to(device))
        loss = loss_fn(logits, y.to(device)).item()
        accuracy = (logits.argmax(dim=1) == y.to(device)).float().mean().item()
    return loss, accuracy


# %% Training: one loop for every variant, logging training and validation metrics
def train(variant):
    model = make_model(variant)
    optimizer = make_optimizer(model, variant)
    train_loader = DataLoader(
        TensorDataset(x_train, y_train),
        batch_size=batch_size,
        shuffle=True,
        generator=torch.Generator().manual_seed(SEED),
    )
    val_losses = []
    best_val_loss, best_state, best_epoch, wait = float("inf"), None, 0, 0
    for epoch in range(num_epochs):
        model.train()  # dropout on, batch norm uses batch statistics
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
        val_loss, val_accuracy = evaluate(model, x_val, y_val)
        val_losses.append(val_loss)
        n = len(x_train)
        print(
            f"[{variant}] Epoch {epoch + 1}/{num_epochs} - "
            f"accuracy: {correct / n:.4f} - loss: {total_loss / n:.4f} - "
            f"val_accuracy: {val_accuracy:.4f} - val_loss: {val_loss:.4f}"
        )
        if variant == "early_stopping":
            # What keras.callbacks.EarlyStopping(patience=PATIENCE,
            # restore_best_weights=True) does: keep the best weights, stop
            # after PATIENCE epochs without a lower validation loss.
            if val_loss < best_val_loss:
                best_val_loss, best_epoch, wait = val_loss, epoch, 0
                best_state = copy.deepcopy(model.state_dict())
            else:
                wait += 1
                if wait >= PATIENCE:
                    break
    if best_state is not None:
        model.load_state_dict(best_state)
        print(f"[{variant}] stopped after epoch {epoch + 1}, restored the weights of epoch {best_epoch + 1}")
    return model, val_losses


variants = ["baseline", "l2", "dropout", "batchnorm", "early_stopping"]
models, val_curves = {}, {}
for variant in variants:
    models[variant], val_curves[variant] = train(variant)

# %% Evaluation: the test set is used once per variant, at the very end
results = {}
for variant, model in models.items():
    val_loss, _ = evaluate(model, x_val, y_val)
    test_loss, test_accuracy = evaluate(model, x_test, y_test)
    results[variant] = {"val_loss": val_loss, "test_loss": test_loss, "test_accuracy": test_accuracy}

# %% Held-out test metrics of every variant
print(f"{'variant':<16}{'val_loss':>10}{'test_loss':>11}{'test_accuracy':>15}")
for variant, r in results.items():
    print(f"{variant:<16}{r['val_loss']:>10.4f}{r['test_loss']:>11.4f}{r['test_accuracy']:>15.4f}")

# The variant you would pick: the lowest validation loss (not test loss)
best = min(variants[1:], key=lambda v: results[v]["val_loss"])
base = results["baseline"]
# Overfitting: how far the baseline's validation loss rose above its minimum
baseline_val_rise = val_curves["baseline"][-1] - min(val_curves["baseline"])
print(f"chosen on validation loss: {best}")
print(
    f"baseline_test_loss={base['test_loss']:.4f} "
    f"best_test_loss={results[best]['test_loss']:.4f} "
    f"best_gain={base['test_loss'] - results[best]['test_loss']:.4f} "
    f"baseline_test_accuracy={base['test_accuracy']:.4f} "
    f"best_test_accuracy={results[best]['test_accuracy']:.4f} "
    f"baseline_val_rise={baseline_val_rise:.4f}"
)
