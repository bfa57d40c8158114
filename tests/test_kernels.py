"""Exact Gram matrices against independent references (MATH.md section 1).

Monte Carlo references draw w and evaluate phi with test-local numpy code (not
the library's sampler). Tolerances are Z_SIGMA standard errors per entry; with
at most 78 distinct entries per matrix and 6 kernels the Bonferroni bound puts
the false-failure probability below 78 * 6 * 2 * Phi(-6) < 1e-6.
"""

import numpy as np
import pytest
from scipy import stats
from sklearn.metrics.pairwise import laplacian_kernel, rbf_kernel

import levrf
from levrf.kernels import NTK, ArcCosine, CustomKernel, Gaussian, Laplacian, get_kernel

Z_SIGMA = 6.0
N_MC = 60_000


def step(t):
    return (t >= 0).astype(float)


def independent_features(name, X, rng, m):
    """Return (m, n, d2) feature values drawn by hand for each kernel."""
    n, d = X.shape
    if name == "gaussian":  # bandwidth 1.3
        W = rng.normal(0.0, 1 / 1.3, size=(m, d))
        T = W @ X.T
        return np.stack([np.cos(T), np.sin(T)], axis=2)
    if name == "laplacian":  # scale 2.0 -> Cauchy(0, 1/2)
        W = stats.cauchy(scale=0.5).rvs(size=(m, d), random_state=rng)
        T = W @ X.T
        return np.stack([np.cos(T), np.sin(T)], axis=2)
    W = rng.standard_normal((m, d))
    T = W @ X.T
    if name == "arccos0":
        return step(T)[:, :, None]
    if name == "arccos1":
        return np.maximum(T, 0)[:, :, None]
    first = step(T)[:, :, None] * X[None, :, :]
    if name == "ntk":
        return first
    return np.concatenate([first, np.maximum(T, 0)[:, :, None]], axis=2)


KERNELS = {
    "gaussian": Gaussian(bandwidth=1.3),
    "laplacian": Laplacian(scale=2.0),
    "arccos0": ArcCosine(0),
    "arccos1": ArcCosine(1),
    "ntk": NTK("first"),
    "ntk-full": NTK("both"),
}


def mc_mean_se(P):
    """Per-entry mean and standard error of phi_i^T phi_j over draws; P is (m, n, d2)."""
    vals = np.einsum("mik,mjk->mij", P, P)
    return vals.mean(axis=0), vals.std(axis=0, ddof=1) / np.sqrt(P.shape[0])


@pytest.mark.parametrize("name", list(KERNELS))
def test_gram_matches_independent_monte_carlo(name, small_data):
    rng = np.random.default_rng(2024)
    mean, se = mc_mean_se(independent_features(name, small_data, rng, N_MC))
    K = KERNELS[name].gram(small_data)
    assert np.all(np.abs(K - mean) <= Z_SIGMA * se + 1e-12), np.max(np.abs(K - mean) / (se + 1e-15))


@pytest.mark.parametrize("name", list(KERNELS))
def test_library_sampler_and_phi_reproduce_gram(name, small_data):
    """The kernel's own sample() and phi() estimate its gram() (same SE tolerance)."""
    k = KERNELS[name]
    W = k.sample(N_MC, small_data.shape[1], random_state=7)
    P = k.phi(small_data, W).transpose(1, 0, 2)  # (m, n, d2)
    mean, se = mc_mean_se(P)
    assert np.all(np.abs(k.gram(small_data) - mean) <= Z_SIGMA * se + 1e-12)


def test_gaussian_and_laplacian_match_scikit_learn():
    rng = np.random.default_rng(0)
    X, Y = rng.standard_normal((40, 7)), rng.standard_normal((9, 7))
    for s in (0.3, 1.0, 4.0):
        np.testing.assert_allclose(Gaussian(s).gram(X, Y), rbf_kernel(X, Y, gamma=1 / (2 * s**2)), atol=1e-12)
        np.testing.assert_allclose(Laplacian(s).gram(X, Y), laplacian_kernel(X, Y, gamma=1 / s), atol=1e-12)


def test_closed_forms_at_known_angles():
    e1, e2 = np.array([[1.0, 0.0]]), np.array([[0.0, 1.0]])
    x = np.array([[3.0, 4.0]])
    # orthogonal: theta = pi/2
    assert ArcCosine(0).gram(e1, e2)[0, 0] == pytest.approx(0.25)
    assert ArcCosine(1).gram(e1, e2)[0, 0] == pytest.approx(1 / (2 * np.pi))
    assert NTK().gram(e1, e2)[0, 0] == pytest.approx(0.0)
    # identical: theta = 0
    assert ArcCosine(0).gram(x)[0, 0] == pytest.approx(0.5)
    assert ArcCosine(1).gram(x)[0, 0] == pytest.approx(25 / 2)
    assert NTK().gram(x)[0, 0] == pytest.approx(25 / 2)
    assert NTK("both").gram(x)[0, 0] == pytest.approx(25.0)
    # opposite: theta = pi
    assert ArcCosine(0).gram(x, -x)[0, 0] == pytest.approx(0.0, abs=1e-15)
    assert ArcCosine(1).gram(x, -x)[0, 0] == pytest.approx(0.0, abs=1e-12)


def test_zero_vectors_have_defined_values():
    X = np.array([[0.0, 0.0], [1.0, 2.0]])
    K0 = ArcCosine(0).gram(X)
    np.testing.assert_allclose(K0, [[1.0, 0.5], [0.5, 0.5]])
    for k in (ArcCosine(1), NTK(), NTK("both")):
        K = k.gram(X)
        assert np.all(np.isfinite(K))
        assert K[0, 0] == 0 and K[0, 1] == 0


