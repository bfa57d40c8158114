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

from ._validation import check_int


def classical(kernel, X, n_components, alpha, rng, **params):
    """Classical random features: ``w_r ~ p`` i.i.d., ``c_r = 1`` (MATH.md section 2)."""
    if params:
        raise TypeError(f"sampler 'classical' takes no sampler_params, got {sorted(params)}.")
    W = kernel.sample(n_components, X.shape[1], rng)
    return W, np.ones(n_components), {"sampler": "classical"}


def _resample(tau, n_components, rng):
    """Sampling-importance-resampling from a pool: indices drawn prop. to tau, c^2 = mean(tau) / tau."""
    tau = np.asarray(tau, dtype=np.float64)
    total = tau.sum()
    if not np.isfinite(total) or total <= 0:
        raise RuntimeError("all leverage scores in the pool are zero; increase alpha or the pool size.")
    idx = rng.choice(tau.size, size=n_components, replace=True, p=tau / total)
    scales = np.sqrt(tau.mean() / tau[idx])
    return idx, scales


def exact_pool(kernel, X, n_components, alpha, rng, pool_size=None, K=None):
    """Exact-pool resampling (MATH.md 5.1): a pool of ``pool_size`` draws from p, exact tau, SIR.

    The self-normalized weights ``c^2 = mean_pool(tau) / tau`` make
    ``E[Z Z^T] = K`` exactly for any pool size (the pool average of
    ``Phi Phi^T`` is unbiased). Cost O(n^3 + pool_size n^2 d2).
    """
    from .leverage import ridge_leverage

    if not kernel.has_exact_gram:
        raise ValueError(
            f"sampler 'exact-pool' needs the exact Gram of {kernel!r}, which it does not have; "
            f"use sampler='approx-pool'."
        )
    pool_size = max(4 * n_components, 2048) if pool_size is None else check_int(pool_size, "pool_size")
    W_pool = kernel.sample(pool_size, X.shape[1], rng)
    tau = ridge_leverage(kernel, X, W_pool, alpha, K=K)
    idx, scales = _resample(tau, n_components, rng)
    return W_pool[idx], scales, {
        "sampler": "exact-pool",
        "pool_size": pool_size,
        "s_q": float(tau.mean()),
        "tau_max_over_mean": float(tau.max() / tau.mean()),
    }


SAMPLERS = {"classical": classical, "exact-pool": exact_pool}


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
