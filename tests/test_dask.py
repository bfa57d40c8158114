"""Dask scale-out (MATH.md 6): blockwise features, reduced sufficient statistics, one solve.

The reference is the same estimator on numpy input with the same ``random_state``:
the coefficients must agree to rounding for any partitioning, on a real
``distributed.LocalCluster`` with two worker processes on loopback.
"""

import numpy as np
import pytest

da = pytest.importorskip("dask.array")
distributed = pytest.importorskip("distributed")

from levrf import RandomFeatureRidge, RandomFeatures  # noqa: E402


@pytest.fixture(scope="module")
def client():
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
        dashboard_address=None, silence_logs=40,
    )
    c = distributed.Client(cluster)
    yield c
    c.close()
    cluster.close()


def _data(n=1000, d=5, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, d))
    y = np.sin(X[:, 0]) + X[:, 1] * X[:, 2] + 0.1 * rng.standard_normal(n)
    return X, y


@pytest.mark.parametrize("chunks", [1000, 250, (137, 400, 463), 77])
@pytest.mark.parametrize("kernel", ["gaussian", "ntk"])
def test_dask_fit_matches_numpy_for_any_partitioning(client, kernel, chunks):
    X, y = _data()
    ref = RandomFeatureRidge(kernel, 40, alpha=0.1, random_state=3, solver="primal").fit(X, y)
    chunked = RandomFeatureRidge(kernel, 40, alpha=0.1, random_state=3, solver="primal", batch_size=97).fit(X, y)
    Xd = da.from_array(X, chunks=(chunks, 5))
    yd = da.from_array(y, chunks=(chunks,))
    est = RandomFeatureRidge(kernel, 40, alpha=0.1, random_state=3).fit(Xd, yd)
    assert est.solver_ == "primal"
    for other in (chunked, est):
        np.testing.assert_allclose(other.coef_, ref.coef_, rtol=1e-8, atol=1e-10)
    pred = est.predict(Xd)
    assert isinstance(pred, da.Array)  # lazy
    np.testing.assert_allclose(pred.compute(), ref.predict(X), rtol=1e-8, atol=1e-10)
    Z = RandomFeatures(kernel, 40, random_state=3).fit(X).transform(Xd)
    assert isinstance(Z, da.Array)
    np.testing.assert_allclose(Z.compute(), ref.features_.transform(X), rtol=1e-12, atol=1e-12)


def test_dask_alpha_list_and_multioutput(client):
    X, y = _data(seed=1)
    Y = np.stack([y, 2 * y + 1], axis=1)
    ref = RandomFeatureRidge("gaussian", 30, alpha=[0.01, 0.1, 1.0], random_state=0, solver="primal").fit(X, Y)
    est = RandomFeatureRidge("gaussian", 30, alpha=[0.01, 0.1, 1.0], random_state=0).fit(
        da.from_array(X, chunks=(300, 5)), da.from_array(Y, chunks=(300, 2))
    )
    assert est.alpha_ == ref.alpha_
    np.testing.assert_allclose(est.cv_scores_, ref.cv_scores_, rtol=1e-8)
    np.testing.assert_allclose(est.coef_, ref.coef_, rtol=1e-8, atol=1e-10)


def test_approx_pool_sampler_on_dask_equals_numpy(client):
    """The approx-pool sampler streams over dask blocks: same draws as on numpy input."""
    X, y = _data(n=800, seed=2)
    params = {"m0": 32, "pool_size": 512, "n_stages": 2}
    a = RandomFeatures("gaussian", 20, sampler="approx-pool", alpha=0.1, sampler_params=params, random_state=5).fit(X)
    b = RandomFeatures("gaussian", 20, sampler="approx-pool", alpha=0.1, sampler_params=params,
                       random_state=5).fit(da.from_array(X, chunks=(211, 5)))
    np.testing.assert_allclose(b.weights_, a.weights_, rtol=1e-12)
    np.testing.assert_allclose(b.scales_, a.scales_, rtol=1e-8)
    ref = RandomFeatureRidge("gaussian", 20, sampler="approx-pool", alpha=0.1, sampler_params=params,
                             random_state=5, solver="primal").fit(X, y)
    est = RandomFeatureRidge("gaussian", 20, sampler="approx-pool", alpha=0.1, sampler_params=params,
                             random_state=5).fit(da.from_array(X, chunks=(211, 5)), da.from_array(y, chunks=(211,)))
    np.testing.assert_allclose(est.coef_, ref.coef_, rtol=1e-6, atol=1e-8)


def test_dask_bad_input_is_rejected_clearly(client):
    X, y = _data(n=200)
    Xn = X.copy()
    Xn[150, 2] = np.nan
    est = RandomFeatureRidge("gaussian", 10, random_state=0)
    with pytest.raises(ValueError, match="NaN"):
        est.fit(da.from_array(Xn, chunks=(50, 5)), da.from_array(y, chunks=(50,)))
    assert not hasattr(est, "coef_")
    with pytest.raises(ValueError, match="needs X in memory|needs the data in memory"):
        RandomFeatureRidge("gaussian", 10, sampler="exact-pool").fit(da.from_array(X, chunks=(50, 5)), y)
    est.fit(X, y)
    with pytest.raises(ValueError, match="X has 4 features"):
        est.predict(da.from_array(X[:, :4], chunks=(50, 4)))
