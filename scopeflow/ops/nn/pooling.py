"""Pooling (``tf.nn.max_pool``, ``tf.nn.avg_pool``) over NHWC images.

Both kernels combine the strided view of each window tap over all output pixels at once (a
Python loop over the window's taps, never over pixels). SAME padding pads with the lowest
value for max pooling; average pooling divides by the number of real (unpadded) pixels in
each window, as TF does. Large float32/float64 max poolings and their gradients run as one
compiled pass instead (``scopeflow/ops/kernels/compiled.py``, the same values).
"""

from __future__ import annotations

import numpy as np

from scopeflow.framework import dtypes, tensor_shape, undo
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.error_text import check_pool_batch
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.registry import register_op
from scopeflow.ops.array.basic import shape
from scopeflow.ops.array.shape import zeros_like
from scopeflow.ops.core.infer import FLOATS, apply_op, check_dtype_in, check_same_dtype, shape_value
from scopeflow.ops.kernels import compiled, windows
from scopeflow.ops.nn.conv import (
    check_nhwc,
    check_rank,
    four,
    padding_attrs,
    run_pads,
    window_output_hw,
)

TensorShape = tensor_shape.TensorShape

_MAX_POOL_TYPES = FLOATS + (
    dtypes.int32,
    dtypes.int64,
    dtypes.uint8,
    dtypes.int16,
    dtypes.int8,
    dtypes.uint16,
)


def _pool_infer(op_type: str, allowed, arg: str = "input"):
    def infer(inputs, attrs):
        x = inputs[0]
        dtype = check_dtype_in(op_type, arg, x, allowed)
        check_rank("input", x)
        if x.shape.ndims is None:
            return [(dtype, tensor_shape.unknown_shape(4))]
        n, h, w, c = x.shape.as_list()
        _, kh, kw, _ = attrs["ksize"]
        out_h, out_w = window_output_hw(attrs, h, w, kh, kw)
        return [(dtype, TensorShape([n, out_h, out_w, c]))]

    return infer


def _windows(op, x_shape):
    """The window, strides, pads and output (height, width) of a pooling op over an input of
    ``x_shape``."""
    if len(x_shape) != 4:
        raise ValueError(f"input must be 4-dimensional, got shape {list(x_shape)}")
    attrs = op._attrs
    check_pool_batch(op)
    _, kh, kw, _ = attrs["ksize"]
    _, sh, sw, _ = attrs["strides"]
    pads = run_pads(attrs, x_shape[1], x_shape[2], kh, kw)
    out_hw = (
        windows.output_size(x_shape[1], kh, sh, 1, *pads[:2]),
        windows.output_size(x_shape[2], kw, sw, 1, *pads[2:]),
    )
    return (kh, kw), (sh, sw), pads, out_hw


def _lowest(dtype: np.dtype):
    return -np.inf if dtype.kind in "fV" else np.iinfo(dtype).min


def _compiled_loops(x):
    """The compiled loops for a pooling over ``x``, when large and float32/float64."""
    if x.size < compiled.MAX_POOL_MIN_SIZE or x.dtype not in compiled.DTYPES:
        return None
    return compiled.loops()


def _max_pool_kernel(ctx, op, x):
    (kh, kw), strides, pads, out_hw = _windows(op, x.shape)
    if x.dtype.kind == "f" and x.size and np.isnan(np.max(x)):
        # TF's comparisons skip NaN; an all-NaN window gives the lowest finite value
        x = np.where(np.isnan(x), np.finfo(x.dtype).min, x)
    out = np.empty((x.shape[0], *out_hw, x.shape[3]), x.dtype)
    loops = _compiled_loops(x)
    if loops is not None and out.size:
        geometry = (kh, kw, *strides, pads[0], pads[2])
        spans = ctx.threads.batch_spans(x.shape[0], x.nbytes)
        ctx.threads.run_spans(lambda a, b: loops.max_pool(x[a:b], *geometry, out[a:b]), spans)
        return out

    def span(a, b):  # images a..b, on the run's threads for large batches
        padded = windows.pad_spatial(x[a:b], pads, _lowest(x.dtype))
        for i in range(kh):
            for j in range(kw):
                tap = windows.tap_view(padded, i, j, out_hw, strides, (1, 1))
                if i == j == 0:
                    np.copyto(out[a:b], tap)
                else:
                    np.maximum(out[a:b], tap, out=out[a:b])

    if out.size:
        ctx.threads.run_spans(span, ctx.threads.batch_spans(x.shape[0], x.nbytes))
    return out


