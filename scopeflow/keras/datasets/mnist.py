"""``tf.keras.datasets.mnist``: 60,000 training and 10,000 test 28x28 grayscale digits."""

from __future__ import annotations

import numpy as np

from scopeflow.keras.datasets._common import ORIGIN, fetch

FILE_HASH = "731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1"


def load_data(path="mnist.npz", cache_dir=None):
    """``(x_train, y_train), (x_test, y_test)``: uint8 images ``[60000, 28, 28]`` and
    ``[10000, 28, 28]`` (0 to 255) and uint8 labels 0 to 9, from ``mnist.npz`` in Keras's
    cache (downloaded on first use; ``cache_dir`` default ``~/.keras``)."""
    path = fetch(path, ORIGIN + "mnist.npz", FILE_HASH, cache_dir)
    with np.load(path, allow_pickle=False) as f:
        return (f["x_train"], f["y_train"]), (f["x_test"], f["y_test"])


__all__ = ["load_data"]
