"""Convolutions (``tf.nn.conv2d``, ``conv2d_transpose`` and the two gradients of conv2d), NHWC.

The kernels' algorithms (1x1 matmul, im2col GEMM, FFT) live in ``ops/kernels/``; the
window arithmetic shared with pooling (strides, padding attributes, output sizes) is here.
"""

from __future__ import annotations

import math

from scopeflow.framework import dtypes, tensor_shape, undo
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.error_text import check_attr_in, check_batch_depth
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.registry import register_op
from scopeflow.ops.array.basic import shape, shape_n
from scopeflow.ops.core.infer import (
    FLOATS,
    apply_op,
    check_dtype_in,
    check_same_dtype,
    int_operand,
    shape_value,
)
from scopeflow.ops.kernels import conv as algo
from scopeflow.ops.kernels import windows

TensorShape = tensor_shape.TensorShape

# -- window arithmetic shared by convolutions and pooling ---------------------------------


def four(values, what: str) -> list[int]:
    """``strides``/``ksize``/``dilations`` as TF's 4-vector: an int or 1, 2 or 4 values."""
    if isinstance(values, int):
        return [1, values, values, 1]
    values = list(values)
    if len(values) == 1:
        return [1, int(values[0]), int(values[0]), 1]
    if len(values) == 2:
        return [1, int(values[0]), int(values[1]), 1]
    if len(values) == 4:
        return [int(v) for v in values]
    raise ValueError(
        f"{what} should be of length 1, 2 or 4. Received: {what}={values} of length {len(values)}"
    )


def conv_output_size(size, k: int, stride: int, dilation: int, padding, pads=(0, 0)):
    """One spatial output size of a convolution (``None`` if ``size`` is unknown)."""
    if size is None:
        return None
    effective = (k - 1) * dilation + 1
    if padding == "SAME":
        return math.ceil(size / stride)
    padded = size + pads[0] + pads[1]
    if padded < effective:
        raise ValueError(f"Negative dimension size caused by subtracting {effective} from {padded}")
    return (padded - effective) // stride + 1


# The ops whose padding attr takes no explicit pads, and the data formats each op's definition
# allows (the rest take NHWC and NCHW).
_NO_EXPLICIT = {"AvgPool"}
_DATA_FORMATS = {"MaxPool": ("NHWC", "NCHW", "NCHW_VECT_C")}


def padding_attrs(padding, op_type: str = "Conv2D") -> tuple[str, list[int]]:
    """``"SAME"``, ``"VALID"`` (upper case, as TF's op definitions) or explicit NHWC pairs ->
    (padding, explicit), with TF's errors for ``op_type``."""
    if isinstance(padding, str):
        if padding == "EXPLICIT":
            raise ValueError(
                "'EXPLICIT' is not a valid value for `padding`. To use explicit padding, "
                "`padding` must be a list."
            )
        allowed = ("SAME", "VALID") if op_type in _NO_EXPLICIT else ("SAME", "VALID", "EXPLICIT")
        check_attr_in(op_type, "padding", padding, allowed)
        return padding, []
    if op_type in _NO_EXPLICIT:
        raise TypeError(f"Expected string for argument 'padding' not {padding!r}.")
    pairs = [list(p) for p in padding]
    if len(pairs) != 4:
        raise ValueError("When padding is a list, it must be of size 4.")
    if any(len(p) != 2 for p in pairs):
        raise ValueError(f"explicit padding must be 4 [before, after] pairs (NHWC), got {padding}")
    if pairs[0] != [0, 0] or pairs[3] != [0, 0]:
        raise ValueError(
            "Nonzero explicit padding in the batch or depth dimensions is not supported"
        )
    if any(v < 0 for p in pairs for v in p):
        raise ValueError(f"explicit padding must be non-negative, got {padding}")
    return "EXPLICIT", [int(v) for p in pairs for v in p]


