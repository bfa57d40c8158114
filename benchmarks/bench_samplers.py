"""Evidence for issue #3: how many random features each sampler needs for spectral error 0.5.

Run: ``.venv/bin/python benchmarks/bench_samplers.py`` (full: 10 seeds, s_lambda about 50
and 200, plus the large-n cost comparison; about 20 minutes on 2 shared cores) or
``--quick`` (3 seeds, s_lambda about 50 only, small reference pool, no large-n part).
``--no-scale`` skips the large-n part, ``--scale-only`` runs only it. Writes
``benchmarks/results/samplers[_quick].md`` and prints the same tables.

Cases (MATH.md sections 2-5):

* digits (scikit-learn, n = 1,797, d = 64), rows scaled to unit norm, first-layer NTK ``"ntk"``;
* digits, columns standardized, Gaussian kernel with bandwidth = median pairwise distance;
* diamonds (``levrf.datasets.load_diamonds(numeric_only=True, n_samples=2000)``, d = 6),
  columns standardized, Gaussian kernel at the median-distance bandwidth.

For each case alpha is bisected on a log scale so that ``s_lambda`` (exact Gram) is about
50 and about 200. For each sampler, m runs over the grid ``round(8 * sqrt(2)^k)``; at each m,
10 seeded fits give ``spectral_error`` (MATH.md 4); the search brackets the first m whose
median error is <= 0.5 and log-interpolates (log m linear in log median-eps) between the last
failing and the first passing grid point. The reference is SIR from one very large exact pool
(the best the exact-pool family can do): the pool is drawn and its exact tau computed once per
(case, alpha), each seed resamples m from it with ``levrf.samplers._resample`` (the code path of
``sampler="exact-pool"``). Wall time is one ``RandomFeatures(...).fit(X)`` at the found m
(rounded up), seed 0, as a user would call it (no precomputed Gram).

The spectral error is computed from a precomputed Cholesky factor L of ``K + alpha I``:
``eps = max |eig(L^-1 (Z Z^T - K) L^-T)|`` (similar to the matrix of MATH.md 4), extreme
eigenvalues by Lanczos (ARPACK, both ends); ``Z Z^T`` for NTK features is
``(X X^T) o (S C S^T) / m`` (no n x 64m matrix). Checked against ``levrf.spectral_error`` on
one fit per case (printed).

BLAS runs single-threaded by default (``--threads``): the machine's 2 cores are shared, and
OpenBLAS with 2 threads on a busy machine slowed ``eigvalsh`` 30x in a probe.
"""

from __future__ import annotations

import argparse
import sys
import math
import os
import time

import numpy as np
from _common import gemm_gflops, timed
from scipy import linalg
from scipy.sparse.linalg import ArpackNoConvergence, eigsh
from scipy.spatial.distance import pdist
from sklearn.datasets import load_digits
from threadpoolctl import threadpool_limits

import levrf
from levrf import RandomFeatures, leverage_profile, spectral_error, statistical_dimension
from levrf.datasets import load_diamonds, load_digits_unit
from levrf.kernels import get_kernel
from levrf.leverage import ridge_leverage
from levrf.samplers import _pool, _resample

RESULTS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "results")
EPS = 0.5
SAMPLERS = ["classical", "exact-pool", "approx-pool", "rejection", "bound", "leverage"]
REF = "exact-pool (big pool)"
M_CAP_K = 24  # grid index cap: m <= 8 * 2^12 = 32768
#: proposal budget given to "rejection" (its default refusal threshold is 200,000)
REJECTION_MAX_PROPOSALS = 32_768
#: a sampler whose single fit takes longer than this (s) is dropped from the search (reported)
FIT_TIME_CAP = 20.0


class TooSlow(Exception):
    pass


def grid_m(k: int) -> int:
    return int(round(8 * 2 ** (k / 2)))


def grid_index(m: float) -> int:
    return max(0, int(math.floor(2 * math.log2(m / 8) + 1e-9)))


def standardize(X):
    sd = X.std(axis=0)
    return (X - X.mean(axis=0)) / np.where(sd > 0, sd, 1.0)


def median_distance(X):
    return float(np.median(pdist(X)))


