"""Special functions: ``tf.lgamma``, ``tf.digamma``, ``tf.polygamma``, ``tf.zeta``,
``tf.igamma``/``tf.igammac`` (regularized incomplete gamma), ``tf.betainc``, ``tf.erf``,
``tf.erfc``, ``tf.math.erfinv``, ``tf.math.ndtri``, ``tf.math.bessel_i0``/``bessel_i1`` and
the scaled ``bessel_i0e``/``bessel_i1e``, ``tf.math.xlogy``/``xlog1py``/``xdivy`` and
``tf.math.lbeta``.

Kernels are SciPy's (``scipy.special``, imported when first run), float16 and bfloat16
computed in float32, with TF's values where SciPy's edges differ: ``lgamma(-inf)`` is ``inf``,
``digamma`` and ``polygamma(0, .)`` of 0 are ``nan``, ``polygamma`` of a negative or
fractional order is ``nan``, ``igamma``/``igammac`` with ``a <= 0`` and ``betainc`` with
``a <= 0`` or ``b <= 0`` are ``nan``. (TF's float64 ``erf(+-inf)`` is ``nan``, its float32 one
``+-1``: scopeflow gives ``+-1`` for both.)

Gradients are TF1's: only ``x`` gets one from ``polygamma(n, x)``, ``zeta(x, q)`` only ``q``,
``betainc(a, b, x)`` only ``x`` (``None`` for the others); ``igamma``'s with respect to ``a``
is ``IgammaGradA``.

>>> import scopeflow as tf
>>> with tf.Graph().as_default():
...     print(tf.Session().run(tf.lgamma([1.0, 3.0])))
[0.        0.6931472]
"""

from __future__ import annotations

import inspect

import numpy as np

from scopeflow.framework import dtypes, undo
from scopeflow.framework.constant import constant, convert_to_tensor
from scopeflow.framework.graph_api import control_dependencies, name_scope
from scopeflow.framework.registry import NOT_DIFFERENTIABLE, register_op
from scopeflow.framework.tensor import merge_shapes
from scopeflow.ops.array.basic import reshape, shape
from scopeflow.ops.array.cast import cast
from scopeflow.ops.core import build
from scopeflow.ops.core.infer import (
    FLOATS,
    apply_op,
    check_dtype_in,
    check_same_dtype,
    elementwise,
    name_public_functions,
)
from scopeflow.ops.math.broadcasting import broadcast
from scopeflow.ops.math.elementwise import (
    equal,
    exp,
    log,
    negative,
    not_equal,
    reciprocal,
    sign,
    square,
)

_F32_F64 = (dtypes.float32, dtypes.float64)


def _scipy(name: str, fix=None):
    """The NumPy-level function computing ``scipy.special.<name>`` in the inputs' dtype
    (float32 for float16/bfloat16), then ``fix(result, *inputs)`` (TF's edge values)."""

    def compute(*args):
        from scipy import special

        dtype = np.asarray(args[0]).dtype
        work = dtype if dtype in (np.float32, np.float64) else np.dtype(np.float32)
        inputs = [np.asarray(a, work) for a in args]
        with np.errstate(all="ignore"):
            out = np.asarray(getattr(special, name)(*inputs), work)
            if fix is not None:
                out = fix(out, *inputs)
        return out.astype(dtype, copy=False)

    return compute


def _kernel(compute):
    return lambda ctx, op, *args: compute(*args)


def _nan_where(out, bad):
    return np.where(bad, np.asarray(np.nan, out.dtype), out)


def _lgamma_fix(out, x):
    return np.where(x == -np.inf, np.asarray(np.inf, out.dtype), out)


def _digamma_fix(out, x):
    return _nan_where(out, x == 0)


