"""Foundation timings: exact NTK Gram at n = 10,000 (d = 64) and transform at n = 100,000, m = 1,024.

Run: ``.venv/bin/python benchmarks/bench_foundation.py``. Prints times, the
fraction of the machine's GEMM rate, and scikit-learn's ``RBFSampler`` at
equal feature count for comparison.
"""

from __future__ import annotations

import numpy as np
from _common import gemm_gflops, timed
from sklearn.kernel_approximation import RBFSampler
from sklearn.metrics.pairwise import rbf_kernel

import levrf
from levrf.kernels import NTK, Gaussian


def _independent_mc(name, X, rng, m):
    """(m, n, d2) feature values drawn by hand (scipy/numpy, not the library's sampler)."""
    from scipy import stats

    n, d = X.shape
    if name in ("gaussian", "laplacian"):
        W = rng.normal(0, 1 / 1.3, (m, d)) if name == "gaussian" else stats.cauchy(scale=0.5).rvs((m, d), random_state=rng)
        T = W @ X.T
        return np.stack([np.cos(T), np.sin(T)], axis=2)
    T = rng.standard_normal((m, d)) @ X.T
    step = (T >= 0).astype(float)
    if name == "arccos0":
        return step[:, :, None]
    if name == "arccos1":
        return np.maximum(T, 0)[:, :, None]
    first = step[:, :, None] * X[None, :, :]
    return first if name == "ntk" else np.concatenate([first, np.maximum(T, 0)[:, :, None]], axis=2)


def _closed_form(name, X):
    """MATH.md section 1's table, entry by entry in plain Python loops."""
    n = len(X)
    K = np.empty((n, n))
    for i in range(n):
        for j in range(n):
            x, z = X[i], X[j]
            if name == "gaussian":
                K[i, j] = np.exp(-np.sum((x - z) ** 2) / (2 * 1.3**2))
                continue
            if name == "laplacian":
                K[i, j] = np.exp(-np.sum(np.abs(x - z)) / 2.0)
                continue
            nx, nz = np.linalg.norm(x), np.linalg.norm(z)
            th = np.arccos(np.clip(x @ z / (nx * nz), -1, 1))
            a0 = (np.pi - th) / (2 * np.pi)
            a1 = nx * nz * (np.sin(th) + (np.pi - th) * np.cos(th)) / (2 * np.pi)
            K[i, j] = {"arccos0": a0, "arccos1": a1, "ntk": (x @ z) * a0, "ntk-full": (x @ z) * a0 + a1}[name]
    return K


def accuracy():
    """Each kernel's exact Gram against its independent references (the issue's closing-note numbers)."""
    from sklearn.metrics.pairwise import laplacian_kernel

    from levrf.kernels import get_kernel

    rng = np.random.default_rng(0)
    X = rng.standard_normal((12, 3))
    params = {"gaussian": {"bandwidth": 1.3}, "laplacian": {"scale": 2.0}}
    print("\nkernel      max|K - closed form|  max|K - MC| (MC draws 200k)  max |K-MC|/SE  max|K - scikit-learn|")
    for name in ("gaussian", "laplacian", "arccos0", "arccos1", "ntk", "ntk-full"):
        K = get_kernel(name, params.get(name)).gram(X)
        P = _independent_mc(name, X, rng, 200_000)
        vals = np.einsum("mik,mjk->ij", P, P) / len(P)
        sq = np.einsum("mik,mjk->mij", P[:20_000], P[:20_000]).std(0) / np.sqrt(len(P))
        sk = {"gaussian": rbf_kernel(X, gamma=0.5 / 1.3**2), "laplacian": laplacian_kernel(X, gamma=0.5)}.get(name)
        sk_err = f"{np.abs(K - sk).max():.1e}" if sk is not None else "n/a"
        print(f"{name:<10} {np.abs(K - _closed_form(name, X)).max():20.1e}  {np.abs(K - vals).max():26.1e}  "
              f"{(np.abs(K - vals) / np.maximum(sq, 1e-15)).max():13.2f}  {sk_err:>20}")


def main():
    accuracy()
    peak = gemm_gflops()
    print(f"machine GEMM (float64, 2048^3): {peak:.1f} GFLOP/s")
    rng = np.random.default_rng(0)

    X = rng.standard_normal((10_000, 64))
    t, _ = timed(lambda: NTK().gram(X), repeats=3)
    flops = 2 * 10_000**2 * 64
    print(f"NTK gram n=10,000 d=64: {t:.2f} s  (GEMM part {flops / t / 1e9:.1f} GFLOP/s, {flops / t / 1e9 / peak:.0%} of GEMM)")
    t_g, _ = timed(lambda: Gaussian(8.0).gram(X), repeats=3)
    t_sk, _ = timed(lambda: rbf_kernel(X, gamma=1 / 128), repeats=3)
    print(f"Gaussian gram n=10,000 d=64: {t_g:.2f} s; scikit-learn rbf_kernel {t_sk:.2f} s; ratio {t_g / t_sk:.2f}")

    X = rng.standard_normal((100_000, 32))
    for name in ("gaussian", "arccos1"):
        rf = levrf.RandomFeatures(name, 1024, kernel_params={"bandwidth": 6.0} if name == "gaussian" else None, random_state=0).fit(X)
        t, Z = timed(lambda: rf.transform(X), repeats=2)
        print(f"transform {name} n=100,000 d=32 m=1,024 -> {Z.shape}: {t:.2f} s")
        del Z
    sk = RBFSampler(gamma=1 / 72, n_components=2048, random_state=0).fit(X)
    t_sk, Z = timed(lambda: sk.transform(X), repeats=2)
    print(f"scikit-learn RBFSampler(2048 columns) transform: {t_sk:.2f} s (levrf gaussian has the same 2048 columns)")


if __name__ == "__main__":
    main()
