"""``QuantizeV2``, ``Dequantize`` and ``QuantizedConcat`` (``tf.quantization.quantize``,
``dequantize``, ``quantized_concat``; also at the top level with ``tf.quantize_v2``): floats
to TF's quantized types (``quint8``, ``qint8``, ``quint16``, ``qint16``, ``qint32``) and back,
in TF's three modes (``MIN_COMBINED``, ``MIN_FIRST``, ``SCALED``), per tensor or per slice
along ``axis``.

The kernels repeat the float32 steps of TF's reference (Eigen) CPU kernels, rounding and
overflow included (a ``qint32`` value that rounds past the top wraps to its lowest, as TF's
float-to-int cast does on x86), so values agree bit for bit; TF's oneDNN build may rewrite
``QuantizeV2`` to kernels of its own. TF registers no gradient for these ops.
"""

from __future__ import annotations

from collections import namedtuple

import numpy as np

from scopeflow.framework import dtypes, errors, tensor_shape, undo
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.registry import get_op_def, register_op
from scopeflow.ops.core.infer import apply_op, check_dtype_in, check_list_dtype, no_gradient

__all__ = ["dequantize", "quantize", "quantize_v2", "quantized_concat"]

QuantizeV2 = namedtuple("QuantizeV2", ["output", "output_min", "output_max"])
QuantizedConcat = namedtuple("QuantizedConcat", ["output", "output_min", "output_max"])

_F32 = np.float32
_QUANTIZED = (dtypes.qint8, dtypes.quint8, dtypes.qint32, dtypes.qint16, dtypes.quint16)
_MODES = ("MIN_COMBINED", "MIN_FIRST", "SCALED")
_ROUND_MODES = ("HALF_AWAY_FROM_ZERO", "HALF_TO_EVEN")
_INT32_TOP = 2.0**31


def _limits(dtype) -> tuple[int, int, np.dtype]:
    """(lowest, highest, the NumPy integer type) of a quantized dtype."""
    base = dtype.as_numpy_dtype.fields[dtype.name][0]
    info = np.iinfo(base)
    return int(info.min), int(info.max), base


def _round_away(x):
    """C's ``round`` in float32: halves away from zero, exactly."""
    whole = np.trunc(x)
    return (whole + np.where(np.abs(x - whole) >= 0.5, np.sign(x), 0)).astype(_F32)


def _to_quantized(values, dtype) -> np.ndarray:
    """Float32 values to ``dtype`` as C's cast does (truncation; past int32, its lowest)."""
    _, _, base = _limits(dtype)
    values = np.asarray(values, _F32)
    if base == np.int32:
        values = np.where((values >= _INT32_TOP) | (values < -_INT32_TOP), -_INT32_TOP, values)
    return np.trunc(values).astype(np.int64).astype(base).view(dtype.as_numpy_dtype)


def _ftz(value) -> np.float32:
    """A float32 flushed to zero when subnormal, as TF's CPU kernels run (FTZ/DAZ)."""
    value = _F32(value)
    return _F32(0) if abs(value) < np.finfo(_F32).tiny else value


def _from_quantized(q, dtype) -> np.ndarray:
    _, _, base = _limits(dtype)
    return np.asarray(q).view(base)


def _adjusted_range(op, low, high) -> tuple[np.float32, np.float32]:
    """TF's range for quantizing: it includes zero and spans at least
    ``ensure_minimum_range`` times the larger bound (at least 1)."""
    low, high = _F32(low), _F32(high)
    if high < low:
        raise ValueError("input_max_range must be larger than input_min_range.")
    min_range = min(_F32(0), low)
    larger = max(_F32(1), max(abs(low), abs(high)))
    epsilon = _F32(larger * _F32(op._attrs["ensure_minimum_range"]))
    return min_range, max(_F32(0), max(high, _F32(min_range + epsilon)))


