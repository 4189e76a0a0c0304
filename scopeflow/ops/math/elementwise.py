"""Element-wise arithmetic, comparisons and logic (casts are in array/cast.py, the Tensor
operator overloads in operators.py).

Kernels follow TF's CPU results: integer division by zero raises (TF reports
``Integer division by zero``), floating-point division by zero gives ``inf``/``nan`` silently,
integers wrap on overflow, ``round`` rounds half to even.

Gradients follow TF1's: complex ones are conjugated (``grad * conj(f'(x))``), broadcast
inputs get theirs summed back to their shapes (``broadcasting.sum_to_inputs``), and
``tanh``, ``sigmoid``, ``sqrt``, ``rsqrt`` and ``reciprocal`` have TF's fused ``<Op>Grad``
ops, which have gradients of their own.
"""

from __future__ import annotations

import operator

import numpy as np

from scopeflow.framework import dtypes, undo
from scopeflow.framework.constant import constant, convert_to_tensor
from scopeflow.framework.error_text import shape_str
from scopeflow.framework.graph_api import control_dependencies, name_scope
from scopeflow.framework.indexed_slices import IndexedSlices
from scopeflow.framework.registry import NOT_DIFFERENTIABLE, register_op
from scopeflow.framework.tensor import Tensor, merge_shapes
from scopeflow.ops.array.cast import cast
from scopeflow.ops.array.shape import ones_like, zeros_like
from scopeflow.ops.core import build
from scopeflow.ops.core.infer import (
    COMPLEX,
    FLOATS,
    INTEGERS,
    NUMBERS,
    REALS,
    SIGNED,
    apply_op,
    check_bool,
    check_dtype_in,
    check_list_dtype,
    check_same_dtype,
    elementwise,
    merge_all,
    name_public_functions,
)
from scopeflow.ops.kernels.quiet import quiet
from scopeflow.ops.math.broadcasting import broadcast, sum_to_inputs
from scopeflow.ops.math.ufunc_kernels import (
    binary_kernel,
    floordiv,
    floormod,
    realdiv,
    reciprocal,
    round_half_even,
    sigmoid,
    squared_difference,
    unary_kernel,
)

_BOOL = dtypes.bool
_ANY = None  # no dtype restriction (Equal, NotEqual)
_ORDERED = REALS  # what Less, Maximum... accept
INEXACT = FLOATS + COMPLEX
_SIGNED_NUMBERS = FLOATS + SIGNED + COMPLEX


def binary_infer(op_type: str, allowed, out_bool: bool):
    def infer(inputs, attrs):
        if allowed is _BOOL:
            for arg, t in zip(("x", "y"), inputs, strict=True):
                check_bool(op_type, arg, t)
        dtype = check_same_dtype(op_type, ("x", "y"), inputs)
        if allowed is not _ANY and allowed is not _BOOL:
            check_dtype_in(op_type, "x", inputs[0], allowed)
        return [(_BOOL if out_bool else dtype, broadcast(inputs[0].shape, inputs[1].shape))]

    return infer


def _binary(
    op_type: str,
    default_name: str,
    allowed,
    fn,
    out_bool: bool = False,
    quiet: bool = False,
    grad=None,
    slices: bool = False,
):
    """Registers a broadcasting binary op type computed by ``fn(x, y)`` with the gradient
    ``grad`` and returns its ``tf.*`` function. Ops on or to bools and integer-only ops have
    no gradient; ``slices``: ``grad`` takes an IndexedSlices (``grad_takes_indexed_slices``)."""
    register_op(
        op_type,
        binary_infer(op_type, allowed, out_bool),
        kernel=binary_kernel(fn, quiet),
        grad=NOT_DIFFERENTIABLE if out_bool or allowed is INTEGERS else grad,
        grad_takes_indexed_slices=slices,
    )

    @undo.atomic
    def binary(x, y, name=None):
        return build.binary(op_type, x, y, name, default_name)

    binary.__doc__ = f"Element-wise ``{op_type}`` with NumPy broadcasting."
    return binary


