import numpy as np
import pytest


@pytest.fixture
def small_data():
    """12 points in R^5 with one zero row and one duplicated row (edge cases for angles)."""
    rng = np.random.default_rng(12345)
    X = rng.standard_normal((12, 5))
    X[3] = 0.0
    X[7] = X[2]
    return X
