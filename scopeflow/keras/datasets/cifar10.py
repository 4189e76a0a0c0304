"""``tf.keras.datasets.cifar10``: 50,000 training and 10,000 test 32x32 colour images of
10 classes, from the python version of the CIFAR-10 archive (its pickled batches are read
with ``safe_pickle.RestrictedUnpickler``: NumPy arrays and plain values only)."""

from __future__ import annotations

import os

import numpy as np

from scopeflow.keras.datasets._common import fetch
from scopeflow.keras.datasets.cifar import channels_last, load_batch

ORIGIN = "https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz"
FILE_HASH = "6d958be074577803d12ecdefd02955f39262c83c16fe9348329d7fe0b5c001ce"


def load_data(cache_dir=None):
    """``(x_train, y_train), (x_test, y_test)``: uint8 images ``[50000, 32, 32, 3]`` and
    ``[10000, 32, 32, 3]`` (channels first under ``image_data_format() ==
    "channels_first"``) and uint8 labels ``[n, 1]``, batches 1 to 5 in order."""
    path = fetch("cifar-10-batches-py", ORIGIN, FILE_HASH, cache_dir, untar=True)
    parts = [load_batch(os.path.join(path, f"data_batch_{i}")) for i in range(1, 6)]
    x_train = np.concatenate([x for x, _ in parts]).astype("uint8", copy=False)
    y_train = np.concatenate([np.asarray(y, dtype="uint8") for _, y in parts])
    x_test, y_test = load_batch(os.path.join(path, "test_batch"))
    y_train = y_train.reshape(len(y_train), 1)
    y_test = np.reshape(y_test, (len(y_test), 1)).astype(y_train.dtype)
    return (channels_last(x_train), y_train), (channels_last(x_test).astype(x_train.dtype), y_test)


__all__ = ["load_data"]
