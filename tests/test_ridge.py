"""Exact kernel ridge regression against scikit-learn with a precomputed kernel (MATH.md 6)."""

import numpy as np
import pytest
from sklearn.kernel_ridge import KernelRidge as SkKernelRidge
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from levrf import KernelRidge
from levrf.kernels import get_kernel

KERNEL_NAMES = ["gaussian", "laplacian", "arccos0", "arccos1", "ntk", "ntk-full"]


@pytest.mark.parametrize("name", KERNEL_NAMES)
def test_matches_scikit_learn_precomputed_multioutput(name):
    rng = np.random.default_rng(5)
    X, Xt = rng.standard_normal((60, 4)), rng.standard_normal((15, 4))
    Y = rng.standard_normal((60, 3))
    k = get_kernel(name)
    ref = SkKernelRidge(alpha=0.3, kernel="precomputed").fit(k.gram(X), Y).predict(k.gram(Xt, X))
    ours = KernelRidge(name, alpha=0.3).fit(X, Y).predict(Xt)
    np.testing.assert_allclose(ours, ref, rtol=1e-8, atol=1e-10)
    y1 = KernelRidge(name, alpha=0.3).fit(X, Y[:, 0]).predict(Xt)
    assert y1.shape == (15,)
    np.testing.assert_allclose(y1, ref[:, 0], rtol=1e-8, atol=1e-10)


def test_works_in_pipeline_and_grid_search():
    rng = np.random.default_rng(6)
    X = rng.standard_normal((80, 3))
    y = np.sin(X[:, 0]) + 0.1 * rng.standard_normal(80)
    pipe = make_pipeline(StandardScaler(), KernelRidge("gaussian"))
    gs = GridSearchCV(pipe, {"kernelridge__alpha": [0.01, 0.1, 1.0]}, cv=3).fit(X, y)
    assert gs.best_score_ > 0.5


def test_bad_input():
    X, y = np.ones((5, 2)), np.ones(5)
    with pytest.raises(ValueError, match="alpha must be a finite number > 0"):
        KernelRidge(alpha=0).fit(X, y)
    with pytest.raises(ValueError, match="unknown name"):
        KernelRidge("cosine").fit(X, y)
    est = KernelRidge("gaussian", alpha=1.0)
    with pytest.raises(ValueError, match="NaN"):
        est.fit(X, np.array([1, 2, np.nan, 4, 5.0]))
    assert not hasattr(est, "dual_coef_")
    est.fit(X, y)
    with pytest.raises(ValueError, match="X has 3 features"):
        est.predict(np.ones((2, 3)))
    with pytest.raises(ValueError, match="inconsistent numbers of samples"):
        KernelRidge().fit(X, y[:3])
