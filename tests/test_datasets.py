"""Bundled real data: shapes, encodings and known facts about ggplot2's diamonds."""

import numpy as np
import pytest

from levrf.datasets import load_diamonds, load_digits_unit

pytest.importorskip("pandas")


def test_diamonds_known_facts():
    X, y, cols = load_diamonds(log_target=False)
    assert X.shape == (53940, 9) and cols[:6] == ["carat", "depth", "table", "x", "y", "z"]
    assert y.min() == 326 and y.max() == 18823  # ggplot2's documented price range
    assert np.all(np.isfinite(X))
    assert set(np.unique(X[:, 6])) == set(range(5)) and set(np.unique(X[:, 8])) == set(range(8))
    Xn, yn, _ = load_diamonds(numeric_only=True, n_samples=2000, random_state=1)
    assert Xn.shape == (2000, 6) and np.allclose(np.exp(yn).round(), np.exp(yn))
    again = load_diamonds(numeric_only=True, n_samples=2000, random_state=1)[0]
    np.testing.assert_array_equal(Xn, again)


def test_digits_unit_rows():
    X, y = load_digits_unit()
    assert X.shape == (1797, 64) and y.shape == (1797,)
    np.testing.assert_allclose(np.linalg.norm(X, axis=1), 1.0)
