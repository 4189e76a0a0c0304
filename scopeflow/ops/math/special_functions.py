"""``tf.math.special``'s functions beyond ``bessel_i0``/``i1`` (``ops/math/special.py``): the
Bessel functions ``j0``, ``j1``, ``y0``, ``y1``, ``k0``, ``k1`` and the scaled ``k0e``, ``k1e``,
Dawson's integral, the exponential integral, the Fresnel integrals and Spence's function, each
an element-wise float op (``BesselJ0``...) with ``scipy.special``'s values (computed in float32
for float16/bfloat16, as TF's Eigen kernels) and TF's gradient (``math_grad.py``), built as TF's
``tf.math.special`` functions build them: the op ``<function>/<Op>``.
"""

from __future__ import annotations

import numpy as np

from scopeflow.framework import undo
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.registry import register_op
from scopeflow.ops.array.cast import cast
from scopeflow.ops.array.shape import ones_like
from scopeflow.ops.core import build
from scopeflow.ops.core.infer import FLOATS, apply_op, elementwise
from scopeflow.ops.math.deprecated import div
from scopeflow.ops.math.elementwise import cos, equal, exp, log, reciprocal, sin, square


def _flush(out):
    """Subnormal float32 results as 0, as TF's CPU kernels run with denormals flushed."""
    if out.dtype == np.float32:
        return np.where(np.abs(out) < np.finfo(np.float32).tiny, np.float32(0), out)
    return out


def _y1_fix(out, x):
    at_zero = -np.inf if x.dtype == np.float64 else np.nan
    return np.where(x < 0, -np.inf, np.where(x == 0, at_zero, out))


# TF's values where Eigen's kernels differ from scipy's: a negative argument of y0/y1/k0/k1,
# Ei outside (0, inf), underflow of k0/k1.
_FIXES = {
    "y0": lambda out, x: np.where(x <= 0, -np.inf, out),
    "y1": _y1_fix,
    "k0": lambda out, x: _flush(np.where(x < 0, np.inf, out)),
    "k1": lambda out, x: _flush(np.where(x < 0, np.inf, out)),
    "k0e": lambda out, x: np.where(x < 0, np.inf, out),
    "k1e": lambda out, x: np.where(x < 0, np.inf, out),
    "expi": lambda out, x: np.where((x < 0) | (x == np.inf), np.nan, out),
}


def _scipy(name: str):
    """``scipy.special.<name>`` (``fresnel_sin``/``fresnel_cos``: a part of ``fresnel``) in the
    input's dtype, float32 for float16/bfloat16, with TF's edge values."""
    fix = _FIXES.get(name)

    def kernel(ctx, op, x):
        from scipy import special

        dtype = x.dtype
        work = dtype if dtype in (np.float32, np.float64) else np.dtype(np.float32)
        x = x.astype(work, copy=False)
        with np.errstate(all="ignore"):
            if name.startswith("fresnel"):
                out = special.fresnel(x)[name == "fresnel_cos"]
            else:
                out = getattr(special, name)(x)
            out = np.asarray(out, work)
            if fix is not None:
                out = fix(out, x).astype(work, copy=False)
        return out.astype(dtype, copy=False)

    return kernel


def _special(op_type: str, scope: str, x, name):
    """``tf.math.special``'s wrapper: the generated op ``<scope>/<Op>`` (a Python value
    becomes ``<scope>/<Op>/x``)."""
    with name_scope(name, scope, [x]), name_scope(None, op_type, [x]) as op_name:
        return apply_op(op_type, [convert_to_tensor(x, name="x")], name=op_name)


def _j1_grad(op, grad):
    x, y = op.inputs[0], op.outputs[0]
    at_zero = equal(x, 0.0)
    half = cast(0.5, x.dtype.base_dtype)
    return grad * build.where_v2(at_zero, half, bessel_j0(x) - div(y, x))


def _spence_grad(op, grad):
    x = op.inputs[0]
    partial_x = log(x) / (1 - x)
    partial_x = build.select("Select", equal(x, 1.0), -ones_like(x), partial_x)
    return grad * partial_x


_GRADS = {
    "BesselJ0": lambda op, g: g * -bessel_j1(op.inputs[0]),
    "BesselJ1": _j1_grad,
    "BesselY0": lambda op, g: g * -bessel_y1(op.inputs[0]),
    "BesselY1": lambda op, g: g * (bessel_y0(op.inputs[0]) - div(op.outputs[0], op.inputs[0])),
    "BesselK0": lambda op, g: g * -bessel_k1(op.inputs[0]),
    "BesselK0e": lambda op, g: g * (op.outputs[0] - bessel_k1e(op.inputs[0])),
    "BesselK1": lambda op, g: g * (-bessel_k0(op.inputs[0]) - div(op.outputs[0], op.inputs[0])),
    "BesselK1e": lambda op, g: (
        g * (op.outputs[0] * (1.0 - reciprocal(op.inputs[0])) - bessel_k0e(op.inputs[0]))
    ),
    "Dawsn": lambda op, g: g * (1.0 - 2 * op.inputs[0] * op.outputs[0]),
    "Expint": lambda op, g: g * exp(op.inputs[0]) / op.inputs[0],
    "FresnelCos": lambda op, g: g * cos((np.pi / 2.0) * square(op.inputs[0])),
    "FresnelSin": lambda op, g: g * sin((np.pi / 2.0) * square(op.inputs[0])),
    "Spence": _spence_grad,
}

