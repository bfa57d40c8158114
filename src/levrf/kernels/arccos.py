"""Arc-cosine kernels of order 0 and 1 (Cho & Saul 2009; MATH.md section 1).

Both use ``p = N(0, I_d)``. Order 0 has ``phi(x, w) = step(w.x)`` with
``step(0) = 1``; order 1 has ``phi(x, w) = relu(w.x)``.

Zero vectors: the closed forms use ``theta = arccos`` of a clipped cosine, and
a zero vector's cosine is taken as 0. For order 1 (and the NTKs) the kernel
carries a factor ``|x||z|`` or ``x.z``, so the value at a zero vector is 0
whatever theta is. For order 0 the feature map itself defines the value:
``step(w.0) = 1`` for every ``w``, so ``K0(0, z) = P(w.z >= 0) = 1/2`` for
``z != 0`` and ``K0(0, 0) = 1``; the Gram follows that, never NaN.
"""

from __future__ import annotations

import numpy as np
from sklearn.utils import check_random_state

from ._gram import chunked_gram, cosines, validate_pair
from .base import Kernel, standard_normal_log_density


class StandardNormalKernel(Kernel):
    """Kernels whose base density is ``p = N(0, I_d)``."""

    def sample(self, n_samples, n_features, random_state=None):
        return check_random_state(random_state).standard_normal((n_samples, n_features))

    def log_density(self, W):
        return standard_normal_log_density(np.asarray(W, dtype=np.float64))


def angular_gram(X, Y, same: bool, value) -> np.ndarray:
    """Chunked Gram of a kernel written as ``value(cos_theta, theta, dots, nx, ny)``."""
    nx = np.sqrt(np.einsum("ij,ij->i", X, X))
    ny = nx if same else np.sqrt(np.einsum("ij,ij->i", Y, Y))

    def block(rows, cols):
        dots = X[rows] @ Y[cols].T
        cos = cosines(dots, nx[rows], ny[cols])
        if same:  # the diagonal angle is exactly 0 for nonzero rows
            idx = np.arange(rows.stop - rows.start)
            cos[idx, idx + rows.start - cols.start] = np.where(nx[rows] > 0, 1.0, 0.0)
        theta = np.arccos(cos)
        return value(cos, theta, dots, nx[rows], ny[cols])

    return chunked_gram(X.shape[0], Y.shape[0], block, symmetric=same)


def arccos0_value(cos, theta, dots, nx, ny):
    K = (np.pi - theta) / (2 * np.pi)
    zx, zy = nx == 0, ny == 0
    if zx.any() or zy.any():
        K[zx, :] = 0.5
        K[:, zy] = 0.5
        K[np.ix_(zx, zy)] = 1.0
    return K


def arccos1_value(cos, theta, dots, nx, ny):
    return np.outer(nx, ny) * (np.sin(theta) + (np.pi - theta) * cos) / (2 * np.pi)


class ArcCosine(StandardNormalKernel):
    """Arc-cosine kernel of order 0 (``(pi - theta) / (2 pi)``) or 1
    (``|x||z| (sin theta + (pi - theta) cos theta) / (2 pi)``).

    Parameters
    ----------
    order : {0, 1}
    """

    def __init__(self, order: int = 1):
        if isinstance(order, bool) or order not in (0, 1):
            raise ValueError(f"order must be 0 or 1, got {order!r}.")
        self.order = int(order)
        self.name = f"arccos{self.order}"
        self.family = "sign" if self.order == 0 else "relu"

    def get_params(self):
        return {"order": self.order}

    def output_dim(self, n_features):
        return 1

    def _activation(self, XW):
        if self.order == 0:
            return (XW >= 0).astype(XW.dtype)
        return np.maximum(XW, 0.0)

    def phi(self, X, W):
        return self._activation(X @ W.T.astype(X.dtype, copy=False))[:, :, None]

    def feature_matrix(self, X, W, scales=None):
        m = W.shape[0]
        A = self._activation(X @ W.T.astype(X.dtype, copy=False))
        coef = np.full(m, 1.0 / np.sqrt(m)) if scales is None else scales / np.sqrt(m)
        A *= coef.astype(X.dtype, copy=False)
        return A

    def phi_sq_norms(self, X, W):
        A = self._activation(X @ W.T)
        return np.einsum("im,im->m", A, A)

    def gram(self, X, Y=None):
        X, Y, same = validate_pair(X, Y)
        return angular_gram(X, Y, same, arccos0_value if self.order == 0 else arccos1_value)
