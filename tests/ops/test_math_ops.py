"""Tests for scopeflow/ops/math_ops.py: each operator overload and ``tf.*`` math function
builds TF1's ops (names, types), output dtype and static shape, and rejects what TF1 rejects.

Every expected value was read from TensorFlow 2.21 (``tensorflow.compat.v1``, graph mode);
differences we keep on purpose are marked "deliberate".
"""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf
from tests.ops.graph_checks import added as _added
from tests.ops.graph_checks import assert_build_error

SETUP = {
    "a": (tf.float32, [2, 3]),
    "b": (tf.float32, [2, 3]),
    "c": (tf.float32, [3, 4]),
    "i": (tf.int32, [2, 3]),
    "j": (tf.int32, [3]),
    "p": (tf.bool, [2]),
    "q": (tf.bool, [2]),
}


def _build(graph, env, expr):
    before = len(graph.get_operations())
    result = eval(expr, env)
    return result, _added(graph, before)


# -- expressions: operators, mixed Python values, casts, add_n, matmul ----------------------

EXPRESSIONS = [
    # (expression, ops it adds, result op, dtype, static shape)
    ("a + b", [("add", "AddV2")], "add", "float32", [2, 3]),
    ("a - b", [("sub", "Sub")], "sub", "float32", [2, 3]),
    ("a * b", [("mul", "Mul")], "mul", "float32", [2, 3]),
    ("a / b", [("truediv", "RealDiv")], "truediv", "float32", [2, 3]),
    ("a // b", [("floordiv", "FloorDiv")], "floordiv", "float32", [2, 3]),
    ("a % b", [("mod", "FloorMod")], "mod", "float32", [2, 3]),
    ("a ** b", [("pow", "Pow")], "pow", "float32", [2, 3]),
    ("a @ c", [("matmul", "MatMul")], "matmul", "float32", [2, 4]),
    ("i + j", [("add", "AddV2")], "add", "int32", [2, 3]),
    ("i - j", [("sub", "Sub")], "sub", "int32", [2, 3]),
    ("i * j", [("mul", "Mul")], "mul", "int32", [2, 3]),
    (
        "i / j",
        [("truediv/Cast", "Cast"), ("truediv/Cast_1", "Cast"), ("truediv", "RealDiv")],
        "truediv",
        "float64",
        [2, 3],
    ),
    ("i // j", [("floordiv", "FloorDiv")], "floordiv", "int32", [2, 3]),
    ("i % j", [("mod", "FloorMod")], "mod", "int32", [2, 3]),
    ("i ** j", [("pow", "Pow")], "pow", "int32", [2, 3]),
    ("a + 1.0", [("add/y", "Const"), ("add", "AddV2")], "add", "float32", [2, 3]),
    ("1.0 + a", [("add/x", "Const"), ("add", "AddV2")], "add", "float32", [2, 3]),
    ("a - 1.0", [("sub/y", "Const"), ("sub", "Sub")], "sub", "float32", [2, 3]),
    ("1.0 - a", [("sub/x", "Const"), ("sub", "Sub")], "sub", "float32", [2, 3]),
    ("2.0 * a", [("mul/x", "Const"), ("mul", "Mul")], "mul", "float32", [2, 3]),
    ("a / 2.0", [("truediv/y", "Const"), ("truediv", "RealDiv")], "truediv", "float32", [2, 3]),
    ("2.0 / a", [("truediv/x", "Const"), ("truediv", "RealDiv")], "truediv", "float32", [2, 3]),
    (
        "2.0 // a",
        [("floordiv/x", "Const"), ("floordiv", "FloorDiv")],
        "floordiv",
        "float32",
        [2, 3],
    ),
    ("2.0 % a", [("mod/x", "Const"), ("mod", "FloorMod")], "mod", "float32", [2, 3]),
    ("2.0 ** a", [("pow/x", "Const"), ("pow", "Pow")], "pow", "float32", [2, 3]),
    ("a ** 2", [("pow/y", "Const"), ("pow", "Pow")], "pow", "float32", [2, 3]),
    ("a + 1", [("add/y", "Const"), ("add", "AddV2")], "add", "float32", [2, 3]),
    ("2 + i", [("add/x", "Const"), ("add", "AddV2")], "add", "int32", [2, 3]),
    (
        "2 / i",
        [
            ("truediv/x", "Const"),
            ("truediv/Cast", "Cast"),
            ("truediv/Cast_1", "Cast"),
            ("truediv", "RealDiv"),
        ],
        "truediv",
        "float64",
        [2, 3],
    ),
    ("i + np.int64(1)", [("add/y", "Const"), ("add", "AddV2")], "add", "int32", [2, 3]),
    ("a + np.float64(1.0)", [("add/y", "Const"), ("add", "AddV2")], "add", "float32", [2, 3]),
    (
        "a + np.ones(3, np.float32)",
        [("add/y", "Const"), ("add", "AddV2")],
        "add",
        "float32",
        [2, 3],
    ),
    (
        "np.ones(3, np.float32) + a",
        [("add/x", "Const"), ("add", "AddV2")],
        "add",
        "float32",
        [2, 3],
    ),
    (
        "np.ones((4, 2), np.float32) @ a",
        [("matmul/x", "Const"), ("matmul", "MatMul")],
        "matmul",
        "float32",
        [4, 3],
    ),
    ("a + [1.0, 2.0, 3.0]", [("add/y", "Const"), ("add", "AddV2")], "add", "float32", [2, 3]),
    ("-a", [("Neg", "Neg")], "Neg", "float32", [2, 3]),
    ("-i", [("Neg", "Neg")], "Neg", "int32", [2, 3]),
    ("abs(a)", [("Abs", "Abs")], "Abs", "float32", [2, 3]),
    ("abs(i)", [("Abs", "Abs")], "Abs", "int32", [2, 3]),
    ("~p", [("LogicalNot", "LogicalNot")], "LogicalNot", "bool", [2]),
    ("~i", [("Invert", "Invert")], "Invert", "int32", [2, 3]),
    ("p & q", [("and", "LogicalAnd")], "and", "bool", [2]),
    ("p | q", [("or", "LogicalOr")], "or", "bool", [2]),
    (
        "p ^ q",
        [
            ("xor/LogicalOr", "LogicalOr"),
            ("xor/LogicalAnd", "LogicalAnd"),
            ("xor/LogicalNot", "LogicalNot"),
            ("xor", "LogicalAnd"),
        ],
        "xor",
        "bool",
        [2],
    ),
    ("p & True", [("and/y", "Const"), ("and", "LogicalAnd")], "and", "bool", [2]),
    ("True & p", [("and/x", "Const"), ("and", "LogicalAnd")], "and", "bool", [2]),
    (
        "p ^ True",
        [
            ("xor/LogicalOr/y", "Const"),
            ("xor/LogicalOr", "LogicalOr"),
            ("xor/LogicalAnd/y", "Const"),
            ("xor/LogicalAnd", "LogicalAnd"),
            ("xor/LogicalNot", "LogicalNot"),
            ("xor", "LogicalAnd"),
        ],
        "xor",
        "bool",
        [2],
    ),
    (
        "True ^ p",
        [
            ("xor/x", "Const"),
            ("xor/LogicalOr", "LogicalOr"),
            ("xor/LogicalAnd", "LogicalAnd"),
            ("xor/LogicalNot", "LogicalNot"),
            ("xor", "LogicalAnd"),
        ],
        "xor",
        "bool",
        [2],
    ),
    ("i & i", [("and/BitwiseAnd", "BitwiseAnd")], "and/BitwiseAnd", "int32", [2, 3]),
    ("i | j", [("or/BitwiseOr", "BitwiseOr")], "or/BitwiseOr", "int32", [2, 3]),
    ("i ^ j", [("xor/BitwiseXor", "BitwiseXor")], "xor/BitwiseXor", "int32", [2, 3]),
    ("a < b", [("Less", "Less")], "Less", "bool", [2, 3]),
    ("a <= b", [("LessEqual", "LessEqual")], "LessEqual", "bool", [2, 3]),
    ("a > b", [("Greater", "Greater")], "Greater", "bool", [2, 3]),
    ("a >= b", [("GreaterEqual", "GreaterEqual")], "GreaterEqual", "bool", [2, 3]),
    ("a < 1.0", [("Less/y", "Const"), ("Less", "Less")], "Less", "bool", [2, 3]),
    ("1.0 < a", [("Greater/y", "Const"), ("Greater", "Greater")], "Greater", "bool", [2, 3]),
    ("i > 0", [("Greater/y", "Const"), ("Greater", "Greater")], "Greater", "bool", [2, 3]),
    (
        "tf.cast(i, tf.int8) / tf.cast(i, tf.int8)",
        [
            ("Cast", "Cast"),
            ("Cast_1", "Cast"),
            ("truediv/Cast", "Cast"),
            ("truediv/Cast_1", "Cast"),
            ("truediv", "RealDiv"),
        ],
        "truediv",
        "float32",
        [2, 3],
    ),
    (
        "tf.cast(i, tf.int64) / tf.cast(j, tf.int64)",
        [
            ("Cast", "Cast"),
            ("Cast_1", "Cast"),
            ("truediv/Cast", "Cast"),
            ("truediv/Cast_1", "Cast"),
            ("truediv", "RealDiv"),
        ],
        "truediv",
        "float64",
        [2, 3],
    ),
    (
        "tf.cast(i, tf.uint8) / 2",
        [
            ("Cast", "Cast"),
            ("truediv/y", "Const"),
            ("truediv/Cast", "Cast"),
            ("truediv/Cast_1", "Cast"),
            ("truediv", "RealDiv"),
        ],
        "truediv",
        "float32",
        [2, 3],
    ),
    ("tf.add(1.0, a)", [("Add/x", "Const"), ("Add", "AddV2")], "Add", "float32", [2, 3]),
    ("tf.equal(i, 1)", [("Equal/y", "Const"), ("Equal", "Equal")], "Equal", "bool", [2, 3]),
    (
        "tf.truediv(i, j)",
        [("truediv/Cast", "Cast"), ("truediv/Cast_1", "Cast"), ("truediv", "RealDiv")],
        "truediv",
        "float64",
        [2, 3],
    ),
    (
        "tf.divide(i, 2)",
        [
            ("truediv/y", "Const"),
            ("truediv/Cast", "Cast"),
            ("truediv/Cast_1", "Cast"),
            ("truediv", "RealDiv"),
        ],
        "truediv",
        "float64",
        [2, 3],
    ),
    ("tf.logical_and(p, q)", [("LogicalAnd", "LogicalAnd")], "LogicalAnd", "bool", [2]),
    ("tf.logical_and(p, q, name='op')", [("op", "LogicalAnd")], "op", "bool", [2]),
    (
        "tf.logical_and(p, True)",
        [("LogicalAnd/y", "Const"), ("LogicalAnd", "LogicalAnd")],
        "LogicalAnd",
        "bool",
        [2],
    ),
    ("tf.logical_or(p, q)", [("LogicalOr", "LogicalOr")], "LogicalOr", "bool", [2]),
    ("tf.logical_or(p, q, name='op')", [("op", "LogicalOr")], "op", "bool", [2]),
    (
        "tf.logical_or(p, True)",
        [("LogicalOr/y", "Const"), ("LogicalOr", "LogicalOr")],
        "LogicalOr",
        "bool",
        [2],
    ),
    (
        "tf.logical_xor(p, q)",
        [
            ("LogicalOr", "LogicalOr"),
            ("LogicalAnd", "LogicalAnd"),
            ("LogicalNot", "LogicalNot"),
            ("LogicalXor", "LogicalAnd"),
        ],
        "LogicalXor",
        "bool",
        [2],
    ),
    (
        "tf.logical_xor(p, q, name='op')",
        [
            ("LogicalOr", "LogicalOr"),
            ("LogicalAnd", "LogicalAnd"),
            ("LogicalNot", "LogicalNot"),
            ("op", "LogicalAnd"),
        ],
        "op",
        "bool",
        [2],
    ),
    (
        "tf.logical_xor(p, True)",
        [
            ("LogicalOr/y", "Const"),
            ("LogicalOr", "LogicalOr"),
            ("LogicalAnd/y", "Const"),
            ("LogicalAnd", "LogicalAnd"),
            ("LogicalNot", "LogicalNot"),
            ("LogicalXor", "LogicalAnd"),
        ],
        "LogicalXor",
        "bool",
        [2],
    ),
    ("tf.logical_not(p)", [("LogicalNot", "LogicalNot")], "LogicalNot", "bool", [2]),
    ("tf.logical_not(p, name='op')", [("op", "LogicalNot")], "op", "bool", [2]),
    ("tf.abs(i)", [("Abs", "Abs")], "Abs", "int32", [2, 3]),
    ("tf.negative(i)", [("Neg", "Neg")], "Neg", "int32", [2, 3]),
    ("tf.square(i)", [("Square", "Square")], "Square", "int32", [2, 3]),
    ("tf.sign(i)", [("Sign", "Sign")], "Sign", "int32", [2, 3]),
    ("tf.cast(a, tf.int32)", [("Cast", "Cast")], "Cast", "int32", [2, 3]),
    ("tf.cast(a, tf.float32)", [], "a", "float32", [2, 3]),
    ("tf.cast(a, tf.float32, name='op')", [], "a", "float32", [2, 3]),
    ("tf.cast(1, tf.float32)", [("Cast/x", "Const"), ("Cast", "Cast")], "Cast", "float32", []),
    ("tf.cast(a, tf.int64, name='op')", [("op", "Cast")], "op", "int64", [2, 3]),
    ("tf.cast(p, tf.float32)", [("Cast", "Cast")], "Cast", "float32", [2]),
    ("tf.add_n([a, b, a])", [("AddN", "AddN")], "AddN", "float32", [2, 3]),
    ("tf.add_n([a])", [], "a", "float32", [2, 3]),
    ("tf.add_n([a], name='op')", [("op", "Identity")], "op", "float32", [2, 3]),
    ("tf.add_n([a, b], name='op')", [("op", "AddN")], "op", "float32", [2, 3]),
    (
        "tf.add_n([1.0, 2.0])",
        [("Const", "Const"), ("Const_1", "Const"), ("AddN", "AddN")],
        "AddN",
        "float32",
        [],
    ),
    ("tf.matmul(a, c)", [("MatMul", "MatMul")], "MatMul", "float32", [2, 4]),
    ("tf.matmul(a, a, transpose_b=True)", [("MatMul", "MatMul")], "MatMul", "float32", [2, 2]),
    ("tf.matmul(a, a, transpose_a=True)", [("MatMul", "MatMul")], "MatMul", "float32", [3, 3]),
    (
        "tf.matmul(c, a, transpose_a=True, transpose_b=True)",
        [("MatMul", "MatMul")],
        "MatMul",
        "float32",
        [4, 2],
    ),
    ("tf.matmul(a, a, adjoint_b=True)", [("MatMul", "MatMul")], "MatMul", "float32", [2, 2]),
    ("tf.matmul(a, c, name='op')", [("op", "MatMul")], "op", "float32", [2, 4]),
    (
        "tf.matmul(a, [[1.0], [2.0], [3.0]])",
        [("MatMul/b", "Const"), ("MatMul", "MatMul")],
        "MatMul",
        "float32",
        [2, 1],
    ),
    ("tf.linalg.matmul(a, c)", [("MatMul", "MatMul")], "MatMul", "float32", [2, 4]),
    (
        "tf.clip_by_value(a, 0.0, 1.0)",
        [
            ("clip_by_value/Minimum/y", "Const"),
            ("clip_by_value/Minimum", "Minimum"),
            ("clip_by_value/y", "Const"),
            ("clip_by_value", "Maximum"),
        ],
        "clip_by_value",
        "float32",
        [2, 3],
    ),
    (
        "tf.clip_by_value(i, 0, j, name='clip')",
        [("clip/Minimum", "Minimum"), ("clip/y", "Const"), ("clip", "Maximum")],
        "clip",
        "int32",
        [2, 3],
    ),
    (
        "tf.clip_by_value([1.0, 2.0], 0.0, 1.0)",
        [
            ("clip_by_value/t", "Const"),
            ("clip_by_value/Minimum/y", "Const"),
            ("clip_by_value/Minimum", "Minimum"),
            ("clip_by_value/y", "Const"),
            ("clip_by_value", "Maximum"),
        ],
        "clip_by_value",
        "float32",
        [2],
    ),
    (
        "tf.div_no_nan(a, 2.0)",
        [("div_no_nan/y", "Const"), ("div_no_nan", "DivNoNan")],
        "div_no_nan",
        "float32",
        [2, 3],
    ),
    (
        "tf.div_no_nan(i, j)",
        [("div_no_nan/Cast", "Cast"), ("div_no_nan/Cast_1", "Cast"), ("div_no_nan", "DivNoNan")],
        "div_no_nan",
        "float64",
        [2, 3],
    ),
    (
        "tf.abs(tf.placeholder(tf.complex64, [2]))",
        [("Placeholder", "Placeholder"), ("Abs", "ComplexAbs")],
        "Abs",
        "float32",
        [2],
    ),
    ("tf.is_finite(a)", [("IsFinite", "IsFinite")], "IsFinite", "bool", [2, 3]),
    ("tf.is_inf(a, name='op')", [("op", "IsInf")], "op", "bool", [2, 3]),
    ("tf.is_nan(1.0)", [("IsNan/x", "Const"), ("IsNan", "IsNan")], "IsNan", "bool", []),
]


