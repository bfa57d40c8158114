"""Initializers of :class:`~levrf.nn.TwoLayerReLU`, in the style of :mod:`torch.nn.init` (MATH.md 7).

Both work in place, return the network, and draw everything (first-layer
weights ``w_r(0)``, output signs ``a_r``) from a numpy ``RandomState`` built by
``sklearn.utils.check_random_state(random_state)``, so that a network and a
:class:`levrf.RandomFeatures` fitted with the same ``random_state`` (and, for
leverage init, the same sampler and ``alpha / kappa^2``) get the same weights.
For a symmetric network ``m/2`` weights are drawn and each is used by a pair
of neurons with opposite signs ``a``.
"""

from __future__ import annotations

import numpy as np
from sklearn.utils import check_random_state

from .._validation import check_alpha, check_matrix
from ..kernels import NTK
from ..samplers import draw_features
from ._torch import torch


def _n_draws(net) -> int:
    return net.width // 2 if net.symmetric else net.width


def _signs(rng, k: int) -> np.ndarray:
    return 2.0 * rng.randint(0, 2, size=k) - 1.0


def _assign(net, W: np.ndarray, a: np.ndarray, c: np.ndarray, info: dict) -> None:
    if net.symmetric:
        W, a, c = np.vstack([W, W]), np.concatenate([a, -a]), np.concatenate([c, c])
    with torch.no_grad():
        dev, dt = net.weight.device, net.weight.dtype
        net.weight.copy_(torch.as_tensor(W, dtype=dt, device=dev))
        net.a.copy_(torch.as_tensor(a, dtype=dt, device=dev))
        net.c.copy_(torch.as_tensor(c, dtype=dt, device=dev))
    net.init_info = info


def gaussian_(net, random_state=None):
    """Gaussian initialization: ``w_r(0) ~ N(0, I_d)``, ``c_r = 1``, ``a_r`` uniform in {-1, +1}.

    Parameters
    ----------
    net : TwoLayerReLU
    random_state : int, RandomState or None

    Returns
    -------
    net, modified in place; ``net.init_info = {"init": "gaussian"}``.
    """
    rng = check_random_state(random_state)
    k = _n_draws(net)
    W = NTK().sample(k, net.in_features, rng)
    a = _signs(rng, k)
    _assign(net, W, a, np.ones(k), {"init": "gaussian"})
    return net


def leverage_(net, X, alpha: float, sampler: str = "leverage", random_state=None, **sampler_params):
    """Leverage-score initialization (MATH.md sections 3, 5 and 7).

    Draws ``w_r(0)`` from the leverage distribution of the first-layer NTK
    features for ``X`` at regularization ``lambda = alpha / kappa^2`` with
    :func:`levrf.samplers.draw_features`, and sets ``c_r = sqrt(p / q)``
    (the sampler's ``scales``), so that the tangent kernel at initialization is
    an unbiased modified random-feature approximation of ``K_ntk``.

    Parameters
    ----------
    net : TwoLayerReLU
    X : array-like of shape (n, d)
        Training inputs whose leverage distribution is used.
    alpha : float
        The training penalty ``alpha > 0`` (of ``alpha/2 |W|_F^2``); the
        sampler targets ``alpha / net.kappa**2``.
    sampler : str, default="leverage"
        A name in :data:`levrf.samplers.SAMPLERS` (e.g. ``"exact-pool"``).
    random_state : int, RandomState or None
    **sampler_params
        Passed to the sampler (e.g. ``pool_size=...``).

    Returns
    -------
    net, modified in place; ``net.init_info`` holds ``init``, ``alpha``,
    ``lambda`` and the sampler's diagnostics (name, time, effective sample size, ...).
    """
    X = check_matrix(X, "X", dtype=np.float64)
    if X.shape[1] != net.in_features:
        raise ValueError(f"X has {X.shape[1]} features, but the network has in_features={net.in_features}.")
    alpha = check_alpha(alpha)
    lam = alpha / net.kappa**2
    rng = check_random_state(random_state)
    k = _n_draws(net)
    W, c, info = draw_features(NTK(), X, k, sampler, lam, rng, sampler_params)
    a = _signs(rng, k)
    _assign(net, W, a, c, {"init": "leverage", "alpha": alpha, "lambda": lam, **info})
    return net


__all__ = ["gaussian_", "leverage_"]
