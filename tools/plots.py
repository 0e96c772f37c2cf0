"""Draw the figures of the theory chapters: `make plots`.

Writes PNGs to docs/assets/generated/theory/ from the NumPy functions of
snippets/theory/, so a figure always shows exactly the formula the page
states and the tests check. Generated files: never edit them by hand.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from tools import runner  # noqa: E402

OUT = runner.DOCS / "assets" / "generated" / "theory"


load = runner.load_theory_snippet


def save(fig, name: str) -> Path:
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / name
    fig.tight_layout()
    # Fixed metadata so a rerun writes the same bytes.
    fig.savefig(path, dpi=100, metadata={"Software": None})
    plt.close(fig)
    return path


def activations() -> list[Path]:
    act = load("activations")
    z = np.linspace(-5, 5, 401)
    paths = []
    for name, label in [("sigmoid", r"$\sigma(z)$"), ("tanh", r"$\tanh(z)$"), ("relu", r"$\mathrm{ReLU}(z)$")]:
        fig, ax = plt.subplots(figsize=(4.2, 3.0))
        ax.plot(z, getattr(act, name)(z), label=label)
        ax.plot(z, getattr(act, name + "_grad")(z), "--", label="derivative")
        ax.axhline(0, color="0.6", lw=0.6)
        ax.axvline(0, color="0.6", lw=0.6)
        ax.set_xlabel("z")
        ax.set_title(name)
        ax.grid(alpha=0.3)
        ax.legend(loc="upper left")
        paths.append(save(fig, f"activation_{name}.png"))
    # Softmax of the logits (z, 0, -1) as z varies: the outputs always sum to 1.
    logits = np.stack([z, np.zeros_like(z), -np.ones_like(z)], axis=1)
    p = act.softmax(logits)
    fig, ax = plt.subplots(figsize=(4.2, 3.0))
    for k, label in enumerate([r"$p_1$ (logit $z$)", r"$p_2$ (logit 0)", r"$p_3$ (logit $-1$)"]):
        ax.plot(z, p[:, k], label=label)
    ax.set_xlabel("z")
    ax.set_title("softmax(z, 0, -1)")
    ax.grid(alpha=0.3)
    ax.legend(loc="center left")
    paths.append(save(fig, "activation_softmax.png"))
    return paths


def trajectories() -> list[Path]:
    opt = load("optimizers")
    steps = 40
    u = np.linspace(-4.5, 1.5, 200)
    v = np.linspace(-2.0, 2.0, 200)
    U, V = np.meshgrid(u, v)
    Z = 0.5 * (opt.A[0, 0] * U**2 + opt.A[1, 1] * V**2)
    fig, ax = plt.subplots(figsize=(7.0, 4.2))
    ax.contour(U, V, Z, levels=np.geomspace(0.01, 40, 14), colors="0.75", linewidths=0.7)
    for name, style in zip(opt.OPTIMIZERS, ["o-", "s-", "^-", "d-", "v-"]):
        path = opt.run(name, opt.START, steps)
        ax.plot(path[:, 0], path[:, 1], style, markersize=2.5, lw=1.1, label=name)
    ax.plot(0, 0, "k*", markersize=10)
    ax.set_xlabel(r"$\theta_1$")
    ax.set_ylabel(r"$\theta_2$")
    ax.set_title(r"first %d steps on $L = \frac{1}{2}(\theta_1^2 + 10\,\theta_2^2)$" % steps)
    ax.legend(loc="lower right", fontsize=8)
    ax.set_aspect("equal")
    return [save(fig, "optimizer_trajectories.png")]


def schedules() -> list[Path]:
    opt = load("optimizers")
    t = np.arange(0, 101)
    fig, ax = plt.subplots(figsize=(5.6, 3.2))
    ax.plot(t, [opt.inverse_time_decay(0.1, 0.05, s) for s in t], label="inverse time")
    ax.plot(t, [opt.step_decay(0.1, 0.5, 25, s) for s in t], drawstyle="steps-post", label="step")
    ax.plot(t, [opt.exponential_decay(0.1, 0.96, 4, s) for s in t], label="exponential")
    ax.plot(t, [opt.cosine_decay(0.1, 100, s) for s in t], label="cosine")
    ax.set_xlabel("update t")
    ax.set_ylabel("learning rate")
    ax.grid(alpha=0.3)
    ax.legend()
    return [save(fig, "lr_schedules.png")]


def main() -> None:
    for path in activations() + trajectories() + schedules():
        print(runner.rel(path))


if __name__ == "__main__":
    main()
