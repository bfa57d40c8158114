"""Full-batch gradient descent on the regularized loss of MATH.md section 7."""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from .._validation import check_alpha, check_int, check_positive
from ._torch import torch
from .network import TwoLayerReLU


@dataclass
class Trajectory:
    """What :func:`train` recorded at the steps ``steps`` (R of them).

    Attributes
    ----------
    steps : ndarray of shape (R,)
        Gradient-descent step counts ``k`` (0 and the last step included).
    times : ndarray of shape (R,)
        ``t = k * lr``, the gradient-flow time the step corresponds to.
    u_train : ndarray of shape (R, n)
        ``u(t) = f(W(t), X)``.
    u_test : ndarray of shape (R, n_test) or None
        ``f(W(t), X_test)``.
    loss : ndarray of shape (R,)
        ``1/2 |y - u|^2 + alpha/2 |W|_F^2`` at ``W(t)``.
    weight_movement : ndarray of shape (R,)
        ``max_r |w_r(t) - w_r(0)| / |w_r(0)|``.
    kernel_movement : ndarray of shape (R,) or None
        ``|H(t) - H(0)|_2 / |H(0)|_2`` (spectral norms of the tangent kernel on ``X``).
    tangent_kernel_init : ndarray of shape (n, n) or None
        ``H(0)`` on ``X`` (divided by ``kappa^2``, MATH.md 7).
    lr, alpha, kappa : float
    width : int
    wall_time_s : float
    """

    steps: np.ndarray
    times: np.ndarray
    u_train: np.ndarray
    u_test: np.ndarray | None
    loss: np.ndarray
    weight_movement: np.ndarray
    kernel_movement: np.ndarray | None
    tangent_kernel_init: np.ndarray | None
    lr: float
    alpha: float
    kappa: float
    width: int
    wall_time_s: float

    @property
    def horizon(self) -> float:
        """The last recorded time ``t_max = steps * lr``."""
        return float(self.times[-1])

    @property
    def alpha_t(self) -> float:
        """``alpha * t_max``: past about 1 the penalty drives the network out of the kernel regime."""
        return self.alpha * self.horizon


def check_targets(y, n: int, name: str = "y") -> np.ndarray:
    """``y`` as a finite float64 vector of length ``n`` (shape (n,) or (n, 1) accepted)."""
    if y is None:
        raise ValueError(f"{name} is None; pass a vector of shape ({n},).")
    try:
        y = np.asarray(y, dtype=np.float64)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be a numeric vector of shape ({n},).") from None
    if y.ndim == 2 and y.shape[1] == 1:
        y = y[:, 0]
    if y.ndim != 1:
        raise ValueError(f"{name} must have shape ({n},) (a scalar target per sample), got shape {y.shape}.")
    if y.shape[0] != n:
        raise ValueError(f"{name} has {y.shape[0]} entries but X has {n} rows; they must match.")
    if not np.all(np.isfinite(y)):
        raise ValueError(f"{name} contains NaN or infinity; pass finite values.")
    return y


def record_steps(steps: int, record_every: int) -> np.ndarray:
    """The recorded step counts: ``0, e, 2e, ...`` and always ``steps``."""
    ks = list(range(0, steps + 1, record_every))
    if ks[-1] != steps:
        ks.append(steps)
    return np.asarray(ks, dtype=np.int64)


def _spectral_norm(A: "torch.Tensor") -> float:
    return float(torch.linalg.eigvalsh(A).abs().max())


