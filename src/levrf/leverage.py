"""Ridge leverage function, statistical dimension and spectral error (MATH.md sections 3-4)."""

from __future__ import annotations

import math

import numpy as np
from scipy import linalg

from ._validation import check_alpha, check_int, check_matrix, check_positive, check_square_psd
from .kernels import get_kernel
from .kernels.base import GRAM_CHUNK


def _regularized_cholesky(K: np.ndarray, alpha: float) -> np.ndarray:
    """Lower Cholesky factor of ``K + alpha I``; clear error if it is not positive definite."""
    A = K.copy()
    A.flat[:: A.shape[0] + 1] += alpha
    try:
        return linalg.cholesky(A, lower=True, check_finite=False)
    except linalg.LinAlgError:
        raise ValueError(
            f"K + alpha I is not positive definite at alpha={alpha:g}: K is not a valid "
            f"(positive semi-definite) kernel matrix, or alpha is far below its rounding "
            f"level; increase alpha."
        ) from None


def statistical_dimension(K, alpha):
    """Statistical dimension ``s_lambda = tr[K (K + lambda I)^{-1}]`` (MATH.md section 3).

    Parameters
    ----------
    K : array of shape (n, n)
        Symmetric positive semi-definite kernel matrix.
    alpha : float or array of shape (k,)
        Ridge regularization(s) ``lambda > 0``.

    Returns
    -------
    float, or array of shape (k,) when ``alpha`` is an array.
    """
    K = check_square_psd(K)
    alphas = np.atleast_1d(np.asarray(alpha, dtype=object))
    vals = np.array([check_alpha(a) for a in alphas])
    eig = np.clip(linalg.eigvalsh(K, check_finite=False), 0.0, None)
    s = np.array([np.sum(eig / (eig + a)) for a in vals])
    return float(s[0]) if np.ndim(alpha) == 0 else s


def ridge_leverage(kernel, X, W, alpha, *, kernel_params: dict | None = None, K=None) -> np.ndarray:
    """Exact ridge leverage ``tau_lambda(w) = tr[Phi(w)^T (K + lambda I)^{-1} Phi(w)]`` (MATH.md 3).

    For first-layer NTK (step) and order-0 arc-cosine features the shortcut of
    MATH.md 5.5 is used: ``tau = rowsum((S B) o S)`` with ``S = 1[W X^T >= 0]``
    (M, n) and ``B = (K + lambda I)^{-1} o X X^T`` (one GEMM per chunk).

    Parameters
    ----------
    kernel : str or Kernel
    X : array of shape (n, d)
    W : array of shape (M, d)
        Candidate weights.
    alpha : float
        Regularization ``lambda > 0``.
    kernel_params : dict, optional
    K : array of shape (n, n), optional
        Precomputed exact Gram of ``X`` (computed if omitted).

    Returns
    -------
    tau : array of shape (M,)
    """
    kern = get_kernel(kernel, kernel_params)
    X = check_matrix(X, "X", dtype=np.float64)
    W = check_matrix(W, "W", dtype=np.float64)
    if W.shape[1] != X.shape[1]:
        raise ValueError(f"W has {W.shape[1]} columns but X has {X.shape[1]} features; they must match.")
    alpha = check_alpha(alpha)
    n = X.shape[0]
    if K is None:
        K = kern.gram(X)
    else:
        K = check_square_psd(K)
        if K.shape[0] != n:
            raise ValueError(f"K has shape {K.shape} but X has {n} rows; pass the Gram of X.")
    L = _regularized_cholesky(K, alpha)
    tau = np.empty(W.shape[0])
    if kern.family in ("step", "sign"):
        A = linalg.cho_solve((L, True), np.eye(n), check_finite=False)
        B = A * (X @ X.T) if kern.family == "step" else A
        for s in range(0, W.shape[0], GRAM_CHUNK):
            S = (W[s : s + GRAM_CHUNK] @ X.T >= 0).astype(np.float64)
            tau[s : s + GRAM_CHUNK] = np.einsum("mi,mi->m", S @ B, S)
        return tau
    chunk = max(1, GRAM_CHUNK // max(1, kern.output_dim(X.shape[1])))
    for s in range(0, W.shape[0], chunk):
        Wc = W[s : s + chunk]
        mc = Wc.shape[0]
        P = kern.feature_matrix(X, Wc) * np.sqrt(mc)  # (n, d2 * mc), unscaled phi
        V = linalg.solve_triangular(L, P, lower=True, check_finite=False)
        colsq = np.einsum("ij,ij->j", V, V)
        tau[s : s + mc] = colsq.reshape(-1, mc).sum(axis=0)
    return tau


def spectral_error(K, Z, alpha) -> float:
    """Smallest ``eps`` with ``(1-eps)(K+lambda I) <= Z Z^T + lambda I <= (1+eps)(K+lambda I)``.

    ``eps = max |eig((K + lambda I)^{-1/2} (Z Z^T - K) (K + lambda I)^{-1/2})|`` (MATH.md 4),
    computed with a Cholesky factor ``L`` (``L^{-1} E L^{-T}`` is similar to that matrix).

    Parameters
    ----------
    K : array of shape (n, n)
    Z : array of shape (n, D)
        Random-feature matrix (e.g. ``RandomFeatures.transform(X)``).
    alpha : float
    """
    K = check_square_psd(K)
    Z = check_matrix(Z, "Z", dtype=np.float64)
    if Z.shape[0] != K.shape[0]:
        raise ValueError(f"Z has {Z.shape[0]} rows but K is {K.shape[0]} x {K.shape[0]}; they must match.")
    alpha = check_alpha(alpha)
    L = _regularized_cholesky(K, alpha)
    V = linalg.solve_triangular(L, Z, lower=True, check_finite=False)
    M = linalg.solve_triangular(L, K, lower=True, check_finite=False)
    M = linalg.solve_triangular(L, M.T, lower=True, check_finite=False)
    E = V @ V.T - M
    E = 0.5 * (E + E.T)
    eig = linalg.eigvalsh(E, check_finite=False)
    return float(np.max(np.abs(eig)))


def feature_bound(eps: float, delta: float, s_q: float, s_lambda: float) -> int:
    """Number of features the guarantee of MATH.md section 4 asks for.

    ``m = ceil((8/3) eps^-2 s_q ln(16 s_lambda / delta))`` for ``0 < eps <= 1/2``,
    ``0 < delta < 1``; ``s_q`` is ``s_qt`` of the sampling density (``= s_lambda``
    for exact leverage sampling, ``sup tau`` for classical sampling).
    """
    eps = check_positive(eps, "eps")
    if eps > 0.5:
        raise ValueError(f"eps must be in (0, 1/2] for the guarantee to apply, got {eps}.")
    delta = check_positive(delta, "delta")
    if delta >= 1:
        raise ValueError(f"delta must be in (0, 1), got {delta}.")
    s_q = check_positive(s_q, "s_q")
    s_lambda = check_positive(s_lambda, "s_lambda")
    return int(math.ceil((8.0 / 3.0) / eps**2 * s_q * math.log(16.0 * s_lambda / delta)))
