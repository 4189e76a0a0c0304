"""``tf.keras.layers.ZeroPadding3D``, ``Cropping3D``, ``UpSampling3D`` and
``SpatialDropout3D``: the volume (NDHWC) versions of the 2-D layers, as TensorFlow's Keras
builds them.

>>> import scopeflow as tf
>>> with tf.Graph().as_default():
...     x = tf.keras.Input(shape=(2, 3, 4, 1))
...     y = tf.keras.layers.UpSampling3D()(tf.keras.layers.ZeroPadding3D()(x))
...     z = tf.keras.layers.Cropping3D(((1, 0), (0, 1), 1))(x)
>>> y.shape.as_list(), z.shape.as_list()
([None, 8, 10, 12, 1], [None, 1, 2, 2, 1])
"""

from __future__ import annotations

from scopeflow.keras import backend_array as K
from scopeflow.keras.engine import Layer
from scopeflow.keras.noise import _SpatialDropout
from scopeflow.layers.base import InputSpec
from scopeflow.layers.core import check_channels_last


def _triple(value, name: str) -> tuple:
    if isinstance(value, int):
        return (value, value, value)
    value = tuple(value)
    if len(value) != 3 or not all(isinstance(v, int) for v in value):
        raise ValueError(f"The `{name}` argument must be a tuple of 3 integers. Received: {value}")
    return value


def _triples(value, name: str) -> tuple:
    """``((before, after),) * 3`` from an int, three ints or three pairs (or ints)."""
    if isinstance(value, int):
        return ((value, value),) * 3
    if len(value) != 3:
        raise ValueError(f"`{name}` should have 3 elements. Received: {value}.")
    pairs = []
    for i, entry in enumerate(value):
        entry = (entry, entry) if isinstance(entry, int) else tuple(entry)
        if len(entry) != 2 or not all(isinstance(v, int) for v in entry):
            raise ValueError(
                f"The `{i + 1}th entry of {name}` argument must be a tuple of 2 integers. "
                f"Received: {entry}"
            )
        pairs.append(entry)
    return tuple(pairs)


class ZeroPadding3D(Layer):
    """Zeros around the three spatial axes of NDHWC volumes."""

    def __init__(self, padding=(1, 1, 1), data_format=None, **kwargs):
        super().__init__(**kwargs)
        check_channels_last(data_format, "ZeroPadding3D")
        self.padding = _triples(padding, "padding")
        self.input_spec = InputSpec(ndim=5)

    def call(self, inputs):
        return K.spatial_3d_padding(inputs, padding=self.padding)

    def get_config(self) -> dict:
        return {**super().get_config(), "padding": self.padding, "data_format": "channels_last"}


class Cropping3D(Layer):
    """NDHWC volumes without ``cropping[i] = (before, after)`` entries of spatial axis
    ``i``."""

    def __init__(self, cropping=((1, 1), (1, 1), (1, 1)), data_format=None, **kwargs):
        super().__init__(**kwargs)
        check_channels_last(data_format, "Cropping3D")
        self.cropping = _triples(cropping, "cropping")
        self.input_spec = InputSpec(ndim=5)

    def call(self, inputs):
        d, h, w = (slice(a, -b if b else None) for a, b in self.cropping)
        return inputs[:, d, h, w, :]

    def get_config(self) -> dict:
        return {**super().get_config(), "cropping": self.cropping, "data_format": "channels_last"}


class UpSampling3D(Layer):
    """NDHWC volumes with each entry repeated ``size[i]`` times along spatial axis ``i``."""

    def __init__(self, size=(2, 2, 2), data_format=None, **kwargs):
        super().__init__(**kwargs)
        check_channels_last(data_format, "UpSampling3D")
        self.size = _triple(size, "size")
        self.input_spec = InputSpec(ndim=5)

    def call(self, inputs):
        for axis, size in enumerate(self.size, start=1):
            inputs = K.repeat_elements(inputs, size, axis=axis)
        return inputs

    def get_config(self) -> dict:
        return {**super().get_config(), "size": self.size, "data_format": "channels_last"}


class SpatialDropout3D(_SpatialDropout):
    """Drops whole channels of NDHWC volumes while training."""

    ndim = 5


__all__ = ["Cropping3D", "SpatialDropout3D", "UpSampling3D", "ZeroPadding3D"]