def load_cases():
    Xd, _ = load_digits(return_X_y=True)
    Xd = standardize(Xd.astype(np.float64))
    Xm, _, _ = load_diamonds(numeric_only=True, n_samples=2000)
    Xm = standardize(Xm)
    return [
        ("digits / ntk", "ntk", None, load_digits_unit()[0]),
        ("digits / gaussian", "gaussian", {"bandwidth": median_distance(Xd)}, Xd),
        ("diamonds / gaussian", "gaussian", {"bandwidth": median_distance(Xm)}, Xm),
    ]


def alpha_for(mu, target):
    """Bisect log(alpha) so that sum mu / (mu + alpha) = target."""
    lo, hi = math.log(mu.max() * 1e-14), math.log(mu.max() * 1e4)
    for _ in range(100):
        mid = 0.5 * (lo + hi)
        s = np.sum(mu / (mu + math.exp(mid)))
        lo, hi = (mid, hi) if s > target else (lo, mid)
    return math.exp(0.5 * (lo + hi))


class ErrorMeter:
    """Spectral error of MATH.md 4 from a precomputed Cholesky factor of K + alpha I."""

    def __init__(self, kernel, X, K, alpha):
        self.kernel, self.X, self.n = kernel, X, X.shape[0]
        A = K.copy()
        A.flat[:: self.n + 1] += alpha
        self.L = linalg.cholesky(A, lower=True, check_finite=False)
        self.Mp = self._sandwich(K)
        self.G = X @ X.T if kernel.family == "step" else None
        self.n_dense = 0

    def _solve(self, B):
        return linalg.solve_triangular(self.L, B, lower=True, check_finite=False)

    def _sandwich(self, P):  # L^-1 P L^-T for symmetric P
        return self._solve(self._solve(P).T)

    def matrix(self, W, scales):
        m = W.shape[0]
        if self.kernel.family == "step":
            S = (self.X @ W.T >= 0) * (scales / np.sqrt(m))
            E = self._sandwich(self.G * (S @ S.T))
        else:
            Z = self.kernel.feature_matrix(self.X, W, scales)
            if Z.shape[1] <= self.n:
                V = self._solve(Z)
                E = V @ V.T
            else:
                E = self._sandwich(Z @ Z.T)
        E -= self.Mp
        return 0.5 * (E + E.T)

    def __call__(self, W, scales):
        E = self.matrix(W, scales)
        try:
            ev = eigsh(E, k=2, which="BE", tol=1e-10, return_eigenvectors=False)
        except ArpackNoConvergence:
            self.n_dense += 1
            ev = linalg.eigvalsh(E, check_finite=False)
        return float(np.max(np.abs(ev)))


class Reference:
    """SIR from one big exact pool (defensive mixture of exact_pool), shared by all seeds."""

    def __init__(self, kernel, X, K, alpha, pool_size, seed=12345):
        rng = np.random.RandomState(seed)
        t0 = time.perf_counter()
        self.W, self.log_ratio = _pool(kernel, pool_size, X.shape[1], rng, 2.0, 0.5)
        self.tau = ridge_leverage(kernel, X, self.W, alpha, K=K)
        self.time_s = time.perf_counter() - t0
        self.pool_size = pool_size

    def draw(self, m, seed):
        idx, scales, _ = _resample(self.tau, m, np.random.RandomState(seed), self.log_ratio)
        return self.W[idx], scales


def make_draw(name, kname, kparams, X, K, alpha, ref):
    if name == REF:
        return lambda m, seed: (*ref.draw(m, seed), {})
    params = {"exact-pool": {"K": K}, "rejection": {"K": K, "max_proposals": REJECTION_MAX_PROPOSALS}}.get(name)

    def draw(m, seed):
        rf = RandomFeatures(kname, m, kernel_params=kparams, sampler=name, alpha=alpha,
                            sampler_params=params, random_state=seed).fit(X)
        return rf.weights_, rf.scales_, rf.sampler_info_

    return draw


