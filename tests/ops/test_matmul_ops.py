"""Tests for scopeflow/ops/matmul_ops.py beyond the ``tf.matmul`` shapes of test_math_ops.py:
``Conj`` for complex adjoints, and ``tf.tensordot``'s ops, static shapes and errors. Kernels
are checked in test_math_kernels.py.

Every expected value was read from TensorFlow 2.21 (``tensorflow.compat.v1``, graph mode);
differences we keep on purpose are marked "deliberate".
"""

from __future__ import annotations

import pytest

import scopeflow as tf
from tests.ops.graph_checks import added as _added
from tests.ops.graph_checks import assert_build_error

SETUP = {
    "x": (tf.float32, [2, 3, 4]),
    "y": (tf.float32, [4, 3, 5]),
    "m": (tf.float32, [2, 3]),
    "v": (tf.float32, [3]),
    "d": (tf.float32, [2, None, 4]),
    "u": (tf.float32, None),
    "c": (tf.complex64, [2, 2]),
    "cb": (tf.complex64, [3, 2, 2]),
}


def _reshape(name: str = "Tensordot/Reshape"):
    """A ``reshape`` to a constant shape: its ``shape`` Const, then the op."""
    return [(f"{name}/shape", "Const"), (name, "Reshape")]


EXPRESSIONS = [
    # (expression, ops it adds, result op, dtype, static shape)
    ("tf.matmul(c, c, adjoint_a=True)", [("MatMul/Conj", "Conj"), ("MatMul", "MatMul")],
     "MatMul", "complex64", [2, 2]),
    ("tf.matmul(c, c, transpose_b=True)", [("MatMul", "MatMul")], "MatMul", "complex64", [2, 2]),
    ("tf.matmul(cb, cb, transpose_a=True)",
     [("MatMul/Conj", "Conj"), ("MatMul", "BatchMatMulV2")], "MatMul", "complex64", [3, 2, 2]),
    ("tf.matmul(cb, cb, adjoint_b=True)", [("MatMul", "BatchMatMulV2")], "MatMul", "complex64",
     [3, 2, 2]),
    ("tf.conj(c)", [("Conj", "Conj")], "Conj", "complex64", [2, 2]),
    ("tf.conj(m)", [], "m", "float32", [2, 3]),
    ("tf.tensordot(x, y, 1)",
     [*_reshape(), *_reshape("Tensordot/Reshape_1"), ("Tensordot/MatMul", "MatMul"),
      ("Tensordot/shape", "Const"), ("Tensordot", "Reshape")],
     "Tensordot", "float32", [2, 3, 3, 5]),
    ("tf.tensordot(x, y, [[1, 2], [1, 0]])",
     [*_reshape(), ("Tensordot/transpose/perm", "Const"),
      ("Tensordot/transpose", "Transpose"), *_reshape("Tensordot/Reshape_1"),
      ("Tensordot/MatMul", "MatMul")], "Tensordot/MatMul", "float32", [2, 5]),
    ("tf.tensordot(x, y, [1, 1])",
     [("Tensordot/transpose/perm", "Const"), ("Tensordot/transpose", "Transpose"),
      *_reshape(), ("Tensordot/transpose_1/perm", "Const"),
      ("Tensordot/transpose_1", "Transpose"), *_reshape("Tensordot/Reshape_1"),
      ("Tensordot/MatMul", "MatMul"), ("Tensordot/shape", "Const"), ("Tensordot", "Reshape")],
     "Tensordot", "float32", [2, 4, 4, 5]),
    ("tf.tensordot(m, m, [[0], [0]], name='td')",
     [("td/transpose/perm", "Const"), ("td/transpose", "Transpose"), ("td/MatMul", "MatMul")],
     "td/MatMul", "float32", [3, 3]),
    ("tf.tensordot(m, v, 1)",
     [*_reshape(), ("Tensordot/MatMul", "MatMul"), ("Tensordot/shape", "Const"),
      ("Tensordot", "Reshape")], "Tensordot", "float32", [2]),
    ("tf.tensordot([[1.0]], [[2.0]], 1)",
     [("Tensordot/a", "Const"), ("Tensordot/b", "Const"), ("Tensordot/MatMul", "MatMul")],
     "Tensordot/MatMul", "float32", [1, 1]),
    # deliberate: with unknown sizes TF1 builds Shape/GatherV2/Prod/ConcatV2 ops; a single
    # unknown size becomes a -1 in a constant shape
    ("tf.tensordot(d, y, 1)",
     [*_reshape(), *_reshape("Tensordot/Reshape_1"), ("Tensordot/MatMul", "MatMul"),
      ("Tensordot/shape", "Const"), ("Tensordot", "Reshape")],
     "Tensordot", "float32", [2, None, 3, 5]),
]  # fmt: skip


@pytest.mark.parametrize(("expr", "ops", "result", "dtype", "shape"), EXPRESSIONS)
def test_expression_builds_tf1_ops(graph, env, expr, ops, result, dtype, shape):
    before = len(graph.get_operations())
    t = eval(expr, env)
    assert _added(graph, before) == ops
    assert (t.op.name, t.dtype.name, t.shape.as_list()) == (result, dtype, shape)


def test_tensordot_reshape_constants(graph, env, run):
    t = tf.tensordot(env["x"], env["y"], [1, 1])
    shapes = {
        op.name: run(op.outputs[0]).tolist()
        for op in graph.get_operations()
        if op.name.startswith("Tensordot/") and op.type == "Const"
    }
    assert shapes == {
        "Tensordot/transpose/perm": [0, 2, 1],
        "Tensordot/Reshape/shape": [8, 3],
        "Tensordot/transpose_1/perm": [1, 0, 2],
        "Tensordot/Reshape_1/shape": [3, 20],
        "Tensordot/shape": [2, 4, 4, 5],
    }
    assert t.op.type == "Reshape"


ERRORS = [
    # (expression, error, message)
    ("tf.matmul(m, m, transpose_a=True, adjoint_a=True)", ValueError,
     "Only one of `transpose_a` and `adjoint_a` can be True."),
    ("tf.tensordot(m, m, 3)", ValueError,
     "`axes` must not be larger than the number of dimensions of tensor"),
    ("tf.tensordot(m, m, -1)", ValueError, "`axes` must be at least 0. Received: -1."),
    ("tf.tensordot(m, m, [[0], [1]])", ValueError, "Dimensions must be equal, but are 2 and 3"),
    ("tf.tensordot(m, m, [[0, 1], [0]])", ValueError,
     "Different number of contraction axes `a` and `b`, 2 != 1."),
    ("tf.tensordot(m, m, [0])", ValueError,
     "`axes` must be an integer or have length 2. Received [0]."),
    ("tf.tensordot(m, m, [[2], [0]])", ValueError, "Axis 2 is out of range"),
    ("tf.tensordot(u, m, 1)", NotImplementedError, "tensordot needs inputs of known rank"),
    ("tf.tensordot(m, m, tf.placeholder(tf.int32, [2, 1]))", NotImplementedError,
     "`axes` given as a tensor"),
]  # fmt: skip


@pytest.mark.parametrize(("expr", "error", "message"), ERRORS)
def test_errors(graph, env, expr, error, message):
    assert_build_error(graph, env, expr, error, message)