def _scaled_factor(dtype, low, high, narrow: bool):
    """SCALED mode's scale and the smallest quantized value used."""
    lowest, highest, _ = _limits(dtype)
    min_out = lowest + (1 if narrow else 0)
    from_min = _F32(_F32(min_out) / low) if _F32(min_out) * low > 0 else _F32(np.finfo(_F32).max)
    from_max = _F32(_F32(highest) / high) if _F32(highest) * high > 0 else _F32(np.finfo(_F32).max)
    return min(from_min, from_max), min_out


def _quantize_slice(op, x, low, high):
    """MIN_COMBINED or SCALED quantization of ``x`` -> (values, output_min, output_max)."""
    dtype, mode = op._attrs["T"], op._attrs["mode"]
    lowest, highest, _ = _limits(dtype)
    min_range, max_range = _adjusted_range(op, low, high)
    if mode == "MIN_COMBINED":
        scale = _F32((float(highest) - float(lowest)) / float(max_range - min_range))
        shifted = (np.clip(x, min_range, max_range) - min_range).astype(_F32) * scale
        if lowest < 0:
            half_range = _F32((float(highest) - float(lowest) + 1) / 2.0)
            return _to_quantized(_round_away(shifted - half_range), dtype), min_range, max_range
        return _to_quantized(shifted + _F32(0.5), dtype), min_range, max_range
    scale, min_out = _scaled_factor(dtype, min_range, max_range, op._attrs["narrow_range"])
    min_range, max_range = _ftz(_F32(min_out) / scale), _ftz(_F32(highest) / scale)
    scaled = np.clip(x, min_range, max_range).astype(_F32) * scale
    rounded = np.rint(scaled) if op._attrs["round_mode"] == "HALF_TO_EVEN" else _round_away(scaled)
    return _to_quantized(rounded, dtype), min_range, max_range


def _float_to_quantized(x, dtype, low, high):
    """TF's ``QUANTIZE_WITH_EIGEN``: MIN_FIRST quantization (round, then shift by the rounded
    minimum), clamped to ``dtype``."""
    lowest, highest, base = _limits(dtype)
    steps = float(2 ** (8 * np.dtype(base).itemsize))
    scale = _F32(0.0 if high == low else (steps - 1.0) / float(_F32(high - low)))
    min_scaled = _round_away(_F32(low * scale))
    shifted = _round_away(np.asarray(x, _F32) * scale) - _F32(min_scaled - _F32(lowest))
    # TF's bounds: a float that converts back into int32 (2147483520, not 2**31 - 1).
    bounds = max(_F32(lowest), _F32(-_INT32_TOP)), min(_F32(highest), _F32(2147483520.0))
    clamped = np.clip(shifted, *bounds)
    return _to_quantized(clamped, dtype)


def _quantized_to_float(q, dtype, low, high):
    """TF's ``DEQUANTIZE_WITH_EIGEN``: MIN_FIRST dequantization, in float32."""
    lowest, _, base = _limits(dtype)
    steps = float(2 ** (8 * np.dtype(base).itemsize))
    scale = _F32(float(_F32(high - low)) / (steps - 1.0))
    min_rounded = low if high == low else _F32(_round_away(_F32(low / scale)) * scale)
    offset = _F32(min_rounded - _F32(_F32(lowest) * scale))
    return offset + _from_quantized(q, dtype).astype(_F32) * scale


def _slices(op, x, low, high, what: str):
    """Per-slice ranges along ``axis`` (``axis=-1``: the whole tensor, scalar ranges)."""
    axis = op._attrs["axis"]
    if axis == -1:
        return None
    if axis >= np.ndim(x):
        raise ValueError(f"Axis must be less than input dimension({np.ndim(x)}), got {axis}")
    if op._attrs["mode"] == "MIN_FIRST":
        raise errors.UnimplementedError(
            None, op, f"MIN_FIRST mode is not implemented for {what} with axis != -1."
        )
    n = x.shape[axis]
    for name, r in (("input_min_tensor", low), ("input_max_tensor", high)):
        if np.size(r) != n:
            raise ValueError(
                f"{name} must have as many elements as input on the dequantization axis "
                f"({axis}), got {np.size(r)}, expected {n}"
            )
    return axis, n


