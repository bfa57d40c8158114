"""The report-writing jobs behind ``levrf demo``, ``levrf approx`` and ``levrf equivalence``."""

from __future__ import annotations

import os
import platform
import time

import numpy as np

from . import experiments as ex
from . import markdown as md
from . import plots

#: the demo's settings; ``quick`` runs in about a minute on 2 cores, ``full`` in several
DEMO_CONFIGS = {
    "quick": {
        "kernel": "ntk", "alpha": 0.1,
        "dim_ns": [50, 100, 200, 400], "dim_alphas": [1e-3, 1e-2, 1e-1, 1.0],
        "spec_n": 150, "spec_ms": [16, 64, 256], "spec_repeats": 1,
        "ridge_n_train": 400, "ridge_n_test": 200, "ridge_ms": [16, 64, 256], "ridge_repeats": 1,
        "nn_n_train": 64, "nn_n_test": 64, "nn_widths": [64, 256, 1024], "nn_seeds": [0, 1], "nn_steps": 40,
        "sampler_params": {"approx-pool": {"pool_size": 256, "m0": 8, "n_stages": 1}},
    },
    "full": {
        "kernel": "ntk", "alpha": 0.1,
        "dim_ns": [100, 200, 400, 800, 1257], "dim_alphas": [1e-3, 1e-2, 1e-1, 1.0],
        "spec_n": 400, "spec_ms": [16, 32, 64, 128, 256, 512], "spec_repeats": 5,
        "ridge_n_train": 1257, "ridge_n_test": 540, "ridge_ms": [16, 32, 64, 128, 256, 512], "ridge_repeats": 3,
        "nn_n_train": 256, "nn_n_test": 128, "nn_widths": [128, 256, 512, 1024, 2048, 4096],
        "nn_seeds": [0, 1, 2, 3, 4], "nn_steps": 100,
        "sampler_params": {"approx-pool": {"pool_size": 512, "m0": 16, "n_stages": 1}},
    },
}

RIDGE_SAMPLERS = ("classical", "leverage")


def _mkdir(out: str) -> None:
    try:
        os.makedirs(out, exist_ok=True)
    except OSError as exc:
        raise ValueError(f"cannot create the report folder {out}: {exc.strerror or exc}") from None


def _write(out: str, name: str, text: str) -> str:
    path = os.path.join(out, name)
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(text)
    return path


def _header(title: str, params: dict) -> str:
    from .. import __version__

    params = {**params, "levrf": __version__, "python": platform.python_version()}
    return f"# {title}\n\n## Parameters\n\n{md.params_block(params)}\n"


