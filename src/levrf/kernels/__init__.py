"""Kernels: base density, feature map and exact Gram (MATH.md section 1).

Any kernel can be given as an instance or by name with ``kernel_params``::

    get_kernel("gaussian", {"bandwidth": 2.0})   # == Gaussian(bandwidth=2.0)
"""

from __future__ import annotations

from .arccos import ArcCosine
from .base import CustomKernel, Kernel, standard_normal_log_density
from .fourier import FourierKernel, Gaussian, Laplacian
from .ntk import NTK

#: name -> (class, fixed keyword arguments)
KERNEL_NAMES = {
    "gaussian": (Gaussian, {}),
    "rbf": (Gaussian, {}),
    "laplacian": (Laplacian, {}),
    "arccos0": (ArcCosine, {"order": 0}),
    "arccos1": (ArcCosine, {"order": 1}),
    "ntk": (NTK, {"trained": "first"}),
    "ntk-full": (NTK, {"trained": "both"}),
}


def get_kernel(kernel, kernel_params: dict | None = None) -> Kernel:
    """Resolve a kernel given as an instance or a name (see ``KERNEL_NAMES``).

    Parameters
    ----------
    kernel : str or Kernel
    kernel_params : dict, optional
        Keyword arguments for a named kernel (e.g. ``{"bandwidth": 2.0}``).
    """
    if isinstance(kernel, Kernel):
        if kernel_params:
            raise ValueError(
                "kernel_params can only be used with a kernel given by name; "
                f"set the parameters on the instance {kernel!r} instead."
            )
        return kernel
    if isinstance(kernel, str):
        key = kernel.lower()
        if key not in KERNEL_NAMES:
            raise ValueError(
                f"kernel: unknown name {kernel!r}; choose one of {sorted(KERNEL_NAMES)} "
                f"or pass a levrf.kernels.Kernel instance."
            )
        cls, fixed = KERNEL_NAMES[key]
        params = dict(kernel_params or {})
        clash = set(params) & set(fixed)
        if clash:
            raise ValueError(f"kernel_params: {sorted(clash)} is fixed by the name {kernel!r}.")
        try:
            return cls(**fixed, **params)
        except TypeError as exc:
            raise TypeError(f"kernel_params for {kernel!r}: {exc}") from None
    raise TypeError(
        f"kernel must be a name from {sorted(KERNEL_NAMES)} or a levrf.kernels.Kernel instance, "
        f"got {type(kernel).__name__}."
    )


__all__ = [
    "ArcCosine",
    "CustomKernel",
    "FourierKernel",
    "Gaussian",
    "KERNEL_NAMES",
    "Kernel",
    "Laplacian",
    "NTK",
    "get_kernel",
    "standard_normal_log_density",
]
