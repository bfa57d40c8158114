"""Linear algebra behind ``RandomFeatureRidge`` (MATH.md sections 5.6 and 6).

* :class:`NormalEquations`: a picklable row-block reducer giving the sufficient
  statistics ``(Z^T Z, Z^T Y, sum Y^2)`` of a block of rows, the features being
  computed in threads over row sub-blocks (``np.cos``/``np.sin`` run on one core
  each) and ``Z^T Z`` accumulated by a symmetric rank-k update (BLAS ``syrk``).
  Used through :func:`levrf._chunks.row_reduce`, so it runs on numpy, memory-mapped
  and dask arrays alike and the n x D feature matrix never exists.
* Primal solves: Cholesky of ``Z^T Z + alpha I`` with a clear error when it is
  numerically singular, and the generalized cross-validation (GCV) path over
  a list of ``alpha`` from one eigendecomposition.
* Dual solves on the approximate kernel ``Ktilde = Z Z^T`` (MATH.md section 6),
  with the Hadamard form ``(X X^T) o (S diag(c^2/m) S^T)`` for first-layer NTK
  features (``S = 1[X W >= 0]``), which costs ``O(n^2 (m + d))`` instead of ``O(n^2 m d)``.
* :func:`sampling_lambda`: ``lambda_m`` of MATH.md 5.6 by bisection on a spectrum estimate.
"""

from __future__ import annotations

import math
import os
from concurrent.futures import ThreadPoolExecutor

import numpy as np
from scipy import linalg
from scipy.linalg import blas, lapack

#: entries of one block of features in the dual/prediction passes (keeps scratch memory bounded)
BLOCK_ENTRIES = 2**22


