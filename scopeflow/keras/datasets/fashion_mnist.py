"""``tf.keras.datasets.fashion_mnist``: 60,000 training and 10,000 test 28x28 grayscale
images of 10 kinds of clothing, read from the four gzipped IDX files."""

from __future__ import annotations

import gzip
import os

import numpy as np

from scopeflow.keras.datasets._common import ORIGIN, fetch

FILES = (
    "train-labels-idx1-ubyte.gz",
    "train-images-idx3-ubyte.gz",
    "t10k-labels-idx1-ubyte.gz",
    "t10k-images-idx3-ubyte.gz",
)


def _read(path, offset: int) -> np.ndarray:
    with gzip.open(path, "rb") as f:
        return np.frombuffer(f.read(), np.uint8, offset=offset)


def load_data(cache_dir=None):
    """``(x_train, y_train), (x_test, y_test)``: uint8 images ``[n, 28, 28]`` and uint8
    labels 0 to 9, from ``<cache_dir>/datasets/fashion-mnist/`` (downloaded on first use)."""
    subdir = os.path.join("datasets", "fashion-mnist")
    paths = [fetch(name, ORIGIN + name, None, cache_dir, cache_subdir=subdir) for name in FILES]
    y_train, y_test = _read(paths[0], 8), _read(paths[2], 8)
    x_train = _read(paths[1], 16).reshape(len(y_train), 28, 28)
    x_test = _read(paths[3], 16).reshape(len(y_test), 28, 28)
    return (x_train, y_train), (x_test, y_test)


__all__ = ["load_data"]