for _type, _name in (
    ("BesselJ0", "j0"),
    ("BesselJ1", "j1"),
    ("BesselY0", "y0"),
    ("BesselY1", "y1"),
    ("BesselK0", "k0"),
    ("BesselK0e", "k0e"),
    ("BesselK1", "k1"),
    ("BesselK1e", "k1e"),
    ("Dawsn", "dawsn"),
    ("Expint", "expi"),
    ("FresnelCos", "fresnel_cos"),
    ("FresnelSin", "fresnel_sin"),
    ("Spence", "spence"),
):
    register_op(_type, elementwise(_type, FLOATS), kernel=_scipy(_name), grad=_GRADS[_type])


@undo.atomic
def bessel_j0(x, name=None):
    """Element-wise the Bessel function of the first kind of order 0.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     print(tf.Session().run(tf.math.special.bessel_j0([0.5, 1.0])))
    [0.9384698 0.7651977]
    """
    return _special("BesselJ0", "bessel_j0", x, name)


@undo.atomic
def bessel_j1(x, name=None):
    """Element-wise the Bessel function of the first kind of order 1.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     print(tf.Session().run(tf.math.special.bessel_j1([0.5, 1.0])))
    [0.24226846 0.44005057]
    """
    return _special("BesselJ1", "bessel_j1", x, name)


@undo.atomic
def bessel_y0(x, name=None):
    """Element-wise the Bessel function of the second kind of order 0.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     print(tf.Session().run(tf.math.special.bessel_y0([0.5, 1.0])))
    [-0.44451874  0.08825696]
    """
    return _special("BesselY0", "bessel_y0", x, name)


@undo.atomic
def bessel_y1(x, name=None):
    """Element-wise the Bessel function of the second kind of order 1.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     print(tf.Session().run(tf.math.special.bessel_y1([0.5, 1.0])))
    [-1.4714724 -0.7812128]
    """
    return _special("BesselY1", "bessel_y1", x, name)


@undo.atomic
def bessel_k0(x, name=None):
    """Element-wise the modified Bessel function of the second kind of order 0.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     print(tf.Session().run(tf.math.special.bessel_k0([0.5, 1.0])))
    [0.92441905 0.42102444]
    """
    return _special("BesselK0", "bessel_k0", x, name)


@undo.atomic
def bessel_k0e(x, name=None):
    """Element-wise ``bessel_k0(x) * exp(x)``.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     print(tf.Session().run(tf.math.special.bessel_k0e([0.5, 1.0])))
    [1.5241094 1.1444631]
    """
    return _special("BesselK0e", "bessel_k0e", x, name)


@undo.atomic
def bessel_k1(x, name=None):
    """Element-wise the modified Bessel function of the second kind of order 1.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     print(tf.Session().run(tf.math.special.bessel_k1([0.5, 1.0])))
    [1.6564411  0.60190725]
    """
    return _special("BesselK1", "bessel_k1", x, name)


@undo.atomic
def bessel_k1e(x, name=None):
    """Element-wise ``bessel_k1(x) * exp(x)``.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     print(tf.Session().run(tf.math.special.bessel_k1e([0.5, 1.0])))
    [2.7310097 1.6361535]
    """
    return _special("BesselK1e", "bessel_k1e", x, name)


@undo.atomic
def dawsn(x, name=None):
    """Element-wise Dawson's integral.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     print(tf.Session().run(tf.math.special.dawsn([0.5, 1.0])))
    [0.4244364 0.5380795]
    """
    return _special("Dawsn", "dawsn", x, name)


@undo.atomic
def expint(x, name=None):
    """Element-wise the exponential integral Ei.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     print(tf.Session().run(tf.math.special.expint([0.5, 1.0])))
    [0.4542199 1.8951178]
    """
    return _special("Expint", "expint", x, name)


@undo.atomic
def fresnel_cos(x, name=None):
    """Element-wise Fresnel's cosine integral ``C(x)``.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     print(tf.Session().run(tf.math.special.fresnel_cos([0.5, 1.0])))
    [0.49234423 0.7798934 ]
    """
    return _special("FresnelCos", "fresnel_cos", x, name)


@undo.atomic
def fresnel_sin(x, name=None):
    """Element-wise Fresnel's sine integral ``S(x)``.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     print(tf.Session().run(tf.math.special.fresnel_sin([0.5, 1.0])))
    [0.06473243 0.43825915]
    """
    return _special("FresnelSin", "fresnel_sin", x, name)


@undo.atomic
def spence(x, name=None):
    """Element-wise Spence's function (the dilogarithm of ``1 - x``).

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     print(tf.Session().run(tf.math.special.spence([0.5, 1.0])))
    [0.5822405 0.       ]
    """
    return _special("Spence", "spence", x, name)


__all__ = [
    "bessel_j0",
    "bessel_j1",
    "bessel_y0",
    "bessel_y1",
    "bessel_k0",
    "bessel_k0e",
    "bessel_k1",
    "bessel_k1e",
    "dawsn",
    "expint",
    "fresnel_cos",
    "fresnel_sin",
    "spence",
]
