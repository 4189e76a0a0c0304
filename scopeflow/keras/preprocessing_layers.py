"""``tf.keras.layers.Normalization``, ``Rescaling``, ``Resizing`` and ``CenterCrop``: the
preprocessing layers models put in front of their first layer, as TensorFlow's Keras builds
them (also under ``tf.keras.layers.experimental.preprocessing``).

>>> import numpy as np, scopeflow as tf
>>> with tf.Graph().as_default():
...     norm = tf.keras.layers.Normalization()
...     norm.adapt(np.array([[1.0, 10.0], [3.0, 30.0]]))
...     y = norm(tf.constant([[2.0, 20.0]]))
...     print(tf.keras.backend.get_session().run(y))
[[0. 0.]]
"""

from __future__ import annotations

import numpy as np

from scopeflow.framework import dtypes
from scopeflow.framework.constant import constant, convert_to_tensor
from scopeflow.framework.tensor_shape import TensorShape
from scopeflow.keras import backend
from scopeflow.keras.categorical_layers import (
    CategoryEncoding,
    Discretization,
    Hashing,
    PreprocessingLayer,
)
from scopeflow.keras.engine import Layer
from scopeflow.ops.array import basic as array_ops
from scopeflow.ops.array import shape as shape_ops
from scopeflow.ops.array.cast import cast
from scopeflow.ops.array.slicing import slice as array_slice
from scopeflow.ops.control.cond import cond
from scopeflow.ops.image import resize as resize_ops
from scopeflow.ops.math import elementwise as math_ops
from scopeflow.ops.math import reduction


class Normalization(Layer):
    """``(inputs - mean) / sqrt(variance)`` per entry of ``axis`` (default the last), with
    ``mean`` and ``variance`` given or learned by ``adapt(data)`` (the weights ``mean``,
    ``variance`` and ``count``); ``invert=True`` undoes it."""

    def __init__(self, axis=-1, mean=None, variance=None, invert=False, **kwargs):
        super().__init__(**kwargs)
        axis = () if axis is None else (axis,) if isinstance(axis, int) else tuple(axis)
        self.axis = axis
        if (mean is not None) != (variance is not None):
            raise ValueError(
                "When setting values directly, both `mean` and `variance` must be set. Got "
                f"mean: {mean} and variance: {variance}"
            )
        self.input_mean = mean
        self.input_variance = variance
        self.invert = invert

    def build(self, input_shape):
        input_shape = TensorShape(input_shape).as_list()
        ndim = len(input_shape)
        if any(a < -ndim or a >= ndim for a in self.axis):
            raise ValueError(
                "All `axis` values must be in the range [-ndim, ndim). Found ndim: "
                f"`{ndim}`, axis: {self.axis}"
            )
        self._keep_axis = sorted(d if d >= 0 else d + ndim for d in self.axis)
        for d in self._keep_axis:
            if input_shape[d] is None:
                raise ValueError(
                    f"All `axis` values to be kept must have known shape. Got axis: {self.axis}, "
                    f"input shape: {input_shape}, with unknown axis at index: {d}"
                )
        self._reduce_axis = [d for d in range(ndim) if d not in self._keep_axis]
        self._broadcast_shape = [input_shape[d] if d in self._keep_axis else 1 for d in range(ndim)]
        shape = tuple(input_shape[d] for d in self._keep_axis)
        if self.input_mean is None:
            self.adapt_mean = self.add_weight(
                "mean", shape=shape, initializer="zeros", trainable=False
            )
            self.adapt_variance = self.add_weight(
                "variance", shape=shape, initializer="ones", trainable=False
            )
            self.count = self.add_weight(
                "count", shape=(), dtype=dtypes.int64, initializer="zeros", trainable=False
            )
            self.mean = array_ops.reshape(self.adapt_mean, self._broadcast_shape)
            self.variance = array_ops.reshape(self.adapt_variance, self._broadcast_shape)
        else:
            mean = np.reshape(self.input_mean * np.ones(shape), self._broadcast_shape)
            variance = np.reshape(self.input_variance * np.ones(shape), self._broadcast_shape)
            self.mean = constant(mean, dtype=dtypes.float32)
            self.variance = constant(variance, dtype=dtypes.float32)
        self.built = True

    def adapt(self, data, batch_size=None, steps=None) -> None:
        """Sets ``mean`` and ``variance`` to the statistics of ``data`` (a NumPy array of
        examples) over every axis but ``axis``, in ``backend.get_session()``."""
        if self.input_mean is not None:
            raise ValueError(
                "Cannot `adapt` a Normalization layer that is initialized with static `mean` "
                f"and `variance`, you passed mean {self.input_mean} and variance "
                f"{self.input_variance}."
            )
        if hasattr(data, "make_one_shot_iterator") or steps is not None:
            raise NotImplementedError(
                "Normalization.adapt takes a NumPy array: read a tf.data.Dataset into one "
                "(np.concatenate of its batches) first."
            )
        data = np.asarray(data, dtype=np.float64)
        if not self.built:
            with backend.name_scope(self.name):
                self.build(TensorShape([None, *data.shape[1:]]))
        mean = data.mean(axis=tuple(self._reduce_axis))
        variance = data.var(axis=tuple(self._reduce_axis))
        count = int(np.prod([data.shape[d] for d in self._reduce_axis]))
        backend.batch_set_value(
            [(self.adapt_mean, mean), (self.adapt_variance, variance), (self.count, count)]
        )

    def call(self, inputs):
        inputs = cast(convert_to_tensor(inputs), dtypes.float32)
        scale = math_ops.maximum(math_ops.sqrt(self.variance), backend.epsilon())
        if self.invert:
            return self.mean + inputs * scale
        return (inputs - self.mean) / scale

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "axis": self.axis,
            "invert": self.invert,
            "mean": _listed(self.input_mean),
            "variance": _listed(self.input_variance),
        }


