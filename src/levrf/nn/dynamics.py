"""NTK ridge regression as a trajectory in time: the closed forms of MATH.md section 7.

Needs only numpy/scipy; exported from :mod:`levrf.nn` next to the network it
is compared with.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
from scipy import linalg

from .._validation import check_alpha, check_matrix, check_positive
from ..kernels import get_kernel


@dataclass
class NTKRidgeTrajectory:
    """Predictions of NTK ridge regression along gradient flow (or descent) from ``beta = 0``.

    Attributes
    ----------
    times : ndarray of shape (T,)
    steps : ndarray of shape (T,) or None
        ``k = t / lr`` for the discrete-step form, else None.
    u_train : ndarray of shape (T, n)
    u_test : ndarray of shape (T, n_test) or None
    limit_train : ndarray of shape (n,)
        ``t -> infinity``: ``Kk (Kk + alpha I)^{-1} y``.
    limit_test : ndarray of shape (n_test,) or None
        ``kk(z) (Kk + alpha I)^{-1} y``, kernel ridge regression.
    eigenvalues : ndarray of shape (n,)
        Eigenvalues ``mu`` of ``Kk + alpha I`` (ascending).
    alpha, kappa : float
    discrete_lr : float or None
    """

    times: np.ndarray
    steps: np.ndarray | None
    u_train: np.ndarray
    u_test: np.ndarray | None
    limit_train: np.ndarray
    limit_test: np.ndarray | None
    eigenvalues: np.ndarray
    alpha: float
    kappa: float
    discrete_lr: float | None


def _check_times(times, discrete_lr):
    t = np.atleast_1d(np.asarray(times, dtype=np.float64))
    if t.ndim != 1 or t.size == 0:
        raise ValueError(f"times must be a non-empty 1-D array of times >= 0, got shape {np.shape(times)}.")
    if np.any(np.isnan(t)) or np.any(t < 0):
        raise ValueError("times must be >= 0 (np.inf allowed for the limit), without NaN.")
    if discrete_lr is None:
        return t, None
    if not np.all(np.isfinite(t)):
        raise ValueError("times must be finite with discrete_lr (the discrete form counts steps k = t / lr).")
    k = np.rint(t / discrete_lr)
    if np.any(np.abs(k * discrete_lr - t) > 1e-9 * np.maximum(1.0, t)):
        raise ValueError(
            f"times must be integer multiples of discrete_lr={discrete_lr:g} (t = k * lr); "
            f"got e.g. t={t[np.argmax(np.abs(k * discrete_lr - t))]:g}."
        )
    return t, k.astype(np.int64)


def ridge_trajectory_from_gram(K, K_test, y, alpha, kappa, times, discrete_lr=None) -> NTKRidgeTrajectory:
    """The closed form of MATH.md 7 from a precomputed Gram ``K`` (n, n) and ``K_test`` (n_test, n) or None.

    With ``Kk = kappa^2 K`` and ``Kk + alpha I = V diag(mu) V^T`` (one
    eigendecomposition), ``r(t) = V diag(g(mu, t)) V^T y`` with
    ``g = (1 - exp(-mu t)) / mu`` (flow), ``(1 - (1 - lr mu)^k) / mu`` (descent,
    ``k = t / lr``) or ``1 / mu`` (limit); then ``u(t) = Kk r(t)`` and
    ``u_test(t) = kappa^2 K_test r(t)``. Arguments are assumed validated.
    """
    n = K.shape[0]
    Kk = (kappa**2) * K
    A = Kk.copy()
    A.flat[:: n + 1] += alpha
    mu, V = linalg.eigh(A, check_finite=False)
    times, ks = _check_times(times, discrete_lr)
    g = V.T @ y  # (n,)
    if ks is None:
        G = -np.expm1(-np.outer(times, mu)) / mu  # (T, n); exp(-inf) = 0 gives the limit
    else:
        contraction = 1.0 - discrete_lr * mu
        if np.max(np.abs(contraction)) >= 1.0:
            warnings.warn(
                f"discrete_lr={discrete_lr:g} is not below 2 / lambda_max(kappa^2 K + alpha I) = "
                f"{2 / mu.max():.4g}: gradient descent diverges in the kernel regime.",
                RuntimeWarning,
                stacklevel=3,
            )
        with np.errstate(over="ignore", invalid="ignore"):
            G = (1.0 - contraction[None, :] ** ks[:, None]) / mu
    R = (G * g) @ V.T  # (T, n): rows are r(t)
    lim = V @ (g / mu)
    u_train = R @ Kk  # Kk symmetric
    limit_train = Kk @ lim
    if K_test is None:
        u_test = limit_test = None
    else:
        Kt = (kappa**2) * K_test
        u_test = R @ Kt.T
        limit_test = Kt @ lim
    return NTKRidgeTrajectory(
        times=times,
        steps=ks,
        u_train=u_train,
        u_test=u_test,
        limit_train=limit_train,
        limit_test=limit_test,
        eigenvalues=mu,
        alpha=alpha,
        kappa=kappa,
        discrete_lr=discrete_lr,
    )


def ntk_ridge_trajectory(
    X,
    y,
    X_test,
    alpha: float,
    kappa: float,
    times,
    kernel="ntk",
    discrete_lr: float | None = None,
    *,
    kernel_params: dict | None = None,
) -> NTKRidgeTrajectory:
    """NTK ridge regression along gradient flow from ``beta = 0`` (MATH.md section 7).

    With ``Kk = kappa^2 K(X, X)`` and ``kk(z) = kappa^2 K(z, X)``::

        u(t)      = (Kk + alpha I)^{-1} Kk (I - exp(-(Kk + alpha I) t)) y
        u_test(t) = kk(z) (Kk + alpha I)^{-1} (I - exp(-(Kk + alpha I) t)) y

    and, with ``discrete_lr = eta``, the gradient-descent form at ``t = k eta``
    with ``(I - eta (Kk + alpha I))^k`` in place of the exponential. As
    ``t -> infinity`` (``times`` may contain ``np.inf`` in the flow form) both
    tend to kernel ridge regression on ``kappa^2 K`` at ``alpha``, i.e.
    ``levrf.KernelRidge(kernel, alpha=alpha / kappa**2)``. One
    eigendecomposition of ``Kk + alpha I`` serves all times.

    Parameters
    ----------
    X : array-like of shape (n, d)
    y : array-like of shape (n,)
    X_test : array-like of shape (n_test, d) or None
    alpha : float
        Ridge penalty ``alpha > 0`` (the network's ``alpha/2 |W|_F^2``).
    kappa : float
        Output scale ``kappa > 0``.
    times : array-like of shape (T,)
        Times ``t >= 0``; integer multiples of ``discrete_lr`` when it is given.
    kernel : str or Kernel, default="ntk"
        The first-layer NTK of MATH.md 1, or any kernel with an exact Gram.
    discrete_lr : float, optional
        Use the discrete-step form of gradient descent with this step size.
    kernel_params : dict, optional

    Returns
    -------
    NTKRidgeTrajectory
    """
    from .train import check_targets

    kern = get_kernel(kernel, kernel_params)
    X = check_matrix(X, "X", dtype=np.float64)
    y = check_targets(y, X.shape[0])
    alpha = check_alpha(alpha)
    kappa = check_positive(kappa, "kappa")
    if discrete_lr is not None:
        discrete_lr = check_positive(discrete_lr, "discrete_lr")
    K = kern.gram(X)
    K_test = None
    if X_test is not None:
        X_test = check_matrix(X_test, "X_test", dtype=np.float64)
        if X_test.shape[1] != X.shape[1]:
            raise ValueError(f"X_test has {X_test.shape[1]} features but X has {X.shape[1]}; they must match.")
        K_test = kern.gram(X_test, X)
    return ridge_trajectory_from_gram(K, K_test, y, alpha, kappa, times, discrete_lr)