def _valid_counts(size: int, k: int, stride: int, before: int, out: int) -> np.ndarray:
    """How many real (unpadded) pixels each output window covers along one dimension."""
    start = np.arange(out) * stride - before
    return np.clip(start + k, 0, size) - np.clip(start, 0, size)


def _window_sizes(x_shape, k, strides, pads, out_hw, dtype) -> np.ndarray:
    """(OH, OW, 1): the number of real pixels in each window, which average pooling divides
    by."""
    rows = _valid_counts(x_shape[1], k[0], strides[0], pads[0], out_hw[0])
    cols = _valid_counts(x_shape[2], k[1], strides[1], pads[2], out_hw[1])
    return np.outer(rows, cols).astype(dtype)[:, :, None]


def _avg_pool_kernel(ctx, op, x):
    k, strides, pads, out_hw = _windows(op, x.shape)
    dtype = windows.compute_dtype(x.dtype)
    padded = windows.pad_spatial(x.astype(dtype, copy=False), pads)
    total = np.zeros((x.shape[0], *out_hw, x.shape[3]), dtype)
    for i in range(k[0]):
        for j in range(k[1]):
            total += windows.tap_view(padded, i, j, out_hw, strides, (1, 1))
    total /= _window_sizes(x.shape, k, strides, pads, out_hw, dtype)
    return total.astype(x.dtype, copy=False)


def _max_pool_grad(op, grad):
    x, y = op.inputs[0], op.outputs[0]
    return apply_op("MaxPoolGrad", [x, y, grad], dict(op._attrs))


def _avg_pool_grad(op, grad):
    return apply_op("AvgPoolGrad", [shape(op.inputs[0]), grad], dict(op._attrs))


register_op(
    "MaxPool",
    _pool_infer("MaxPool", _MAX_POOL_TYPES),
    kernel=_max_pool_kernel,
    grad=_max_pool_grad,
)
register_op(
    "AvgPool",
    _pool_infer("AvgPool", FLOATS, arg="value"),
    kernel=_avg_pool_kernel,
    grad=_avg_pool_grad,
)


# -- the gradients: MaxPoolGrad (and its own, MaxPoolGradGrad) and AvgPoolGrad -------------
#
# Each window's gradient goes to its maximum - the first one in scan order on ties, as in TF -
# or, for average pooling, in equal shares to its real pixels. The kernels loop over the
# window's taps like the forward ones; where windows do not overlap (strides at least the
# window) each tap's pixels are written once, without an add.


def _padded_grad(x_shape, k, strides, pads, out_hw, dtype):
    """The padded input gradient to fill, and whether windows overlap (so that taps must add
    up). Windows that tile the padded input exactly write every pixel once: no zeros first."""
    n, h, w, c = x_shape
    top, bottom, left, right = pads
    shape = (n, h + top + bottom, w + left + right, c)
    overlapping = strides[0] < k[0] or strides[1] < k[1]
    tiled = tuple(strides) == tuple(k) and (out_hw[0] * k[0], out_hw[1] * k[1]) == shape[1:3]
    return (np.empty if tiled else np.zeros)(shape, dtype), overlapping


def _unpadded(padded, x_shape, pads):
    top, _, left, _ = pads
    return padded[:, top : top + x_shape[1], left : left + x_shape[2]]


def _grad_infer(op_type: str, output_like: int):
    """Shape function of ``MaxPoolGrad``/``MaxPoolGradGrad``: the shape of input
    ``output_like`` (the pooled input, or the pooled output)."""

    def infer(inputs, attrs):
        dtype = check_same_dtype(op_type, ("orig_input", "orig_output", "grad"), inputs)
        check_dtype_in(op_type, "orig_input", inputs[0], _MAX_POOL_TYPES)
        for arg, t in zip(("orig_input", "orig_output", "grad"), inputs, strict=True):
            check_rank(arg, t)
        like = inputs[output_like].shape
        return [(dtype, like if like.ndims is not None else tensor_shape.unknown_shape(4))]

    return infer


