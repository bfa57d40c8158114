"""Tests of levrf.nn (MATH.md section 7) against independent references.

References: autograd (homogeneity, gradients, Jacobians), scipy's ODE solver and
explicit iteration (NTK ridge trajectories), levrf.KernelRidge (the limit),
RandomFeatures (the tangent kernel at initialization), and the measured
figures of FIELD_NOTES.md (the width sweep).
"""

from __future__ import annotations

import copy
import subprocess
import sys

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from scipy.integrate import solve_ivp  # noqa: E402
from sklearn.datasets import load_digits  # noqa: E402

import levrf  # noqa: E402
import levrf.nn as lnn  # noqa: E402
from levrf.kernels import NTK, CustomKernel  # noqa: E402


@pytest.fixture(autouse=True, scope="module")
def one_torch_thread():
    """One intra-op thread: on the 2 shared cores two threads contend badly (several x slower)."""
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


# -------------------------------------------------------------------- data


def digits(n_train, n_test, seed=0):
    """Digits with centered pixels and unit-norm rows; y = +1 for a zero, -1 otherwise."""
    X, y = load_digits(return_X_y=True)
    X = X - X.mean(axis=0)
    X /= np.linalg.norm(X, axis=1, keepdims=True)
    idx = np.random.default_rng(seed).permutation(len(X))
    tr, te = idx[:n_train], idx[n_train : n_train + n_test]
    return X[tr], np.where(y[tr] == 0, 1.0, -1.0), X[te]


@pytest.fixture(scope="module")
def small():
    rng = np.random.default_rng(7)
    X = rng.standard_normal((30, 6))
    X /= np.linalg.norm(X, axis=1, keepdims=True)
    y = np.sin(3 * X[:, 0]) + X[:, 1]
    Xt = rng.standard_normal((11, 6))
    return X, y, Xt


def jacobian(net, X):
    """Autograd Jacobian of u = f(W, X) w.r.t. W, flattened: shape (n, m * d)."""
    Xt = torch.as_tensor(X, dtype=torch.float64)
    rows = []
    for i in range(Xt.shape[0]):
        (g,) = torch.autograd.grad(net(Xt[i : i + 1]).sum(), net.weight)
        rows.append(g.reshape(-1))
    return torch.stack(rows).numpy()


def random_scales_(net, seed):
    """Give a net non-trivial positive c_r (pairs kept equal for a symmetric net)."""
    rng = np.random.default_rng(seed)
    k = net.width // 2 if net.symmetric else net.width
    c = rng.uniform(0.3, 2.0, k)
    if net.symmetric:
        c = np.concatenate([c, c])
    with torch.no_grad():
        net.c.copy_(torch.as_tensor(c))
    return net


# ------------------------------------------------------------- optional torch