def _polygamma_fix(out, n, x):
    # TF: n! * zeta(n + 1, x) up to sign, so at a pole an even n is NaN as zeta's odd order
    pole = (x <= 0) & (x == np.floor(x))
    even = (n >= 1) & (np.fmod(n, 2) == 0)
    return _nan_where(out, (n < 0) | (n != np.floor(n)) | ((n == 0) & (x == 0)) | (even & pole))


def _zeta_fix(out, x, q):
    """TF's Hurwitz zeta where SciPy's differs: at a pole q (an integer <= 0) inf only for an
    even order (or 1), NaN for an odd one or one below 1; a negative q wants an integer
    order; an infinite order past q > 1 is 0."""
    pole = (q <= 0) & (q == np.floor(q))
    even = (x == np.floor(x)) & (np.fmod(x, 2) == 0) | (x == np.inf)
    bad = (pole & ~even & (x != 1)) | (pole & (x < 1)) | ((q < 0) & (x != np.floor(x)))
    out = np.where(pole & (even | (x == 1)) & (x >= 1), np.asarray(np.inf, out.dtype), out)
    out = np.where((x == np.inf) & (q > 1), np.zeros((), out.dtype), out)
    return _nan_where(out, bad)


def _igamma_fix(out, a, x):
    # TF: P(a, 0) is 0 for every a (NaN and a <= 0 too); P(inf, inf) is 0
    out = np.where((x == 0) | ((a == np.inf) & (x == np.inf)), np.zeros((), out.dtype), out)
    return _nan_where(out, (a <= 0) & (x != 0))


def _igammac_fix(out, a, x):
    out = np.where((a == np.inf) & (x == np.inf), np.zeros((), out.dtype), out)  # as TF
    return _nan_where(out, a <= 0)


def _betainc_fix(out, a, b, x):
    return _nan_where(out, (a <= 0) | (b <= 0))


# -- one-input functions ---------------------------------------------------------------------


def _unary(op_type: str, compute, grad, scope: str | None = None):
    """Registers the element-wise float op ``op_type`` and returns its ``tf.*`` function:
    TF's generated op function (a Python value becomes ``<Op>/x``), or with ``scope`` its
    ``tf.math`` wrapper, whose op is ``<scope>/<Op>``."""
    register_op(
        op_type,
        elementwise(op_type, FLOATS),
        kernel=_kernel(compute),
        grad=grad,
        grad_takes_indexed_slices=True,  # made dense where its gradient's ops use it, as TF
    )

    @undo.atomic
    def unary(x, name=None):
        if scope is None:
            with name_scope(name, op_type, [x]) as op_name:
                return apply_op(op_type, [convert_to_tensor(x, name="x")], name=op_name)
        with name_scope(name, scope, [x]):
            return apply_op(op_type, [convert_to_tensor(x, name="x")], name=op_type)

    unary.__doc__ = f"Element-wise ``{op_type}`` (``scipy.special``'s values)."
    return unary


def _constant_like(value: float, t):
    return constant(value, dtype=t.dtype.base_dtype)


def _lgamma_grad(op, grad):
    return grad * digamma(op.inputs[0])


def _digamma_grad(op, grad):
    x = op.inputs[0]
    return grad * polygamma(_constant_like(1, x), x)


def _erf_grad(op, grad):
    scale = _constant_like(2 / np.sqrt(np.pi), grad)
    with op.graph.control_dependencies([grad]):  # as TF's: the rest waits for grad
        return grad * scale * exp(negative(square(op.inputs[0])))


def _erfc_grad(op, grad):
    scale = _constant_like(-2 / np.sqrt(np.pi), grad)
    with op.graph.control_dependencies([grad]):
        return grad * scale * exp(negative(square(op.inputs[0])))


def _erfinv_grad(op, grad):
    root_pi_over_two = _constant_like(np.sqrt(np.pi) / 2, grad)
    with control_dependencies([grad]):  # after the constant, as TF
        return grad * root_pi_over_two * exp(square(op.outputs[0]))


