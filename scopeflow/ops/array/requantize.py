"""The ops that move quantized values between ranges and the quantized activations, as
``tf.raw_ops`` has them: ``RequantizationRange`` (the float range a ``qint32`` tensor
actually uses), ``Requantize`` (``qint32`` into a requested range of ``quint8``/``qint8``),
``QuantizeDownAndShrinkRange`` (``qint32`` into ``quint8`` over the range it uses),
``QuantizedRelu``/``QuantizedRelu6`` (clamped at the quantized 0.0 and 6.0) and
``QuantizedReshape`` (the range passed through).

As TF's CPU kernels: ``qint32`` values read as floats with TF's rounded minimum (float64
arithmetic), ``qint32`` to ``quint8`` with its 16-bit fixed-point path, other types through
float32. Checked against TF 2.21 on 45 random and edge ranges: all agree but one, where the
fixed-point zero offset of TF's build rounds one unit the other way (an input range of
``[-1000, 0.001]`` shrunk: some values one level apart). TF registers no gradient for them."""

from __future__ import annotations

import math

import numpy as np

from scopeflow.framework import dtypes, tensor_shape
from scopeflow.framework.registry import get_op_def, register_op
from scopeflow.ops.array.quantize import (
    _float_to_quantized,
    _from_quantized,
    _limits,
    _quantized_to_float,
    _to_quantized,
)
from scopeflow.ops.core.infer import check_dtype_in, no_gradient

_F32 = np.float32
_SCALAR = tensor_shape.TensorShape([])
_QUANTIZED = (dtypes.qint8, dtypes.quint8, dtypes.qint32, dtypes.qint16, dtypes.quint16)


def _round(x: float) -> float:
    """C's ``round``: halves away from zero."""
    return math.copysign(math.floor(abs(x) + 0.5), x)


def _first(x) -> np.float32:
    return _F32(np.reshape(x, -1)[0])


def _value_to_float(q: int, dtype, low, high) -> np.float32:
    """TF's scalar ``QuantizedToFloat``."""
    if low == high:
        return _F32(low)
    lowest = _limits(dtype)[0]
    steps = float(2 ** (8 * dtype.size))
    scale = float(_F32(high - low)) * (steps / (steps - 1.0)) / steps
    scale32 = _F32(scale)
    min_rounded = float(_F32(_F32(_round(float(_F32(low / scale32)))) * scale32))
    # TF reads a qint32 through float: 2**31 - 1 counts as 2**31.
    value = float(_F32(q)) if dtype == dtypes.qint32 else float(q)
    return _F32(min_rounded + (value - lowest) * scale)


def _float_to_value(value: float, dtype, low, high) -> int:
    """TF's scalar ``FloatToQuantized`` (clamped to the type)."""
    lowest, highest, _ = _limits(dtype)
    if low == high:
        return lowest
    steps = float(2 ** (8 * dtype.size))
    scale = steps / (float(_F32(high - low)) * (steps / (steps - 1.0)))
    q = int(_round(value * scale) - _round(float(low) * scale)) + lowest
    return min(max(q, lowest), highest)


def _requantize(q, in_dtype, out_dtype, in_low, in_high, out_low, out_high):
    """``q`` (``in_dtype``, over ``[in_low, in_high]``) in ``out_dtype`` over the new range."""
    if in_dtype == dtypes.qint32 and out_dtype == dtypes.quint8:
        return _qint32_to_quint8(_from_quantized(q, in_dtype), in_low, in_high, out_low, out_high)
    as_float = _quantized_to_float(q, in_dtype, in_low, in_high)
    return _float_to_quantized(as_float, out_dtype, out_low, out_high)


def _qint32_to_quint8(values, in_low, in_high, out_low, out_high):
    """TF's 16-bit fixed-point requantization of ``qint32`` into ``quint8``."""
    in_range, out_range = _F32(in_high - in_low), _F32(out_high - out_low)
    recip = _F32(0.0 if out_range == 0 else 255.0 / float(out_range))
    rezero = _F32(float(_F32(in_low + in_high)) / 2.0)
    scale_fp = 0 if out_range == 0 else int(255.0 * 65536 * float(in_range) / float(out_range))
    in_offset = int(_F32(_F32(rezero * recip) * _F32(65536)))
    out_offset = 0 if out_range == 0 else int(65536 * (float(out_low) * 255.0) / float(out_range))
    fixed = ((values.astype(np.int64) * np.int64(scale_fp)) >> 32) + np.int64(
        in_offset - out_offset + (1 << 15))  # fmt: skip
    return _to_quantized(np.clip(fixed >> 16, 0, 255), dtypes.quint8)


def _used_range(q, dtype, low, high):
    values = _from_quantized(q, dtype)
    used_min = _value_to_float(int(values.min()), dtype, low, high) if values.size else _F32(0)
    used_max = _value_to_float(int(values.max()), dtype, low, high) if values.size else _F32(0)
    return min(_F32(0), used_min), used_max


