# %% [markdown]
# # Exercise: the page's worked example with one more layer, against autograd
#
# The page's 2 -> 2 -> 1 network, with its output unit turned into a ReLU
# hidden unit and a new sigmoid output layer W3 = 1.5, b3 = -0.1 on top:
# 2 -> 2 -> 1 -> 1, binary cross-entropy, x = (1, 2), y = 1. The delta
# recursion by hand, then torch.autograd on the same network.

# %%
import torch

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
print(f"Using device: {device}")


def tensor(values):
    return torch.tensor(values, dtype=torch.float64, device=device, requires_grad=True)


x, y = torch.tensor([1.0, 2.0], dtype=torch.float64, device=device), 1.0
params = {  # weights in PyTorch's layout (n_out, n_in), as in the formula W a + b
    "W1": tensor([[0.5, -0.2], [0.1, 0.4]]),
    "b1": tensor([0.0, -1.2]),
    "W2": tensor([[0.8, -0.5]]),
    "b2": tensor([0.2]),
    "W3": tensor([[1.5]]),
    "b3": tensor([-0.1]),
}
W1, b1, W2, b2, W3, b3 = params.values()

z1 = W1 @ x + b1
a1 = torch.relu(z1)
z2 = W2 @ a1 + b2
a2 = torch.relu(z2)
z3 = W3 @ a2 + b3
p = torch.sigmoid(z3)
loss = -torch.log(p[0])
loss.backward()

# %%
with torch.no_grad():  # the formulas of the page, layer by layer from the output
    delta3 = p - y
    delta2 = (W3.T @ delta3) * (z2 > 0)
    delta1 = (W2.T @ delta2) * (z1 > 0)
    by_hand = {
        "W3": torch.outer(delta3, a2),
        "b3": delta3,
        "W2": torch.outer(delta2, a1),
        "b2": delta2,
        "W1": torch.outer(delta1, x),
        "b1": delta1,
    }
print(f"z2 = {z2.item():.4f}, z3 = {z3.item():.4f}, p = {p.item():.4f}, loss = {loss.item():.4f}")
print(
    f"delta3 = {delta3.item():.4f}, delta2 = {delta2.item():.4f}, delta1 = {delta1.numpy(force=True).round(4)}"
)
for name in ("W3", "W2", "W1"):
    print(f"dL/d{name} = {(by_hand[name] + 0.0).numpy(force=True).round(4).tolist()}")  # + 0.0: no -0.0
autograd_gap = max((by_hand[k] - params[k].grad).abs().max().item() for k in params)

# The numbers of the written solution, to 4 decimals.
written = {"p": 0.5793, "loss": 0.5459, "W3": -0.1178, "W2": -0.0631, "W1_1": -0.5048, "W1_2": -1.0096}
computed = {
    "p": p.item(),
    "loss": loss.item(),
    "W3": by_hand["W3"].item(),
    "W2": by_hand["W2"][0, 0].item(),
    "W1_1": by_hand["W1"][0, 0].item(),
    "W1_2": by_hand["W1"][0, 1].item(),
}
written_gap = max(abs(written[k] - computed[k]) for k in written)
print(f"autograd_gap={autograd_gap:.1e} written_numbers_gap={written_gap:.1e}")
