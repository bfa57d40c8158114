"""levrf: leverage-score sampling of random features for kernel ridge regression and NTKs.

See ``docs/MATH.md`` for what every function computes.
"""

from . import kernels, samplers
from .features import RandomFeatures
from .leverage import (
    LeverageProfile,
    approx_ridge_leverage,
    feature_bound,
    leverage_profile,
    ridge_leverage,
    spectral_error,
    statistical_dimension,
)
from .ridge import KernelRidge, RandomFeatureRidge

__version__ = "0.1.0"

__all__ = [
    "KernelRidge",
    "LeverageProfile",
    "approx_ridge_leverage",
    "leverage_profile",
    "RandomFeatures",
    "RandomFeatureRidge",
    "__version__",
    "feature_bound",
    "kernels",
    "samplers",
    "ridge_leverage",
    "spectral_error",
    "statistical_dimension",
]
