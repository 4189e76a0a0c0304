"""``tf.quantization.quantize_and_dequantize`` (``QuantizeAndDequantizeV2``, whose gradient
TF passes straight through) and ``quantize_and_dequantize_v2`` (``QuantizeAndDequantizeV4``,
whose gradient is ``QuantizeAndDequantizeV4Grad``: the gradient where the input lies in
``[input_min, input_max]``): values scaled to ``num_bits`` signed or unsigned integers,
rounded and scaled back, as TF's kernels compute them in the input's dtype; per tensor, or per
slice along ``axis``."""

from __future__ import annotations

import numpy as np

from scopeflow.framework import tensor_shape, undo
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.registry import register_op
from scopeflow.ops.array.fake_quant import merge_dim, with_rank
from scopeflow.ops.core.infer import (
    FLOATS,
    apply_op,
    check_dtype_in,
    check_same_dtype,
    no_gradient,
)

_ROUND_MODES = ("HALF_TO_EVEN", "HALF_UP")


def _range_shape(op_type: str, x_shape, low, high, axis: int):
    if axis < -1:
        raise ValueError(f"axis should be at least -1, got {axis}")
    if axis == -1:
        return with_rank(low.shape, 0).merge_with(with_rank(high.shape, 0))
    with_rank(x_shape, axis + 1, at_least=True)
    depth = tensor_shape.TensorShape([x_shape[axis] if x_shape.ndims is not None else None])
    return merge_dim(merge_dim(with_rank(low.shape, 1), with_rank(high.shape, 1)), depth)


def _qdq_infer(op_type: str):
    def infer(inputs, attrs):
        check_dtype_in(op_type, "input", inputs[0], FLOATS)
        dtype = check_same_dtype(op_type, ("input", "input_min", "input_max"), inputs)
        _range_shape(op_type, inputs[0].shape, inputs[1], inputs[2], attrs["axis"])
        return [(dtype, inputs[0].shape)]

    return infer


def _quantization_range(attrs, low, high):
    """TF's ``ComputeQuantizationRange``: ``(low, high, scale, inverse_scale)``, the side of
    the range that sets the scale kept and the other moved to match."""
    num_bits, signed = attrs["num_bits"], attrs["signed_input"]
    if not 0 < num_bits < (62 if signed else 63):
        raise ValueError(f"num_bits is out of range: {num_bits} with signed_input_ {int(signed)}")
    dtype = low.dtype.type
    if signed:
        min_q = -(1 << (num_bits - 1)) + (1 if attrs["narrow_range"] else 0)
        max_q = (1 << (num_bits - 1)) - 1
    else:
        min_q, max_q = 0, (1 << num_bits) - 1
    min_q, max_q, biggest = dtype(min_q), dtype(max_q), np.finfo(dtype).max
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        from_min = np.where(min_q * low > 0, min_q / low, biggest).astype(dtype)
        from_max = np.where(max_q * high > 0, max_q / high, biggest).astype(dtype)
        by_min = from_min < from_max
        inverse = np.where(by_min, low / min_q, high / max_q).astype(dtype)
        scale = np.where(by_min, from_min, from_max)
        low = np.where(by_min, low, min_q * inverse).astype(dtype)
        high = np.where(by_min, max_q * inverse, high).astype(dtype)
    return low, high, scale, inverse


def _qdq_kernel(ctx, op, x, low, high):
    attrs = op._attrs
    axis = attrs["axis"]
    if attrs["range_given"]:
        if axis == -1 and low > high:
            raise ValueError(f"Invalid range: input_min {low:g} > input_max {high:g}")
    else:
        reduce = None if axis == -1 else tuple(a for a in range(x.ndim) if a != axis)
        low, high = x.min(axis=reduce), x.max(axis=reduce)
    expand = (slice(None),) + (None,) * (x.ndim - axis - 1) if axis != -1 else ()
    low, high = np.asarray(low, x.dtype), np.asarray(high, x.dtype)
    low, high, scale, inverse = (v[expand] for v in _quantization_range(attrs, low, high))
    with np.errstate(invalid="ignore", over="ignore"):
        out = np.maximum(np.minimum(x, high), low) if attrs["range_given"] else x
        scaled = out * scale
        if attrs["round_mode"] == "HALF_UP":
            rounded = np.floor(scaled + x.dtype.type(0.5))
        else:
            rounded = np.rint(scaled)
        return (rounded * inverse).astype(x.dtype)


def _v4_grad_infer(inputs, attrs):
    op_type = "QuantizeAndDequantizeV4Grad"
    check_dtype_in(op_type, "gradients", inputs[0], FLOATS)
    dtype = check_same_dtype(op_type, ("gradients", "input", "input_min", "input_max"), inputs)
    x_shape = inputs[0].shape.merge_with(inputs[1].shape)
    range_shape = _range_shape(op_type, x_shape, inputs[2], inputs[3], attrs["axis"])
    return [(dtype, x_shape), (dtype, range_shape), (dtype, range_shape)]


