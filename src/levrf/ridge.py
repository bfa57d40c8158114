"""Kernel ridge regression estimators (MATH.md section 6)."""

from __future__ import annotations

import numpy as np
from scipy import linalg
from sklearn.base import BaseEstimator, RegressorMixin
from sklearn.utils.validation import check_is_fitted, validate_data

from ._validation import check_alpha
from .kernels import get_kernel
from .leverage import _regularized_cholesky


class KernelRidge(RegressorMixin, BaseEstimator):
    """Exact kernel ridge regression ``f(z) = K(z, X) (K + alpha I)^{-1} Y`` (MATH.md section 6).

    Parameters
    ----------
    kernel : str or Kernel, default="gaussian"
    alpha : float, default=1.0
        Ridge regularization ``lambda > 0``.
    kernel_params : dict, optional

    Attributes
    ----------
    kernel_ : Kernel
    X_fit_ : ndarray of shape (n, d)
    dual_coef_ : ndarray of shape (n,) or (n, k)
    n_features_in_ : int

    Notes
    -----
    Memory is O(n^2); for large n use ``RandomFeatureRidge``.
    """

    def __init__(self, kernel="gaussian", alpha=1.0, *, kernel_params=None):
        self.kernel = kernel
        self.alpha = alpha
        self.kernel_params = kernel_params

    def fit(self, X, y):
        """Fit on ``X`` (n, d) and ``y`` (n,) or (n, k)."""
        kernel = get_kernel(self.kernel, self.kernel_params)
        alpha = check_alpha(self.alpha)
        X, y = validate_data(self, X, y, dtype=np.float64, multi_output=True, y_numeric=True, reset=True)
        K = kernel.gram(X)
        L = _regularized_cholesky(K, alpha)
        self.dual_coef_ = linalg.cho_solve((L, True), y.astype(np.float64), check_finite=False)
        self.kernel_ = kernel
        self.X_fit_ = X
        return self

    def predict(self, X):
        """Predictions for ``X`` (n', d): shape (n',) or (n', k)."""
        check_is_fitted(self)
        X = validate_data(self, X, dtype=np.float64, reset=False)
        return self.kernel_.gram(X, self.X_fit_) @ self.dual_coef_

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        return tags