def check_nhwc(data_format: str | None, op_type: str | None = None) -> None:
    """NHWC (or None) passes; a format ``op_type``'s definition refuses is TF's ValueError, one
    it takes but scopeflow does not compute is NotImplementedError."""
    if op_type is not None and data_format is not None:
        allowed = _DATA_FORMATS.get(op_type, ("NHWC", "NCHW"))
        check_attr_in(op_type, "data_format", data_format, allowed)
    if data_format not in (None, "NHWC"):
        raise NotImplementedError(
            f"data_format={data_format!r} is not supported; scopeflow computes in NHWC. "
            "Transpose the input with tf.transpose(x, [0, 2, 3, 1]) and use NHWC."
        )


def check_rank(arg: str, t, rank: int = 4) -> None:
    """TF's shape-function error for argument ``arg`` (``t``) of another rank; as TF's, the
    message names the node (added by the graph), not the argument."""
    if t.shape.ndims is not None and t.shape.ndims != rank:
        raise ValueError(f"Shape must be rank {rank} but is rank {t.shape.ndims}")


def window_output_hw(attrs, h, w, kh, kw, dilations=(1, 1)) -> tuple:
    """Static output (height, width) of a convolution or pooling window over (h, w)."""
    _, sh, sw, _ = attrs["strides"]
    padding = attrs["padding"]
    pads = attrs.get("explicit_paddings") or [0] * 8
    out_h = conv_output_size(h, kh, sh, dilations[0], padding, pads[2:4])
    out_w = conv_output_size(w, kw, sw, dilations[1], padding, pads[4:6])
    return out_h, out_w


def run_pads(attrs, h: int, w: int, kh: int, kw: int, dilations=(1, 1)) -> windows.Pads:
    """(top, bottom, left, right) pads of a window op at run time, checking the output size."""
    _, sh, sw, _ = attrs["strides"]
    padding = attrs["padding"]
    if padding == "SAME":
        pads = windows.same_pads(h, kh, sh, dilations[0]) + windows.same_pads(
            w, kw, sw, dilations[1]
        )
    elif padding == "VALID":
        pads = (0, 0, 0, 0)
    else:
        explicit = attrs["explicit_paddings"]
        pads = (explicit[2], explicit[3], explicit[4], explicit[5])
    for size, k, d, before, after in (
        (h, kh, dilations[0], *pads[:2]),
        (w, kw, dilations[1], *pads[2:]),
    ):
        if size + before + after < (k - 1) * d + 1:
            raise ValueError(
                f"Computed output size would be negative: the window of {(k - 1) * d + 1} "
                f"exceeds the padded input size {size + before + after}"
            )
    return pads


def hw_attr(attrs, key: str) -> tuple[int, int]:
    return attrs[key][1], attrs[key][2]


def window_attrs(strides, padding, data_format: str, dilations=None, op_type="Conv2D") -> dict:
    check_nhwc(data_format, op_type)
    padding, explicit = padding_attrs(padding, op_type)
    attrs = {"strides": four(strides, "strides"), "padding": padding}
    attrs["explicit_paddings"] = explicit
    attrs["data_format"] = "NHWC"
    if dilations is not None:
        attrs["dilations"] = four(dilations, "dilations")
    return attrs


# -- Conv2D -------------------------------------------------------------------------------

_CONV_TYPES = (dtypes.float16, dtypes.bfloat16, dtypes.float32, dtypes.float64, dtypes.int32)


def _conv2d_infer(inputs, attrs):
    x, w = inputs
    dtype = check_same_dtype("Conv2D", ("input", "filter"), inputs)
    check_dtype_in("Conv2D", "input", x, _CONV_TYPES)
    check_rank("input", x)
    check_rank("filter", w)
    if w.shape.ndims is None or x.shape.ndims is None:
        batch = x.shape[0].value if x.shape.ndims else None
        out_c = w.shape[3].value if w.shape.ndims else None
        return [(dtype, TensorShape([batch, None, None, out_c]))]
    n, h, wd, c = x.shape.as_list()
    kh, kw, kc, out_c = w.shape.as_list()
    if c is not None and kc is not None and c % kc:
        raise ValueError(f"Depth of input ({c}) is not a multiple of input depth of filter ({kc})")
    if kh is None or kw is None:
        return [(dtype, TensorShape([n, None, None, out_c]))]
    out_h, out_w = window_output_hw(attrs, h, wd, kh, kw, hw_attr(attrs, "dilations"))
    return [(dtype, TensorShape([n, out_h, out_w, out_c]))]


