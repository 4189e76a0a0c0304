"""``tf.nn.conv1d_transpose``, ``tf.nn.conv_transpose`` and ``tf.nn.atrous_conv2d_transpose``,
built as TF builds them on ``Conv2DBackpropInput`` (``Conv3DBackpropInputV2`` for 3-D): the
1-D transpose over a height of one between ``ExpandDims`` and ``Squeeze``; the atrous one
between ``SpaceToBatchND`` and ``BatchToSpaceND``."""

from __future__ import annotations

import numpy as np

from scopeflow.framework import dtypes, undo
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.tensor import Tensor
from scopeflow.ops.array.join import concat
from scopeflow.ops.array.shape import expand_dims, squeeze
from scopeflow.ops.array.space_batch import batch_to_space, space_to_batch
from scopeflow.ops.nn.conv import conv2d_backprop_input, conv2d_transpose
from scopeflow.ops.nn.conv3d import conv3d_transpose
from scopeflow.ops.nn.pooling_nd import spatial_sequence


@undo.atomic
def conv1d_transpose(
    input,  # noqa: A002 - TF's argument name
    filters,
    output_shape,
    strides,
    padding="SAME",
    data_format="NWC",
    dilations=None,
    name=None,
):
    """The transpose of ``conv1d``: ``filters`` is ``[width, output_channels, in_channels]``,
    ``output_shape`` the 3-D result shape.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     y = tf.nn.conv1d_transpose(tf.ones([1, 3, 2]), tf.ones([2, 4, 2]), [1, 6, 4], 2)
    ...     print(y.op.name, tf.Session().run(y)[0, :, 0])
    conv1d_transpose/Squeeze [2. 2. 2. 2. 2. 2.]
    """
    with name_scope(name, "conv1d_transpose", [input, filters, output_shape]) as scope:
        if data_format not in (None, "NWC"):
            if data_format == "NCW":
                raise NotImplementedError(
                    "conv1d_transpose(data_format='NCW') is not supported; scopeflow computes "
                    "in NWC. Transpose the input with tf.transpose(x, [0, 2, 1])."
                )
            raise ValueError(
                f"`data_format` must be 'NWC' or 'NCW'. Received: data_format={data_format}"
            )
        strides = [1, *spatial_sequence(strides, 1, "stride")]
        dilations = [1, *spatial_sequence(dilations, 1, "dilations")]
        x = expand_dims(input, 1)
        w = expand_dims(filters, 0)
        if not isinstance(output_shape, Tensor):
            output_shape = list(output_shape)
        sizes = concat([output_shape[:1], [1], output_shape[1:]], 0)
        y = conv2d_backprop_input(sizes, w, x, strides, padding, dilations=dilations, name=scope)
        return squeeze(y, [1])


@undo.atomic
def conv_transpose(
    input,  # noqa: A002 - TF's argument name
    filters,
    output_shape,
    strides,
    padding="SAME",
    data_format=None,
    dilations=None,
    name=None,
):
    """The transpose of a 1-D, 2-D or 3-D convolution, picked by the length of
    ``output_shape`` (3, 4 or 5).

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     y = tf.nn.conv_transpose(tf.zeros([2, 4, 4, 8]), tf.ones([3, 3, 5, 8]),
    ...                              [2, 8, 8, 5], 2)
    >>> y.op.name, y.op.type, y.shape.as_list()
    ('conv_transpose', 'Conv2DBackpropInput', [2, 8, 8, 5])
    """
    with name_scope(name, "conv_transpose", [input, filters, output_shape]) as scope:
        if isinstance(output_shape, Tensor):
            n = output_shape.shape[0].value
            if n is None:
                raise ValueError(
                    f"`output_shape` must have a known length. Received: {output_shape}"
                )
            n -= 2
        elif hasattr(output_shape, "__len__"):
            n = len(output_shape) - 2
        else:
            raise ValueError(
                "`output_shape` must be a tensor or sized collection. Received: "
                f"output_shape={output_shape}"
            )
        if not 1 <= n <= 3:
            raise ValueError(
                f"`output_shape` must be of length 3, 4 or 5. Received: "
                f"output_shape={output_shape} of length {n + 2}."
            )
        if n == 1:
            return conv1d_transpose(
                input, filters, output_shape, strides, padding, data_format, dilations, scope
            )
        if data_format is not None and data_format.startswith("NC"):
            raise NotImplementedError(
                f"conv_transpose(data_format={data_format!r}) is not supported; scopeflow "
                "computes channels-last (NHWC, NDHWC). Transpose the input to put channels last."
            )
        strides = spatial_sequence(strides, n, "strides")
        dilations = spatial_sequence(dilations, n, "dilations")
        if n == 2:
            return conv2d_transpose(
                input, filters, output_shape, strides, padding, dilations=dilations, name=scope
            )
        if not isinstance(output_shape, Tensor):
            output_shape = convert_to_tensor(output_shape, dtypes.int32, name="input_sizes")
        return conv3d_transpose(
            input, filters, output_shape, strides, padding, dilations=dilations, name=scope
        )