@pytest.mark.parametrize(("expr", "ops", "result", "dtype", "shape"), EXPRESSIONS)
def test_expression_builds_tf1_ops(graph, env, expr, ops, result, dtype, shape):
    t, added = _build(graph, env, expr)
    assert added == ops
    assert (t.op.name, t.dtype.name, t.shape.as_list()) == (result, dtype, shape)


# -- tf.* binary and unary functions --------------------------------------------------------

BINARY_FUNCTIONS = [
    # (function, op type, default name, output dtype for float inputs)
    (tf.add, "AddV2", "Add", "float32"),
    (tf.subtract, "Sub", "Sub", "float32"),
    (tf.multiply, "Mul", "Mul", "float32"),
    (tf.realdiv, "RealDiv", "RealDiv", "float32"),
    (tf.truediv, "RealDiv", "truediv", "float32"),
    (tf.divide, "RealDiv", "truediv", "float32"),
    (tf.floordiv, "FloorDiv", "floordiv", "float32"),
    (tf.floormod, "FloorMod", "FloorMod", "float32"),
    (tf.mod, "FloorMod", "FloorMod", "float32"),
    (tf.pow, "Pow", "Pow", "float32"),
    (tf.maximum, "Maximum", "Maximum", "float32"),
    (tf.minimum, "Minimum", "Minimum", "float32"),
    (tf.squared_difference, "SquaredDifference", "SquaredDifference", "float32"),
    (tf.less, "Less", "Less", "bool"),
    (tf.less_equal, "LessEqual", "LessEqual", "bool"),
    (tf.greater, "Greater", "Greater", "bool"),
    (tf.greater_equal, "GreaterEqual", "GreaterEqual", "bool"),
    (tf.equal, "Equal", "Equal", "bool"),
    (tf.not_equal, "NotEqual", "NotEqual", "bool"),
]


