"""The two-layer ReLU network of MATH.md section 7 and its tangent kernel."""

from __future__ import annotations

import math

import numpy as np

from .._validation import check_int, check_positive
from ._torch import torch

_FLOAT_DTYPES = (torch.float64, torch.float32)

#: neurons per block in the training kernels (scratch of n * BLOCK numbers per block)
BLOCK = 1024
#: up to this many bytes the pre-activations (n, m) are kept between the forward and
#: backward pass of :meth:`TwoLayerReLU.loss_and_grad`; above it they are recomputed
WORKSPACE_BYTES = 2**29


def as_input_tensor(X, name: str, n_features: int, dtype, device) -> "torch.Tensor":
    """``X`` (array-like or tensor) as a finite 2-D tensor of the given dtype with ``n_features`` columns."""
    if X is None:
        raise ValueError(f"{name} is None; pass a 2-D array of shape (n_samples, {n_features}).")
    if isinstance(X, torch.Tensor):
        T = X.detach()
    else:
        try:
            arr = np.asarray(X, dtype=np.float64)
        except (TypeError, ValueError):
            raise TypeError(f"{name} must be a numeric 2-D array, got {type(X).__name__}.") from None
        T = torch.from_numpy(np.ascontiguousarray(arr))
    if T.ndim != 2:
        raise ValueError(f"{name} must be 2-D of shape (n_samples, {n_features}), got shape {tuple(T.shape)}.")
    if T.shape[0] < 1:
        raise ValueError(f"{name} has no rows; pass at least one sample.")
    if T.shape[1] != n_features:
        raise ValueError(f"{name} has {T.shape[1]} features, but the network has in_features={n_features}.")
    T = T.to(dtype=dtype, device=device)
    if not bool(torch.isfinite(T).all()):
        raise ValueError(f"{name} contains NaN or infinity; pass finite values.")
    return T