def search(draw, meter, n_seeds, k_start, log, k_cap):
    """Bracket the first grid m whose median eps over n_seeds seeds is <= 0.5.

    Galloping by factors of 2 (two grid steps), then one bisection step, so the bracket
    is two adjacent grid points (last failing, first passing). At points off the bracket,
    seeds stop as soon as the median's side of 0.5 is certain (a majority on one side);
    the two bracket points always get all seeds.
    """
    eps = {}
    need = n_seeds // 2 + 1

    def run(k, early):
        lst = eps.setdefault(k, [])
        t0 = time.perf_counter()
        while len(lst) < n_seeds:
            n_pass = sum(e <= EPS for e in lst)
            if early and (n_pass >= need or len(lst) - n_pass >= need):
                break
            t1 = time.perf_counter()
            W, c, _ = draw(grid_m(k), len(lst))
            dt = time.perf_counter() - t1
            if dt > FIT_TIME_CAP:
                raise TooSlow(f"too slow for this benchmark: one fit took {dt:.0f} s at m = {grid_m(k)} "
                              f"(cap {FIT_TIME_CAP:.0f} s)")
            lst.append(meter(W, c))
        return time.perf_counter() - t0

    def passes(k):
        t = run(k, early=True)
        lst = eps[k]
        ok = sum(e <= EPS for e in lst) >= need if len(lst) < n_seeds else np.median(lst) <= EPS
        log(f"    m = {grid_m(k):5d}: {'pass' if ok else 'fail'} ({len(lst)} seeds, median so far "
            f"{np.median(lst):.3f}, {t:.1f} s)")
        return ok

    def full(k):
        n0 = len(eps[k])
        t = run(k, early=False)
        if len(eps[k]) > n0:
            log(f"    m = {grid_m(k):5d}: completed to {n_seeds} seeds, median {np.median(eps[k]):.3f} ({t:.1f} s)")
        return float(np.median(eps[k]))

    k = min(k_start, k_cap)
    if passes(k):
        hi, lo = k, None
        while hi > 0:
            c = max(hi - 2, 0)
            if passes(c):
                hi = c
            else:
                lo = c
                break
        if lo is None:
            return {"m": float(grid_m(0)), "note": f"passes at the smallest m = {grid_m(0)}", "bracket": None}
    else:
        lo, hi = k, None
        while lo < k_cap:
            c = min(lo + 2, k_cap)
            if passes(c):
                hi = c
                break
            lo = c
        if hi is None:
            return {"m": None, "note": f"median eps {full(lo):.2f} > 0.5 at the cap m = {grid_m(lo)}"}
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if passes(mid):
            hi = mid
        else:
            lo = mid
    ef, ep = full(lo), full(hi)
    mf, mp = grid_m(lo), grid_m(hi)
    frac = (math.log(ef) - math.log(EPS)) / (math.log(ef) - math.log(ep)) if ef > ep else 1.0
    m_star = math.exp(math.log(mf) + frac * (math.log(mp) - math.log(mf)))
    return {"m": m_star, "bracket": (mf, ef, mp, ep), "k_pass": hi, "note": ""}


def fit_note(name, info):
    if not info:
        return ""
    keys = {
        "leverage": ["chosen", "pool_size", "acceptance_rate"],
        "rejection": ["acceptance_rate", "n_proposals"],
        "exact-pool": ["pool_size", "unique_fraction"],
        "approx-pool": ["pool_size", "m0", "n_stages", "unique_fraction"],
        "bound": ["density", "s_q", "s_q_bound", "half_width", "box_weight"],
    }.get(name, [])
    parts = [f"{k}={info[k]:.3g}" if isinstance(info[k], float) else f"{k}={info[k]}" for k in keys if k in info]
    if "warning" in info:
        parts.append("pilot warning")
    if name in ("bound", "approx-pool", "exact-pool", "leverage"):
        parts.append(f"ESS/m={info.get('effective_sample_size', float('nan')) / max(1, info.get('_m', 1)):.2f}")
    return ", ".join(parts)


def md_table(rows, columns):
    out = ["| " + " | ".join(columns) + " |", "|" + "|".join("---" for _ in columns) + "|"]
    out += ["| " + " | ".join(str(r.get(c, "")) for c in columns) + " |" for r in rows]
    return "\n".join(out)