@pytest.mark.parametrize(("fn", "op_type", "default", "dtype"), BINARY_FUNCTIONS)
def test_binary_function_names(graph, env, fn, op_type, default, dtype):
    a, b = env["a"], env["b"]
    before = len(graph.get_operations())
    results = [fn(a, b), fn(a, 1.0), fn(a, b, name="op")]
    assert _added(graph, before) == [
        (default, op_type),
        (f"{default}_1/y", "Const"),
        (f"{default}_1", op_type),
        ("op", op_type),
    ]
    assert {(t.dtype.name, tuple(t.shape.as_list())) for t in results} == {(dtype, (2, 3))}


UNARY_FUNCTIONS = [
    # (function, op type, the name a Python argument's constant gets)
    (tf.negative, "Neg", "Neg_1/x"),
    (tf.abs, "Abs", "Abs_1/x"),
    (tf.sign, "Sign", "Const"),  # TF1's sign converts before opening its scope
    (tf.exp, "Exp", "Exp_1/x"),
    (tf.log, "Log", "Log_1/x"),
    (tf.log1p, "Log1p", "Log1p_1/x"),
    (tf.sqrt, "Sqrt", "Sqrt_1/x"),
    (tf.rsqrt, "Rsqrt", "Rsqrt_1/x"),
    (tf.square, "Square", "Square_1/x"),
    (tf.reciprocal, "Reciprocal", "Reciprocal_1/x"),
    (tf.floor, "Floor", "Floor_1/x"),
    (tf.ceil, "Ceil", "Ceil_1/x"),
    (tf.round, "Round", "x"),  # and round names it "x" at the outer scope
    (tf.sin, "Sin", "Sin_1/x"),
    (tf.cos, "Cos", "Cos_1/x"),
    (tf.tanh, "Tanh", "Tanh_1/x"),
    (tf.sigmoid, "Sigmoid", "Sigmoid_1/x"),
    (tf.nn.sigmoid, "Sigmoid", "Sigmoid_1/x"),
    (tf.nn.tanh, "Tanh", "Tanh_1/x"),
]


