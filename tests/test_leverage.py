"""Ridge leverage, statistical dimension, spectral error, feature bound (MATH.md sections 3-4)."""

import math

import numpy as np
import pytest
from scipy import linalg

from levrf import RandomFeatures, feature_bound, ridge_leverage, spectral_error, statistical_dimension
from levrf.kernels import get_kernel

KERNEL_NAMES = ["gaussian", "laplacian", "arccos0", "arccos1", "ntk", "ntk-full"]


def test_statistical_dimension_is_the_trace_formula(small_data):
    K = get_kernel("ntk").gram(small_data)
    for a in (1e-3, 0.1, 10.0):
        ref = np.trace(K @ np.linalg.inv(K + a * np.eye(len(K))))
        assert statistical_dimension(K, a) == pytest.approx(ref, rel=1e-9)
    np.testing.assert_allclose(statistical_dimension(K, [0.1, 1.0]), [statistical_dimension(K, 0.1), statistical_dimension(K, 1.0)])


@pytest.mark.parametrize("name", KERNEL_NAMES)
def test_tau_matches_direct_trace_and_its_mean_is_s_lambda(name, small_data):
    """tau(w) = tr[Phi^T (K + aI)^{-1} Phi] by hand; mean_p(tau) within 6 SE of the trace formula.

    One 6-sigma test per kernel: false-failure probability < 6 * 2e-9.
    """
    k, a = get_kernel(name), 0.05
    K = k.gram(small_data)
    W = k.sample(30_000, small_data.shape[1], random_state=11)
    tau = ridge_leverage(k, small_data, W, a)
    A = np.linalg.inv(K + a * np.eye(len(K)))
    P = k.phi(small_data, W[:50])  # (n, 50, d2)
    direct = np.einsum("imk,ij,jmk->m", P, A, P)
    np.testing.assert_allclose(tau[:50], direct, rtol=1e-8, atol=1e-10)
    s = statistical_dimension(K, a)
    se = tau.std(ddof=1) / np.sqrt(len(tau))
    assert abs(tau.mean() - s) <= 6 * se
    assert np.all(tau >= 0)


def test_step_shortcut_equals_general_route(small_data):
    k = get_kernel("ntk")
    W = k.sample(300, 5, random_state=0)
    from levrf.kernels import CustomKernel

    generic = CustomKernel(k.sample, k.log_density, k.phi, gram=lambda X, Y: k.gram(X, Y))
    np.testing.assert_allclose(ridge_leverage(k, small_data, W, 0.1), ridge_leverage(generic, small_data, W, 0.1), rtol=1e-7)


def brute_force_eps(K, Z, a):
    """eps from the symmetric square root (scipy.linalg.sqrtm), independent of the Cholesky route."""
    R = np.real(linalg.inv(linalg.sqrtm(K + a * np.eye(len(K)))))
    return np.max(np.abs(np.linalg.eigvalsh(R @ (Z @ Z.T - K) @ R)))


def loewner_holds(K, Z, a, eps):
    I = np.eye(len(K))
    upper = (1 + eps) * (K + a * I) - (Z @ Z.T + a * I)
    lower = (Z @ Z.T + a * I) - (1 - eps) * (K + a * I)
    return np.linalg.eigvalsh(upper).min() >= -1e-9 and np.linalg.eigvalsh(lower).min() >= -1e-9


@pytest.mark.parametrize("name", ["gaussian", "ntk"])
def test_spectral_error_is_the_smallest_loewner_eps(name, small_data):
    k, a = get_kernel(name), 0.1
    K = k.gram(small_data)
    Z = RandomFeatures(k, 20, random_state=1).fit_transform(small_data)
    eps = spectral_error(K, Z, a)
    assert eps == pytest.approx(brute_force_eps(K, Z, a), rel=1e-7)
    assert loewner_holds(K, Z, a, eps)
    assert not loewner_holds(K, Z, a, 0.98 * eps)
    # exact features give eps = 0
    L = np.linalg.cholesky(K + 1e-12 * np.eye(len(K)))
    assert spectral_error(K, L, a) < 1e-8


def test_feature_bound_formula_and_errors():
    assert feature_bound(0.5, 0.1, 50, 50) == math.ceil(8 / 3 / 0.25 * 50 * math.log(16 * 50 / 0.1))
    assert feature_bound(0.5, 0.1, 100, 50) > feature_bound(0.5, 0.1, 50, 50)
    with pytest.raises(ValueError, match="eps must be in"):
        feature_bound(0.7, 0.1, 1, 1)
    with pytest.raises(ValueError, match="delta must be in"):
        feature_bound(0.5, 1.0, 1, 1)
    with pytest.raises(ValueError, match="s_q"):
        feature_bound(0.5, 0.1, 0, 1)


def test_bad_input_is_rejected(small_data):
    K = get_kernel("gaussian").gram(small_data)
    with pytest.raises(ValueError, match="alpha must be a finite number > 0"):
        statistical_dimension(K, 0.0)
    with pytest.raises(ValueError, match="square"):
        statistical_dimension(K[:, :5], 0.1)
    with pytest.raises(ValueError, match="symmetric"):
        statistical_dimension(K + np.triu(np.ones_like(K)), 0.1)
    with pytest.raises(ValueError, match="rows"):
        spectral_error(K, np.ones((5, 3)), 0.1)
    with pytest.raises(ValueError, match="NaN"):
        spectral_error(K, np.full((12, 3), np.nan), 0.1)
    with pytest.raises(ValueError, match="W has 3 columns"):
        ridge_leverage("gaussian", small_data, np.ones((4, 3)), 0.1)
    with pytest.raises(ValueError, match="alpha"):
        ridge_leverage("gaussian", small_data, np.ones((4, 5)), -1)
    with pytest.raises(ValueError, match="not positive definite"):
        spectral_error(-np.eye(3), np.ones((3, 1)), 0.1)