def test_levrf_imports_without_torch_and_levrf_nn_says_how_to_install():
    code = (
        "import sys\n"
        "class Block:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name == 'torch' or name.startswith('torch.'):\n"
        "            raise ImportError('No module named torch (blocked by the test)')\n"
        "sys.meta_path.insert(0, Block())\n"
        "import levrf\n"
        "assert levrf.KernelRidge\n"
        "try:\n"
        "    import levrf.nn\n"
        "except ImportError as e:\n"
        "    print('MSG:', e)\n"
        "else:\n"
        "    raise SystemExit('levrf.nn imported without torch')\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert "pip install levrf[torch]" in out.stdout


# ------------------------------------------------------------- the network


@pytest.mark.parametrize("symmetric", [False, True])
def test_homogeneity_grad_dot_w_equals_f(small, symmetric):
    """<grad_W f(W, x), W> = f(W, x) for each x (relu is positively homogeneous; MATH.md 7)."""
    X, _, _ = small
    net = random_scales_(lnn.TwoLayerReLU(6, 200, kappa=0.7, symmetric=symmetric, random_state=3), 1)
    with torch.no_grad():  # move the two halves of a symmetric net apart so f != 0
        net.weight.add_(0.3 * torch.as_tensor(np.random.default_rng(2).standard_normal((200, 6))))
    J = jacobian(net, X)
    W = net.weight.detach().numpy().reshape(-1)
    f = net.predict(X)
    assert np.abs(f).max() > 0.1
    np.testing.assert_allclose(J @ W, f, rtol=1e-12, atol=1e-13)


@pytest.mark.parametrize("symmetric", [False, True])
def test_loss_and_grad_match_autograd(small, symmetric):
    X, y, _ = small
    net = random_scales_(lnn.TwoLayerReLU(6, 2 * 1024 + 200, kappa=1.3, symmetric=symmetric, random_state=4), 5)
    with torch.no_grad():
        net.weight.add_(0.1 * torch.as_tensor(np.random.default_rng(3).standard_normal(net.weight.shape)))
    Xt, yt = torch.as_tensor(X), torch.as_tensor(y)
    u, loss, grad = net.loss_and_grad(Xt, yt, 0.25)
    u_ref = net(Xt)
    L = 0.5 * torch.sum((yt - u_ref) ** 2) + 0.125 * torch.sum(net.weight**2)
    (g_ref,) = torch.autograd.grad(L, net.weight)
    L = L.detach()
    np.testing.assert_allclose(u.numpy(), u_ref.detach().numpy(), rtol=1e-12, atol=1e-13)
    assert loss == pytest.approx(L.item(), rel=1e-13)
    np.testing.assert_allclose(grad.numpy(), g_ref.numpy(), rtol=1e-11, atol=1e-13)


def test_one_gd_step_follows_the_dynamics_identity():
    """u(W - lr grad) - u(W) = lr (kappa^2 H (y - u) - alpha u) + O(lr^2) (MATH.md 7).

    H is built from the autograd Jacobian (J J^T = kappa^2 H), not from the code
    under test; the step is made by ``train(..., steps=1)``. f is piecewise linear
    in W, so the remainder comes only from the (neuron, point) pairs whose
    activation flips during the step: their number grows like lr and each
    contributes O(lr), so the remainder's expectation is O(lr^2). It is a sum over
    a Poisson-like number of flips, so the test sums the L1 remainder over 20
    networks (about 0.2-2 flips per point here) and fits its log-log slope in lr:
    three disjoint batches of 20 seeds gave 1.85-2.00, so the window (1.7, 2.3)
    fails falsely with probability about 1e-3. It also checks that the remainder is
    nonzero (not vacuous) and below 5% of the first-order change (2.4% measured at lr = 0.2).
    """
    X, y, _ = digits(24, 1)
    kappa, alpha = 0.8, 0.3
    lrs = np.array([0.2, 0.1, 0.05, 0.025])
    total = np.zeros(len(lrs))
    for seed in range(20):
        net0 = random_scales_(lnn.TwoLayerReLU(64, 256, kappa=kappa, random_state=seed), seed)
        J = jacobian(net0, X)
        u0 = net0.predict(X)
        for k, lr in enumerate(lrs):
            net = copy.deepcopy(net0)
            traj = lnn.train(net, X, y, alpha, lr, 1, track_kernel=False)
            first = lr * (J @ J.T @ (y - u0) - alpha * u0)
            rem = traj.u_train[-1] - traj.u_train[0] - first
            assert np.abs(rem).max() < 0.05 * np.abs(first).max()
            total[k] += np.abs(rem).sum()
    assert total[-1] > 1e4 * np.finfo(float).eps
    slope = np.polyfit(np.log(lrs), np.log(total), 1)[0]
    assert 1.7 < slope < 2.3, (total, slope)


@pytest.mark.parametrize("symmetric", [False, True])
@pytest.mark.parametrize("init", ["gaussian", "leverage"])
def test_tangent_kernel_at_init_is_kappa2_times_random_features(init, symmetric):
    """J J^T (autograd) = kappa^2 Z Z^T with Z from RandomFeatures("ntk") at the same weights (MATH.md 7).

    The initializers draw from sklearn's check_random_state(seed) in the same
    order as RandomFeatures.fit, so both get identical weights; a symmetric net
    of width m uses m/2 draws, each twice, which leaves Z Z^T unchanged.
    """
    X, _, _ = digits(40, 1)
    m, kappa, alpha, seed = 600, 0.6, 0.09, 21
    net = lnn.TwoLayerReLU(64, m, kappa=kappa, symmetric=symmetric)
    k = m // 2 if symmetric else m
    if init == "gaussian":
        lnn.init.gaussian_(net, random_state=seed)
        rf = levrf.RandomFeatures("ntk", k, sampler="classical", random_state=seed).fit(X)
    else:
        lnn.init.leverage_(net, X, alpha, sampler="exact-pool", random_state=seed)
        rf = levrf.RandomFeatures("ntk", k, sampler="exact-pool", alpha=alpha / kappa**2, random_state=seed).fit(X)
        assert net.init_info["lambda"] == pytest.approx(alpha / kappa**2)
        assert net.init_info["sampler"] == "exact-pool"
        assert not np.allclose(rf.scales_, 1.0)
    W = net.weight.detach().numpy()
    np.testing.assert_array_equal(W[:k], rf.weights_)
    np.testing.assert_array_equal(net.c.numpy()[:k], rf.scales_)
    Z = rf.transform(X)
    J = jacobian(net, X)
    np.testing.assert_allclose(J @ J.T, kappa**2 * (Z @ Z.T), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(net.tangent_kernel(X).numpy(), Z @ Z.T, rtol=1e-10, atol=1e-12)
    # the cross kernel H(X, X') and the feature-matrix route of the brief
    X2 = digits(40, 9, seed=1)[2]
    Zc = NTK().feature_matrix(X2, W, net.c.numpy())
    Zx = NTK().feature_matrix(X, W, net.c.numpy())
    np.testing.assert_allclose(net.tangent_kernel(X, X2).numpy(), Zx @ Zc.T, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("init", ["gaussian", "leverage"])
def test_symmetric_init_gives_exactly_zero_output(init):
    X, _, Xt = digits(50, 50)
    net = lnn.TwoLayerReLU(64, 3000, kappa=2.0, symmetric=True, random_state=0)
    if init == "leverage":
        lnn.init.leverage_(net, X, 0.1, sampler="exact-pool", random_state=1)
    W = net.weight.detach()
    assert torch.equal(W[:1500], W[1500:]) and torch.equal(net.a[:1500], -net.a[1500:])
    assert np.all(net.predict(Xt) == 0.0)
    assert torch.all(net(torch.as_tensor(Xt)) == 0.0)
    u, _, _ = net.loss_and_grad(torch.as_tensor(X), torch.zeros(50, dtype=torch.float64), 0.1)
    assert torch.all(u == 0.0)
    # a non-symmetric net is not zero
    assert np.abs(lnn.TwoLayerReLU(64, 3000, random_state=0).predict(Xt)).max() > 0.1


# ------------------------------------------------------ NTK ridge dynamics


def test_ntk_ridge_trajectory_matches_ode_integration(small):
    """Closed form of MATH.md 7 against scipy's solve_ivp on du/dt = Kk (y - u) - alpha u."""
    X, y, Xt = small
    kappa, alpha = 0.7, 0.3
    K, Kt = NTK().gram(X), NTK().gram(Xt, X)
    Kk, kk = kappa**2 * K, kappa**2 * Kt
    n = len(y)

    def rhs(t, v):
        u, ut = v[:n], v[n:]
        return np.concatenate([Kk @ (y - u) - alpha * u, kk @ (y - u) - alpha * ut])

    times = np.array([0.0, 0.1, 0.5, 1.3, 4.0, 12.0])
    sol = solve_ivp(rhs, (0, times[-1]), np.zeros(n + len(Xt)), t_eval=times, rtol=1e-11, atol=1e-13, method="DOP853")
    tr = lnn.ntk_ridge_trajectory(X, y, Xt, alpha, kappa, times)
    np.testing.assert_allclose(tr.u_train, sol.y[:n].T, rtol=1e-7, atol=1e-9)
    np.testing.assert_allclose(tr.u_test, sol.y[n:].T, rtol=1e-7, atol=1e-9)
    assert tr.steps is None and tr.u_train.shape == (6, n) and tr.u_test.shape == (6, len(Xt))


def test_ntk_ridge_limit_is_kernel_ridge_on_kappa2_K(small):
    X, y, Xt = small
    kappa, alpha = 1.7, 0.05
    tr = lnn.ntk_ridge_trajectory(X, y, Xt, alpha, kappa, [1e4, np.inf])
    # KernelRidge on the Gram kappa^2 K with penalty alpha ...
    scaled = CustomKernel(
        sample=NTK().sample, log_density=NTK().log_density, phi=NTK().phi,
        gram=lambda A, B: kappa**2 * NTK().gram(A, None if B is A else B),
    )  # (Y=None gives NTK's exact diagonal angle 0; arccos(1 - 1e-16) would be 1.5e-8)
    ref = levrf.KernelRidge(scaled, alpha=alpha).fit(X, y)
    # ... equals KernelRidge on K with penalty alpha / kappa^2
    ref2 = levrf.KernelRidge("ntk", alpha=alpha / kappa**2).fit(X, y)
    for pred in (ref.predict(Xt), ref2.predict(Xt)):
        np.testing.assert_allclose(tr.limit_test, pred, rtol=1e-9, atol=1e-11)
        np.testing.assert_allclose(tr.u_test[-1], pred, rtol=1e-9, atol=1e-11)
        np.testing.assert_allclose(tr.u_test[0], pred, rtol=1e-6, atol=1e-8)
    np.testing.assert_allclose(tr.limit_train, ref.predict(X), rtol=1e-9, atol=1e-11)


def test_discrete_form_matches_explicit_gradient_descent(small):
    X, y, Xt = small
    kappa, alpha, lr = 0.9, 0.2, 0.07
    Kk, kk = kappa**2 * NTK().gram(X), kappa**2 * NTK().gram(Xt, X)
    ks = [0, 1, 2, 5, 17, 60]
    tr = lnn.ntk_ridge_trajectory(X, y, Xt, alpha, kappa, np.array(ks) * lr, discrete_lr=lr)
    u, ut = np.zeros(len(y)), np.zeros(len(Xt))
    got_u, got_ut = [], []
    for k in range(ks[-1] + 1):
        if k in ks:
            got_u.append(u.copy())
            got_ut.append(ut.copy())
        u, ut = u + lr * (Kk @ (y - u) - alpha * u), ut + lr * (kk @ (y - u) - alpha * ut)
    np.testing.assert_array_equal(tr.steps, ks)
    np.testing.assert_allclose(tr.u_train, np.array(got_u), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(tr.u_test, np.array(got_ut), rtol=1e-10, atol=1e-12)
    # and it differs from the flow by O(lr)
    flow = lnn.ntk_ridge_trajectory(X, y, Xt, alpha, kappa, np.array(ks) * lr)
    assert 0 < np.abs(flow.u_test - tr.u_test).max() < 0.2 * np.abs(flow.u_test).max()


def test_discrete_form_warns_when_gd_would_diverge(small):
    X, y, Xt = small
    with pytest.warns(RuntimeWarning, match="diverges"):
        lnn.ntk_ridge_trajectory(X, y, Xt, 0.1, 5.0, [0.0, 10.0], discrete_lr=10.0)


# -------------------------------------------------------------- training


def test_train_records_trajectory_and_stays_near_ntk_for_short_horizon():
    X, y, Xt = digits(32, 16)
    net = lnn.TwoLayerReLU(64, 2048, symmetric=True, random_state=5)
    traj = lnn.train(net, X, y, alpha=0.1, lr=0.05, steps=40, X_test=Xt, record_every=7)
    np.testing.assert_array_equal(traj.steps, [0, 7, 14, 21, 28, 35, 40])
    np.testing.assert_allclose(traj.times, traj.steps * 0.05)
    assert traj.horizon == pytest.approx(2.0) and traj.alpha_t == pytest.approx(0.2)
    assert traj.u_train.shape == (7, 32) and traj.u_test.shape == (7, 16)
    assert np.all(traj.u_train[0] == 0) and traj.weight_movement[0] == 0 and traj.kernel_movement[0] == 0
    assert np.all(np.diff(traj.loss) < 0)  # GD with a small step decreases the loss
    assert 0 < traj.weight_movement[-1] < 0.5 and 0 < traj.kernel_movement[-1] < 0.2
    # the recorded state is the final network's
    np.testing.assert_allclose(traj.u_test[-1], net.predict(Xt), rtol=1e-12, atol=1e-14)
    ref = lnn.ntk_ridge_trajectory(X, y, Xt, 0.1, 1.0, traj.times, discrete_lr=0.05)
    gap = np.abs(traj.u_test - ref.u_test).max() / np.abs(ref.u_test).max()
    assert gap < 0.25  # width 2048, n = 32: about 0.06 measured; the bound leaves room for seeds


def test_train_raises_on_divergence():
    X, y, _ = digits(32, 1)
    net = lnn.TwoLayerReLU(64, 64, kappa=30.0, random_state=0)
    with pytest.raises(FloatingPointError, match="lower lr"):
        lnn.train(net, X, y, alpha=0.1, lr=10.0, steps=400, track_kernel=False)


# ------------------------------------------------------ the equivalence


@pytest.fixture(scope="module")
def sweep():
    """Width sweep on 64 digits, alpha = 0.1, kappa = 1, lr = 0.05, t <= 10 (alpha t = 1), symmetric init."""
    X, y, Xt = digits(64, 64)
    return lnn.equivalence(
        X, y, Xt, widths=[256, 1024, 4096], seeds=[0, 1, 2, 3], sampler="exact-pool", record_every=10
    )


def test_equivalence_table(sweep):
    assert len(sweep.rows) == 3 * 2 * 4
    assert sweep.horizon == pytest.approx(10.0) and sweep.alpha_t == pytest.approx(1.0)
    for r in sweep.rows:
        assert r["horizon"] == pytest.approx(10.0) and r["alpha_t"] == pytest.approx(1.0)
        assert 0 < r["test_gap"] < 1 and 0 < r["train_gap"] < 1 and 0 < r["init_kernel_gap"] < 1
    md = sweep.to_markdown()
    assert md.count("\n") == len(sweep.rows) + 1 and md.startswith("| width | init | seed |")
    for init in ("gaussian", "leverage"):
        assert set(sweep.slopes[init]) == {"test_gap", "train_gap", "init_kernel_gap"}
        # the random-feature error at init shrinks like m^{-1/2}
        assert -0.75 < sweep.slopes[init]["init_kernel_gap"] < -0.3
    cmp = sweep.compare("leverage", "gaussian")
    assert [c["width"] for c in cmp] == [256, 1024, 4096]
    assert all(c["ratio_of_medians"] > 0 for c in cmp)
    prefix = sweep.sup_gap_upto(5.0)
    full = {(r["width"], r["init"], r["seed"]): r["test_gap"] for r in sweep.rows}
    assert all(p["gap"] <= full[(p["width"], p["init"], p["seed"])] + 1e-15 for p in prefix)


def test_gap_decreases_with_width_on_average(sweep):
    """Mean sup test gap over 4 seeds decreases from width 256 to 1024 to 4096, for both inits.

    Theory and FIELD_NOTES: the gap shrinks like about m^{-1/2} over t <= 10 at
    alpha t = 1 (measured slope -0.46), i.e. by about 2x per 4x width, while its
    spread over seeds is about 20% of the mean (16-seed study on this data); a
    reversal of the 4-seed means needs a deviation of several standard errors,
    false-failure probability below 1e-3 by that estimate (fixed seeds, so the
    outcome is deterministic on a given platform).
    """
    for init in ("gaussian", "leverage"):
        means = [np.mean(sweep.column("test_gap", init, w)) for w in (256, 1024, 4096)]
        assert means[0] > means[1] > means[2], (init, means)
        assert sweep.slopes[init]["test_gap"] < -0.25


def test_gap_is_small_at_width_16384():
    """At m = 2^14 on n = 64 digits (t <= 10, alpha t = 1) the sup test gap is below 8%.

    FIELD_NOTES measured 3.1% at this width and horizon (64 digits, alpha = 0.1,
    kappa = 1, symmetric init, lr = 0.05), consistent with about 3.5 m^{-1/2}
    from the 11% at m = 1,024. 8% leaves a factor 2.5 for the seed and the
    split; a 16-seed study on this data put the largest gap at both inits well
    below it (false-failure probability far below 1e-3).
    """
    X, y, Xt = digits(64, 64)
    res = lnn.equivalence(X, y, Xt, widths=[16384], seeds=[0], sampler="exact-pool", record_every=20)
    for r in res.rows:
        assert r["test_gap"] < 0.08, r
        assert r["train_gap"] < 0.08, r
        assert r["init_kernel_gap"] < 0.04, r


# ------------------------------------------------------------ validation


def test_network_validation():
    with pytest.raises(ValueError, match="width"):
        lnn.TwoLayerReLU(5, 0)
    with pytest.raises(ValueError, match="width must be even"):
        lnn.TwoLayerReLU(5, 7, symmetric=True)
    with pytest.raises(ValueError, match="in_features"):
        lnn.TwoLayerReLU(0, 8)
    with pytest.raises(ValueError, match="kappa"):
        lnn.TwoLayerReLU(5, 8, kappa=0.0)
    with pytest.raises(TypeError, match="dtype"):
        lnn.TwoLayerReLU(5, 8, dtype=torch.int64)
    net = lnn.TwoLayerReLU(5, 8)
    with pytest.raises(ValueError, match="X has 4 features"):
        net.predict(np.ones((3, 4)))
    with pytest.raises(ValueError, match="X contains NaN"):
        net.predict(np.full((3, 5), np.nan))
    with pytest.raises(ValueError, match="Y contains NaN"):
        net.tangent_kernel(np.ones((3, 5)), np.full((2, 5), np.inf))
    with pytest.raises(ValueError, match="2-D"):
        net.predict(np.ones(5))


def test_init_validation():
    X = np.ones((6, 5))
    net = lnn.TwoLayerReLU(5, 8)
    with pytest.raises(ValueError, match="alpha"):
        lnn.init.leverage_(net, X, 0.0, sampler="exact-pool")
    with pytest.raises(ValueError, match="X has 4 features"):
        lnn.init.leverage_(net, np.ones((6, 4)), 0.1, sampler="exact-pool")
    with pytest.raises(ValueError, match="X"):
        lnn.init.leverage_(net, np.full((6, 5), np.nan), 0.1, sampler="exact-pool")
    with pytest.raises(ValueError, match="sampler"):
        lnn.init.leverage_(net, X, 0.1, sampler="no-such-sampler")
    assert lnn.init.gaussian_(net, 0) is net


def test_train_validation():
    X, y = np.random.default_rng(0).standard_normal((6, 5)), np.ones(6)
    net = lnn.TwoLayerReLU(5, 8)
    with pytest.raises(ValueError, match="alpha"):
        lnn.train(net, X, y, alpha=-1.0, lr=0.1, steps=3)
    with pytest.raises(ValueError, match="lr"):
        lnn.train(net, X, y, alpha=0.1, lr=0.0, steps=3)
    with pytest.raises(ValueError, match="steps"):
        lnn.train(net, X, y, alpha=0.1, lr=0.1, steps=-1)
    with pytest.raises(ValueError, match="y has 5 entries"):
        lnn.train(net, X, y[:5], alpha=0.1, lr=0.1, steps=3)
    with pytest.raises(ValueError, match="y contains NaN"):
        lnn.train(net, X, np.full(6, np.nan), alpha=0.1, lr=0.1, steps=3)
    with pytest.raises(ValueError, match="X_test has 4 features"):
        lnn.train(net, X, y, alpha=0.1, lr=0.1, steps=3, X_test=np.ones((2, 4)))
    with pytest.raises(TypeError, match="net"):
        lnn.train("net", X, y, alpha=0.1, lr=0.1, steps=3)


def test_dynamics_and_equivalence_validation(small):
    X, y, Xt = small
    with pytest.raises(ValueError, match="alpha"):
        lnn.ntk_ridge_trajectory(X, y, Xt, 0.0, 1.0, [1.0])
    with pytest.raises(ValueError, match="kappa"):
        lnn.ntk_ridge_trajectory(X, y, Xt, 0.1, -1.0, [1.0])
    with pytest.raises(ValueError, match="times"):
        lnn.ntk_ridge_trajectory(X, y, Xt, 0.1, 1.0, [-1.0])
    with pytest.raises(ValueError, match="multiples of discrete_lr"):
        lnn.ntk_ridge_trajectory(X, y, Xt, 0.1, 1.0, [0.15], discrete_lr=0.1)
    with pytest.raises(ValueError, match="X_test has 5 features"):
        lnn.ntk_ridge_trajectory(X, y, Xt[:, :5], 0.1, 1.0, [1.0])
    with pytest.raises(ValueError, match="X contains NaN|X.*NaN"):
        lnn.ntk_ridge_trajectory(np.where(X > 0.5, np.nan, X), y, Xt, 0.1, 1.0, [1.0])
    with pytest.raises(ValueError, match="widths must be even"):
        lnn.equivalence(X, y, Xt, widths=[8, 9])
    with pytest.raises(ValueError, match="widths"):
        lnn.equivalence(X, y, Xt, widths=[0])
    with pytest.raises(ValueError, match="inits"):
        lnn.equivalence(X, y, Xt, widths=[8], inits=("uniform",))
    with pytest.raises(ValueError, match="lr=5 is too large"):
        lnn.equivalence(X, y, Xt, widths=[8], lr=5.0)
    with pytest.raises(ValueError, match="seeds"):
        lnn.equivalence(X, y, Xt, widths=[8], seeds=[-1])
    with pytest.raises(ValueError, match="reference"):
        lnn.equivalence(X, y, Xt, widths=[8], reference="exact")
