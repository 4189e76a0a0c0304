"""``tf.keras.utils``: ``to_categorical``, ``normalize``, ``pad_sequences``, the
``Progbar``, ``Sequence`` (the base of Keras's batch sources) and the custom objects that
names (``activation="swish2"``, ``loss="my_loss"``) are looked up in first
(``custom_object_scope``, ``get_custom_objects``).

>>> import scopeflow as tf
>>> tf.keras.utils.to_categorical([0, 2], num_classes=3)
array([[1., 0., 0.],
       [0., 0., 1.]], dtype=float32)
"""

from __future__ import annotations

import numpy as np

from scopeflow.keras.callbacks import Progbar
from scopeflow.keras.custom_objects import (
    CustomObjectScope,
    custom_object_scope,
    get_custom_objects,
)
from scopeflow.keras.datasets.download import get_file, validate_file
from scopeflow.keras.preprocessing.sequence import pad_sequences
from scopeflow.keras.serialization import (
    deserialize_keras_object,
    get_registered_name,
    get_registered_object,
    register_keras_serializable,
    serialize_keras_object,
)


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


class Sequence:
    """A source of batches: subclass it with ``__getitem__(index)`` (the batch ``index``:
    ``(x, y)`` or ``(x, y, sample_weight)``) and ``__len__`` (the number of batches);
    ``on_epoch_end`` is called after each epoch."""

    def __getitem__(self, index):
        raise NotImplementedError

    def __len__(self):
        raise NotImplementedError

    def on_epoch_end(self) -> None:
        """Called at the end of every epoch (shuffle the data here)."""

    def __iter__(self):
        for index in range(len(self)):
            yield self[index]


__all__ = [
    "CustomObjectScope",
    "Progbar",
    "Sequence",
    "custom_object_scope",
    "deserialize_keras_object",
    "get_custom_objects",
    "get_file",
    "get_registered_name",
    "get_registered_object",
    "normalize",
    "pad_sequences",
    "register_keras_serializable",
    "serialize_keras_object",
    "to_categorical",
    "validate_file",
]
