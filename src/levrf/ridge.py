"""Kernel ridge regression estimators (MATH.md section 6)."""

from __future__ import annotations

import numpy as np
from scipy import linalg
from sklearn.base import BaseEstimator, RegressorMixin
from sklearn.utils.validation import check_is_fitted, validate_data

from ._validation import check_alpha
from .kernels import get_kernel
from .leverage import _regularized_cholesky


class KernelRidge(RegressorMixin, BaseEstimator):
    """Exact kernel ridge regression ``f(z) = K(z, X) (K + alpha I)^{-1} Y`` (MATH.md section 6).

    Parameters
    ----------
    kernel : str or Kernel, default="gaussian"
    alpha : float, default=1.0
        Ridge regularization ``lambda > 0``.
    kernel_params : dict, optional

    Attributes
    ----------
    kernel_ : Kernel
    X_fit_ : ndarray of shape (n, d)
    dual_coef_ : ndarray of shape (n,) or (n, k)
    n_features_in_ : int

    Notes
    -----
    Memory is O(n^2); for large n use ``RandomFeatureRidge``.
    """

    def __init__(self, kernel="gaussian", alpha=1.0, *, kernel_params=None):
        self.kernel = kernel
        self.alpha = alpha
        self.kernel_params = kernel_params

    def fit(self, X, y):
        """Fit on ``X`` (n, d) and ``y`` (n,) or (n, k)."""
        kernel = get_kernel(self.kernel, self.kernel_params)
        alpha = check_alpha(self.alpha)
        X, y = validate_data(self, X, y, dtype=np.float64, multi_output=True, y_numeric=True, reset=True)
        K = kernel.gram(X)
        L = _regularized_cholesky(K, alpha)
        self.dual_coef_ = linalg.cho_solve((L, True), y.astype(np.float64), check_finite=False)
        self.kernel_ = kernel
        self.X_fit_ = X
        return self

    def predict(self, X):
        """Predictions for ``X`` (n', d): shape (n',) or (n', k)."""
        check_is_fitted(self)
        X = validate_data(self, X, dtype=np.float64, reset=False)
        return self.kernel_.gram(X, self.X_fit_) @ self.dual_coef_

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        return tags


# ---------------------------------------------------------------------------
# Random-feature ridge regression (MATH.md sections 5.6 and 6)
# ---------------------------------------------------------------------------

#: samplers that accept dask input (they only stream over row blocks, or ignore X)
DASK_SAMPLERS = ("classical", "approx-pool", "leverage")
#: the dual solver needs an n x n matrix: never chosen automatically above this n
DUAL_MAX_N = 20_000
#: the primal solver needs a D x D matrix: refused above this D
PRIMAL_MAX_D = 32_768


def _check_alphas(alpha) -> tuple[np.ndarray, bool]:
    """``alpha`` as a float array and whether it was a list (MATH.md 6)."""
    if isinstance(alpha, (list, tuple, np.ndarray)):
        values = list(np.asarray(alpha, dtype=object).ravel()) if isinstance(alpha, np.ndarray) else list(alpha)
        if len(values) == 0:
            raise ValueError("alpha: empty list; pass a positive float or a non-empty list of positive floats.")
        out = []
        for i, a in enumerate(values):
            if isinstance(a, np.generic):
                a = a.item()
            out.append(check_alpha(a, f"alpha[{i}]"))
        return np.asarray(out, dtype=np.float64), True
    if isinstance(alpha, np.generic):
        alpha = alpha.item()
    return np.array([check_alpha(alpha)]), False


def _pilot_rng(random_state):
    """Random stream of the spectrum pilot, derived from ``random_state`` but separate from the
    stream of the features, so ``features_`` equals ``RandomFeatures(random_state=...)``."""
    import numbers

    if random_state is None:
        return np.random.RandomState()
    if isinstance(random_state, numbers.Integral) and not isinstance(random_state, bool):
        return np.random.RandomState([int(random_state) % 2**32, 0x5EED])
    from sklearn.utils import check_random_state

    return np.random.RandomState(check_random_state(random_state).randint(2**31 - 1))


