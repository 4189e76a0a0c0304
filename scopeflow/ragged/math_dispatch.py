"""TF's element-wise math functions taking ``RaggedTensor``s as its dispatch does: the op on
the flat values, the result with the ragged argument's row partition (``tf.math.log(rt)``,
``tf.cast(rt, tf.float32)``, ``tf.add(rt1, rt2)``...). Ragged operands must share their row
partition (checked at run time unless their splits are the same tensors); a dense operand must
broadcast against the flat values (a scalar, or a value over the inner uniform dimensions).
Dense arguments go to the dense functions unchanged; the public names are these wrappers."""

from __future__ import annotations

import functools

from scopeflow.ops.array import basic, cast, shape
from scopeflow.ops.math import composite, deprecated, division, elementwise, special, trig
from scopeflow.ragged.functions import map_flat_values
from scopeflow.ragged.operators import dense_operand
from scopeflow.ragged.tensor import RaggedTensor

UNARY = {
    elementwise: "abs ceil cos exp floor log log1p negative reciprocal round rsqrt sigmoid sign "
    "sin sqrt square tanh is_nan is_inf is_finite logical_not",
    trig: "acos asin atan cosh expm1 rint sinh tan",
    composite: "log_sigmoid saturate_cast",
    special: "erf",
    cast: "cast",
    shape: "ones_like zeros_like",
    basic: "identity",
    deprecated: "to_float to_int32 to_int64",
}
BINARY = {
    elementwise: "add subtract multiply floordiv floormod pow maximum minimum equal not_equal "
    "less less_equal greater greater_equal logical_and logical_or logical_xor "
    "squared_difference",
    trig: "atan2",
    division: "divide truediv",
    deprecated: "div",
}


def _unary(fn):
    @functools.wraps(fn)
    def dispatch(x, *args, **kwargs):
        if isinstance(x, RaggedTensor):
            return x.with_flat_values(fn(x.flat_values, *args, **kwargs))
        return fn(x, *args, **kwargs)

    return dispatch


def _binary(fn):
    @functools.wraps(fn)
    def dispatch(x, y, *args, **kwargs):
        x_ragged, y_ragged = isinstance(x, RaggedTensor), isinstance(y, RaggedTensor)
        if not (x_ragged or y_ragged):
            return fn(x, y, *args, **kwargs)
        if not x_ragged:
            x = dense_operand(y, x)
        if not y_ragged:
            y = dense_operand(x, y)
        return map_flat_values(lambda a, b: fn(a, b, *args, **kwargs), x, y)

    return dispatch


def _wrapped(table, wrap) -> dict:
    return {
        name: wrap(getattr(module, name))
        for module, names in table.items()
        for name in names.split()
    }


globals().update(_wrapped(UNARY, _unary))
globals().update(_wrapped(BINARY, _binary))
mod = floormod  # noqa: F821 - defined just above, TF's alias

__all__ = sorted([*(n for v in UNARY.values() for n in v.split()),
                  *(n for v in BINARY.values() for n in v.split()), "mod"])  # fmt: skip