def _quantize_v2_kernel(ctx, op, x, low, high):
    if op._attrs["round_mode"] == "HALF_TO_EVEN" and op._attrs["mode"] != "SCALED":
        raise ValueError(
            "Round mode 'HALF_TO_EVEN' only supported for mode 'SCALED', but mode is "
            f"'{op._attrs['mode']}'."
        )
    per_slice = _slices(op, x, low, high, "Quantize")
    if per_slice is None:
        low, high = np.reshape(low, -1)[0], np.reshape(high, -1)[0]
        if op._attrs["mode"] == "MIN_FIRST":
            min_range, max_range = _adjusted_range(op, low, high)
            out = _float_to_quantized(x, op._attrs["T"], min_range, max_range)
            return out, _F32(min_range), _F32(max_range)
        out, min_range, max_range = _quantize_slice(op, x, low, high)
        return out, _F32(min_range), _F32(max_range)
    axis, n = per_slice
    out = np.empty(x.shape, op._attrs["T"].as_numpy_dtype)
    mins, maxes = np.empty(n, _F32), np.empty(n, _F32)
    for i in range(n):
        index = (slice(None),) * axis + (i,)
        out[index], mins[i], maxes[i] = _quantize_slice(op, x[index], low[i], high[i])
    return out, mins, maxes


def _dequantize_slice(op, q, low, high):
    # The input's dtype (``T`` is inferred from it: tf.raw_ops leaves it out of the attrs).
    dtype, mode = op.inputs[0].dtype.base_dtype, op._attrs["mode"]
    lowest, highest, _ = _limits(dtype)
    low, high = _F32(low), _F32(high)
    values = _from_quantized(q, dtype)
    if mode == "MIN_COMBINED":
        half_range = _F32(0) if lowest == 0 else _F32((_F32(highest) - _F32(lowest) + 1) / 2)
        scale = _F32(_F32(high - low) / _F32(_F32(highest) - _F32(lowest)))
        return ((values.astype(_F32) + half_range) * scale + low).astype(_F32)
    if mode == "MIN_FIRST":
        return _quantized_to_float(q, dtype, low, high)
    min_out = lowest + (1 if op._attrs["narrow_range"] else 0)
    top = _F32(high / _F32(highest))
    scale = top if lowest == 0 else max(_F32(low / _F32(min_out)), top)
    as_float = values.astype(_F32)
    if dtype == dtypes.qint32:  # TF goes through int from float: 2**31 wraps to the lowest
        as_float = np.where(as_float >= _INT32_TOP, -_INT32_TOP, as_float).astype(_F32)
    return (as_float * scale).astype(_F32)


def _dequantize_kernel(ctx, op, q, low, high):
    out_dtype = op._attrs["dtype"]
    if out_dtype == dtypes.bfloat16 and op._attrs["mode"] != "MIN_COMBINED":
        raise ValueError(
            "When output type is bfloat16, Mode string must be 'MIN_COMBINED', is "
            f"'{op._attrs['mode']}'"
        )
    per_slice = _slices(op, q, low, high, "Dequantize")
    if per_slice is None:
        out = _dequantize_slice(op, q, np.reshape(low, -1)[0], np.reshape(high, -1)[0])
    else:
        axis, n = per_slice
        out = np.empty(q.shape, _F32)
        for i in range(n):
            index = (slice(None),) * axis + (i,)
            out[index] = _dequantize_slice(op, q[index], low[i], high[i])
    return out.astype(out_dtype.as_numpy_dtype)