def _unary(
    op_type: str,
    allowed,
    fn,
    out=None,
    quiet: bool = False,
    convert_outside: bool = False,
    outside_name=None,
    grad=None,
    slices: bool = False,
):
    """Registers an element-wise unary op type computed by ``fn(x)`` with the gradient
    ``grad`` and returns its ``tf.*`` function.

    ``out`` is the output dtype when it is not the input's (``IsNan``: bool); such ops, and
    those on bools or integers only, have no gradient. A Python argument becomes a constant
    ``<scope>/x``, or - as TF1's ``sign`` and ``round`` convert it - a constant made before
    the op's scope opens, named ``outside_name``.
    """
    if allowed is _BOOL:

        def infer(inputs, attrs):
            check_bool(op_type, "x", inputs[0])
            return [(_BOOL, inputs[0].shape)]

    elif out is not None:

        def infer(inputs, attrs):
            check_dtype_in(op_type, "x", inputs[0], allowed)
            return [(out, inputs[0].shape)]

    else:
        infer = elementwise(op_type, allowed)
    if allowed is _BOOL or allowed is INTEGERS or out is not None:
        grad = NOT_DIFFERENTIABLE
    register_op(
        op_type,
        infer,
        kernel=unary_kernel(fn, quiet),
        grad=grad,
        grad_takes_indexed_slices=slices,
    )

    @undo.atomic
    def unary(x, name=None):
        if convert_outside:
            x = convert_to_tensor(x, name=outside_name)
        with name_scope(name, op_type, [x]) as scope:
            x = convert_to_tensor(x, name="x")
            return apply_op(op_type, [x], name=scope)

    unary.__doc__ = f"Element-wise ``{op_type}``."
    return unary


# An IndexedSlices gradient (of a gather of a sum), as TF: the inputs' shapes are made; an
# input summed over gets it dense (Sum/input), the others keep its rows (negated: values' Neg).
def _add_grad(op, grad):
    slices = isinstance(grad, IndexedSlices)
    return sum_to_inputs(*op.inputs, grad, grad, shapes_first=slices)


def _sub_grad(op, grad):
    slices = isinstance(grad, IndexedSlices)
    return sum_to_inputs(*op.inputs, grad, _negative(grad), shapes_first=slices)


def _negative(grad):
    if isinstance(grad, IndexedSlices):
        return IndexedSlices(negative(grad.values), grad.indices, grad.dense_shape)
    return negative(grad)


def _mul_grad(op, grad):
    x, y = op.inputs
    if (
        isinstance(grad, Tensor)
        and grad.dtype.base_dtype in (dtypes.float32, dtypes.int32)
        and x.shape.is_fully_defined()
        and x.shape == y.shape == grad.shape
    ):
        return multiply(grad, y), multiply(grad, x)  # TF1's operands for this case
    gx, gy = multiply(grad, conj(y)), multiply(conj(x), grad)
    return sum_to_inputs(x, y, gx, gy, shapes_first=True)


def _realdiv_grad(op, grad):
    x, y = (conj(t) for t in op.inputs)
    gx, gy = realdiv(grad, y), grad * realdiv(realdiv(-x, y), y)
    return sum_to_inputs(*op.inputs, gx, gy, shapes_first=True)


def _floormod_grad(op, grad):
    x, y = op.inputs
    gy = grad * negative(apply_op("FloorDiv", [x, y]))
    return sum_to_inputs(x, y, grad, gy, shapes_first=True)


def _pow_grad(op, grad):
    """d(x**y)/dx = y * x**(y - 1); d(x**y)/dy = x**y * log(x), taken as 0 where x <= 0 (x = 0
    for complex x), as in TF."""
    x, y, z = conj(op.inputs[0]), conj(op.inputs[1]), conj(op.outputs[0])
    gx = grad * y * pow(x, y - 1)
    positive = not_equal(x, 0) if x.dtype.is_complex else greater(x, 0)
    safe_x = apply_op("Select", [positive, x, ones_like(x)])
    log_x = apply_op("Select", [positive, log(safe_x), zeros_like(x)])
    return sum_to_inputs(*op.inputs, gx, grad * z * log_x, shapes_first=True)