def train(
    net: TwoLayerReLU,
    X,
    y,
    alpha: float,
    lr: float,
    steps: int,
    X_test=None,
    record_every: int | None = None,
    *,
    track_kernel: bool = True,
    progress: bool = False,
) -> Trajectory:
    """Full-batch gradient descent on ``L(W) = 1/2 |y - u(W)|^2 + alpha/2 |W|_F^2`` (MATH.md 7).

    ``W <- W - lr * grad_W L``, ``steps`` times, in place on ``net``; the
    gradient is :meth:`TwoLayerReLU.loss_and_grad` (hand-written, blocked over
    neurons; the tests check it against autograd). In the kernel regime ``u`` follows
    ``du/dt = kappa^2 H(t) (y - u) - alpha u`` at ``t = k * lr``; compare with
    :func:`levrf.nn.ntk_ridge_trajectory`.

    Parameters
    ----------
    net : TwoLayerReLU
        Trained in place.
    X : array-like of shape (n, d)
    y : array-like of shape (n,)
    alpha : float
        Penalty ``alpha > 0``.
    lr : float
        Step size ``eta > 0``. In the kernel regime GD is stable for
        ``lr < 2 / (kappa^2 lambda_max(H) + alpha)``.
    steps : int
        Number of steps (>= 0); the horizon is ``steps * lr``.
    X_test : array-like of shape (n_test, d), optional
    record_every : int, optional
        Record every this many steps (and at the last step); default
        ``max(1, steps // 50)``.
    track_kernel : bool, default=True
        Record ``|H(t) - H(0)|_2 / |H(0)|_2`` (costs ``O(n^2 m)`` per record).
    progress : bool, default=False
        Show a tqdm progress bar (needs ``tqdm``).

    Returns
    -------
    Trajectory

    Raises
    ------
    FloatingPointError
        If the loss becomes non-finite (step size too large).
    """
    if not isinstance(net, TwoLayerReLU):
        raise TypeError(f"net must be a levrf.nn.TwoLayerReLU, got {type(net).__name__}.")
    alpha = check_alpha(alpha)
    lr = check_positive(lr, "lr")
    steps = check_int(steps, "steps", minimum=0)
    record_every = max(1, steps // 50) if record_every is None else check_int(record_every, "record_every")
    Xt = net._check_input(X, "X")
    yt = torch.as_tensor(check_targets(y, Xt.shape[0]), dtype=net.weight.dtype, device=net.weight.device)
    Xs = None if X_test is None else net._check_input(X_test, "X_test")
    ks = record_steps(steps, record_every)
    R = len(ks)
    n = Xt.shape[0]
    u_train = np.empty((R, n))
    u_test = None if Xs is None else np.empty((R, Xs.shape[0]))
    loss_rec, move_rec = np.empty(R), np.empty(R)
    kern_rec = np.empty(R) if track_kernel else None

    W = net.weight
    with torch.no_grad():
        W0 = W.detach().clone()
        w0_norm = torch.linalg.vector_norm(W0, dim=1).clamp_min(torch.finfo(W0.dtype).tiny)
        H0 = net.tangent_kernel(Xt) if track_kernel else None
        H0_norm = _spectral_norm(H0) if track_kernel else None

    bar = None
    if progress:
        try:
            from tqdm.auto import tqdm
        except ImportError:
            raise ImportError("progress=True needs tqdm: pip install tqdm (or levrf[cli]).") from None
        bar = tqdm(total=steps, desc=f"GD width={net.width}", leave=False)

    t0 = time.perf_counter()
    j = 0
    for k in range(steps + 1):
        u, loss, grad = net.loss_and_grad(Xt, yt, alpha)
        if not np.isfinite(loss):
            raise FloatingPointError(
                f"training diverged at step {k} (loss {loss}); lower lr (GD needs "
                f"lr < 2 / (kappa^2 lambda_max(H) + alpha); got lr={lr:g})."
            )
        if j < R and ks[j] == k:
            with torch.no_grad():
                u_train[j] = u.cpu().numpy()
                loss_rec[j] = loss
                move_rec[j] = float((torch.linalg.vector_norm(W - W0, dim=1) / w0_norm).max())
                if Xs is not None:
                    u_test[j] = net.predict(Xs)
                if track_kernel:
                    kern_rec[j] = 0.0 if k == 0 else _spectral_norm(net.tangent_kernel(Xt) - H0) / H0_norm
            j += 1
        if k == steps:
            break
        with torch.no_grad():
            W.sub_(lr * grad)
        if bar is not None:
            bar.update(1)
    if bar is not None:
        bar.close()
    return Trajectory(
        steps=ks,
        times=ks * lr,
        u_train=u_train,
        u_test=u_test,
        loss=loss_rec,
        weight_movement=move_rec,
        kernel_movement=kern_rec,
        tangent_kernel_init=None if H0 is None else H0.cpu().numpy(),
        lr=lr,
        alpha=alpha,
        kappa=net.kappa,
        width=net.width,
        wall_time_s=time.perf_counter() - t0,
    )
