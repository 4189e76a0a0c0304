"""Keras's ``groups`` argument of ``tf.keras.layers.Conv1D`` and ``Conv2D``: the input
channels split into ``groups`` groups, each convolved with its own ``filters / groups``
filters (kernel ``[..., in_channels / groups, filters]``), as TF's ``Conv2D`` op does when
the kernel's input depth divides the input's. ConvNeXt's depthwise and RegNet's grouped
convolutions are such layers.

TF's Keras runs a grouped convolution in an XLA-compiled ``tf.function`` (a call op in the
graph); scopeflow makes the convolution op itself, with the same values and gradients.

>>> import scopeflow as tf
>>> with tf.Graph().as_default():
...     layer = tf.keras.layers.Conv2D(6, 3, groups=2)
...     y = layer(tf.keras.Input(shape=(8, 8, 4)))
>>> layer.kernel.shape.as_list(), y.shape.as_list(), layer.get_config()["groups"]
([3, 3, 2, 6], [None, 6, 6, 6], 2)
"""

from __future__ import annotations

from scopeflow.framework.tensor_shape import TensorShape


class GroupedConv:
    """The ``groups`` of a Keras convolution layer (put before its other bases)."""

    def __init__(
        self,
        filters,
        kernel_size,
        strides=1,
        padding="valid",
        data_format=None,
        dilation_rate=1,
        groups=1,
        *args,
        **kwargs,
    ):
        super().__init__(
            filters, kernel_size, strides, padding, data_format, dilation_rate, *args, **kwargs
        )
        self.groups = groups or 1
        if self.filters % self.groups != 0:
            raise ValueError(
                "The number of filters must be evenly divisible by the number of groups. "
                f"Received: groups={self.groups}, filters={self.filters}"
            )

    def build(self, input_shape):
        shape = TensorShape(input_shape)
        channels = shape[-1].value if shape.ndims else None
        if channels is not None and channels % self.groups != 0:
            raise ValueError(
                "The number of input channels must be evenly divisible by the number of "
                f"groups. Received groups={self.groups}, but the input has {channels} channels "
                f"(full input shape is {shape})."
            )
        super().build(input_shape)

    def _kernel_shape(self, channels: int) -> tuple:
        *window, _, filters = super()._kernel_shape(channels)
        return (*window, channels // self.groups, filters)