def _check_round_mode(attrs) -> None:
    if attrs["mode"] not in _MODES:
        raise ValueError(
            f"Attr 'mode' of 'QuantizeV2' Op passed string '{attrs['mode']}' not in: "
            '"MIN_COMBINED", "MIN_FIRST", "SCALED".'
        )
    if attrs["round_mode"] not in _ROUND_MODES:
        raise ValueError(
            f"Attr 'round_mode' of 'QuantizeV2' Op passed string '{attrs['round_mode']}' not "
            'in: "HALF_AWAY_FROM_ZERO", "HALF_TO_EVEN".'
        )


def _range_shape(x, low, high, axis: int, op_type: str = "QuantizeV2"):
    """TF's checks of the range inputs' shapes; the shape of the output ranges."""
    if axis < -1:
        raise ValueError(f"axis should be at least -1, got {axis}")
    rank = x.shape.ndims
    if op_type == "Dequantize" and axis != -1 and axis >= (-1 if rank is None else rank):
        # TF compares with the rank, -1 when unknown.
        raise ValueError(
            f"Axis must be less than input dimension({-1 if rank is None else rank}), got {axis}"
        )
    if axis == -1:
        for r in (low, high):
            if r.shape.ndims not in (None, 0):
                raise ValueError(f"Shape must be rank 0 but is rank {r.shape.ndims}")
        return tensor_shape.TensorShape([])
    if x.shape.ndims is not None and x.shape.ndims <= axis:
        raise ValueError(f"Shape must be at least rank {axis + 1} but is rank {x.shape.ndims}")
    size = x.shape[axis].value if x.shape.ndims is not None else None
    for r in (low, high):
        if r.shape.ndims not in (None, 1):
            raise ValueError(f"Shape must be rank 1 but is rank {r.shape.ndims}")
        got = r.shape[0].value if r.shape.ndims else None
        if size is not None and got is not None and got != size:
            raise ValueError(f"Dimensions must be equal, but are {got} and {size}")
        size = got if size is None else size
    return tensor_shape.TensorShape([size])


def _quantize_v2_infer(inputs, attrs):
    x, low, high = inputs
    if x.dtype.base_dtype != dtypes.float32:
        raise TypeError(
            f"Input 'input' of 'QuantizeV2' Op has type {x.dtype.base_dtype.name} that does "
            "not match expected type of float32."
        )
    _check_round_mode(attrs)
    ranges = _range_shape(x, low, high, attrs["axis"])
    return [(attrs["T"], x.shape), (dtypes.float32, ranges), (dtypes.float32, ranges)]


def _dequantize_infer(inputs, attrs):
    x, low, high = inputs
    check_dtype_in("Dequantize", "input", x, _QUANTIZED)
    _range_shape(x, low, high, attrs["axis"], "Dequantize")
    return [(attrs["dtype"], x.shape)]


def _quantized_concat_infer(inputs, attrs):
    n = (len(inputs) - 1) // 3
    axis_t, values = inputs[0], inputs[1 : n + 1]
    check_list_dtype("QuantizedConcat", "values", values)
    for r in inputs[n + 1 :]:
        if r.shape.ndims not in (None, 0):
            raise ValueError(f"Shape must be rank 0 but is rank {r.shape.ndims}")
    if axis_t.dtype.base_dtype != dtypes.int32:
        raise TypeError(
            f"Input 'concat_dim' of 'QuantizedConcat' Op has type {axis_t.dtype.base_dtype.name}"
            " that does not match expected type of int32."
        )
    (out,) = get_op_def("ConcatV2").infer([*values, axis_t], {})
    scalar = tensor_shape.TensorShape([])
    return [out, (dtypes.float32, scalar), (dtypes.float32, scalar)]


