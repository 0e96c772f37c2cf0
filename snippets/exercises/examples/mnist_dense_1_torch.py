# %% [markdown]
# # Exercise: the loss before training is about ln 10
#
# An untrained network outputs logits close to 0, so softmax gives each of the
# K = 10 classes a probability close to 1/10 and the cross-entropy -log p_y is
# close to ln 10 = 2.303. The page's model is checked on the test images, and
# so is the same model fed pixels that were not divided by 255.

# %%
import math
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


(_, _), (x_test, y_test) = load_mnist()
pixels = torch.from_numpy(x_test.reshape(-1, 784).astype("float32")).to(device)
y_test = torch.from_numpy(y_test.astype("int64")).to(device)


# %% The page's model, untrained
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(784, 32)
        self.fc2 = nn.Linear(32, 10)

    def forward(self, x):
        x = torch.relu(self.fc1(x))
        return self.fc2(x)


model = Net().to(device)
loss_fn = nn.CrossEntropyLoss()
with torch.no_grad():
    logits = model(pixels / 255.0)
    initial_loss = loss_fn(logits, y_test).item()
    initial_accuracy = (logits.argmax(dim=1) == y_test).float().mean().item()
    largest_p = torch.softmax(logits, dim=1).max().item()
    unscaled_loss = loss_fn(model(pixels), y_test).item()  # pixels 0-255

print(f"ln 10 = {math.log(10):.4f}")
print(
    f"untrained, pixels / 255: loss {initial_loss:.4f}, accuracy {initial_accuracy:.4f}, "
    f"largest probability {largest_p:.3f}"
)
print(f"untrained, pixels 0-255: loss {unscaled_loss:.4f}")
print(
    f"initial_loss={initial_loss:.4f} gap_to_ln10={abs(initial_loss - math.log(10)):.4f} "
    f"initial_accuracy={initial_accuracy:.4f} unscaled_initial_loss={unscaled_loss:.4f}"
)
