"""``tf.keras.datasets.cifar100``: 50,000 training and 10,000 test 32x32 colour images of
100 fine (or 20 coarse) classes, from the python version of the CIFAR-100 archive (read
with ``safe_pickle.RestrictedUnpickler``: NumPy arrays and plain values only)."""

from __future__ import annotations

import os

import numpy as np

from scopeflow.keras.datasets._common import fetch
from scopeflow.keras.datasets.cifar import channels_last, load_batch

ORIGIN = "https://www.cs.toronto.edu/~kriz/cifar-100-python.tar.gz"
FILE_HASH = "85cd44d02ba6437773c5bbd22e183051d648de2e7d6b014e1ef29b855ba677a7"


def load_data(label_mode="fine", cache_dir=None):
    """``(x_train, y_train), (x_test, y_test)``: uint8 images ``[n, 32, 32, 3]`` and int64
    labels ``[n, 1]`` (``label_mode``: ``"fine"``, 0 to 99, or ``"coarse"``, 0 to 19)."""
    if label_mode not in ["fine", "coarse"]:
        raise ValueError(
            '`label_mode` must be one of `"fine"`, `"coarse"`. '
            f"Received: label_mode={label_mode}."
        )
    path = fetch("cifar-100-python", ORIGIN, FILE_HASH, cache_dir, untar=True)
    out = []
    for part in ("train", "test"):
        x, y = load_batch(os.path.join(path, part), label_key=label_mode + "_labels")
        out.append((channels_last(x), np.reshape(y, (len(y), 1))))
    return tuple(out)


__all__ = ["load_data"]