def run_case(case, target, args, log):
    cname, kname, kparams, X = case
    kernel = get_kernel(kname, kparams)
    t0 = time.perf_counter()
    K = kernel.gram(X)
    mu = np.clip(linalg.eigvalsh(K, check_finite=False), 0.0, None)
    alpha = alpha_for(mu, target)
    s_lam = statistical_dimension(K, alpha)
    meter = ErrorMeter(kernel, X, K, alpha)
    log(f"\n== {cname}, target s_lambda {target}: alpha = {alpha:.4g}, s_lambda = {s_lam:.2f} "
        f"(n = {X.shape[0]}, d = {X.shape[1]}{', bandwidth = %.3f' % kparams['bandwidth'] if kparams else ''})")

    # check the fast error against levrf.spectral_error on one classical fit
    rf = RandomFeatures(kname, 64, kernel_params=kparams, random_state=0).fit(X)
    e_lib = spectral_error(K, rf.transform(X), alpha)
    E = meter.matrix(rf.weights_, rf.scales_)
    e_dense = float(np.max(np.abs(linalg.eigvalsh(E, check_finite=False))))
    e_fast = meter(rf.weights_, rf.scales_)
    log(f"  check (classical, m = 64): levrf.spectral_error {e_lib:.6f}, benchmark dense {e_dense:.6f}, "
        f"benchmark Lanczos {e_fast:.6f}")
    check = max(abs(e_lib - e_fast), abs(e_dense - e_fast))

    prof = leverage_profile(kname, X, alpha, kernel_params=kparams, random_state=0)
    ref = Reference(kernel, X, K, alpha, args.ref_pool[target])
    log(f"  reference pool: {ref.pool_size} candidates, exact tau in {ref.time_s:.1f} s; "
        f"profile sup tau / s_lambda = {prof.sup_ratio:.3g}")

    results = {}
    order = [REF] + SAMPLERS
    k_ref = grid_index(max(8.0, s_lam / 2))
    for name in order:
        log(f"  {name}:")
        draw = make_draw(name, kname, kparams, X, K, alpha, ref)
        try:
            res = search(draw, meter, args.seeds, k_ref, log, M_CAP_K)
        except (ValueError, RuntimeError, TooSlow) as exc:
            msg = str(exc).split(";")[0]
            log(f"    refused: {msg}")
            results[name] = {"m": None, "note": f"refused: {msg}"}
            continue
        if name == REF and res.get("k_pass") is not None:
            k_ref = res["k_pass"]
        # wall time at the found m (one fit, as a user calls it)
        if res["m"] is not None:
            m_fit = int(math.ceil(res["m"]))
            if name == REF:
                t_fit, info = ref.time_s, {}
                res["time_note"] = (f"time = pool build (exact tau of {ref.pool_size:,} candidates = "
                                    f"{ref.pool_size / max(4 * m_fit, 2048):.0f}x the default pool at this m)")
            else:
                try:
                    sp = {"max_proposals": REJECTION_MAX_PROPOSALS} if name == "rejection" else None
                    t_fit, rf = timed(lambda: RandomFeatures(kname, m_fit, kernel_params=kparams, sampler=name,
                                                             alpha=alpha, sampler_params=sp, random_state=0).fit(X))
                    info = {**rf.sampler_info_, "_m": m_fit}
                except (ValueError, RuntimeError) as exc:
                    t_fit, info = float("nan"), {}
                    res["note"] += f" timing fit refused: {str(exc).split(';')[0]}"
            res["time_s"], res["info"] = t_fit, info
        results[name] = res
    return {
        "case": cname, "target": target, "alpha": alpha, "s_lambda": s_lam, "profile": prof,
        "results": results, "check": check, "time_s": time.perf_counter() - t0, "ref_pool": ref.pool_size,
        "n_dense": meter.n_dense,
    }


def fmt_m(r):
    return "-" if r.get("m") is None else f"{r['m']:.0f}"


def case_rows(out):
    res = out["results"]
    m_cl = res["classical"].get("m")
    m_ref = res[REF].get("m")
    rows = []
    for name in [REF] + SAMPLERS:
        r = res[name]
        m = r.get("m")
        br = r.get("bracket")
        rows.append({
            "sampler": name,
            "m for median eps <= 0.5": fmt_m(r),
            "bracket (m: median eps)": "" if not br else f"{br[0]}: {br[1]:.3f} / {br[2]}: {br[3]:.3f}",
            "classical / sampler": "-" if (m is None or m_cl is None) else f"{m_cl / m:.2f}",
            "sampler / reference": "-" if (m is None or m_ref is None) else f"{m / m_ref:.2f}",
            "fit time at m (s)": "-" if m is None else f"{r['time_s']:.3g}",
            "notes": "; ".join(x for x in [r.get("note", "").strip(), r.get("time_note", ""),
                                          fit_note(name, r.get("info", {}))] if x),
        })
    return rows