def _extremum_grad(x_wins):
    """``Maximum``/``Minimum``: the gradient goes to ``x`` where ``x_wins(x, y)`` (ties
    included), else to ``y``."""

    def grad_fn(op, grad):
        x, y = op.inputs
        zeros = zeros_like(grad)
        mask = x_wins(x, y)
        gx = build.select("SelectV2", mask, grad, zeros)  # an IndexedSlices made dense in each
        gy = build.select("SelectV2", mask, zeros, grad)
        return sum_to_inputs(x, y, gx, gy, shapes_first=True)

    return grad_fn


def _squared_difference_grad(op, grad):
    """``2 * grad * (x - y)``, unconjugated for complex inputs as in TF1 (the result is
    real-valued, so only the real part of ``grad`` is meaningful)."""
    x, y = op.inputs
    with control_dependencies([grad]):
        two = constant(2, dtype=grad.dtype.base_dtype, name="scalar")
        if isinstance(grad, IndexedSlices):  # TF's scalar_mul: the rows scaled, still sparse
            scaled = IndexedSlices(multiply(two, grad.values), grad.indices, grad.dense_shape)
        else:
            scaled = multiply(two, grad)
        gx = scaled * (x - y)
    return sum_to_inputs(x, y, gx, negative(gx))


_add_v2 = _binary("AddV2", "Add", NUMBERS, np.add, grad=_add_grad, slices=True)


@undo.atomic
def add(x, y, name=None):
    """Element-wise ``x + y``: ``AddV2``, or for strings ``Add``, which joins them, as TF."""
    with name_scope(name, "Add", [x, y]) as scope:
        x = convert_to_tensor(x, name="x")
        y = convert_to_tensor(y, dtype_hint=x.dtype.base_dtype, name="y")
        op_type = "Add" if x.dtype.base_dtype == dtypes.string else "AddV2"
        return apply_op(op_type, [x, y], name=scope)


subtract = _binary("Sub", "Sub", NUMBERS, np.subtract, grad=_sub_grad, slices=True)
# An IndexedSlices gradient is made dense where each product uses it (Mul/x, Mul_1/y), as TF
multiply = _binary("Mul", "Mul", NUMBERS, np.multiply, grad=_mul_grad, slices=True)
realdiv = _binary(
    "RealDiv", "RealDiv", NUMBERS, realdiv, quiet=True, grad=_realdiv_grad, slices=True
)
floordiv = _binary("FloorDiv", "floordiv", NUMBERS, floordiv, quiet=True, grad=NOT_DIFFERENTIABLE)
floormod = _binary("FloorMod", "FloorMod", REALS, floormod, quiet=True, grad=_floormod_grad)
mod = floormod
# np.power raises TF's own error for integers to negative powers.
pow = _binary(  # noqa: A001
    "Pow", "Pow", FLOATS + SIGNED + COMPLEX, np.power, quiet=True, grad=_pow_grad, slices=True
)
maximum = _binary(  # nan wins, as in TF
    "Maximum", "Maximum", _ORDERED, np.maximum, grad=_extremum_grad(operator.ge), slices=True
)
minimum = _binary(
    "Minimum", "Minimum", _ORDERED, np.minimum, grad=_extremum_grad(operator.le), slices=True
)
squared_difference = _binary(
    "SquaredDifference",
    "SquaredDifference",
    FLOATS + (dtypes.int32, dtypes.int64) + COMPLEX,
    squared_difference,
    grad=_squared_difference_grad,
    slices=True,
)
less = _binary("Less", "Less", _ORDERED, np.less, out_bool=True)
less_equal = _binary("LessEqual", "LessEqual", _ORDERED, np.less_equal, out_bool=True)
greater = _binary("Greater", "Greater", _ORDERED, np.greater, out_bool=True)
greater_equal = _binary("GreaterEqual", "GreaterEqual", _ORDERED, np.greater_equal, out_bool=True)
equal = _binary("Equal", "Equal", _ANY, np.equal, out_bool=True)
not_equal = _binary("NotEqual", "NotEqual", _ANY, np.not_equal, out_bool=True)
logical_and = _binary("LogicalAnd", "LogicalAnd", _BOOL, np.logical_and, out_bool=True)
logical_or = _binary("LogicalOr", "LogicalOr", _BOOL, np.logical_or, out_bool=True)
bitwise_and = _binary("BitwiseAnd", "BitwiseAnd", INTEGERS, np.bitwise_and)
bitwise_or = _binary("BitwiseOr", "BitwiseOr", INTEGERS, np.bitwise_or)
bitwise_xor = _binary("BitwiseXor", "BitwiseXor", INTEGERS, np.bitwise_xor)


