"""Element-wise arithmetic, comparisons, logic, matmul and the Tensor operator overloads."""

from __future__ import annotations

from scopeflow.framework import dtypes, tensor_shape, undo
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.registry import register_op
from scopeflow.framework.tensor import Tensor
from scopeflow.ops._infer import (
    COMPLEX,
    FLOATS,
    INTEGERS,
    NUMBERS,
    REALS,
    SIGNED,
    UNSIGNED,
    apply_op,
    check_bool,
    check_dtype_in,
    check_list_dtype,
    check_same_dtype,
    elementwise,
    merge_all,
)

_BOOL = dtypes.bool
_ANY = None  # no dtype restriction (Equal, NotEqual)
_ORDERED = REALS  # what Less, Maximum... accept
_INEXACT = FLOATS + COMPLEX
_SIGNED_NUMBERS = FLOATS + SIGNED + COMPLEX


def broadcast(x, y) -> tensor_shape.TensorShape:
    """The broadcast of static shapes ``x`` and ``y``, with TF1's error wording."""
    try:
        return tensor_shape.broadcast_shapes(x, y)
    except ValueError as e:
        raise ValueError(str(e).split(" for input shapes")[0]) from None


def _binary_infer(op_type: str, allowed, out_bool: bool):
    def infer(inputs, attrs):
        if allowed is _BOOL:
            for arg, t in zip(("x", "y"), inputs, strict=True):
                check_bool(op_type, arg, t)
        dtype = check_same_dtype(op_type, ("x", "y"), inputs)
        if allowed is not _ANY and allowed is not _BOOL:
            check_dtype_in(op_type, "x", inputs[0], allowed)
        return [(_BOOL if out_bool else dtype, broadcast(inputs[0].shape, inputs[1].shape))]

    return infer


def _binary(op_type: str, default_name: str, allowed, out_bool: bool = False):
    """Registers a broadcasting binary op type and returns its ``tf.*`` function."""
    register_op(op_type, _binary_infer(op_type, allowed, out_bool))

    @undo.atomic
    def binary(x, y, name=None):
        with name_scope(name, default_name, [x, y]) as scope:
            x = convert_to_tensor(x, name="x")
            y = convert_to_tensor(y, dtype_hint=x.dtype.base_dtype, name="y")
            return apply_op(op_type, [x, y], name=scope)

    binary.__doc__ = f"Element-wise ``{op_type}`` with NumPy broadcasting."
    return binary


def _unary(op_type: str, allowed, convert_outside: bool = False, outside_name=None):
    """Registers an element-wise unary op type and returns its ``tf.*`` function.

    A Python argument becomes a constant ``<scope>/x``, or - as TF1's ``sign`` and ``round``
    convert it - a constant made before the op's scope opens, named ``outside_name``.
    """
    if allowed is _BOOL:

        def infer(inputs, attrs):
            check_bool(op_type, "x", inputs[0])
            return [(_BOOL, inputs[0].shape)]

        register_op(op_type, infer)
    else:
        register_op(op_type, elementwise(op_type, allowed))

    @undo.atomic
    def unary(x, name=None):
        if convert_outside:
            x = convert_to_tensor(x, name=outside_name)
        with name_scope(name, op_type, [x]) as scope:
            x = convert_to_tensor(x, name="x")
            return apply_op(op_type, [x], name=scope)

    unary.__doc__ = f"Element-wise ``{op_type}``."
    return unary


