"""The equivalence experiment of MATH.md section 7: trained networks against NTK ridge regression."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np
from scipy import linalg

from .._validation import check_alpha, check_int, check_matrix, check_positive
from ..kernels import NTK
from .dynamics import ridge_trajectory_from_gram
from .init import gaussian_, leverage_
from .network import TwoLayerReLU
from .train import check_targets, train

INITS = ("gaussian", "leverage")

#: columns of :meth:`EquivalenceResult.to_markdown` by default
DEFAULT_COLUMNS = (
    "width", "init", "seed", "test_gap", "train_gap", "init_kernel_gap", "init_eps",
    "weight_movement", "kernel_movement", "horizon", "alpha_t", "time_s",
)


def relative_sup_gap(u_nn: np.ndarray, u_ref: np.ndarray) -> float:
    """``sup_t |u_nn(t) - u_ref(t)|_inf / max_t |u_ref(t)|_inf`` for trajectories of shape (T, n)."""
    scale = float(np.max(np.abs(u_ref)))
    return float(np.max(np.abs(u_nn - u_ref))) / scale if scale > 0 else float("inf")


def regularized_spectral_error(K: np.ndarray, H: np.ndarray, lam: float) -> float:
    """``max |eig((K + lam I)^{-1/2} (H - K) (K + lam I)^{-1/2})|`` (MATH.md section 4)."""
    A = K.copy()
    A.flat[:: K.shape[0] + 1] += lam
    L = linalg.cholesky(A, lower=True, check_finite=False)
    M = linalg.solve_triangular(L, H - K, lower=True, check_finite=False)
    M = linalg.solve_triangular(L, M.T, lower=True, check_finite=False)
    return float(np.max(np.abs(linalg.eigvalsh(0.5 * (M + M.T), check_finite=False))))


def loglog_slope(widths, gaps) -> float:
    """Least-squares slope of ``log gap`` against ``log width`` (NaN with fewer than two widths)."""
    w, g = np.asarray(widths, dtype=float), np.asarray(gaps, dtype=float)
    ok = (g > 0) & np.isfinite(g)
    if np.unique(w[ok]).size < 2:
        return float("nan")
    return float(np.polyfit(np.log(w[ok]), np.log(g[ok]), 1)[0])


@dataclass
class EquivalenceResult:
    """Tidy result of :func:`equivalence`.

    Attributes
    ----------
    rows : list of dict
        One per (width, init, seed) with keys ``width``, ``init``, ``seed``,
        ``test_gap``, ``train_gap`` (relative sup-gaps, see :func:`equivalence`),
        ``init_kernel_gap`` (``|H(0) - K|_2 / |K|_2``), ``init_eps`` (the
        spectral error of MATH.md 4 of ``H(0)`` at ``lambda = alpha / kappa^2``),
        ``weight_movement`` (final ``max_r |w_r(t) - w_r(0)| / |w_r(0)|``),
        ``kernel_movement`` (``max_t |H(t) - H(0)|_2 / |H(0)|_2``), ``horizon``
        (``t_max``), ``alpha_t`` (``alpha * t_max``), ``time_s`` (initialization
        plus training wall time) and ``init_info`` (the initializer's diagnostics).
    slopes : dict
        ``slopes[init][metric]``: log-log slope against width of ``test_gap``,
        ``train_gap`` and ``init_kernel_gap`` (theory: about -1/2), fitted to all seeds.
    horizon, alpha_t : float
    times : ndarray of shape (T,)
        The recorded times (shared by all runs).
    curves : dict
        ``curves[(width, init, seed)] = {"test": (T,), "train": (T,)}``: the
        pointwise gaps ``|u_nn(t) - u_ntk(t)|_inf / max_t |u_ntk(t)|_inf``.
    settings : dict
    """

    rows: list
    slopes: dict
    horizon: float
    alpha_t: float
    times: np.ndarray
    curves: dict = field(repr=False)
    settings: dict = field(default_factory=dict)

    def column(self, name: str, init: str | None = None, width: int | None = None) -> np.ndarray:
        """Values of one column, optionally restricted to one init and/or width."""
        return np.array([
            r[name] for r in self.rows
            if (init is None or r["init"] == init) and (width is None or r["width"] == width)
        ])

    @property
    def widths(self) -> list:
        return sorted({r["width"] for r in self.rows})

    @property
    def inits(self) -> list:
        return list(dict.fromkeys(r["init"] for r in self.rows))

    def sup_gap_upto(self, t_max: float, which: str = "test") -> list:
        """Rows (width, init, seed, gap) of the sup-gap over ``t <= t_max`` only (prefix of each run)."""
        keep = self.times <= t_max + 1e-12
        return [
            {"width": w, "init": i, "seed": s, "gap": float(np.max(c[which][keep]))}
            for (w, i, s), c in self.curves.items()
        ]

    def compare(self, a: str = "leverage", b: str = "gaussian", metric: str = "test_gap") -> list:
        """Per width: medians over seeds of ``metric`` for inits ``a`` and ``b`` and their ratios.

        Returns a list of dicts with ``width``, ``median_a``, ``median_b``,
        ``ratio_of_medians`` (a / b), ``median_paired_ratio`` (median over seeds
        of a / b, seeds paired by index) and ``frac_a_smaller`` (share of pairs
        where ``a`` has the smaller value).
        """
        out = []
        for w in self.widths:
            ra = {r["seed"]: r[metric] for r in self.rows if r["width"] == w and r["init"] == a}
            rb = {r["seed"]: r[metric] for r in self.rows if r["width"] == w and r["init"] == b}
            if not ra or not rb:
                continue
            common = sorted(set(ra) & set(rb))
            paired = np.array([ra[s] / rb[s] for s in common]) if common else np.array([np.nan])
            ma, mb = float(np.median(list(ra.values()))), float(np.median(list(rb.values())))
            out.append({
                "width": w,
                "median_a": ma,
                "median_b": mb,
                "ratio_of_medians": ma / mb,
                "median_paired_ratio": float(np.median(paired)),
                "frac_a_smaller": float(np.mean(paired < 1)),
            })
        return out

    def to_markdown(self, columns=DEFAULT_COLUMNS, floatfmt: str = ".4g") -> str:
        """The rows as a GitHub markdown table (no pandas needed)."""
        columns = list(columns)

        def fmt(v):
            if isinstance(v, (float, np.floating)):
                return format(float(v), floatfmt)
            return str(v)

        lines = ["| " + " | ".join(columns) + " |", "|" + "|".join("---" for _ in columns) + "|"]
        for r in self.rows:
            lines.append("| " + " | ".join(fmt(r[c]) for c in columns) + " |")
        return "\n".join(lines)


def _check_seeds(seeds) -> list:
    seeds = list(np.atleast_1d(seeds))
    if not seeds:
        raise ValueError("seeds must be a non-empty sequence of non-negative integers.")
    out = []
    for s in seeds:
        if isinstance(s, (bool, np.bool_)) or not isinstance(s, (int, np.integer)) or s < 0:
            raise ValueError(f"seeds must be non-negative integers, got {s!r}.")
        out.append(int(s))
    return out


def equivalence(
    X,
    y,
    X_test,
    widths,
    inits=INITS,
    seeds=(0, 1, 2, 3, 4),
    *,
    alpha: float = 0.1,
    kappa: float = 1.0,
    lr: float = 0.05,
    steps: int = 200,
    symmetric: bool = True,
    record_every: int | None = None,
    reference: str = "discrete",
    sampler: str = "leverage",
    sampler_params: dict | None = None,
    track_kernel: bool = True,
    progress: bool = False,
    callback=None,
) -> EquivalenceResult:
    """Train networks of several widths and inits and measure their gap to NTK ridge regression.

    For every width ``m``, init and seed a :class:`TwoLayerReLU` is initialized
    (``"gaussian"``: :func:`~levrf.nn.init.gaussian_`; ``"leverage"``:
    :func:`~levrf.nn.init.leverage_` at ``alpha / kappa^2`` with ``sampler``),
    trained by :func:`~levrf.nn.train` for ``steps`` steps of size ``lr``, and
    compared with the NTK ridge trajectory of MATH.md section 7 at the same
    times ``t = k * lr`` (the exact first-layer NTK, not the network's own
    ``H(0)``). The reported gaps are

    ``test_gap = sup_t |u_nn,test(t) - u_ntk,test(t)|_inf / max_t |u_ntk,test(t)|_inf``

    and the same on the training points (``train_gap``), the sup taken over the
    recorded times ``0 <= t <= t_max = steps * lr``. Both contain the
    random-feature error at initialization (``|H(0) - K|``, which shrinks like
    ``m^{-1/2}``) and the drift of the network away from its linearization, which
    grows with ``alpha * t_max`` (the penalty pulls ``W`` toward zero, not toward
    ``W(0)``); every row reports ``horizon`` and ``alpha_t``.

    Parameters
    ----------
    X : array-like of shape (n, d)
    y : array-like of shape (n,)
    X_test : array-like of shape (n_test, d)
    widths : sequence of int
        Network widths ``m`` (even if ``symmetric``).
    inits : sequence of {"gaussian", "leverage"}
    seeds : sequence of int
        One run per seed; the draws depend on (seed, width, init).
    alpha : float, default=0.1
    kappa : float, default=1.0
    lr : float, default=0.05
        Must be below ``2 / (kappa^2 lambda_max(K) + alpha)``.
    steps : int, default=200
    symmetric : bool, default=True
        Symmetric initialization, so that ``u(0) = 0`` as the NTK flow assumes.
    record_every : int, optional
        Default ``max(1, steps // 50)``.
    reference : {"discrete", "continuous"}, default="discrete"
        Compare with the discrete-step form ``(I - lr (Kk + alpha I))^k`` (the
        exact kernel counterpart of gradient descent) or with gradient flow.
    sampler : str, default="leverage"
        Sampler of the leverage init (a name in :data:`levrf.samplers.SAMPLERS`).
    sampler_params : dict, optional
    track_kernel : bool, default=True
        Record the tangent kernel's movement ``|H(t) - H(0)|_2 / |H(0)|_2``.
    progress : bool, default=False
        tqdm progress bars.
    callback : callable, optional
        Called with each finished row (dict), e.g. to print progress.

    Returns
    -------
    EquivalenceResult
    """
    X = check_matrix(X, "X", dtype=np.float64)
    y = check_targets(y, X.shape[0])
    X_test = check_matrix(X_test, "X_test", dtype=np.float64)
    if X_test.shape[1] != X.shape[1]:
        raise ValueError(f"X_test has {X_test.shape[1]} features but X has {X.shape[1]}; they must match.")
    widths = [check_int(w, "widths") for w in np.atleast_1d(widths).tolist()]
    if not widths:
        raise ValueError("widths must be a non-empty sequence of integers >= 1.")
    if symmetric:
        odd = [w for w in widths if w % 2]
        if odd:
            raise ValueError(f"widths must be even when symmetric=True, got {odd}.")
    inits = [inits] if isinstance(inits, str) else list(inits)
    bad = [i for i in inits if i not in INITS]
    if bad or not inits:
        raise ValueError(f"inits: unknown value(s) {bad}; choose from {list(INITS)}.")
    seeds = _check_seeds(seeds)
    alpha = check_alpha(alpha)
    kappa = check_positive(kappa, "kappa")
    lr = check_positive(lr, "lr")
    steps = check_int(steps, "steps")
    if reference not in ("discrete", "continuous"):
        raise ValueError(f"reference must be 'discrete' or 'continuous', got {reference!r}.")

    kern = NTK()
    K = kern.gram(X)
    K_test = kern.gram(X_test, X)
    lam = alpha / kappa**2
    K_norm = float(np.max(np.abs(linalg.eigvalsh(K, check_finite=False))))
    lr_max = 2.0 / (kappa**2 * K_norm + alpha)
    if lr >= lr_max:
        raise ValueError(
            f"lr={lr:g} is too large: gradient descent diverges in the kernel regime unless "
            f"lr < 2 / (kappa^2 lambda_max(K) + alpha) = {lr_max:.4g}."
        )
    from .train import record_steps

    ks = record_steps(steps, max(1, steps // 50) if record_every is None else check_int(record_every, "record_every"))
    times = ks * lr
    ref = ridge_trajectory_from_gram(K, K_test, y, alpha, kappa, times, lr if reference == "discrete" else None)

    rows, curves = [], {}
    scale_train = float(np.max(np.abs(ref.u_train)))
    scale_test = float(np.max(np.abs(ref.u_test)))
    for w in widths:
        for ii, init in enumerate(inits):
            for seed in seeds:
                rs = int(np.random.SeedSequence([seed, w, ii]).generate_state(1)[0])
                t0 = time.perf_counter()
                net = TwoLayerReLU(X.shape[1], w, kappa, symmetric, random_state=rs)
                if init == "leverage":
                    leverage_(net, X, alpha, sampler=sampler, random_state=rs, **(sampler_params or {}))
                else:
                    gaussian_(net, random_state=rs)
                H0 = None if track_kernel else net.tangent_kernel(X).cpu().numpy()
                traj = train(
                    net, X, y, alpha, lr, steps, X_test=X_test, record_every=record_every,
                    track_kernel=track_kernel, progress=progress,
                )
                elapsed = time.perf_counter() - t0
                if H0 is None:
                    H0 = traj.tangent_kernel_init
                gap_test_t = np.max(np.abs(traj.u_test - ref.u_test), axis=1) / scale_test
                gap_train_t = np.max(np.abs(traj.u_train - ref.u_train), axis=1) / scale_train
                curves[(w, init, seed)] = {"test": gap_test_t, "train": gap_train_t}
                row = {
                    "width": w,
                    "init": init,
                    "seed": seed,
                    "test_gap": float(gap_test_t.max()),
                    "train_gap": float(gap_train_t.max()),
                    "init_kernel_gap": float(np.max(np.abs(linalg.eigvalsh(H0 - K, check_finite=False)))) / K_norm,
                    "init_eps": regularized_spectral_error(K, H0, lam),
                    "weight_movement": float(traj.weight_movement[-1]),
                    "kernel_movement": float(np.max(traj.kernel_movement)) if track_kernel else np.nan,
                    "horizon": traj.horizon,
                    "alpha_t": traj.alpha_t,
                    "time_s": elapsed,
                    "init_info": dict(net.init_info),
                }
                rows.append(row)
                if callback is not None:
                    callback(row)
    slopes = {
        init: {
            m: loglog_slope([r["width"] for r in rows if r["init"] == init],
                            [r[m] for r in rows if r["init"] == init])
            for m in ("test_gap", "train_gap", "init_kernel_gap")
        }
        for init in inits
    }
    return EquivalenceResult(
        rows=rows,
        slopes=slopes,
        horizon=float(times[-1]),
        alpha_t=alpha * float(times[-1]),
        times=times,
        curves=curves,
        settings={
            "alpha": alpha, "kappa": kappa, "lr": lr, "steps": steps, "symmetric": bool(symmetric),
            "reference": reference, "sampler": sampler, "sampler_params": dict(sampler_params or {}),
            "n_train": X.shape[0], "n_test": X_test.shape[0], "lambda_sampling": lam,
            "lr_max": lr_max, "K_norm": K_norm,
        },
    )
