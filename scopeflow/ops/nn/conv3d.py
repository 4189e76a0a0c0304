"""3-D convolution (``tf.nn.conv3d``) over NDHWC volumes: ``Conv3D`` and its two gradients,
``Conv3DBackpropInputV2`` and ``Conv3DBackpropFilterV2``.

Each kernel loops over the filter's taps (never over voxels): a tap is one matrix product of
the strided view of the padded input it touches, ``[N, OD, OH, OW, C] @ [C, O]``.
"""

from __future__ import annotations

import itertools

import numpy as np

from scopeflow.framework import dtypes, tensor_shape, undo
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.error_text import check_attr_in
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.registry import register_op
from scopeflow.ops.array.basic import shape, shape_n
from scopeflow.ops.core.infer import FLOATS, apply_op, check_dtype_in, check_same_dtype, shape_value
from scopeflow.ops.kernels import windows
from scopeflow.ops.nn.conv import check_rank, conv_output_size

TensorShape = tensor_shape.TensorShape


def _five(values, what: str) -> list[int]:
    values = [int(v) for v in values]
    if len(values) != 5:
        raise ValueError(f"{what} should be of length 5, got {len(values)}: {values}")
    if values[0] != 1 or values[4] != 1:
        raise ValueError(f"Conv3D: {what} in the batch and depth dimensions must be 1")
    return values


def _attrs(strides, padding, data_format, dilations, op_type: str) -> dict:
    if data_format not in (None, "NDHWC"):
        raise NotImplementedError(
            f"conv3d(data_format={data_format!r}) is not supported; scopeflow computes in "
            "NDHWC. Transpose the input with tf.transpose(x, [0, 2, 3, 4, 1]) and use NDHWC."
        )
    if not isinstance(padding, str):
        raise TypeError(f"Expected string for argument 'padding' not {padding!r}.")
    check_attr_in(op_type, "padding", padding, ("SAME", "VALID"))
    return {
        "strides": _five(strides, "strides"),
        "padding": padding,
        "data_format": "NDHWC",
        "dilations": _five(dilations, "dilations"),
    }


def _steps(attrs) -> tuple[list[int], list[int]]:
    """The spatial strides and dilations."""
    return attrs["strides"][1:4], attrs["dilations"][1:4]


def _out_dims(attrs, in_dims, k_dims) -> list:
    return [
        None if k is None else conv_output_size(size, k, s, d, attrs["padding"])
        for size, k, s, d in zip(
            in_dims, k_dims, attrs["strides"][1:4], attrs["dilations"][1:4], strict=True
        )
    ]


def _conv3d_infer(inputs, attrs):
    x, w = inputs
    dtype = check_same_dtype("Conv3D", ("input", "filter"), inputs)
    check_dtype_in("Conv3D", "input", x, FLOATS)
    check_rank("input", x, 5)
    check_rank("filter", w, 5)
    x_dims = x.shape.as_list() if x.shape.ndims else [None] * 5
    w_dims = w.shape.as_list() if w.shape.ndims else [None] * 5
    if None not in (x_dims[4], w_dims[3]) and x_dims[4] != w_dims[3]:
        raise ValueError(
            f"Depth of input ({x_dims[4]}) must equal the input depth of filter ({w_dims[3]})"
        )
    out = _out_dims(attrs, x_dims[1:4], w_dims[:3])
    return [(dtype, TensorShape([x_dims[0], *out, w_dims[4]]))]


def _geometry(attrs, x_shape, k_shape):
    """Per spatial dimension: (pad before, pad after) and the output size."""
    pads, out = [], []
    for size, k, s, d in zip(
        x_shape[1:4], k_shape, attrs["strides"][1:4], attrs["dilations"][1:4], strict=True
    ):
        pad = windows.same_pads(size, k, s, d) if attrs["padding"] == "SAME" else (0, 0)
        if size + sum(pad) < (k - 1) * d + 1:
            raise ValueError(
                f"Computed output size would be negative: the window of {(k - 1) * d + 1} "
                f"exceeds the padded input size {size + sum(pad)}"
            )
        pads.append(pad)
        out.append(windows.output_size(size, k, s, d, *pad))
    return pads, out


def _tap_slices(attrs, tap, out) -> tuple:
    """The slices of the padded input that one filter tap reads for every output voxel."""
    return (
        slice(None),
        *(
            slice(t * d, t * d + (o - 1) * s + 1, s)
            for t, d, s, o in zip(
                tap, attrs["dilations"][1:4], attrs["strides"][1:4], out, strict=True
            )
        ),
    )