add = _binary("AddV2", "Add", NUMBERS)
subtract = _binary("Sub", "Sub", NUMBERS)
multiply = _binary("Mul", "Mul", NUMBERS)
realdiv = _binary("RealDiv", "RealDiv", NUMBERS)
floordiv = _binary("FloorDiv", "floordiv", NUMBERS)
floormod = _binary("FloorMod", "FloorMod", REALS)
mod = floormod
pow = _binary("Pow", "Pow", FLOATS + SIGNED + COMPLEX)  # noqa: A001 - TF1's public name
maximum = _binary("Maximum", "Maximum", _ORDERED)
minimum = _binary("Minimum", "Minimum", _ORDERED)
squared_difference = _binary(
    "SquaredDifference", "SquaredDifference", FLOATS + (dtypes.int32, dtypes.int64) + COMPLEX
)
less = _binary("Less", "Less", _ORDERED, out_bool=True)
less_equal = _binary("LessEqual", "LessEqual", _ORDERED, out_bool=True)
greater = _binary("Greater", "Greater", _ORDERED, out_bool=True)
greater_equal = _binary("GreaterEqual", "GreaterEqual", _ORDERED, out_bool=True)
equal = _binary("Equal", "Equal", _ANY, out_bool=True)
not_equal = _binary("NotEqual", "NotEqual", _ANY, out_bool=True)
logical_and = _binary("LogicalAnd", "LogicalAnd", _BOOL, out_bool=True)
logical_or = _binary("LogicalOr", "LogicalOr", _BOOL, out_bool=True)
bitwise_and = _binary("BitwiseAnd", "BitwiseAnd", INTEGERS)
bitwise_or = _binary("BitwiseOr", "BitwiseOr", INTEGERS)
bitwise_xor = _binary("BitwiseXor", "BitwiseXor", INTEGERS)

negative = _unary("Neg", _SIGNED_NUMBERS)
abs = _unary("Abs", FLOATS + SIGNED)  # noqa: A001 - TF1's public name
sign = _unary("Sign", _SIGNED_NUMBERS, convert_outside=True)
exp = _unary("Exp", _INEXACT)
log = _unary("Log", _INEXACT)
log1p = _unary("Log1p", _INEXACT)
sqrt = _unary("Sqrt", _INEXACT)
rsqrt = _unary("Rsqrt", _INEXACT)
square = _unary("Square", NUMBERS)
reciprocal = _unary("Reciprocal", _SIGNED_NUMBERS)
floor = _unary("Floor", FLOATS)
ceil = _unary("Ceil", FLOATS)
round = _unary("Round", _SIGNED_NUMBERS, convert_outside=True, outside_name="x")  # noqa: A001 - TF1's public name
sin = _unary("Sin", _INEXACT)
cos = _unary("Cos", _INEXACT)
tanh = _unary("Tanh", _INEXACT)
sigmoid = _unary("Sigmoid", _INEXACT)
logical_not = _unary("LogicalNot", _BOOL)
invert = _unary("Invert", INTEGERS)


def _cast_infer(inputs, attrs):
    return [(attrs["DstT"], inputs[0].shape)]


register_op("Cast", _cast_infer)


@undo.atomic
def cast(x, dtype, name=None):
    """Casts ``x`` to ``dtype``; returns ``x`` itself (no op, no scope) when it already has
    that dtype."""
    dtype = dtypes.as_dtype(dtype).base_dtype
    if isinstance(x, Tensor) and x.dtype.base_dtype == dtype:
        return x
    with name_scope(name, "Cast", [x]) as scope:
        x = convert_to_tensor(x, name="x")
        if x.dtype.base_dtype == dtype:
            return x
        return apply_op("Cast", [x], {"SrcT": x.dtype.base_dtype, "DstT": dtype}, name=scope)


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
        x = convert_to_tensor(x, name="x")
        y = convert_to_tensor(y, dtype_hint=x.dtype.base_dtype, name="y")
        x_dtype, y_dtype = x.dtype.base_dtype, y.dtype.base_dtype
        if x_dtype != y_dtype:
            raise TypeError(
                f"`x` and `y` must have the same dtype, got {x_dtype!r} != {y_dtype!r}."
            )
        if x_dtype not in NUMBERS:
            raise TypeError(
                f"Invalid dtype {x_dtype!r} in __truediv__: division needs a numeric dtype."
            )
        float_type = _FLOAT_FOR_INT.get(x_dtype)
        if float_type is not None:
            x, y = cast(x, float_type), cast(y, float_type)
        return apply_op("RealDiv", [x, y], name=scope)