def _v4_grad_kernel(ctx, op, gradients, x, low, high):
    axis = op._attrs["axis"]
    if axis == -1 and low.ndim:
        raise ValueError("input_min must be a scalar if axis is unspecified")
    zeros = np.zeros_like(low)
    if axis != -1:
        expand = (slice(None),) + (None,) * (x.ndim - axis - 1)
        low, high = low[expand], high[expand]
    inside = (x >= low) & (x <= high)
    return np.where(inside, gradients, x.dtype.type(0)), zeros, zeros.copy()


def _v2_grad(op, grad):
    return [grad, None, None]


def _v4_grad(op, grad):
    x, low, high = op.inputs
    return list(
        apply_op("QuantizeAndDequantizeV4Grad", [grad, x, low, high], {"axis": op._attrs["axis"]})
    )


register_op(
    "QuantizeAndDequantizeV2",
    _qdq_infer("QuantizeAndDequantizeV2"),
    kernel=_qdq_kernel,
    grad=_v2_grad,
)
register_op(
    "QuantizeAndDequantizeV4",
    _qdq_infer("QuantizeAndDequantizeV4"),
    kernel=_qdq_kernel,
    grad=_v4_grad,
)
register_op(
    "QuantizeAndDequantizeV4Grad",
    _v4_grad_infer,
    kernel=_v4_grad_kernel,
    grad=no_gradient,
)


def _quantize_and_dequantize(
    op_type, input, input_min, input_max, signed_input, num_bits, range_given, round_mode, name,
    narrow_range, axis,
):  # fmt: skip
    if round_mode not in _ROUND_MODES:
        raise ValueError(
            f"Attr 'round_mode' of '{op_type}' Op passed string '{round_mode}' not in: "
            '"HALF_TO_EVEN", "HALF_UP".'
        )
    with name_scope(name, op_type, [input, input_min, input_max]) as scope:
        input = convert_to_tensor(input, name="input")
        if axis is None:
            axis = -1
        elif axis < 0:
            if input.shape.ndims is None:
                raise ValueError("input should have known rank to use negative axis.")
            axis %= input.shape.ndims
        dtype = input.dtype.base_dtype
        input_min = convert_to_tensor(input_min, dtype=dtype, name="input_min")
        input_max = convert_to_tensor(input_max, dtype=dtype, name="input_max")
        attrs = {
            "signed_input": bool(signed_input),
            "num_bits": int(num_bits),
            "range_given": bool(range_given),
            "round_mode": round_mode,
            "narrow_range": bool(narrow_range),
            "axis": int(axis),
        }
        return apply_op(op_type, [input, input_min, input_max], attrs, name=scope)


@undo.atomic
def quantize_and_dequantize(
    input,
    input_min,
    input_max,
    signed_input=True,
    num_bits=8,
    range_given=False,
    round_mode="HALF_TO_EVEN",
    name=None,
    narrow_range=False,
    axis=None,
):
    """``input`` quantized to ``num_bits`` integers and back: scaled so that ``[input_min,
    input_max]`` (with ``range_given``; else the input's own range) fits the integer range
    with 0 kept, rounded (``round_mode`` ``'HALF_TO_EVEN'`` or ``'HALF_UP'``) and scaled back;
    per slice along ``axis`` when given. Deprecated in TF: its gradient passes straight
    through; :func:`quantize_and_dequantize_v2`'s is zero outside the range.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     y = tf.quantization.quantize_and_dequantize([-1.7, 0.3, 0.75], -1.0, 1.0,
    ...                                                 range_given=True, num_bits=3)
    ...     print(tf.Session().run(y))
    [-1.3333334   0.33333334  0.6666667 ]
    """
    return _quantize_and_dequantize(
        "QuantizeAndDequantizeV2", input, input_min, input_max, signed_input, num_bits,
        range_given, round_mode, name, narrow_range, axis,
    )  # fmt: skip


@undo.atomic
def quantize_and_dequantize_v2(
    input,
    input_min,
    input_max,
    signed_input=True,
    num_bits=8,
    range_given=False,
    round_mode="HALF_TO_EVEN",
    name=None,
    narrow_range=False,
    axis=None,
):
    """:func:`quantize_and_dequantize` (a ``QuantizeAndDequantizeV4`` op) whose gradient is
    zero where the input lies outside ``[input_min, input_max]``.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     y = tf.quantization.quantize_and_dequantize_v2([-1.0, 0.5], -1.0, 1.0,
    ...                                                    range_given=True)
    ...     print(tf.Session().run(y))
    [-1.        0.503937]
    """
    return _quantize_and_dequantize(
        "QuantizeAndDequantizeV4", input, input_min, input_max, signed_input, num_bits,
        range_given, round_mode, name, narrow_range, axis,
    )  # fmt: skip


# The names ``tf.quantization`` exports from this module.
__all__ = ["quantize_and_dequantize", "quantize_and_dequantize_v2"]