def check_4d(x, w, what: str = "input") -> None:
    if x.ndim != 4 or w.ndim != 4:
        raise ValueError(
            f"{what} and filter must be 4-D, got shapes {list(x.shape)} and {list(w.shape)}"
        )


def _conv2d_kernel(ctx, op, x, w):
    check_4d(x, w)
    check_batch_depth(op)
    if w.shape[2] == 0 or x.shape[3] % w.shape[2]:
        raise ValueError(
            f"input depth must be evenly divisible by filter depth: {x.shape[3]} vs {w.shape[2]}"
        )
    if w.shape[3] % (x.shape[3] // w.shape[2]):
        raise ValueError(
            "output depth must be evenly divisible by number of groups: "
            f"{w.shape[3]} vs {x.shape[3] // w.shape[2]}"
        )
    attrs = op._attrs
    dilations = hw_attr(attrs, "dilations")
    pads = run_pads(attrs, x.shape[1], x.shape[2], w.shape[0], w.shape[1], dilations)
    cache = ctx.op_state(op, dict)
    strides = hw_attr(attrs, "strides")
    return algo.conv2d(x, w, strides, dilations, pads, cache, ctx.memo, threads=ctx.threads)


def _conv2d_grad(op, grad):
    x, w = op.inputs
    attrs = dict(op._attrs)
    x_shape, w_shape = shape_n([x, w])  # one ShapeN, never folded, as TF's gradient
    return [
        apply_op("Conv2DBackpropInput", [x_shape, w, grad], attrs),
        apply_op("Conv2DBackpropFilter", [x, w_shape, grad], attrs),
    ]


register_op("Conv2D", _conv2d_infer, kernel=_conv2d_kernel, grad=_conv2d_grad)


@undo.atomic
def conv2d(
    input,  # noqa: A002 - TF1's argument name
    filter=None,  # noqa: A002
    strides=None,
    padding=None,
    use_cudnn_on_gpu=True,
    data_format="NHWC",
    dilations=(1, 1, 1, 1),
    name=None,
    filters=None,
):
    """2-D convolution of an NHWC ``input`` with an HWIO ``filter``.

    ``padding`` is ``"SAME"``, ``"VALID"`` or explicit ``[[0, 0], [t, b], [l, r], [0, 0]]``.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     x = tf.placeholder(tf.float32, [None, 32, 32, 3])
    ...     y = tf.nn.conv2d(x, tf.ones([5, 5, 3, 8]), strides=[1, 2, 2, 1], padding="SAME")
    >>> y.op.type, y.shape.as_list()
    ('Conv2D', [None, 16, 16, 8])
    """
    if filter is None:
        filter = filters  # noqa: A001
    if filter is None or strides is None or padding is None:
        raise TypeError("conv2d() requires input, filter, strides and padding")
    attrs = window_attrs(strides, padding, data_format, dilations)
    attrs["use_cudnn_on_gpu"] = use_cudnn_on_gpu
    with name_scope(name, "Conv2D", [input, filter]) as scope:
        x = convert_to_tensor(input, name="input")
        w = convert_to_tensor(filter, dtype_hint=x.dtype.base_dtype, name="filter")
        return apply_op("Conv2D", [x, w], attrs, name=scope)


# -- Conv2DBackpropInput (conv2d_transpose) -----------------------------------------------


def _backprop_input_infer(inputs, attrs):
    sizes, w, dy = inputs
    dtype = check_same_dtype("Conv2DBackpropInput", ("filter", "out_backprop"), inputs[1:])
    check_dtype_in("Conv2DBackpropInput", "filter", w, _CONV_TYPES)
    check_dtype_in("Conv2DBackpropInput", "input_sizes", sizes, (dtypes.int32,))
    check_rank("filter", w)
    check_rank("out_backprop", dy)
    requested = shape_value(sizes)
    if requested.ndims not in (None, 2, 4):
        raise ValueError(
            "Conv2DBackpropInput requires input_sizes to contain 4 values or 2 values, but "
            f"got: {requested.ndims}"
        )
    w_dims = w.shape.as_list() if w.shape.ndims else [None] * 4
    dy_dims = dy.shape.as_list() if dy.shape.ndims else [None] * 4
    if w_dims[3] is not None and dy_dims[3] is not None and w_dims[3] != dy_dims[3]:
        raise ValueError(f"Dimensions must be equal, but are {dy_dims[3]} and {w_dims[3]}")
    if requested.ndims == 2:
        n, (h, wd), c = dy_dims[0], requested.as_list(), w_dims[2]
    elif requested.ndims == 4:
        n, h, wd, c = requested.as_list()
        # The batch is out_backprop's; the channels are the filter's, unless given.
        n = dy_dims[0] if n is None else n
        c = w_dims[2] if c is None else c
    else:
        return [(dtype, TensorShape([dy_dims[0], None, None, w_dims[2]]))]
    _check_transpose_shapes((n, h, wd, c), w_dims, dy_dims, attrs)
    return [(dtype, TensorShape([n, h, wd, c]))]


def _check_transpose_shapes(out_dims, w_dims, dy_dims, attrs) -> None:
    """Build-time check that the requested output would convolve back to ``out_backprop``'s
    shape (TF1 only fails when the graph runs)."""
    n, h, wd, c = out_dims
    if n is not None and dy_dims[0] is not None and n != dy_dims[0]:
        raise ValueError(
            f"conv2d_transpose: output_shape has batch size {n} but the input's is {dy_dims[0]}"
        )
    if c is not None and w_dims[2] and c % w_dims[2]:
        raise ValueError(
            f"conv2d_transpose: output_shape has {c} channels but the filter {w_dims} makes "
            f"{w_dims[2]} (filter shape is [height, width, output_channels, in_channels]; a "
            "multiple of it only for grouped convolutions)"
        )
    for what, size, k, d, got in (
        ("height", h, w_dims[0], attrs["dilations"][1], dy_dims[1]),
        ("width", wd, w_dims[1], attrs["dilations"][2], dy_dims[2]),
    ):
        if None in (size, k, got):
            continue
        index = 1 if what == "height" else 2
        pads = (attrs.get("explicit_paddings") or [0] * 8)[2 * index : 2 * index + 2]
        try:
            expected = conv_output_size(size, k, attrs["strides"][index], d, attrs["padding"], pads)
        except ValueError:
            expected = None
        if expected != got:
            raise ValueError(
                f"conv2d_transpose: an output {what} of {size} convolves to {expected}, but "
                f"the input's {what} is {got}; pick output_shape so that conv2d of it with "
                "these strides and padding gives the input's shape"
            )


def _backprop_input_kernel(ctx, op, sizes, w, dy):
    check_4d(dy, w, "out_backprop")
    check_batch_depth(op)
    sizes = [int(s) for s in sizes]
    if len(sizes) == 2:
        sizes = [dy.shape[0], *sizes, w.shape[2]]
    n, h, wd, c = sizes
    groups = c // w.shape[2] if w.shape[2] and c % w.shape[2] == 0 else 0
    if n != dy.shape[0] or not groups or dy.shape[3] != w.shape[3] or w.shape[3] % groups:
        raise ValueError(
            f"input_sizes {sizes}, filter {list(w.shape)} and out_backprop {list(dy.shape)} "
            "disagree on the batch or channel sizes"
        )
    attrs = op._attrs
    dilations = hw_attr(attrs, "dilations")
    pads = run_pads(attrs, h, wd, w.shape[0], w.shape[1], dilations)
    strides = hw_attr(attrs, "strides")
    expected = (
        windows.output_size(h, w.shape[0], strides[0], dilations[0], *pads[:2]),
        windows.output_size(wd, w.shape[1], strides[1], dilations[1], *pads[2:]),
    )
    if expected != dy.shape[1:3]:
        raise ValueError(
            f"Conv2DBackpropInput: size of out_backprop {list(dy.shape)} doesn't match the "
            f"computed output {list(expected)} of a convolution over input_sizes {sizes}"
        )
    cache = ctx.op_state(op, dict)
    return algo.conv2d_backprop_input(
        dy, w, (h, wd), strides, dilations, pads, groups, cache, ctx.memo, threads=ctx.threads
    )


def _backprop_input_grad(op, grad):
    _, w, dy = op.inputs
    attrs = dict(op._attrs)
    return [
        None,
        apply_op("Conv2DBackpropFilter", [grad, shape(w), dy], attrs),
        apply_op("Conv2D", [grad, w], attrs),
    ]


register_op(
    "Conv2DBackpropInput",
    _backprop_input_infer,
    kernel=_backprop_input_kernel,
    grad=_backprop_input_grad,
)


def sizes_operand(output_shape):
    if isinstance(output_shape, tensor_shape.TensorShape):
        output_shape = output_shape.as_list()
    return int_operand(output_shape, "input_sizes")


@undo.atomic
def conv2d_backprop_input(
    input_sizes,
    filter=None,  # noqa: A002 - TF1's argument name
    out_backprop=None,
    strides=None,
    padding=None,
    use_cudnn_on_gpu=True,
    data_format="NHWC",
    dilations=(1, 1, 1, 1),
    name=None,
    filters=None,
):
    """The gradient of ``conv2d`` with respect to its input (the ``Conv2DBackpropInput`` op)."""
    attrs = window_attrs(strides, padding, data_format, dilations, "Conv2DBackpropInput")
    attrs["use_cudnn_on_gpu"] = use_cudnn_on_gpu
    filter = filters if filter is None else filter  # noqa: A001
    with name_scope(name, "Conv2DBackpropInput", [input_sizes, filter, out_backprop]) as scope:
        sizes = sizes_operand(input_sizes)
        dy = convert_to_tensor(out_backprop, name="out_backprop")
        w = convert_to_tensor(filter, dtype_hint=dy.dtype.base_dtype, name="filter")
        return apply_op("Conv2DBackpropInput", [sizes, w, dy], attrs, name=scope)


# -- Conv2DBackpropFilter -----------------------------------------------------------------


def _backprop_filter_infer(inputs, attrs):
    x, sizes, dy = inputs
    dtype = check_same_dtype("Conv2DBackpropFilter", ("input", "out_backprop"), [x, dy])
    check_dtype_in("Conv2DBackpropFilter", "input", x, FLOATS)
    check_dtype_in("Conv2DBackpropFilter", "filter_sizes", sizes, (dtypes.int32,))
    check_rank("input", x)
    check_rank("out_backprop", dy)
    requested = shape_value(sizes)
    if requested.ndims not in (None, 4):
        raise ValueError(
            f"Conv2DBackpropFilter requires filter_sizes to contain 4 values, but got: "
            f"{requested.ndims}"
        )
    if requested.ndims is None:
        return [(dtype, tensor_shape.unknown_shape(4))]
    out_c = dy.shape[3].value if dy.shape.ndims else None
    if requested[3].value is not None and out_c is not None and requested[3].value != out_c:
        raise ValueError(f"Dimensions must be equal, but are {requested[3].value} and {out_c}")
    return [(dtype, requested)]


def _backprop_filter_kernel(ctx, op, x, sizes, dy):
    check_4d(x, dy, "input and out_backprop")
    check_batch_depth(op)
    kh, kw, kc, o = (int(s) for s in sizes)
    groups = x.shape[3] // kc if kc > 0 and x.shape[3] % kc == 0 else 0
    if not groups or dy.shape[3] != o or o % groups or dy.shape[0] != x.shape[0]:
        raise ValueError(
            f"input {list(x.shape)}, filter_sizes {[kh, kw, kc, o]} and out_backprop "
            f"{list(dy.shape)} disagree on the batch or channel sizes"
        )
    attrs = op._attrs
    dilations, strides = hw_attr(attrs, "dilations"), hw_attr(attrs, "strides")
    pads = run_pads(attrs, x.shape[1], x.shape[2], kh, kw, dilations)
    expected = (
        windows.output_size(x.shape[1], kh, strides[0], dilations[0], *pads[:2]),
        windows.output_size(x.shape[2], kw, strides[1], dilations[1], *pads[2:]),
    )
    if expected != dy.shape[1:3]:
        raise ValueError(
            f"Conv2DBackpropFilter: size of out_backprop {list(dy.shape)} doesn't match the "
            f"computed output {list(expected)} of a convolution over input {list(x.shape)}"
        )
    return algo.conv2d_backprop_filter(
        x, (kh, kw, kc, o), dy, strides, dilations, pads, ctx.memo, threads=ctx.threads
    )


def _backprop_filter_grad(op, grad):
    x, _, dy = op.inputs
    attrs = dict(op._attrs)
    return [
        apply_op("Conv2DBackpropInput", [shape(x), grad, dy], attrs),
        None,
        apply_op("Conv2D", [x, grad], attrs),
    ]


register_op(
    "Conv2DBackpropFilter",
    _backprop_filter_infer,
    kernel=_backprop_filter_kernel,
    grad=_backprop_filter_grad,
)


@undo.atomic
def conv2d_backprop_filter(
    input,  # noqa: A002 - TF1's argument name
    filter_sizes,
    out_backprop,
    strides,
    padding,
    use_cudnn_on_gpu=True,
    data_format="NHWC",
    dilations=(1, 1, 1, 1),
    name=None,
):
    """The gradient of ``conv2d`` with respect to its filter (``Conv2DBackpropFilter``), a
    tensor of shape ``filter_sizes``.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     x = tf.placeholder(tf.float32, [None, 8, 8, 3])
    ...     dy = tf.placeholder(tf.float32, [None, 4, 4, 16])
    ...     dw = tf.nn.conv2d_backprop_filter(x, [3, 3, 3, 16], dy, [1, 2, 2, 1], "SAME")
    >>> dw.op.type, dw.shape.as_list()
    ('Conv2DBackpropFilter', [3, 3, 3, 16])
    """
    attrs = window_attrs(strides, padding, data_format, dilations, "Conv2DBackpropFilter")
    attrs["use_cudnn_on_gpu"] = use_cudnn_on_gpu
    with name_scope(name, "Conv2DBackpropFilter", [input, filter_sizes, out_backprop]) as scope:
        x = convert_to_tensor(input, name="input")
        sizes = sizes_operand(filter_sizes)
        dy = convert_to_tensor(out_backprop, dtype_hint=x.dtype.base_dtype, name="out_backprop")
        return apply_op("Conv2DBackpropFilter", [x, sizes, dy], attrs, name=scope)


@undo.atomic
def conv2d_transpose(
    value=None,
    filter=None,  # noqa: A002 - TF1's argument name
    output_shape=None,
    strides=None,
    padding="SAME",
    data_format="NHWC",
    name=None,
    input=None,  # noqa: A002
    filters=None,
    dilations=None,
):
    """The transpose of ``conv2d`` (its gradient for the input): ``filter`` is
    ``[height, width, output_channels, in_channels]``, ``output_shape`` the 4-D result shape.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     x = tf.placeholder(tf.float32, [2, 8, 8, 16])
    ...     y = tf.nn.conv2d_transpose(x, tf.ones([4, 4, 3, 16]), [2, 16, 16, 3], 2)
    >>> y.op.name, y.op.type, y.shape.as_list()
    ('conv2d_transpose', 'Conv2DBackpropInput', [2, 16, 16, 3])
    """
    value = input if value is None else value
    filter = filters if filter is None else filter  # noqa: A001
    if value is None or filter is None or output_shape is None or strides is None:
        raise TypeError("conv2d_transpose() requires value, filter, output_shape and strides")
    attrs = window_attrs(
        strides, padding, data_format, dilations or (1, 1, 1, 1), "Conv2DBackpropInput"
    )
    attrs["use_cudnn_on_gpu"] = True
    with name_scope(name, "conv2d_transpose", [value, filter, output_shape]) as scope:
        sizes = sizes_operand(output_shape)
        dy = convert_to_tensor(value, name="value")
        w = convert_to_tensor(filter, dtype_hint=dy.dtype.base_dtype, name="filter")
        return apply_op("Conv2DBackpropInput", [sizes, w, dy], attrs, name=scope)


__all__ = [
    "conv2d",
    "conv2d_backprop_filter",
    "conv2d_backprop_input",
    "conv2d_transpose",
]