def available_threads() -> int:
    """CPU cores this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def _syrk(dtype):
    return blas.dsyrk if dtype == np.float64 else blas.ssyrk


def _features(kernel, X, W, scales):
    return kernel.feature_matrix(X, W, scales)


def iter_feature_blocks(kernel, W, scales, X, batch_size: int, n_threads: int):
    """Yield ``(start, stop, Z[start:stop])`` over row blocks of ``X`` in order.

    With ``n_threads > 1`` up to ``n_threads`` blocks are computed ahead in a
    thread pool (numpy's ufuncs release the GIL), so the caller's work on one
    block overlaps the feature computation of the next ones.
    """
    n = X.shape[0]
    starts = list(range(0, n, batch_size))
    if n_threads <= 1 or len(starts) <= 1:
        for s in starts:
            yield s, min(n, s + batch_size), _features(kernel, np.asarray(X[s : s + batch_size]), W, scales)
        return
    with ThreadPoolExecutor(max_workers=n_threads) as pool:
        pending = []
        nxt = 0
        while nxt < len(starts) and len(pending) < n_threads:
            s = starts[nxt]
            pending.append((s, pool.submit(_features, kernel, np.asarray(X[s : s + batch_size]), W, scales)))
            nxt += 1
        while pending:
            s, fut = pending.pop(0)
            Z = fut.result()
            if nxt < len(starts):
                s2 = starts[nxt]
                pending.append((s2, pool.submit(_features, kernel, np.asarray(X[s2 : s2 + batch_size]), W, scales)))
                nxt += 1
            yield s, min(n, s + batch_size), Z


class NormalEquations:
    """Row-block reducer ``(X_b, Y_b) -> (G, B, yy)`` for :func:`levrf._chunks.row_reduce`.

    ``G`` (D, D) float64 holds the upper triangle of ``Z_b^T Z_b`` (the strict
    lower triangle is zero; call :func:`symmetrize` on the total), ``B = Z_b^T Y_b``
    (D, k) and ``yy = sum_i Y_b[i]^2`` (k,), all float64. The features are those of
    MATH.md section 2 in the dtype of ``X_b``; float32 blocks are multiplied in
    float32 (``ssyrk``) and summed into the float64 totals block by block.

    Parameters
    ----------
    kernel : Kernel
    W : ndarray of shape (m, d)
    scales : ndarray of shape (m,)
    batch_size : int
        Rows per feature block (scratch memory ``O(batch_size * D)`` per thread).
    n_threads : int
        Threads computing feature blocks ahead of the rank-k updates.
    check_finite : bool
        Raise a ``ValueError`` on NaN or infinity in ``X_b``/``Y_b`` (dask input
        is only seen block by block).
    progress : tqdm-like or None
        ``update(rows)`` is called after each block (numpy input only: not pickled).
    """

    def __init__(self, kernel, W, scales, batch_size, n_threads=1, check_finite=False, progress=None):
        self.kernel = kernel
        self.W = W
        self.scales = scales
        self.batch_size = int(batch_size)
        self.n_threads = int(n_threads)
        self.check_finite = check_finite
        self.progress = progress

    def __getstate__(self):
        state = dict(self.__dict__)
        state["progress"] = None
        return state

    def __call__(self, X, Y):
        X = np.asarray(X)
        if X.dtype not in (np.float32, np.float64):
            X = X.astype(np.float64)
        Y = np.asarray(Y, dtype=np.float64)
        if Y.ndim == 1:
            Y = Y[:, None]
        if self.check_finite and not (np.all(np.isfinite(X)) and np.all(np.isfinite(Y))):
            raise ValueError("Input X or y contains NaN or infinity; clean or impute the data first.")
        D = self.W.shape[0] * self.kernel.output_dim(X.shape[1])
        G = np.zeros((D, D), order="F")
        B = np.zeros((D, Y.shape[1]))
        yy = np.einsum("ij,ij->j", Y, Y)
        scratch = None if X.dtype == np.float64 else np.zeros((D, D), dtype=X.dtype, order="F")
        syrk = _syrk(X.dtype)
        for s, e, Z in iter_feature_blocks(self.kernel, self.W, self.scales, X, self.batch_size, self.n_threads):
            if scratch is None:  # float64: G += Z^T Z in place (upper triangle)
                syrk(1.0, Z.T, beta=1.0, c=G, trans=0, lower=0, overwrite_c=1)
            else:  # float32 block product, float64 running sum
                syrk(1.0, Z.T, beta=0.0, c=scratch, trans=0, lower=0, overwrite_c=1)
                G += scratch
            B += Z.T @ Y[s:e].astype(Z.dtype, copy=False)
            if self.progress is not None:
                self.progress.update(e - s)
        return G, B, yy


def symmetrize(G_upper: np.ndarray) -> np.ndarray:
    """Full symmetric matrix from one whose upper triangle holds the values (lower is zero)."""
    G = G_upper + G_upper.T
    G.flat[:: G.shape[0] + 1] *= 0.5
    return np.ascontiguousarray(G)


def _singular_error(what: str, alpha: float, scale: float, hint: str) -> ValueError:
    return ValueError(
        f"{what} + alpha I is numerically singular at alpha={alpha:g} (its largest eigenvalue is "
        f"about {scale:.3g}): raise alpha to at least {max(scale, 1.0) * 1e-10:.3g}, {hint}"
    )


def cholesky_solve(A: np.ndarray, B: np.ndarray, alpha: float, what: str, hint: str) -> np.ndarray:
    """Solve ``(A + alpha I) X = B`` by Cholesky; ``ValueError`` with a suggestion if singular.

    Singular means the factorization fails or LAPACK's reciprocal condition
    estimate (``pocon``) is below ``size * eps``.
    """
    M = A.copy()
    M.flat[:: M.shape[0] + 1] += alpha
    anorm = float(np.abs(M).sum(axis=0).max())
    try:
        c, low = linalg.cho_factor(M, lower=False, overwrite_a=True, check_finite=False)
    except linalg.LinAlgError:
        raise _singular_error(what, alpha, anorm, hint) from None
    rcond, info = lapack.dpocon(c, anorm, uplo="U")
    if info != 0 or not np.isfinite(rcond) or rcond < M.shape[0] * np.finfo(np.float64).eps:
        raise _singular_error(what, alpha, anorm, hint)
    return linalg.cho_solve((c, low), B, check_finite=False)


def gcv_scores(n: int, rss: np.ndarray, df: np.ndarray, n_outputs: int) -> np.ndarray:
    """``GCV(alpha) = (RSS / (n k)) / (1 - df / n)^2`` (k outputs), ``inf`` where ``df >= n``."""
    denom = 1.0 - df / n
    out = np.full(rss.shape, np.inf)
    ok = denom > 1e-12
    out[ok] = rss[ok] / (n * n_outputs) / denom[ok] ** 2
    return out


def primal_eigen(G: np.ndarray, B: np.ndarray):
    """``Z^T Z = V diag(s) V^T`` and ``C = V^T Z^T Y``: everything an alpha path needs (MATH.md 6)."""
    s, V = linalg.eigh(G, driver="evd", check_finite=False)
    s = np.clip(s, 0.0, None)
    return s, V, V.T @ B


def primal_gcv(s: np.ndarray, C: np.ndarray, yy: np.ndarray, n: int, alphas: np.ndarray) -> np.ndarray:
    """GCV scores over ``alphas`` from the eigendecomposition of ``Z^T Z``.

    With ``beta(a) = V diag(1/(s+a)) c``: the residual sum of squares
    ``RSS(a) = |Y|^2 - sum_j c_j^2 (s_j + 2a) / (s_j + a)^2`` and the degrees of freedom
    ``df(a) = tr[Z (Z^T Z + a I)^{-1} Z^T] = sum_j s_j / (s_j + a)``.
    """
    C2 = np.einsum("jk,jk->j", C, C)
    rss = np.empty(alphas.size)
    df = np.empty(alphas.size)
    for i, a in enumerate(alphas):
        f = 1.0 / (s + a)
        df[i] = np.sum(s * f)
        rss[i] = max(float(yy.sum() - np.sum(C2 * (s + 2 * a) * f * f)), 0.0)
    return gcv_scores(n, rss, df, C.shape[1])


class LeaveOneOut:
    """Row-block reducer: sums of squared exact leave-one-out residuals for each alpha (MATH.md 6).

    For a linear smoother the leave-one-out residual is ``e_i / (1 - h_ii)`` with
    ``e = Y - Z beta(a)`` and ``h_ii = z_i^T (Z^T Z + a I)^{-1} z_i = sum_j (z_i.v_j)^2 / (s_j + a)``;
    one more pass over the rows, ``P = Z_b V`` per block. Returns an array (n_alphas,).
    """

    def __init__(self, kernel, W, scales, batch_size, s, V, C, alphas):
        self.kernel, self.W, self.scales, self.batch_size = kernel, W, scales, int(batch_size)
        self.V, self.alphas = V, alphas
        self.F = 1.0 / (s[:, None] + alphas[None, :])  # (D, A)
        self.CF = (C[:, None, :] * self.F[:, :, None]).reshape(C.shape[0], -1)  # (D, A k)

    def __call__(self, X, Y):
        X = np.asarray(X, dtype=np.float64)
        Y = np.asarray(Y, dtype=np.float64)
        Y = Y[:, None] if Y.ndim == 1 else Y
        out = np.zeros(self.alphas.size)
        rows = _rows_per_block(self.V.shape[0], self.batch_size)
        for s0 in range(0, X.shape[0], rows):
            P = self.kernel.feature_matrix(X[s0 : s0 + rows], self.W, self.scales) @ self.V
            Yb = Y[s0 : s0 + rows]
            H = (P * P) @ self.F  # (b, A)
            E = Yb[:, None, :] - (P @ self.CF).reshape(P.shape[0], self.alphas.size, -1)
            E /= np.maximum(1.0 - H, 1e-12)[:, :, None]
            out += np.einsum("bak,bak->a", E, E)
        return out


def dual_path(K: np.ndarray, Y: np.ndarray, alphas: np.ndarray, selection: str = "gcv"):
    """GCV over ``alphas`` in the dual, from ``Ktilde = U diag(e) U^T``.

    ``a(alpha) = U diag(1/(e+alpha)) U^T Y``; the residual is ``alpha (K + alpha I)^{-1} Y``,
    so ``RSS = sum_j (alpha c_j / (e_j + alpha))^2`` with ``c = U^T Y``, and
    ``df = sum_j e_j / (e_j + alpha)``: the same hat matrix as the primal.

    With ``selection="loo"`` the scores are mean squared exact leave-one-out
    residuals ``e_i / (1 - h_ii)``, ``h_ii = sum_j U_ij^2 e_j / (e_j + alpha)``.

    Returns ``(scores, best, dual_coef)`` with ``dual_coef`` of shape (n, k).
    """
    e, U = linalg.eigh(K, driver="evd", check_finite=False)
    e = np.clip(e, 0.0, None)
    C = U.T @ Y
    C2 = np.einsum("jk,jk->j", C, C)
    n = K.shape[0]
    if selection == "loo":
        U2 = U * U
        scores = np.empty(alphas.size)
        for i, a in enumerate(alphas):
            h = U2 @ (e / (e + a))
            R = U @ (C * (a / (e + a))[:, None])  # residual a (K + a I)^{-1} Y
            R /= np.maximum(1.0 - h, 1e-12)[:, None]
            scores[i] = np.sum(R * R) / (n * Y.shape[1])
    else:
        rss = np.array([np.sum(C2 * (a / (e + a)) ** 2) for a in alphas])
        df = np.array([np.sum(e / (e + a)) for a in alphas])
        scores = gcv_scores(n, rss, df, Y.shape[1])
    best = int(np.argmin(scores))
    return scores, best, U @ (C / (e + alphas[best])[:, None])


def _rows_per_block(width: int, cap: int) -> int:
    return int(max(1, min(cap, BLOCK_ENTRIES // max(1, width))))


def dual_gram(kernel, X: np.ndarray, W: np.ndarray, scales: np.ndarray) -> np.ndarray:
    """Approximate kernel ``Ktilde = Z Z^T`` (n, n) in float64, without forming Z (MATH.md 6).

    First-layer NTK (``family == "step"``): ``(X X^T) o (S diag(c^2/m) S^T)``; both layers
    (``"ntk-full"``) add ``R diag(c^2/m) R^T`` with ``R = relu(X W^T)``. Other kernels:
    ``sum`` over blocks of weights of ``Z_c Z_c^T`` (one rank-k update per block).
    """
    X = np.asarray(X, dtype=np.float64)
    n, d = X.shape
    m = W.shape[0]
    coef = scales / np.sqrt(m)
    K = np.zeros((n, n), order="F")
    fam = getattr(kernel, "family", "generic")
    if fam in ("step", "ntk-full"):
        step = _rows_per_block(n, m)
        for s in range(0, m, step):
            XW = X @ W[s : s + step].T
            S = (XW >= 0).astype(np.float64) * coef[s : s + step]
            blas.dsyrk(1.0, S.T, beta=1.0, c=K, trans=1, lower=0, overwrite_c=1)
        K = symmetrize(K)
        K *= X @ X.T
        if fam == "ntk-full":
            R = np.zeros((n, n), order="F")
            for s in range(0, m, step):
                A = np.maximum(X @ W[s : s + step].T, 0.0) * coef[s : s + step]
                blas.dsyrk(1.0, A.T, beta=1.0, c=R, trans=1, lower=0, overwrite_c=1)
            K += symmetrize(R)
        return K
    d2 = kernel.output_dim(d)
    step = _rows_per_block(n * d2, m)
    for s in range(0, m, step):
        Wc = W[s : s + step]
        # feature_matrix scales by 1/sqrt(len(Wc)); rescale to the 1/sqrt(m) of all m weights
        Zc = kernel.feature_matrix(X, Wc, scales[s : s + step]) * np.sqrt(Wc.shape[0] / m)
        blas.dsyrk(1.0, Zc.T, beta=1.0, c=K, trans=1, lower=0, overwrite_c=1)
    return symmetrize(K)


def features_transpose_times(kernel, W, scales, X, A: np.ndarray, batch_size: int) -> np.ndarray:
    """``Z^T A`` (D, k) over row blocks of ``X`` (n, d), ``A`` (n, k), in float64."""
    X = np.asarray(X, dtype=np.float64)
    D = W.shape[0] * kernel.output_dim(X.shape[1])
    rows = _rows_per_block(D, batch_size)
    out = np.zeros((D, A.shape[1]))
    for s in range(0, X.shape[0], rows):
        out += kernel.feature_matrix(X[s : s + rows], W, scales).T @ A[s : s + rows]
    return out


def predict_block(X, kernel, W, scales, coef, batch_size, ravel):
    """``Z(X) @ coef`` over row blocks (shape (n,) when ``ravel``); the dtype follows ``X``."""
    X = np.asarray(X)
    if X.dtype not in (np.float32, np.float64):
        X = X.astype(np.float64)
    if not np.all(np.isfinite(X)):
        raise ValueError("Input X contains NaN or infinity; clean or impute the data first.")
    D = coef.shape[0]
    rows = _rows_per_block(D, batch_size)
    c = coef.astype(X.dtype, copy=False)
    out = np.empty((X.shape[0], coef.shape[1]), dtype=np.result_type(X.dtype, coef.dtype))
    for s in range(0, X.shape[0], rows):
        out[s : s + rows] = kernel.feature_matrix(X[s : s + rows], W, scales) @ c
    return out[:, 0] if ravel else out


# --------------------------------------------------------------- MATH.md 5.6
#: the constant c in ``s_lambda_m = m / (c log m)`` (MATH.md 5.6)
SAMPLING_C = 1.0


def target_dimension(m: int, c: float = SAMPLING_C) -> float:
    """``m / (c log m)``: the statistical dimension m features can serve (MATH.md 5.6)."""
    return m / (c * max(math.log(m), 1.0))


def spectrum_estimate(kernel, X, m: int, rng, max_rank: int = 4096):
    """Eigenvalue estimates of ``K`` (n x n) from a classical pilot (MATH.md 5.6).

    ``r = min(max_rank, max(1024, 4 m / log m))``; ``n0 = min(n, r)`` rows drawn
    without replacement and ``m0 = ceil(r / d2)`` classical features give
    ``Z0`` (n0, m0 d2); the nonzero eigenvalues of ``Z0^T Z0``, scaled by
    ``n / n0``, estimate the top eigenvalues of ``K`` (Nystrom scaling).

    Returns
    -------
    mu : ndarray of shape (min(n0, m0 d2),)
    info : dict with ``n0``, ``m0``.
    """
    from ._chunks import is_dask_array

    n, d = X.shape
    d2 = kernel.output_dim(d)
    r = int(min(max_rank, max(1024, math.ceil(4 * target_dimension(m)))))
    n0 = min(n, r)
    if n0 < n:
        rows = np.sort(rng.choice(n, size=n0, replace=False))
        X0 = X[rows]
    else:
        X0 = X
    X0 = np.asarray(X0.compute() if is_dask_array(X0) else X0, dtype=np.float64)
    if not np.all(np.isfinite(X0)):
        raise ValueError("Input X contains NaN or infinity; clean or impute the data first.")
    m0 = max(1, math.ceil(r / d2))
    Z0 = kernel.feature_matrix(X0, kernel.sample(m0, d, rng))
    M = Z0 @ Z0.T if Z0.shape[0] <= Z0.shape[1] else Z0.T @ Z0
    mu = np.clip(linalg.eigvalsh(M, check_finite=False), 0.0, None) * (n / n0)
    return mu, {"n0": n0, "m0": m0}


def statistical_dimension_from_spectrum(mu: np.ndarray, lam) -> np.ndarray:
    """``s_lambda = sum_k mu_k / (mu_k + lambda)`` (MATH.md 3) for each ``lambda``."""
    lam = np.atleast_1d(np.asarray(lam, dtype=np.float64))
    return (mu[None, :] / (mu[None, :] + lam[:, None])).sum(axis=1)


def sampling_lambda(mu: np.ndarray, target: float, iters: int = 200) -> float:
    """``lambda_m`` with ``s_lambda_m = target`` by bisection in ``log lambda`` (MATH.md 5.6).

    ``s_lambda`` decreases in lambda. Returns 0.0 when even ``lambda -> 0`` gives
    ``s_lambda < target`` (the estimated spectrum has fewer than ``target`` directions:
    m features resolve every lambda, so the fit's own alpha is used).
    """
    top = float(mu.max()) if mu.size else 0.0
    if top <= 0 or mu.size <= target:
        return 0.0
    lo, hi = math.log(top * 1e-16), math.log(top * 1e8)
    if statistical_dimension_from_spectrum(mu, math.exp(lo))[0] < target:
        return 0.0
    for _ in range(iters):
        mid = 0.5 * (lo + hi)
        if statistical_dimension_from_spectrum(mu, math.exp(mid))[0] > target:
            lo = mid
        else:
            hi = mid
        if hi - lo < 1e-10:
            break
    return math.exp(0.5 * (lo + hi))