@pytest.mark.parametrize(("fn", "op_type", "const_name"), UNARY_FUNCTIONS)
def test_unary_function_names(graph, env, fn, op_type, const_name):
    before = len(graph.get_operations())
    results = [fn(env["a"]), fn(env["a"], name="op"), fn(1.0)]
    assert _added(graph, before) == [
        (op_type, op_type),
        ("op", op_type),
        (const_name, "Const"),
        (f"{op_type}_1", op_type),
    ]
    assert [(t.dtype.name, t.shape.as_list()) for t in results] == [
        ("float32", [2, 3]),
        ("float32", [2, 3]),
        ("float32", []),
    ]


# -- broadcasting and matmul shapes ---------------------------------------------------------

BROADCASTS = [
    # (x shape, y shape) -> static shape of x + y
    ([2, 3], [3], [2, 3]),
    ([2, 3], [None, 1, 3], [None, 2, 3]),
    ([None, 3], [4, 1], [4, 3]),
    ([None, 1], [None, 5], [None, 5]),
    ([None, 1], [None, 1], [None, 1]),
    ([2, 1, 3], [4, 1], [2, 4, 3]),
    ([1], [], [1]),
    (None, [2, 3], None),
]


@pytest.mark.parametrize(("x", "y", "expected"), BROADCASTS)
def test_broadcast_shapes(x, y, expected):
    t = tf.placeholder(tf.float32, x) + tf.placeholder(tf.float32, y)
    assert (t.shape.as_list() if t.shape.ndims is not None else None) == expected


