"""The optional PyTorch dependency of :mod:`levrf.nn`, imported with a clear message."""

from __future__ import annotations

try:
    import torch
except ImportError as exc:  # pragma: no cover - exercised in a subprocess by the tests
    raise ImportError(
        "levrf.nn needs PyTorch, an optional extra of levrf; install it with "
        "`pip install levrf[torch]` (levrf pins torch>=2.13,<2.14). "
        "The rest of levrf (import levrf) works without it."
    ) from exc

__all__ = ["torch"]
