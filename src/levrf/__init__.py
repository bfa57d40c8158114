"""levrf: leverage-score sampling of random features for kernel ridge regression and NTKs.

See ``docs/MATH.md`` for what every function computes.
"""

from . import kernels
from .features import RandomFeatures
from .leverage import feature_bound, ridge_leverage, spectral_error, statistical_dimension
from .ridge import KernelRidge

__version__ = "0.1.0"

__all__ = [
    "KernelRidge",
    "RandomFeatures",
    "__version__",
    "feature_bound",
    "kernels",
    "ridge_leverage",
    "spectral_error",
    "statistical_dimension",
]