def _listed(value):
    return value.tolist() if isinstance(value, np.ndarray) else value


class Rescaling(Layer):
    """``inputs * scale + offset`` (as floats): ``Rescaling(1 / 255)`` maps pixels to
    ``[0, 1]``."""

    def __init__(self, scale, offset=0.0, **kwargs):
        super().__init__(**kwargs)
        self.scale = scale
        self.offset = offset

    def call(self, inputs):
        dtype = dtypes.as_dtype(self._dtype or backend.floatx())
        inputs = cast(convert_to_tensor(inputs), dtype)
        return inputs * cast(self.scale, dtype) + cast(self.offset, dtype)

    def get_config(self) -> dict:
        return {**super().get_config(), "scale": self.scale, "offset": self.offset}


_RESIZERS = {
    "bilinear": resize_ops.resize_bilinear,
    "nearest": resize_ops.resize_nearest_neighbor,
    "bicubic": resize_ops.resize_bicubic,
}


def _resize(images, size, interpolation: str):
    """TF2's ``tf.image.resize`` (half-pixel centers) of NHWC or HWC ``images``."""
    batch = images.shape.ndims == 4
    images = images if batch else shape_ops.expand_dims(images, 0)
    if interpolation == "area":
        outputs = resize_ops.resize_area(images, size)
    else:
        outputs = _RESIZERS[interpolation](images, size, half_pixel_centers=True)
    return outputs if batch else shape_ops.squeeze(outputs, [0])


def _check_interpolation(interpolation: str) -> str:
    interpolation = interpolation.lower()
    if interpolation not in {*_RESIZERS, "area"}:
        raise NotImplementedError(
            f"Value not recognized for `interpolation`: {interpolation}. Supported values "
            "are: bilinear, nearest, bicubic, area (scopeflow has no lanczos3, lanczos5, "
            "gaussian or mitchellcubic resizing)."
        )
    return interpolation