def _quantized_concat_kernel(ctx, op, axis, *rest):
    n = len(rest) // 3
    values, mins, maxes = rest[:n], rest[n : 2 * n], rest[2 * n :]
    dtype = op.inputs[1].dtype.base_dtype
    if dtype not in (dtypes.quint8, dtypes.qint32):
        raise ValueError(
            "No OpKernel was registered to support Op 'QuantizedConcat' with T="
            f"{dtype.name}: TF's kernels take quint8 and qint32"
        )
    rank = np.ndim(values[0])
    axis = int(axis)
    if not 0 <= axis < rank:
        raise ValueError(
            f"ConcatOp : Expected concatenating dimensions in the range [0, {rank}), but got "
            f"{axis}"
        )
    ranges = [
        (_F32(np.reshape(lo, -1)[0]), _F32(np.reshape(hi, -1)[0]))
        for lo, hi in zip(mins, maxes, strict=True)
    ]
    out_min, out_max = min(r[0] for r in ranges), max(r[1] for r in ranges)
    if _limits(dtype)[0] < 0:
        largest = max(abs(out_min), abs(out_max))
        out_min, out_max = -largest, largest
    parts = []
    for v, (lo, hi) in zip(values, ranges, strict=True):
        if (lo, hi) == (out_min, out_max):
            parts.append(v)
        else:
            as_float = _quantized_to_float(v, dtype, lo, hi)
            parts.append(_float_to_quantized(as_float, dtype, out_min, out_max))
    return np.concatenate(parts, axis=axis), _F32(out_min), _F32(out_max)


register_op("QuantizeV2", _quantize_v2_infer, kernel=_quantize_v2_kernel, grad=no_gradient)
register_op("Dequantize", _dequantize_infer, kernel=_dequantize_kernel, grad=no_gradient)
register_op(
    "QuantizedConcat", _quantized_concat_infer, kernel=_quantized_concat_kernel, grad=no_gradient
)


def _axis_attr(input, axis) -> int:  # noqa: A002 - TF's argument name
    """TF's wrappers: ``None`` is the whole tensor (-1); a negative axis counts from the end."""
    if axis is None:
        return -1
    if axis < 0:
        rank = input.shape.ndims
        if rank is None:
            raise ValueError("input should have known rank to use negative axis.")
        axis %= rank
    return int(axis)


@undo.atomic
def quantize_v2(
    input,  # noqa: A002 - TF's argument name
    min_range,
    max_range,
    T,  # noqa: N803 - TF's argument name
    mode="MIN_COMBINED",
    name=None,
    round_mode="HALF_AWAY_FROM_ZERO",
    narrow_range=False,
    axis=None,
    ensure_minimum_range=0.01,
):
    """Float32 ``input`` quantized to ``T`` over ``[min_range, max_range]`` (one
    ``QuantizeV2`` op): ``(output, output_min, output_max)``, the range TF actually used.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     q = tf.quantization.quantize([-1.5, 0.0, 1.0, 6.0], -1.5, 6.0, tf.quint8)
    ...     out, low, high = tf.Session().run(q)
    ...     print(out.view("uint8"), low, high)
    [  0  51  85 255] -1.5 6.0
    """
    T = dtypes.as_dtype(T)  # noqa: N806
    if T not in _QUANTIZED:
        raise TypeError(
            f"Value passed to parameter 'T' has DataType {T.name} not in list of allowed "
            "values: qint8, quint8, qint32, qint16, quint16"
        )
    with name_scope(name, "QuantizeV2", [input, min_range, max_range]) as scope:
        x = convert_to_tensor(input, dtype_hint=dtypes.float32, name="input")
        low = convert_to_tensor(min_range, dtype=dtypes.float32, name="min_range")
        high = convert_to_tensor(max_range, dtype=dtypes.float32, name="max_range")
        attrs = {
            "T": T, "mode": mode, "round_mode": round_mode, "narrow_range": bool(narrow_range),
            "axis": _axis_attr(x, axis), "ensure_minimum_range": float(ensure_minimum_range),
        }  # fmt: skip
        return QuantizeV2(*apply_op("QuantizeV2", [x, low, high], attrs, name=scope))