def _check_pooled(x, y, out_hw) -> None:
    if y.shape != (x.shape[0], *out_hw, x.shape[3]):
        raise ValueError(
            f"orig_output of shape {list(y.shape)} is not the max pooling of orig_input of "
            f"shape {list(x.shape)}"
        )


def _max_hits(op, x, y):
    """Yields ``(i, j, hit)`` for each window tap in scan order: ``hit`` marks the output
    pixels whose maximum that tap is the first to reach."""
    k, strides, pads, out_hw = _windows(op, x.shape)
    _check_pooled(x, y, out_hw)
    padded = windows.pad_spatial(x, pads, _lowest(x.dtype))
    taps = [(i, j) for i in range(k[0]) for j in range(k[1])]
    hit = np.empty(y.shape, bool)
    remaining = None  # the output pixels whose maximum no earlier tap reached
    for count, (i, j) in enumerate(taps, 1):
        np.equal(windows.tap_view(padded, i, j, out_hw, strides, (1, 1)), y, out=hit)
        if remaining is None:
            remaining = ~hit
        else:
            np.logical_and(hit, remaining, out=hit)
            if count < len(taps):
                np.logical_xor(remaining, hit, out=remaining)
        yield i, j, hit


def _max_pool_grad_kernel(ctx, op, x, y, grad):
    k, strides, pads, out_hw = _windows(op, x.shape)
    if grad.shape != y.shape:
        raise ValueError(
            f"grad of shape {list(grad.shape)} must have the shape of orig_output {list(y.shape)}"
        )
    _check_pooled(x, y, out_hw)
    loops = _compiled_loops(x)
    if loops is not None and x.dtype == y.dtype == grad.dtype:
        result = np.zeros(x.shape, x.dtype)
        geometry = (*k, *strides, pads[0], pads[2])

        def compiled_span(a, b):
            loops.max_pool_grad(x[a:b], y[a:b], grad[a:b], *geometry, result[a:b])

        ctx.threads.run_spans(compiled_span, ctx.threads.batch_spans(x.shape[0], x.nbytes))
        return result
    out, overlapping = _padded_grad(x.shape, k, strides, pads, out_hw, grad.dtype)

    def span(a, b):  # images a..b, on the run's threads for large batches
        for i, j, hit in _max_hits(op, x[a:b], y[a:b]):
            tap = windows.tap_view(out[a:b], i, j, out_hw, strides, (1, 1))
            if overlapping:
                tap += grad[a:b] * hit
            else:
                np.multiply(grad[a:b], hit, out=tap)

    ctx.threads.run_spans(span, ctx.threads.batch_spans(x.shape[0], x.nbytes))
    return _unpadded(out, x.shape, pads)


def _max_pool_grad_grad_kernel(ctx, op, x, y, grad):
    if grad.shape != x.shape:
        raise ValueError(
            f"grad of shape {list(grad.shape)} must have the shape of orig_input {list(x.shape)}"
        )
    k, strides, pads, out_hw = _windows(op, x.shape)
    padded = windows.pad_spatial(grad, pads)
    out = np.zeros(y.shape, grad.dtype)
    for i, j, hit in _max_hits(op, x, y):
        np.copyto(out, windows.tap_view(padded, i, j, out_hw, strides, (1, 1)), where=hit)
    return out


def _zeros_for_pooled(op):
    return [zeros_like(op.inputs[0]), zeros_like(op.inputs[1])]


def _max_pool_grad_grad(op, grad):
    x, y = op.inputs[:2]
    return [*_zeros_for_pooled(op), apply_op("MaxPoolGradGrad", [x, y, grad], dict(op._attrs))]


def _max_pool_grad_grad_grad(op, grad):
    x, y = op.inputs[:2]
    return [*_zeros_for_pooled(op), apply_op("MaxPoolGrad", [x, y, grad], dict(op._attrs))]


register_op(
    "MaxPoolGrad",
    _grad_infer("MaxPoolGrad", 0),
    kernel=_max_pool_grad_kernel,
    grad=_max_pool_grad_grad,
)
register_op(
    "MaxPoolGradGrad",
    _grad_infer("MaxPoolGradGrad", 1),
    kernel=_max_pool_grad_grad_kernel,
    grad=_max_pool_grad_grad_grad,
)


