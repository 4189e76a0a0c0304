"""The trigonometric and hyperbolic functions TF1 has beside ``sin``/``cos``/``tanh``
(``Tan``, ``Asin``, ``Acos``, ``Atan``, ``Sinh``, ``Cosh``, ``Asinh``, ``Acosh``, ``Atanh``),
``Expm1``, ``Rint`` (round half to even, no gradient), ``Atan2`` and ``tf.floor_div`` (the
raw ``FloorDiv`` op), with TF's gradients written as TF writes them (``math_grad.py``).

Out-of-domain inputs give ``nan`` silently (``asin(2.0)``, ``acosh(0.5)``), as in TF.
"""

from __future__ import annotations

import numpy as np

from scopeflow.framework import undo
from scopeflow.framework.constant import constant, convert_to_tensor
from scopeflow.framework.graph_api import control_dependencies, name_scope
from scopeflow.framework.registry import NOT_DIFFERENTIABLE, register_op
from scopeflow.ops.core import build
from scopeflow.ops.core.infer import (
    FLOATS,
    apply_op,
    check_dtype_in,
    check_same_dtype,
    elementwise,
)
from scopeflow.ops.math.broadcasting import broadcast, sum_to_inputs
from scopeflow.ops.math.elementwise import (
    INEXACT,
    add,
    conj,
    cos,
    exp,
    reciprocal,
    sqrt,
    square,
    subtract,
)
from scopeflow.ops.math.ufunc_kernels import binary_kernel, unary_kernel


def _register(op_type: str, allowed, fn, grad) -> None:
    register_op(
        op_type,
        elementwise(op_type, allowed),
        kernel=unary_kernel(fn, True),
        grad=grad,
        grad_takes_indexed_slices=True,  # made dense where the gradient's ops use it, as TF
    )


def _unary(op_type: str, x, name):
    """TF's generated op function: the input converted to ``<name>/x``."""
    with name_scope(name, op_type, [x]) as scope:
        return apply_op(op_type, [convert_to_tensor(x, name="x")], name=scope)


def _one(grad):
    return constant(1, dtype=grad.dtype.base_dtype)


def _tan_grad(op, grad):
    return square(reciprocal(cos(conj(op.inputs[0])))) * grad


def _inverse_sqrt_one_minus_square(op, grad):
    x2 = square(conj(op.inputs[0]))
    return reciprocal(sqrt(subtract(_one(grad), x2)))


def _asin_grad(op, grad):
    return grad * _inverse_sqrt_one_minus_square(op, grad)


def _acos_grad(op, grad):
    inv = _inverse_sqrt_one_minus_square(op, grad)
    return -grad * inv


def _atan_grad(op, grad):
    x2 = square(conj(op.inputs[0]))
    return grad * reciprocal(add(_one(grad), x2))


def _atanh_grad(op, grad):
    x2 = square(conj(op.inputs[0]))
    return grad * reciprocal(subtract(_one(grad), x2))


_register("Tan", INEXACT, np.tan, build.waits_for_grad(_tan_grad))
_register("Asin", INEXACT, np.arcsin, build.waits_for_grad(_asin_grad))
_register("Acos", INEXACT, np.arccos, build.waits_for_grad(_acos_grad))
_register("Atan", INEXACT, np.arctan, build.waits_for_grad(_atan_grad))
_register(
    "Sinh", INEXACT, np.sinh, build.waits_for_grad(lambda op, g: g * cosh(conj(op.inputs[0])))
)
_register(
    "Cosh", INEXACT, np.cosh, build.waits_for_grad(lambda op, g: g * sinh(conj(op.inputs[0])))
)
_register(
    "Asinh", INEXACT, np.arcsinh, build.waits_for_grad(lambda op, g: g / cosh(conj(op.outputs[0])))
)
_register(
    "Acosh", INEXACT, np.arccosh, build.waits_for_grad(lambda op, g: g / sinh(conj(op.outputs[0])))
)
_register("Atanh", INEXACT, np.arctanh, build.waits_for_grad(_atanh_grad))
_register(
    "Expm1", INEXACT, np.expm1, build.waits_for_grad(lambda op, g: g * exp(conj(op.inputs[0])))
)
# TF's Rint gradient is None; np.rint rounds half to even, as TF's rint does.
_register("Rint", FLOATS, np.rint, NOT_DIFFERENTIABLE)


@undo.atomic
def tan(x, name=None):
    """Element-wise tan(x).

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     print(tf.Session().run(tf.tan([0.0, 1.0])))
    [0.        1.5574077]
    """
    return _unary("Tan", x, name)


