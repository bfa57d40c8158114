"""Chunked Gram assembly shared by the closed-form kernels."""

from __future__ import annotations

import numpy as np

from .._validation import check_matrix
from .base import GRAM_CHUNK


def validate_pair(X, Y):
    """Validate ``X`` and optional ``Y``; return float64 arrays and whether Y is X."""
    X = check_matrix(X, "X", dtype=np.float64)
    if Y is None:
        return X, X, True
    Y = check_matrix(Y, "Y", dtype=np.float64)
    if Y.shape[1] != X.shape[1]:
        raise ValueError(f"X has {X.shape[1]} features but Y has {Y.shape[1]}; they must match.")
    return X, Y, False


def chunked_gram(X, Y, block, symmetric: bool, chunk: int = GRAM_CHUNK) -> np.ndarray:
    """Fill ``K[i0:i1] = block(X[i0:i1], Y)`` into one preallocated (n, n') output.

    Scratch memory is O(chunk * n') on top of the output. ``symmetric`` forces
    an exactly symmetric result (rounding in GEMM can break symmetry).
    """
    n = X.shape[0]
    out = np.empty((n, Y.shape[0]), dtype=np.float64)
    for start in range(0, n, chunk):
        stop = min(start + chunk, n)
        out[start:stop] = block(X[start:stop], Y)
    if symmetric:
        # average in place, block by block, to keep scratch O(chunk * n)
        for start in range(0, n, chunk):
            stop = min(start + chunk, n)
            sub = 0.5 * (out[start:stop, start:] + out[start:, start:stop].T)
            out[start:stop, start:] = sub
            out[start:, start:stop] = sub.T
    return out


def cosines(Xb, Y, nx, ny, gram_block):
    """Return the clipped cosine matrix and the inner products for a row block.

    Zero vectors get cosine 0 (theta = pi/2); kernels that need a different
    convention at zero handle it themselves.
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        denom = np.outer(nx, ny)
        cos = np.where(denom > 0, gram_block / np.where(denom > 0, denom, 1.0), 0.0)
    np.clip(cos, -1.0, 1.0, out=cos)
    return cos
