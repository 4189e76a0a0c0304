"""``tf.keras.utils``: ``to_categorical``, ``normalize`` and the ``Progbar``.

>>> import scopeflow as tf
>>> tf.keras.utils.to_categorical([0, 2], num_classes=3)
array([[1., 0., 0.],
       [0., 0., 1.]], dtype=float32)
"""

from __future__ import annotations

import numpy as np

from scopeflow.keras.callbacks import Progbar


def to_categorical(y, num_classes=None, dtype="float32") -> np.ndarray:
    """One-hot rows for the integer labels ``y`` (``num_classes``: max label + 1 unless
    given); an input of shape ``[..., 1]`` is treated as ``[...]``."""
    y = np.array(y, dtype="int")
    shape = y.shape
    if shape and shape[-1] == 1 and len(shape) > 1:
        shape = shape[:-1]
    y = y.ravel()
    if not num_classes:
        num_classes = int(np.max(y)) + 1
    categorical = np.zeros((y.shape[0], num_classes), dtype=dtype)
    categorical[np.arange(y.shape[0]), y] = 1
    return np.reshape(categorical, (*shape, num_classes))


def normalize(x, axis=-1, order=2) -> np.ndarray:
    """``x`` divided by its ``order``-norm along ``axis`` (zero norms left as zeros)."""
    norm = np.atleast_1d(np.linalg.norm(x, order, axis))
    norm[norm == 0] = 1
    return x / np.expand_dims(norm, axis)


__all__ = ["Progbar", "normalize", "to_categorical"]
