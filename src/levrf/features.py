"""Random-feature transformers (MATH.md section 2)."""

from __future__ import annotations

import numpy as np
from sklearn.base import BaseEstimator, ClassNamePrefixFeaturesOutMixin, TransformerMixin
from sklearn.utils import check_random_state
from sklearn.utils.validation import check_is_fitted, validate_data

from ._chunks import is_dask_array
from ._validation import check_alpha, check_int
from .kernels import get_kernel
from .samplers import draw_features

#: rows per block in ``transform``; bounds scratch memory to O(batch * D)
TRANSFORM_BATCH = 4096


class RandomFeatures(ClassNamePrefixFeaturesOutMixin, TransformerMixin, BaseEstimator):
    """Random features ``Z`` with ``Z Z^T ~ K`` for any levrf kernel (MATH.md section 2).

    Parameters
    ----------
    kernel : str or Kernel, default="gaussian"
        A kernel instance or a name: ``"gaussian"``, ``"laplacian"``, ``"arccos0"``,
        ``"arccos1"``, ``"ntk"``, ``"ntk-full"``.
    n_components : int, default=100
        Number of sampled weights ``m``. The output has ``n_components * d2``
        columns (``d2 = 2`` for Fourier features, ``d`` for the first-layer NTK).
    kernel_params : dict, optional
        Keyword arguments of a kernel given by name, e.g. ``{"bandwidth": 2.0}``.
    sampler : str, default="classical"
        How weights are drawn (see :mod:`levrf.samplers`).
    alpha : float, default=1.0
        Regularization ``lambda`` the data-dependent samplers target; unused by
        ``"classical"``.
    sampler_params : dict, optional
        Extra keyword arguments of the sampler.
    random_state : int, RandomState or None
        All randomness is drawn in ``fit``; ``transform`` is deterministic.

    Attributes
    ----------
    kernel_ : Kernel
        The resolved kernel.
    weights_ : ndarray of shape (n_components, n_features_in_)
    scales_ : ndarray of shape (n_components,)
        ``c_r = sqrt(p(w_r) / q(w_r))``; all ones for classical sampling.
    output_dim_ : int
        ``d2``, the length of ``phi(x, w)``.
    sampler_info_ : dict
        Diagnostics of the sampler (name, time, effective sample size, ...).
    n_features_in_ : int

    Notes
    -----
    Column layout is component-major: column ``j * m + r`` holds
    ``c_r phi_j(x, w_r) / sqrt(m)``; Fourier features are ``[cos | sin]``.
    """

    def __init__(
        self,
        kernel="gaussian",
        n_components=100,
        *,
        kernel_params=None,
        sampler="classical",
        alpha=1.0,
        sampler_params=None,
        random_state=None,
    ):
        self.kernel = kernel
        self.n_components = n_components
        self.kernel_params = kernel_params
        self.sampler = sampler
        self.alpha = alpha
        self.sampler_params = sampler_params
        self.random_state = random_state

    def fit(self, X, y=None):
        """Draw the weights; data-dependent samplers also look at ``X`` (n, d)."""
        kernel = get_kernel(self.kernel, self.kernel_params)
        m = check_int(self.n_components, "n_components")
        alpha = check_alpha(self.alpha)
        if is_dask_array(X):  # samplers stream over its row blocks; never loaded whole
            X = check_dask_matrix(X)
            self.n_features_in_ = int(X.shape[1])
        else:
            X = validate_data(self, X, dtype=[np.float64, np.float32], reset=True)
        rng = check_random_state(self.random_state)
        W, scales, info = draw_features(kernel, X, m, self.sampler, alpha, rng, self.sampler_params)
        self.kernel_ = kernel
        self.weights_ = W
        self.scales_ = scales
        self.output_dim_ = int(kernel.output_dim(X.shape[1]))
        self.sampler_info_ = info
        self._n_features_out = m * self.output_dim_
        return self

    def transform(self, X):
        """Feature matrix ``Z`` of shape (n, n_components * output_dim_), dtype of ``X``."""
        check_is_fitted(self)
        if is_dask_array(X):  # lazy, blockwise over row chunks
            X = check_dask_matrix(X, self)
            return X.map_blocks(
                _checked_block_features, self, dtype=X.dtype, chunks=(X.chunks[0], (self._n_features_out,))
            )
        X = validate_data(self, X, dtype=[np.float64, np.float32], reset=False)
        return self._features(X)

    def _features(self, X):
        """Features in row blocks of ``TRANSFORM_BATCH``, computed ahead in threads (ufuncs release the GIL)."""
        from ._solve import available_threads, iter_feature_blocks

        Z = np.empty((X.shape[0], self._n_features_out), dtype=X.dtype)
        for s, e, block in iter_feature_blocks(
            self.kernel_, self.weights_, self.scales_, X, TRANSFORM_BATCH, available_threads()
        ):
            Z[s:e] = block
        return Z

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.transformer_tags.preserves_dtype = ["float64", "float32"]
        tags.non_deterministic = False
        return tags


def _checked_block_features(X, rf):
    """Features of one dask block (``RandomFeatures.transform`` on dask input)."""
    if not np.all(np.isfinite(X)):
        raise ValueError("Input X contains NaN or infinity; clean or impute the data first.")
    return rf._features(X)


def check_dask_matrix(X, fitted=None):
    """A 2-D float dask array with whole rows per block; checks the width against ``fitted``.

    Finiteness is checked block by block when the blocks are computed.
    """
    if X.ndim != 2:
        raise ValueError(f"Expected a 2D array for X, got a {X.ndim}-D dask array; reshape it to (n_samples, n_features).")
    if any(np.isnan(c) for c in X.chunks[0]):
        raise ValueError("X: dask array with unknown chunk sizes; call X.compute_chunk_sizes() first.")
    if fitted is not None and X.shape[1] != fitted.n_features_in_:
        raise ValueError(
            f"X has {X.shape[1]} features, but {type(fitted).__name__} is expecting "
            f"{fitted.n_features_in_} features as input."
        )
    if X.dtype not in (np.float32, np.float64):
        X = X.astype(np.float64)
    return X.rechunk({1: -1})
