# %% [markdown]
# # Exercise: XOR, which no single-layer perceptron represents
#
# A two-layer ReLU network with hand-chosen weights computes XOR on all four
# inputs; a search over 531,441 linear threshold units w1 x1 + w2 x2 + b > 0
# finds none that gets more than 3 of the 4 inputs right.

# %%
import itertools

import numpy as np

x = np.array([[0, 0], [1, 0], [0, 1], [1, 1]], dtype=float)
y = np.array([0, 1, 1, 0])  # x1 XOR x2

# Two hidden ReLU units: h1 = relu(x1 + x2), h2 = relu(x1 + x2 - 1); output h1 - 2 h2.
W1 = np.array([[1.0, 1.0], [1.0, 1.0]])  # (n_in, n_hidden), x @ W1 + b1
b1 = np.array([0.0, -1.0])
w2 = np.array([1.0, -2.0])
hidden = np.maximum(x @ W1 + b1, 0)
out = hidden @ w2
print("hidden layer:", hidden.tolist())
print("network output:", out.tolist())
hand_accuracy = np.mean((out > 0.5) == y)

# Every linear threshold unit on a grid of weights and biases in [-2, 2], step 0.05.
grid = np.linspace(-2, 2, 81)
params = np.array(list(itertools.product(grid, grid, grid)))  # (531441, 3): w1, w2, b
predictions = (params[:, :2] @ x.T + params[:, 2:]) > 0  # (531441, 4)
accuracies = np.mean(predictions == y, axis=1)
best = params[np.argmax(accuracies)]
print(f"best linear unit on the grid: w = {best[:2]}, b = {best[2]:.2f}, accuracy {accuracies.max():.2f}")
print(
    f"hand_net_accuracy={hand_accuracy:.2f} best_linear_accuracy={accuracies.max():.2f} "
    f"linear_units_tried={len(params)}"
)
