"""Element-wise arithmetic, comparisons, logic, matmul and the Tensor operator overloads."""

from __future__ import annotations

from scopeflow.framework import dtypes, tensor_shape, undo
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.registry import register_op
from scopeflow.framework.tensor import Tensor
from scopeflow.ops._infer import apply_op, check_same_dtype, same_as_first

_BOOL = dtypes.bool


def _binary_infer(op_type: str, out_bool: bool):
    def infer(inputs, attrs):
        dtype = check_same_dtype(op_type, ("x", "y"), inputs)
        shape = tensor_shape.broadcast_shapes(inputs[0].shape, inputs[1].shape)
        return [(_BOOL if out_bool else dtype, shape)]

    return infer


def _binary(op_type: str, default_name: str, out_bool: bool = False):
    """Registers a broadcasting binary op type and returns its ``tf.*`` function."""
    register_op(op_type, _binary_infer(op_type, out_bool))

    @undo.atomic
    def binary(x, y, name=None):
        with name_scope(name, default_name, [x, y]) as scope:
            x = convert_to_tensor(x, name="x")
            y = convert_to_tensor(y, dtype_hint=x.dtype.base_dtype, name="y")
            return apply_op(op_type, [x, y], name=scope)

    binary.__doc__ = f"Element-wise ``{op_type}`` with NumPy broadcasting."
    return binary


def _unary(op_type: str):
    """Registers an element-wise unary op type and returns its ``tf.*`` function."""
    register_op(op_type, same_as_first)

    @undo.atomic
    def unary(x, name=None):
        with name_scope(name, op_type, [x]) as scope:
            x = convert_to_tensor(x, name="x")
            return apply_op(op_type, [x], name=scope)

    unary.__doc__ = f"Element-wise ``{op_type}``."
    return unary


add = _binary("AddV2", "Add")
subtract = _binary("Sub", "Sub")
multiply = _binary("Mul", "Mul")
realdiv = _binary("RealDiv", "RealDiv")
floordiv = _binary("FloorDiv", "floordiv")
floormod = _binary("FloorMod", "FloorMod")
mod = floormod
pow = _binary("Pow", "Pow")  # noqa: A001 - TF1's public name
maximum = _binary("Maximum", "Maximum")
minimum = _binary("Minimum", "Minimum")
squared_difference = _binary("SquaredDifference", "SquaredDifference")
less = _binary("Less", "Less", out_bool=True)
less_equal = _binary("LessEqual", "LessEqual", out_bool=True)
greater = _binary("Greater", "Greater", out_bool=True)
greater_equal = _binary("GreaterEqual", "GreaterEqual", out_bool=True)
equal = _binary("Equal", "Equal", out_bool=True)
not_equal = _binary("NotEqual", "NotEqual", out_bool=True)
logical_and = _binary("LogicalAnd", "LogicalAnd", out_bool=True)
logical_or = _binary("LogicalOr", "LogicalOr", out_bool=True)

negative = _unary("Neg")
abs = _unary("Abs")  # noqa: A001 - TF1's public name
sign = _unary("Sign")
exp = _unary("Exp")
log = _unary("Log")
log1p = _unary("Log1p")
sqrt = _unary("Sqrt")
rsqrt = _unary("Rsqrt")
square = _unary("Square")
reciprocal = _unary("Reciprocal")
floor = _unary("Floor")
ceil = _unary("Ceil")
round = _unary("Round")  # noqa: A001 - TF1's public name
sin = _unary("Sin")
cos = _unary("Cos")
tanh = _unary("Tanh")
sigmoid = _unary("Sigmoid")
logical_not = _unary("LogicalNot")


def _cast_infer(inputs, attrs):
    return [(attrs["DstT"], inputs[0].shape)]


register_op("Cast", _cast_infer)


@undo.atomic
def cast(x, dtype, name=None):
    """Casts ``x`` to ``dtype``; returns ``x`` itself when it already has that dtype."""
    dtype = dtypes.as_dtype(dtype).base_dtype
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
    dtypes.int64: dtypes.float64,
}


