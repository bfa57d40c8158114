"""Shift-invariant kernels with Fourier features ``[cos(w.x), sin(w.x)]`` (MATH.md section 1)."""

from __future__ import annotations

import numpy as np
from scipy.spatial.distance import cdist
from sklearn.utils import check_random_state

from .._validation import check_positive
from ._gram import chunked_gram, validate_pair
from .base import Kernel, standard_normal_log_density


class FourierKernel(Kernel):
    """Common feature map for shift-invariant kernels: ``phi(x, w) = [cos(w.x), sin(w.x)]``, d2 = 2.

    ``|Phi(w)|_F^2 = n`` for every ``w`` (the bounded-feature case of MATH.md 5.3).
    """

    family = "fourier"

    def output_dim(self, n_features):
        return 2

    def phi(self, X, W):
        XW = X @ W.T.astype(X.dtype, copy=False)
        return np.stack([np.cos(XW), np.sin(XW)], axis=2)

    def feature_matrix(self, X, W, scales=None):
        m = W.shape[0]
        XW = X @ W.T.astype(X.dtype, copy=False)
        Z = np.empty((X.shape[0], 2 * m), dtype=X.dtype)
        np.cos(XW, out=Z[:, :m])
        np.sin(XW, out=Z[:, m:])
        coef = np.full(m, 1.0 / np.sqrt(m))
        if scales is not None:
            coef = coef * scales
        coef = np.tile(coef, 2).astype(X.dtype, copy=False)
        Z *= coef
        return Z

    def phi_sq_norms(self, X, W):
        return np.full(W.shape[0], float(X.shape[0]))


class Gaussian(FourierKernel):
    """Gaussian (RBF) kernel ``exp(-|x - z|^2 / (2 bandwidth^2))``.

    ``p = N(0, bandwidth^-2 I_d)``. scikit-learn's ``rbf_kernel(gamma)`` is
    ``Gaussian(bandwidth=1 / sqrt(2 gamma))``.
    """

    name = "gaussian"

    def __init__(self, bandwidth: float = 1.0):
        self.bandwidth = check_positive(bandwidth, "bandwidth")

    def get_params(self):
        return {"bandwidth": self.bandwidth}

    def sample(self, n_samples, n_features, random_state=None):
        rng = check_random_state(random_state)
        return rng.standard_normal((n_samples, n_features)) / self.bandwidth

    def log_density(self, W):
        return standard_normal_log_density(np.asarray(W, dtype=np.float64), 1.0 / self.bandwidth)

    def gram(self, X, Y=None):
        X, Y, same = validate_pair(X, Y)
        nx = np.einsum("ij,ij->i", X, X)
        ny = nx if same else np.einsum("ij,ij->i", Y, Y)
        c = -0.5 / self.bandwidth**2

        def block(rows, cols):
            B = X[rows] @ Y[cols].T
            B *= -2.0
            B += nx[rows, None]
            B += ny[None, cols]
            np.maximum(B, 0.0, out=B)
            B *= c
            return np.exp(B, out=B)

        K = chunked_gram(X.shape[0], Y.shape[0], block, symmetric=same)
        if same:
            np.fill_diagonal(K, 1.0)
        return K


class Laplacian(FourierKernel):
    """Laplacian kernel ``exp(-|x - z|_1 / scale)``.

    ``p`` is the product of ``Cauchy(0, 1/scale)`` densities. scikit-learn's
    ``laplacian_kernel(gamma)`` is ``Laplacian(scale=1 / gamma)``.
    """

    name = "laplacian"

    def __init__(self, scale: float = 1.0):
        self.scale = check_positive(scale, "scale")

    def get_params(self):
        return {"scale": self.scale}

    def sample(self, n_samples, n_features, random_state=None):
        rng = check_random_state(random_state)
        return rng.standard_cauchy((n_samples, n_features)) / self.scale

    def log_density(self, W):
        W = np.asarray(W, dtype=np.float64)
        g = 1.0 / self.scale
        return np.sum(np.log(g / np.pi) - np.log(W**2 + g**2), axis=1)

    def gram(self, X, Y=None):
        X, Y, same = validate_pair(X, Y)
        s = self.scale

        def block(rows, cols):
            D = cdist(X[rows], Y[cols], metric="cityblock")
            D *= -1.0 / s
            return np.exp(D, out=D)

        return chunked_gram(X.shape[0], Y.shape[0], block, symmetric=same)
