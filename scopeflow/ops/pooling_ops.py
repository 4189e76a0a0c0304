"""Pooling (``tf.nn.max_pool``, ``tf.nn.avg_pool``) over NHWC images.

Both kernels combine the strided view of each window tap over all output pixels at once (a
Python loop over the window's taps, never over pixels). SAME padding pads with the lowest
value for max pooling; average pooling divides by the number of real (unpadded) pixels in
each window, as TF does.
"""

from __future__ import annotations

import numpy as np

from scopeflow.framework import dtypes, tensor_shape, undo
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.registry import register_op
from scopeflow.ops import conv_algorithms as algo
from scopeflow.ops._infer import FLOATS, apply_op, check_dtype_in
from scopeflow.ops.conv_ops import (
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


def _windows(op, x):
    """The pads, output size and per-tap views helper of a pooling op on ``x``."""
    if x.ndim != 4:
        raise ValueError(f"input must be 4-dimensional, got shape {list(x.shape)}")
    attrs = op._attrs
    _, kh, kw, _ = attrs["ksize"]
    _, sh, sw, _ = attrs["strides"]
    pads = run_pads(attrs, x.shape[1], x.shape[2], kh, kw)
    out_hw = (
        algo.output_size(x.shape[1], kh, sh, 1, *pads[:2]),
        algo.output_size(x.shape[2], kw, sw, 1, *pads[2:]),
    )
    return (kh, kw), (sh, sw), pads, out_hw


def _max_pool_kernel(ctx, op, x):
    (kh, kw), strides, pads, out_hw = _windows(op, x)
    lowest = -np.inf if x.dtype.kind == "f" or x.dtype.kind == "V" else np.iinfo(x.dtype).min
    padded = algo.pad_spatial(x, pads, lowest)
    out = None
    for i in range(kh):
        for j in range(kw):
            tap = algo.tap_view(padded, i, j, out_hw, strides, (1, 1))
            out = tap.copy() if out is None else np.maximum(out, tap, out=out)
    return out


def _valid_counts(size: int, k: int, stride: int, before: int, out: int) -> np.ndarray:
    """How many real (unpadded) pixels each output window covers along one dimension."""
    start = np.arange(out) * stride - before
    return np.clip(start + k, 0, size) - np.clip(start, 0, size)


def _avg_pool_kernel(ctx, op, x):
    (kh, kw), strides, pads, out_hw = _windows(op, x)
    dtype = algo.compute_dtype(x.dtype)
    padded = algo.pad_spatial(x.astype(dtype, copy=False), pads)
    total = np.zeros((x.shape[0], *out_hw, x.shape[3]), dtype)
    for i in range(kh):
        for j in range(kw):
            total += algo.tap_view(padded, i, j, out_hw, strides, (1, 1))
    rows = _valid_counts(x.shape[1], kh, strides[0], pads[0], out_hw[0])
    cols = _valid_counts(x.shape[2], kw, strides[1], pads[2], out_hw[1])
    total /= np.outer(rows, cols).astype(dtype)[:, :, None]
    return total.astype(x.dtype, copy=False)


register_op("MaxPool", _pool_infer("MaxPool", _MAX_POOL_TYPES), kernel=_max_pool_kernel)
register_op("AvgPool", _pool_infer("AvgPool", FLOATS, arg="value"), kernel=_avg_pool_kernel)


def _pool(op_type, value, ksize, strides, padding, data_format, name, explicit_ok: bool):
    check_nhwc(data_format)
    padding, explicit = padding_attrs(padding)
    if explicit and not explicit_ok:
        raise ValueError(f"{op_type} takes padding 'SAME' or 'VALID', got explicit pads")
    attrs = {"ksize": four(ksize, "ksize"), "strides": four(strides, "strides")}
    if attrs["ksize"][0] != 1 or attrs["strides"][0] != 1:
        raise ValueError(
            "Pooling is not yet supported on the batch dimension (ksize[0] and "
            "strides[0] must be 1)"
        )
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


def avg_pool2d(input, ksize, strides, padding, data_format="NHWC", name=None):  # noqa: A002
    """TF2's spelling of :func:`avg_pool`."""
    return avg_pool(input, ksize, strides, padding, data_format, name)


__all__ = ["avg_pool", "avg_pool2d", "max_pool", "max_pool2d"]
