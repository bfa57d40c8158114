"""Shared benchmark helpers: the machine's GEMM ceiling, measured in the same run."""

from __future__ import annotations

import time

import numpy as np


def gemm_gflops(n: int = 2048, dtype=np.float64, repeats: int = 3) -> float:
    """Best-of-``repeats`` GFLOP/s of an n x n x n matrix product (2 n^3 flops)."""
    rng = np.random.default_rng(0)
    A, B = rng.standard_normal((n, n)).astype(dtype), rng.standard_normal((n, n)).astype(dtype)
    A @ B
    best = np.inf
    for _ in range(repeats):
        t0 = time.perf_counter()
        A @ B
        best = min(best, time.perf_counter() - t0)
    return 2 * n**3 / best / 1e9


def timed(fn, repeats: int = 1):
    """Best wall time of ``fn()`` over ``repeats`` calls and its last result."""
    best, out = np.inf, None
    for _ in range(repeats):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return best, out
