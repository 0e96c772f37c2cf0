"""Gradient-descent optimizers and learning-rate schedules in NumPy.

Every step function takes the parameters, their gradient and the optimizer's
state, and returns the new parameters and state. They are run side by side on
an elongated 2-D quadratic bowl. Run: python optimizers_numpy.py
"""

import numpy as np

SEED = 0

# --- one update step of each optimizer --------------------------------------


def sgd_step(theta, grad, lr):
    return theta - lr * grad


def sgd_momentum_step(theta, grad, velocity, lr, momentum=0.9):
    """PyTorch's form: v_t = mu v_{t-1} + g_t, theta_t = theta_{t-1} - lr v_t."""
    velocity = momentum * velocity + grad
    return theta - lr * velocity, velocity


def nesterov_step(theta, grad, velocity, lr, momentum=0.9):
    """PyTorch's form: v_t = mu v_{t-1} + g_t, theta_t = theta_{t-1} - lr (g_t + mu v_t)."""
    velocity = momentum * velocity + grad
    return theta - lr * (grad + momentum * velocity), velocity


def nesterov_step_keras(theta, grad, m, lr, momentum=0.9):
    """Keras' form: m_t = mu m_{t-1} - lr g_t, theta_t = theta_{t-1} + mu m_t - lr g_t."""
    m = momentum * m - lr * grad
    return theta + momentum * m - lr * grad, m


def rmsprop_step(theta, grad, sq_avg, lr, rho=0.9, eps=1e-7, eps_inside_sqrt=True):
    """s_t = rho s_{t-1} + (1 - rho) g_t^2; theta_t = theta_{t-1} - lr g_t / sqrt(s_t + eps)
    (Keras) or lr g_t / (sqrt(s_t) + eps) (PyTorch, eps_inside_sqrt=False)."""
    sq_avg = rho * sq_avg + (1 - rho) * grad**2
    denom = np.sqrt(sq_avg + eps) if eps_inside_sqrt else np.sqrt(sq_avg) + eps
    return theta - lr * grad / denom, sq_avg


def adam_step(theta, grad, m, v, t, lr, beta1=0.9, beta2=0.999, eps=1e-8, eps_hat=False):
    """Adam with bias correction; t counts the updates from 1.
    eps_hat=False: lr m_hat / (sqrt(v_hat) + eps)  (the paper's Algorithm 1, PyTorch).
    eps_hat=True: lr sqrt(1 - beta2^t) / (1 - beta1^t) m / (sqrt(v) + eps)  (Keras)."""
    m = beta1 * m + (1 - beta1) * grad
    v = beta2 * v + (1 - beta2) * grad**2
    if eps_hat:
        step = lr * np.sqrt(1 - beta2**t) / (1 - beta1**t) * m / (np.sqrt(v) + eps)
    else:
        m_hat = m / (1 - beta1**t)
        v_hat = v / (1 - beta2**t)
        step = lr * m_hat / (np.sqrt(v_hat) + eps)
    return theta - step, m, v


# --- learning-rate schedules (t = number of updates done so far, from 0) ----


def inverse_time_decay(lr0, decay_rate, t):
    return lr0 / (1 + decay_rate * t)


def step_decay(lr0, factor, every, t):
    return lr0 * factor ** (t // every)


def exponential_decay(lr0, decay_rate, decay_steps, t):
    return lr0 * decay_rate ** (t / decay_steps)


def cosine_decay(lr0, total_steps, t, lr_min=0.0):
    t = min(t, total_steps)
    return lr_min + 0.5 * (lr0 - lr_min) * (1 + np.cos(np.pi * t / total_steps))


# --- a 2-D loss surface ------------------------------------------------------

A = np.diag([1.0, 10.0])  # curvature 10x larger along the second axis


def bowl(theta):
    return 0.5 * theta @ A @ theta


def bowl_grad(theta):
    return A @ theta


def run(name, theta0, steps, noise=0.0, rng=None):
    """The path of one optimizer on the bowl, with optional gradient noise
    standing in for the noise of mini-batches."""
    theta = np.array(theta0, dtype=float)
    zeros = np.zeros_like(theta)
    state = {"v": zeros.copy(), "m": zeros.copy(), "s": zeros.copy()}
    path = [theta.copy()]
    for t in range(1, steps + 1):
        g = bowl_grad(theta)
        if noise:
            g = g + noise * rng.normal(size=g.shape)
        if name == "SGD":
            theta = sgd_step(theta, g, lr=0.09)
        elif name == "Momentum":
            theta, state["v"] = sgd_momentum_step(theta, g, state["v"], lr=0.02, momentum=0.8)
        elif name == "Nesterov":
            theta, state["v"] = nesterov_step(theta, g, state["v"], lr=0.02, momentum=0.8)
        elif name == "RMSprop":
            theta, state["s"] = rmsprop_step(
                theta, g, state["s"], lr=inverse_time_decay(0.2, 0.1, t - 1), rho=0.9
            )
        elif name == "Adam":
            theta, state["m"], state["v"] = adam_step(theta, g, state["m"], state["v"], t, lr=0.3)
        path.append(theta.copy())
    return np.array(path)


OPTIMIZERS = ["SGD", "Momentum", "Nesterov", "RMSprop", "Adam"]
START = (-4.0, 1.5)

if __name__ == "__main__":
    rng = np.random.default_rng(SEED)
    steps = 100
    finals = {}
    for name in OPTIMIZERS:
        path = run(name, START, steps)
        finals[name] = bowl(path[-1])
        print(f"{name:9s} loss after {steps} steps = {finals[name]:.2e}")

    # With a constant learning rate the PyTorch and Keras Nesterov forms are the same method.
    theta_a = theta_b = np.array(START)
    v = m = np.zeros(2)
    for _ in range(50):
        theta_a, v = nesterov_step(theta_a, bowl_grad(theta_a), v, lr=0.02)
        theta_b, m = nesterov_step_keras(theta_b, bowl_grad(theta_b), m, lr=0.02)
    nesterov_gap = np.max(np.abs(theta_a - theta_b))

    # alpha / (1 + beta (t - 1)) with t from 1 is alpha / (1 + beta t) with t from 0.
    lr1 = [0.1 / (1 + 0.5 * (t - 1)) for t in range(1, 11)]
    lr0 = [inverse_time_decay(0.1, 0.5, t) for t in range(0, 10)]
    print(f"inverse time decay: {np.round(lr0[:4], 4)} ...")

    print(
        f"max_final_loss={max(finals.values()):.2e} nesterov_forms_gap={nesterov_gap:.1e} "
        f"decay_forms_gap={np.max(np.abs(np.subtract(lr1, lr0))):.1e}"
    )
