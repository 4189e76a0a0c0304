"""``tf.layers`` pooling: ``MaxPooling1D/2D/3D``, ``AveragePooling1D/2D/3D`` (and their
functions), channels last; 1-D pooling is 2-D pooling over an inserted axis, as TF1 builds it."""

from __future__ import annotations

from scopeflow.framework.tensor import Tensor
from scopeflow.layers.base import InputSpec, Layer, to_snake_case
from scopeflow.layers.core import check_channels_last
from scopeflow.layers.utils import normalize_padding, normalize_tuple
from scopeflow.ops.array.shape import expand_dims, squeeze
from scopeflow.ops.nn.pooling import avg_pool, max_pool
from scopeflow.ops.nn.pooling3d import avg_pool3d, max_pool3d


class _Pooling(Layer):
    rank = 2
    pool_function = staticmethod(max_pool)

    def __init__(
        self, pool_size, strides, padding="valid", data_format="channels_last", name=None, **kwargs
    ):
        super().__init__(name=name, **kwargs)
        check_channels_last(data_format, type(self).__name__)
        self.pool_size = normalize_tuple(pool_size, self.rank, "pool_size")
        self.strides = normalize_tuple(
            self.pool_size if strides is None else strides, self.rank, "strides"
        )
        self.padding = normalize_padding(padding)
        self.data_format = "channels_last"
        self.input_spec = InputSpec(ndim=self.rank + 2)

    def call(self, inputs):
        if self.rank == 1:
            outputs = self.pool_function(
                expand_dims(inputs, 2),
                [1, self.pool_size[0], 1, 1],
                [1, self.strides[0], 1, 1],
                self.padding.upper(),
            )
            return squeeze(outputs, [2])
        return self.pool_function(
            inputs, [1, *self.pool_size, 1], [1, *self.strides, 1], self.padding.upper()
        )


class MaxPooling1D(_Pooling):
    """The maximum of each ``pool_size`` window of ``[batch, width, channels]``."""

    rank = 1


class AveragePooling1D(_Pooling):
    """The mean of each ``pool_size`` window of ``[batch, width, channels]``."""

    rank = 1
    pool_function = staticmethod(avg_pool)


class MaxPooling3D(_Pooling):
    """The maximum of each ``pool_size`` window of NDHWC volumes."""

    rank = 3
    pool_function = staticmethod(max_pool3d)


class AveragePooling3D(_Pooling):
    """The mean of each ``pool_size`` window of NDHWC volumes."""

    rank = 3
    pool_function = staticmethod(avg_pool3d)


class MaxPooling2D(_Pooling):
    """The maximum of each ``pool_size`` window of NHWC images.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     y = tf.layers.MaxPooling2D(2, 2)(tf.zeros([1, 8, 8, 3]))
    >>> y.name, y.shape.as_list()
    ('max_pooling2d/MaxPool:0', [1, 4, 4, 3])
    """


class AveragePooling2D(_Pooling):
    """The mean of each ``pool_size`` window of NHWC images (SAME windows: of their real
    pixels)."""

    pool_function = staticmethod(avg_pool)


def _function(layer_class):
    def apply(
        inputs, pool_size, strides, padding="valid", data_format="channels_last", name=None
    ) -> Tensor:
        return layer_class(pool_size, strides, padding, data_format, name=name).apply(inputs)

    apply.__doc__ = f"``{layer_class.__name__}(pool_size, strides, ...)(inputs)``."
    apply.__name__ = apply.__qualname__ = to_snake_case(layer_class.__name__)
    return apply


max_pooling1d = _function(MaxPooling1D)
average_pooling1d = _function(AveragePooling1D)
max_pooling2d = _function(MaxPooling2D)
average_pooling2d = _function(AveragePooling2D)


max_pooling3d = _function(MaxPooling3D)
average_pooling3d = _function(AveragePooling3D)

__all__ = [
    "AveragePooling1D",
    "AveragePooling2D",
    "AveragePooling3D",
    "MaxPooling1D",
    "MaxPooling2D",
    "MaxPooling3D",
]