MATMULS = [
    # (a shape, b shape, keyword arguments) -> (op type, static shape)
    ([2, 3], [3, 4], {}, "MatMul", [2, 4]),
    ([2, 3], [2, 3], {"transpose_b": True}, "MatMul", [2, 2]),
    ([2, 3], [2, 3], {"transpose_a": True}, "MatMul", [3, 3]),
    ([3, 4], [2, 3], {"transpose_a": True, "transpose_b": True}, "MatMul", [4, 2]),
    ([2, 3], [2, 3], {"adjoint_b": True}, "MatMul", [2, 2]),
    ([None, 3], [None, 4], {}, "MatMul", [None, 4]),
    ([5, 2, 3], [3, 4], {}, "BatchMatMulV2", [5, 2, 4]),
    ([3, 4], [5, 2, 3], {"transpose_a": True, "transpose_b": True}, "BatchMatMulV2", [5, 4, 2]),
    ([5, 1, 2, 3], [7, 3, 4], {}, "BatchMatMulV2", [5, 7, 2, 4]),
    ([None, 3, 2], [3, None], {"adjoint_a": True}, "BatchMatMulV2", [None, 2, None]),
    (None, [3, 4], {}, "BatchMatMulV2", None),
]


@pytest.mark.parametrize(("a", "b", "kwargs", "op_type", "shape"), MATMULS)
def test_matmul_shapes(a, b, kwargs, op_type, shape):
    t = tf.matmul(tf.placeholder(tf.float32, a), tf.placeholder(tf.float32, b), **kwargs)
    assert (t.op.name, t.op.type) == ("MatMul", op_type)
    assert (t.shape.as_list() if t.shape.ndims is not None else None) == shape
    attrs = ("adj_x", "adj_y") if op_type == "BatchMatMulV2" else ("transpose_a", "transpose_b")
    flags = (
        kwargs.get("transpose_a", False) or kwargs.get("adjoint_a", False),
        kwargs.get("transpose_b", False) or kwargs.get("adjoint_b", False),
    )
    assert tuple(t.op.get_attr(attr) for attr in attrs) == flags