def _ndtri_grad(op, grad):
    root_two_pi = _constant_like(np.sqrt(2 * np.pi), grad)
    with control_dependencies([grad]):
        return grad * root_two_pi * exp(square(op.outputs[0]) / 2.0)


def _bessel_i0e_grad(op, grad):
    x, y = op.inputs[0], op.outputs[0]
    return grad * (bessel_i1e(x) - sign(x) * y)


def _bessel_i1e_grad(op, grad):
    """TF's: ``i0e(x) - y * (sign(x) + 1/x)``, 0.5 at ``x = 0``."""
    x, y = op.inputs[0], op.outputs[0]
    away = bessel_i0e(x) - y * (sign(x) + reciprocal(x))
    half = constant(0.5, dtype=x.dtype.base_dtype)
    return grad * build.where_v2(equal(x, 0.0), half, away)


def _bessel_i0_grad(op, grad):
    return grad * bessel_i1(op.inputs[0])


def _bessel_i1_grad(op, grad):
    """TF's: ``i0(x) - y / x``, 1 at ``x = 0``."""
    x, y = op.inputs[0], op.outputs[0]
    one = constant(1.0, dtype=x.dtype.base_dtype)
    return grad * build.where_v2(equal(x, 0.0), one, bessel_i0(x) - y / x)


lgamma = _unary("Lgamma", _scipy("gammaln", _lgamma_fix), build.waits_for_grad(_lgamma_grad))
digamma = _unary("Digamma", _scipy("digamma", _digamma_fix), build.waits_for_grad(_digamma_grad))
erf = _unary("Erf", _scipy("erf"), _erf_grad)
erfc = _unary("Erfc", _scipy("erfc"), _erfc_grad)
erfinv = _unary("Erfinv", _scipy("erfinv"), _erfinv_grad, scope="erfinv")
ndtri = _unary("Ndtri", _scipy("ndtri"), _ndtri_grad, scope="ndtri")
bessel_i0e = _unary("BesselI0e", _scipy("i0e"), _bessel_i0e_grad, scope="bessel_i0e")
bessel_i1e = _unary("BesselI1e", _scipy("i1e"), _bessel_i1e_grad, scope="bessel_i1e")
bessel_i0 = _unary("BesselI0", _scipy("i0"), _bessel_i0_grad, scope="bessel_i0")
bessel_i1 = _unary("BesselI1", _scipy("i1"), _bessel_i1_grad, scope="bessel_i1")


# -- two- and three-input functions ----------------------------------------------------------


def _broadcast_infer(op_type: str, names: tuple[str, str], allowed):
    def infer(inputs, attrs):
        check_dtype_in(op_type, names[0], inputs[0], allowed)
        dtype = check_same_dtype(op_type, names, inputs)
        return [(dtype, broadcast(inputs[0].shape, inputs[1].shape))]

    return infer


def _bind(fn_name: str, signature: inspect.Signature, args, kwargs) -> dict:
    """``signature``'s arguments of a call, or the TypeError Python raises for a plain
    function ``fn_name`` called so."""
    try:
        arguments = signature.bind_partial(*args, **kwargs).arguments
    except TypeError as e:
        text = str(e)
        raise TypeError(
            f"{fn_name}() {'got ' if text.startswith('multiple') else ''}{text}"
        ) from None
    missing = [
        f"'{p.name}'"
        for p in signature.parameters.values()
        if p.default is p.empty and p.name not in arguments
    ]
    if missing:
        many = "s" if len(missing) > 1 else ""
        raise TypeError(
            f"{fn_name}() missing {len(missing)} required positional argument{many}: "
            + " and ".join(missing)
        )
    return arguments


