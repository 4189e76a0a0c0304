"""TF1's deprecated spellings that real code still calls: ``tf.to_float`` and the other
``to_*`` casts (ops named ``ToFloat``...), ``tf.div`` (Python 2 division: ``FloorDiv`` for
integers, ``RealDiv`` otherwise) and ``tf.arg_max``/``tf.arg_min`` (the raw ``ArgMax``/
``ArgMin`` ops). TF 1.15's removed ``tf.mul``, ``tf.sub`` and ``tf.neg`` are not here."""

from __future__ import annotations

from scopeflow.framework import dtypes, undo
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.graph_api import name_scope
from scopeflow.ops.array.cast import cast
from scopeflow.ops.core.infer import apply_op
from scopeflow.ops.math.reduction import argmax, argmin


def to_float(x, name="ToFloat"):
    """``tf.cast(x, tf.float32)``, its op named ``ToFloat`` (TF1's deprecated spelling).

    >>> import scopeflow as tf
    >>> tf.to_float(tf.constant([1, 2])).name
    'ToFloat:0'
    """
    return cast(x, dtypes.float32, name=name)


def to_double(x, name="ToDouble"):
    """``tf.cast(x, tf.float64)``, its op named ``ToDouble``."""
    return cast(x, dtypes.float64, name=name)


def to_int32(x, name="ToInt32"):
    """``tf.cast(x, tf.int32)``, its op named ``ToInt32``."""
    return cast(x, dtypes.int32, name=name)


def to_int64(x, name="ToInt64"):
    """``tf.cast(x, tf.int64)``, its op named ``ToInt64``."""
    return cast(x, dtypes.int64, name=name)


def to_bfloat16(x, name="ToBFloat16"):
    """``tf.cast(x, tf.bfloat16)``, its op named ``ToBFloat16``."""
    return cast(x, dtypes.bfloat16, name=name)


def to_complex64(x, name="ToComplex64"):
    """``tf.cast(x, tf.complex64)``, its op named ``ToComplex64``."""
    return cast(x, dtypes.complex64, name=name)


def to_complex128(x, name="ToComplex128"):
    """``tf.cast(x, tf.complex128)``, its op named ``ToComplex128``."""
    return cast(x, dtypes.complex128, name=name)


@undo.atomic
def div(x, y, name=None):
    """Python 2's ``x / y``: ``FloorDiv`` (rounding down) for integers, ``RealDiv`` for
    floating and complex values; ``y`` is converted to ``x``'s dtype.

    >>> import scopeflow as tf
    >>> q = tf.div(tf.constant([7, -7]), 2)
    >>> q.op.type, q.op.name, tf.Session().run(q).tolist()
    ('FloorDiv', 'div', [3, -4])
    """
    with name_scope(name, "div", [x, y]) as scope:
        x = convert_to_tensor(x, name="x")
        y = convert_to_tensor(y, dtype=x.dtype.base_dtype, name="y")
        dtype = x.dtype.base_dtype
        op_type = "RealDiv" if dtype.is_floating or dtype.is_complex else "FloorDiv"
        return apply_op(op_type, [x, y], name=scope)


def arg_max(input, dimension, output_type=dtypes.int64, name=None):  # noqa: A002 - TF1's name
    """The raw ``ArgMax`` op (``tf.argmax`` with a required ``dimension``)."""
    return argmax(input, axis=dimension, output_type=output_type, name=name)


def arg_min(input, dimension, output_type=dtypes.int64, name=None):  # noqa: A002 - TF1's name
    """The raw ``ArgMin`` op (``tf.argmin`` with a required ``dimension``)."""
    return argmin(input, axis=dimension, output_type=output_type, name=name)


# The names ``import scopeflow as tf`` exports from this module.
__all__ = [
    "arg_max",
    "arg_min",
    "div",
    "to_bfloat16",
    "to_complex64",
    "to_complex128",
    "to_double",
    "to_float",
    "to_int32",
    "to_int64",
]