@undo.atomic
def quantize(
    input,  # noqa: A002 - TF's argument name
    min_range,
    max_range,
    T,  # noqa: N803 - TF's argument name
    mode="MIN_COMBINED",
    round_mode="HALF_AWAY_FROM_ZERO",
    name=None,
    narrow_range=False,
    axis=None,
    ensure_minimum_range=0.01,
):
    """``tf.quantization.quantize``: :func:`quantize_v2` with TF's argument order."""
    return quantize_v2(input, min_range, max_range, T, mode=mode, name=name,
                       round_mode=round_mode, narrow_range=narrow_range, axis=axis,
                       ensure_minimum_range=ensure_minimum_range)  # fmt: skip


@undo.atomic
def dequantize(
    input,  # noqa: A002 - TF's argument name
    min_range,
    max_range,
    mode="MIN_COMBINED",
    name=None,
    axis=None,
    narrow_range=False,
    dtype=dtypes.float32,
):
    """Quantized ``input`` back to float32 (or bfloat16) over ``[min_range, max_range]`` (one
    ``Dequantize`` op)."""
    dtype = dtypes.as_dtype(dtype)
    if dtype not in (dtypes.bfloat16, dtypes.float32):
        raise TypeError(
            f"Value passed to parameter 'dtype' has DataType {dtype.name} not in list of "
            "allowed values: bfloat16, float32"
        )
    if mode not in _MODES:
        raise ValueError(
            f"Attr 'mode' of 'Dequantize' Op passed string '{mode}' not in: "
            '"MIN_COMBINED", "MIN_FIRST", "SCALED".'
        )
    with name_scope(name, "Dequantize", [input, min_range, max_range]) as scope:
        q = convert_to_tensor(input, name="input")
        low = convert_to_tensor(min_range, dtype=dtypes.float32, name="min_range")
        high = convert_to_tensor(max_range, dtype=dtypes.float32, name="max_range")
        attrs = {
            "T": q.dtype.base_dtype, "mode": mode, "narrow_range": bool(narrow_range),
            "axis": _axis_attr(q, axis), "dtype": dtype,
        }  # fmt: skip
        return apply_op("Dequantize", [q, low, high], attrs, name=scope)


@undo.atomic
def quantized_concat(concat_dim, values, input_mins, input_maxes, name=None):
    """Quantized tensors concatenated along ``concat_dim``, each requantized into the union
    of their ranges (symmetric about zero for signed types): ``(output, output_min,
    output_max)``. TF's kernels take ``quint8`` and ``qint32``."""
    values, input_mins, input_maxes = list(values), list(input_mins), list(input_maxes)
    for arg, items in (("input_mins", input_mins), ("input_maxes", input_maxes)):
        if len(items) != len(values):
            raise ValueError(
                f"List argument '{arg}' to 'quantized_concat' Op with length {len(items)} "
                f"must match length {len(values)} of argument 'values'."
            )
    inputs = [concat_dim, *values, *input_mins, *input_maxes]
    with name_scope(name, "QuantizedConcat", inputs) as scope:
        axis = convert_to_tensor(concat_dim, dtype=dtypes.int32, name="concat_dim")
        qs = [convert_to_tensor(v, name=f"values_{i}") for i, v in enumerate(values)]
        lows = [convert_to_tensor(v, dtype=dtypes.float32, name=f"input_mins_{i}")
                for i, v in enumerate(input_mins)]  # fmt: skip
        highs = [convert_to_tensor(v, dtype=dtypes.float32, name=f"input_maxes_{i}")
                 for i, v in enumerate(input_maxes)]  # fmt: skip
        attrs = {"N": len(qs), "T": qs[0].dtype.base_dtype if qs else None}
        outs = apply_op("QuantizedConcat", [axis, *qs, *lows, *highs], attrs, name=scope)
        return QuantizedConcat(*outs)
