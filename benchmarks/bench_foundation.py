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


def main():
    peak = gemm_gflops()
    print(f"machine GEMM (float64, 2048^3): {peak:.1f} GFLOP/s")
    rng = np.random.default_rng(0)

    X = rng.standard_normal((10_000, 64))
    t, _ = timed(lambda: NTK().gram(X))
    flops = 2 * 10_000**2 * 64
    print(f"NTK gram n=10,000 d=64: {t:.2f} s  (GEMM part {flops / t / 1e9:.1f} GFLOP/s, {flops / t / 1e9 / peak:.0%} of GEMM)")
    t_g, _ = timed(lambda: Gaussian(8.0).gram(X))
    t_sk, _ = timed(lambda: rbf_kernel(X, gamma=1 / 128))
    print(f"Gaussian gram n=10,000 d=64: {t_g:.2f} s; scikit-learn rbf_kernel {t_sk:.2f} s; ratio {t_g / t_sk:.2f}")

    X = rng.standard_normal((100_000, 32))
    for name in ("gaussian", "arccos1"):
        rf = levrf.RandomFeatures(name, 1024, kernel_params={"bandwidth": 6.0} if name == "gaussian" else None, random_state=0).fit(X)
        t, Z = timed(lambda: rf.transform(X))
        print(f"transform {name} n=100,000 d=32 m=1,024 -> {Z.shape}: {t:.2f} s")
        del Z
    sk = RBFSampler(gamma=1 / 72, n_components=2048, random_state=0).fit(X)
    t_sk, Z = timed(lambda: sk.transform(X))
    print(f"scikit-learn RBFSampler(2048 columns) transform: {t_sk:.2f} s (levrf gaussian has the same 2048 columns)")


if __name__ == "__main__":
    main()
