"""The computations behind the reports: each returns plain rows (dicts) for tables and plots."""

from __future__ import annotations

import time
import warnings

import numpy as np

from ..kernels import get_kernel


def progress_bar(total: int, desc: str, enabled: bool):
    """A tqdm bar on stderr, or a no-op stand-in when progress is off."""
    if enabled:
        from tqdm.auto import tqdm

        return tqdm(total=total, desc=desc, leave=False, dynamic_ncols=True)
    return _NoBar()


class _NoBar:
    def update(self, n=1):
        pass

    def set_postfix_str(self, s):
        pass

    def close(self):
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def _seed(*keys) -> int:
    """A 32-bit seed derived from integer keys (runs are reproducible bit for bit)."""
    return int(np.random.SeedSequence([int(k) for k in keys]).generate_state(1)[0])


# --------------------------------------------------------------------- data
def unit_rows(X: np.ndarray, mean: np.ndarray) -> np.ndarray:
    """Center by ``mean`` and scale every non-zero row to unit norm (the NTK's natural input)."""
    Z = X - mean
    norms = np.linalg.norm(Z, axis=1, keepdims=True)
    return Z / np.where(norms > 0, norms, 1.0)


def split(n: int, n_train: int, n_test: int, seed: int):
    """Disjoint random train and test indices (``n_train + n_test <= n`` after clipping)."""
    idx = np.random.default_rng(_seed(seed, 7)).permutation(n)
    n_train = min(n_train, n - 1)
    n_test = max(1, min(n_test, n - n_train))
    return idx[:n_train], idx[n_train : n_train + n_test]


def digits(seed: int, n_train: int, n_test: int):
    """scikit-learn's digits: centered by the training mean, unit-norm rows; integer labels."""
    from sklearn.datasets import load_digits

    X, y = load_digits(return_X_y=True)
    tr, te = split(len(X), n_train, n_test, seed)
    mean = X[tr].mean(axis=0)
    return unit_rows(X[tr], mean), y[tr], unit_rows(X[te], mean), y[te]


def network_task(X, y, n_train: int, n_test: int, seed: int):
    """User data for the network experiment: centered unit-norm rows, standardized target."""
    tr, te = split(X.shape[0], n_train, n_test, seed)
    mean = X[tr].mean(axis=0)
    mu, sd = float(y[tr].mean()), float(y[tr].std())
    sd = sd if sd > 0 else 1.0
    return unit_rows(X[tr], mean), (y[tr] - mu) / sd, unit_rows(X[te], mean), (y[te] - mu) / sd


# ----------------------------------------------------- (a) statistical dimension
def statistical_dimension_grid(X, kernel, ns, alphas, kernel_params=None, progress=False):
    """Rows ``{n, alpha, s_lambda, s_over_n}`` of ``s_lambda = tr K (K + alpha I)^-1`` on the first n rows."""
    from ..leverage import statistical_dimension

    kern = get_kernel(kernel, kernel_params)
    rows = []
    with progress_bar(len(ns), "statistical dimension", progress) as bar:
        for n in ns:
            s = statistical_dimension(kern.gram(X[:n]), np.asarray(alphas, dtype=float))
            rows += [{"n": int(n), "alpha": float(a), "s_lambda": float(v), "s_over_n": float(v) / n}
                     for a, v in zip(alphas, s)]
            bar.update()
    return rows


# --------------------------------------------------------- (b) spectral error
def spectral_sweep(X, kernel, alpha, ms, samplers, repeats, seed, *, kernel_params=None,
                   sampler_params=None, progress=False):
    """Spectral error of MATH.md 4 against the exact Gram, per sampler, m and repeat.

    Returns ``(rows, refused, K)``: rows ``{sampler, m, repeat, eps, time_s, s_q, chosen}``,
    ``refused[sampler] = reason`` for samplers the kernel or data refuse (skipped), and the Gram.
    """
    from ..features import RandomFeatures
    from ..leverage import spectral_error

    kern = get_kernel(kernel, kernel_params)
    K = kern.gram(X)
    rows, refused = [], {}
    total = len(samplers) * len(ms) * repeats
    with progress_bar(total, "spectral error", progress) as bar:
        for si, name in enumerate(samplers):
            for m in ms:
                for r in range(repeats):
                    if name in refused:
                        bar.update()
                        continue
                    bar.set_postfix_str(f"{name} m={m}")
                    t0 = time.perf_counter()
                    rf = RandomFeatures(kern, m, sampler=name, alpha=alpha,
                                        sampler_params=(sampler_params or {}).get(name),
                                        random_state=_seed(seed, si, m, r))
                    try:
                        with warnings.catch_warnings():
                            warnings.simplefilter("ignore")
                            rf.fit(X)
                    except (ValueError, RuntimeError) as exc:
                        refused[name] = " ".join(str(exc).split())
                        bar.update()
                        continue
                    eps = spectral_error(K, rf.transform(X), alpha)
                    info = rf.sampler_info_
                    rows.append({
                        "sampler": name, "m": int(m), "repeat": r, "eps": float(eps),
                        "time_s": time.perf_counter() - t0, "s_q": float(info.get("s_q", np.nan)),
                        "chosen": info.get("chosen", name),
                    })
                    bar.update()
    return rows, refused, K


