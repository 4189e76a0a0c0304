"""Tests for scopeflow/ops/selection_ops.py: ``tf.where`` and ``tf.where_v2`` build TF1's ops
(names, types, dtypes, static shapes) and reject what TF1 rejects. Their kernels are checked
in test_math_kernels.py.

Every expected value was read from TensorFlow 2.21 (``tensorflow.compat.v1``, graph mode).
"""

from __future__ import annotations

import pytest

import scopeflow as tf
from tests.ops.graph_checks import added as _added
from tests.ops.graph_checks import assert_build_error

SETUP = {
    "x": (tf.float32, [2, None, 4]),
    "y": (tf.float32, [2, 3, 4]),
    "i": (tf.int32, [2, 3]),
    "b": (tf.bool, [2, 3]),
    "v": (tf.bool, [2]),
    "u": (tf.float32, None),
}


EXPRESSIONS = [
    # (expression, ops it adds, result op, dtype, static shape or None for unknown)
    ("tf.where(b)", [("Where", "Where")], "Where", "int64", [None, 2]),
    ("tf.where(i)", [("Where", "Where")], "Where", "int64", [None, 2]),
    ("tf.where(u)", [("Where", "Where")], "Where", "int64", [None, None]),
    ("tf.where([True, False])", [("Where/condition", "Const"), ("Where", "Where")], "Where",
     "int64", [None, 1]),
    ("tf.where(b, i, i, name='s')", [("s", "Select")], "s", "int32", [2, 3]),
    ("tf.where(v, x, y)", [("Select", "Select")], "Select", "float32", [2, 3, 4]),
    ("tf.where(v, u, u)", [("Select", "Select")], "Select", "float32", None),
    ("tf.where(tf.placeholder(tf.bool, []), x, y)", [("Placeholder", "Placeholder"),
     ("Select", "Select")], "Select", "float32", [2, 3, 4]),
    ("tf.where([True, False], [1, 2], [3, 4])",
     [("Select/condition", "Const"), ("Select/t", "Const"), ("Select/e", "Const"),
      ("Select", "Select")], "Select", "int32", [2]),
    ("tf.where(b, i, tf.zeros([2, 3], tf.int32))", [("zeros", "Const"), ("Select", "Select")],
     "Select", "int32", [2, 3]),
    ("tf.where_v2(b, 1.0, x[:, :3, 0])",
     [("strided_slice/stack", "Const"), ("strided_slice/stack_1", "Const"),
      ("strided_slice/stack_2", "Const"), ("strided_slice", "StridedSlice"),
      ("SelectV2/t", "Const"), ("SelectV2", "SelectV2")], "SelectV2", "float32", [2, 3]),
    ("tf.where_v2(x > 0, x, 1.0)",
     [("Greater/y", "Const"), ("Greater", "Greater"), ("SelectV2/e", "Const"),
      ("SelectV2", "SelectV2")], "SelectV2", "float32", [2, None, 4]),
    ("tf.where_v2(v[:, None, None], y, 0.0)",
     [("strided_slice/stack", "Const"), ("strided_slice/stack_1", "Const"),
      ("strided_slice/stack_2", "Const"), ("strided_slice", "StridedSlice"),
      ("SelectV2/e", "Const"), ("SelectV2", "SelectV2")], "SelectV2", "float32", [2, 3, 4]),
    ("tf.where_v2(b)", [("Where", "Where")], "Where", "int64", [None, 2]),
]  # fmt: skip


@pytest.mark.parametrize(("expr", "ops", "result", "dtype", "shape"), EXPRESSIONS)
def test_expression_builds_tf1_ops(graph, env, expr, ops, result, dtype, shape):
    before = len(graph.get_operations())
    t = eval(expr, env)
    assert _added(graph, before) == ops
    static = t.shape.as_list() if t.shape.ndims is not None else None
    assert (t.op.name, t.dtype.name, static) == (result, dtype, shape)


ERRORS = [
    # (expression, error, message)
    ("tf.where(b, i, x)", TypeError,
     "Input 'e' of 'Select' Op has type float32 that does not match type int32 of argument 't'."),
    ("tf.where(b, i)", ValueError, "x and y must both be non-None or both be None."),
    ("tf.where(b, None, i)", ValueError, "x and y must both be non-None or both be None."),
    ("tf.where(i, i, i)", TypeError,
     "Input 'condition' of 'Select' Op has type int32 that does not match expected type of bool."),
    ("tf.where(b, i, tf.placeholder(tf.int32, [3]))", ValueError,
     "Shapes must be equal rank, but are 2 and 1"),
    ("tf.where(tf.placeholder(tf.bool, [3]), y, y)", ValueError,
     "Dimension 0 in both shapes must be equal, but are 3 and 2. Shapes are [3] and [2]."),
    ("tf.where(tf.placeholder(tf.bool, [2, 3, 1]), y, y)", ValueError,
     "Dimension 2 in both shapes must be equal, but are 4 and 1. Shapes are [2,3,4] and "
     "[2,3,1]."),
    ("tf.where(b, y, y)", ValueError, "Shapes must be equal rank, but are 3 and 2"),
    ("tf.where_v2(b, y, 0.0)", ValueError, "Dimensions must be equal, but are 2 and 3"),
    ("tf.where_v2(tf.placeholder(tf.bool, [5]), tf.placeholder(tf.float32, [4]), "
     "tf.placeholder(tf.float32, [3]))", ValueError, "Dimensions must be equal, but are 4 and 3"),
    ("tf.where(tf.placeholder(tf.string, [2]))", TypeError, "DataType string not in list"),
]  # fmt: skip


@pytest.mark.parametrize(("expr", "error", "message"), ERRORS)
def test_errors(graph, env, expr, error, message):
    assert_build_error(graph, env, expr, error, message)
