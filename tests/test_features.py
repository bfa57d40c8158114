"""RandomFeatures: unbiasedness (MATH.md section 2), scikit-learn conventions, bad input."""

import numpy as np
import pytest
from sklearn.utils.estimator_checks import parametrize_with_checks

from levrf import KernelRidge, RandomFeatures
from levrf.kernels import get_kernel

KERNEL_NAMES = ["gaussian", "laplacian", "arccos0", "arccos1", "ntk", "ntk-full"]


@pytest.mark.parametrize("name", KERNEL_NAMES)
def test_average_of_ZZt_converges_to_K(name, small_data):
    """Mean of Z Z^T over 400 independent fits (m = 25) is within 6 SE of K entrywise.

    Bonferroni over 78 entries x 6 kernels: false-failure probability < 1e-6.
    """
    K = get_kernel(name).gram(small_data)
    fits = np.stack(
        [
            (lambda Z: Z @ Z.T)(RandomFeatures(name, 25, random_state=s).fit_transform(small_data))
            for s in range(400)
        ]
    )
    mean, se = fits.mean(0), fits.std(0, ddof=1) / np.sqrt(len(fits))
    assert np.all(np.abs(mean - K) <= 6 * se + 1e-12)


def test_transform_shapes_scales_and_batch_invariance(small_data, monkeypatch):
    rf = RandomFeatures("ntk", 16, random_state=0).fit(small_data)
    assert rf.weights_.shape == (16, 5) and np.all(rf.scales_ == 1.0)
    assert rf.output_dim_ == 5
    Z = rf.transform(small_data)
    assert Z.shape == (12, 80)
    import levrf.features as f

    monkeypatch.setattr(f, "TRANSFORM_BATCH", 5)
    np.testing.assert_array_equal(rf.transform(small_data), Z)
    np.testing.assert_allclose(np.vstack([rf.transform(small_data[:4]), rf.transform(small_data[4:])]), Z)
    assert list(rf.get_feature_names_out()[:2]) == ["randomfeatures0", "randomfeatures1"]


def test_float32_is_preserved(small_data):
    rf = RandomFeatures("gaussian", 8, random_state=0).fit(small_data.astype(np.float32))
    Z32 = rf.transform(small_data.astype(np.float32))
    assert Z32.dtype == np.float32
    np.testing.assert_allclose(Z32, rf.transform(small_data), atol=1e-5)


def test_same_seed_same_features(small_data):
    a = RandomFeatures("laplacian", 10, random_state=3).fit_transform(small_data)
    b = RandomFeatures("laplacian", 10, random_state=3).fit_transform(small_data)
    np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize(
    "kwargs, exc, match",
    [
        ({"n_components": 0}, ValueError, "n_components must be an integer >= 1"),
        ({"n_components": 2.5}, TypeError, "n_components"),
        ({"kernel": "poly"}, ValueError, "unknown name 'poly'"),
        ({"sampler": "magic"}, ValueError, "sampler: unknown value 'magic'"),
        ({"alpha": -1.0}, ValueError, "alpha must be a finite number > 0"),
        ({"kernel_params": {"width": 1.0}}, TypeError, "kernel_params"),
    ],
)
def test_bad_parameters_raise_clear_errors(small_data, kwargs, exc, match):
    rf = RandomFeatures(**{"kernel": "gaussian", "n_components": 4, **kwargs})
    with pytest.raises(exc, match=match):
        rf.fit(small_data)
    assert not hasattr(rf, "weights_")  # never half-fitted


def test_bad_data_raises_clear_errors(small_data):
    rf = RandomFeatures("gaussian", 4, random_state=0).fit(small_data)
    with pytest.raises(ValueError, match="X has 3 features, but RandomFeatures is expecting 5"):
        rf.transform(small_data[:, :3])
    bad = small_data.copy()
    bad[0, 0] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        rf.transform(bad)
    with pytest.raises(ValueError, match="NaN"):
        RandomFeatures().fit(bad)
    with pytest.raises(ValueError, match="2D array"):
        rf.transform(np.ones(5))


@parametrize_with_checks([RandomFeatures(), RandomFeatures("ntk", 10), KernelRidge(), KernelRidge("ntk")])
def test_scikit_learn_estimator_checks(estimator, check):
    check(estimator)
