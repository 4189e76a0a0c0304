"""``tf.nn.conv1d`` and ``tf.nn.separable_conv2d``, built as TF1 builds them from
``Conv2D`` and ``DepthwiseConv2dNative`` (``conv1d`` is ``ExpandDims`` + ``Conv2D`` +
``Squeeze``; ``separable_conv2d`` a depthwise then a 1x1 ``Conv2D``)."""

from __future__ import annotations

from scopeflow.framework import undo
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.graph_api import name_scope
from scopeflow.ops.array.shape import expand_dims, squeeze
from scopeflow.ops.nn.conv import conv2d
from scopeflow.ops.nn.depthwise import depthwise_conv2d_native, filter_shape_tensor
from scopeflow.ops.nn.space_batch_wrap import with_space_to_batch_window


@undo.atomic
def conv1d(
    value=None,
    filters=None,
    stride=None,
    padding=None,
    use_cudnn_on_gpu=None,
    data_format=None,
    name=None,
    input=None,  # noqa: A002 - TF1's argument name
    dilations=None,
):
    """1-D convolution of ``[batch, width, in_channels]`` with ``[width, in, out]`` filters:
    a ``Conv2D`` over a height of one, as TF1 builds it.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     y = tf.nn.conv1d(tf.zeros([2, 10, 4]), tf.ones([3, 4, 8]), 2, "SAME")
    >>> y.op.type, y.shape.as_list()
    ('Squeeze', [2, 5, 8])
    """
    value = input if value is None else value
    if data_format not in (None, "NWC"):
        raise NotImplementedError(
            f"conv1d(data_format={data_format!r}) is not supported; scopeflow computes in "
            "NWC. Transpose the input with tf.transpose(x, [0, 2, 1]) and use NWC."
        )
    with name_scope(name, "conv1d", [value, filters]) as scope:
        x = expand_dims(value, -3)
        w = expand_dims(filters, 0)
        stride = stride if isinstance(stride, int) else list(stride)[-2 if len(stride) == 3 else 0]
        rate = 1 if dilations is None else dilations
        rate = rate if isinstance(rate, int) else list(rate)[-2 if len(rate) == 3 else 0]
        y = conv2d(
            x,
            w,
            [1, 1, stride, 1],
            padding,
            use_cudnn_on_gpu=True if use_cudnn_on_gpu is None else use_cudnn_on_gpu,
            dilations=[1, 1, rate, 1],
            name=scope,
        )
        return squeeze(y, [-3])


@undo.atomic
def separable_conv2d(
    input,  # noqa: A002 - TF1's argument name
    depthwise_filter,
    pointwise_filter,
    strides,
    padding,
    rate=None,
    name=None,
    data_format=None,
    dilations=None,
):
    """A depthwise convolution (``[h, w, in, multiplier]``) then a 1x1 convolution
    (``[1, 1, in * multiplier, out]``), as TF1 builds ``tf.nn.separable_conv2d``.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     y = tf.nn.separable_conv2d(
    ...         tf.zeros([1, 8, 8, 3]), tf.ones([3, 3, 3, 2]), tf.ones([1, 1, 6, 4]),
    ...         [1, 1, 1, 1], "SAME")
    >>> y.op.name, y.op.type, y.shape.as_list()
    ('separable_conv2d', 'Conv2D', [1, 8, 8, 4])
    """
    rate = dilations if rate is None else rate
    with name_scope(name, "separable_conv2d", [input, depthwise_filter, pointwise_filter]) as scope:
        x = convert_to_tensor(input, name="tensor_in")
        depthwise = convert_to_tensor(depthwise_filter, name="depthwise_filter")
        pointwise = convert_to_tensor(pointwise_filter, name="pointwise_filter")
        pointwise.shape.with_rank(4)
        if pointwise.shape[0].value not in (1, None) or pointwise.shape[1].value not in (1, None):
            raise ValueError(
                f"Pointwise filter of separable_conv2d '{scope[:-1]}' must be 1x1, got shape "
                f"{pointwise.shape}"
            )
        rate = (
            [1, 1]
            if rate is None
            else [int(r) for r in ([rate] * 2 if isinstance(rate, int) else rate)]
        )
        filter_shape_tensor(depthwise)
        if rate != [1, 1] and padding == "SAME" and not depthwise.shape.is_fully_defined():
            raise NotImplementedError(
                "separable_conv2d with rate > 1 and padding='SAME' needs a depthwise filter of "
                "static shape here; give the filter a static shape"
            )
        if rate != [1, 1] and (data_format or "NHWC") != "NHWC":
            raise NotImplementedError(
                f"separable_conv2d(data_format={data_format!r}) with rate={rate} is not "
                "supported; transpose the input to NHWC"
            )

        def op(value, pad):
            return depthwise_conv2d_native(
                value, depthwise, strides, pad, data_format=data_format or "NHWC",
                name="depthwise",
            )  # fmt: skip

        y = with_space_to_batch_window(
            x, rate, padding, op, depthwise.shape.as_list() if depthwise.shape.ndims else None,
            False,
        )  # fmt: skip
        return conv2d(
            y, pointwise, [1, 1, 1, 1], "VALID", data_format=data_format or "NHWC", name=scope
        )


__all__ = ["conv1d", "separable_conv2d"]
