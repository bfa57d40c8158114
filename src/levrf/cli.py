"""The ``levrf`` command line."""

from __future__ import annotations

import argparse
import sys
import time

import numpy as np


def _digits(seed: int):
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split

    X, y = load_digits(return_X_y=True)
    X = X / np.linalg.norm(X, axis=1, keepdims=True)
    Y = np.eye(10)[y]  # one-hot targets: multi-output ridge, argmax to classify
    return train_test_split(X, Y, test_size=0.3, random_state=seed)


def cmd_demo(args) -> int:
    from . import KernelRidge, RandomFeatures, spectral_error, statistical_dimension
    from .kernels import get_kernel

    Xtr, Xte, Ytr, Yte = _digits(args.seed)
    alpha = 1e-2
    print(f"digits: {len(Xtr)} train / {len(Xte)} test rows, unit-norm inputs, alpha = {alpha}")
    print(f"{'kernel':<10} {'s_lambda':>9} {'exact acc':>10} {'m':>5} {'RF eps':>8} {'time s':>7}")
    for name in ("gaussian", "ntk", "arccos1"):
        t0 = time.perf_counter()
        k = get_kernel(name)
        K = k.gram(Xtr)
        s = statistical_dimension(K, alpha)
        acc = np.mean(KernelRidge(k, alpha=alpha).fit(Xtr, Ytr).predict(Xte).argmax(1) == Yte.argmax(1))
        m = 256
        Z = RandomFeatures(k, m, random_state=args.seed).fit_transform(Xtr)
        eps = spectral_error(K, Z, alpha)
        print(f"{name:<10} {s:9.1f} {acc:10.3f} {m:5d} {eps:8.3f} {time.perf_counter() - t0:7.2f}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="levrf", description="Leverage-score sampling of random features.")
    sub = p.add_subparsers(dest="command", required=True)
    d = sub.add_parser("demo", help="run the main job on built-in data (scikit-learn's digits)")
    d.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    d.set_defaults(func=cmd_demo)
    return p


def main(argv=None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