def _binary(op_type: str, names: tuple[str, str], allowed, compute, grad, scope=None):
    """Registers the broadcasting op ``op_type(<names>)`` and returns its ``tf.*`` function:
    TF's generated one (Python values become ``<Op>/<name>``, the second converted to the
    first's dtype), or with ``scope`` its ``tf.math`` wrapper (``<scope>/<Op>``)."""
    register_op(
        op_type,
        _broadcast_infer(op_type, names, allowed),
        kernel=_kernel(compute),
        grad=grad,
        grad_takes_indexed_slices=True,
    )

    def build_op(x, y, name):
        with name_scope(name, op_type, [x, y]) as op_name:
            x = convert_to_tensor(x, name=names[0])
            y = convert_to_tensor(y, dtype_hint=x.dtype.base_dtype, name=names[1])
            return apply_op(op_type, [x, y], name=op_name)

    kind = inspect.Parameter.POSITIONAL_OR_KEYWORD
    signature = inspect.Signature(
        [inspect.Parameter(n, kind) for n in names]
        + [inspect.Parameter("name", kind, default=None)]
    )

    def binary(*args, **kwargs):
        arguments = _bind(binary.__name__, signature, args, kwargs)
        x, y, name = arguments[names[0]], arguments[names[1]], arguments.get("name")
        if scope is None:
            return build_op(x, y, name)
        with name_scope(name, scope, [x, y]):
            return build_op(x, y, None)

    binary.__signature__ = signature
    binary = undo.atomic(binary)
    binary.__doc__ = f"Element-wise ``{op_type}({', '.join(names)})`` with broadcasting."
    return binary


def _reduction_axes(x, y):
    """``(shape, axes)`` of ``x`` and of ``y``: the axes each one's gradient sums over, from a
    ``BroadcastGradientArgs`` op even when the shapes are known, as TF's gradients build it."""
    sx, sy = shape(x), shape(y)
    rx, ry = apply_op("BroadcastGradientArgs", [sx, sy])
    return (sx, rx), (sy, ry)


def _summed(partial, shape_axes):
    """``partial`` (a gradient over the broadcast shape) summed back to an input's shape."""
    to_shape, axes = shape_axes
    return reshape(build.reduce_sum(partial, axes), to_shape)


def _igamma_partials(op, grad):
    """TF's: ``d/da`` from ``IgammaGradA``, ``d/dx = exp(-x + (a - 1) log x - lgamma(a))``."""
    a, x = op.inputs
    ra, rx = _reduction_axes(a, x)
    with control_dependencies([grad]):
        partial_a = apply_op("IgammaGradA", [a, x])
        partial_x = exp(negative(x) + (a - 1) * log(x) - lgamma(a))
        return _summed(partial_a * grad, ra), _summed(partial_x * grad, rx)


def _igammac_grad(op, grad):
    ga, gx = _igamma_partials(op, grad)
    return negative(ga), negative(gx)


def _polygamma_grad(op, grad):
    n, x = op.inputs
    _, rx = _reduction_axes(n, x)
    with control_dependencies([grad]):
        return None, _summed(polygamma(n + 1, x) * grad, rx)


def _zeta_grad(op, grad):
    x, q = op.inputs
    _, rq = _reduction_axes(x, q)
    with control_dependencies([grad]):
        return None, _summed(negative(x) * zeta(x + 1, q) * grad, rq)


def _xlogy_kernel(x, y):
    with np.errstate(all="ignore"):
        return np.where(x == 0, np.zeros((), x.dtype), x * np.log(y)).astype(x.dtype)


def _xlog1py_kernel(x, y):
    with np.errstate(all="ignore"):
        return np.where(x == 0, np.zeros((), x.dtype), x * np.log1p(y)).astype(x.dtype)


def _nonzero(x):
    """1 where ``x`` is not 0, else 0, in ``x``'s dtype (the 0 a float32 ``Cast/x`` cast to
    it, as TF writes it)."""
    dtype = x.dtype.base_dtype
    return cast(not_equal(x, cast(0.0, dtype)), dtype)


