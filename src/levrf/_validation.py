"""Input validation shared by every public entry point.

Messages name the argument and say what is allowed, so users never see a
traceback from deep inside numpy.
"""

from __future__ import annotations

import numbers

import numpy as np
from sklearn.utils import check_array


def check_matrix(X, name: str = "X", *, dtype=(np.float64, np.float32), ensure_min_samples: int = 1):
    """Return ``X`` as a finite 2-D float array or raise a clear error."""
    if X is None:
        raise ValueError(f"{name} is None; pass a 2-D array of shape (n_samples, n_features).")
    try:
        return check_array(
            X,
            accept_sparse=False,
            dtype=dtype,
            ensure_2d=True,
            ensure_all_finite=True,
            ensure_min_samples=ensure_min_samples,
            input_name=name,
        )
    except TypeError as exc:  # sparse input and the like
        raise TypeError(f"{name}: {exc}") from None
    except ValueError as exc:
        msg = str(exc)
        if name not in msg:
            msg = f"{name}: {msg}"
        raise ValueError(msg) from None


def check_positive(value, name: str, *, allow_zero: bool = False) -> float:
    """Return ``value`` as a float, requiring it to be finite and > 0 (or >= 0)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number, got {value!r} of type {type(value).__name__}.")
    value = float(value)
    if not np.isfinite(value) or value < 0 or (value == 0 and not allow_zero):
        bound = ">= 0" if allow_zero else "> 0"
        raise ValueError(f"{name} must be a finite number {bound}, got {value!r}.")
    return value


def check_alpha(alpha, name: str = "alpha") -> float:
    """Validate a ridge regularization (lambda in MATH.md): a finite positive float."""
    return check_positive(alpha, name)


def check_int(value, name: str, *, minimum: int = 1) -> int:
    """Validate an integer parameter with a lower bound."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer >= {minimum}, got {value!r} of type {type(value).__name__}.")
    if value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value}.")
    return int(value)


def check_same_features(X, n_features: int, name: str = "X", where: str = "fit") -> None:
    if X.shape[1] != n_features:
        raise ValueError(
            f"{name} has {X.shape[1]} features, but this object was built for {n_features} "
            f"features (at {where}); pass data with {n_features} columns."
        )


def check_square_psd(K, name: str = "K"):
    """Validate a square symmetric matrix (kernel Gram)."""
    K = check_matrix(K, name, dtype=np.float64)
    if K.shape[0] != K.shape[1]:
        raise ValueError(f"{name} must be a square (n, n) matrix, got shape {K.shape}.")
    scale = max(np.abs(K).max(), 1.0)
    if not np.allclose(K, K.T, rtol=1e-8, atol=1e-10 * scale):
        raise ValueError(f"{name} must be symmetric; symmetrize it with (K + K.T) / 2 if the asymmetry is rounding.")
    return K
