"""The kernel protocol (MATH.md section 1).

A kernel is a base density ``p`` on ``R^{d1}`` together with a feature map
``phi(x, w) in R^{d2}`` such that ``K(x, z) = E_{w ~ p}[phi(x, w)^T phi(z, w)]``.

Every kernel offers four things:

* ``sample(n_samples, n_features, random_state)``: draws ``W`` (m, d1) from ``p``;
* ``log_density(W)``: ``log p(w)`` for each row, shape (m,);
* ``phi(X, W)``: the feature map, shape (n, m, d2);
* ``gram(X, Y=None)``: the exact Gram matrix (n, n') where a closed form exists.

A new kernel needs only the first three (subclass :class:`Kernel`, or wrap
three callables with :class:`CustomKernel`); its ``gram`` then raises a clear
error, and :meth:`Kernel.monte_carlo_gram` gives an explicit estimate.
"""

from __future__ import annotations

from typing import Callable

import numpy as np
from sklearn.utils import check_random_state

from .._validation import check_int, check_matrix

#: rows per block when computing Gram matrices and feature matrices; keeps the
#: scratch memory O(chunk * n) on top of the output.
GRAM_CHUNK = 2048


class Kernel:
    """Base class of all kernels; see the module docstring for the protocol.

    Attributes
    ----------
    name : str
        Short name, the string accepted wherever a kernel is.
    family : str
        ``"fourier"`` (``[cos, sin]`` features), ``"step"`` (``x * step(w.x)``),
        ``"relu"``, ``"sign"`` (``step(w.x)``) or ``"generic"``. Samplers use it
        to pick closed-form shortcuts (MATH.md section 5).
    """

    name = "custom"
    family = "generic"

    # ------------------------------------------------------------------ protocol
    def output_dim(self, n_features: int) -> int:
        """``d2``: the length of ``phi(x, w)`` for inputs with ``n_features`` columns."""
        raise NotImplementedError

    def sample(self, n_samples: int, n_features: int, random_state=None) -> np.ndarray:
        """Draw ``W`` of shape (n_samples, n_features) i.i.d. from ``p``."""
        raise NotImplementedError

    def log_density(self, W: np.ndarray) -> np.ndarray:
        """``log p(w)`` for each row of ``W`` (m, d1); returns shape (m,)."""
        raise NotImplementedError

    def phi(self, X: np.ndarray, W: np.ndarray) -> np.ndarray:
        """Feature map ``phi(x_i, w_r)``, shape (n, m, d2)."""
        raise NotImplementedError

    def gram(self, X, Y=None) -> np.ndarray:
        """Exact ``K(X, Y)``, shape (n, n'). Kernels without a closed form raise."""
        raise NotImplementedError(
            f"kernel {self!r} has no closed-form Gram matrix; call "
            f"kernel.monte_carlo_gram(X, Y, n_samples=..., random_state=...) for a "
            f"Monte Carlo estimate, or implement gram() in your Kernel subclass."
        )

    @property
    def has_exact_gram(self) -> bool:
        return type(self).gram is not Kernel.gram

    # ------------------------------------------------------------- derived tools
    def feature_matrix(self, X: np.ndarray, W: np.ndarray, scales: np.ndarray | None = None) -> np.ndarray:
        """Random-feature matrix ``Z`` (n, d2 * m) of MATH.md section 2.

        Layout is component-major: ``Z[:, j * m + r] = c_r phi_j(x, w_r) / sqrt(m)``,
        so that ``Z Z^T = (1/m) sum_r c_r^2 Phi(w_r) Phi(w_r)^T``.
        Subclasses override this with a faster route; the default reshapes ``phi``.
        """
        m = W.shape[0]
        P = self.phi(X, W)  # (n, m, d2)
        coef = np.full(m, 1.0 / np.sqrt(m), dtype=X.dtype)
        if scales is not None:
            coef = coef * scales.astype(X.dtype, copy=False)
        P = P * coef[None, :, None]
        return np.ascontiguousarray(P.transpose(0, 2, 1)).reshape(X.shape[0], -1)

    def phi_sq_norms(self, X: np.ndarray, W: np.ndarray) -> np.ndarray:
        """``|Phi(w_r)|_F^2 = sum_i |phi(x_i, w_r)|^2`` for each row of ``W``, shape (m,)."""
        out = np.zeros(W.shape[0])
        for start in range(0, X.shape[0], GRAM_CHUNK):
            P = self.phi(X[start : start + GRAM_CHUNK], W)
            out += np.einsum("imk,imk->m", P, P)
        return out

    def monte_carlo_gram(self, X, Y=None, n_samples: int = 10_000, random_state=None) -> np.ndarray:
        """Monte Carlo estimate of ``K(X, Y) = E_p[Phi_X(w) Phi_Y(w)^T]`` from ``n_samples`` draws."""
        X = check_matrix(X, "X", dtype=np.float64)
        Y = X if Y is None else check_matrix(Y, "Y", dtype=np.float64)
        if Y.shape[1] != X.shape[1]:
            raise ValueError(f"X has {X.shape[1]} features but Y has {Y.shape[1]}; they must match.")
        n_samples = check_int(n_samples, "n_samples")
        W = self.sample(n_samples, X.shape[1], random_state)
        return self.feature_matrix(X, W) @ self.feature_matrix(Y, W).T

    def __repr__(self) -> str:
        params = ", ".join(f"{k}={v!r}" for k, v in self.get_params().items())
        return f"{type(self).__name__}({params})"

    def get_params(self) -> dict:
        return {}

    def __eq__(self, other) -> bool:
        return type(self) is type(other) and self.get_params() == other.get_params()

    def __hash__(self) -> int:
        return hash((type(self).__name__, tuple(sorted(self.get_params().items()))))