def test_nearly_parallel_rows_do_not_produce_nan():
    rng = np.random.default_rng(1)
    x = rng.standard_normal((1, 30))
    X = np.vstack([x, x * (1 + 1e-15), 1e-300 * x, x * 1e150])
    for k in (ArcCosine(0), ArcCosine(1), NTK(), NTK("both")):
        assert np.all(np.isfinite(k.gram(X)))


@pytest.mark.parametrize("name", list(KERNELS))
def test_chunked_gram_equals_unchunked_and_is_symmetric(name, monkeypatch):
    rng = np.random.default_rng(3)
    X = rng.standard_normal((37, 4))
    full = KERNELS[name].gram(X)
    import levrf.kernels._gram as g

    monkeypatch.setattr(g.chunked_gram, "__defaults__", (5,))
    chunked = KERNELS[name].gram(X)
    np.testing.assert_allclose(chunked, full, rtol=1e-12, atol=1e-12)
    assert np.array_equal(chunked, chunked.T)
    # With Y given, the diagonal angle is not forced to 0: arccos(1 - 1e-16) = 1.5e-8,
    # the conditioning limit of any GEMM-based angle, so allow 1e-7 relative there.
    np.testing.assert_allclose(KERNELS[name].gram(X, X[:6]), full[:, :6], rtol=1e-7, atol=1e-12)


def test_log_densities_match_scipy():
    rng = np.random.default_rng(4)
    W = rng.standard_normal((6, 3))
    np.testing.assert_allclose(
        Gaussian(0.7).log_density(W), stats.multivariate_normal(np.zeros(3), 0.7**-2 * np.eye(3)).logpdf(W)
    )
    np.testing.assert_allclose(Laplacian(3.0).log_density(W), stats.cauchy(scale=1 / 3).logpdf(W).sum(axis=1))
    np.testing.assert_allclose(NTK().log_density(W), stats.multivariate_normal(np.zeros(3)).logpdf(W))


@pytest.mark.parametrize("name", list(KERNELS))
def test_feature_matrix_layout_is_component_major(name, small_data):
    k = KERNELS[name]
    W = k.sample(4, small_data.shape[1], 0)
    c = np.array([0.5, 1.0, 2.0, 3.0])
    Z = k.feature_matrix(small_data, W, c)
    P = k.phi(small_data, W)
    d2 = k.output_dim(small_data.shape[1])
    assert Z.shape == (12, 4 * d2) and P.shape == (12, 4, d2)
    for j in range(d2):
        np.testing.assert_allclose(Z[:, j * 4 : (j + 1) * 4], P[:, :, j] * c / 2.0, atol=1e-14)
    np.testing.assert_allclose(k.phi_sq_norms(small_data, W), np.einsum("imk,imk->m", P, P))


def test_get_kernel_names_and_errors():
    assert get_kernel("ntk") == NTK("first")
    assert get_kernel("ntk-full") == NTK("both")
    assert get_kernel("arccos0") == ArcCosine(0)
    assert get_kernel("gaussian", {"bandwidth": 2.0}) == Gaussian(2.0)
    with pytest.raises(ValueError, match="unknown name 'rbff'.*gaussian"):
        get_kernel("rbff")
    with pytest.raises(ValueError, match="kernel_params"):
        get_kernel(Gaussian(), {"bandwidth": 2.0})
    with pytest.raises(TypeError, match="kernel_params"):
        get_kernel("gaussian", {"gamma": 2.0})
    with pytest.raises(ValueError, match="fixed"):
        get_kernel("arccos1", {"order": 0})
    with pytest.raises(TypeError, match="kernel must be"):
        get_kernel(3)
    with pytest.raises(ValueError, match="bandwidth"):
        Gaussian(0.0)
    with pytest.raises(ValueError, match="order"):
        ArcCosine(2)
    with pytest.raises(ValueError, match="trained"):
        NTK("last")


def test_gram_rejects_bad_input():
    k = Gaussian()
    with pytest.raises(ValueError, match="NaN"):
        k.gram(np.array([[np.nan, 1.0]]))
    with pytest.raises(ValueError, match="infinity"):
        NTK().gram(np.array([[np.inf, 1.0]]))
    with pytest.raises(ValueError, match="2D array"):
        k.gram(np.ones(3))
    with pytest.raises(ValueError, match="features"):
        k.gram(np.ones((3, 2)), np.ones((3, 4)))


def test_custom_kernel_needs_only_sampler_density_and_phi(small_data):
    def phi(X, W):
        return np.cos(X @ W.T)[:, :, None]  # cos-only features of a Gaussian kernel (biased: no sin)

    k = CustomKernel(
        sample=lambda m, d, rng: rng.standard_normal((m, d)),
        log_density=lambda W: levrf.kernels.standard_normal_log_density(W),
        phi=phi,
        name="cosine",
    )
    with pytest.raises(NotImplementedError, match="monte_carlo_gram"):
        k.gram(small_data)
    K_mc = k.monte_carlo_gram(small_data, n_samples=20_000, random_state=0)
    # E[cos(a) cos(b)] = (exp(-|x-z|^2/2) + exp(-|x+z|^2/2)) / 2 for w ~ N(0, I)
    ref = 0.5 * (rbf_kernel(small_data, gamma=0.5) + rbf_kernel(small_data, -small_data, gamma=0.5))
    assert np.max(np.abs(K_mc - ref)) < 6 * np.sqrt(0.5 / 20_000) * 2
    Z = levrf.RandomFeatures(k, 30, random_state=0).fit_transform(small_data)
    assert Z.shape == (12, 30)
    with pytest.raises(TypeError, match="callable"):
        CustomKernel(sample=None, log_density=len, phi=len)