def case_report(o):
    cols = ["sampler", "m for median eps <= 0.5", "bracket (m: median eps)", "classical / sampler",
            "sampler / reference", "fit time at m (s)", "notes"]
    return "\n".join([
        f"### {o['case']}, s_lambda = {o['s_lambda']:.1f} (alpha = {o['alpha']:.4g})\n",
        f"leverage_profile: sup tau / s_lambda = {o['profile'].sup_ratio:.3g}; {o['profile'].verdict}",
        f"error check vs levrf.spectral_error: max abs difference {o['check']:.1e}; "
        f"dense fallbacks {o['n_dense']}; case time {o['time_s']:.0f} s\n",
        md_table(case_rows(o), cols) + "\n",
    ])


def summary_rows(outs):
    rows = []
    for o in outs:
        res = o["results"]
        m_cl, m_lev, m_ref = (res[k].get("m") for k in ("classical", "leverage", REF))
        p = o["profile"]
        ratio = (m_cl / m_lev) if (m_cl and m_lev) else None
        rows.append({
            "case": o["case"],
            "s_lambda": f"{o['s_lambda']:.1f}",
            "alpha": f"{o['alpha']:.3g}",
            "profile sup tau / s_lambda": f"{p.sup_ratio:.3g}",
            "profile verdict": p.verdict.split(":")[0],
            "measured classical / leverage": "-" if ratio is None else f"{ratio:.2f}",
            "leverage / reference": "-" if not (m_lev and m_ref) else f"{m_lev / m_ref:.2f}",
            "leverage < classical": "-" if ratio is None else ("yes" if ratio > 1 else "no"),
        })
    return rows


