"""Samplers: how the weights ``w_r`` and their scales ``c_r`` are drawn (MATH.md sections 2 and 5).

Every sampler is a function

    sampler(kernel, X, n_components, alpha, rng, **params) -> (W, scales, info)

returning ``W`` (m, d1), ``scales = c_r = sqrt(p / q)`` (m,) and a dict of
diagnostics recorded in ``RandomFeatures.sampler_info_``. Register new ones in
``SAMPLERS``.
"""

from __future__ import annotations

import inspect
import time

import numpy as np
from scipy import linalg

from ._validation import check_int


def classical(kernel, X, n_components, alpha, rng):
    """Classical random features: ``w_r ~ p`` i.i.d., ``c_r = 1`` (MATH.md section 2)."""
    W = kernel.sample(n_components, X.shape[1], rng)
    return W, np.ones(n_components), {"sampler": "classical"}


def _pool(kernel, pool_size, n_features, rng, widen, widen_weight):
    """Draw a candidate pool from the defensive mixture ``g = (1 - b) p + b p_t``.

    ``p_t`` is p scaled by ``widen`` (density ``p(w / t) / t^d``), ``b = widen_weight``.
    Returns ``W`` (M, d) and ``log(p / g)`` (M,). Leverage distributions put
    much of their mass in the tails of p when ``n / (lambda s_lambda)`` is large
    (tau rises to ``|Phi|^2 / lambda`` where K has no spectrum), which a pool
    drawn from p alone covers with a handful of candidates that SIR then
    duplicates; the wide component covers those tails, and ``p / g <= 1 / (1 - b)``
    keeps the importance ratios bounded. ``widen_weight=0`` is the plain pool of MATH.md 5.1.
    """
    if not 0 <= widen_weight < 1:
        raise ValueError(f"widen_weight must be in [0, 1), got {widen_weight}.")
    if widen < 1:
        raise ValueError(f"widen must be >= 1, got {widen}.")
    W = kernel.sample(pool_size, n_features, rng)
    if widen_weight == 0 or widen == 1:
        return W, np.zeros(pool_size)
    wide = rng.uniform(size=pool_size) < widen_weight
    W[wide] *= widen
    logp = kernel.log_density(W)
    logpt = kernel.log_density(W / widen) - n_features * np.log(widen)
    logg = np.logaddexp(np.log1p(-widen_weight) + logp, np.log(widen_weight) + logpt)
    return W, logp - logg


def _resample(tau, n_components, rng, log_ratio=None):
    """Sampling-importance-resampling (MATH.md 5.1, with a pool drawn from g).

    Resamples indices with probability prop. to ``r = (p / g) tau`` and sets
    ``c^2 = mean_pool(r) / tau``; ``mean_pool(r)`` estimates ``s_lambda`` and
    ``E[Z Z^T] = E_g[(p / g) Phi Phi^T] = K`` exactly for any pool size.
    Returns the indices, the scales and ``mean_pool(r)``.
    """
    tau = np.asarray(tau, dtype=np.float64)
    if log_ratio is None:
        r = tau
    else:
        r = tau * np.exp(log_ratio)
    total = r.sum()
    if not np.isfinite(total) or total <= 0:
        raise RuntimeError("all leverage scores in the pool are zero; increase alpha or the pool size.")
    idx = rng.choice(r.size, size=n_components, replace=True, p=r / total)
    s_hat = r.mean()
    return idx, np.sqrt(s_hat / tau[idx]), float(s_hat)


def exact_pool(kernel, X, n_components, alpha, rng, pool_size=None, widen=2.0, widen_weight=0.5, K=None):
    """Exact-pool resampling (MATH.md 5.1): a pool of candidates, exact tau, SIR.

    The pool comes from the defensive mixture of :func:`_pool` (half from p,
    half from p widened by 2, by default); the self-normalized weights make
    ``E[Z Z^T] = K`` exactly for any pool size. Cost O(n^3 + pool_size n^2 d2).
    """
    from .leverage import ridge_leverage

    _require_in_memory(X, "exact-pool")
    _require_exact_gram(kernel, "exact-pool")
    pool_size = max(4 * n_components, 2048) if pool_size is None else check_int(pool_size, "pool_size")
    W_pool, log_ratio = _pool(kernel, pool_size, X.shape[1], rng, widen, widen_weight)
    tau = ridge_leverage(kernel, X, W_pool, alpha, K=K)
    idx, scales, s_hat = _resample(tau, n_components, rng, log_ratio)
    return W_pool[idx], scales, {
        "sampler": "exact-pool",
        "pool_size": pool_size,
        "s_q": s_hat,
        "unique_fraction": float(np.unique(idx).size / n_components),
    }


