"""Helpers shared by the linear operators: argument conversion, batch broadcasting of
matrices, solves with broadcasting, the run-time checks their ``assert_*`` methods build."""

from __future__ import annotations

import numpy as np

from scopeflow.framework import dtypes
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.tensor import Tensor
from scopeflow.framework.tensor_shape import TensorShape
from scopeflow.ops.array.basic import shape
from scopeflow.ops.array.join import concat
from scopeflow.ops.control.assertions import assert_equal, assert_less
from scopeflow.ops.control.grouping import no_op
from scopeflow.ops.core.static_value import get_static_value
from scopeflow.ops.math.broadcasting import broadcast_dynamic_shape, broadcast_to
from scopeflow.ops.math.complex import imag
from scopeflow.ops.math.elementwise import abs as abs_
from scopeflow.ops.math.linalg_solve import matrix_solve

FLOATS_AND_COMPLEX = (
    dtypes.float16,
    dtypes.float32,
    dtypes.float64,
    dtypes.complex64,
    dtypes.complex128,
)


def constructor_parameters(arguments: dict) -> dict:
    """An operator's ``parameters`` as TF keeps them: its constructor's arguments by name, in
    order (``locals()`` taken as the constructor's first statement, less ``self``)."""
    return {name: value for name, value in arguments.items() if name not in ("self", "__class__")}


def square_shape(vector) -> TensorShape:
    """The static shape ``[..., n, n]`` of the operator a ``[..., n]`` vector defines."""
    return vector.shape.concatenate(vector.shape[-1:])


def square_shape_tensor(vector):
    """The dynamic shape ``[..., n, n]`` of the operator a ``[..., n]`` vector defines."""
    s = shape(vector)
    return concat([s, s[-1:]], axis=0)


def convert_arg(value, name: str, dtype=None, dtype_hint=None):
    """``value`` as a tensor, a new ``Const`` named ``name`` unless it is one already."""
    return convert_to_tensor(value, dtype=dtype, dtype_hint=dtype_hint, name=name)


def dtype_list(allowed) -> str:
    return "[" + ", ".join(f"tf.{d.name}" for d in allowed) + "]"


def check_dtype(value, arg: str, allowed=FLOATS_AND_COMPLEX) -> None:
    """TF's TypeError for an argument whose dtype the operator does not take."""
    if value.dtype.base_dtype not in allowed:
        raise TypeError(
            f"Argument `{arg}` must have dtype in {dtype_list(allowed)}. "
            f"Received: {value.dtype.base_dtype!r}."
        )


def static_value(value):
    """``value`` as a NumPy array when it is known while building, else None."""
    if isinstance(value, Tensor):
        return get_static_value(value)
    return np.asarray(value)


def broadcast_batch(a, b):
    """``a`` and ``b`` with their batch dimensions (all but the last two) broadcast."""
    sa, sb = a.shape, b.shape
    if sa.ndims is not None and sb.ndims is not None:
        ba, bb = sa[:-2], sb[:-2]
        if ba.is_fully_defined() and bb.is_fully_defined():
            if ba == bb:
                return a, b
            batch = _broadcast_static(ba, bb)
            if batch != ba:
                a = broadcast_to(a, batch.as_list() + sa[-2:].as_list())
            if batch != bb:
                b = broadcast_to(b, batch.as_list() + sb[-2:].as_list())
            return a, b
    batch = broadcast_dynamic_shape(shape(a)[:-2], shape(b)[:-2])
    a = broadcast_to(a, concat([batch, shape(a)[-2:]], axis=0))
    b = broadcast_to(b, concat([batch, shape(b)[-2:]], axis=0))
    return a, b


def _broadcast_static(x: TensorShape, y: TensorShape) -> TensorShape:
    return TensorShape(list(np.broadcast_shapes(tuple(x.as_list()), tuple(y.as_list()))))


def matrix_solve_with_broadcast(matrix, rhs, adjoint: bool = False, name=None):
    """``tf.linalg.solve`` after broadcasting the batch dimensions of both arguments."""
    with name_scope(name or "MatrixSolveWithBroadcast"):
        matrix, rhs = broadcast_batch(matrix, rhs)
        return matrix_solve(matrix, rhs, adjoint=adjoint)


def assert_no_entries_with_modulus_zero(
    x, message=None, name="assert_no_entries_with_modulus_zero"
):
    """An op that fails the run when an entry of ``x`` is zero."""
    with name_scope(name):
        modulus = abs_(x)
        zero = convert_to_tensor(0, dtype=modulus.dtype.base_dtype)
        return assert_less(zero, modulus, message=message)


def assert_zero_imag_part(x, message=None, name="assert_zero_imag_part"):
    """An op that fails the run when an entry of ``x`` has a non-zero imaginary part."""
    with name_scope(name):
        if not x.dtype.is_complex:
            return no_op()
        zero = convert_to_tensor(0, dtype=x.dtype.real_dtype)
        return assert_equal(zero, imag(x), message=message)


def static_or_none(dim):
    """A dimension's value (an int) or None."""
    return getattr(dim, "value", dim)
