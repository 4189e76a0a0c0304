"""Depthwise convolutions (``tf.nn.depthwise_conv2d``, ``depthwise_conv2d_native`` and its
two gradients), NHWC only: each input channel is convolved with its own ``multiplier``
filters. The kernels are in ``ops/kernels/``; the window arithmetic in ``nn/conv.py``.
"""

from __future__ import annotations

import warnings

import numpy as np

from scopeflow.framework import tensor_shape, undo
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.registry import register_op
from scopeflow.ops.array.basic import shape
from scopeflow.ops.core.infer import (
    FLOATS,
    INDEX,
    apply_op,
    check_dtype_in,
    check_same_dtype,
    int_operand,
    shape_value,
)
from scopeflow.ops.kernels import depthwise as depthwise_algo
from scopeflow.ops.kernels import windows
from scopeflow.ops.nn.conv import (
    check_4d,
    check_batch_depth,
    check_rank,
    four,
    hw_attr,
    run_pads,
    sizes_operand,
    window_attrs,
    window_output_hw,
)
from scopeflow.ops.nn.space_batch_wrap import with_space_to_batch_window

TensorShape = tensor_shape.TensorShape

# -- DepthwiseConv2dNative -----------------------------------------------------------------


def _depthwise_infer(inputs, attrs):
    x, w = inputs
    dtype = check_same_dtype("DepthwiseConv2dNative", ("input", "filter"), inputs)
    check_dtype_in("DepthwiseConv2dNative", "input", x, FLOATS)
    check_rank("input", x)
    check_rank("filter", w)
    x_dims = x.shape.as_list() if x.shape.ndims else [None] * 4
    w_dims = w.shape.as_list() if w.shape.ndims else [None] * 4
    n, h, wd, c = x_dims
    kh, kw, kc, m = w_dims
    if c is not None and kc is not None and c != kc:
        raise ValueError(f"Dimensions must be equal, but are {c} and {kc}")
    c = c if c is not None else kc
    out_c = c * m if c is not None and m is not None else None
    if kh is None or kw is None:
        return [(dtype, TensorShape([n, None, None, out_c]))]
    out_h, out_w = window_output_hw(attrs, h, wd, kh, kw, hw_attr(attrs, "dilations"))
    return [(dtype, TensorShape([n, out_h, out_w, out_c]))]


def _depthwise_kernel(ctx, op, x, w):
    check_4d(x, w)
    check_batch_depth(op)
    if x.shape[3] != w.shape[2]:
        raise ValueError(
            f"input depth {x.shape[3]} must equal the filter's in_channels {w.shape[2]}"
        )
    attrs = op._attrs
    dilations = hw_attr(attrs, "dilations")
    pads = run_pads(attrs, x.shape[1], x.shape[2], w.shape[0], w.shape[1], dilations)
    strides = hw_attr(attrs, "strides")
    return depthwise_algo.depthwise_conv2d(x, w, strides, dilations, pads, threads=ctx.threads)


def _depthwise_grad(op, grad):
    x, w = op.inputs
    attrs = dict(op._attrs)
    return [
        apply_op("DepthwiseConv2dNativeBackpropInput", [shape(x), w, grad], attrs),
        apply_op("DepthwiseConv2dNativeBackpropFilter", [x, shape(w), grad], attrs),
    ]


register_op(
    "DepthwiseConv2dNative", _depthwise_infer, kernel=_depthwise_kernel, grad=_depthwise_grad
)


def _depthwise(default_name, input, filter, strides, padding, data_format, dilations, name):  # noqa: A002
    attrs = window_attrs(strides, padding, data_format, dilations, "DepthwiseConv2dNative")
    with name_scope(name, default_name, [input, filter]) as scope:
        x = convert_to_tensor(input, name="input")
        w = convert_to_tensor(filter, dtype_hint=x.dtype.base_dtype, name="filter")
        return apply_op("DepthwiseConv2dNative", [x, w], attrs, name=scope)


