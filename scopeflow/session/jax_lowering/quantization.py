"""JAX lowerings of the quantization ops (``ops/array/fake_quant.py``,
``ops/array/quantize_dequantize.py``): the fake-quant ops of quantization-aware training with
their straight-through gradients, and ``QuantizeAndDequantizeV2``/``V4``, with the NumPy
kernels' order of float32 operations (the level index from one rounding of a float64
multiply-add), so values agree bit for bit where XLA rounds as NumPy does.

Run-time checks of the range (``min < max``) are made while tracing when the range is known
then (the ``Args`` ops' attributes); XLA cannot fail a run on a fed value."""

from __future__ import annotations

import jax.numpy as jnp
import numpy as np

from scopeflow.framework import errors

_F32 = jnp.float32


def _levels(op) -> tuple[np.float32, np.float32]:
    num_bits = op._attrs["num_bits"]
    if not 2 <= num_bits <= 16:
        raise errors.InvalidArgumentError(None, op, "num_bits must be between 2 and 16, inclusive")
    return np.float32(1 if op._attrs["narrow_range"] else 0), np.float32((1 << num_bits) - 1)


def _nudge(op, low, high):
    """TF's ``Nudge``: ``(nudged_min, nudged_max, scale, inv_scale, zero_point)``, float32."""
    quant_min, quant_max = _levels(op)
    low, high = jnp.asarray(low, _F32), jnp.asarray(high, _F32)
    scale = (high - low) / (quant_max - quant_min)
    inv_scale = (quant_max - quant_min) / (high - low)
    from_min = quant_min - low / scale
    rounded = jnp.sign(from_min) * jnp.floor(jnp.abs(from_min) + np.float32(0.5))
    zero_point = jnp.where(
        from_min < quant_min,
        quant_min,
        jnp.where(from_min > quant_max, quant_max, jnp.nan_to_num(rounded)),
    ).astype(_F32)
    return (
        (quant_min - zero_point) * scale,
        (quant_max - zero_point) * scale,
        scale,
        inv_scale,
        zero_point,
    )


def _quantize(op, x, low, high):
    nudged_min, nudged_max, scale, inv_scale, zero_point = _nudge(op, low, high)
    quant_min, _ = _levels(op)
    clamped = jnp.maximum(jnp.minimum(x, nudged_max), nudged_min)
    shifted = (clamped - nudged_min).astype(jnp.float64)
    steps = jnp.floor((shifted * inv_scale.astype(jnp.float64) + 0.5).astype(_F32))
    return ((steps + (quant_min - zero_point)) * scale).astype(_F32)


def _in_range(op, x, low, high):
    nudged_min, nudged_max, _, _, _ = _nudge(op, low, high)
    return (x >= nudged_min) & (x <= nudged_max), x < nudged_min, x > nudged_max


def _args_range(op):
    low, high = op._attrs["min"], op._attrs["max"]
    if not low < high:
        raise errors.InvalidArgumentError(
            None, op, f"min has to be smaller than max, was: {low:g} >= {high:g}"
        )
    return low, high


def _args(ctx, op, x):
    return _quantize(op, jnp.asarray(x), *_args_range(op))


def _args_gradient(ctx, op, gradients, x):
    inside = _in_range(op, jnp.asarray(x), *_args_range(op))[0]
    return jnp.where(inside, gradients, np.float32(0)).astype(_F32)


def _vars(ctx, op, x, low, high):
    return _quantize(op, jnp.asarray(x), low, high)


def _vars_gradient(ctx, op, gradients, x, low, high):
    x = jnp.asarray(x)
    inside, below, above = _in_range(op, x, low, high)
    axes = tuple(range(x.ndim - 1)) if op.type.endswith("PerChannelGradient") else None
    zero = np.float32(0)
    return (
        jnp.where(inside, gradients, zero).astype(_F32),
        jnp.where(below, gradients, zero).sum(axis=axes, dtype=_F32),
        jnp.where(above, gradients, zero).sum(axis=axes, dtype=_F32),
    )


