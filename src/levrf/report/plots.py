"""PNG plots of the reports (matplotlib's Agg canvas; pyplot and its global state are not used)."""

from __future__ import annotations

import numpy as np

COLORS = {
    "classical": "tab:blue", "exact-pool": "tab:green", "approx-pool": "tab:olive", "rejection": "tab:red",
    "bound": "tab:purple", "leverage": "tab:orange", "gaussian": "tab:blue",
}


def _figure(ncols=1, size=(6.4, 4.4)):
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(size[0] * ncols, size[1]))
    FigureCanvasAgg(fig)
    axes = fig.subplots(1, ncols, squeeze=False)[0]
    return fig, axes


def _save(fig, path):
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    return path


def _loglog(ax, xlabel, ylabel, title):
    ax.set_xscale("log", base=2)
    ax.set_yscale("log")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title, fontsize=10)
    ax.grid(True, which="both", alpha=0.3)


def statistical_dimension(rows, path, kernel_name):
    """(a) ``s_lambda`` against n, one line per alpha, with ``s = n`` for reference."""
    fig, (ax,) = _figure()
    alphas = sorted({r["alpha"] for r in rows})
    ns = sorted({r["n"] for r in rows})
    for a in alphas:
        pts = sorted((r["n"], r["s_lambda"]) for r in rows if r["alpha"] == a)
        ax.plot(*zip(*pts), "o-", label=f"alpha = {a:g}")
    ax.plot(ns, ns, ":", color="gray", label="s = n")
    _loglog(ax, "n (training rows)", "statistical dimension s_lambda",
            f"s_lambda = tr K (K + alpha I)^-1, {kernel_name} kernel")
    ax.legend(fontsize=8)
    return _save(fig, path)


def _median_band(ax, rows, key, value, label, color, marker="o-"):
    xs = sorted({r[key] for r in rows})
    vals = [np.asarray([r[value] for r in rows if r[key] == x]) for x in xs]
    med = [np.median(v) for v in vals]
    ax.plot(xs, med, marker, color=color, label=label)
    if any(v.size > 1 for v in vals):
        ax.fill_between(xs, [v.min() for v in vals], [v.max() for v in vals], color=color, alpha=0.15)


def spectral_error(rows, theory, path, kernel_name, alpha):
    """(b) spectral error against m per sampler (median, min-max band), with the theorem's count."""
    fig, (ax,) = _figure(size=(7.2, 4.8))
    for name in dict.fromkeys(r["sampler"] for r in rows):
        _median_band(ax, [r for r in rows if r["sampler"] == name], "m", "eps", name, COLORS.get(name))
    for (label, (m, eps)), style in zip(theory["curves"].items(), ("--", "-.")):
        color = COLORS["classical" if label.startswith("classical") else "leverage"]
        ax.plot(m, eps, style, color=color, lw=1.2, label=f"theorem, {label}")
    ax.axhline(0.5, color="gray", lw=0.8, ls=":")
    _loglog(ax, "number of features m", "spectral error eps",
            f"{kernel_name} kernel, alpha = {alpha:g}; theorem at delta = {theory['delta']:g} (eps <= 1/2)")
    ax.legend(fontsize=7, ncol=2)
    return _save(fig, path)


def ridge_error(rows, exact, path, kernel_name, alpha):
    """(c) test error of random-feature ridge against m, exact KRR as the line to reach."""
    fig, (ax,) = _figure()
    for name in dict.fromkeys(r["sampler"] for r in rows):
        _median_band(ax, [r for r in rows if r["sampler"] == name], "m", "test_mse", name, COLORS.get(name))
    ax.axhline(exact["test_mse"], color="black", ls="--", label="exact kernel ridge")
    _loglog(ax, "number of features m", "test mean squared error",
            f"RandomFeatureRidge, {kernel_name} kernel, alpha = {alpha:g}")
    ax.legend(fontsize=8)
    return _save(fig, path)


def network_gap(res, path):
    """(d) sup-gap of network and NTK ridge predictions against width, per init, with fitted slopes."""
    fig, axes = _figure(ncols=2)
    widths = np.asarray(res.widths, dtype=float)
    for ax, metric, ylabel in ((axes[0], "test_gap", "sup_t |u_nn,test - u_ntk,test| / scale"),
                               (axes[1], "init_kernel_gap", "|H(0) - K_ntk|_2 / |K_ntk|_2")):
        for init in res.inits:
            w = res.column("width", init).astype(float)
            g = res.column(metric, init)
            ax.scatter(w * (1.04 if init == "leverage" else 0.96), g, s=10, alpha=0.4, color=COLORS[init])
            med = np.array([np.median(res.column(metric, init, int(x))) for x in widths])
            slope = res.slopes[init][metric]
            ax.plot(widths, med, "o-", color=COLORS[init], label=f"{init} init, slope {slope:+.2f}")
            if np.isfinite(slope):
                b = np.polyfit(np.log(w), np.log(g), 1)[1]
                ax.plot(widths, np.exp(b) * widths**slope, "--", lw=0.8, color=COLORS[init])
        ax.plot(widths, med[0] * (widths / widths[0]) ** -0.5, ":", color="gray", label="m^-1/2")
        _loglog(ax, "width m", ylabel, metric.replace("_", " "))
        ax.legend(fontsize=8)
    return _save(fig, path)


def trajectories(traj, ref, path, n_show=3):
    """(e) predictions along training: network (solid) and NTK ridge (dashed), train and test points."""
    fig, (ax,) = _figure(size=(7.2, 4.6))
    t = traj.times
    for j in range(min(n_show, traj.u_train.shape[1])):
        ax.plot(t, traj.u_train[:, j], "-", color="tab:blue", lw=1.3, label="train, network" if j == 0 else None)
        ax.plot(t, ref.u_train[:, j], "--", color="black", lw=0.9, label="NTK ridge" if j == 0 else None)
    for j in range(min(n_show, traj.u_test.shape[1])):
        ax.plot(t, traj.u_test[:, j], "-", color="tab:orange", lw=1.3, label="test, network" if j == 0 else None)
        ax.plot(t, ref.u_test[:, j], "--", color="black", lw=0.9)
    ax.set_xlabel("t = k * lr")
    ax.set_ylabel("prediction u(t)")
    ax.set_title(f"width {traj.width}: network (solid) vs NTK ridge regression (dashed)", fontsize=10)
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize=8)
    return _save(fig, path)