def _xlog_grad(op_type: str, inner):
    """TF's ``Xlogy``/``Xlog1py`` gradients: ``<op>(x != 0, y)`` and ``xdivy(x, inner(y))``
    (both 0 where ``x`` is 0), built after ``grad`` as TF orders them."""

    def grad_fn(op, grad):
        x, y = op.inputs
        rx, ry = _reduction_axes(x, y)
        with control_dependencies([grad]):
            gx = apply_op(op_type, [_nonzero(x), y])
            gy = apply_op("Xdivy", [x, inner(y)])
            return _summed(gx * grad, rx), _summed(gy * grad, ry)

    return grad_fn


def _xdivy_kernel(x, y):
    with np.errstate(all="ignore"):
        return np.where(x == 0, np.zeros((), x.dtype), x / y).astype(x.dtype)


def _xdivy_grad(op, grad):
    x, y = op.inputs
    rx, ry = _reduction_axes(x, y)
    with control_dependencies([grad]):
        gx = apply_op("Xdivy", [_nonzero(x), y])
        gy = apply_op("Xdivy", [negative(x), y**2])
        return _summed(gx * grad, rx), _summed(gy * grad, ry)


# Xlogy, Xlog1py and Xdivy's list, in TF's order.
_INEXACT = (dtypes.float16, dtypes.bfloat16, dtypes.float32, dtypes.float64) + (
    dtypes.complex64,
    dtypes.complex128,
)
igamma = _binary("Igamma", ("a", "x"), FLOATS, _scipy("gammainc", _igamma_fix), _igamma_partials)
igammac = _binary("Igammac", ("a", "x"), FLOATS, _scipy("gammaincc", _igammac_fix), _igammac_grad)
polygamma = _binary(
    "Polygamma", ("a", "x"), _F32_F64, _scipy("polygamma", _polygamma_fix), _polygamma_grad
)
zeta = _binary("Zeta", ("x", "q"), _F32_F64, _scipy("zeta", _zeta_fix), _zeta_grad)
xlogy = _binary("Xlogy", ("x", "y"), _INEXACT, _xlogy_kernel, _xlog_grad("Xlogy", lambda y: y))
xlog1py = _binary(
    "Xlog1py",
    ("x", "y"),
    _INEXACT,
    _xlog1py_kernel,
    _xlog_grad("Xlog1py", lambda y: y + 1),
    scope="xlog1py",
)
xdivy = _binary("Xdivy", ("x", "y"), _INEXACT, _xdivy_kernel, _xdivy_grad, scope="xdivy")


def igamma_grad_a_values(a, x) -> np.ndarray:
    """``d igamma(a, x) / da`` in float64 by a five-point central difference of SciPy's
    ``gammainc`` (of ``-gammaincc`` where ``igamma > 0.5``, so an upper tail keeps its
    digits), with the step ``1e-3 * a`` below 1, ``1e-3 * sqrt(a)`` above (about the scale
    on which ``igamma`` changes): within 1e-10 of TF's values in the bulk of ``Gamma(a)``,
    1e-6 in far tails. 0 where ``x`` is 0 or infinite, ``nan``
    where ``a <= 0`` or ``x < 0`` (TF's values)."""
    from scipy import special

    a64, x64 = np.broadcast_arrays(np.asarray(a, np.float64), np.asarray(x, np.float64))
    with np.errstate(all="ignore"):
        h = 1e-3 * np.where(a64 < 1, a64, np.sqrt(a64))
        upper = special.gammainc(a64, x64) > 0.5
        f = [
            np.where(upper, -special.gammaincc(b, x64), special.gammainc(b, x64))
            for b in (a64 - 2 * h, a64 - h, a64 + h, a64 + 2 * h)
        ]
        d = (f[0] - 8 * f[1] + 8 * f[2] - f[3]) / (12 * h)
    d = np.where((x64 == 0) | np.isposinf(x64), 0.0, d)
    d = np.where((a64 <= 0) | (x64 < 0) | np.isnan(a64) | np.isnan(x64), np.nan, d)
    return d.astype(np.asarray(a).dtype)