@undo.atomic
def depthwise_conv2d(
    input,  # noqa: A002 - TF1's argument name
    filter,  # noqa: A002
    strides,
    padding,
    rate=None,
    name=None,
    data_format=None,
    dilations=None,
):
    """Depthwise 2-D convolution: ``filter`` ``[h, w, in_channels, multiplier]`` convolves
    each input channel separately into ``multiplier`` output channels. As TF1 builds it: the
    filter's ``Shape`` and the ``dilation_rate`` constants, and with a ``rate`` above 1 the
    ``DepthwiseConv2dNative`` op run VALID between ``SpaceToBatchND`` and ``BatchToSpaceND``.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     y = tf.nn.depthwise_conv2d(tf.ones([1, 5, 5, 1]), tf.ones([3, 3, 1, 1]),
    ...                                [1, 1, 1, 1], "SAME", rate=[2, 2])
    ...     print(y.name, tf.Session().run(y)[0, :, :, 0].tolist()[2])
    depthwise/BatchToSpaceND:0 [6.0, 6.0, 9.0, 6.0, 6.0]
    """
    if dilations is None:
        dilations = rate
    rate_hw = four(dilations, "rate")[1:3] if dilations is not None else [1, 1]
    strides = list(strides)
    if len(strides) != 4:
        raise ValueError(f"strides must be a list of 4 ints, got {strides}")
    if rate_hw != [1, 1] and strides[1:3] != [1, 1]:
        # TF 2.21 warns and builds it anyway: the strided op inside the SpaceToBatchND blocks
        warnings.warn(
            "When dilation rate is greater than 1, then all values of strides must be 1. "
            f"Received: `dilation rate` {dilations} and `strides` {strides}",
            stacklevel=3,
        )
    with name_scope(name, "depthwise", [input, filter]) as scope:
        x = convert_to_tensor(input, name="tensor_in")
        w = convert_to_tensor(filter, dtype_hint=x.dtype.base_dtype, name="filter_in")
        filter_shape_tensor(w)
        if rate_hw != [1, 1] and (data_format or "NHWC") != "NHWC":
            raise NotImplementedError(
                f"depthwise_conv2d(data_format={data_format!r}) with rate={rate_hw} is not "
                "supported; transpose the input to NHWC"
            )
        if rate_hw != [1, 1] and padding == "SAME" and not w.shape.is_fully_defined():
            raise NotImplementedError(
                "depthwise_conv2d with rate > 1 and padding='SAME' needs a filter of static "
                "shape here; give the filter a static shape"
            )

        def op(value, pad):
            attrs = window_attrs(strides, pad, data_format, [1, 1, 1, 1], "DepthwiseConv2dNative")
            return apply_op("DepthwiseConv2dNative", [value, w], attrs, name=scope)

        return with_space_to_batch_window(
            x, rate_hw, padding, op, w.shape.as_list() if w.shape.ndims else None, False
        )


def filter_shape_tensor(w):
    """The filter's ``Shape``, as TF's ``array_ops.shape`` makes it: a constant when the
    shape is static, else a ``Shape`` op."""
    if w.shape.is_fully_defined():
        return convert_to_tensor(np.asarray(w.shape.as_list(), np.int32), name="Shape")
    return shape(w)


@undo.atomic
def depthwise_conv2d_native(
    input,  # noqa: A002 - TF1's argument name
    filter,  # noqa: A002
    strides,
    padding,
    data_format="NHWC",
    dilations=(1, 1, 1, 1),
    name=None,
):
    """The ``DepthwiseConv2dNative`` op itself (``depthwise_conv2d`` without ``rate``)."""
    return _depthwise(
        "DepthwiseConv2dNative", input, filter, strides, padding, data_format, dilations, name
    )


# -- the gradients: DepthwiseConv2dNativeBackpropInput and ...BackpropFilter ---------------


def _sizes_infer(op_type: str, data_arg: str, sizes_arg: str, sized: int):
    """Shape function of a backprop op whose output shape is the ``sized``-th input's value;
    ``data_arg`` names the other float input besides ``out_backprop``."""

    def infer(inputs, attrs):
        sizes = inputs[sized]
        data, dy = [t for i, t in enumerate(inputs) if i != sized]
        dtype = check_same_dtype(op_type, (data_arg, "out_backprop"), [data, dy])
        check_dtype_in(op_type, data_arg, data, FLOATS)
        check_dtype_in(op_type, sizes_arg, sizes, INDEX)
        check_rank(data_arg, data)
        check_rank("out_backprop", dy)
        requested = shape_value(sizes)
        if requested.ndims not in (None, 4):
            raise ValueError(
                f"{op_type} requires {sizes_arg} to contain 4 values, but got: {requested.ndims}"
            )
        return [(dtype, requested if requested.ndims == 4 else tensor_shape.unknown_shape(4))]

    return infer


def _checked_pads(op, x_shape, w_shape, dy_shape):
    """The pads of the forward op these shapes describe, after checking they agree."""
    n, h, wd, c = x_shape
    kh, kw, kc, m = w_shape
    attrs = op._attrs
    dilations, strides = hw_attr(attrs, "dilations"), hw_attr(attrs, "strides")
    if n != dy_shape[0] or c != kc or dy_shape[3] != c * m:
        raise ValueError(
            f"{op.type}: input {list(x_shape)}, filter {list(w_shape)} and out_backprop "
            f"{list(dy_shape)} disagree on the batch or channel sizes"
        )
    pads = run_pads(attrs, h, wd, kh, kw, dilations)
    expected = (
        windows.output_size(h, kh, strides[0], dilations[0], *pads[:2]),
        windows.output_size(wd, kw, strides[1], dilations[1], *pads[2:]),
    )
    if expected != tuple(dy_shape[1:3]):
        raise ValueError(
            f"{op.type}: size of out_backprop {list(dy_shape)} doesn't match the computed "
            f"output {list(expected)} of a depthwise convolution over {list(x_shape)}"
        )
    return strides, dilations, pads