# -- element-wise functions ---------------------------------------------------------------


def _grad_op(
    op_type: str, derivative, second_derivative, zero_for_zero_dy: bool = False, waits=False
):
    """Registers ``<Op>Grad(y, dy)``, TF's fused gradient ``dy * conj(f'(x))`` of an
    element-wise ``<Op>`` computing ``y = f(x)``, with ``f'(x) = derivative(y)``, and returns
    ``<Op>``'s gradient. ``<Op>Grad``'s own gradient is ``grad * conj(d/dy (dy * f'))``, from
    ``second_derivative(y, dy)`` (tensors), for ``y``, and ``<Op>Grad(y, grad)`` for ``dy``.
    With ``waits``, its ops wait for the incoming gradient, as TF's ``Tanh``, ``Sigmoid``."""

    def infer(inputs, attrs):
        dtype = check_same_dtype(op_type, ("y", "dy"), inputs)
        check_dtype_in(op_type, "y", inputs[0], INEXACT)
        return [(dtype, merge_shapes(inputs[0].shape, inputs[1].shape))]

    def kernel(ctx, op, y, dy):
        with quiet():
            d = derivative(y)
            out = np.multiply(dy, np.conj(d) if d.dtype.kind == "c" else d)
        if zero_for_zero_dy:  # TF's kernel: 0 where dy is 0, even for an infinite slope
            out = np.where(dy == 0, np.zeros((), out.dtype), out)
        return out

    def grad_of_grad(op, grad):
        y, dy = op.inputs
        return grad * conj(second_derivative(y, dy)), apply_op(op_type, [y, grad])

    register_op(op_type, infer, kernel=kernel, grad=grad_of_grad)

    def grad(op, grad):  # an IndexedSlices grad made dense as its argument (TanhGrad/dy), as TF
        with control_dependencies([grad] if waits else []):
            with name_scope(None, op_type, [grad]) as scope:
                dy = convert_to_tensor(grad, name="dy")
                return apply_op(op_type, [op.outputs[0], dy], name=scope)

    return grad


_tanh_grad = _grad_op("TanhGrad", lambda y: 1 - y * y, lambda y, dy: -2.0 * y * dy, waits=True)
_sigmoid_grad = _grad_op(
    "SigmoidGrad", lambda y: y * (1 - y), lambda y, dy: dy * (1 - 2.0 * y), waits=True
)
# TF's SqrtGrad, RsqrtGrad and ReciprocalGrad give 0 where dy is 0 (so a tf.where that drops
# sqrt(0) keeps a zero gradient rather than 0 * inf = NaN).
_sqrt_grad = _grad_op(
    "SqrtGrad", lambda y: 0.5 / y, lambda y, dy: -0.5 * dy / (y * y), zero_for_zero_dy=True
)
_rsqrt_grad = _grad_op(
    "RsqrtGrad", lambda y: -0.5 * y * y * y, lambda y, dy: -1.5 * dy * y * y, True
)
_reciprocal_grad = _grad_op(
    "ReciprocalGrad", lambda y: -y * y, lambda y, dy: -2.0 * dy * y, zero_for_zero_dy=True
)


def _sign_grad(op, grad):
    return zeros_like(op.inputs[0])


def _square_grad(op, grad):
    x = conj(op.inputs[0])
    return multiply(grad, multiply(x, constant(2, dtype=x.dtype.base_dtype)))