# -- what TF1 rejects -----------------------------------------------------------------------

ERRORS = [
    # (expression, error, message)
    ("tf.add(a, i)", TypeError,
     "Input 'y' of 'AddV2' Op has type int32 that does not match type float32 of argument 'x'."),
    ("a + i", TypeError, "Input 'y' of 'AddV2' Op has type int32 that does not match"),
    ("i + 1.5", TypeError, "Input 'y' of 'AddV2' Op has type float32 that does not match"),
    ("a < 'x'", TypeError, "Input 'y' of 'Less' Op has type string that does not match"),
    ("p + q", TypeError, "Value passed to parameter 'x' has DataType bool not in list of allowed"),
    ("a / i", TypeError, "`x` and `y` must have the same dtype, got tf.float32 != tf.int32."),
    ("p / q", TypeError, "Invalid dtype tf.bool in __truediv__"),
    ("tf.sigmoid(i)", TypeError, "Value passed to parameter 'x' has DataType int32 not in list of "
     "allowed values: bfloat16, float16, float32, float64, complex64, complex128"),
    ("tf.exp(i)", TypeError, "has DataType int32 not in list of allowed values"),
    ("tf.floor(i)", TypeError, "has DataType int32 not in list of allowed values"),
    ("tf.abs(p)", TypeError, "has DataType bool not in list of allowed values"),
    ("tf.logical_not(a)", TypeError,
     "Input 'x' of 'LogicalNot' Op has type float32 that does not match expected type of bool."),
    ("tf.logical_and(a, b)", TypeError,
     "Input 'x' of 'LogicalAnd' Op has type float32 that does not match expected type of bool."),
    ("~a", TypeError, "Value passed to parameter 'x' has DataType float32 not in list"),
    ("a & b", TypeError, "Value passed to parameter 'x' has DataType float32 not in list"),
    ("tf.placeholder(tf.float32, [3]) + tf.placeholder(tf.float32, [4])", ValueError,
     "Dimensions must be equal, but are 3 and 4 for '{{node add}} = AddV2(Placeholder, "
     "Placeholder_1)' with input shapes: [3], [4]."),
    ("tf.matmul(a, b)", ValueError, "Dimensions must be equal, but are 3 and 2 for "
     "'{{node MatMul}} = MatMul(a, b)' with input shapes: [2,3], [2,3]."),
    ("tf.matmul(tf.placeholder(tf.float32, [3]), c)", ValueError,
     "Shape must be rank 2 but is rank 1 for input 'a'"),
    ("tf.matmul(tf.placeholder(tf.float32, [5, 2, 3]), tf.placeholder(tf.float32, [4, 3, 4]))",
     ValueError, "Dimensions must be equal, but are 5 and 4"),
    ("tf.matmul(a, tf.placeholder(tf.float64, [3, 4]))", TypeError,
     "Input 'b' of 'MatMul' Op has type float64 that does not match type float32"),
    ("tf.matmul(p, p)", TypeError, "Value passed to parameter 'a' has DataType bool"),
    ("tf.add_n([a, i])", TypeError,
     "Tensors in list passed to 'inputs' of 'AddN' Op have types [float32, int32] that don't "
     "all match."),
    ("tf.add_n([a, c])", ValueError,
     "Dimension 0 in both shapes must be equal, but are 2 and 3. Shapes are [2,3] and [3,4]."),
    ("tf.clip_by_value(a, tf.placeholder(tf.float32, [5]), 1.0)", ValueError,
     "Dimensions must be equal, but are 3 and 5"),
    ("tf.clip_by_value(j, 0, i)", ValueError, "Shapes (3,) and (2, 3) are incompatible"),
    ("tf.is_finite(i)", TypeError, "Value passed to parameter 'x' has DataType int32 not in list "
     "of allowed values: bfloat16, float16, float32, float64"),
    ("tf.div_no_nan(p, p)", TypeError, "Invalid dtype tf.bool in tf.math.divide_no_nan"),
    ("tf.conj(p)", TypeError, "Expected numeric or variant tensor, got dtype tf.bool."),
    ("tf.add_n([])", ValueError,
     "Inputs must be an iterable of at least one Tensor/IndexedSlices with the same dtype"),
]  # fmt: skip


