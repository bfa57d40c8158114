"""Random-feature ridge regression at scale (issue 4): throughput, memory, accuracy per feature.

Run: ``.venv/bin/python benchmarks/bench_ridge.py [--part throughput|memory|accuracy|all] [--quick]``.
Results are printed and written to ``benchmarks/results/ridge_*.md`` (and ``ridge_accuracy.png``).

* throughput: ``RandomFeatureRidge.fit`` at n = 200,000, d = 32, 2,048 feature columns
  (``n_components = 1,024`` frequencies, each giving ``[cos, sin]``: the same column
  count as scikit-learn's ``RBFSampler(n_components=2048)``), float64. Achieved GFLOP/s
  counts ``n D^2`` for ``Z^T Z`` (a symmetric rank-k update: half of a GEMM's ``2 n D^2``)
  plus ``2 n d m`` for ``X W^T``, against the machine's GEMM rate measured in the same run.
  The peer is ``RBFSampler(2048)`` + ``Ridge(solver="cholesky")``, same data, same run.
* memory: peak RSS of a streaming fit at n = 1,000,000, d = 32, 2,048 columns, with X
  memory-mapped from a file on disk (256 MB), measured in a child process
  (``VmHWM``, which includes the resident pages of the memory-mapped X; the
  baseline after imports is printed too).
* accuracy: test RMSE on ggplot2's diamonds (53,940 rows, 9 columns, log price;
  ``levrf.datasets.load_diamonds``; 80/20 split, columns standardized, Gaussian kernel at
  the median pairwise distance) at m = 64 ... 1,024 feature columns for levrf classical,
  levrf leverage, scikit-learn RBFSampler + RidgeCV, Nystroem + RidgeCV, and exact KRR
  on a 10,000-row training subset (what fits in memory in seconds; the line to reach).
  Every method picks alpha from the same grid by generalized/leave-one-out CV on the
  training set only.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time

import numpy as np
from _common import gemm_gflops

RESULTS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "results")
ALPHAS = [1e-4, 1e-3, 1e-2, 1e-1, 1.0, 10.0]


def _write(name: str, text: str) -> None:
    os.makedirs(RESULTS, exist_ok=True)
    with open(os.path.join(RESULTS, name), "w") as fh:
        fh.write(text)


def _synthetic(n: int, d: int, seed: int = 0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, d))
    y = np.sin(X[:, 0]) + X[:, 1] * X[:, 2] + 0.1 * rng.standard_normal(n)
    return X, y


# ------------------------------------------------------------------ throughput
def throughput(quick: bool) -> str:
    from sklearn.kernel_approximation import RBFSampler
    from sklearn.linear_model import Ridge

    import levrf

    n, d, D = (50_000 if quick else 200_000), 32, 2048
    m = D // 2
    bw = np.sqrt(d)  # bandwidth ~ typical distance scale of standard normal data
    X, y = _synthetic(n, d)
    peak = gemm_gflops()
    est = levrf.RandomFeatureRidge("gaussian", m, alpha=1e-2, kernel_params={"bandwidth": bw}, random_state=0,
                                   solver="primal")
    t0 = time.perf_counter()
    est.fit(X, y)
    t_fit = time.perf_counter() - t0
    flops = n * D**2 + 2 * n * d * m
    rate = flops / t_fit / 1e9
    # where the time goes: the pilot + sampling, the reduction, the solve
    t0 = time.perf_counter()
    from levrf import _solve
    red = _solve.NormalEquations(est.features_.kernel_, est.features_.weights_, est.features_.scales_,
                                 est._batch, n_threads=_solve.available_threads())
    red(X, y)
    t_reduce = time.perf_counter() - t0

    t0 = time.perf_counter()
    rbf = RBFSampler(gamma=0.5 / bw**2, n_components=D, random_state=0)
    sk_X = rbf.fit_transform(X)
    Ridge(alpha=1e-2, solver="cholesky", fit_intercept=False).fit(sk_X, y)
    t_sk = time.perf_counter() - t0
    del sk_X
    gemm_after = gemm_gflops()
    lines = [
        f"# Throughput: RandomFeatureRidge.fit, n = {n:,}, d = {d}, {D:,} columns (m = {m:,} [cos, sin]), float64",
        "",
        f"machine GEMM (float64, 2048^3, same run): {peak:.1f} GFLOP/s before, {gemm_after:.1f} after",
        "",
        "| what | time (s) | GFLOP/s | fraction of GEMM |",
        "|---|---:|---:|---:|",
        f"| levrf fit (pilot + features + Z^T Z + solve) | {t_fit:.2f} | {rate:.1f} | {rate / peak:.0%} |",
        f"| levrf reduction only (features + Z^T Z) | {t_reduce:.2f} | {flops / t_reduce / 1e9:.1f} | "
        f"{flops / t_reduce / 1e9 / peak:.0%} |",
        f"| scikit-learn RBFSampler({D}) + Ridge(cholesky) | {t_sk:.2f} | {flops / t_sk / 1e9:.1f} | "
        f"{flops / t_sk / 1e9 / peak:.0%} |",
        "",
        f"time ratio levrf / scikit-learn: **{t_fit / t_sk:.2f}** (target <= 0.5)",
        f"flop count: n D^2 (syrk) + 2 n d m = {flops / 1e9:.0f} GFLOP",
    ]
    return "\n".join(lines)


# ---------------------------------------------------------------------- memory
_CHILD = r"""
import sys, time, numpy as np
import levrf