def _quantization_range(op, low, high):
    """TF's ``ComputeQuantizationRange``: ``(low, high, scale, inverse_scale)``."""
    attrs = op._attrs
    num_bits, signed = attrs["num_bits"], attrs["signed_input"]
    dtype = low.dtype
    if signed:
        min_q = -(1 << (num_bits - 1)) + (1 if attrs["narrow_range"] else 0)
        max_q = (1 << (num_bits - 1)) - 1
    else:
        min_q, max_q = 0, (1 << num_bits) - 1
    min_q, max_q = jnp.asarray(min_q, dtype), jnp.asarray(max_q, dtype)
    biggest = jnp.finfo(dtype).max
    from_min = jnp.where(min_q * low > 0, min_q / low, biggest).astype(dtype)
    from_max = jnp.where(max_q * high > 0, max_q / high, biggest).astype(dtype)
    by_min = from_min < from_max
    inverse = jnp.where(by_min, low / min_q, high / max_q).astype(dtype)
    scale = jnp.where(by_min, from_min, from_max)
    low = jnp.where(by_min, low, min_q * inverse).astype(dtype)
    high = jnp.where(by_min, max_q * inverse, high).astype(dtype)
    return low, high, scale, inverse


def _quantize_dequantize(ctx, op, x, low, high):
    """``QuantizeAndDequantizeV2``/``V4``: per tensor (``axis`` -1) or per slice."""
    attrs = op._attrs
    x = jnp.asarray(x)
    axis = attrs["axis"]
    if not 0 < attrs["num_bits"] < (62 if attrs["signed_input"] else 63):
        raise errors.InvalidArgumentError(
            None,
            op,
            f"num_bits is out of range: {attrs['num_bits']} with signed_input_ "
            f"{int(attrs['signed_input'])}",
        )
    static_range = isinstance(low, np.ndarray) and isinstance(high, np.ndarray)
    if attrs["range_given"] and axis == -1 and static_range and low > high:
        raise errors.InvalidArgumentError(
            None, op, f"Invalid range: input_min {low:g} > input_max {high:g}"
        )
    if not attrs["range_given"]:
        reduce = None if axis == -1 else tuple(a for a in range(x.ndim) if a != axis)
        low, high = x.min(axis=reduce), x.max(axis=reduce)
    expand = (slice(None),) + (None,) * (x.ndim - axis - 1) if axis != -1 else ()
    low, high = jnp.asarray(low, x.dtype), jnp.asarray(high, x.dtype)
    low, high, scale, inverse = (v[expand] for v in _quantization_range(op, low, high))
    out = jnp.maximum(jnp.minimum(x, high), low) if attrs["range_given"] else x
    scaled = out * scale
    if attrs["round_mode"] == "HALF_UP":
        rounded = jnp.floor(scaled + jnp.asarray(0.5, x.dtype))
    else:
        rounded = jnp.round(scaled)
    return (rounded * inverse).astype(x.dtype)


def _v4_grad(ctx, op, gradients, x, low, high):
    x = jnp.asarray(x)
    axis = op._attrs["axis"]
    zeros = jnp.zeros(jnp.shape(low), x.dtype)
    if axis != -1:
        expand = (slice(None),) + (None,) * (x.ndim - axis - 1)
        low, high = low[expand], high[expand]
    inside = (x >= low) & (x <= high)
    return jnp.where(inside, gradients, jnp.zeros((), x.dtype)), zeros, zeros


LOWERINGS = {
    "FakeQuantWithMinMaxArgs": _args,
    "FakeQuantWithMinMaxArgsGradient": _args_gradient,
    "FakeQuantWithMinMaxVars": _vars,
    "FakeQuantWithMinMaxVarsGradient": _vars_gradient,
    "FakeQuantWithMinMaxVarsPerChannel": _vars,
    "FakeQuantWithMinMaxVarsPerChannelGradient": _vars_gradient,
    "QuantizeAndDequantizeV2": _quantize_dequantize,
    "QuantizeAndDequantizeV4": _quantize_dequantize,
    "QuantizeAndDequantizeV4Grad": _v4_grad,
}