# ------------------------------------------------------------- shared sections
def spectral_section(X, out, *, kernel, alpha, ms, samplers, repeats, seed, kernel_params=None,
                     sampler_params=None, progress=False, png="spectral_error.png", label="(b) "):
    """Spectral error per sampler against the exact Gram, the theorem's count drawn in.

    Returns ``(markdown, summary rows, refused)``.
    """
    rows, refused, K = ex.spectral_sweep(X, kernel, alpha, ms, samplers, repeats, seed,
                                         kernel_params=kernel_params, sampler_params=sampler_params,
                                         progress=progress)
    theory = ex.theorem_curves(X, kernel, alpha, K, seed, kernel_params=kernel_params)
    plots.spectral_error(rows, theory, os.path.join(out, png), kernel, alpha)
    summary = ex.summarize(rows, ("sampler", "m"), "eps")
    times = {(r["sampler"], r["m"]): [] for r in rows}
    for r in rows:
        times[(r["sampler"], r["m"])].append(r["time_s"])
    for s in summary:
        s["time_s"] = float(np.mean(times[(s["sampler"], s["m"])]))
    need = {lab: int(m[-1]) for lab, (m, _) in theory["curves"].items()}
    lines = [
        f"## {label}Spectral error against the number of features",
        "",
        f"`eps = max |eig((K + alpha I)^-1/2 (Z Z^T - K) (K + alpha I)^-1/2)|` against the exact Gram of "
        f"n = {X.shape[0]} rows, {kernel} kernel, alpha = {alpha:g}, {repeats} draw(s) per point "
        f"(median, and min-max band in the plot).",
        "",
        md.figure(png, "spectral error against m per sampler; dashed/dash-dotted: the theorem's feature count"),
        "",
        md.table(summary, ["sampler", "m", "median", "min", "max", "count", "time_s"],
                 headers=["sampler", "m", "median eps", "min eps", "max eps", "draws", "mean time (s)"]),
        "",
        f"The theorem (MATH.md 4) at delta = {theory['delta']:g}: s_lambda = {theory['s_lambda']:.4g}, "
        f"sup tau ~ {theory['sup_tau']:.4g} (estimated over draws from p; ratio {theory['sup_ratio']:.3g}). "
        f"For eps = 1/2 it asks for "
        + ", ".join(f"m >= {v:,} with {k}" for k, v in need.items())
        + f". {theory['verdict']}",
    ]
    chosen = sorted({r["chosen"] for r in rows if r["sampler"] == "leverage"})
    if chosen:
        lines += ["", f"`leverage` (automatic) used: {', '.join(chosen)}."]
    if sampler_params:
        lines += ["", "Sampler settings: " + "; ".join(f"`{k}`: {v}" for k, v in sampler_params.items()
                                                      if k in samplers) + "."]
    if refused:
        lines += ["", "Skipped (refused by the sampler for this kernel or data):", ""]
        lines += [f"- `{k}`: {v}" for k, v in refused.items()]
    return "\n".join(lines) + "\n", summary, refused


def network_section(Xtr, ytr, Xte, out, *, widths, seeds, alpha, steps, seed, progress=False,
                    data_note="", labels=("(d) ", "(e) ")):
    """The width sweep (gap against width, both inits) and one trajectory panel.

    Returns ``(markdown, EquivalenceResult, params)``.
    """
    lr = ex.step_size(Xtr, alpha)
    res = ex.network_sweep(Xtr, ytr, Xte, widths, seeds, alpha, lr, steps, progress=progress)
    with ex.progress_bar(1, "trajectory panel", progress) as bar:
        traj, ref = ex.trajectories(Xtr, ytr, Xte, max(widths), alpha, lr, steps, seed)
        bar.update()
    plots.network_gap(res, os.path.join(out, "nn_gap.png"))
    plots.trajectories(traj, ref, os.path.join(out, "nn_trajectories.png"))
    params = {"network alpha": alpha, "kappa": 1.0, "lr": lr, "steps": steps, "horizon t": res.horizon,
              "alpha*t": res.alpha_t, "widths": list(widths), "network seeds": list(seeds),
              "network n_train / n_test": f"{Xtr.shape[0]} / {Xte.shape[0]}"}
    slopes = [{"init": i, **{k: v for k, v in res.slopes[i].items()}} for i in res.inits]
    med = []
    for w in res.widths:
        for i in res.inits:
            med.append({"width": w, "init": i, "test_gap": float(np.median(res.column("test_gap", i, w))),
                        "train_gap": float(np.median(res.column("train_gap", i, w))),
                        "init_kernel_gap": float(np.median(res.column("init_kernel_gap", i, w))),
                        "init_eps": float(np.median(res.column("init_eps", i, w)))})
    final_gap = float(np.max(np.abs(traj.u_test[-1] - ref.u_test[-1])) / np.max(np.abs(ref.u_test)))
    text = "\n".join([
        f"## {labels[0]}Network against NTK ridge regression, by width",
        "",
        f"Two-layer ReLU networks (first layer trained, symmetric init so that u(0) = 0, kappa = 1) "
        f"trained by gradient descent, step lr = 1 / (lambda_max(K) + alpha) = {lr:.4g}, {steps} steps: "
        f"horizon t = {res.horizon:.4g}, alpha * t = {res.alpha_t:.4g}. {data_note}The gap is "
        f"`sup_t |u_nn,test(t) - u_ntk,test(t)|_inf / max_t |u_ntk,test(t)|_inf` "
        f"(`levrf.nn.equivalence`); theory: about m^-1/2.",
        "",
        md.figure("nn_gap.png", "gap against width for Gaussian and leverage initialization, fitted slopes"),
        "",
        "Fitted log-log slopes against width (all seeds):",
        "",
        md.table(slopes, ["init", "test_gap", "train_gap", "init_kernel_gap"], floatfmt="+.3f"),
        "",
        "Medians over seeds:",
        "",
        md.table(med, ["width", "init", "test_gap", "train_gap", "init_kernel_gap", "init_eps"]),
        "",
        "<details><summary>every run</summary>",
        "",
        res.to_markdown(),
        "",
        "</details>",
        "",
        f"## {labels[1]}Prediction trajectories",
        "",
        f"One network of width {traj.width} (Gaussian init) against NTK ridge regression at the same times "
        f"t = k * lr, three training and three test points; final relative test gap {final_gap:.3g}.",
        "",
        md.figure("nn_trajectories.png", "network (solid) and NTK ridge regression (dashed) along training"),
        "",
    ])
    return text, res, params


