"""Complex numbers from and to their parts: ``Complex``, ``Real``, ``Imag``, ``Angle``
(``tf.complex``, ``tf.real``, ``tf.imag``, ``tf.angle``), with TF1's gradients. The conjugate
and the modulus (``Conj``, ``ComplexAbs``) are in elementwise.py.

As in TF1, ``tf.real`` of a real tensor is the tensor itself, ``tf.imag`` of one its
``zeros_like`` and ``tf.angle`` of one ``pi`` where it is negative, else 0.
"""

from __future__ import annotations

import numpy as np

from scopeflow.framework import dtypes, undo
from scopeflow.framework.constant import constant, convert_to_tensor
from scopeflow.framework.graph_api import control_dependencies, name_scope
from scopeflow.framework.registry import register_op
from scopeflow.ops.array.shape import ones_like, zeros_like
from scopeflow.ops.core.infer import COMPLEX, apply_op, check_dtype_in, check_same_dtype
from scopeflow.ops.math.broadcasting import broadcast, sum_to_inputs
from scopeflow.ops.math.elementwise import less, multiply, negative, reciprocal
from scopeflow.ops.math.selection import where

_PARTS = (dtypes.float32, dtypes.float64)
_COMPLEX_OF = {dtypes.float32: dtypes.complex64, dtypes.float64: dtypes.complex128}


def _complex_infer(inputs, attrs):
    dtype = check_same_dtype("Complex", ("real", "imag"), inputs)
    check_dtype_in("Complex", "real", inputs[0], _PARTS)
    return [(_COMPLEX_OF[dtype], broadcast(inputs[0].shape, inputs[1].shape))]


def _complex_kernel(ctx, op, real, imag):
    out = np.empty(np.broadcast_shapes(real.shape, imag.shape), op._attrs["Tout"].as_numpy_dtype)
    out.real, out.imag = real, imag
    return out


def _complex_grad(op, grad):
    """Each part's gradient is the matching part of ``grad``, summed over broadcast axes."""
    return sum_to_inputs(*op.inputs, real(grad), imag(grad), shapes_first=True)  # as TF


register_op("Complex", _complex_infer, kernel=_complex_kernel, grad=_complex_grad)


@undo.atomic
def complex(real, imag, name=None):  # noqa: A001 - TF1's public name
    """``real + 1j * imag`` (both ``float32`` or both ``float64``), broadcast.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     print(tf.Session().run(tf.complex([1.0, 2.0], [3.0, -1.0])))
    [1.+3.j 2.-1.j]
    """
    real = convert_to_tensor(real, name="real")
    imag = convert_to_tensor(imag, name="imag")
    with name_scope(name, "Complex", [real, imag]) as scope:
        kinds = (real.dtype.base_dtype, imag.dtype.base_dtype)
        if kinds[0] != kinds[1] or kinds[0] not in _PARTS:
            raise TypeError(
                f"The `real` and `imag` components have incorrect types: {kinds[0].name} "
                f"{kinds[1].name}. They must be consistent, and one of [tf.float32, tf.float64]"
            )
        return apply_op("Complex", [real, imag], {"Tout": _COMPLEX_OF[kinds[0]]}, name=scope)


def _part_infer(op_type: str):
    def infer(inputs, attrs):
        check_dtype_in(op_type, "input", inputs[0], COMPLEX)
        return [(attrs["Tout"], inputs[0].shape)]

    return infer


def _real_grad(op, grad):
    return complex(grad, constant(0, dtype=grad.dtype.base_dtype))


def _imag_grad(op, grad):
    return complex(constant(0, dtype=grad.dtype.base_dtype), grad)


def _angle_grad(op, grad):
    """TF1's: ``-grad / (imag(x) + 1j * real(x))``, after ``grad`` is computed."""
    x = op.inputs[0]
    with control_dependencies([grad]):
        z = reciprocal(complex(imag(x), real(x)))
        complex_grad = complex(grad, constant(0, dtype=grad.dtype.base_dtype))
        return multiply(negative(complex_grad), z)


# An IndexedSlices gradient is made dense as the complex's part (Real_grad/real), as TF's.
register_op(
    "Real",
    _part_infer("Real"),
    kernel=lambda ctx, op, x: np.real(x).copy(),
    grad=_real_grad,
    grad_takes_indexed_slices=True,
)
register_op(
    "Imag",
    _part_infer("Imag"),
    kernel=lambda ctx, op, x: np.imag(x).copy(),
    grad=_imag_grad,
    grad_takes_indexed_slices=True,
)
register_op("Angle", _part_infer("Angle"), kernel=lambda ctx, op, x: np.angle(x), grad=_angle_grad)


@undo.atomic
def real(input, name=None):  # noqa: A002 - TF1's argument name
    """The real part of a complex tensor (``Real``); a real tensor is returned as it is.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     print(tf.Session().run(tf.real([1 + 2j, -3j])))
    [ 1. -0.]
    """
    with name_scope(name, "Real", [input]) as scope:
        x = convert_to_tensor(input, name="input")
        dtype = x.dtype.base_dtype
        if dtype.is_complex:
            return apply_op("Real", [x], {"Tout": dtype.real_dtype}, name=scope)
        if dtype.is_floating or dtype.is_integer:
            return x
        raise TypeError(
            f"input must be a numeric tensor, but got tensor with dtype <dtype: '{dtype.name}'>"
        )


@undo.atomic
def imag(input, name=None):  # noqa: A002 - TF1's argument name
    """The imaginary part of a complex tensor (``Imag``); zeros for a real tensor."""
    with name_scope(name, "Imag", [input]) as scope:
        x = convert_to_tensor(input, name="input")
        dtype = x.dtype.base_dtype
        if dtype.is_complex:
            return apply_op("Imag", [x], {"Tout": dtype.real_dtype}, name=scope)
        return zeros_like(x)


@undo.atomic
def angle(input, name=None):  # noqa: A002 - TF1's argument name
    """The argument ``atan2(imag, real)`` of a complex tensor (``Angle``); for a real tensor,
    ``pi`` where it is negative, else 0."""
    with name_scope(name, "Angle", [input]) as scope:
        x = convert_to_tensor(input, name="input")
        dtype = x.dtype.base_dtype
        if dtype.is_complex:
            return apply_op("Angle", [x], {"Tout": dtype.real_dtype}, name=scope)
        return where(less(x, 0), np.pi * ones_like(x), zeros_like(x))


# The names ``import scopeflow as tf`` exports from this module.
__all__ = ["angle", "complex", "imag", "real"]