def _check_dask_xy(X, y):
    from .features import check_dask_matrix

    X = check_dask_matrix(X)
    if y is None:
        raise ValueError("RandomFeatureRidge requires y to be passed, but the target y is None.")
    if not hasattr(y, "ndim"):
        y = np.asarray(y, dtype=np.float64)
    if y.ndim not in (1, 2):
        raise ValueError(f"y must have shape (n_samples,) or (n_samples, n_outputs), got {y.ndim} dimensions.")
    if y.shape[0] != X.shape[0]:
        raise ValueError(
            f"Found input variables with inconsistent numbers of samples: [{X.shape[0]}, {y.shape[0]}]."
        )
    if not np.issubdtype(y.dtype, np.number):
        raise ValueError(f"y must be numeric, got dtype {y.dtype}.")
    y = y.astype(np.float64) if not isinstance(y, np.ndarray) else np.asarray(y, dtype=np.float64)
    if isinstance(y, np.ndarray) and not np.all(np.isfinite(y)):
        raise ValueError("Input y contains NaN or infinity.")
    return X, y


class RandomFeatureRidge(RegressorMixin, BaseEstimator):
    """Kernel ridge regression on (leverage-sampled) random features (MATH.md sections 2, 5.6, 6).

    Fits ``beta = (Z^T Z + alpha I_D)^{-1} Z^T Y`` with ``Z`` (n, D) the features of
    a :class:`~levrf.RandomFeatures` (``D = n_components * d2``); predicts
    ``f(x) = z(x)^T beta``. ``Z^T Z`` and ``Z^T Y`` are accumulated over row
    blocks of ``batch_size`` (symmetric rank-k updates, features computed in
    threads), so ``Z`` is never materialized and ``X`` may be a memory-mapped
    or dask array. When ``D`` is large against ``n`` (first-layer NTK features on
    wide inputs), the dual form on the approximate kernel ``Ktilde = Z Z^T`` is
    used instead (Hadamard form for NTK features, MATH.md 6).

    Parameters
    ----------
    kernel : str or Kernel, default="gaussian"
        See :class:`~levrf.RandomFeatures`.
    n_components : int, default=500
        Number of sampled weights ``m``.
    sampler : str, default="classical"
        How weights are drawn (:mod:`levrf.samplers`). On dask input only
        ``"classical"``, ``"approx-pool"`` and ``"leverage"`` are accepted.
    alpha : float or list of float, default=1.0
        Ridge regularization ``lambda > 0`` (the ``lambda`` of ``K + lambda I``).
        A list selects the value with the smallest cross-validation score
        (``alpha_selection``), from one eigendecomposition (no refits).
    kernel_params : dict, optional
    sampler_params : dict, optional
    sampling_alpha : "auto" or float, default="auto"
        Regularization the data-dependent samplers target. ``"auto"`` is
        ``max(min(alpha), lambda_m)`` (MATH.md 5.6), with ``lambda_m`` the value at
        which the estimated statistical dimension is ``m / log m``. Unused by
        ``"classical"`` (computed all the same, from a small pilot).
    solver : {"auto", "primal", "dual"}, default="auto"
        ``"auto"`` takes the cheaper of ``O(n D^2 + D^3)`` (primal) and
        ``O(n^2 w + n^3)`` (dual; ``w = m + d`` for NTK features, ``D`` otherwise)
        when ``n <= 20000`` and ``X`` is in memory, the primal otherwise.
    alpha_selection : {"loo", "gcv"}, default="loo"
        How a list of ``alpha`` is scored. ``"loo"``: exact leave-one-out residuals
        ``e_i / (1 - h_ii)`` (one more pass over the rows, ``2 n D^2`` flops, in the
        primal); robust to high-leverage rows, as in scikit-learn's ``RidgeCV``.
        ``"gcv"``: generalized cross-validation, free given the eigendecomposition,
        but it replaces every ``h_ii`` by their mean, and it picked a 30x too small
        alpha on data with outlying rows (diamonds, ``benchmarks/bench_ridge.py``).
    batch_size : int or None, default=None
        Rows per feature block; ``None`` picks ``clip(2^23 / D, 256, 8192)``
        (64 MiB float64 blocks).
    random_state : int, RandomState or None
    progress : bool, default=False
        Show a tqdm progress bar over rows (numpy input).

    Attributes
    ----------
    features_ : RandomFeatures
        The fitted feature map (``sampler``, ``alpha=sampling_alpha_``, ``random_state``).
    coef_ : ndarray of shape (D,) or (D, n_outputs)
        ``beta``, in the dtype of the training ``X``.
    alpha_ : float
        The regularization used (the cross-validation choice when ``alpha`` is a list).
    alphas_ : ndarray of shape (n_alphas,)
        Only when ``alpha`` is a list.
    cv_scores_ : ndarray of shape (n_alphas,)
        Per alpha, the mean squared exact leave-one-out residual
        (``alpha_selection="loo"``) or the GCV score ``(RSS / (n k)) / (1 - df / n)^2``;
        only when ``alpha`` is a list.
    sampling_alpha_ : float
    lambda_m_ : float
        ``lambda_m`` of MATH.md 5.6 (0.0 when m features resolve every lambda).
    statistical_dimension_ : float
        Estimated ``s_lambda`` at ``sampling_alpha_``.
    solver_ : {"primal", "dual"}
    n_features_in_ : int

    Notes
    -----
    The spectrum pilot (MATH.md 5.6) draws from a random stream derived from
    ``random_state`` but separate from that of the features, so ``features_`` is
    the same as ``RandomFeatures(..., random_state=random_state).fit(X)``.
    """

    def __init__(
        self,
        kernel="gaussian",
        n_components=500,
        *,
        sampler="classical",
        alpha=1.0,
        kernel_params=None,
        sampler_params=None,
        sampling_alpha="auto",
        solver="auto",
        alpha_selection="loo",
        batch_size=None,
        random_state=None,
        progress=False,
    ):
        self.kernel = kernel
        self.n_components = n_components
        self.sampler = sampler
        self.alpha = alpha
        self.kernel_params = kernel_params
        self.sampler_params = sampler_params
        self.sampling_alpha = sampling_alpha
        self.solver = solver
        self.alpha_selection = alpha_selection
        self.batch_size = batch_size
        self.random_state = random_state
        self.progress = progress

    # ------------------------------------------------------------------ fit
    def fit(self, X, y):
        """Fit on ``X`` (n, d) and ``y`` (n,) or (n, k); numpy, memory-mapped or dask arrays.

        On any error the estimator is left as it was before the call.
        """
        saved = dict(self.__dict__)
        try:
            return self._fit(X, y)
        except BaseException:
            self.__dict__.clear()
            self.__dict__.update(saved)
            raise

    def _check_params(self):
        from ._validation import check_int

        kernel = get_kernel(self.kernel, self.kernel_params)
        m = check_int(self.n_components, "n_components")
        alphas, is_list = _check_alphas(self.alpha)
        if isinstance(self.sampling_alpha, str):
            if self.sampling_alpha != "auto":
                raise ValueError(f"sampling_alpha must be 'auto' or a positive float, got {self.sampling_alpha!r}.")
            sampling_alpha = None
        else:
            sampling_alpha = check_alpha(self.sampling_alpha, "sampling_alpha")
        if self.alpha_selection not in ("loo", "gcv"):
            raise ValueError(f"alpha_selection must be 'loo' or 'gcv', got {self.alpha_selection!r}.")
        if self.solver not in ("auto", "primal", "dual"):
            raise ValueError(f"solver must be 'auto', 'primal' or 'dual', got {self.solver!r}.")
        batch = None if self.batch_size is None else check_int(self.batch_size, "batch_size")
        if not isinstance(self.progress, (bool, np.bool_)):
            raise TypeError(f"progress must be True or False, got {self.progress!r}.")
        from .samplers import SAMPLERS

        if not isinstance(self.sampler, str) or self.sampler not in SAMPLERS:
            raise ValueError(f"sampler: unknown value {self.sampler!r}; choose one of {sorted(SAMPLERS)}.")
        return kernel, m, alphas, is_list, sampling_alpha, batch

    def _choose_solver(self, kernel, n, d, m, D, dask):
        if self.solver == "dual":
            if dask:
                raise ValueError(
                    "solver='dual' needs X in memory (an n x n matrix); for dask input use solver='primal' or 'auto'."
                )
            return "dual"
        if self.solver == "primal" or dask or n > DUAL_MAX_N:
            if D > PRIMAL_MAX_D:
                raise ValueError(
                    f"the primal solver needs a {D} x {D} matrix (n_components * d2 = {D} > {PRIMAL_MAX_D}); "
                    f"reduce n_components, or use solver='dual' on at most {DUAL_MAX_N} rows in memory."
                )
            return "primal"
        fam = getattr(kernel, "family", "generic")
        width = {"step": m + d, "ntk-full": 2 * m + d}.get(fam, D)
        primal_cost = n * D**2 + D**3 / 3
        dual_cost = n**2 * width + n**3 / 3
        return "dual" if (dual_cost < primal_cost or D > PRIMAL_MAX_D) else "primal"

    def _fit(self, X, y):
        from . import _solve
        from ._chunks import is_dask_array, row_reduce
        from .features import RandomFeatures

        kernel, m, alphas, is_list, sampling_alpha, batch = self._check_params()
        dask = is_dask_array(X)
        if dask:
            if self.sampler not in DASK_SAMPLERS:
                raise ValueError(
                    f"sampler {self.sampler!r} needs X in memory; with dask input use one of "
                    f"{list(DASK_SAMPLERS)} (approx-pool streams over row blocks), or call X.compute()."
                )
            X, y = _check_dask_xy(X, y)
            self.n_features_in_ = int(X.shape[1])
        else:
            X, y = validate_data(
                self, X, y, dtype=[np.float64, np.float32], multi_output=True, y_numeric=True, reset=True
            )
            y = np.asarray(y, dtype=np.float64)
        n, d = X.shape
        d2 = int(kernel.output_dim(d))
        D = m * d2
        solver = self._choose_solver(kernel, n, d, m, D, dask)

        # MATH.md 5.6: lambda_m from a classical pilot's spectrum, bisected
        mu, _ = _solve.spectrum_estimate(kernel, X, m, _pilot_rng(self.random_state))
        lam_m = _solve.sampling_lambda(mu, _solve.target_dimension(m))
        samp = max(float(alphas.min()), lam_m) if sampling_alpha is None else sampling_alpha
        s_dim = float(_solve.statistical_dimension_from_spectrum(mu, samp)[0])

        rf = RandomFeatures(
            kernel=self.kernel,
            n_components=m,
            kernel_params=self.kernel_params,
            sampler=self.sampler,
            alpha=samp,
            sampler_params=self.sampler_params,
            random_state=self.random_state,
        )
        rf = rf.fit(X)
        W, scales = rf.weights_, rf.scales_
        Y = y if y.ndim == 2 else y.reshape(-1, 1)
        batch = batch or int(np.clip(2**23 // D, 256, 8192))

        scores = None
        if solver == "primal":
            whole = 2**62 if dask else max(n, 1)  # one reducer call per dask block (it blocks rows itself)
            bar = self._progress_bar(n) if (self.progress and not dask) else None
            try:
                reducer = _solve.NormalEquations(
                    rf.kernel_, W, scales, batch,
                    n_threads=1 if dask else _solve.available_threads(),
                    check_finite=dask, progress=bar,
                )
                G, B, yy = row_reduce(reducer, [X, Y], batch_size=whole)
            finally:
                if bar is not None:
                    bar.close()
            G = _solve.symmetrize(G)
            if is_list:
                sv, V, C = _solve.primal_eigen(G, B)
                if self.alpha_selection == "gcv":
                    scores = _solve.primal_gcv(sv, C, yy, n, alphas)
                else:  # exact leave-one-out: one more pass over the rows
                    loo = _solve.LeaveOneOut(rf.kernel_, W, scales, batch, sv, V, C, alphas)
                    scores = row_reduce(loo, [X, Y], batch_size=whole) / (n * Y.shape[1])
                best = int(np.argmin(scores))
                beta = V @ (C / (sv + alphas[best])[:, None])
            else:
                best = 0
                beta = _solve.cholesky_solve(
                    G, B, float(alphas[0]), "Z^T Z",
                    "use fewer n_components, or pass a list of alphas (eigendecomposition, no Cholesky).",
                )
        else:
            K = _solve.dual_gram(rf.kernel_, X, W, scales)
            if is_list:
                scores, best, a = _solve.dual_path(K, Y, alphas, self.alpha_selection)
            else:
                best = 0
                a = _solve.cholesky_solve(
                    K, Y, float(alphas[0]), "Z Z^T",
                    "or pass a list of alphas (eigendecomposition, no Cholesky).",
                )
            beta = _solve.features_transpose_times(rf.kernel_, W, scales, X, a, batch)

        coef = beta.astype(X.dtype, copy=False)
        self.features_ = rf
        self.coef_ = coef[:, 0] if y.ndim == 1 else coef
        self.alpha_ = float(alphas[best])
        if is_list:
            self.alphas_ = alphas
            self.cv_scores_ = scores
        self.sampling_alpha_ = float(samp)
        self.lambda_m_ = float(lam_m)
        self.statistical_dimension_ = s_dim
        self.solver_ = solver
        self._batch = batch
        return self

    @staticmethod
    def _progress_bar(n):
        try:
            from tqdm.auto import tqdm
        except ImportError:  # pragma: no cover - tqdm is in levrf[cli]
            raise ImportError("progress=True needs tqdm: pip install 'levrf[cli]' or tqdm.") from None
        return tqdm(total=n, unit="rows", desc="RandomFeatureRidge.fit")

    # -------------------------------------------------------------- predict
    def predict(self, X):
        """Predictions ``z(X)^T coef_``: shape (n',) or (n', k); lazy dask array for dask input."""
        from functools import partial

        from . import _solve
        from ._chunks import is_dask_array

        check_is_fitted(self)
        coef = self.coef_ if self.coef_.ndim == 2 else self.coef_[:, None]
        ravel = self.coef_.ndim == 1
        rf = self.features_
        if is_dask_array(X):
            from .features import check_dask_matrix

            X = check_dask_matrix(X, self)
            fn = partial(
                _solve.predict_block, kernel=rf.kernel_, W=rf.weights_, scales=rf.scales_,
                coef=coef, batch_size=self._batch, ravel=ravel,
            )
            out_dtype = np.result_type(X.dtype, coef.dtype)
            if ravel:
                return X.map_blocks(fn, dtype=out_dtype, drop_axis=1)
            return X.map_blocks(fn, dtype=out_dtype, chunks=(X.chunks[0], (coef.shape[1],)))
        X = validate_data(self, X, dtype=[np.float64, np.float32], reset=False)
        return _solve.predict_block(X, rf.kernel_, rf.weights_, rf.scales_, coef, self._batch, ravel)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        tags.non_deterministic = False
        return tags
