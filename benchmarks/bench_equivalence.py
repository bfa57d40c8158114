"""The equivalence experiment of MATH.md section 7 on digits: trained two-layer ReLU networks
against NTK ridge regression, Gaussian and leverage-score initialization side by side.

Run: ``.venv/bin/python benchmarks/bench_equivalence.py`` (a few minutes on 2 cores;
``--quick`` for a short version). Writes ``benchmarks/results/equivalence[_quick].md``
and ``.png`` and prints:

* the per-run table (width, init, seed, sup-gaps, init-kernel gaps, movement, time);
* the medians per width and init, the fitted log-log slopes of gap against width;
* the init-kernel gap ``|H(0) - K|_2 / |K|_2`` and the spectral error at
  ``lambda = alpha / kappa^2`` for both inits;
* wall time per width; the horizon ``t_max`` and ``alpha * t_max`` (and the sup-gaps
  over shorter prefixes ``t <= t_max / 4, t_max / 2``);
* a plain statement whether leverage init gives a smaller gap than Gaussian at equal
  width, and by how much (median ratio over seeds per width, pooled paired ratio
  with a 95% interval).

Data: scikit-learn's digits, pixels centered by the training mean, rows scaled to
unit norm (centering keeps ``lambda_max(K)`` near 10 instead of 68 at n = 256, so
that a step of 0.05 is stable), target +1 for the digit 0 and -1 otherwise
(one-vs-rest). The gap is ``sup_t |u_nn,test(t) - u_ntk,test(t)|_inf /
max_t |u_ntk,test(t)|_inf`` (see ``levrf.nn.equivalence``), the reference the
discrete-step NTK ridge trajectory at the same ``t = k * lr``.
"""

from __future__ import annotations

import argparse
import os
import time

import numpy as np
from _common import gemm_gflops
from scipy import stats
from sklearn.datasets import load_digits

import levrf.nn as lnn
from levrf.samplers import SAMPLERS

RESULTS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "results")


def digits_task(n_train: int, n_test: int, seed: int = 0, digit: int = 0):
    X, y = load_digits(return_X_y=True)
    idx = np.random.default_rng(seed).permutation(len(X))
    tr, te = idx[:n_train], idx[n_train : n_train + n_test]
    mean = X[tr].mean(axis=0)
    Xtr, Xte = X[tr] - mean, X[te] - mean
    Xtr /= np.linalg.norm(Xtr, axis=1, keepdims=True)
    Xte /= np.linalg.norm(Xte, axis=1, keepdims=True)
    return Xtr, np.where(y[tr] == digit, 1.0, -1.0), Xte


def md_table(rows, columns, floatfmt=".4g"):
    def fmt(v):
        return format(float(v), floatfmt) if isinstance(v, (float, np.floating)) else str(v)

    out = ["| " + " | ".join(columns) + " |", "|" + "|".join("---" for _ in columns) + "|"]
    out += ["| " + " | ".join(fmt(r[c]) for c in columns) + " |" for r in rows]
    return "\n".join(out)


def summary_rows(res):
    rows = []
    for w in res.widths:
        for init in res.inits:
            rows.append({
                "width": w,
                "init": init,
                "median test_gap": float(np.median(res.column("test_gap", init, w))),
                "median train_gap": float(np.median(res.column("train_gap", init, w))),
                "median init_kernel_gap": float(np.median(res.column("init_kernel_gap", init, w))),
                "median init_eps": float(np.median(res.column("init_eps", init, w))),
                "max weight_movement": float(np.max(res.column("weight_movement", init, w))),
                "max kernel_movement": float(np.max(res.column("kernel_movement", init, w))),
                "mean time_s per run": float(np.mean(res.column("time_s", init, w))),
            })
    return rows


def prefix_slopes(res, t_max):
    """Slopes and medians of the sup test gap over t <= t_max (prefixes of the same runs)."""
    from levrf.nn.equivalence import loglog_slope

    pre = res.sup_gap_upto(t_max)
    out = {}
    for init in res.inits:
        ws = [p["width"] for p in pre if p["init"] == init]
        gs = [p["gap"] for p in pre if p["init"] == init]
        med = {w: float(np.median([g for ww, g in zip(ws, gs) if ww == w])) for w in res.widths}
        out[init] = (loglog_slope(ws, gs), med)
    return out