def divide(x, y, name=None):
    """``x / y`` (TF1 names the op ``truediv`` unless ``name`` is given)."""
    return truediv(x, y, name=name)


@undo.atomic
def logical_xor(x, y, name="LogicalXor"):
    """``(x | y) & ~(x & y)``: TF1 builds it from three ops in the current scope, the last
    one named ``name``."""
    return logical_and(logical_or(x, y), logical_not(logical_and(x, y)), name=name)


# -- matmul -------------------------------------------------------------------------------

_MATMUL_TYPES = FLOATS + (dtypes.int32, dtypes.int64) + UNSIGNED + COMPLEX


def _matmul_dims(a, b, ta: bool, tb: bool):
    a_dims, b_dims = a.shape.as_list(), b.shape.as_list()
    m, k = (a_dims[-1], a_dims[-2]) if ta else (a_dims[-2], a_dims[-1])
    k2, n = (b_dims[-1], b_dims[-2]) if tb else (b_dims[-2], b_dims[-1])
    if k is not None and k2 is not None and k != k2:
        raise ValueError(f"Dimensions must be equal, but are {k} and {k2}")
    return m, n


def _matmul_infer(inputs, attrs):
    a, b = inputs
    dtype = check_same_dtype("MatMul", ("a", "b"), inputs)
    check_dtype_in("MatMul", "a", a, _MATMUL_TYPES)
    for arg, t in (("a", a), ("b", b)):
        if t.shape.ndims is not None and t.shape.ndims != 2:
            raise ValueError(f"Shape must be rank 2 but is rank {t.shape.ndims} for input '{arg}'")
    if a.shape.ndims is None or b.shape.ndims is None:
        return [(dtype, tensor_shape.unknown_shape(2))]
    m, n = _matmul_dims(a, b, attrs["transpose_a"], attrs["transpose_b"])
    return [(dtype, tensor_shape.TensorShape([m, n]))]


def _batch_matmul_infer(inputs, attrs):
    a, b = inputs
    dtype = check_same_dtype("BatchMatMulV2", ("x", "y"), inputs)
    check_dtype_in("BatchMatMulV2", "x", a, _MATMUL_TYPES + (dtypes.int16,))
    if a.shape.ndims is None or b.shape.ndims is None:
        return [(dtype, tensor_shape.unknown_shape())]
    for arg, t in (("x", a), ("y", b)):
        if t.shape.ndims < 2:
            raise ValueError(
                f"Shape must be at least rank 2 but is rank {t.shape.ndims} for input '{arg}'"
            )
    m, n = _matmul_dims(a, b, attrs["adj_x"], attrs["adj_y"])
    batch = broadcast(
        tensor_shape.TensorShape(a.shape[:-2]), tensor_shape.TensorShape(b.shape[:-2])
    )
    return [(dtype, batch.concatenate([m, n]))]


register_op("MatMul", _matmul_infer)
register_op("BatchMatMulV2", _batch_matmul_infer)


@undo.atomic
def matmul(
    a,
    b,
    transpose_a=False,
    transpose_b=False,
    adjoint_a=False,
    adjoint_b=False,
    a_is_sparse=False,
    b_is_sparse=False,
    name=None,
):
    """Matrix product of the last two dimensions: ``MatMul`` for matrices, ``BatchMatMulV2``
    (broadcasting the leading dimensions) when either input has rank above 2 or unknown."""
    with name_scope(name, "MatMul", [a, b]) as scope:
        a = convert_to_tensor(a, name="a")
        b = convert_to_tensor(b, dtype_hint=a.dtype.base_dtype, name="b")
        ta, tb = transpose_a or adjoint_a, transpose_b or adjoint_b
        a_rank, b_rank = a.shape.ndims, b.shape.ndims
        if (a_rank is None or a_rank > 2) or (b_rank is None or b_rank > 2):
            return apply_op("BatchMatMulV2", [a, b], {"adj_x": ta, "adj_y": tb}, name=scope)
        return apply_op("MatMul", [a, b], {"transpose_a": ta, "transpose_b": tb}, name=scope)