negative = _unary("Neg", _SIGNED_NUMBERS, np.negative, grad=lambda op, g: _negative(g), slices=True)
sign = _unary("Sign", _SIGNED_NUMBERS, np.sign, convert_outside=True, grad=_sign_grad, slices=True)
_exp_grad = build.waits_for_grad(lambda op, g: g * conj(op.outputs[0]))
exp = _unary("Exp", INEXACT, np.exp, quiet=True, grad=_exp_grad, slices=True)
log = _unary(
    "Log",
    INEXACT,
    np.log,
    quiet=True,
    grad=build.waits_for_grad(lambda op, g: g * reciprocal(conj(op.inputs[0]))),
    slices=True,
)
log1p = _unary(
    "Log1p",
    INEXACT,
    np.log1p,
    quiet=True,
    grad=build.waits_for_grad(lambda op, g: g * reciprocal(1 + conj(op.inputs[0]))),
    slices=True,
)
sqrt = _unary("Sqrt", INEXACT, np.sqrt, quiet=True, grad=_sqrt_grad, slices=True)
rsqrt = _unary(
    "Rsqrt", INEXACT, lambda x: 1 / np.sqrt(x), quiet=True, grad=_rsqrt_grad, slices=True
)
square = _unary("Square", NUMBERS, np.square, grad=build.waits_for_grad(_square_grad), slices=True)
reciprocal = _unary(
    "Reciprocal", _SIGNED_NUMBERS, reciprocal, quiet=True, grad=_reciprocal_grad, slices=True
)
# TF1 gives floor, ceil and round no gradient (None), and sign a zero one.
floor = _unary("Floor", FLOATS, np.floor, grad=NOT_DIFFERENTIABLE)
ceil = _unary("Ceil", FLOATS, np.ceil, grad=NOT_DIFFERENTIABLE)
_round = _unary(
    "Round",
    _SIGNED_NUMBERS,
    round_half_even,
    convert_outside=True,
    outside_name="x",
    grad=NOT_DIFFERENTIABLE,
)


@undo.atomic
def round(x, name=None):  # noqa: A001 - TF1's public name
    """Element-wise ``Round``, half to even; an integer tensor comes back as it is, as TF's."""
    x = convert_to_tensor(x, name="x")
    return x if x.dtype.is_integer else _round(x, name=name)


_sin_grad = build.waits_for_grad(lambda op, g: g * cos(conj(op.inputs[0])))
_cos_grad = build.waits_for_grad(lambda op, g: -g * sin(conj(op.inputs[0])))
sin = _unary("Sin", INEXACT, np.sin, grad=_sin_grad, slices=True)
cos = _unary("Cos", INEXACT, np.cos, grad=_cos_grad, slices=True)
tanh = _unary("Tanh", INEXACT, np.tanh, grad=_tanh_grad, slices=True)
sigmoid = _unary("Sigmoid", INEXACT, sigmoid, quiet=True, grad=_sigmoid_grad, slices=True)
logical_not = _unary("LogicalNot", _BOOL, np.logical_not)
invert = _unary("Invert", INTEGERS, np.invert)
is_finite = _unary("IsFinite", FLOATS, np.isfinite, out=_BOOL)
is_inf = _unary("IsInf", FLOATS, np.isinf, out=_BOOL)
is_nan = _unary("IsNan", FLOATS, np.isnan, out=_BOOL)


def _complex_abs_infer(inputs, attrs):
    check_dtype_in("ComplexAbs", "x", inputs[0], COMPLEX)
    return [(attrs["Tout"], inputs[0].shape)]


def _complex_abs_grad(op, grad):
    """``grad * x / |x|`` (0 where ``x`` is 0)."""
    dtype = op.inputs[0].dtype.base_dtype
    numerator, denominator = cast(grad, dtype) * op.inputs[0], cast(op.outputs[0], dtype)
    return build.binary("DivNoNan", numerator, denominator, default_name="div_no_nan")


register_op(
    "Abs",
    elementwise("Abs", FLOATS + SIGNED),
    kernel=unary_kernel(np.abs),
    grad=lambda op, g: g * sign(op.inputs[0]),
    grad_takes_indexed_slices=True,
)
register_op("ComplexAbs", _complex_abs_infer, kernel=unary_kernel(np.abs), grad=_complex_abs_grad)


@undo.atomic
def abs(x, name=None):  # noqa: A001 - TF1's public name
    """Element-wise ``|x|``: ``Abs``, or for complex ``x`` a ``ComplexAbs`` of the real dtype."""
    with name_scope(name, "Abs", [x]) as scope:
        x = convert_to_tensor(x, name="x")
        dtype = x.dtype.base_dtype
        if dtype.is_complex:
            return apply_op("ComplexAbs", [x], {"Tout": dtype.real_dtype}, name=scope)
        return apply_op("Abs", [x], name=scope)