# -------------------------------------------------------------------- demo
def run_demo(out: str = "levrf-report", *, quick: bool = False, seed: int = 0, progress: bool = True,
             config: dict | None = None, threads: int | None = None) -> dict:
    """``levrf demo``: the paper's story on digits, written to ``out/report.md`` with PNG plots.

    Returns a dict with the report path, the summary rows and the wall time.
    """
    from ..samplers import SAMPLERS

    t_start = time.perf_counter()
    cfg = {**DEMO_CONFIGS["quick" if quick else "full"], **(config or {})}
    _mkdir(out)
    kernel, alpha = cfg["kernel"], cfg["alpha"]
    timings, summary = {}, []

    # (a)
    t0 = time.perf_counter()
    X, labels, _, _ = ex.digits(seed, max(cfg["dim_ns"]), 1)
    dim_rows = ex.statistical_dimension_grid(X, kernel, cfg["dim_ns"], cfg["dim_alphas"], progress=progress)
    plots.statistical_dimension(dim_rows, os.path.join(out, "statistical_dimension.png"), kernel)
    wide = [{"n": n, **{f"alpha={a:g}": r["s_lambda"] for a in cfg["dim_alphas"] for r in dim_rows
                        if r["n"] == n and r["alpha"] == a}} for n in cfg["dim_ns"]]
    sec_a = "\n".join([
        "## (a) Statistical dimension against n and alpha",
        "",
        f"`s_lambda = tr K (K + alpha I)^-1` of the {kernel} kernel on the first n (shuffled) digits. It is "
        "the number of features leverage sampling needs, up to a log factor (MATH.md 3-4).",
        "",
        md.figure("statistical_dimension.png", "statistical dimension against n, one line per alpha"),
        "",
        md.table(wide, list(wide[0]), floatfmt=".1f"),
        "",
    ])
    big = max(cfg["dim_ns"])
    s_big = next(r["s_lambda"] for r in dim_rows if r["n"] == big and r["alpha"] == alpha)
    summary.append({"step": "(a) statistical dimension", "result": f"s_lambda = {s_big:.1f} at n = {big}, "
                    f"alpha = {alpha:g}"})
    timings["(a)"] = time.perf_counter() - t0

    # (b)
    t0 = time.perf_counter()
    Xb = X[: cfg["spec_n"]]
    sec_b, spec, refused = spectral_section(
        Xb, out, kernel=kernel, alpha=alpha, ms=cfg["spec_ms"], samplers=list(SAMPLERS),
        repeats=cfg["spec_repeats"], seed=seed, sampler_params=cfg["sampler_params"], progress=progress,
    )
    m_top = max(cfg["spec_ms"])
    top = {s["sampler"]: s["median"] for s in spec if s["m"] == m_top}
    summary.append({"step": "(b) spectral error", "result": f"eps at m = {m_top}: " + ", ".join(
        f"{k} {v:.3f}" for k, v in top.items()) + (f"; skipped {', '.join(refused)}" if refused else "")})
    timings["(b)"] = time.perf_counter() - t0

    # (c)
    t0 = time.perf_counter()
    Xtr, ytr, Xte, yte = ex.digits(seed, cfg["ridge_n_train"], cfg["ridge_n_test"])
    Ytr, Yte = np.eye(10)[ytr], np.eye(10)[yte]
    ridge_rows, exact = ex.ridge_sweep(Xtr, Ytr, Xte, Yte, kernel, alpha, cfg["ridge_ms"], RIDGE_SAMPLERS,
                                       cfg["ridge_repeats"], seed, progress=progress)
    plots.ridge_error(ridge_rows, exact, os.path.join(out, "ridge_error.png"), kernel, alpha)
    rsum = ex.summarize(ridge_rows, ("sampler", "m"), "test_mse")
    acc = {(s["sampler"], s["m"]): s["median"] for s in ex.summarize(ridge_rows, ("sampler", "m"), "test_acc")}
    for s in rsum:
        s["accuracy"] = acc[(s["sampler"], s["m"])]
    sec_c = "\n".join([
        "## (c) Kernel ridge regression against the number of features",
        "",
        f"`RandomFeatureRidge` ({kernel} kernel, alpha = {alpha:g}) on {Xtr.shape[0]} training digits with "
        f"one-hot targets, test on {Xte.shape[0]}; exact `KernelRidge` is the line to reach "
        f"(test MSE {exact['test_mse']:.4g}, accuracy {exact['test_acc']:.3f}).",
        "",
        md.figure("ridge_error.png", "test mean squared error against m; dashed: exact kernel ridge"),
        "",
        md.table(rsum, ["sampler", "m", "median", "min", "max", "accuracy"],
                 headers=["sampler", "m", "median test MSE", "min", "max", "median accuracy"]),
        "",
    ])
    mse_top = {s["sampler"]: s["median"] for s in rsum if s["m"] == max(cfg["ridge_ms"])}
    summary.append({"step": "(c) kernel ridge", "result": f"test MSE at m = {max(cfg['ridge_ms'])}: " + ", ".join(
        f"{k} {v:.4f}" for k, v in mse_top.items()) + f"; exact {exact['test_mse']:.4f}"})
    timings["(c)"] = time.perf_counter() - t0

    # (d), (e)
    t0 = time.perf_counter()
    Xn, yn, Xnt, _ = ex.digits(seed, cfg["nn_n_train"], cfg["nn_n_test"])
    yn = np.where(yn == 0, 1.0, -1.0)
    sec_de, res, nn_params = network_section(
        Xn, yn, Xnt, out, widths=cfg["nn_widths"], seeds=cfg["nn_seeds"], alpha=alpha, steps=cfg["nn_steps"],
        seed=seed, progress=progress, data_note="Target +1 for the digit 0, -1 otherwise. ",
    )
    summary.append({"step": "(d) network vs NTK", "result": "slope of test gap vs width: " + ", ".join(
        f"{i} {res.slopes[i]['test_gap']:+.2f}" for i in res.inits)})
    summary.append({"step": "(e) trajectories", "result": f"width {max(cfg['nn_widths'])}, horizon t = "
                    f"{res.horizon:.3g}, alpha*t = {res.alpha_t:.3g}"})
    timings["(d)+(e)"] = time.perf_counter() - t0

    total = time.perf_counter() - t_start
    params = {
        "mode": "quick" if quick else "full", "seed": seed, "data": "scikit-learn digits (1797 x 64), "
        "centered by the training mean, unit-norm rows", "kernel": kernel, "alpha": alpha, **nn_params,
        "threads (BLAS, torch)": threads or "library default", "wall time (s)": round(total, 1),
        "time per step (s)": ", ".join(f"{k} {v:.1f}" for k, v in timings.items()),
    }
    text = "\n".join([
        _header("levrf demo report", params),
        "## Summary",
        "",
        md.table(summary, ["step", "result"]),
        "",
        sec_a, sec_b, sec_c, sec_de,
    ])
    path = _write(out, "report.md", text)
    print(md.plain(summary, ["step", "result"]))
    print(f"report: {path} ({total:.1f} s)")
    return {"path": path, "summary": summary, "wall_time_s": total}


