"""Division as TF1's Python API does it: ``truediv`` (``/``: integers cast to a float type
first), ``divide`` and ``div_no_nan`` (``DivNoNan``: 0 wherever the divisor is 0)."""

from __future__ import annotations

import numpy as np

from scopeflow.framework import dtypes, undo
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.registry import register_op
from scopeflow.ops.array.cast import cast
from scopeflow.ops.core.infer import NUMBERS, apply_op, name_public_functions
from scopeflow.ops.math.broadcasting import sum_to_inputs
from scopeflow.ops.math.elementwise import INEXACT, binary_infer, conj
from scopeflow.ops.math.ufunc_kernels import binary_kernel

_FLOAT_FOR_INT = {
    dtypes.int8: dtypes.float32,
    dtypes.uint8: dtypes.float32,
    dtypes.int16: dtypes.float32,
    dtypes.uint16: dtypes.float32,
    dtypes.int32: dtypes.float64,
    dtypes.uint32: dtypes.float64,
    dtypes.int64: dtypes.float64,
    dtypes.uint64: dtypes.float64,
}


def _float_operands(op_name: str, x, y):
    """``x`` and ``y`` as tensors of one dtype, integers cast to a float type (``truediv``,
    ``div_no_nan``)."""
    x = convert_to_tensor(x, name="x")
    y = convert_to_tensor(y, dtype_hint=x.dtype.base_dtype, name="y")
    x_dtype, y_dtype = x.dtype.base_dtype, y.dtype.base_dtype
    if x_dtype != y_dtype:
        raise TypeError(f"`x` and `y` must have the same dtype, got {x_dtype!r} != {y_dtype!r}.")
    if x_dtype not in NUMBERS:
        raise TypeError(f"Invalid dtype {x_dtype!r} in {op_name}: division needs a numeric dtype.")
    float_type = _FLOAT_FOR_INT.get(x_dtype)
    if float_type is not None:
        x, y = cast(x, float_type), cast(y, float_type)
    return x, y


@undo.atomic
def truediv(x, y, name=None):
    """Python 3 division: integer inputs are cast to a float type first, as TF1 does.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     i = tf.placeholder(tf.int32, [2])
    ...     q = i / i
    >>> q.op.type, q.dtype.name, [t.op.name for t in q.op.inputs]
    ('RealDiv', 'float64', ['truediv/Cast', 'truediv/Cast_1'])
    """
    with name_scope(name, "truediv", [x, y]) as scope:
        x, y = _float_operands("__truediv__", x, y)
        return apply_op("RealDiv", [x, y], name=scope)


def divide(x, y, name=None):
    """``x / y`` (TF1 names the op ``truediv`` unless ``name`` is given)."""
    return truediv(x, y, name=name)


def _div_no_nan(x, y):
    return np.where(y == 0, np.zeros((), x.dtype), np.true_divide(x, y))


def _div_no_nan_grad(op, grad):
    x, y = (conj(t) for t in op.inputs)
    gx = div_no_nan(grad, y)
    gy = grad * div_no_nan(div_no_nan(-x, y), y)
    return sum_to_inputs(*op.inputs, gx, gy, shapes_first=True)


register_op(
    "DivNoNan",
    binary_infer("DivNoNan", INEXACT, out_bool=False),
    kernel=binary_kernel(_div_no_nan, quiet=True),
    grad=_div_no_nan_grad,
    grad_takes_indexed_slices=True,  # made dense where each op uses it, as TF
)


@undo.atomic
def div_no_nan(x, y, name=None):
    """``x / y``, but 0 wherever ``y`` is 0 (even for ``x`` nan); integers are cast to a float
    type first, as in ``truediv``."""
    with name_scope(name, "div_no_nan", [x, y]) as scope:
        x, y = _float_operands("tf.math.divide_no_nan", x, y)
        return apply_op("DivNoNan", [x, y], name=scope)


# The names ``import scopeflow as tf`` exports from this module.
__all__ = ["div_no_nan", "divide", "truediv"]

name_public_functions(globals(), __all__)