@undo.atomic
def asin(x, name=None):
    """Element-wise arcsin(x) (``nan`` outside [-1, 1]).

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     print(tf.Session().run(tf.asin([0.5, 2.0])))
    [0.5235988       nan]
    """
    return _unary("Asin", x, name)


@undo.atomic
def acos(x, name=None):
    """Element-wise arccos(x) (``nan`` outside [-1, 1]).

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     print(tf.Session().run(tf.acos([0.5, 2.0])))
    [1.0471976       nan]
    """
    return _unary("Acos", x, name)


@undo.atomic
def atan(x, name=None):
    """Element-wise arctan(x).

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     print(tf.Session().run(tf.atan([1.0, -1.0])))
    [ 0.7853982 -0.7853982]
    """
    return _unary("Atan", x, name)


@undo.atomic
def sinh(x, name=None):
    """Element-wise sinh(x).

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     print(tf.Session().run(tf.sinh([0.0, 1.0])))
    [0.        1.1752012]
    """
    return _unary("Sinh", x, name)


@undo.atomic
def cosh(x, name=None):
    """Element-wise cosh(x).

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     print(tf.Session().run(tf.cosh([0.0, 1.0])).round(5))
    [1.      1.54308]
    """
    return _unary("Cosh", x, name)


@undo.atomic
def asinh(x, name=None):
    """Element-wise arcsinh(x).

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     print(tf.Session().run(tf.asinh([0.0, 1.0])))
    [0.        0.8813736]
    """
    return _unary("Asinh", x, name)


@undo.atomic
def acosh(x, name=None):
    """Element-wise arccosh(x) (``nan`` below 1).

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     print(tf.Session().run(tf.acosh([1.0, 0.5])))
    [ 0. nan]
    """
    return _unary("Acosh", x, name)


@undo.atomic
def atanh(x, name=None):
    """Element-wise arctanh(x) (``inf`` at 1, ``nan`` beyond).

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     print(tf.Session().run(tf.atanh([0.5, 1.0])))
    [0.54930615        inf]
    """
    return _unary("Atanh", x, name)


@undo.atomic
def expm1(x, name=None):
    """Element-wise exp(x) - 1, exact for small x.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     small, one = tf.Session().run(tf.expm1([1e-10, 1.0]))
    ...     print(small, one.round(5))
    1e-10 1.71828
    """
    return _unary("Expm1", x, name)


@undo.atomic
def rint(x, name=None):
    """Element-wise x rounded to the nearest integer, halves to even (no gradient).

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     print(tf.Session().run(tf.rint([0.5, 1.5, -2.5])))
    [ 0.  2. -2.]
    """
    return _unary("Rint", x, name)


def _atan2_infer(inputs, attrs):
    dtype = check_same_dtype("Atan2", ("y", "x"), inputs)
    check_dtype_in("Atan2", "y", inputs[0], FLOATS)
    return [(dtype, broadcast(inputs[0].shape, inputs[1].shape))]


def _atan2_grad(op, grad):
    y, x = op.inputs
    with control_dependencies([grad]):
        grad_inv = grad / (square(y) + square(x))
        return sum_to_inputs(y, x, x * grad_inv, -y * grad_inv, shapes_first=True)


register_op("Atan2", _atan2_infer, kernel=binary_kernel(np.arctan2, quiet=True), grad=_atan2_grad)


@undo.atomic
def atan2(y, x, name=None):
    """The angle of the point ``(x, y)``, element-wise with broadcasting, in [-pi, pi].

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     print(tf.Session().run(tf.atan2([1.0, -1.0], [0.0, -1.0])))
    [ 1.5707964 -2.3561945]
    """
    with name_scope(name, "Atan2", [y, x]) as scope:
        y = convert_to_tensor(y, name="y")
        x = convert_to_tensor(x, dtype_hint=y.dtype.base_dtype, name="x")
        return apply_op("Atan2", [y, x], name=scope)


@undo.atomic
def floor_div(x, y, name=None):
    """``FloorDiv``: ``x / y`` rounded toward -inf, as TF's generated op function (no
    ``floordiv`` name scope, integers kept integers).

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     print(tf.Session().run(tf.floor_div([7, -7], 2)))
    [ 3 -4]
    """
    return build.binary("FloorDiv", x, y, name)


__all__ = [
    "acos",
    "acosh",
    "asin",
    "asinh",
    "atan",
    "atan2",
    "atanh",
    "cosh",
    "expm1",
    "floor_div",
    "rint",
    "sinh",
    "tan",
]
