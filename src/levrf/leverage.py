"""Ridge leverage function, statistical dimension and spectral error (MATH.md sections 3-4)."""

from __future__ import annotations

import math
from dataclasses import dataclass

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


#: features that depend on w only through the activation pattern 1[X w >= 0] (MATH.md 5.5)
ACTIVATION_FAMILIES = ("step", "sign")


def activation_leverage(X: np.ndarray, W: np.ndarray, A: np.ndarray, family: str) -> np.ndarray:
    """``tau = rowsum((S B) o S)`` of MATH.md 5.5, for step or sign features.

    ``S = 1[W X^T >= 0]`` (M, n), ``A`` (n, n) the (approximate) ``(K + lambda I)^{-1}``,
    ``B = A o X X^T`` for step (first-layer NTK) features and ``B = A`` for sign
    (order-0 arc-cosine) features; one GEMM per chunk of candidates. Returns (M,).
    """
    B = A * (X @ X.T) if family == "step" else A
    tau = np.empty(W.shape[0])
    for s in range(0, W.shape[0], GRAM_CHUNK):
        S = (W[s : s + GRAM_CHUNK] @ X.T >= 0).astype(np.float64)
        tau[s : s + GRAM_CHUNK] = np.einsum("mi,mi->m", S @ B, S)
    return tau


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
    if kern.family in ACTIVATION_FAMILIES:
        return activation_leverage(X, W, linalg.cho_solve((L, True), np.eye(n), check_finite=False), kern.family)
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


#: target size (entries) of the per-pass accumulator in ``approx_ridge_leverage``
APPROX_BLOCK_ENTRIES = 2**24


