"""Samplers: how the weights ``w_r`` and their scales ``c_r`` are drawn (MATH.md sections 2 and 5).

Every sampler is a function

    sampler(kernel, X, n_components, alpha, rng, **params) -> (W, scales, info)

returning ``W`` (m, d1), ``scales = c_r = sqrt(p / q)`` (m,) and a dict of
diagnostics recorded in ``RandomFeatures.sampler_info_``. Register new ones in
``SAMPLERS``.
"""

from __future__ import annotations

import time

import numpy as np


def classical(kernel, X, n_components, alpha, rng, **params):
    """Classical random features: ``w_r ~ p`` i.i.d., ``c_r = 1`` (MATH.md section 2)."""
    if params:
        raise TypeError(f"sampler 'classical' takes no sampler_params, got {sorted(params)}.")
    W = kernel.sample(n_components, X.shape[1], rng)
    return W, np.ones(n_components), {"sampler": "classical"}


SAMPLERS = {"classical": classical}


def draw_features(kernel, X, n_components: int, sampler: str, alpha, rng, params: dict | None = None):
    """Run the named sampler, timing it and checking what it returns."""
    if not isinstance(sampler, str) or sampler not in SAMPLERS:
        raise ValueError(f"sampler: unknown value {sampler!r}; choose one of {sorted(SAMPLERS)}.")
    t0 = time.perf_counter()
    W, scales, info = SAMPLERS[sampler](kernel, X, n_components, alpha, rng, **(params or {}))
    info = dict(info)
    info.setdefault("sampler", sampler)
    info["time_s"] = time.perf_counter() - t0
    scales = np.asarray(scales, dtype=np.float64)
    if not np.all(np.isfinite(scales)) or np.any(scales < 0):
        raise RuntimeError(f"sampler {sampler!r} produced non-finite or negative scales; please report this.")
    w2 = scales**2
    info.setdefault("effective_sample_size", float(w2.sum() ** 2 / np.sum(w2**2)) if w2.sum() > 0 else 0.0)
    return np.asarray(W, dtype=np.float64), scales, info