class TwoLayerReLU(torch.nn.Module):
    """Two-layer ReLU network with a trained first layer (MATH.md section 7).

    ``f(W, x) = kappa / sqrt(m) * sum_r a_r c_r relu(w_r . x)``

    The output signs ``a_r`` (uniform in {-1, +1}) and per-neuron scales ``c_r``
    are buffers, fixed at initialization; only the first layer ``W = weight``
    (m, d) is a parameter. ``c_r = 1`` for Gaussian initialization and
    ``c_r = sqrt(p / q)`` for leverage-score initialization (see
    :mod:`levrf.nn.init`). A new network is Gaussian-initialized
    (:func:`levrf.nn.init.gaussian_` with ``random_state``).

    Parameters
    ----------
    in_features : int
        Input dimension ``d``.
    width : int
        Number of hidden neurons ``m``; even when ``symmetric=True``.
    kappa : float, default=1.0
        Output scale ``kappa > 0``.
    symmetric : bool, default=False
        Pair neuron ``r`` with neuron ``r + m/2``: equal ``w`` and ``c``, opposite
        ``a``, so that the initial output is exactly zero (MATH.md section 7).
        The pairing is imposed at initialization only; training moves the two
        halves apart.
    dtype : torch.dtype, default=torch.float64
    device : torch.device or str, optional
    random_state : int, RandomState or None
        Seed of the Gaussian initialization done at construction.

    Attributes
    ----------
    weight : torch.nn.Parameter of shape (m, d)
    a : buffer of shape (m,)
    c : buffer of shape (m,)
    init_info : dict
        What the last initializer did (name, sampler diagnostics, ...).

    Notes
    -----
    The forward pass sums ``a_r c_r relu(w_r . x)`` elementwise before the
    reduction over neurons (and, for a symmetric network, adds each pair first),
    so that a symmetric network's initial output is exactly 0.
    """

    def __init__(
        self,
        in_features: int,
        width: int,
        kappa: float = 1.0,
        symmetric: bool = False,
        *,
        dtype: "torch.dtype" = torch.float64,
        device=None,
        random_state=None,
    ):
        super().__init__()
        in_features = check_int(in_features, "in_features")
        width = check_int(width, "width")
        kappa = check_positive(kappa, "kappa")
        if not isinstance(symmetric, (bool, np.bool_)):
            raise TypeError(f"symmetric must be True or False, got {symmetric!r}.")
        if symmetric and width % 2:
            raise ValueError(
                f"width must be even when symmetric=True (neurons come in pairs), got width={width}."
            )
        if dtype not in _FLOAT_DTYPES:
            raise TypeError(f"dtype must be torch.float64 or torch.float32, got {dtype!r}.")
        self.in_features = in_features
        self.width = width
        self.kappa = kappa
        self.symmetric = bool(symmetric)
        self.weight = torch.nn.Parameter(torch.empty(width, in_features, dtype=dtype, device=device))
        self.register_buffer("a", torch.ones(width, dtype=dtype, device=device))
        self.register_buffer("c", torch.ones(width, dtype=dtype, device=device))
        self.init_info: dict = {}
        from .init import gaussian_

        gaussian_(self, random_state)

    # ------------------------------------------------------------------ forward
    def _check_input(self, X, name: str = "X") -> "torch.Tensor":
        return as_input_tensor(X, name, self.in_features, self.weight.dtype, self.weight.device)

    def forward(self, x: "torch.Tensor") -> "torch.Tensor":
        """Network output ``f(W, x)`` for ``x`` of shape (n, d); returns shape (n,) (autograd-capable)."""
        ac = self.a * self.c
        if self.symmetric:
            h = self.width // 2
            # fresh (equally aligned) copies of the two halves make their pre-activations
            # bitwise equal while the weights are, so each pair cancels exactly at init
            W1, W2 = self.weight[:h].clone(), self.weight[h:].clone()
            T = torch.relu(x @ W1.T) * ac[:h] + torch.relu(x @ W2.T) * ac[h:]
        else:
            T = torch.relu(x @ self.weight.T) * ac
        return T.sum(dim=1) * (self.kappa / math.sqrt(self.width))

    # ------------------------------------------- blocked kernels for training
    def _groups(self) -> list:
        """Neuron index ranges processed together: pairs (r, r + m/2) for a symmetric net."""
        m, B = self.width, BLOCK
        if self.symmetric:
            h = m // 2
            return [((s, min(s + B, h)), (h + s, h + min(s + B, h))) for s in range(0, h, B)]
        return [((s, min(s + B, m)),) for s in range(0, m, B)]

    def _workspace(self, n: int, store: bool) -> list:
        key = (n, store, self.weight.dtype, self.weight.device, self.width, self.symmetric)
        cache = self.__dict__.setdefault("_ws_cache", {})
        if key not in cache:
            if len(cache) >= 4:
                cache.clear()
            opts = {"dtype": self.weight.dtype, "device": self.weight.device}
            if store:
                ws = [[torch.empty(n, hi - lo, **opts) for lo, hi in g] for g in self._groups()]
            else:
                k = 2 if self.symmetric else 1
                scratch = [torch.empty(n, BLOCK, **opts) for _ in range(k)]
                ws = [[scratch[j][:, : hi - lo] for j, (lo, hi) in enumerate(g)] for g in self._groups()]
            cache[key] = ws
        return cache[key]

    def _preactivation(self, X, lo: int, hi: int, out) -> None:
        torch.matmul(X, self.weight[lo:hi].detach().clone().T, out=out)

    @torch.no_grad()
    def _output(self, X, ws) -> "torch.Tensor":
        """``f(W, X)`` block by block; leaves ``relu(X w_r)`` in the workspace ``ws``."""
        ac = self.a * self.c
        u = torch.zeros(X.shape[0], dtype=X.dtype, device=X.device)
        for g, slots in zip(self._groups(), ws):
            T = None
            for (lo, hi), P in zip(g, slots):
                self._preactivation(X, lo, hi, P)
                P.clamp_(min=0)
                Tk = P * ac[lo:hi]
                T = Tk if T is None else T.add_(Tk)
            u += T.sum(dim=1)
        return u * (self.kappa / math.sqrt(self.width))

    @torch.no_grad()
    def loss_and_grad(self, X: "torch.Tensor", y: "torch.Tensor", alpha: float):
        """``u = f(W, X)``, ``L = 1/2 |y - u|^2 + alpha/2 |W|_F^2`` and ``grad_W L`` (MATH.md 7).

        Hand-written and blocked over ``BLOCK`` neurons, so that the scratch stays
        in cache and nothing of size (n, m) is allocated per step;
        ``relu'(z) = 1[z > 0]`` as in autograd. ``X`` (n, d) and ``y`` (n,) are
        tensors of the network's dtype (validated by the caller).

        Returns
        -------
        u : tensor (n,), loss : float, grad : tensor (m, d)
        """
        n = X.shape[0]
        store = n * self.width * self.weight.element_size() <= WORKSPACE_BYTES
        ws = self._workspace(n, store)
        u = self._output(X, ws)
        e = y - u
        W = self.weight
        loss = 0.5 * float(e @ e) + 0.5 * alpha * float(torch.sum(W.detach() ** 2))
        grad = torch.empty_like(W)
        for g, slots in zip(self._groups(), ws):
            for (lo, hi), P in zip(g, slots):
                if not store:
                    self._preactivation(X, lo, hi, P)
                P.gt_(0)
                P.mul_(e[:, None])
                torch.matmul(P.T, X, out=grad[lo:hi])
        grad.mul_((-(self.kappa / math.sqrt(self.width)) * self.a * self.c)[:, None])
        grad.add_(W.detach(), alpha=alpha)
        return u, loss, grad

    @torch.no_grad()
    def predict(self, X) -> np.ndarray:
        """``f(W, X)`` as a numpy array of shape (n,); ``X`` is array-like (n, d)."""
        X = self._check_input(X)
        return self._output(X, self._workspace(X.shape[0], False)).cpu().numpy()

    # ---------------------------------------------------------- tangent kernel
    @torch.no_grad()
    def tangent_kernel(self, X, Y=None) -> "torch.Tensor":
        """Tangent kernel w.r.t. the first layer, divided by ``kappa^2`` (MATH.md section 7).

        ``H(X, Y)_ij = (1/m) sum_r c_r^2 (x_i . y_j) 1[w_r . x_i >= 0] 1[w_r . y_j >= 0]``,
        i.e. ``<grad_W f(x_i), grad_W f(y_j)> / kappa^2``, the modified
        random-feature approximation of the first-layer NTK with the current
        weights (``step(0) = 1`` as in :class:`levrf.kernels.NTK`).

        Parameters
        ----------
        X : array-like or tensor of shape (n, d)
        Y : array-like or tensor of shape (n', d), optional
            Defaults to ``X``.

        Returns
        -------
        torch.Tensor of shape (n, n'), detached, in the network's dtype.
        """
        X = self._check_input(X, "X")
        Yt = X if Y is None else self._check_input(Y, "Y")
        H = torch.zeros(X.shape[0], Yt.shape[0], dtype=X.dtype, device=X.device)
        coef = self.c**2 / self.width
        for lo in range(0, self.width, BLOCK):
            Wb = self.weight[lo : lo + BLOCK].detach()
            SX = (X @ Wb.T >= 0).to(X.dtype)
            SY = SX if Y is None else (Yt @ Wb.T >= 0).to(X.dtype)
            H.addmm_(SX * coef[lo : lo + BLOCK], SY.T)
        H *= X @ Yt.T
        if Y is None:
            H = 0.5 * (H + H.T)
        return H

    def extra_repr(self) -> str:
        return (
            f"in_features={self.in_features}, width={self.width}, kappa={self.kappa:g}, "
            f"symmetric={self.symmetric}, init={self.init_info.get('init', '?')!r}"
        )