# ------------------------------------------------------------ approx, equivalence
def approx_report(X, out, *, kernel, alpha, n_components, samplers, repeats, seed, kernel_params=None,
                  source="", subsample_note=None, progress=True) -> str:
    """``levrf approx``: spectral-error table (approx.md, approx.csv) and plot (approx.png)."""
    _mkdir(out)
    t0 = time.perf_counter()
    sec, summary, refused = spectral_section(
        X, out, kernel=kernel, alpha=alpha, ms=n_components, samplers=samplers, repeats=repeats, seed=seed,
        kernel_params=kernel_params, progress=progress, png="approx.png", label="",
    )
    cols = ["sampler", "m", "median", "min", "max", "count", "time_s"]
    lines = [",".join(cols)] + [",".join(str(s[c]) for c in cols) for s in summary]
    _write(out, "approx.csv", "\n".join(lines) + "\n")
    params = {"data": source, "rows used": X.shape[0], "features": X.shape[1], "kernel": kernel,
              "kernel params": kernel_params or "defaults", "alpha": alpha, "seed": seed,
              "wall time (s)": round(time.perf_counter() - t0, 1)}
    if subsample_note:
        params["subsample"] = subsample_note
    path = _write(out, "approx.md", _header("levrf approx report", params) + "\n" + sec)
    print(md.plain(summary, ["sampler", "m", "median", "min", "max"],
                   headers=["sampler", "m", "median eps", "min eps", "max eps"]))
    for k, v in refused.items():
        print(f"skipped {k}: {v}")
    return path