def verdict(res, metric="test_gap"):
    """Pooled paired log-ratio leverage / gaussian over all widths and seeds, with a 95% t-interval."""
    lg = {(r["width"], r["seed"]): r[metric] for r in res.rows if r["init"] == "leverage"}
    gg = {(r["width"], r["seed"]): r[metric] for r in res.rows if r["init"] == "gaussian"}
    keys = sorted(set(lg) & set(gg))
    lr = np.log([lg[k] / gg[k] for k in keys])
    m, se = lr.mean(), lr.std(ddof=1) / np.sqrt(len(lr))
    half = stats.t.ppf(0.975, len(lr) - 1) * se
    ratio, lo, hi = np.exp(m), np.exp(m - half), np.exp(m + half)
    if hi < 1:
        word = f"SMALLER: leverage/Gaussian = {ratio:.3f} (95% interval {lo:.3f}-{hi:.3f}), i.e. {100 * (1 - ratio):.1f}% smaller"
    elif lo > 1:
        word = f"LARGER: leverage/Gaussian = {ratio:.3f} (95% interval {lo:.3f}-{hi:.3f}), i.e. {100 * (ratio - 1):.1f}% larger"
    else:
        word = f"NOT MEASURABLY DIFFERENT: leverage/Gaussian = {ratio:.3f} (95% interval {lo:.3f}-{hi:.3f})"
    frac = float(np.mean(lr < 0))
    return word, ratio, (lo, hi), frac, len(lr)