def hwm_kib():  # this process's own peak RSS (ru_maxrss would include the parent's, inherited at exec)
    with open("/proc/self/status") as fh:
        return int(next(line for line in fh if line.startswith("VmHWM")).split()[1])

path, n, d, m = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
base = hwm_kib()
X = np.memmap(path, dtype=np.float64, mode="r", shape=(n, d))
y = np.memmap(path + ".y", dtype=np.float64, mode="r", shape=(n,))
t0 = time.perf_counter()
est = levrf.RandomFeatureRidge("gaussian", m, alpha=1e-2, kernel_params={"bandwidth": d ** 0.5},
                               random_state=0, solver="primal").fit(X, y)
t = time.perf_counter() - t0
print(base, hwm_kib(), t, est.coef_.shape[0])
"""


def memory(quick: bool) -> str:
    n, d, D = (200_000 if quick else 1_000_000), 32, 2048
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "X.f64")
        X = np.memmap(path, dtype=np.float64, mode="w+", shape=(n, d))
        Y = np.memmap(path + ".y", dtype=np.float64, mode="w+", shape=(n,))
        for s in range(0, n, 100_000):  # generated on the fly, written block by block
            Xb, yb = _synthetic(min(100_000, n - s), d, seed=s)
            X[s : s + len(Xb)] = Xb
            Y[s : s + len(yb)] = yb
        X.flush(), Y.flush()
        del X, Y
        out = subprocess.run([sys.executable, "-c", _CHILD, path, str(n), str(d), str(D // 2)],
                             capture_output=True, text=True, check=True)
    base, peak, t, width = out.stdout.split()
    base_mb, peak_mb = int(base) / 1024, int(peak) / 1024
    return "\n".join([
        f"# Memory: streaming fit, n = {n:,}, d = {d}, {D:,} columns, X memory-mapped ({n * d * 8 / 2**20:.0f} MiB on disk)",
        "",
        f"peak RSS of the fitting process: **{peak_mb:,.0f} MiB** (target <= 1,536 MiB); "
        f"after imports {base_mb:,.0f} MiB; fit time {float(t):.1f} s; D = {width}",
        f"(an in-memory Z would be {n * D * 8 / 2**30:.1f} GiB)",
    ])


# -------------------------------------------------------------------- accuracy
def accuracy(quick: bool) -> str:
    from scipy.spatial.distance import pdist
    from sklearn.kernel_approximation import Nystroem, RBFSampler
    from sklearn.linear_model import RidgeCV
    from sklearn.model_selection import train_test_split

    import levrf
    from levrf.datasets import load_diamonds

    X, y, cols = load_diamonds(n_samples=10_000 if quick else None)
    Xtr, Xte, ytr, yte = train_test_split(X, y, test_size=0.2, random_state=0)
    mu, sd = Xtr.mean(0), Xtr.std(0)
    Xtr, Xte = (Xtr - mu) / sd, (Xte - mu) / sd
    ym = ytr.mean()
    ytr_c = ytr - ym
    rng = np.random.default_rng(0)
    bw = float(np.median(pdist(Xtr[rng.choice(len(Xtr), 2000, replace=False)])))
    gamma = 0.5 / bw**2
    ms = [64, 128, 256, 512] if quick else [64, 128, 256, 512, 1024]

    def rmse(pred):
        return float(np.sqrt(np.mean((pred + ym - yte) ** 2)))

    rows = []  # (method, m, rmse, alpha, seconds)
    for m in ms:
        for sampler in ("classical", "leverage"):
            t0 = time.perf_counter()
            est = levrf.RandomFeatureRidge("gaussian", m // 2, sampler=sampler, alpha=ALPHAS,
                                           kernel_params={"bandwidth": bw}, random_state=0).fit(Xtr, ytr_c)
            rows.append((f"levrf {sampler}", m, rmse(est.predict(Xte)), est.alpha_, time.perf_counter() - t0))
        for name, tr in (("sklearn RBFSampler", RBFSampler(gamma=gamma, n_components=m, random_state=0)),
                         ("sklearn Nystroem", Nystroem(gamma=gamma, n_components=m, random_state=0))):
            t0 = time.perf_counter()
            Z = tr.fit_transform(Xtr)
            r = RidgeCV(alphas=ALPHAS, fit_intercept=False).fit(Z, ytr_c)
            rows.append((name, m, rmse(r.predict(tr.transform(Xte))), r.alpha_, time.perf_counter() - t0))
        print(f"  accuracy: m = {m} done", flush=True)
    # exact KRR on a training subset, alpha by a held-out fifth of that subset
    n_ex = min(10_000, len(Xtr))
    sub = rng.choice(len(Xtr), n_ex, replace=False)
    fit_i, val_i = sub[: int(0.8 * n_ex)], sub[int(0.8 * n_ex):]
    t0 = time.perf_counter()
    best = min(ALPHAS, key=lambda a: np.mean((levrf.KernelRidge("gaussian", alpha=a, kernel_params={"bandwidth": bw})
                                              .fit(Xtr[fit_i], ytr_c[fit_i]).predict(Xtr[val_i]) - ytr_c[val_i]) ** 2))
    exact = levrf.KernelRidge("gaussian", alpha=best, kernel_params={"bandwidth": bw}).fit(Xtr[sub], ytr_c[sub])
    exact_rmse = rmse(exact.predict(Xte))
    t_exact = time.perf_counter() - t0
    mean_only = rmse(np.zeros_like(yte))

    methods = ["levrf classical", "levrf leverage", "sklearn RBFSampler", "sklearn Nystroem"]
    table = {(r[0], r[1]): r for r in rows}

    def by_m(cell):
        """Markdown table: one row per m, one column per method, ``cell(row)`` in each."""
        out = ["| m | " + " | ".join(methods) + " |", "|---:|" + "---:|" * len(methods)]
        return out + [f"| {m} | " + " | ".join(cell(table[(k, m)]) for k in methods) + " |" for m in ms]

    lines = [
        f"# Accuracy per feature: diamonds ({len(X):,} rows, {X.shape[1]} columns: {', '.join(cols)}; target log price)",
        "",
        f"train {len(Xtr):,} / test {len(Xte):,}; Gaussian kernel, bandwidth {bw:.3f} (median distance, "
        f"standardized columns); alpha from {ALPHAS} by exact leave-one-out CV (levrf and RidgeCV alike)",
        "",
        "test RMSE (log price) by feature columns m:",
        "",
        *by_m(lambda r: f"{r[2]:.4f}"),
        "",
        f"exact KRR on {n_ex:,} training rows (alpha {best:g}, chosen on a held-out fifth): RMSE {exact_rmse:.4f} "
        f"({t_exact:.1f} s); predicting the mean: {mean_only:.4f}",
        "",
        "fit wall time (s) and chosen alpha:",
        "",
        *by_m(lambda r: f"{r[4]:.2f} (a={r[3]:g})"),
    ]
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        fig, ax = plt.subplots(figsize=(6, 4))
        for k in methods:
            ax.plot(ms, [table[(k, m)][2] for m in ms], marker="o", label=k)
        ax.axhline(exact_rmse, color="k", ls="--", label=f"exact KRR ({n_ex:,} rows)")
        ax.set_xscale("log", base=2)
        ax.set_xlabel("feature columns m")
        ax.set_ylabel("test RMSE (log price)")
        ax.set_title("diamonds: accuracy per feature")
        ax.legend(fontsize=8)
        fig.tight_layout()
        os.makedirs(RESULTS, exist_ok=True)
        fig.savefig(os.path.join(RESULTS, "ridge_accuracy.png"), dpi=120)
        lines += ["", "plot: benchmarks/results/ridge_accuracy.png"]
    except ImportError:
        lines += ["", "(matplotlib not installed: no plot)"]
    return "\n".join(lines)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--part", choices=["throughput", "memory", "accuracy", "all"], default="all")
    ap.add_argument("--quick", action="store_true", help="smaller sizes (minutes -> seconds)")
    args = ap.parse_args(argv)
    parts = ["throughput", "memory", "accuracy"] if args.part == "all" else [args.part]
    for part in parts:
        t0 = time.perf_counter()
        text = globals()[part](args.quick)
        text += f"\n\n(part took {time.perf_counter() - t0:.0f} s; {time.strftime('%Y-%m-%d %H:%M')})\n"
        print(text, flush=True)
        _write(f"ridge_{part}{'_quick' if args.quick else ''}.md", text)


if __name__ == "__main__":
    main()