def _add_n_infer(inputs, attrs):
    dtype = check_list_dtype("AddN", "inputs", inputs)
    return [(dtype, merge_all(t.shape for t in inputs))]


register_op("AddN", _add_n_infer)


@undo.atomic
def add_n(inputs, name=None):
    """Sums a list of tensors of the same shape and dtype (one ``AddN`` op, no scope)."""
    if not inputs or not isinstance(inputs, (list, tuple)):
        raise ValueError(
            "Inputs must be an iterable of at least one Tensor/IndexedSlices with the same "
            "dtype and shape."
        )
    inputs = [convert_to_tensor(t) for t in inputs]
    if len(inputs) == 1:
        return inputs[0] if name is None else apply_op("Identity", inputs, name=name)
    return apply_op("AddN", inputs, name=name)


# -- operator overloads -------------------------------------------------------------------


def _overload(fn, op_name: str):
    """``x <op> y`` and ``y <op> x`` for a ``tf.*`` function: the op is named ``op_name``
    (``add``, ``truediv``...); a Python left operand becomes ``<op_name>/x`` of the
    tensor's dtype, a Python right operand is converted by ``fn`` itself."""

    def binary(x, y):
        with name_scope(None, op_name, [x, y]) as scope:
            return fn(x, y, name=scope)

    def reflected(y, x):
        with name_scope(None, op_name, [x, y]) as scope:
            x = convert_to_tensor(x, dtype=y.dtype.base_dtype, name="x")
            return fn(x, y, name=scope)

    return undo.atomic(binary), undo.atomic(reflected)


def _by_dtype(logical, bitwise):
    """``&``, ``|``, ``^``: the logical op for bool tensors, the bitwise op (default-named
    inside the operator's scope) for integers."""

    def apply(x, y, name=None):
        if x.dtype.base_dtype == _BOOL:
            return logical(x, y, name=name)
        return bitwise(x, y)

    return apply


@undo.atomic
def _invert(x):
    """``~x``: ``LogicalNot`` for bool tensors, ``Invert`` for integers."""
    return logical_not(x) if x.dtype.base_dtype == _BOOL else invert(x)


def _install_operators() -> None:
    table = {
        "add": (add, "add"),
        "sub": (subtract, "sub"),
        "mul": (multiply, "mul"),
        "truediv": (truediv, "truediv"),
        "floordiv": (floordiv, "floordiv"),
        "mod": (floormod, "mod"),
        "pow": (pow, "pow"),
        "matmul": (matmul, "matmul"),
        "and": (_by_dtype(logical_and, bitwise_and), "and"),
        "or": (_by_dtype(logical_or, bitwise_or), "or"),
        "xor": (_by_dtype(logical_xor, bitwise_xor), "xor"),
    }
    for dunder, (fn, op_name) in table.items():
        binary, reflected = _overload(fn, op_name)
        Tensor._override_operator(f"__{dunder}__", binary)
        Tensor._override_operator(f"__r{dunder}__", reflected)
    Tensor._override_operator("__lt__", less)
    Tensor._override_operator("__le__", less_equal)
    Tensor._override_operator("__gt__", greater)
    Tensor._override_operator("__ge__", greater_equal)
    Tensor._override_operator("__neg__", negative)
    Tensor._override_operator("__abs__", abs)
    Tensor._override_operator("__invert__", _invert)


_install_operators()

# The names ``import scopeflow as tf`` exports from this module.
__all__ = [
    "abs",
    "add",
    "add_n",
    "cast",
    "ceil",
    "cos",
    "divide",
    "equal",
    "exp",
    "floor",
    "floordiv",
    "floormod",
    "greater",
    "greater_equal",
    "less",
    "less_equal",
    "log",
    "log1p",
    "logical_and",
    "logical_not",
    "logical_or",
    "logical_xor",
    "matmul",
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
    "truediv",
]