def approx_ridge_leverage(
    kernel,
    X,
    W,
    alpha,
    *,
    W0=None,
    scales0=None,
    n_landmark_features: int = 256,
    random_state=None,
    batch_size: int = 8192,
    rel_tol: float = 1e-3,
    kernel_params: dict | None = None,
) -> tuple[np.ndarray, dict]:
    """Approximate ridge leverage from ``m0`` classical features (MATH.md 5.2).

    Replaces ``(K + lambda I)^{-1}`` by the Woodbury form
    ``(I - Z0 (Z0^T Z0 + lambda I)^{-1} Z0^T) / lambda`` with ``Z0`` the
    classical features of ``W0`` (m0 draws from p), so that

        tau(w) ~ (|Phi(w)|_F^2 - |T^T Phi(w)|_F^2) / lambda,
        T = Z0 R (S + lambda)^{-1/2},  Z0^T Z0 = R S R^T.

    Directions with ``S_k / (S_k + lambda) < rel_tol`` are dropped. Every
    stage is a sum over row blocks (``levrf._chunks.row_reduce``), so ``X`` may
    be a memory-mapped or dask array: one pass for ``Z0^T Z0``, then one pass
    per block of candidates. Memory is O(m0 d2 (m0 d2 + M d2)), independent of n.

    Parameters
    ----------
    kernel : str or Kernel
    X : array of shape (n, d), numpy or dask
    W : array of shape (M, d)
        Candidates.
    alpha : float
    W0 : array of shape (m0, d), optional
        Pilot weights (drawn from p with ``random_state`` if omitted).
    scales0 : array of shape (m0,), optional
        Pilot scales ``c_r`` (a leverage-sampled pilot resolves ``K + lambda I``
        with fewer features than a classical one).
    n_landmark_features : int
        ``m0`` when ``W0`` is not given.

    Returns
    -------
    tau : array of shape (M,)
        Approximate leverage; its scale is inflated when m0 features do not yet
        approximate ``K + lambda I`` (FIELD_NOTES), its shape usually survives.
    info : dict
        ``s_lambda_pilot`` (statistical dimension of ``Z0 Z0^T``, a lower-bound
        style estimate), ``rank`` kept, ``n_passes``, ``m0`` and a ``warning``
        when the pilot is too small to resolve ``K + lambda I``.
    """
    from sklearn.utils import check_random_state

    from ._chunks import is_dask_array, row_reduce

    kern = get_kernel(kernel, kernel_params)
    alpha = check_alpha(alpha)
    if not is_dask_array(X):
        X = check_matrix(X, "X", dtype=np.float64)
    d = X.shape[1]
    W = check_matrix(W, "W", dtype=np.float64)
    if W.shape[1] != d:
        raise ValueError(f"W has {W.shape[1]} columns but X has {d} features; they must match.")
    if W0 is None:
        m0 = check_int(n_landmark_features, "n_landmark_features")
        W0 = kern.sample(m0, d, check_random_state(random_state))
    W0 = check_matrix(W0, "W0", dtype=np.float64)
    m0 = W0.shape[0]
    d2 = kern.output_dim(d)

    def _finite(Xc):
        if not np.all(np.isfinite(Xc)):
            raise ValueError("X contains NaN or infinity; clean or impute the data first.")
        return Xc

    c0 = None if scales0 is None else np.asarray(scales0, dtype=np.float64)

    def pilot(Xc):
        return kern.feature_matrix(Xc, W0, c0)

    n = X.shape[0]
    M = W.shape[0]
    small = not is_dask_array(X) and m0 * d2 >= n
    if small:
        # more pilot columns than rows: the same T = Z0 R (S + lambda)^{-1/2} from the n x n
        # Gram Z0 Z0^T = U S U^T, as T = U diag(sqrt(S / (S + lambda))) (no D0 x D0 eigenproblem)
        Z0 = pilot(X)  # X was checked finite above
        S, U = linalg.eigh(Z0 @ Z0.T, check_finite=False)
        del Z0
    else:
        C = row_reduce(lambda Xc: (lambda Z: Z.T @ Z)(pilot(_finite(Xc.astype(np.float64)))), [X], batch_size)
        S, U = linalg.eigh(C, check_finite=False)
    S = np.clip(S, 0.0, None)
    frac = S / (S + alpha)
    keep = frac >= rel_tol
    r = int(keep.sum())
    s_pilot = float(frac.sum())
    T_all = U[:, keep] * np.sqrt(frac[keep]) if small else None  # (n, r)
    Q = None if small else U[:, keep] / np.sqrt(S[keep] + alpha)  # (D0, r)
    n_passes = 0
    if small and kern.family in ACTIVATION_FAMILIES:
        A = -(T_all @ T_all.T)  # (I - T T^T) / lambda, the Woodbury inverse
        A.flat[:: n + 1] += 1.0
        tau = np.clip(activation_leverage(X, W, A / alpha, kern.family), 0.0, None)
        n_passes = 1
    else:
        tau = np.empty(M)
        per = max(1, APPROX_BLOCK_ENTRIES // max(1, (r + 1) * d2))
        for s in range(0, M, per):
            Wc = W[s : s + per]
            mc = Wc.shape[0]
            if small:  # in memory, n small: one product per block of candidates
                P = kern.feature_matrix(X, Wc) * np.sqrt(mc)  # (n, d2 * mc), unscaled phi
                G, sq = T_all.T @ P, np.einsum("ij,ij->j", P, P)
            else:

                def stats(Xc, Wc=Wc, mc=mc):
                    Xc = Xc.astype(np.float64)
                    P = kern.feature_matrix(Xc, Wc) * np.sqrt(mc)  # (nc, d2 * mc), unscaled phi
                    T = pilot(Xc) @ Q  # (nc, r)
                    return T.T @ P, np.einsum("ij,ij->j", P, P)

                G, sq = row_reduce(stats, [X], batch_size)
            n_passes += 1
            quad = np.einsum("kj,kj->j", G, G).reshape(d2, mc).sum(axis=0)
            normsq = sq.reshape(d2, mc).sum(axis=0)
            tau[s : s + mc] = np.clip(normsq - quad, 0.0, None) / alpha
    info = {"m0": m0, "rank": int(r), "s_lambda_pilot": s_pilot, "n_passes": n_passes + 1}
    if s_pilot > 0.5 * min(m0 * d2, X.shape[0]):
        info["warning"] = (
            f"the pilot's {m0} features do not resolve K + alpha I (its statistical dimension "
            f"{s_pilot:.0f} is more than half its rank {min(m0 * d2, X.shape[0])}): tau is "
            f"inflated; raise m0 (sampler_params={{'m0': ...}}) or alpha for a reliable s_lambda."
        )
    return tau, info


@dataclass
class LeverageProfile:
    """What :func:`leverage_profile` measured; ``str(profile)`` gives a short report."""

    s_lambda: float
    sup_ratio: float
    quantiles: dict
    n_candidates: int
    method: str
    alpha: float
    verdict: str
    warning: str | None = None

    def __str__(self) -> str:
        q = ", ".join(f"{k}: {v:.3g}" for k, v in self.quantiles.items())
        lines = [
            f"statistical dimension s_lambda = {self.s_lambda:.4g} at alpha = {self.alpha:g} ({self.method})",
            f"sup tau / s_lambda over {self.n_candidates} draws from p = {self.sup_ratio:.3g}",
            f"quantiles of tau / s_lambda: {q}",
            self.verdict,
        ]
        if self.warning:
            lines.append("warning: " + self.warning)
        return "\n".join(lines)


def leverage_profile(
    kernel,
    X,
    alpha,
    kernel_params: dict | None = None,
    n_candidates: int = 2000,
    random_state=None,
    *,
    exact_max_n: int = 5000,
    m0: int | None = None,
) -> LeverageProfile:
    """Will leverage sampling pay on this data? (MATH.md section 4)

    Draws ``n_candidates`` weights from p and computes ``tau / s_lambda``.
    Classical sampling needs features in proportion to ``sup tau`` and exact
    leverage sampling in proportion to ``s_lambda``, so ``sup tau / s_lambda``
    is the most leverage sampling can save in the theorem's feature count.
    The sup over a finite sample of p is a lower estimate of the true sup.

    Exact tau for ``n <= exact_max_n`` with a closed-form Gram; otherwise the
    approximate-pool estimate (MATH.md 5.2), whose scale is inflated at small
    m0, so the ratio there is taken against the candidates' mean tau (an
    estimate of ``s_lambda = E_p tau``); ``s_lambda`` reported there is the
    statistical dimension of the pilot's ``Z0 Z0^T`` (never above n).

    Returns
    -------
    LeverageProfile
        ``s_lambda``, ``sup_ratio``, ``quantiles`` (of ``tau / s_lambda`` at
        1, 10, 50, 90, 99 %), ``method``, and a plain-language ``verdict``.
    """
    from sklearn.utils import check_random_state

    from ._chunks import is_dask_array

    kern = get_kernel(kernel, kernel_params)
    alpha = check_alpha(alpha)
    n_candidates = check_int(n_candidates, "n_candidates", minimum=2)
    if not is_dask_array(X):
        X = check_matrix(X, "X", dtype=np.float64)
    rng = check_random_state(random_state)
    W = kern.sample(n_candidates, X.shape[1], rng)
    warning = None
    if kern.has_exact_gram and not is_dask_array(X) and X.shape[0] <= exact_max_n:
        K = kern.gram(X)
        s = statistical_dimension(K, alpha)
        tau = ridge_leverage(kern, X, W, alpha, K=K)
        method = "exact"
    else:
        d2 = kern.output_dim(X.shape[1])
        m0 = int(min(1024, max(16, 4096 // d2))) if m0 is None else m0
        tau, info = approx_ridge_leverage(kern, X, W, alpha, n_landmark_features=m0, random_state=rng)
        s = info["s_lambda_pilot"]
        method = f"approximate (Woodbury over {m0} classical features; s_lambda of the pilot)"
        warning = info.get("warning")
    r = tau / (s if method == "exact" else tau.mean())
    ratio = float(r.max())
    quant = {f"{int(p * 100)}%": float(np.quantile(r, p)) for p in (0.01, 0.1, 0.5, 0.9, 0.99)}
    if ratio < 1.5:
        verdict = (
            f"Leverage sampling will not pay here: tau is nearly flat under p (sup/mean {ratio:.2f}), "
            f"so classical features are within {ratio:.2f}x of the best feature count."
        )
    elif ratio < 5:
        verdict = (
            f"Modest gains: leverage sampling can cut the theorem's feature count by at most about "
            f"{ratio:.1f}x (errors typically 10-25% lower at equal m)."
        )
    else:
        verdict = (
            f"Leverage sampling should pay: tau varies by {ratio:.0f}x its mean under p, so it can "
            f"cut the feature count by up to about {ratio:.0f}x; use sampler='leverage'."
        )
    return LeverageProfile(float(s), ratio, quant, n_candidates, method, alpha, verdict, warning)