def equivalence_report(data, out, *, widths, seeds, alpha, steps, n_train, n_test, seed, progress=True) -> str:
    """``levrf equivalence``: the network experiment on ``data = (X, y, description)`` or digits (None)."""
    _mkdir(out)
    t0 = time.perf_counter()
    if data is None:
        Xtr, ytr, Xte, _ = ex.digits(seed, n_train, n_test)
        ytr = np.where(ytr == 0, 1.0, -1.0)
        source, note = "scikit-learn digits", "Digits, target +1 for the digit 0, -1 otherwise. "
    else:
        X, y, source = data
        if X.shape[0] < 4:
            raise ValueError(f"the network experiment needs at least 4 rows, got {X.shape[0]}.")
        Xtr, ytr, Xte, _ = ex.network_task(X, y, n_train, n_test, seed)
        note = "Rows centered and scaled to unit norm, target standardized. "
    odd = [w for w in widths if w % 2]
    if odd:
        raise ValueError(f"--widths must be even (neurons come in symmetric pairs), got {odd}.")
    text, res, params = network_section(Xtr, ytr, Xte, out, widths=widths, seeds=seeds, alpha=alpha,
                                        steps=steps, seed=seed, progress=progress, data_note=note,
                                        labels=("", ""))
    params = {"data": source, "seed": seed, **params, "wall time (s)": round(time.perf_counter() - t0, 1)}
    path = _write(out, "report.md", _header("levrf equivalence report", params) + "\n" + text)
    rows = [{"init": i, **res.slopes[i]} for i in res.inits]
    print(md.plain(rows, ["init", "test_gap", "train_gap", "init_kernel_gap"], floatfmt="+.3f",
                   headers=["init", "slope test_gap", "slope train_gap", "slope init_kernel_gap"]))
    return path