def standard_normal_log_density(W: np.ndarray, scale: float = 1.0) -> np.ndarray:
    """log density of N(0, scale^2 I_d) at each row of ``W``."""
    d = W.shape[1]
    return -0.5 * np.einsum("ij,ij->i", W, W) / scale**2 - d * (0.5 * np.log(2 * np.pi) + np.log(scale))


class CustomKernel(Kernel):
    """A user-defined kernel from three callables.

    Parameters
    ----------
    sample : callable ``(n_samples, n_features, rng) -> W`` (m, d1)
        Draws from ``p``; ``rng`` is a ``numpy.random.RandomState``.
    log_density : callable ``W -> (m,)``
        ``log p(w)``.
    phi : callable ``(X, W) -> (n, m, d2)``
        The feature map.
    gram : callable ``(X, Y) -> (n, n')``, optional
        A closed-form Gram matrix, if known.
    name : str
        Shown in reports.

    Examples
    --------
    A linear-times-cosine kernel (illustrative)::

        k = CustomKernel(sample=lambda m, d, rng: rng.standard_normal((m, d)),
                         log_density=lambda W: standard_normal_log_density(W),
                         phi=lambda X, W: np.cos(X @ W.T)[:, :, None])
    """

    def __init__(
        self,
        sample: Callable,
        log_density: Callable,
        phi: Callable,
        gram: Callable | None = None,
        name: str = "custom",
    ):
        for arg, fn in (("sample", sample), ("log_density", log_density), ("phi", phi)):
            if not callable(fn):
                raise TypeError(f"CustomKernel: {arg} must be callable, got {type(fn).__name__}.")
        self._sample, self._log_density, self._phi, self._gram = sample, log_density, phi, gram
        self.name = name

    def sample(self, n_samples, n_features, random_state=None):
        W = np.asarray(self._sample(n_samples, n_features, check_random_state(random_state)), dtype=np.float64)
        if W.shape != (n_samples, n_features):
            raise ValueError(
                f"CustomKernel {self.name!r}: sample() returned shape {W.shape}, expected ({n_samples}, {n_features})."
            )
        return W

    def log_density(self, W):
        return np.asarray(self._log_density(W), dtype=np.float64).reshape(W.shape[0])

    def phi(self, X, W):
        P = np.asarray(self._phi(X, W))
        if P.ndim == 2:
            P = P[:, :, None]
        if P.shape[:2] != (X.shape[0], W.shape[0]):
            raise ValueError(
                f"CustomKernel {self.name!r}: phi() returned shape {P.shape}, expected "
                f"({X.shape[0]}, {W.shape[0]}, d2)."
            )
        return P.astype(X.dtype, copy=False)

    def output_dim(self, n_features):
        x = np.zeros((1, n_features))
        return self.phi(x, self.sample(1, n_features, 0)).shape[2]

    def gram(self, X, Y=None):
        if self._gram is None:
            return Kernel.gram(self, X, Y)
        X = check_matrix(X, "X")
        Y = X if Y is None else check_matrix(Y, "Y")
        return np.asarray(self._gram(X, Y), dtype=np.float64)

    @property
    def has_exact_gram(self):
        return self._gram is not None

    def get_params(self):
        return {"name": self.name}

    def __eq__(self, other):
        return self is other

    def __hash__(self):
        return id(self)
