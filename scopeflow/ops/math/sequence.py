"""Sequences of numbers: ``range`` and ``sequence_mask``."""

from __future__ import annotations

import numpy as np

from scopeflow.framework import dtypes, tensor_shape, undo
from scopeflow.framework.constant import constant, convert_to_tensor
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.registry import NOT_DIFFERENTIABLE, register_op
from scopeflow.framework.tensor import Tensor
from scopeflow.ops.array.cast import cast
from scopeflow.ops.array.shape import expand_dims, rank
from scopeflow.ops.core.infer import apply_op, check_dtype_in, check_same_dtype, constant_value
from scopeflow.ops.math.elementwise import maximum

TensorShape = tensor_shape.TensorShape

_RANGE_TYPES = (
    dtypes.bfloat16,
    dtypes.float16,
    dtypes.float32,
    dtypes.float64,
    dtypes.int8,
    dtypes.int16,
    dtypes.int32,
    dtypes.int64,
    dtypes.uint16,
    dtypes.uint32,
)
# The order in which ``tf.range`` promotes its arguments' dtypes, lowest first.
_RANGE_PROMOTION = (
    dtypes.int32,
    dtypes.int64,
    dtypes.float16,
    dtypes.bfloat16,
    dtypes.float32,
    dtypes.float64,
)


def _range_size(start, limit, delta) -> int:
    """The number of elements of ``range(start, limit, delta)`` (NumPy scalars of one dtype),
    computed in that dtype as TF does, with TF's errors."""
    if delta == 0:
        raise ValueError(f"Requires delta != 0: {delta}")
    if delta > 0 and start > limit:
        raise ValueError(f"Requires start <= limit when delta > 0: {start}/{limit}")
    if delta < 0 and start < limit:
        raise ValueError(f"Requires start >= limit when delta < 0: {start}/{limit}")
    if np.issubdtype(np.asarray(delta).dtype, np.integer):
        return int((abs(int(limit) - int(start)) + abs(int(delta)) - 1) // abs(int(delta)))
    return int(np.ceil(np.abs((limit - start) / delta)))


def _known_value(t):
    """``constant_value`` that also sees through ``tf.range``'s casts of constants."""
    if t.op.type == "Cast":
        value = constant_value(t.op.inputs[0])
        return None if value is None else np.asarray(value).astype(t.dtype.as_numpy_dtype)
    return constant_value(t)


def _range_infer(inputs, attrs):
    check_same_dtype("Range", ("start", "limit", "delta"), inputs)
    dtype = check_dtype_in("Range", "start", inputs[0], _RANGE_TYPES)
    for arg, t in zip(("start", "limit", "delta"), inputs, strict=True):
        if t.shape.ndims not in (None, 0):
            raise ValueError(f"Shape must be rank 0 but is rank {t.shape.ndims}\n\t for '{arg}'")
    values = [_known_value(t) for t in inputs]
    if values[2] is not None and values[2] == 0:  # (the shape function names no value)
        raise ValueError("Requires delta != 0")
    if any(v is None for v in values):
        return [(dtype, TensorShape([None]))]
    return [(dtype, TensorShape([_range_size(*values)]))]


def _range_kernel(ctx, op, start, limit, delta):
    # ``start + i * delta`` rounded in the output dtype at each step, as TF's kernel computes it.
    n = _range_size(start, limit, delta)
    return ctx.xp.arange(n, dtype=start.dtype) * delta + start


register_op("Range", _range_infer, kernel=_range_kernel, grad=NOT_DIFFERENTIABLE)


@undo.atomic
def range(start, limit=None, delta=1, dtype=None, name="range"):  # noqa: A001 - TF1's name
    """The numbers from ``start`` up to (not including) ``limit`` in steps of ``delta``;
    ``range(n)`` counts from 0.

    Without ``dtype`` the widest argument type wins (Python ints give int32, any float gives
    float32), and the others are cast to it.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     r = tf.range(1, 5.0, 2)
    >>> r.dtype.name, r.shape.as_list()
    ('float32', [2])
    """
    if limit is None:
        start, limit = 0, start
    with name_scope(name, "Range", [start, limit, delta]) as scope:
        args = []
        for arg, value in (("start", start), ("limit", limit), ("delta", delta)):
            if not isinstance(value, Tensor):
                value = convert_to_tensor(value, dtype=dtype, name=arg)
            args.append(value)
        if dtype is None:
            kinds = [t.dtype.base_dtype for t in args]
            for kind in kinds:
                if kind not in _RANGE_PROMOTION:
                    names = ", ".join(d.name for d in _RANGE_PROMOTION)
                    raise TypeError(f"tf.range arguments must be one of {names}, got {kind.name}")
            dtype = max(kinds, key=_RANGE_PROMOTION.index)
        args = [cast(t, dtype) for t in args]
        return apply_op("Range", args, {"Tidx": dtypes.as_dtype(dtype).base_dtype}, name=scope)


@undo.atomic
def sequence_mask(lengths, maxlen=None, dtype=dtypes.bool, name=None):
    """``mask[..., j] = j < lengths[...]`` for ``j`` in ``[0, maxlen)``; ``maxlen`` defaults to
    the largest length.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     m = tf.sequence_mask(tf.placeholder(tf.int32, (None,)), 5)
    >>> m.dtype.name, m.shape.as_list()
    ('bool', [None, 5])
    """
    with name_scope(name, "SequenceMask", [lengths, maxlen]):
        lengths = convert_to_tensor(lengths)
        if maxlen is None:
            if lengths.shape.ndims is None:
                axes = range(0, rank(lengths))
            else:
                axes = constant(np.arange(lengths.shape.ndims, dtype=np.int32))
            longest = apply_op("Max", [lengths, axes], {"keep_dims": False}, name="Max")
            maxlen = maximum(constant(0, dtype=longest.dtype), longest)
        else:
            maxlen = convert_to_tensor(maxlen)
        if maxlen.shape.ndims not in (None, 0):
            raise ValueError(
                "Argument `maxlen` must be scalar for sequence_mask, received `maxlen` = "
                f"{maxlen} with shape '{maxlen.shape}' instead"
            )
        kind = maxlen.dtype.base_dtype
        row = apply_op(
            "Range",
            [constant(0, dtype=kind), maxlen, constant(1, dtype=kind)],
            {"Tidx": kind},
            name="Range",
        )
        column = expand_dims(lengths, -1)
        column = apply_op(
            "Cast", [column], {"SrcT": column.dtype.base_dtype, "DstT": kind}, name="Cast"
        )
        result = row < column
        dtype = dtypes.as_dtype(dtype).base_dtype if dtype is not None else None
        if dtype is None or dtype == dtypes.bool:
            return result
        return apply_op("Cast", [result], {"SrcT": dtypes.bool, "DstT": dtype}, name="Cast")


# The names ``import scopeflow as tf`` exports from this module.
__all__ = [
    "range",
    "sequence_mask",
]
