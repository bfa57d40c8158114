"""RandomFeatureRidge (MATH.md sections 5.6 and 6) against independent references.

References: scikit-learn ``Ridge(fit_intercept=False)`` and ``numpy.linalg.lstsq`` on
``RandomFeatures(...).fit_transform(X)`` with the same seed, GCV computed by hand from
the explicit n x n hat matrix, the exact ``KernelRidge`` and exact statistical
dimensions. All randomness is seeded, so every test here is deterministic; the
statistical ones state the margin they leave.
"""

import numpy as np
import pytest
from sklearn.linear_model import Ridge
from sklearn.utils.estimator_checks import parametrize_with_checks

from levrf import KernelRidge, RandomFeatureRidge, RandomFeatures, statistical_dimension
from levrf._solve import dual_gram, target_dimension
from levrf.kernels import get_kernel


def _data(n=300, d=4, k=None, seed=0, dtype=np.float64):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, d))
    f = np.sin(X[:, 0]) + 0.5 * X[:, 1] * X[:, 2]
    if k is None:
        y = f + 0.1 * rng.standard_normal(n)
    else:
        y = np.stack([f * (j + 1) + 0.1 * rng.standard_normal(n) for j in range(k)], axis=1)
    return X.astype(dtype), y


def _features(kernel, m, X, seed, **kw):
    return RandomFeatures(kernel, m, random_state=seed, **kw).fit_transform(X)


@pytest.mark.parametrize("kernel", ["gaussian", "laplacian", "ntk", "arccos1"])
@pytest.mark.parametrize("solver", ["primal", "dual"])
def test_matches_scikit_learn_ridge_and_lstsq_multioutput(kernel, solver):
    X, Y = _data(k=3)
    m, alpha = 40, 0.3
    est = RandomFeatureRidge(kernel, m, alpha=alpha, random_state=7, solver=solver).fit(X, Y)
    assert est.solver_ == solver
    Z = _features(kernel, m, X, 7)
    ref = Ridge(alpha=alpha, fit_intercept=False, solver="svd").fit(Z, Y)
    assert est.coef_.shape == (Z.shape[1], 3)
    np.testing.assert_allclose(est.coef_, ref.coef_.T, rtol=1e-7, atol=1e-9)
    # augmented least squares: min |Y - Z b|^2 + alpha |b|^2
    A = np.vstack([Z, np.sqrt(alpha) * np.eye(Z.shape[1])])
    b = np.linalg.lstsq(A, np.vstack([Y, np.zeros((Z.shape[1], 3))]), rcond=None)[0]
    np.testing.assert_allclose(est.coef_, b, rtol=1e-7, atol=1e-9)
    Xt = _data(n=20, seed=1)[0]
    np.testing.assert_allclose(est.predict(Xt), RandomFeatures(kernel, m, random_state=7).fit(X).transform(Xt) @ b,
                               rtol=1e-7, atol=1e-9)
    one = RandomFeatureRidge(kernel, m, alpha=alpha, random_state=7, solver=solver).fit(X, Y[:, 0])
    assert one.coef_.shape == (Z.shape[1],) and one.predict(Xt).shape == (20,)
    np.testing.assert_allclose(one.coef_, b[:, 0], rtol=1e-7, atol=1e-9)


def test_features_are_those_of_random_features_with_the_same_seed():
    X, y = _data()
    est = RandomFeatureRidge("gaussian", 30, random_state=11).fit(X, y)
    rf = RandomFeatures("gaussian", 30, random_state=11).fit(X)
    np.testing.assert_array_equal(est.features_.weights_, rf.weights_)
    np.testing.assert_array_equal(est.features_.scales_, rf.scales_)


@pytest.mark.parametrize("batch_size", [1, 7, 64, 299, 10_000])
def test_batch_size_does_not_change_coefficients(batch_size):
    X, Y = _data(k=2)
    ref = RandomFeatureRidge("gaussian", 50, alpha=0.1, random_state=2, solver="primal", batch_size=300).fit(X, Y)
    est = RandomFeatureRidge("gaussian", 50, alpha=0.1, random_state=2, solver="primal", batch_size=batch_size).fit(X, Y)
    np.testing.assert_allclose(est.coef_, ref.coef_, rtol=1e-9, atol=1e-11)