def _require_in_memory(X, sampler):
    from ._chunks import is_dask_array

    if is_dask_array(X):
        raise ValueError(
            f"sampler {sampler!r} needs the data in memory; for dask arrays use sampler='approx-pool' "
            f"(or 'leverage', which picks it), or 'classical'."
        )


def _require_exact_gram(kernel, sampler):
    if not kernel.has_exact_gram:
        raise ValueError(
            f"sampler {sampler!r} needs the exact Gram of {kernel!r}, which it does not have; "
            f"use sampler='approx-pool'."
        )


def approx_pool(
    kernel,
    X,
    n_components,
    alpha,
    rng,
    pool_size=None,
    m0=None,
    n_stages=2,
    widen=2.0,
    widen_weight=0.5,
    batch_size=8192,
):
    """Approximate-pool resampling (MATH.md 5.2): SIR with tau from the Woodbury form over m0 features.

    Linear in n; streams over row blocks and accepts dask arrays. The
    self-normalized weights cancel the scale inflation of tau at small m0,
    and keep ``E[Z Z^T] = K`` exactly (the pool and the pilot are independent).

    Parameters
    ----------
    pool_size : int, default ``max(4 m, 2048)``
    m0 : int, default 256, capped so that ``m0 d2 <= 4096``
        (measured: m0 = 256 with 2 stages matched or beat m0 = m with 3 stages in
        spectral error on digits and diamonds, at a third of the cost)
    n_stages : int, default 2
        Stage 1 uses a classical pilot; each later stage resamples its pilot
        from the previous stage's pool by SIR (a leverage-sampled pilot
        resolves ``K + lambda I`` far better at small lambda). One pass over X
        for the pilot Gram plus one per block of candidates, per stage.
    """
    from .leverage import approx_ridge_leverage

    d2 = kernel.output_dim(X.shape[1])
    pool_size = max(4 * n_components, 2048) if pool_size is None else check_int(pool_size, "pool_size")
    if m0 is None:
        m0 = int(min(256, max(16, 4096 // d2)))
    m0 = check_int(m0, "m0")
    n_stages = check_int(n_stages, "n_stages")
    W0, c0 = kernel.sample(m0, X.shape[1], rng), None
    for stage in range(n_stages):
        W_pool, log_ratio = _pool(kernel, pool_size, X.shape[1], rng, widen, widen_weight)
        tau, ainfo = approx_ridge_leverage(kernel, X, W_pool, alpha, W0=W0, scales0=c0, batch_size=batch_size)
        if stage < n_stages - 1:
            idx0, c0, _ = _resample(tau, m0, rng, log_ratio)
            W0 = W_pool[idx0]
    idx, scales, s_hat = _resample(tau, n_components, rng, log_ratio)
    info = {
        "sampler": "approx-pool",
        "pool_size": pool_size,
        "s_q": s_hat,
        "unique_fraction": float(np.unique(idx).size / n_components),
        "n_stages": n_stages,
        **ainfo,
    }
    return W_pool[idx], scales, info


# ----------------------------------------------------------------- proposals
def _half_space_mixture(X, weights, n, rng):
    """Draw n from ``sum_i pi_i N(0, I) restricted to {w.x_i >= 0}`` (pi prop. to weights).

    Zero rows (always active under step(0) = 1) use N(0, I) itself.
    """
    pi = weights / weights.sum()
    idx = rng.choice(X.shape[0], size=n, p=pi)
    W = rng.standard_normal((n, X.shape[1]))
    dots = np.einsum("ij,ij->i", W, X[idx])
    W[dots < 0] *= -1.0
    return W


def _chi3_along(U, n, rng, two_sided):
    """Draw n from ``N(0, I)`` with the coordinate along unit row ``U[k]`` replaced by a chi_3.

    ``U`` is (n, d) of unit directions (one per draw). The density is
    prop. to ``p(w) (u.w)^2``, restricted to ``u.w > 0`` unless two_sided.
    """
    G = rng.standard_normal((n, U.shape[1]))
    G -= np.einsum("ij,ij->i", G, U)[:, None] * U
    t = np.sqrt(rng.chisquare(3, size=n))
    if two_sided:
        t *= rng.choice([-1.0, 1.0], size=n)
    return G + t[:, None] * U


def _relu_mixture(X, n, rng):
    """Draw n from the density prop. to ``p(w) sum_i relu(w.x_i)^2`` (mixture over i, weight |x_i|^2)."""
    sq = np.einsum("ij,ij->i", X, X)
    nz = sq > 0
    Xn, sqn = X[nz], sq[nz]
    idx = rng.choice(Xn.shape[0], size=n, p=sqn / sqn.sum())
    U = Xn[idx] / np.sqrt(sqn[idx])[:, None]
    return _chi3_along(U, n, rng, two_sided=False)


def _propose(kernel, X, n, rng):
    """Draw n proposals prop. to ``p(w) |Phi(w)|_F^2`` (MATH.md 5.3); Fourier: p itself."""
    fam = kernel.family
    if fam == "fourier":
        return kernel.sample(n, X.shape[1], rng)
    sq = np.einsum("ij,ij->i", X, X)
    if fam == "step":
        return _half_space_mixture(X, sq, n, rng)
    if fam == "sign":
        return _half_space_mixture(X, np.where(sq > 0, 0.5, 1.0), n, rng)
    if fam == "relu":
        return _relu_mixture(X, n, rng)
    raise ValueError(
        f"sampler 'rejection' has no proposal for {kernel!r} (family {fam!r}); it supports Fourier, "
        f"step (ntk), arccos0 and arccos1 features. Use sampler='exact-pool' or 'approx-pool'."
    )


def _expected_phi_sq(kernel, X):
    """``E_p |Phi(w)|_F^2`` in closed form, for the families with a proposal."""
    sq = np.einsum("ij,ij->i", X, X)
    fam = kernel.family
    if fam == "fourier":
        return float(X.shape[0])
    if fam in ("step", "relu"):
        return float(sq.sum() / 2)
    if fam == "sign":
        return float(np.sum(np.where(sq > 0, 0.5, 1.0)))
    return None


def rejection(kernel, X, n_components, alpha, rng, max_proposals=200_000, K=None):
    """Exact rejection sampling from the leverage distribution q (MATH.md 5.3).

    Proposes from ``p B / E_p[B]`` with ``B = |Phi(w)|_F^2 / lambda >= tau`` and
    accepts with probability ``tau / B``; accepted draws follow q exactly, with
    weights ``c^2 = s_lambda / tau``. Refuses when the expected number of
    proposals, ``m E_p[B] / s_lambda``, exceeds ``max_proposals``.
    """
    from .leverage import _regularized_cholesky, ridge_leverage, statistical_dimension

    _require_in_memory(X, "rejection")
    _require_exact_gram(kernel, "rejection")
    if _expected_phi_sq(kernel, X) is None:
        _propose(kernel, X, 1, rng)  # raises the explanatory error
    K = kernel.gram(X) if K is None else K
    s_lam = statistical_dimension(K, alpha)
    EB = _expected_phi_sq(kernel, X) / alpha
    rate = s_lam / EB
    expected = n_components / rate
    if expected > max_proposals:
        raise ValueError(
            f"sampler 'rejection' would need about {expected:,.0f} proposals (acceptance rate "
            f"{rate:.2e}): alpha={alpha:g} is small relative to the data. Use sampler='exact-pool' "
            f"or 'approx-pool', raise alpha, or raise sampler_params={{'max_proposals': ...}}."
        )
    _regularized_cholesky(K, alpha)  # clear error early if K + alpha I is singular
    accepted, taus, n_prop = [], [], 0
    need = n_components
    while need > 0:
        batch = int(min(max(64, 1.2 * need / rate), 4 * max_proposals))
        Wp = _propose(kernel, X, batch, rng)
        tau = ridge_leverage(kernel, X, Wp, alpha, K=K)
        B = kernel.phi_sq_norms(X, Wp) / alpha
        ok = rng.uniform(size=batch) * B < tau
        n_prop += batch
        accepted.append(Wp[ok][:need])
        taus.append(tau[ok][:need])
        need -= min(need, int(ok.sum()))
        if n_prop > 10 * max_proposals:
            raise RuntimeError("rejection sampling used 10x its proposal budget; use sampler='exact-pool'.")
    W = np.vstack(accepted)
    tau = np.concatenate(taus)
    return W, np.sqrt(s_lam / tau), {
        "sampler": "rejection",
        "s_q": float(s_lam),
        "s_lambda": float(s_lam),
        "acceptance_rate": float(n_components / n_prop),
        "expected_acceptance_rate": float(rate),
        "n_proposals": int(n_prop),
    }


# ------------------------------------------------------------- bound densities
def _relu_eigen_mixture(X, n, rng):
    """Draw n from ``p(w) w^T X^T X w / tr(X^T X)``: eigen-mixture, two-sided chi_3 along v_k (MATH.md 5.4)."""
    ev, V = linalg.eigh(X.T @ X)
    ev = np.clip(ev, 0.0, None)
    k = rng.choice(ev.size, size=n, p=ev / ev.sum())
    return _chi3_along(V[:, k].T.copy(), n, rng, two_sided=True)


def _fourier_box(kernel, X, alpha, box_weight, half_width):
    n, d = X.shape
    base = kernel.bandwidth if hasattr(kernel, "bandwidth") else kernel.scale
    L = half_width if half_width is not None else np.sqrt(2.0 * np.log(max(n / alpha, np.e))) / base
    a = box_weight
    if not 0 <= a < 1:
        raise ValueError(f"box_weight must be in [0, 1), got {a}.")
    return float(L), float(a)


def bound(kernel, X, n_components, alpha, rng, box_weight=0.5, half_width=None):
    """Closed-form upper-bound densities ``qt >= q_lambda`` sampled exactly (MATH.md 5.4).

    * arccos1 (ReLU): ``qt prop. to p(w) w^T X^T X w`` (eigen-mixture), ``c^2 = tr(X^T X) / w^T X^T X w``.
    * ntk (step) and arccos0: ``qt prop. to p(w) |Phi(w)|_F^2`` (half-space mixture),
      ``c^2 = E_p|Phi|_F^2 / |Phi(w)|_F^2``.
    * ntk-full: ``qt prop. to p(w) (sum_i |x_i|^2 step(w.x_i) + w^T X^T X w)``, both mixtures.
    * Fourier kernels (AKM+17): ``q = box_weight Uniform([-L, L]^d) + (1 - box_weight) p`` with
      ``L = sqrt(2 ln(n / lambda)) / bandwidth`` by default; ``c^2 = p / q``.

    ``s_q`` reported is ``int qt`` (an upper bound of the effective ``s_qt``).
    """
    _require_in_memory(X, "bound")
    fam = kernel.family
    n, d = X.shape
    sq = np.einsum("ij,ij->i", X, X)
    if fam == "relu":
        W = _relu_eigen_mixture(X, n_components, rng)
        A = X.T @ X
        quad = np.einsum("ij,jk,ik->i", W, A, W)
        tr = float(np.trace(A))
        return W, np.sqrt(tr / quad), {"sampler": "bound", "s_q": tr / alpha, "density": "p(w) w'X'Xw"}
    if fam in ("step", "sign"):
        W = _propose(kernel, X, n_components, rng)
        E = _expected_phi_sq(kernel, X)
        return W, np.sqrt(E / kernel.phi_sq_norms(X, W)), {
            "sampler": "bound",
            "s_q": E / alpha,
            "density": "p(w) |Phi(w)|_F^2",
        }
    if fam == "ntk-full":
        e_step, e_relu = sq.sum() / 2, sq.sum()
        from_step = rng.uniform(size=n_components) < e_step / (e_step + e_relu)
        W = np.empty((n_components, d))
        W[from_step] = _half_space_mixture(X, sq, int(from_step.sum()), rng)
        W[~from_step] = _relu_eigen_mixture(X, int((~from_step).sum()), rng)
        S = (W @ X.T >= 0).astype(np.float64)
        bval = S @ sq + np.einsum("ij,jk,ik->i", W, X.T @ X, W)
        return W, np.sqrt((e_step + e_relu) / bval), {
            "sampler": "bound",
            "s_q": float((e_step + e_relu) / alpha),
            "density": "p(w) (|Phi_step|^2 + w'X'Xw)",
        }
    if fam == "fourier":
        L, a = _fourier_box(kernel, X, alpha, box_weight, half_width)
        from_box = rng.uniform(size=n_components) < a
        W = kernel.sample(n_components, d, rng)
        W[from_box] = rng.uniform(-L, L, size=(int(from_box.sum()), d))
        logp = kernel.log_density(W)
        inside = np.all(np.abs(W) <= L, axis=1)
        log_box = np.where(inside, np.log(a) - d * np.log(2 * L) if a > 0 else -np.inf, -np.inf)
        logq = np.logaddexp(log_box, np.log1p(-a) + logp)
        return W, np.exp(0.5 * (logp - logq)), {
            "sampler": "bound",
            "density": "AKM+17 box mixture",
            "half_width": L,
            "box_weight": a,
            "s_q_bound": float(n / alpha / (1 - a)),
        }
    raise ValueError(
        f"sampler 'bound' has no closed-form density for {kernel!r} (family {fam!r}); "
        f"use sampler='exact-pool' or 'approx-pool'."
    )


# ------------------------------------------------------------------ automatic
#: largest n for which "leverage" uses exact leverage scores (an n x n Gram and Cholesky)
EXACT_MAX_N = 5000


def leverage(kernel, X, n_components, alpha, rng, exact_max_n=EXACT_MAX_N, pool_size=None, m0=None):
    """Pick a leverage sampler by problem size; the choice is recorded in ``sampler_info_``.

    With the data in memory, a closed-form Gram and ``n <= exact_max_n``:
    exact rejection sampling when its expected number of proposals is at most
    the pool size ``max(16 m, 8192)`` (same cost, exact law), else exact-pool
    with that pool. Otherwise approx-pool (linear in n, streams, accepts dask).
    """
    from ._chunks import is_dask_array
    from .leverage import statistical_dimension

    n = X.shape[0]
    if kernel.has_exact_gram and not is_dask_array(X) and n <= exact_max_n:
        pool = max(16 * n_components, 8192) if pool_size is None else check_int(pool_size, "pool_size")
        K = kernel.gram(X)
        E = _expected_phi_sq(kernel, X)
        expected = None
        if E is not None:
            expected = n_components * (E / alpha) / statistical_dimension(K, alpha)
        if expected is not None and expected <= pool:
            W, c, info = rejection(kernel, X, n_components, alpha, rng, max_proposals=pool, K=K)
            reason = f"exact rejection: about {expected:,.0f} proposals expected (<= pool size {pool})"
        else:
            W, c, info = exact_pool(kernel, X, n_components, alpha, rng, pool_size=pool, K=K)
            reason = f"n = {n} <= {exact_max_n} with a closed-form Gram; rejection too costly or unavailable"
    else:
        W, c, info = approx_pool(kernel, X, n_components, alpha, rng, pool_size=pool_size, m0=m0)
        reason = "large n, dask input or no closed-form Gram"
    info = {**info, "chosen": info["sampler"], "reason": reason, "sampler": "leverage"}
    return W, c, info


SAMPLERS = {
    "classical": classical,
    "exact-pool": exact_pool,
    "approx-pool": approx_pool,
    "rejection": rejection,
    "bound": bound,
    "leverage": leverage,
}



def draw_features(kernel, X, n_components: int, sampler: str, alpha, rng, params: dict | None = None):
    """Run the named sampler, timing it and checking what it returns."""
    if not isinstance(sampler, str) or sampler not in SAMPLERS:
        raise ValueError(f"sampler: unknown value {sampler!r}; choose one of {sorted(SAMPLERS)}.")
    params = dict(params or {})
    fn = SAMPLERS[sampler]
    allowed = [p for p in inspect.signature(fn).parameters if p not in ("kernel", "X", "n_components", "alpha", "rng")]
    unknown = sorted(set(params) - set(allowed))
    if unknown:
        raise TypeError(
            f"sampler_params: {unknown} not understood by sampler {sampler!r}; it accepts {allowed or 'none'}."
        )
    t0 = time.perf_counter()
    W, scales, info = fn(kernel, X, n_components, alpha, rng, **params)
    info = dict(info)
    info.setdefault("sampler", sampler)
    info["time_s"] = time.perf_counter() - t0
    scales = np.asarray(scales, dtype=np.float64)
    if not np.all(np.isfinite(scales)) or np.any(scales < 0):
        raise RuntimeError(f"sampler {sampler!r} produced non-finite or negative scales; please report this.")
    w2 = scales**2
    info.setdefault("effective_sample_size", float(w2.sum() ** 2 / np.sum(w2**2)) if w2.sum() > 0 else 0.0)
    return np.asarray(W, dtype=np.float64), scales, info
