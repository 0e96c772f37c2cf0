"""The losses of a generative adversarial network (Goodfellow et al., 2014) in NumPy.

D(x) is the discriminator's probability that x is real; G(z) a generated sample.
Run: python gan_numpy.py
"""

import numpy as np

SEED = 0


def sigmoid(s):
    return np.exp(-np.logaddexp(0.0, -s))


def value_function(d_real, d_fake):
    """V(D, G) = E_x[log D(x)] + E_z[log(1 - D(G(z)))], estimated on a batch.
    The discriminator maximises it, the generator minimises it."""
    return np.mean(np.log(d_real)) + np.mean(np.log(1 - d_fake))


def discriminator_loss(d_real, d_fake):
    """-V: binary cross-entropy with label 1 for real and 0 for generated samples."""
    return -np.mean(np.log(d_real)) - np.mean(np.log(1 - d_fake))


def generator_loss_minimax(d_fake):
    """The generator's part of V: minimise E[log(1 - D(G(z)))]."""
    return np.mean(np.log(1 - d_fake))


def generator_loss_nonsaturating(d_fake):
    """The heuristic of the same paper: minimise -E[log D(G(z))] instead
    (binary cross-entropy with label 1 for the generated samples)."""
    return -np.mean(np.log(d_fake))


def optimal_discriminator(p_data, p_g):
    """For a fixed generator, D*(x) = p_data(x) / (p_data(x) + p_g(x))."""
    return p_data / (p_data + p_g)


def jensen_shannon(p, q):
    m = 0.5 * (p + q)
    return 0.5 * np.sum(p * np.log(p / m)) + 0.5 * np.sum(q * np.log(q / m))


if __name__ == "__main__":
    rng = np.random.default_rng(SEED)

    # On a finite set of outcomes, with the optimal discriminator,
    # V(D*, G) = -log 4 + 2 JS(p_data || p_g): the generator minimises a divergence.
    p_data = rng.dirichlet(np.ones(10))
    p_g = rng.dirichlet(np.ones(10))
    d = optimal_discriminator(p_data, p_g)
    v = np.sum(p_data * np.log(d)) + np.sum(p_g * np.log(1 - d))
    identity_gap = abs(v - (-np.log(4) + 2 * jensen_shannon(p_data, p_g)))
    d_same = optimal_discriminator(p_data, p_data)
    v_same = np.sum(p_data * np.log(d_same)) + np.sum(p_data * np.log(1 - d_same))
    print(f"V(D*, G) = {v:.4f}; with p_g = p_data it is {v_same:.4f} = -log 4 = {-np.log(4):.4f}")

    # Early in training D easily spots fakes: D(G(z)) = sigmoid(s) with a very negative logit s.
    s = -5.0
    saturating = -sigmoid(s)  # d/ds log(1 - sigmoid(s))
    nonsaturating = -(1 - sigmoid(s))  # d/ds -log sigmoid(s)
    print(
        f"D(G(z)) = {sigmoid(s):.4f}: gradient of the minimax loss {saturating:.4f}, "
        f"of the non-saturating loss {nonsaturating:.4f}"
    )
    print(
        f"js_identity_gap={identity_gap:.1e} saturating_grad={abs(saturating):.4f} "
        f"nonsaturating_grad={abs(nonsaturating):.4f}"
    )