def test_memmap_input_matches_in_memory(tmp_path):
    X, y = _data()
    mm = np.memmap(tmp_path / "X.dat", dtype=np.float64, mode="w+", shape=X.shape)
    mm[:] = X
    mm.flush()
    ro = np.memmap(tmp_path / "X.dat", dtype=np.float64, mode="r", shape=X.shape)
    a = RandomFeatureRidge("ntk", 10, random_state=0, solver="primal", batch_size=50).fit(ro, y)
    b = RandomFeatureRidge("ntk", 10, random_state=0, solver="primal").fit(X, y)
    np.testing.assert_allclose(a.coef_, b.coef_, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("solver", ["primal", "dual"])
def test_float32_is_preserved_and_close_to_float64(solver):
    X, Y = _data(k=2)
    est64 = RandomFeatureRidge("gaussian", 40, alpha=0.5, random_state=0, solver=solver).fit(X, Y)
    est32 = RandomFeatureRidge("gaussian", 40, alpha=0.5, random_state=0, solver=solver).fit(X.astype(np.float32), Y)
    assert est32.coef_.dtype == np.float32 and est64.coef_.dtype == np.float64
    p32 = est32.predict(X.astype(np.float32))
    assert p32.dtype == np.float32
    np.testing.assert_allclose(p32, est64.predict(X), atol=2e-4 * np.abs(Y).max())


def _gcv_by_hand(Z, Y, alphas):
    n = Z.shape[0]
    out = []
    for a in alphas:
        H = Z @ np.linalg.solve(Z.T @ Z + a * np.eye(Z.shape[1]), Z.T)  # explicit hat matrix
        R = Y - H @ Y
        out.append(np.sum(R**2) / (n * Y.shape[1]) / (1 - np.trace(H) / n) ** 2)
    return np.array(out)


@pytest.mark.parametrize("solver", ["primal", "dual"])
def test_gcv_matches_brute_force(solver):
    X, Y = _data(n=150, k=2)
    alphas = [1e-4, 1e-3, 1e-2, 0.1, 1.0, 10.0]
    est = RandomFeatureRidge("gaussian", 60, alpha=alphas, random_state=4, solver=solver,
                             alpha_selection="gcv").fit(X, Y)
    Z = _features("gaussian", 60, X, 4)
    ref = _gcv_by_hand(Z, Y, alphas)
    np.testing.assert_allclose(est.cv_scores_, ref, rtol=1e-6)
    assert est.alpha_ == alphas[int(np.argmin(ref))]
    np.testing.assert_array_equal(est.alphas_, alphas)
    single = RandomFeatureRidge("gaussian", 60, alpha=est.alpha_, random_state=4, solver=solver).fit(X, Y)
    np.testing.assert_allclose(est.coef_, single.coef_, rtol=1e-6, atol=1e-9)
    assert not hasattr(single, "cv_scores_")


@pytest.mark.parametrize("solver", ["primal", "dual"])
def test_leave_one_out_matches_literal_refits(solver):
    """Exact LOO scores against n literal refits of scikit-learn's Ridge, each leaving one row out."""
    X, Y = _data(n=40, k=2, seed=6)
    X[0] *= 6.0  # an outlying, high-leverage row: where LOO and GCV differ
    alphas = [1e-3, 1e-2, 0.1, 1.0]
    est = RandomFeatureRidge("gaussian", 25, alpha=alphas, random_state=1, solver=solver).fit(X, Y)
    Z = _features("gaussian", 25, X, 1)
    ref = []
    for a in alphas:
        res = [Y[i] - Ridge(alpha=a, fit_intercept=False).fit(np.delete(Z, i, 0), np.delete(Y, i, 0)).predict(Z[i : i + 1])[0]
               for i in range(len(X))]
        ref.append(np.mean(np.square(res)))
    np.testing.assert_allclose(est.cv_scores_, ref, rtol=1e-6)
    assert est.alpha_ == alphas[int(np.argmin(ref))]
    chunked = RandomFeatureRidge("gaussian", 25, alpha=alphas, random_state=1, solver=solver, batch_size=7).fit(X, Y)
    np.testing.assert_allclose(chunked.cv_scores_, est.cv_scores_, rtol=1e-9)


@pytest.mark.parametrize("kernel, m", [("gaussian", 100), ("ntk", 30), ("ntk-full", 30), ("arccos0", 80)])
def test_dual_equals_primal(kernel, m):
    X, Y = _data(n=120, d=5, k=2, seed=3)
    Xt = _data(n=30, d=5, seed=8)[0]
    fits = [RandomFeatureRidge(kernel, m, alpha=[0.01, 0.1, 1.0], random_state=1, solver=s).fit(X, Y) for s in ("primal", "dual")]
    np.testing.assert_allclose(fits[0].cv_scores_, fits[1].cv_scores_, rtol=1e-8)
    np.testing.assert_allclose(fits[0].coef_, fits[1].coef_, rtol=1e-6, atol=1e-8)
    np.testing.assert_allclose(fits[0].predict(Xt), fits[1].predict(Xt), rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("kernel", ["ntk", "ntk-full", "laplacian"])
def test_dual_gram_equals_feature_products(kernel):
    """The Hadamard form of MATH.md 6 (and the blocked generic one) equals Z Z^T."""
    X = _data(n=50, d=6, seed=2)[0]
    rf = RandomFeatures(kernel, 37, random_state=0).fit(X)
    scales = np.random.default_rng(0).uniform(0.5, 2.0, 37)  # non-trivial c_r
    Z = rf.kernel_.feature_matrix(X, rf.weights_, scales)
    np.testing.assert_allclose(dual_gram(rf.kernel_, X, rf.weights_, scales), Z @ Z.T, rtol=1e-10, atol=1e-10)


def test_auto_solver_picks_dual_for_wide_ntk_features_and_primal_for_tall_data():
    X, y = _data(n=100, d=20)
    assert RandomFeatureRidge("ntk", 64, random_state=0).fit(X, y).solver_ == "dual"  # D = 1280 >> n
    X, y = _data(n=2000, d=3)
    assert RandomFeatureRidge("gaussian", 20, random_state=0).fit(X, y).solver_ == "primal"


def test_approximates_exact_kernel_ridge():
    """With m = 2000 [cos, sin] features the fit is close to exact KRR.

    Relative prediction error is O(m^-1/2) (about 0.02 here across seeds 0-9);
    the threshold 0.1 leaves a 5x margin, and the seed is fixed.
    """
    X, y = _data(n=400, d=3)
    Xt = _data(n=100, d=3, seed=5)[0]
    exact = KernelRidge("gaussian", alpha=0.1, kernel_params={"bandwidth": 1.5}).fit(X, y).predict(Xt)
    approx = RandomFeatureRidge("gaussian", 2000, alpha=0.1, kernel_params={"bandwidth": 1.5}, random_state=0).fit(X, y)
    err = np.linalg.norm(approx.predict(Xt) - exact) / np.linalg.norm(exact)
    assert err < 0.1


@pytest.mark.parametrize("kernel, m", [("gaussian", 64), ("ntk", 64), ("arccos1", 128)])
def test_sampling_alpha_auto_follows_math_5_6(kernel, m):
    """lambda_m is where the estimated s_lambda is m / log m; the estimate is checked
    against the exact s_lambda (seen within 8% on seeds 0-2; threshold 20%)."""
    X, y = _data(n=600, d=3, seed=1)
    tiny = RandomFeatureRidge(kernel, m, alpha=1e-6, random_state=0).fit(X, y)
    assert tiny.lambda_m_ > 1e-6 and tiny.sampling_alpha_ == tiny.lambda_m_
    np.testing.assert_allclose(tiny.statistical_dimension_, target_dimension(m), rtol=1e-6)
    exact = statistical_dimension(get_kernel(kernel).gram(X), tiny.sampling_alpha_)
    assert 0.8 < tiny.statistical_dimension_ / exact < 1.2
    big = RandomFeatureRidge(kernel, m, alpha=[100.0, 1e4], random_state=0).fit(X, y)
    assert big.sampling_alpha_ == 100.0  # max(min(alpha), lambda_m)
    fixed = RandomFeatureRidge(kernel, m, alpha=1.0, sampling_alpha=3.0, random_state=0).fit(X, y)
    assert fixed.sampling_alpha_ == 3.0 and fixed.features_.alpha == 3.0


def test_data_dependent_sampler_uses_sampling_alpha():
    X, y = _data(n=200, d=3)
    est = RandomFeatureRidge("gaussian", 20, sampler="exact-pool", alpha=1e-5, random_state=0,
                             sampler_params={"pool_size": 200}).fit(X, y)
    assert est.features_.alpha == est.sampling_alpha_ == est.lambda_m_ > 1e-5
    ref = RandomFeatures("gaussian", 20, sampler="exact-pool", alpha=est.sampling_alpha_, random_state=0,
                         sampler_params={"pool_size": 200}).fit(X)
    np.testing.assert_array_equal(est.features_.weights_, ref.weights_)
    np.testing.assert_array_equal(est.features_.scales_, ref.scales_)
    assert not np.all(est.features_.scales_ == 1.0)


def test_progress_bar(capsys):
    X, y = _data()
    RandomFeatureRidge("gaussian", 10, random_state=0, solver="primal", progress=True, batch_size=50).fit(X, y)
    assert "rows" in capsys.readouterr().err


@pytest.mark.parametrize(
    "kwargs, exc, match",
    [
        ({"alpha": 0.0}, ValueError, "alpha must be a finite number > 0"),
        ({"alpha": -1.0}, ValueError, "alpha must be a finite number > 0"),
        ({"alpha": []}, ValueError, "alpha: empty list"),
        ({"alpha": [0.1, -2.0]}, ValueError, r"alpha\[1\] must be a finite number > 0"),
        ({"alpha": "big"}, TypeError, "alpha must be a real number"),
        ({"n_components": 0}, ValueError, "n_components must be an integer >= 1"),
        ({"n_components": 2.5}, TypeError, "n_components"),
        ({"sampling_alpha": -1.0}, ValueError, "sampling_alpha must be a finite number > 0"),
        ({"sampling_alpha": "always"}, ValueError, "sampling_alpha must be 'auto'"),
        ({"solver": "qr"}, ValueError, "solver must be 'auto', 'primal' or 'dual'"),
        ({"alpha_selection": "kfold"}, ValueError, "alpha_selection must be 'loo' or 'gcv'"),
        ({"batch_size": 0}, ValueError, "batch_size must be an integer >= 1"),
        ({"sampler": "magic"}, ValueError, "sampler: unknown value 'magic'"),
        ({"kernel": "poly"}, ValueError, "unknown name 'poly'"),
        ({"progress": "yes"}, TypeError, "progress"),
    ],
)
def test_bad_parameters_raise_clear_errors(kwargs, exc, match):
    X, y = _data(n=30)
    est = RandomFeatureRidge(**{"n_components": 5, **kwargs})
    with pytest.raises(exc, match=match):
        est.fit(X, y)
    assert not hasattr(est, "coef_") and not hasattr(est, "n_features_in_")  # never half-fitted


def test_bad_data_raise_clear_errors_and_keep_previous_fit():
    X, y = _data(n=40)
    est = RandomFeatureRidge("gaussian", 5, random_state=0)
    bad = X.copy()
    bad[3, 1] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        est.fit(bad, y)
    with pytest.raises(ValueError, match="inf"):
        est.fit(X, np.where(np.arange(40) == 2, np.inf, y))
    with pytest.raises(ValueError, match="inconsistent numbers of samples"):
        est.fit(X, y[:-1])
    assert not hasattr(est, "coef_") and not hasattr(est, "n_features_in_")
    est.fit(X, y)
    coef = est.coef_.copy()
    with pytest.raises(ValueError, match="X has 3 features, but RandomFeatureRidge is expecting 4"):
        est.predict(X[:, :3])
    est.set_params(alpha=-1.0)
    with pytest.raises(ValueError, match="alpha"):
        est.fit(X[:, :3], y)
    assert est.n_features_in_ == 4  # the failed refit left the previous fit intact
    np.testing.assert_array_equal(est.coef_, coef)


def test_numerically_singular_system_raises_with_a_suggestion():
    X, y = _data(n=50)
    X = np.repeat(X[:5], 10, axis=0)  # rank <= 5 in feature space directions per row group
    est = RandomFeatureRidge("gaussian", 200, alpha=1e-300, solver="primal", sampling_alpha=1.0, random_state=0)
    with pytest.raises(ValueError, match="numerically singular.*raise alpha"):
        est.fit(X, y)
    assert not hasattr(est, "coef_")
    # the eigendecomposition path (a list) handles the same alpha without failing
    RandomFeatureRidge("gaussian", 200, alpha=[1e-300, 1.0], solver="primal", sampling_alpha=1.0,
                       random_state=0).fit(X, y)


@parametrize_with_checks(
    [
        RandomFeatureRidge(),
        RandomFeatureRidge("ntk", 20),
        RandomFeatureRidge(alpha=[0.01, 0.1, 1.0], solver="primal", n_components=50),
    ]
)
def test_scikit_learn_estimator_checks(estimator, check):
    check(estimator)