register_op(
    "IgammaGradA",
    _broadcast_infer("IgammaGradA", ("a", "x"), _F32_F64),
    kernel=_kernel(igamma_grad_a_values),
    grad=NOT_DIFFERENTIABLE,  # TF registers none: its tf.gradients raises LookupError
)


def _betainc_infer(inputs, attrs):
    """TF's rule: each of ``a``, ``b``, ``x`` is a scalar or has the one common shape."""
    dtype = check_same_dtype("Betainc", ("a", "b", "x"), inputs)
    check_dtype_in("Betainc", "a", inputs[0], _F32_F64)
    shapes = [t.shape for t in inputs if t.shape.ndims != 0]
    out = shapes[0] if shapes else inputs[0].shape
    for s in shapes[1:]:
        out = merge_shapes(out, s)
    return [(dtype, out)]


def _betainc_kernel(ctx, op, a, b, x):
    shapes = {np.shape(v) for v in (a, b, x) if np.ndim(v)}
    if len(shapes) > 1:
        a_, b_, x_ = (list(np.shape(v)) for v in (a, b, x))
        raise ValueError(f"Shapes of a, b, and x are inconsistent: {a_} vs. {b_} vs. {x_}")
    return _scipy("betainc", _betainc_fix)(a, b, x)


def _betainc_grad(op, grad):
    """TF's: ``None`` for ``a`` and ``b``; ``x``'s partial
    ``exp(xlog1py(b - 1, -x) + xlogy(a - 1, x) - log B(a, b))``."""
    a, b, x = op.inputs
    _, rx = _reduction_axes(a, x)
    log_beta = lgamma(a) + lgamma(b) - lgamma(a + b)
    partial_x = exp(xlog1py(b - 1, negative(x)) + xlogy(a - 1, x) - log_beta)
    return None, None, _summed(partial_x * grad, rx)


register_op("Betainc", _betainc_infer, kernel=_betainc_kernel, grad=_betainc_grad)


@undo.atomic
def betainc(a, b, x, name=None):
    """The regularized incomplete beta integral ``I_x(a, b)``; ``a``, ``b`` and ``x`` are
    each a scalar or of one common shape (no other broadcasting, as in TF).

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     print(tf.Session().run(tf.betainc(2.0, 3.0, [0.0, 0.5, 1.0])))
    [0.     0.6875 1.    ]
    """
    with name_scope(name, "Betainc", [a, b, x]) as scope:
        a = convert_to_tensor(a, name="a")
        b = convert_to_tensor(b, dtype_hint=a.dtype.base_dtype, name="b")
        x = convert_to_tensor(x, dtype_hint=a.dtype.base_dtype, name="x")
        return apply_op("Betainc", [a, b, x], name=scope)


@undo.atomic
def lbeta(x, name=None):
    """``log|B(x)|`` over the last dimension: ``sum(lgamma(x)) - lgamma(sum(x))``, as TF
    builds it (``lbeta/sub``).

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     print(tf.Session().run(tf.exp(tf.math.lbeta([2.0, 3.0]))))
    0.083333336
    """
    with name_scope(name, "lbeta", [x]):
        x = convert_to_tensor(x, name="x")
        log_prod_gamma_x = build.reduce_sum(lgamma(x), [-1])
        sum_x = build.reduce_sum(x, [-1])
        return apply_op("Sub", [log_prod_gamma_x, lgamma(sum_x)], name="sub")


# The names ``import scopeflow as tf`` exports from this module (``tf.math`` has them all).
__all__ = ["betainc", "digamma", "erf", "erfc", "igamma", "igammac", "lgamma", "polygamma", "zeta"]

name_public_functions(
    globals(),
    [
        *__all__,
        "bessel_i0",
        "bessel_i0e",
        "bessel_i1",
        "bessel_i1e",
        "erfinv",
        "lbeta",
        "ndtri",
        "xdivy",
        "xlog1py",
        "xlogy",
    ],
)
