"""Neural tangent kernels of a two-layer ReLU network without bias (MATH.md section 1).

``trained="first"`` (the paper's): only the first layer trained,
``phi(x, w) = x * step(w.x)`` (d2 = d), ``K = (x.z)(pi - theta) / (2 pi)``.

``trained="both"``: both layers trained,
``phi(x, w) = [x * step(w.x), relu(w.x)]`` (d2 = d + 1), ``K`` = the first-layer
NTK plus the order-1 arc-cosine kernel.

Cross-check (MATH.md section 1): neural-tangents' ``Dense-Relu-Dense`` NTK minus
its NNGP, with inputs scaled by ``1/sqrt(d)``, is the first-layer NTK over d.
"""

from __future__ import annotations

import numpy as np

from ._gram import validate_pair
from .arccos import StandardNormalKernel, angular_gram, arccos1_value


def ntk_first_value(cos, theta, dots, nx, ny):
    return dots * (np.pi - theta) / (2 * np.pi)


def ntk_both_value(cos, theta, dots, nx, ny):
    return ntk_first_value(cos, theta, dots, nx, ny) + arccos1_value(cos, theta, dots, nx, ny)


class NTK(StandardNormalKernel):
    """Two-layer ReLU NTK.

    Parameters
    ----------
    trained : {"first", "both"}
        Which layers are trained: ``"first"`` is the kernel of MATH.md section 7.
    """

    def __init__(self, trained: str = "first"):
        if trained not in ("first", "both"):
            raise ValueError(f"trained must be 'first' or 'both', got {trained!r}.")
        self.trained = trained
        self.name = "ntk" if trained == "first" else "ntk-full"
        self.family = "step" if trained == "first" else "ntk-full"

    def get_params(self):
        return {"trained": self.trained}

    def output_dim(self, n_features):
        return n_features + (1 if self.trained == "both" else 0)

    def phi(self, X, W):
        XW = X @ W.T.astype(X.dtype, copy=False)
        S = (XW >= 0).astype(X.dtype)
        P = X[:, None, :] * S[:, :, None]
        if self.trained == "both":
            P = np.concatenate([P, np.maximum(XW, 0.0)[:, :, None]], axis=2)
        return P

    def feature_matrix(self, X, W, scales=None):
        n, d = X.shape
        m = W.shape[0]
        XW = X @ W.T.astype(X.dtype, copy=False)
        coef = np.full(m, 1.0 / np.sqrt(m)) if scales is None else scales / np.sqrt(m)
        coef = coef.astype(X.dtype, copy=False)
        S = (XW >= 0).astype(X.dtype)
        S *= coef
        width = d * m + (m if self.trained == "both" else 0)
        Z = np.empty((n, width), dtype=X.dtype)
        np.multiply(X[:, :, None], S[:, None, :], out=Z[:, : d * m].reshape(n, d, m))
        if self.trained == "both":
            np.maximum(XW, 0.0, out=Z[:, d * m :])
            Z[:, d * m :] *= coef
        return Z

    def phi_sq_norms(self, X, W):
        XW = X @ W.T
        S = (XW >= 0).astype(np.float64)
        out = np.einsum("i,im->m", np.einsum("ij,ij->i", X, X), S)
        if self.trained == "both":
            R = np.maximum(XW, 0.0)
            out += np.einsum("im,im->m", R, R)
        return out

    def gram(self, X, Y=None):
        X, Y, same = validate_pair(X, Y)
        return angular_gram(X, Y, same, ntk_first_value if self.trained == "first" else ntk_both_value)