def smart_resize(x, size, interpolation="bilinear"):
    """Images resized to ``size`` after cropping their centre to its aspect ratio
    (``tf.keras.preprocessing.image.smart_resize``)."""
    if len(size) != 2:
        raise ValueError(f"Expected `size` to be a tuple of 2 integers, but got: {size}.")
    img = convert_to_tensor(x)
    rank = img.shape.ndims
    if rank is not None and not 3 <= rank <= 4:
        raise ValueError(
            "Expected an image array with shape `(height, width, channels)`, or "
            "`(batch_size, height, width, channels)`, but got input with incorrect rank, of "
            f"shape {img.shape}."
        )
    shape = array_ops.shape(img)
    height, width = shape[-3], shape[-2]
    target_height, target_width = size
    as_int = lambda t: cast(t, dtypes.int32)  # noqa: E731
    as_float = lambda t: cast(t, dtypes.float32)  # noqa: E731
    crop_height = math_ops.minimum(height, as_int(as_float(width * target_height) / target_width))
    crop_width = math_ops.minimum(width, as_int(as_float(height * target_width) / target_height))
    h_start = as_int(as_float(height - crop_height) / 2)
    w_start = as_int(as_float(width - crop_width) / 2)
    if rank == 4:
        start = array_ops.stack([0, h_start, w_start, 0])
        box = array_ops.stack([-1, crop_height, crop_width, -1])
    else:
        start = array_ops.stack([h_start, w_start, 0])
        box = array_ops.stack([crop_height, crop_width, -1])
    img = _resize(array_slice(img, start, box), size, _check_interpolation(interpolation))
    channels = x.shape.as_list()[-1] if hasattr(x, "shape") else None
    img.set_shape([None] * (rank - 1) + [channels])
    return img


class Resizing(Layer):
    """Images (NHWC) resized to ``height`` x ``width`` as TF2's ``tf.image.resize`` does;
    ``crop_to_aspect_ratio`` crops their centre to the target's aspect ratio first."""

    def __init__(
        self, height, width, interpolation="bilinear", crop_to_aspect_ratio=False, **kwargs
    ):
        super().__init__(**kwargs)
        self.height, self.width = height, width
        self.interpolation = interpolation
        self._method = _check_interpolation(interpolation)
        self.crop_to_aspect_ratio = crop_to_aspect_ratio

    def call(self, inputs):
        dtype = dtypes.float32 if self._method != "nearest" else backend.floatx()
        inputs = cast(convert_to_tensor(inputs), dtype)
        size = [self.height, self.width]
        if self.crop_to_aspect_ratio:
            outputs = smart_resize(inputs, size, self._method)
        else:
            outputs = _resize(inputs, size, self._method)
        return cast(outputs, backend.floatx())

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "height": self.height,
            "width": self.width,
            "interpolation": self.interpolation,
            "crop_to_aspect_ratio": self.crop_to_aspect_ratio,
        }


class CenterCrop(Layer):
    """The central ``height`` x ``width`` window of NHWC images (images smaller than that
    are resized up to it, as ``smart_resize`` does)."""

    def __init__(self, height, width, **kwargs):
        super().__init__(**kwargs)
        self.height, self.width = height, width

    def call(self, inputs):
        inputs = cast(convert_to_tensor(inputs), backend.floatx())
        shape = array_ops.shape(inputs)
        h_diff, w_diff = shape[-3] - self.height, shape[-2] - self.width
        rank = inputs.shape.ndims

        def center_crop():
            h_start = cast(h_diff / 2, dtypes.int32)
            w_start = cast(w_diff / 2, dtypes.int32)
            start = [h_start, w_start, 0] if rank == 3 else [0, h_start, w_start, 0]
            size = [self.height, self.width, -1]
            return array_slice(inputs, array_ops.stack(start), [-1] * (rank - 3) + size)

        def upsize():
            return smart_resize(inputs, [self.height, self.width])

        fits = reduction.reduce_all(
            array_ops.stack([math_ops.greater_equal(h_diff, 0), math_ops.greater_equal(w_diff, 0)])
        )
        outputs = cond(fits, center_crop, upsize)
        dims = inputs.shape.as_list()
        dims[-3:-1] = [self.height, self.width]
        outputs.set_shape(dims)
        return outputs

    def get_config(self) -> dict:
        return {**super().get_config(), "height": self.height, "width": self.width}


__all__ = [
    "CategoryEncoding",
    "CenterCrop",
    "Discretization",
    "Hashing",
    "Normalization",
    "PreprocessingLayer",
    "Rescaling",
    "Resizing",
]