def _backprop_input_kernel(ctx, op, sizes, w, dy):
    check_4d(dy, w, "out_backprop")
    check_batch_depth(op)
    sizes = tuple(int(s) for s in sizes)
    strides, dilations, pads = _checked_pads(op, sizes, w.shape, dy.shape)
    return depthwise_algo.depthwise_backprop_input(
        dy, w, sizes[1:3], strides, dilations, pads, threads=ctx.threads
    )


def _backprop_input_grad(op, grad):
    _, w, dy = op.inputs
    attrs = dict(op._attrs)
    return [
        None,
        apply_op("DepthwiseConv2dNativeBackpropFilter", [grad, shape(w), dy], attrs),
        apply_op("DepthwiseConv2dNative", [grad, w], attrs),
    ]


register_op(
    "DepthwiseConv2dNativeBackpropInput",
    _sizes_infer("DepthwiseConv2dNativeBackpropInput", "filter", "input_sizes", 0),
    kernel=_backprop_input_kernel,
    grad=_backprop_input_grad,
)


def _backprop_filter_kernel(ctx, op, x, sizes, dy):
    check_4d(x, dy, "input and out_backprop")
    check_batch_depth(op)
    sizes = tuple(int(s) for s in sizes)
    strides, dilations, pads = _checked_pads(op, x.shape, sizes, dy.shape)
    return depthwise_algo.depthwise_backprop_filter(x, sizes, dy, strides, dilations, pads)


def _backprop_filter_grad(op, grad):
    x, _, dy = op.inputs
    attrs = dict(op._attrs)
    return [
        apply_op("DepthwiseConv2dNativeBackpropInput", [shape(x), grad, dy], attrs),
        None,
        apply_op("DepthwiseConv2dNative", [x, grad], attrs),
    ]


register_op(
    "DepthwiseConv2dNativeBackpropFilter",
    _sizes_infer("DepthwiseConv2dNativeBackpropFilter", "input", "filter_sizes", 1),
    kernel=_backprop_filter_kernel,
    grad=_backprop_filter_grad,
)


@undo.atomic
def depthwise_conv2d_native_backprop_input(
    input_sizes,
    filter,  # noqa: A002 - TF1's argument name
    out_backprop,
    strides,
    padding,
    data_format="NHWC",
    dilations=(1, 1, 1, 1),
    name=None,
):
    """The gradient of ``depthwise_conv2d_native`` with respect to its input."""
    op_type = "DepthwiseConv2dNativeBackpropInput"
    attrs = window_attrs(strides, padding, data_format, dilations, op_type)
    with name_scope(name, op_type, [input_sizes, filter, out_backprop]) as scope:
        sizes = sizes_operand(input_sizes)
        dy = convert_to_tensor(out_backprop, name="out_backprop")
        w = convert_to_tensor(filter, dtype_hint=dy.dtype.base_dtype, name="filter")
        return apply_op(op_type, [sizes, w, dy], attrs, name=scope)


@undo.atomic
def depthwise_conv2d_native_backprop_filter(
    input,  # noqa: A002 - TF1's argument name
    filter_sizes,
    out_backprop,
    strides,
    padding,
    data_format="NHWC",
    dilations=(1, 1, 1, 1),
    name=None,
):
    """The gradient of ``depthwise_conv2d_native`` with respect to its filter.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     x = tf.placeholder(tf.float32, [2, 8, 8, 3])
    ...     dy = tf.placeholder(tf.float32, [2, 8, 8, 6])
    ...     dw = tf.nn.depthwise_conv2d_native_backprop_filter(x, [3, 3, 3, 2], dy, 1, "SAME")
    >>> dw.op.type, dw.shape.as_list()
    ('DepthwiseConv2dNativeBackpropFilter', [3, 3, 3, 2])
    """
    op_type = "DepthwiseConv2dNativeBackpropFilter"
    attrs = window_attrs(strides, padding, data_format, dilations, op_type)
    with name_scope(name, op_type, [input, filter_sizes, out_backprop]) as scope:
        x = convert_to_tensor(input, name="input")
        sizes = int_operand(filter_sizes, "filter_sizes")
        dy = convert_to_tensor(out_backprop, dtype_hint=x.dtype.base_dtype, name="out_backprop")
        return apply_op(op_type, [x, sizes, dy], attrs, name=scope)


__all__ = [
    "depthwise_conv2d",
    "depthwise_conv2d_native",
    "depthwise_conv2d_native_backprop_filter",
    "depthwise_conv2d_native_backprop_input",
]