@undo.atomic
def atrous_conv2d_transpose(value, filters, output_shape, rate, padding, name=None):
    """The transpose of ``atrous_conv2d``: ``filters`` is ``[height, width, output_channels,
    in_channels]``, ``output_shape`` the 4-D result shape (a list, or a tensor: then the
    paddings and sizes are ops, as TF's).

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     y = tf.nn.atrous_conv2d_transpose(tf.zeros([1, 6, 6, 4]), tf.ones([3, 3, 2, 4]),
    ...                                       [1, 6, 6, 2], 2, "SAME")
    >>> y.op.type, y.shape.as_list()
    ('BatchToSpaceND', [1, 6, 6, 2])
    """
    with name_scope(name, "atrous_conv2d_transpose", [value, filters, output_shape]):
        value = convert_to_tensor(value, name="value")
        filters = convert_to_tensor(filters, name="filters")
        if not value.shape.with_rank(4)[3].is_compatible_with(filters.shape.with_rank(4)[3]):
            raise ValueError(
                "`value` channel count must be compatible with `filters` input channel count. "
                f"Received: value.shape={value.shape} with channel count {value.shape[3]} and "
                f"filters.shape={filters.shape} with input channel count {filters.shape[3]}."
            )
        if rate < 1:
            raise ValueError(f"`rate` cannot be less than one. Received: rate={rate}")
        if rate == 1:
            return conv2d_transpose(value, filters, output_shape, [1, 1, 1, 1], padding)
        sizes = convert_to_tensor(output_shape, dtype=dtypes.int32, name="output_shape")
        if not sizes.shape.is_compatible_with([4]):
            raise ValueError(f"`output_shape` must have shape (4,). Received: {sizes.shape}")
        # A tensor's sizes are computed with ops (strided_slice, add, mod... as TF), a list's
        # in Python.
        if not isinstance(output_shape, Tensor):
            output_shape = [int(s) for s in np.asarray(output_shape).reshape(-1)]
            if not filters.shape[2].is_compatible_with(output_shape[3]):
                raise ValueError(
                    "`output_shape` channel count must be compatible with `filters` output "
                    f"channel count. Received: output_shape={output_shape} with channel count "
                    f"{output_shape[3]} and filters.shape={filters.shape} with output channel "
                    f"count {filters.shape[3]}."
                )
        if padding == "SAME":
            if not filters.shape.is_fully_defined():
                raise NotImplementedError(
                    "atrous_conv2d_transpose(padding='SAME') needs a filter of static shape here"
                )
            kh, kw = filters.shape.as_list()[:2]
            pad_h, pad_w = (kh - 1) * rate, (kw - 1) * rate
            top, left = pad_h // 2, pad_w // 2
            bottom, right = pad_h - top, pad_w - left
        elif padding == "VALID":
            top = bottom = left = right = 0
        else:
            raise ValueError(
                f"`padding` must be either 'VALID' or 'SAME'. Received: padding={padding}"
            )
        in_h = output_shape[1] + top + bottom
        in_w = output_shape[2] + left + right
        extra_h = (rate - in_h % rate) % rate
        extra_w = (rate - in_w % rate) % rate
        value = space_to_batch(value, [[0, extra_h], [0, extra_w]], block_size=rate)
        input_sizes = [
            rate * rate * output_shape[0],
            (in_h + extra_h) // rate,
            (in_w + extra_w) // rate,
            output_shape[3],
        ]
        value = conv2d_backprop_input(input_sizes, filters, value, [1, 1, 1, 1], "VALID")
        crops = [[top, bottom + extra_h], [left, right + extra_w]]
        return batch_to_space(value, crops, block_size=rate)


__all__ = ["atrous_conv2d_transpose", "conv1d_transpose", "conv_transpose"]
