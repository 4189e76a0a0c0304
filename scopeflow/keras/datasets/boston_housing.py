"""``tf.keras.datasets.boston_housing``: 506 houses' 13 features and their prices (in
thousands of dollars), shuffled with ``seed`` and split by ``test_split``."""

from __future__ import annotations

import numpy as np

from scopeflow.keras.datasets._common import ORIGIN, fetch

FILE_HASH = "f553886a1f8d56431e820c5b82552d9d95cfcb96d1e678153f8839538947dff5"


def load_data(path="boston_housing.npz", test_split=0.2, seed=113, cache_dir=None):
    """``(x_train, y_train), (x_test, y_test)``: float64 features ``[n, 13]`` and prices
    ``[n]``, the rows permuted by ``np.random.RandomState(seed)`` as Keras does and the first
    ``int(n * (1 - test_split))`` kept for training."""
    if not 0 <= test_split < 1:
        raise ValueError(f"test_split must be in [0, 1), got {test_split}.")
    path = fetch(path, ORIGIN + "boston_housing.npz", FILE_HASH, cache_dir)
    with np.load(path, allow_pickle=False) as f:
        x, y = f["x"], f["y"]
    indices = np.arange(len(x))
    np.random.RandomState(seed).shuffle(indices)
    x, y = x[indices], y[indices]
    cut = int(len(x) * (1 - test_split))
    return (x[:cut], y[:cut]), (x[cut:], y[cut:])


__all__ = ["load_data"]