register_op(
    "Conj",
    elementwise("Conj", COMPLEX, arg="input"),
    kernel=unary_kernel(np.conj),
    grad=lambda op, g: conj(g),
)


@undo.atomic
def conj(x, name=None):
    """The complex conjugate; a real tensor is returned as it is (no op), as in TF1."""
    with name_scope(name, "Conj", [x]) as scope:
        x = convert_to_tensor(x, name="x")
        dtype = x.dtype.base_dtype
        if dtype.is_complex:
            return apply_op("Conj", [x], name=scope)
        if dtype.is_floating or dtype.is_integer:
            return x
        raise TypeError(f"Expected numeric or variant tensor, got dtype {dtype!r}.")


@undo.atomic
def logical_xor(x, y, name="LogicalXor"):
    """``(x | y) & ~(x & y)``: TF1 builds it from three ops in the current scope, the last
    one named ``name``."""
    return logical_and(logical_or(x, y), logical_not(logical_and(x, y)), name=name)


# -- add_n --------------------------------------------------------------------------------


def _add_n_infer(inputs, attrs):
    dtype = check_list_dtype("AddN", "inputs", inputs)
    return [(dtype, merge_all(t.shape for t in inputs))]


def _add_n_kernel(ctx, op, first, *rest):
    shape = np.shape(first)
    for index, value in enumerate(rest, 1):
        if np.shape(value) != shape:
            raise ValueError(
                "Inputs to operation AddN of type AddN must have the same size and shape.  "
                f"Input 0: {shape_str(shape)} != input {index}: {shape_str(np.shape(value))}"
            )
    out = None
    if type(first) is np.ndarray and first.dtype.kind in "fc" and first.ndim:
        if all(type(v) is np.ndarray and v.dtype == first.dtype for v in rest):
            out = ctx.empty(shape, first.dtype)  # (large: an array a step before freed)
    total = np.add(first, rest[0], out=out)
    for value in rest[1:]:
        total += value  # in place on the fresh sum (a scalar just rebinds)
    return total


register_op(
    "AddN",
    _add_n_infer,
    kernel=_add_n_kernel,
    grad=lambda op, g: [g] * len(op.inputs),  # an IndexedSlices g passed on, as TF
    grad_takes_indexed_slices=True,
)


@undo.atomic
def add_n(inputs, name=None):
    """Sums a list of tensors of the same shape and dtype (one ``AddN`` op, no scope);
    ``IndexedSlices`` among them are made dense first."""
    if not inputs or not isinstance(inputs, (list, tuple)):
        raise ValueError(
            "Inputs must be an iterable of at least one Tensor/IndexedSlices with the same "
            "dtype and shape."
        )
    if len(inputs) > 1 and any(isinstance(t, IndexedSlices) for t in inputs):
        # TF1 makes them dense while building AddN: in its scope, named inputs_<i>.
        with name_scope(name, "AddN") as scope:
            dense = [convert_to_tensor(t, name=f"inputs_{i}") for i, t in enumerate(inputs)]
            return apply_op("AddN", dense, name=scope)
    inputs = [convert_to_tensor(t) for t in inputs]
    if len(inputs) == 1:
        return inputs[0] if name is None else apply_op("Identity", inputs, name=name)
    return apply_op("AddN", inputs, name=name)


# The names ``import scopeflow as tf`` exports from this module.
__all__ = [
    "abs",
    "add",
    "add_n",
    "ceil",
    "conj",
    "cos",
    "equal",
    "exp",
    "floor",
    "floordiv",
    "floormod",
    "greater",
    "greater_equal",
    "is_finite",
    "is_inf",
    "is_nan",
    "less",
    "less_equal",
    "log",
    "log1p",
    "logical_and",
    "logical_not",
    "logical_or",
    "logical_xor",
    "maximum",
    "minimum",
    "mod",
    "multiply",
    "negative",
    "not_equal",
    "pow",
    "realdiv",
    "reciprocal",
    "round",
    "rsqrt",
    "sigmoid",
    "sign",
    "sin",
    "sqrt",
    "square",
    "squared_difference",
    "subtract",
    "tanh",
]

name_public_functions(globals(), __all__)