def _scalars_checked(op_type: str, ranges) -> None:
    for r in ranges:
        if r.shape.ndims not in (None, 0):
            raise ValueError(f"Shape must be rank 0 but is rank {r.shape.ndims}")


def _range_infer(inputs, attrs):
    check_dtype_in("RequantizationRange", "input", inputs[0], _QUANTIZED)
    _scalars_checked("RequantizationRange", inputs[1:])
    return [(dtypes.float32, _SCALAR), (dtypes.float32, _SCALAR)]


def _range_kernel(ctx, op, q, low, high):
    if np.size(low) == 0:
        raise ValueError("Input min must not be empty.")
    if np.size(high) == 0:
        raise ValueError("Input max must not be empty.")
    used_min, used_max = _used_range(q, op.inputs[0].dtype.base_dtype, _first(low), _first(high))
    return _F32(used_min), _F32(used_max)


def _requantized_infer(op_type: str):
    def infer(inputs, attrs):
        q, *ranges = inputs
        check_dtype_in(op_type, "input", q, _QUANTIZED)
        _scalars_checked(op_type, ranges)
        return [(attrs["out_type"], q.shape), (dtypes.float32, _SCALAR),
                (dtypes.float32, _SCALAR)]  # fmt: skip

    return infer


def _check_kernel_types(op, allowed) -> None:
    pair = (op.inputs[0].dtype.base_dtype, op._attrs["out_type"])
    if pair not in allowed:
        raise ValueError(
            f"No OpKernel was registered to support Op '{op.type}' with Tinput="
            f"{pair[0].name}, out_type={pair[1].name}"
        )


def _requantize_kernel(ctx, op, q, low, high, out_low, out_high):
    _check_kernel_types(op, {(dtypes.qint32, dtypes.quint8), (dtypes.qint32, dtypes.qint8)})
    low, high, out_low, out_high = (_first(v) for v in (low, high, out_low, out_high))
    if not out_low <= 0:
        raise ValueError(f"requested_output_min must be <= 0, but got {out_low:g}")
    if not out_high >= out_low:
        raise ValueError(
            "requested_output_max must be >= requested_output_min, but got "
            f"{out_high:g} and {out_low:g}"
        )
    in_dtype, out_dtype = op.inputs[0].dtype.base_dtype, op._attrs["out_type"]
    out = _requantize(q, in_dtype, out_dtype, low, high, out_low, out_high)
    return out, out_low, out_high


def _shrink_kernel(ctx, op, q, low, high):
    _check_kernel_types(op, {(dtypes.qint32, dtypes.quint8)})
    low, high = _first(low), _first(high)
    used_min, used_max = _used_range(q, dtypes.qint32, low, high)
    out = _requantize(q, dtypes.qint32, dtypes.quint8, low, high, used_min, used_max)
    return out, _F32(used_min), _F32(used_max)


def _relu_kernel(top: float | None):
    def kernel(ctx, op, q, low, high):
        _check_kernel_types(op, {(dtypes.qint32, dtypes.qint32), (dtypes.quint8, dtypes.quint8)})
        dtype = op.inputs[0].dtype.base_dtype
        low, high = _first(low), _first(high)
        values = np.maximum(_from_quantized(q, dtype), _float_to_value(0.0, dtype, low, high))
        if top is not None:
            values = np.minimum(values, _float_to_value(top, dtype, low, high))
        return values.view(dtype.as_numpy_dtype), low, high

    return kernel


def _reshape_infer(inputs, attrs):
    q, shape, *ranges = inputs
    _scalars_checked("QuantizedReshape", ranges)
    (out,) = get_op_def("Reshape").infer([q, shape], {})
    return [out, (dtypes.float32, _SCALAR), (dtypes.float32, _SCALAR)]


def _reshape_kernel(ctx, op, q, shape, low, high):
    out = get_op_def("Reshape").kernel(ctx, op, q, shape)
    return out, _first(low), _first(high)


register_op("RequantizationRange", _range_infer, kernel=_range_kernel, grad=no_gradient)
register_op("Requantize", _requantized_infer("Requantize"), kernel=_requantize_kernel,
            grad=no_gradient)  # fmt: skip
register_op("QuantizeDownAndShrinkRange", _requantized_infer("QuantizeDownAndShrinkRange"),
            kernel=_shrink_kernel, grad=no_gradient)  # fmt: skip
register_op("QuantizedRelu", _requantized_infer("QuantizedRelu"), kernel=_relu_kernel(None),
            grad=no_gradient)  # fmt: skip
register_op("QuantizedRelu6", _requantized_infer("QuantizedRelu6"), kernel=_relu_kernel(6.0),
            grad=no_gradient)  # fmt: skip
register_op("QuantizedReshape", _reshape_infer, kernel=_reshape_kernel, grad=no_gradient)
