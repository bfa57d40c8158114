"""Two-layer ReLU networks, their initializations and training, against NTK ridge regression (MATH.md 7).

Needs the optional extra ``levrf[torch]``; ``import levrf`` works without it.

* :class:`TwoLayerReLU`: ``f(W, x) = kappa/sqrt(m) sum_r a_r c_r relu(w_r . x)``
  with a trained first layer and its tangent kernel.
* :mod:`levrf.nn.init`: ``gaussian_`` and ``leverage_`` initializers.
* :func:`train`: full-batch gradient descent on ``1/2 |y - u|^2 + alpha/2 |W|_F^2``.
* :func:`ntk_ridge_trajectory`: the NTK ridge regression trajectory in closed form.
* :func:`equivalence`: the width sweep comparing the two.
"""

from __future__ import annotations

from ._torch import torch  # noqa: F401  (raises a clear ImportError without PyTorch)
from . import init
from .dynamics import NTKRidgeTrajectory, ntk_ridge_trajectory
from .equivalence import EquivalenceResult, equivalence
from .network import TwoLayerReLU
from .train import Trajectory, train

__all__ = [
    "EquivalenceResult",
    "NTKRidgeTrajectory",
    "Trajectory",
    "TwoLayerReLU",
    "equivalence",
    "init",
    "ntk_ridge_trajectory",
    "train",
]