def summarize(rows, keys, value):
    """Median, min and max of ``value`` over rows grouped by ``keys`` (first-seen order)."""
    groups = {}
    for r in rows:
        groups.setdefault(tuple(r[k] for k in keys), []).append(r[value])
    out = []
    for key, vals in groups.items():
        v = np.asarray(vals, dtype=float)
        out.append({**dict(zip(keys, key)), "median": float(np.median(v)), "min": float(v.min()),
                    "max": float(v.max()), "count": int(v.size)})
    return out


def theorem_curves(X, kernel, alpha, K, seed, *, kernel_params=None, delta=0.1):
    """The feature count of MATH.md 4 for classical (s_q = sup tau) and leverage (s_q = s_lambda) sampling.

    Returns ``{"s_lambda", "sup_tau", "delta", "curves": {label: (m array, eps array)}}``;
    ``sup tau`` is estimated by :func:`levrf.leverage_profile` (a lower estimate).
    """
    from ..leverage import feature_bound, leverage_profile, statistical_dimension

    s_lam = statistical_dimension(K, alpha)
    prof = leverage_profile(kernel, X, alpha, kernel_params=kernel_params, random_state=_seed(seed, 99))
    sup_tau = prof.sup_ratio * s_lam
    eps = np.geomspace(0.05, 0.5, 24)
    curves = {}
    for label, s_q in (("classical (s_q = sup tau)", sup_tau), ("leverage (s_q = s_lambda)", s_lam)):
        curves[label] = (np.array([feature_bound(e, delta, s_q, s_lam) for e in eps]), eps)
    return {"s_lambda": float(s_lam), "sup_tau": float(sup_tau), "sup_ratio": prof.sup_ratio,
            "delta": delta, "curves": curves, "verdict": prof.verdict}


# ------------------------------------------------------------ (c) kernel ridge
def ridge_sweep(Xtr, Ytr, Xte, Yte, kernel, alpha, ms, samplers, repeats, seed, *, kernel_params=None,
                progress=False):
    """Test error of RandomFeatureRidge per sampler and m, and of exact KernelRidge.

    ``Y`` may be one-hot (n, k); the error is the test mean squared error and,
    for one-hot targets, also the accuracy of the argmax. Returns ``(rows, exact)``.
    """
    from ..ridge import KernelRidge, RandomFeatureRidge

    def scores(P):
        out = {"test_mse": float(np.mean((P - Yte) ** 2))}
        if Yte.ndim == 2:
            out["test_acc"] = float(np.mean(P.argmax(1) == Yte.argmax(1)))
        return out

    rows = []
    with progress_bar(len(samplers) * len(ms) * repeats + 1, "kernel ridge", progress) as bar:
        t0 = time.perf_counter()
        exact = KernelRidge(kernel, alpha=alpha, kernel_params=kernel_params).fit(Xtr, Ytr)
        exact = {"model": "exact KRR", **scores(exact.predict(Xte)), "time_s": time.perf_counter() - t0}
        bar.update()
        for si, name in enumerate(samplers):
            for m in ms:
                for r in range(repeats):
                    bar.set_postfix_str(f"{name} m={m}")
                    t0 = time.perf_counter()
                    with warnings.catch_warnings():
                        warnings.simplefilter("ignore")
                        est = RandomFeatureRidge(kernel, m, sampler=name, alpha=alpha, kernel_params=kernel_params,
                                                 random_state=_seed(seed, 50 + si, m, r)).fit(Xtr, Ytr)
                    rows.append({"sampler": name, "m": int(m), "repeat": r, **scores(est.predict(Xte)),
                                 "time_s": time.perf_counter() - t0})
                    bar.update()
    return rows, exact


# -------------------------------------------------------------- (d), (e) network
def step_size(X, alpha: float) -> float:
    """``1 / (lambda_max(K_ntk) + alpha)``: half the largest stable gradient-descent step (kappa = 1)."""
    from scipy import linalg

    from ..kernels import NTK

    lmax = float(linalg.eigvalsh(NTK().gram(X), subset_by_index=[X.shape[0] - 1, X.shape[0] - 1])[0])
    return 1.0 / (lmax + alpha)


def network_sweep(Xtr, ytr, Xte, widths, seeds, alpha, lr, steps, *, progress=False):
    """:func:`levrf.nn.equivalence` with an outer progress bar; returns its EquivalenceResult."""
    from ..nn import equivalence

    with progress_bar(len(widths) * 2 * len(seeds), "network vs NTK", progress) as bar:
        def tick(row):
            bar.set_postfix_str(f"width {row['width']} {row['init']}")
            bar.update()

        return equivalence(Xtr, ytr, Xte, widths, seeds=seeds, alpha=alpha, lr=lr, steps=steps,
                           callback=tick)


def trajectories(Xtr, ytr, Xte, width, alpha, lr, steps, seed, init="gaussian", record_every=None):
    """One network trained by :func:`levrf.nn.train` and the NTK ridge trajectory at the same times."""
    from ..nn import TwoLayerReLU, ntk_ridge_trajectory, train
    from ..nn.init import leverage_

    net = TwoLayerReLU(Xtr.shape[1], width, symmetric=True, random_state=_seed(seed, 123))
    if init == "leverage":
        leverage_(net, Xtr, alpha, random_state=_seed(seed, 124))
    traj = train(net, Xtr, ytr, alpha, lr, steps, X_test=Xte, record_every=record_every, track_kernel=False)
    ref = ntk_ridge_trajectory(Xtr, ytr, Xte, alpha, 1.0, traj.times, discrete_lr=lr)
    return traj, ref