def _conv3d(attrs, x, w):
    pads, out = _geometry(attrs, x.shape, w.shape[:3])
    dtype = windows.compute_dtype(x.dtype)
    padded = np.pad(x.astype(dtype, copy=False), [(0, 0), *pads, (0, 0)])
    y = np.zeros((x.shape[0], *out, w.shape[4]), dtype)
    for tap in itertools.product(*map(range, w.shape[:3])):
        if y.size:
            y += padded[_tap_slices(attrs, tap, out)] @ w[tap].astype(dtype, copy=False)
    return y.astype(x.dtype, copy=False)


def _conv3d_kernel(ctx, op, x, w):
    if x.ndim != 5 or w.ndim != 5 or x.shape[4] != w.shape[3]:
        raise ValueError(
            f"Conv3D: input [N, D, H, W, C] and filter [d, h, w, C, O] must agree, got shapes "
            f"{list(x.shape)} and {list(w.shape)}"
        )
    return _conv3d(op._attrs, x, w)


def _conv3d_grad(op, grad):
    x, w = op.inputs
    attrs = dict(op._attrs)
    x_shape, w_shape = shape_n([x, w])  # one ShapeN, never folded, as TF's gradient
    return [
        apply_op("Conv3DBackpropInputV2", [x_shape, w, grad], attrs),
        apply_op("Conv3DBackpropFilterV2", [x, w_shape, grad], attrs),
    ]


register_op("Conv3D", _conv3d_infer, kernel=_conv3d_kernel, grad=_conv3d_grad)


# -- the gradients ---------------------------------------------------------------------


def _sizes_infer(op_type: str, sizes_index: int, data_arg: str):
    def infer(inputs, attrs):
        data, dy = inputs[1 if sizes_index == 0 else 0], inputs[2]
        dtype = check_same_dtype(op_type, (data_arg, "out_backprop"), [data, dy])
        check_dtype_in(op_type, data_arg, data, FLOATS)
        check_dtype_in(op_type, "sizes", inputs[sizes_index], (dtypes.int32, dtypes.int64))
        requested = shape_value(inputs[sizes_index])
        if requested.ndims not in (None, 5):
            raise ValueError(f"{op_type} requires sizes to contain 5 values, got {requested.ndims}")
        return [(dtype, requested if requested.ndims == 5 else tensor_shape.unknown_shape(5))]

    return infer


def _check_dy(attrs, x_shape, w_shape, dy) -> tuple:
    pads, out = _geometry(attrs, x_shape, w_shape[:3])
    if dy.shape != (x_shape[0], *out, w_shape[4]):
        raise ValueError(
            f"out_backprop of shape {list(dy.shape)} must have the shape "
            f"{[x_shape[0], *out, w_shape[4]]} of the Conv3D of input {list(x_shape)} by "
            f"filter {list(w_shape)}"
        )
    return pads, out


def _backprop_input_kernel(ctx, op, sizes, w, dy):
    attrs = op._attrs
    x_shape = tuple(int(s) for s in sizes)
    pads, out = _check_dy(attrs, x_shape, w.shape, dy)
    dtype = windows.compute_dtype(dy.dtype)
    padded = np.zeros(
        [x_shape[0], *(s + sum(p) for s, p in zip(x_shape[1:4], pads, strict=True)), x_shape[4]],
        dtype,
    )
    g = dy.astype(dtype, copy=False)
    for tap in itertools.product(*map(range, w.shape[:3])):
        padded[_tap_slices(attrs, tap, out)] += g @ w[tap].astype(dtype, copy=False).T
    inner = tuple(slice(p[0], p[0] + s) for p, s in zip(pads, x_shape[1:4], strict=True))
    return padded[(slice(None), *inner)].astype(dy.dtype, copy=False)


def _backprop_input_grad(op, grad):
    _, w, dy = op.inputs
    attrs = dict(op._attrs)
    return [
        None,
        apply_op("Conv3DBackpropFilterV2", [grad, shape(w), dy], attrs),
        apply_op("Conv3D", [grad, w], attrs),
    ]


def _backprop_filter_kernel(ctx, op, x, sizes, dy):
    attrs = op._attrs
    w_shape = tuple(int(s) for s in sizes)
    pads, out = _check_dy(attrs, x.shape, w_shape, dy)
    dtype = windows.compute_dtype(x.dtype)
    padded = np.pad(x.astype(dtype, copy=False), [(0, 0), *pads, (0, 0)])
    g = dy.astype(dtype, copy=False).reshape(-1, w_shape[4])
    dw = np.zeros(w_shape, dtype)
    for tap in itertools.product(*map(range, w_shape[:3])):
        dw[tap] = padded[_tap_slices(attrs, tap, out)].reshape(-1, w_shape[3]).T @ g
    return dw.astype(x.dtype, copy=False)


