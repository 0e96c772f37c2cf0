# %% [markdown]
# # The mathematics of the theory chapters, in NumPy
#
# Derivatives and the chain rule on a worked example (checked by central
# finite differences), the shapes of a dense layer in both layouts, and the
# likelihood of i.i.d. labels: maximising it is minimising cross-entropy.

# %%
# --8<-- [start:chain_rule]
import numpy as np

SEED = 0
rng = np.random.default_rng(SEED)


def numeric_derivative(f, x, h=1e-6):
    """Central finite difference (f(x + h) - f(x - h)) / 2h."""
    return (f(x + h) - f(x - h)) / (2 * h)


# f(x) = (3x - 1)^2 is g(u) = u^2 applied to u(x) = 3x - 1.
x = 2.0
u = 3 * x - 1  # 5
df_dx = 2 * u * 3  # g'(u) * u'(x) = 2u * 3 = 30
print(f"chain rule: f'(2) = {df_dx}, numeric: {numeric_derivative(lambda t: (3 * t - 1) ** 2, x):.6f}")

# Partial derivatives of g(w, b) = (w x + b - y)^2 at x = 2, y = 1, w = 0.5, b = 0.5
x, y, w, b = 2.0, 1.0, 0.5, 0.5
r = w * x + b - y  # the residual, 0.5
grad = np.array([2 * r * x, 2 * r])  # (dg/dw, dg/db) = (2, 1)
numeric = np.array(
    [
        numeric_derivative(lambda t: (t * x + b - y) ** 2, w),
        numeric_derivative(lambda t: (w * x + t - y) ** 2, b),
    ]
)
print(f"gradient of g: {grad.tolist()}, numeric: {numeric.round(6).tolist()}")
chain_rule_gap = max(
    abs(df_dx - numeric_derivative(lambda t: (3 * t - 1) ** 2, 2.0)), np.abs(grad - numeric).max()
)
# --8<-- [end:chain_rule]

# %% A dense layer: the shapes of x, W and b in both layouts
# --8<-- [start:layer]
m, n_in, n_out = 4, 3, 2  # 4 samples of 3 features -> 2 outputs
X = rng.normal(size=(m, n_in))  # one sample per row
kernel = rng.normal(size=(n_in, n_out))  # Keras layout: (n_in, n_out)
bias = rng.normal(size=n_out)  # (n_out,), broadcast over the rows
keras_style = X @ kernel + bias  # (4, 3) @ (3, 2) + (2,) -> (4, 2)

weight = kernel.T  # PyTorch layout: (n_out, n_in), the W of the formulas
torch_style = X @ weight.T + bias  # what nn.Linear computes
per_sample = np.stack([weight @ X[i] + bias for i in range(m)])  # z = W x + b, x a column
print(f"X {X.shape}, kernel {kernel.shape}, weight {weight.shape}, bias {bias.shape} -> {keras_style.shape}")
layer_gap = max(np.abs(keras_style - torch_style).max(), np.abs(keras_style - per_sample).max())
# --8<-- [end:layer]

# %% Likelihood of i.i.d. labels and cross-entropy
# --8<-- [start:likelihood]
n = 2000
p = rng.uniform(0.05, 0.95, size=n)  # the model's P(y_i = 1) for each sample
labels = (rng.uniform(size=n) < p).astype(float)  # labels drawn with those probabilities
per_sample_likelihood = np.where(labels == 1, p, 1 - p)  # p_i^y_i (1 - p_i)^(1 - y_i)
likelihood = np.prod(per_sample_likelihood)  # independent labels: a product
log_likelihood = np.sum(np.log(per_sample_likelihood))  # the log turns it into a sum
bce = -np.mean(labels * np.log(p) + (1 - labels) * np.log(1 - p))  # binary cross-entropy
print(f"likelihood = {likelihood} (underflows), log-likelihood = {log_likelihood:.4f}")
print(f"-log-likelihood / n = {-log_likelihood / n:.6f}, binary cross-entropy = {bce:.6f}")

# K classes: the negative log-likelihood of the true classes is the categorical
# cross-entropy with one-hot labels.
K = 5
logits = rng.normal(size=(n, K))
probs = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)  # softmax
classes = rng.integers(0, K, size=n)
one_hot = np.eye(K)[classes]
nll = -np.mean(np.log(probs[np.arange(n), classes]))
cce = -np.mean(np.sum(one_hot * np.log(probs), axis=1))
print(f"NLL of the true classes = {nll:.6f}, categorical cross-entropy = {cce:.6f}")
likelihood_gap = max(abs(-log_likelihood / n - bce), abs(nll - cce))
# --8<-- [end:likelihood]

# %%
print(
    f"chain_rule_gap={chain_rule_gap:.1e} layer_gap={layer_gap:.1e} "
    f"likelihood_gap={likelihood_gap:.1e} likelihood_underflow={float(likelihood == 0.0):g}"
)