def plot(res, path, title):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    colors = {"gaussian": "tab:blue", "leverage": "tab:orange"}
    fig, axes = plt.subplots(1, 3, figsize=(16, 4.8))
    widths = np.array(res.widths, dtype=float)
    for ax, metric, label in (
        (axes[0], "test_gap", "sup_t test gap / prediction scale"),
        (axes[1], "init_kernel_gap", "|H(0) - K|_2 / |K|_2"),
    ):
        for init in res.inits:
            w = res.column("width", init).astype(float)
            g = res.column(metric, init)
            jitter = 1.0 + (0.04 if init == "leverage" else -0.04)
            ax.scatter(w * jitter, g, s=12, alpha=0.45, color=colors[init])
            med = np.array([np.median(res.column(metric, init, int(x))) for x in widths])
            slope = res.slopes[init][metric]
            b = np.polyfit(np.log(w), np.log(g), 1)[1]
            ax.plot(widths, med, "o-", color=colors[init], label=f"{init} (median), slope {slope:+.3f}")
            ax.plot(widths, np.exp(b) * widths**slope, "--", color=colors[init], lw=1)
        ref = med[0] * (widths / widths[0]) ** -0.5
        ax.plot(widths, ref, ":", color="gray", label="m^-1/2")
        ax.set_xscale("log", base=2)
        ax.set_yscale("log")
        ax.set_xlabel("width m")
        ax.set_ylabel(label)
        ax.grid(True, which="both", alpha=0.3)
        ax.legend(fontsize=8)
    ax = axes[2]
    wmax = res.widths[-1]
    for (w, init, seed), c in res.curves.items():
        if w in (res.widths[0], wmax):
            ax.plot(res.times, c["test"], color=colors[init], alpha=0.5, lw=1,
                    ls="-" if w == wmax else "--")
    ax.set_xlabel("t = k * lr")
    ax.set_ylabel("|u_nn,test(t) - u_ntk,test(t)|_inf / scale")
    ax.set_yscale("log")
    ax.set_title(f"gap over time: m={res.widths[0]} (dashed), m={wmax} (solid)", fontsize=9)
    ax.grid(True, which="both", alpha=0.3)
    fig.suptitle(title, fontsize=10)
    fig.tight_layout()
    fig.savefig(path, dpi=130)
    plt.close(fig)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="widths 2^8..2^11, 2 seeds, 100 steps")
    ap.add_argument("--seeds", type=int, default=None, help="number of seeds (default 5; quick 2)")
    ap.add_argument("--min-log2-width", type=int, default=8)
    ap.add_argument("--max-log2-width", type=int, default=None, help="default 15 (quick 11)")
    ap.add_argument("--n-train", type=int, default=256)
    ap.add_argument("--n-test", type=int, default=256)
    ap.add_argument("--alpha", type=float, default=0.1)
    ap.add_argument("--kappa", type=float, default=1.0)
    ap.add_argument("--lr", type=float, default=0.05)
    ap.add_argument("--steps", type=int, default=None, help="default 200 (t = 10; quick 100)")
    ap.add_argument("--record-every", type=int, default=5)
    ap.add_argument("--sampler", default=None,
                    help="sampler of the leverage init (default 'leverage' if registered, else 'exact-pool')")
    ap.add_argument("--threads", type=int, default=None, help="torch intra-op threads (default: torch's)")
    args = ap.parse_args(argv)

    import torch

    if args.threads:
        torch.set_num_threads(args.threads)
    q = args.quick
    seeds = list(range(args.seeds if args.seeds is not None else (2 if q else 5)))
    top = args.max_log2_width if args.max_log2_width is not None else (11 if q else 15)
    widths = [2**k for k in range(args.min_log2_width, top + 1)]
    steps = args.steps if args.steps is not None else (100 if q else 200)
    sampler = args.sampler or ("leverage" if "leverage" in SAMPLERS else "exact-pool")

    print(f"machine GEMM (float64, 2048^3, numpy): {gemm_gflops():.1f} GFLOP/s; torch threads {torch.get_num_threads()}")
    X, y, Xt = digits_task(args.n_train, args.n_test)
    print(f"digits: {X.shape[0]} train / {Xt.shape[0]} test, d = {X.shape[1]}, centered, unit-norm rows; "
          f"y = +1 for digit 0 ({int((y > 0).sum())} of {len(y)}), -1 otherwise")
    print(f"widths {widths}, seeds {seeds}, inits gaussian & leverage (sampler {sampler!r}), symmetric init")
    print(f"alpha = {args.alpha}, kappa = {args.kappa}, lr = {args.lr}, steps = {steps}: horizon t_max = "
          f"{steps * args.lr:g}, alpha * t_max = {args.alpha * steps * args.lr:g}")

    t_width = {}

    def report(row):
        t_width[row["width"]] = t_width.get(row["width"], 0.0) + row["time_s"]
        print(f"  m={row['width']:>6} {row['init']:>8} seed {row['seed']}: test gap {row['test_gap']:.4f}, "
              f"train gap {row['train_gap']:.4f}, |H0-K|/|K| {row['init_kernel_gap']:.4f}, "
              f"eps {row['init_eps']:.3f}, move {row['weight_movement']:.3f}, {row['time_s']:.1f} s", flush=True)

    t0 = time.perf_counter()
    res = lnn.equivalence(
        X, y, Xt, widths, inits=("gaussian", "leverage"), seeds=seeds, alpha=args.alpha, kappa=args.kappa,
        lr=args.lr, steps=steps, symmetric=True, record_every=args.record_every, sampler=sampler,
        callback=report,
    )
    total = time.perf_counter() - t0

    lines = []

    def out(s=""):
        print(s)
        lines.append(s)

    out(f"# Equivalence of trained networks and NTK ridge regression on digits{' (quick)' if q else ''}")
    out()
    out(f"n = {X.shape[0]} train / {Xt.shape[0]} test (digits, centered, unit-norm rows, digit 0 vs rest); "
        f"alpha = {args.alpha}, kappa = {args.kappa}, lr = {args.lr}, {steps} steps: "
        f"**horizon t_max = {res.horizon:g}, alpha * t_max = {res.alpha_t:g}**; symmetric init (u(0) = 0); "
        f"leverage sampler {sampler!r} at lambda = alpha / kappa^2 = {res.settings['lambda_sampling']:g}; "
        f"reference: discrete-step NTK ridge trajectory; lambda_max(K) = {res.settings['K_norm']:.3f} "
        f"(GD stable for lr < {res.settings['lr_max']:.3f}). Total wall time {total:.0f} s.")
    out()
    out("Gap = sup_t |u_nn(t) - u_ntk(t)|_inf / max_t |u_ntk(t)|_inf over the recorded t <= t_max; "
        "init_kernel_gap = |H(0) - K|_2 / |K|_2; init_eps = spectral error (MATH.md 4) of H(0) at lambda.")
    out()
    out("## Medians over seeds")
    out()
    out(md_table(summary_rows(res), ["width", "init", "median test_gap", "median train_gap",
                                     "median init_kernel_gap", "median init_eps", "max weight_movement",
                                     "max kernel_movement", "mean time_s per run"]))
    out()
    out("## Fitted log-log slopes against width (all seeds; theory about -1/2)")
    out()
    srows = [{"init": i, **{k: v for k, v in res.slopes[i].items()}} for i in res.inits]
    for t_pre in (res.horizon / 4, res.horizon / 2):
        ps = prefix_slopes(res, t_pre)
        for r in srows:
            r[f"test_gap over t <= {t_pre:g}"] = ps[r["init"]][0]
    out(md_table(srows, list(srows[0].keys()), ".3f"))
    out()
    out("## Wall time per width (both inits, all seeds: init + training + recording)")
    out()
    out(md_table([{"width": w, "total s": t_width[w], "per run s": t_width[w] / (2 * len(seeds))}
                  for w in res.widths], ["width", "total s", "per run s"], ".3g"))
    out()
    out("## Leverage vs Gaussian initialization at equal width (test gap)")
    out()
    cmp = res.compare("leverage", "gaussian", "test_gap")
    cmpk = {c["width"]: c for c in res.compare("leverage", "gaussian", "init_kernel_gap")}
    cmpe = {c["width"]: c for c in res.compare("leverage", "gaussian", "init_eps")}
    crow = [{
        "width": c["width"], "median gap leverage": c["median_a"], "median gap gaussian": c["median_b"],
        "ratio of medians": c["ratio_of_medians"], "median paired ratio": c["median_paired_ratio"],
        "share of seeds leverage smaller": c["frac_a_smaller"],
        "init_kernel_gap ratio": cmpk[c["width"]]["ratio_of_medians"],
        "init_eps ratio": cmpe[c["width"]]["ratio_of_medians"],
    } for c in cmp]
    out(md_table(crow, list(crow[0].keys()), ".3f"))
    out()
    word, ratio, ci, frac, npairs = verdict(res, "test_gap")
    wordk = verdict(res, "init_kernel_gap")[0]
    out(f"**Answer: at equal width, leverage-score initialization gives a test gap {word}** "
        f"(pooled over {npairs} width x seed pairs; leverage smaller in {100 * frac:.0f}% of them). "
        f"Init-kernel gap |H(0) - K|_2 / |K|_2: {wordk}. "
        f"(Horizon t_max = {res.horizon:g}, alpha * t_max = {res.alpha_t:g}.)")
    lev_info = next(r["init_info"] for r in res.rows if r["init"] == "leverage")
    keys = [k for k in ("sampler", "chosen", "s_q", "s_lambda", "tau_max_over_mean", "effective_sample_size")
            if k in lev_info]
    out()
    out("Leverage sampler diagnostics (first leverage run): "
        + ", ".join(f"{k} = {lev_info[k]:.4g}" if isinstance(lev_info[k], float) else f"{k} = {lev_info[k]}"
                    for k in keys))
    out()
    out("## All runs")
    out()
    out(res.to_markdown())

    os.makedirs(RESULTS, exist_ok=True)
    stem = os.path.join(RESULTS, "equivalence_quick" if q else "equivalence")
    with open(stem + ".md", "w") as fh:
        fh.write("\n".join(lines) + "\n")
    plot(res, stem + ".png",
         f"digits n={X.shape[0]}, alpha={args.alpha}, kappa={args.kappa}, lr={args.lr}, "
         f"t_max={res.horizon:g} (alpha t={res.alpha_t:g}), {len(seeds)} seeds, symmetric init")
    print(f"\nwrote {stem}.md and {stem}.png")


if __name__ == "__main__":
    main()
