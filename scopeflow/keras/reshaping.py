"""``tf.keras.layers.ZeroPadding1D``/``2D``, ``Cropping1D``/``2D``, ``UpSampling1D``/``2D``,
``Permute`` and ``RepeatVector``: layers that move or repeat entries, as TF1.15's Keras
builds them (``channels_last`` only).

>>> import scopeflow as tf
>>> with tf.Graph().as_default():
...     x = tf.keras.Input(shape=(4, 4, 3))
...     y = tf.keras.layers.UpSampling2D()(tf.keras.layers.ZeroPadding2D()(x))
...     z = tf.keras.layers.RepeatVector(2)(tf.keras.Input(shape=(3,)))
>>> y.shape.as_list(), z.shape.as_list()
([None, 12, 12, 3], [None, 2, 3])
"""

from __future__ import annotations

from scopeflow.keras import backend_array as K
from scopeflow.keras import backend_nn as K_nn
from scopeflow.keras.engine import Layer
from scopeflow.layers.base import InputSpec
from scopeflow.layers.core import check_channels_last


def _pair(value, name: str) -> tuple:
    if isinstance(value, int):
        return (value, value)
    value = tuple(value)
    if len(value) != 2 or not all(isinstance(v, int) for v in value):
        raise ValueError(f"The `{name}` argument must be a tuple of 2 integers. Received: {value}")
    return value


def _pairs(value, name: str) -> tuple:
    """``((top, bottom), (left, right))`` from an int, two ints or two pairs."""
    if isinstance(value, int):
        return ((value, value), (value, value))
    if len(value) != 2:
        raise ValueError(f"`{name}` should have two elements. Received: {value}.")
    return (_pair(value[0], f"1st entry of {name}"), _pair(value[1], f"2nd entry of {name}"))


class ZeroPadding1D(Layer):
    """Zeros before and after the steps of ``[batch, steps, features]``."""

    def __init__(self, padding=1, **kwargs):
        super().__init__(**kwargs)
        self.padding = _pair(padding, "padding")
        self.input_spec = InputSpec(ndim=3)

    def call(self, inputs):
        return K.temporal_padding(inputs, padding=self.padding)


class ZeroPadding2D(Layer):
    """Zeros around the rows and columns of NHWC images."""

    def __init__(self, padding=(1, 1), data_format=None, **kwargs):
        super().__init__(**kwargs)
        check_channels_last(data_format, "ZeroPadding2D")
        self.padding = _pairs(padding, "padding")
        self.input_spec = InputSpec(ndim=4)

    def call(self, inputs):
        return K.spatial_2d_padding(inputs, padding=self.padding)


class Cropping1D(Layer):
    """``[batch, steps, features]`` without its first and last ``cropping`` steps."""

    def __init__(self, cropping=(1, 1), **kwargs):
        super().__init__(**kwargs)
        self.cropping = _pair(cropping, "cropping")
        self.input_spec = InputSpec(ndim=3)

    def call(self, inputs):
        start, end = self.cropping
        return inputs[:, start : -end if end else None, :]


class Cropping2D(Layer):
    """NHWC images without ``((top, bottom), (left, right))`` rows and columns."""

    def __init__(self, cropping=((0, 0), (0, 0)), data_format=None, **kwargs):
        super().__init__(**kwargs)
        check_channels_last(data_format, "Cropping2D")
        self.cropping = _pairs(cropping, "cropping")
        self.input_spec = InputSpec(ndim=4)

    def call(self, inputs):
        (top, bottom), (left, right) = self.cropping
        return inputs[:, top : -bottom if bottom else None, left : -right if right else None, :]


class UpSampling1D(Layer):
    """Each step repeated ``size`` times."""

    def __init__(self, size=2, **kwargs):
        super().__init__(**kwargs)
        self.size = int(size)
        self.input_spec = InputSpec(ndim=3)

    def call(self, inputs):
        return K.repeat_elements(inputs, self.size, axis=1)


class UpSampling2D(Layer):
    """NHWC images scaled up by ``size`` (``"nearest"`` or ``"bilinear"``)."""

    def __init__(self, size=(2, 2), data_format=None, interpolation="nearest", **kwargs):
        super().__init__(**kwargs)
        check_channels_last(data_format, "UpSampling2D")
        self.size = _pair(size, "size")
        if interpolation not in {"nearest", "bilinear"}:
            raise ValueError(
                '`interpolation` argument should be one of `"nearest"` or `"bilinear"`.'
            )
        self.interpolation = interpolation
        self.input_spec = InputSpec(ndim=4)

    def call(self, inputs):
        return K_nn.resize_images(
            inputs, *self.size, "channels_last", interpolation=self.interpolation
        )


class Permute(Layer):
    """The non-batch axes in the order ``dims`` (numbered from 1)."""

    def __init__(self, dims, **kwargs):
        super().__init__(**kwargs)
        self.dims = tuple(dims)
        if sorted(dims) != list(range(1, len(dims) + 1)):
            raise ValueError(
                "Invalid permutation argument `dims` for Permute Layer. The set of indices "
                f"in `dims` must be consecutive and start from 1. Received dims={dims}"
            )
        self.input_spec = InputSpec(ndim=len(self.dims) + 1)

    def call(self, inputs):
        return K.permute_dimensions(inputs, (0, *self.dims))


class RepeatVector(Layer):
    """``[batch, features]`` as ``[batch, n, features]``."""

    def __init__(self, n, **kwargs):
        super().__init__(**kwargs)
        self.n = n
        if not isinstance(n, int):
            raise TypeError(f"Expected an integer value for `n`, got {type(n)}.")
        self.input_spec = InputSpec(ndim=2)

    def call(self, inputs):
        return K.repeat(inputs, self.n)


__all__ = [
    "Cropping1D",
    "Cropping2D",
    "Permute",
    "RepeatVector",
    "UpSampling1D",
    "UpSampling2D",
    "ZeroPadding1D",
    "ZeroPadding2D",
]
