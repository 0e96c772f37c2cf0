# %% [markdown]
# # Exercise: Adam with a learning rate of 1.0 instead of 1e-3
#
# The page's model and data, trained for 2 epochs with Adam at the page's
# learning rate and at a rate 1,000 times larger. Adam's step on each weight
# is about alpha whatever the gradient's size, so alpha = 1.0 moves every
# weight by about 1 per update: far too far for weights of size ~0.05.

# %%
import urllib.request
from pathlib import Path

import numpy as np
import torch
from torch import nn

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
x_train = torch.from_numpy(x_train.reshape(-1, 784).astype("float32") / 255.0).to(device)
x_test = torch.from_numpy(x_test.reshape(-1, 784).astype("float32") / 255.0).to(device)
y_train = torch.from_numpy(y_train.astype("int64")).to(device)
y_test = torch.from_numpy(y_test.astype("int64")).to(device)

num_epochs = 2
batch_size = 32
loss_fn = nn.CrossEntropyLoss()


# %% The page's model and training loop; only the learning rate changes
def train_and_test(lr):
    torch.manual_seed(SEED)  # the same initial weights and batch order
    model = nn.Sequential(nn.Linear(784, 32), nn.ReLU(), nn.Linear(32, 10)).to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    for _ in range(num_epochs):
        order = torch.randperm(len(x_train), device=device)
        for i in range(0, len(x_train), batch_size):
            batch = order[i : i + batch_size]
            loss = loss_fn(model(x_train[batch]), y_train[batch])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
    with torch.no_grad():
        logits = model(x_test)
        accuracy = (logits.argmax(dim=1) == y_test).float().mean().item()
        dead = (torch.relu(model[0](x_test)).amax(dim=0) == 0).sum().item()
        return accuracy, loss_fn(logits, y_test).item(), dead


results = {}
for name, lr in [("lr_1e-3", 1e-3), ("lr_1", 1.0)]:
    accuracy, loss, dead = train_and_test(lr)
    results[name] = (accuracy, dead)
    print(
        f"Adam, learning rate {lr:g}: test accuracy {accuracy:.4f}, test loss {loss:.4g}, "
        f"hidden units silent on every test image: {dead} of 32"
    )
print(
    f"small_lr_test_accuracy={results['lr_1e-3'][0]:.4f} "
    f"large_lr_test_accuracy={results['lr_1'][0]:.4f} large_lr_silent_units={results['lr_1'][1]}"
)