# ------------------------------------------------------------------ large n
def scale_part(args, log):
    n, d, m = args.scale_n, 32, 2048
    rng = np.random.default_rng(0)
    X = rng.standard_normal((n, d))
    y = np.sin(X[:, 0]) + 0.5 * X[:, 1] * X[:, 2] + 0.1 * rng.standard_normal(n)
    bw = median_distance(X[:2000])
    kp = {"bandwidth": bw}
    log(f"\n== large n: n = {n:,}, d = {d}, m = {m:,} (D = {2 * m:,} columns), gaussian bandwidth {bw:.3f}, "
        f"ridge alpha = {args.scale_alpha:g}")
    t_ridge, est = timed(lambda: levrf.RandomFeatureRidge("gaussian", m, alpha=args.scale_alpha, kernel_params=kp,
                                                          sampler="classical", random_state=0).fit(X, y))
    samp_alpha = float(est.sampling_alpha_)
    log(f"  RandomFeatureRidge(classical).fit: {t_ridge:.1f} s (solver {est.solver_}; its sampling_alpha_ "
        f"{samp_alpha:.4g}, estimated s_lambda there {est.statistical_dimension_:.0f})")
    rows = [{"what": "RandomFeatureRidge(classical).fit(X, y)", "params": f"alpha={args.scale_alpha:g}",
             "time (s)": f"{t_ridge:.1f}", "/ ridge fit": "1.00", "notes": f"solver {est.solver_}"}]
    variants = [("defaults", None)] if not args.scale_variants else [
        ("defaults", None),
        ("m0=256, n_stages=1", {"m0": 256, "n_stages": 1}),
        ("m0=256, n_stages=2", {"m0": 256, "n_stages": 2}),
    ]
    for label, params in variants:
        t, rf = timed(lambda: RandomFeatures("gaussian", m, kernel_params=kp, sampler="approx-pool",
                                             alpha=samp_alpha, sampler_params=params, random_state=0).fit(X))
        info = rf.sampler_info_
        log(f"  approx-pool ({label}): {t:.1f} s = {t / t_ridge:.2f} x the ridge fit; pool {info['pool_size']}, "
            f"m0 {info['m0']}, rank {info['rank']}, stages {info['n_stages']}, passes {info['n_passes']}"
            + ("; pilot warning" if "warning" in info else ""))
        rows.append({"what": f"RandomFeatures(approx-pool).fit(X) [{label}]", "params": f"alpha={samp_alpha:.4g}",
                     "time (s)": f"{t:.1f}", "/ ridge fit": f"{t / t_ridge:.2f}",
                     "notes": f"pool {info['pool_size']}, m0 {info['m0']}, rank {info['rank']}, "
                              f"stages {info['n_stages']}, passes {info['n_passes']}"
                              + ("; pilot warning" if "warning" in info else "")})
    return rows


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--no-scale", action="store_true", help="skip the n = 200,000 cost comparison")
    ap.add_argument("--scale-only", action="store_true")
    ap.add_argument("--scale-n", type=int, default=200_000)
    ap.add_argument("--scale-alpha", type=float, default=1e-2)
    ap.add_argument("--scale-variants", action="store_true", help="also time cheaper approx-pool settings")
    ap.add_argument("--threads", type=int, default=1, help="BLAS threads (default 1: shared machine)")
    ap.add_argument("--seeds", type=int, default=None, help="seeds per m (default 10; 3 with --quick)")
    ap.add_argument("--cases", default="all", help="comma-separated indices into [digits/ntk, digits/gaussian, diamonds]")
    args = ap.parse_args()
    args.seeds = args.seeds or (3 if args.quick else 10)
    args.targets = (50,) if args.quick else (50, 200)
    args.ref_pool = {50: 16_384, 200: 32_768} if args.quick else {50: 65_536, 200: 131_072}
    run_scale = not args.no_scale and (args.scale_only or not args.quick)

    os.makedirs(RESULTS, exist_ok=True)
    name = "samplers_scale" if args.scale_only else ("samplers_quick" if args.quick else "samplers")
    path = os.path.join(RESULTS, name + ".md")
    lines = []

    def log(s=""):
        print(s, flush=True)
        lines.append(s)

    t_start = time.perf_counter()
    with threadpool_limits(args.threads):
        peak = gemm_gflops()
        log(f"# Samplers: features for spectral error <= {EPS} (issue #3)\n")
        log(f"command: .venv/bin/python benchmarks/bench_samplers.py {' '.join(sys.argv[1:])}".rstrip())
        log(f"levrf {levrf.__version__}; BLAS threads {args.threads}; GEMM ceiling (float64, 2048^3, same run) "
            f"{peak:.1f} GFLOP/s; load average at start {os.getloadavg()[0]:.2f}")
        log(f"seeds per m: {args.seeds}; targets s_lambda: {args.targets}; reference pool (per target): "
            f"{args.ref_pool} candidates (default exact-pool pool: max(4m, 2048); 'leverage' default pool: max(16m, 8192)); "
            f"m grid round(8 * sqrt(2)^k) up to {grid_m(M_CAP_K)}; 'rejection' with max_proposals="
            f"{REJECTION_MAX_PROPOSALS:,} (default 200,000) to bound the run time; other samplers at their defaults")
        outs = []
        if not args.scale_only:
            cases = load_cases()
            if args.cases != "all":
                cases = [cases[int(i)] for i in args.cases.split(",")]
            for case in cases:
                for target in args.targets:
                    out = run_case(case, target, args, log)
                    outs.append(out)
                    log(f"  case time {out['time_s']:.0f} s\n")
                    log(case_report(out))
                    with open(path, "w") as f:  # partial results as they come
                        f.write("\n".join(lines) + "\n")
        scale_rows = scale_part(args, log) if run_scale else None
    total = time.perf_counter() - t_start

    log("\n## Results\n")
    for o in outs:
        log(case_report(o))
    if outs:
        log("### Summary: leverage_profile's prediction against the measured ratio\n")
        log(md_table(summary_rows(outs), ["case", "s_lambda", "alpha", "profile sup tau / s_lambda",
                                          "profile verdict", "measured classical / leverage",
                                          "leverage / reference", "leverage < classical"]) + "\n")
    if scale_rows:
        log("### approx-pool sampling cost against one ridge fit\n")
        log(md_table(scale_rows, ["what", "params", "time (s)", "/ ridge fit", "notes"]) + "\n")
    log(f"total wall time {total:.0f} s; load average at end {os.getloadavg()[0]:.2f}")
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