@pytest.mark.parametrize(("expr", "error", "message"), ERRORS)
def test_errors(graph, env, expr, error, message):
    assert_build_error(graph, env, expr, error, message)


def test_cast_of_the_same_dtype_opens_no_scope(graph, env):
    assert tf.cast(env["a"], tf.float32) is env["a"]
    assert tf.cast(1, tf.float32).op.name == "Cast"
    assert tf.cast(env["a"], tf.int32).op.get_attr("DstT") == tf.int32


def test_add_n_converts_outside_any_scope_and_sums_shapes(graph):
    x = tf.placeholder(tf.float32, [None, 3])
    y = tf.placeholder(tf.float32, [2, None])
    assert tf.add_n([x, y]).shape.as_list() == [2, 3]
    t = tf.add_n([1.0, 2.0])
    assert [i.op.name for i in t.op.inputs] == ["Const", "Const_1"]


def test_operators_inside_a_name_scope(graph, env):
    with tf.name_scope("s"):
        t = env["a"] + 2.0
        u = -env["a"]
    assert (t.op.name, t.op.inputs[1].op.name, u.op.name) == ("s/add", "s/add/y", "s/Neg")


def test_numpy_arrays_defer_to_tensor_operators(graph, env):
    t = np.ones(3, np.float32) * env["a"]
    assert (t.op.name, t.op.inputs[0].op.name) == ("mul", "mul/x")


def test_ops_on_bools_and_integer_only_ops_have_no_gradient():
    from scopeflow.framework.registry import NOT_DIFFERENTIABLE, get_op_def

    none = {"Less", "Equal", "LogicalAnd", "LogicalNot", "BitwiseXor", "Invert", "IsNan"}
    assert {t for t in none if get_op_def(t).grad is NOT_DIFFERENTIABLE} == none
    assert get_op_def("AddV2").grad is not NOT_DIFFERENTIABLE
    assert get_op_def("Sigmoid").grad is not NOT_DIFFERENTIABLE
