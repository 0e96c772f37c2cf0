# %% [markdown]
# # Exercise: training with softmax applied twice
#
# Two copies of the same network, from the same initial weights, learn the
# same 10-class problem. One outputs logits for nn.CrossEntropyLoss, as the
# page's PyTorch model does; the other ends in nn.Softmax, so the loss applies
# softmax a second time (the PyTorch version of a softmax output layer with
# from_logits=True). The second loss cannot go below log(1 + (K - 1) / e).

# %%
import copy
import math

import torch
from torch import nn

SEED = 42
torch.manual_seed(SEED)

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
print(f"Using device: {device}")

# %% Data: 10 Gaussian clusters in 20 dimensions, 100 training and 100 test points each
num_classes, num_features = 10, 20
centers = torch.randn(num_classes, num_features, device=device)


def make_data(n_per_class):
    y = torch.arange(num_classes, device=device).repeat_interleave(n_per_class)
    x = centers[y] + 0.7 * torch.randn(len(y), num_features, device=device)
    return x, y


x_train, y_train = make_data(100)
x_test, y_test = make_data(100)
num_epochs = 200  # full-batch steps

# %% The same network twice: logits out, or probabilities out
logits_model = nn.Sequential(nn.Linear(num_features, 32), nn.ReLU(), nn.Linear(32, num_classes)).to(device)
softmax_model = nn.Sequential(copy.deepcopy(logits_model), nn.Softmax(dim=1))
loss_fn = nn.CrossEntropyLoss()  # applies log-softmax to what it receives


def train(model):
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
    for _ in range(num_epochs):
        loss = loss_fn(model(x_train), y_train)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    with torch.no_grad():
        accuracy = (model(x_test).argmax(dim=1) == y_test).float().mean().item()
    return loss.item(), accuracy


floor = math.log(1 + (num_classes - 1) / math.e)
correct_loss, correct_accuracy = train(logits_model)
double_loss, double_accuracy = train(softmax_model)
with torch.no_grad():  # what the loss would be with a perfectly confident model
    one_hot = nn.functional.one_hot(y_train, num_classes).float()
    confident_loss = loss_fn(one_hot, y_train).item()
print(f"floor log(1 + 9/e) = {floor:.4f}; double softmax of one-hot outputs: {confident_loss:.4f}")
print(
    f"logits + CrossEntropyLoss:  final training loss {correct_loss:.4f}, test accuracy {correct_accuracy:.3f}"
)
print(
    f"softmax + CrossEntropyLoss: final training loss {double_loss:.4f}, test accuracy {double_accuracy:.3f}"
)
print(
    f"correct_loss={correct_loss:.4f} double_softmax_loss={double_loss:.4f} "
    f"double_minus_floor={double_loss - floor:.4f} floor_gap={abs(confident_loss - floor):.2e} "
    f"correct_test_accuracy={correct_accuracy:.3f} double_test_accuracy={double_accuracy:.3f}"
)