@undo.atomic
def truediv(x, y, name=None):
    """Python 3 division: integer inputs are cast to a float type first, as TF1 does."""
    with name_scope(name, "truediv", [x, y]) as scope:
        x = convert_to_tensor(x, name="x")
        y = convert_to_tensor(y, dtype_hint=x.dtype.base_dtype, name="y")
        check_same_dtype("RealDiv", ("x", "y"), [x, y])
        float_type = _FLOAT_FOR_INT.get(x.dtype.base_dtype)
        if float_type is not None:
            x, y = cast(x, float_type), cast(y, float_type)
        return apply_op("RealDiv", [x, y], name=scope)


def divide(x, y, name=None):
    """``x / y`` (TF1 names the op ``truediv`` unless ``name`` is given)."""
    return truediv(x, y, name=name)


@undo.atomic
def logical_xor(x, y, name="LogicalXor"):
    """``(x | y) & ~(x & y)``, built from the logical ops as TF1 builds it."""
    with name_scope(name, "LogicalXor", [x, y]) as scope:
        return logical_and(logical_or(x, y), logical_not(logical_and(x, y)), name=scope)


# -- matmul -------------------------------------------------------------------------------


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
    if a.shape.ndims is None or b.shape.ndims is None:
        return [(dtype, tensor_shape.unknown_shape())]
    for arg, t in (("x", a), ("y", b)):
        if t.shape.ndims < 2:
            raise ValueError(
                f"Shape must be at least rank 2 but is rank {t.shape.ndims} for '{arg}'"
            )
    m, n = _matmul_dims(a, b, attrs["adj_x"], attrs["adj_y"])
    batch = tensor_shape.broadcast_shapes(a.shape[:-2], b.shape[:-2])
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
    """Matrix product of the last two dimensions (batched over leading ones)."""
    with name_scope(name, "MatMul", [a, b]) as scope:
        a = convert_to_tensor(a, name="a")
        b = convert_to_tensor(b, dtype_hint=a.dtype.base_dtype, name="b")
        ta, tb = transpose_a or adjoint_a, transpose_b or adjoint_b
        a_rank, b_rank = a.shape.ndims, b.shape.ndims
        if (a_rank is None or a_rank > 2) or (b_rank is None or b_rank > 2):
            return apply_op("BatchMatMulV2", [a, b], {"adj_x": ta, "adj_y": tb}, name=scope)
        return apply_op("MatMul", [a, b], {"transpose_a": ta, "transpose_b": tb}, name=scope)


@undo.atomic
def add_n(inputs, name=None):
    """Sums a list of tensors of the same shape and dtype."""
    if not inputs or not isinstance(inputs, (list, tuple)):
        raise ValueError("inputs must be a non-empty list of tensors with the same shape and dtype")
    with name_scope(name, "AddN", inputs) as scope:
        inputs = [convert_to_tensor(t) for t in inputs]
        if len(inputs) == 1:
            return inputs[0] if name is None else apply_op("Identity", inputs, name=scope)
        return apply_op("AddN", inputs, name=scope)


def _add_n_infer(inputs, attrs):
    dtype = check_same_dtype("AddN", tuple(f"inputs_{i}" for i in range(len(inputs))), inputs)
    shape = inputs[0].shape
    for t in inputs[1:]:
        shape = shape.merge_with(t.shape)
    return [(dtype, shape)]


register_op("AddN", _add_n_infer)


# -- operator overloads -------------------------------------------------------------------


def _overload(fn, op_name: str):
    def binary(x, y):
        with name_scope(None, op_name, [x, y]) as scope:
            y = convert_to_tensor(y, dtype=x.dtype.base_dtype, name="y")
            return fn(x, y, name=scope)

    def reflected(y, x):
        with name_scope(None, op_name, [x, y]) as scope:
            x = convert_to_tensor(x, dtype=y.dtype.base_dtype, name="x")
            return fn(x, y, name=scope)

    return undo.atomic(binary), undo.atomic(reflected)


def _bool_only(fn, symbol: str):
    def checked(x, y, name=None):
        for t in (x, y):
            if isinstance(t, Tensor) and t.dtype.base_dtype != _BOOL:
                raise TypeError(
                    f"Operator '{symbol}' on tensors needs dtype bool, got {t.dtype.name}; use "
                    "tf.bitwise ops for integers."
                )
        return fn(x, y, name=name)

    return checked


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
        "and": (_bool_only(logical_and, "&"), "and"),
        "or": (_bool_only(logical_or, "|"), "or"),
        "xor": (_bool_only(logical_xor, "^"), "xor"),
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
    Tensor._override_operator("__invert__", logical_not)


_install_operators()
