"""``Conv2DBackpropFilterV2`` and ``Conv2DBackpropInputV2`` (``tf.conv2d_backprop_filter_v2``,
``tf.conv2d_backprop_input_v2``): conv2d's two gradients taking the filter (or the input)
itself where ``Conv2DBackpropFilter`` (``Input``) takes its shape. Only its shape is read:
the values are the older ops'. TF 2.21 registers no CPU or GPU kernel for them (they serve
its compiler bridges) and no gradient: ``tf.gradients`` through one raises ``LookupError``."""

from __future__ import annotations

import numpy as np

from scopeflow.framework import dtypes, tensor_shape, undo
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.registry import register_op
from scopeflow.ops.core.infer import (
    FLOATS,
    apply_op,
    check_dtype_in,
    check_same_dtype,
    no_gradient,
)
from scopeflow.ops.nn.conv import (
    _backprop_filter_kernel,
    _backprop_input_kernel,
    check_rank,
    window_attrs,
)

__all__ = ["conv2d_backprop_filter_v2", "conv2d_backprop_input_v2"]

_ARGS = ("input", "filter", "out_backprop")


def _v2_infer(op_type: str, kept: int, allowed):
    """The shape of input ``kept`` (rank 4), as TF's shape functions give it."""

    def infer(inputs, attrs):
        dtype = check_same_dtype(op_type, _ARGS, inputs)
        check_dtype_in(op_type, "input", inputs[0], allowed)
        if attrs["explicit_paddings"] and attrs["padding"] != "EXPLICIT":
            raise ValueError(
                "explicit_paddings attribute must be empty if the padding attribute is not "
                "EXPLICIT"
            )
        check_rank(_ARGS[kept], inputs[kept])
        shape = inputs[kept].shape
        return [(dtype, shape if shape.ndims is not None else tensor_shape.unknown_shape(4))]

    return infer


def _filter_v2_kernel(ctx, op, x, w, dy):
    return _backprop_filter_kernel(ctx, op, x, np.array(w.shape, np.int32), dy)


def _input_v2_kernel(ctx, op, x, w, dy):
    return _backprop_input_kernel(ctx, op, np.array(x.shape, np.int32), w, dy)


register_op(
    "Conv2DBackpropFilterV2",
    _v2_infer("Conv2DBackpropFilterV2", 1, FLOATS),
    kernel=_filter_v2_kernel,
    grad=no_gradient,
)
register_op(
    "Conv2DBackpropInputV2",
    _v2_infer("Conv2DBackpropInputV2", 0, (*FLOATS, dtypes.int32)),
    kernel=_input_v2_kernel,
    grad=no_gradient,
)


def _build(op_type, input, filter, out_backprop, strides, padding, use_cudnn_on_gpu,  # noqa: A002
           explicit_paddings, data_format, dilations, name):  # fmt: skip
    explicit = [int(p) for p in explicit_paddings or ()]
    if padding == "EXPLICIT":
        if len(explicit) != 8:
            raise ValueError(
                f"explicit_paddings attribute must contain 8 values, but got: {len(explicit)}"
            )
        attrs = window_attrs(strides, [explicit[i : i + 2] for i in range(0, 8, 2)],
                             data_format, dilations, op_type)  # fmt: skip
    else:
        attrs = window_attrs(strides, padding, data_format, dilations, op_type)
        attrs["explicit_paddings"] = explicit
    attrs["use_cudnn_on_gpu"] = bool(use_cudnn_on_gpu)
    with name_scope(name, op_type, [input, filter, out_backprop]) as scope:
        x = convert_to_tensor(input, name="input")
        w = convert_to_tensor(filter, dtype_hint=x.dtype.base_dtype, name="filter")
        dy = convert_to_tensor(out_backprop, dtype_hint=x.dtype.base_dtype, name="out_backprop")
        return apply_op(op_type, [x, w, dy], attrs, name=scope)


@undo.atomic
def conv2d_backprop_filter_v2(
    input,  # noqa: A002 - TF's argument name
    filter,  # noqa: A002
    out_backprop,
    strides,
    padding,
    use_cudnn_on_gpu=True,
    explicit_paddings=(),
    data_format="NHWC",
    dilations=(1, 1, 1, 1),
    name=None,
):
    """conv2d's gradient with respect to ``filter``, shaped as ``filter`` (whose values are
    not read): ``tf.nn.conv2d_backprop_filter`` with ``filter_sizes=tf.shape(filter)``.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     dw = tf.conv2d_backprop_filter_v2(
    ...         tf.ones([1, 3, 3, 1]), tf.zeros([2, 2, 1, 1]), tf.ones([1, 2, 2, 1]),
    ...         [1, 1, 1, 1], "VALID")
    ...     print(dw.op.type, tf.Session().run(dw)[:, :, 0, 0])
    Conv2DBackpropFilterV2 [[4. 4.]
     [4. 4.]]
    """
    return _build("Conv2DBackpropFilterV2", input, filter, out_backprop, strides, padding,
                  use_cudnn_on_gpu, explicit_paddings, data_format, dilations, name)  # fmt: skip


@undo.atomic
def conv2d_backprop_input_v2(
    input,  # noqa: A002 - TF's argument name
    filter,  # noqa: A002
    out_backprop,
    strides,
    padding,
    use_cudnn_on_gpu=True,
    explicit_paddings=(),
    data_format="NHWC",
    dilations=(1, 1, 1, 1),
    name=None,
):
    """conv2d's gradient with respect to ``input``, shaped as ``input`` (whose values are not
    read): ``tf.nn.conv2d_backprop_input`` with ``input_sizes=tf.shape(input)``."""
    return _build("Conv2DBackpropInputV2", input, filter, out_backprop, strides, padding,
                  use_cudnn_on_gpu, explicit_paddings, data_format, dilations, name)  # fmt: skip
