"""Tests for scopeflow/ops/math/: each operator overload and ``tf.*`` math function builds
TF1's ops (names, types), output dtype, static shape and attributes, and rejects what TF1
rejects.

Every expected value is TensorFlow 2.21's own (``tensorflow.compat.v1``, graph mode), recorded
in ``tests/data/tf_reference/math.json`` by ``tools/tf_reference.py`` from the expressions in
``tests/data/tf_reference/math.py``; where scopeflow differs, ``DIFFERENCES`` says what it does
instead and why.
"""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf
from tests.ops.graph_checks import check_against, expected, raised, setup_of, tf_reference

REFERENCE = tf_reference("math")
SETUP = setup_of(REFERENCE)
GROUPS = REFERENCE["groups"]

# Where scopeflow does something else than TF 2.21 (none deliberate): expression -> what it
# does instead.
DIFFERENCES = {
    # TF: "Expected float32 passed to parameter 'y' of op 'Less', got 'x' of type 'str'".
    "a < 'x'": raised(TypeError, "Input 'y' of 'Less' Op has type string that does not match"),
    # scopeflow's node descriptions lack TF's attrs ("AddV2[T=DT_FLOAT]").
    "tf.placeholder(tf.float32, [3]) + tf.placeholder(tf.float32, [4])": raised(
        ValueError,
        "Dimensions must be equal, but are 3 and 4 for '{{node add}} = AddV2(Placeholder, "
        "Placeholder_1)' with input shapes: [3], [4].",
    ),
    "tf.matmul(a, b)": raised(
        ValueError,
        "Dimensions must be equal, but are 3 and 2 for '{{node MatMul}} = MatMul(a, b)' with "
        "input shapes: [2,3], [2,3].",
    ),
}


def _check(graph, env, group, expr):
    check_against(graph, env, expr, expected(GROUPS[group][expr], DIFFERENCES.get(expr)))


# -- expressions: operators, mixed Python values, casts, add_n, matmul ----------------------


@pytest.mark.parametrize("expr", list(GROUPS["EXPRESSIONS"]))
def test_expression_builds_tf1_ops(graph, env, expr):
    _check(graph, env, "EXPRESSIONS", expr)


# -- tf.* binary and unary functions --------------------------------------------------------


@pytest.mark.parametrize("expr", list(GROUPS["BINARY_FUNCTIONS"]))
def test_binary_function_names(graph, env, expr):
    """On two tensors, on a tensor and a Python float, and named."""
    _check(graph, env, "BINARY_FUNCTIONS", expr)


@pytest.mark.parametrize("expr", list(GROUPS["UNARY_FUNCTIONS"]))
def test_unary_function_names(graph, env, expr):
    """On a tensor, named, and on a Python float (whose constant TF1's sign and round name
    outside the op's scope)."""
    _check(graph, env, "UNARY_FUNCTIONS", expr)


# -- broadcasting and matmul shapes ---------------------------------------------------------


@pytest.mark.parametrize("expr", list(GROUPS["BROADCASTS"]))
def test_broadcast_shapes(graph, env, expr):
    _check(graph, env, "BROADCASTS", expr)


@pytest.mark.parametrize("expr", list(GROUPS["MATMULS"]))
def test_matmul_shapes(graph, env, expr):
    """MatMul or BatchMatMulV2, its static shape and its transpose or adjoint flags."""
    _check(graph, env, "MATMULS", expr)


# -- what TF1 rejects -----------------------------------------------------------------------


@pytest.mark.parametrize("expr", list(GROUPS["ERRORS"]))
def test_errors(graph, env, expr):
    _check(graph, env, "ERRORS", expr)


def test_every_difference_is_a_recorded_expression():
    recorded = {expr for records in GROUPS.values() for expr in records}
    assert set(DIFFERENCES) - recorded == set()


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