def _backprop_filter_grad(op, grad):
    x, _, dy = op.inputs
    attrs = dict(op._attrs)
    return [
        apply_op("Conv3DBackpropInputV2", [shape(x), grad, dy], attrs),
        None,
        apply_op("Conv3D", [x, grad], attrs),
    ]


register_op(
    "Conv3DBackpropInputV2",
    _sizes_infer("Conv3DBackpropInputV2", 0, "filter"),
    kernel=_backprop_input_kernel,
    grad=_backprop_input_grad,
)
register_op(
    "Conv3DBackpropFilterV2",
    _sizes_infer("Conv3DBackpropFilterV2", 1, "input"),
    kernel=_backprop_filter_kernel,
    grad=_backprop_filter_grad,
)


@undo.atomic
def conv3d(
    input,  # noqa: A002 - TF1's argument name
    filter=None,  # noqa: A002
    strides=None,
    padding=None,
    data_format="NDHWC",
    dilations=(1, 1, 1, 1, 1),
    name=None,
    filters=None,
):
    """3-D convolution of an NDHWC ``input`` with a ``[d, h, w, in, out]`` ``filter``.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     y = tf.nn.conv3d(tf.zeros([1, 4, 6, 6, 2]), tf.ones([2, 3, 3, 2, 5]),
    ...                      [1, 1, 2, 2, 1], "SAME")
    >>> y.op.type, y.shape.as_list()
    ('Conv3D', [1, 4, 3, 3, 5])
    """
    filter = filters if filter is None else filter  # noqa: A001
    if filter is None or strides is None or padding is None:
        raise TypeError("conv3d() requires input, filter, strides and padding")
    attrs = _attrs(strides, padding, data_format, dilations, "Conv3D")
    with name_scope(name, "Conv3D", [input, filter]) as scope:
        x = convert_to_tensor(input, name="input")
        w = convert_to_tensor(filter, dtype_hint=x.dtype.base_dtype, name="filter")
        return apply_op("Conv3D", [x, w], attrs, name=scope)


@undo.atomic
def conv3d_transpose(
    value,
    filter=None,  # noqa: A002 - TF1's argument name
    output_shape=None,
    strides=None,
    padding="SAME",
    data_format="NDHWC",
    name=None,
    input=None,  # noqa: A002
    filters=None,
    dilations=None,
):
    """The transpose of ``conv3d`` (``Conv3DBackpropInputV2``): ``filter`` is
    ``[d, h, w, output_channels, in_channels]``, ``output_shape`` the 5-D result shape.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     y = tf.nn.conv3d_transpose(tf.zeros([1, 2, 3, 3, 4]), tf.ones([2, 2, 2, 5, 4]),
    ...                                [1, 4, 6, 6, 5], [1, 2, 2, 2, 1])
    >>> y.op.type, y.shape.as_list()
    ('Conv3DBackpropInputV2', [1, 4, 6, 6, 5])
    """
    value = input if value is None else value
    filter = filters if filter is None else filter  # noqa: A001
    if filter is None or output_shape is None or strides is None:
        raise TypeError("conv3d_transpose() requires value, filter, output_shape and strides")
    attrs = _attrs(
        strides, padding, data_format, dilations or (1, 1, 1, 1, 1), "Conv3DBackpropInputV2"
    )
    with name_scope(name, "conv3d_transpose", [value, filter, output_shape]) as scope:
        sizes = convert_to_tensor(output_shape, dtype=dtypes.int32, name="output_shape")
        dy = convert_to_tensor(value, name="value")
        w = convert_to_tensor(filter, dtype_hint=dy.dtype.base_dtype, name="filter")
        return apply_op("Conv3DBackpropInputV2", [sizes, w, dy], attrs, name=scope)


@undo.atomic
def conv3d_backprop_filter_v2(
    input,  # noqa: A002 - TF1's argument name
    filter_sizes,
    out_backprop,
    strides,
    padding,
    data_format="NDHWC",
    dilations=(1, 1, 1, 1, 1),
    name=None,
):
    """The gradient of ``conv3d`` for its filter (``Conv3DBackpropFilterV2``), of shape
    ``filter_sizes``."""
    attrs = _attrs(strides, padding, data_format, dilations, "Conv3DBackpropFilterV2")
    with name_scope(name, "Conv3DBackpropFilterV2", [input, filter_sizes, out_backprop]) as scope:
        x = convert_to_tensor(input, name="input")
        sizes = convert_to_tensor(filter_sizes, dtype=dtypes.int32, name="filter_sizes")
        dy = convert_to_tensor(out_backprop, dtype_hint=x.dtype.base_dtype, name="out_backprop")
        return apply_op("Conv3DBackpropFilterV2", [x, sizes, dy], attrs, name=scope)


__all__ = ["conv3d", "conv3d_backprop_filter_v2", "conv3d_transpose"]