def _avg_pool_grad_infer(inputs, attrs):
    sizes, grad = inputs
    dtype = check_dtype_in("AvgPoolGrad", "grad", grad, FLOATS)
    check_dtype_in("AvgPoolGrad", "orig_input_shape", sizes, (dtypes.int32,))
    check_rank("grad", grad)
    requested = shape_value(sizes)
    if requested.ndims not in (None, 4):
        raise ValueError(
            f"AvgPoolGrad requires orig_input_shape to contain 4 values, but got: {requested.ndims}"
        )
    return [(dtype, requested if requested.ndims == 4 else tensor_shape.unknown_shape(4))]


def _avg_pool_grad_kernel(ctx, op, sizes, grad):
    x_shape = tuple(int(s) for s in sizes)
    k, strides, pads, out_hw = _windows(op, x_shape)
    n, h, w, c = x_shape
    if grad.shape != (n, *out_hw, c):
        raise ValueError(
            f"grad of shape {list(grad.shape)} must have the shape {[n, *out_hw, c]} of the "
            f"average pooling of an input of shape {list(x_shape)}"
        )
    dtype = windows.compute_dtype(grad.dtype)
    shares = grad.astype(dtype) / _window_sizes(x_shape, k, strides, pads, out_hw, dtype)
    out, overlapping = _padded_grad(x_shape, k, strides, pads, out_hw, dtype)
    for i in range(k[0]):
        for j in range(k[1]):
            tap = windows.tap_view(out, i, j, out_hw, strides, (1, 1))
            if overlapping:
                tap += shares
            else:
                tap[...] = shares
    return _unpadded(out, x_shape, pads).astype(grad.dtype, copy=False)


def _avg_pool_grad_grad(op, grad):
    return [None, apply_op("AvgPool", [grad], dict(op._attrs))]


register_op(
    "AvgPoolGrad", _avg_pool_grad_infer, kernel=_avg_pool_grad_kernel, grad=_avg_pool_grad_grad
)


def _pool(op_type, value, ksize, strides, padding, data_format, name, explicit_ok: bool):
    check_nhwc(data_format, op_type)
    padding, explicit = padding_attrs(padding, op_type)
    attrs = {"ksize": four(ksize, "ksize"), "strides": four(strides, "strides")}
    if attrs["ksize"][3] != 1 or attrs["strides"][3] != 1:
        raise NotImplementedError(
            "pooling across channels (ksize[3] or strides[3] > 1) is not supported; pool "
            "over height and width, or reshape the channels into a spatial dimension"
        )
    attrs["padding"] = padding
    if explicit_ok:
        attrs["explicit_paddings"] = explicit
    attrs["data_format"] = "NHWC"
    with name_scope(name, op_type, [value]) as scope:
        x = convert_to_tensor(value, name="input")
        return apply_op(op_type, [x], attrs, name=scope)


@undo.atomic
def max_pool(
    value=None, ksize=None, strides=None, padding=None, data_format="NHWC", name=None, input=None
):  # noqa: A002 - TF1's argument name
    """Max pooling over ``ksize`` windows (``padding`` "SAME", "VALID" or explicit pairs).

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     y = tf.nn.max_pool(tf.zeros([1, 9, 9, 3]), [1, 2, 2, 1], [1, 2, 2, 1], "SAME")
    >>> y.op.type, y.shape.as_list()
    ('MaxPool', [1, 5, 5, 3])
    """
    value = input if value is None else value
    return _pool("MaxPool", value, ksize, strides, padding, data_format, name, True)


@undo.atomic
def avg_pool(
    value=None, ksize=None, strides=None, padding=None, data_format="NHWC", name=None, input=None
):  # noqa: A002 - TF1's argument name
    """Average pooling over ``ksize`` windows; SAME windows average their real pixels only."""
    value = input if value is None else value
    return _pool("AvgPool", value, ksize, strides, padding, data_format, name, False)


def max_pool2d(input, ksize, strides, padding, data_format="NHWC", name=None):  # noqa: A002
    """TF2's spelling of :func:`max_pool`."""
    return max_pool(input, ksize, strides, padding, data_format, name)


# tf.compat.v1.nn.avg_pool2d is avg_pool itself (value first), unlike max_pool2d (TF2's)
avg_pool2d = avg_pool


__all__ = ["avg_pool", "avg_pool2d", "max_pool", "max_pool2d"]
