"""Chunked, threaded Gram assembly shared by the closed-form kernels."""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor

import numpy as np
from threadpoolctl import threadpool_limits

from .._validation import check_matrix

#: target entries per block (rows * columns): 2^22 float64 = 32 MiB of scratch per temporary
BLOCK_ENTRIES = 2**22


def validate_pair(X, Y):
    """Validate ``X`` and optional ``Y``; return float64 arrays and whether Y is X."""
    X = check_matrix(X, "X", dtype=np.float64)
    if Y is None:
        return X, X, True
    Y = check_matrix(Y, "Y", dtype=np.float64)
    if Y.shape[1] != X.shape[1]:
        raise ValueError(f"X has {X.shape[1]} features but Y has {Y.shape[1]}; they must match.")
    return X, Y, False


def chunked_gram(n: int, n2: int, block, symmetric: bool, chunk: int | None = None) -> np.ndarray:
    """Assemble an (n, n2) Gram from ``block(rows, cols) -> K[rows, cols]`` (slices).

    Row blocks run on all cores in threads (numpy's elementwise functions
    release the GIL; BLAS is limited to one thread meanwhile). Scratch memory
    is O(chunk * n2) per thread on top of the output. With ``symmetric`` only
    the upper block triangle is computed and mirrored, so the result is
    exactly symmetric and costs half.
    """
    if chunk is None:
        chunk = int(max(16, min(4096, BLOCK_ENTRIES // max(n2, 1))))
    out = np.empty((n, n2), dtype=np.float64)

    def run(start):
        stop = min(start + chunk, n)
        c0 = start if symmetric else 0
        B = block(slice(start, stop), slice(c0, n2))
        if symmetric:
            h = stop - start
            D = B[:, :h]
            out[start:stop, start:stop] = 0.5 * (D + D.T)
            out[start:stop, stop:] = B[:, h:]
            out[stop:, start:stop] = B[:, h:].T
        else:
            out[start:stop] = B

    starts = list(range(0, n, chunk))
    workers = min(len(starts), os.cpu_count() or 1)
    if workers <= 1:
        for s in starts:
            run(s)
    else:
        with threadpool_limits(limits=1, user_api="blas"), ThreadPoolExecutor(workers) as pool:
            list(pool.map(run, starts))
    return out


def cosines(dots, nx, ny):
    """Clipped cosine matrix from inner products and norms; zero vectors get cosine 0."""
    denom = np.outer(nx, ny)
    pos = denom > 0
    cos = np.divide(dots, denom, out=np.zeros_like(dots), where=pos)
    np.clip(cos, -1.0, 1.0, out=cos)
    return cos
