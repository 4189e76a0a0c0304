"""Tests for scopeflow/ops/control/assertions.py: ``tf.Assert`` and the element-wise
assertions build TF1's ops (names, including the ``AssertGuard`` cond), check what is known
while building as TF1 does, and fail a run with TF1's ``InvalidArgumentError`` and message;
a failed run changes no variable and leaves the session usable.

Expected graphs and build errors are TensorFlow 2.21's own (``tensorflow.compat.v1``, graph
mode), recorded in ``tests/data/tf_reference/assertions.json`` by ``tools/tf_reference.py``;
scopeflow differs from them nowhere. The run-time messages below were read from TF 2.21.
"""

from __future__ import annotations

import re

import numpy as np
import pytest

import scopeflow as tf
from tests.ops.graph_checks import check_against, expected, setup_of, tf_reference
from tests.ops.kernel_table import Case, cases_by_mode, check_case

REFERENCE = tf_reference("assertions")
SETUP = setup_of(REFERENCE)
GROUPS = REFERENCE["groups"]


@pytest.mark.parametrize("expr", list(GROUPS["ASSERTS"]))
def test_expression_builds_tf1_ops(graph, env, expr):
    check_against(graph, env, expr, expected(GROUPS["ASSERTS"][expr], None))


@pytest.mark.parametrize("expr", list(GROUPS["ASSERT_ERRORS"]))
def test_build_errors(graph, env, expr):
    # Ops made by the expression's own arguments (outside the assertion) stay.
    want = expected(GROUPS["ASSERT_ERRORS"][expr], None)
    check_against(graph, env, expr, want, left=("Placeholder", "Const", "Greater"))


def _after(check, x):
    with tf.control_dependencies([check]):
        return tf.identity(x)


X = np.float32([[0.5, -1, 2], [0, 1, -3]])

# fmt: off
CASES = [
    # A guarded Assert (float data) and an unguarded one (int32 and string data) that hold.
    Case("assert-guarded", "Identity",
         lambda x: _after(tf.Assert(tf.reduce_all(x < 10), [x]), x), (X,), lambda x: x),
    Case("assert-on-host", "Identity",
         lambda i: _after(tf.Assert(tf.reduce_all(i < 10), ["i:", i]), i),
         (np.int32([1, 2, 3]),), lambda i: i),
    Case("assert-near", "Identity", lambda x: _after(tf.assert_near(x, x * 1.0), x), (X,),
         lambda x: x),
]
# fmt: on


@pytest.mark.parametrize(("case", "mode"), cases_by_mode(CASES))
def test_kernel_table(run, case, mode):
    check_case(run, case, mode)


# TF 2.21's messages for tf.Assert(False, [value], summarize=...), value -> [(summarize, text)].
FORMATS = [
    (np.float32([1, -2, 3]), [(None, "[1 -2 3]"), (2, "[1 -2...]"), (0, "[...]")]),
    (
        np.arange(12, dtype=np.float32).reshape(3, 4) / 3,
        [
            (None, "[[0 0.333333343 0.666666687...]...]"),
            (
                -1,
                "[[0 0.333333343 0.666666687 1][1.33333337 1.66666663 2 2.33333325]"
                "[2.66666675 3 3.33333325 3.66666675]]",
            ),
        ],
    ),
    (
        np.arange(24, dtype=np.int32).reshape(2, 3, 4),
        [
            (None, "[[[0 1 2...]]...]"),
            (20, "[[[0 1 2 3][4 5 6 7][8 9 10 11]][[12 13 14 15][16 17 18 19]]...]"),
        ],
    ),
    (
        np.float64([0.1, 1e-8, 1.23456789, 1e20, -0.0, np.nan, np.inf]),
        [(-1, "[0.1 1e-08 1.23456789 1e+20 -0 nan inf]")],
    ),
    (np.float64([1 / 3, 2 / 3 * 1e300]), [(-1, "[0.33333333333333331 6.666666666666667e+299]")]),
    (np.float32([0.1, 1e-5, 123456789]), [(-1, "[0.1 1e-05 123456792]")]),
    (np.float16([1.5, 0.1]), [(None, "[1.5 0.0999755859]")]),
    (np.array([True, False]), [(None, "[1 0]"), (0, "[]")]),
    (np.array([b"ab", b"c d", b"e"], dtype=object), [(2, "[ab c d...]")]),
    (np.float32(2.5), [(None, "[2.5]"), (0, "[...]")]),
    (np.zeros([2, 0], np.float32), [(None, "[]")]),
    (np.complex64([1 + 2j, 0.5 - 1j]), [(None, "[? ?]"), (1, "[?...]")]),
    (np.uint8([1, 255]), [(None, "[1 255]")]),
]


@pytest.mark.parametrize(
    ("value", "summarize", "text"),
    [(v, s, t) for v, pairs in FORMATS for s, t in pairs],
)
def test_failure_message_formats_data_as_tf(run, value, summarize, text):
    check = tf.Assert(tf.placeholder(tf.bool, []), [tf.constant(value)], summarize=summarize)
    with pytest.raises(tf.errors.InvalidArgumentError) as info:
        run(check, {check.graph.get_tensor_by_name("Placeholder:0"): False})
    assert info.value.message.splitlines()[0] == f"assertion failed: {text}"


def test_failed_assert_names_the_op_and_the_users_line(run):
    x = tf.placeholder(tf.float32, [3], name="x")
    y = tf.placeholder(tf.float32, [3], name="y")
    check = tf.assert_equal(x, y)  # the line the error points at
    check_line = _line_of("check = tf.assert_equal(x, y)")
    with pytest.raises(tf.errors.InvalidArgumentError) as info:
        run(check, {x: [1, -2, 3], y: [1, 2, 3]})
    error = info.value
    assert error.message.splitlines()[0] == (
        "assertion failed: [Condition x == y did not hold element-wise:] [x (x:0) = ] "
        "[1 -2 3] [y (y:0) = ] [1 2 3]"
    )
    assert error.op.name == "assert_equal_1/Assert/AssertGuard/Assert"
    assert "node assert_equal_1/Assert/AssertGuard/Assert (op Assert)" in error.message
    assert f"test_assertions.py:{check_line}" in error.message
    assert error.error_code == tf.errors.INVALID_ARGUMENT


def _line_of(text: str) -> int:
    source = open(__file__, encoding="utf-8").read().splitlines()
    return next(i for i, s in enumerate(source, 1) if s.strip().startswith(text))


def test_run_time_messages_of_the_assertions(run):
    """Each assertion's data as TF 2.21 reports them (strings C-escaped, as TF does)."""
    x = tf.placeholder(tf.float32, [2], name="x")
    i = tf.placeholder(tf.int32, [2], name="i")
    cases = [
        (tf.assert_less(x, 0.5, message="small"), {x: [0.25, 1.0]}, {x: [0.25, 0.4]},
         "[small] [Condition x < y did not hold element-wise:] [x (x:0) = ] [0.25 1] "
         "[y (assert_less/y:0) = ] [0.5]"),
        (tf.assert_positive(i), {i: [1, 0]}, {i: [1, 2]},
         "[] [Condition x > 0 did not hold element-wise:] [x (i:0) = ] [1 0]"),
        (tf.assert_non_positive(x, message="np"), {x: [0.0, 2.0]}, {x: [0.0, -2.0]},
         "[np.  ] [Condition x <= 0 did not hold element-wise:x (x:0) = ] [0 2]"),
        (tf.assert_near(x, [1.0, 1.0], rtol=0.0, atol=0.1), {x: [1.0, 1.5]}, {x: [1.0, 1.05]},
         '[] [x and y not equal to tolerance rtol = Tensor(\\"assert_near/rtol:0\\", shape=(), '
         'dtype=float32), atol = Tensor(\\"assert_near/atol:0\\", shape=(), dtype=float32)] '
         "[x (x:0) = ] [1 1.5] [y (assert_near/y:0) = ] [1 1]"),
        (tf.assert_equal(i, [1, 2], data=[i], summarize=1), {i: [7, 8]}, {i: [1, 2]}, "[7...]"),
    ]  # fmt: skip
    for check, failing, holding, data in cases:
        with pytest.raises(tf.errors.InvalidArgumentError) as info:
            run(check, failing)
        assert info.value.message.splitlines()[0] == "assertion failed: " + data
        assert run(check, holding) is None


def test_non_scalar_condition_fails_when_run(run):
    p = tf.placeholder(tf.bool, [None])
    check = tf.Assert(p, ["x"])
    with pytest.raises(tf.errors.InvalidArgumentError, match=re.escape("In[0] should be a scalar")):
        run(check, {p: [True, True]})


def test_static_failure_raises_while_building_and_leaves_no_op(graph):
    a, b = tf.constant([1, 2]), tf.constant([1, 3])
    before = len(graph.get_operations())
    with pytest.raises(tf.errors.InvalidArgumentError) as info:
        tf.assert_equal(a, b, message="must match")
    assert str(info.value) == (
        "must match\nCondition x == y did not hold element-wise:\nx (Const:0) = \n[1 2]\n"
        "y (Const_1:0) = \n[1 3]"
    )
    assert info.value.op is None
    assert len(graph.get_operations()) == before
    assert tf.assert_equal(a, a).type == "NoOp"  # x is y: TF1 checks nothing


def test_failed_run_changes_no_variable_and_the_session_stays_usable(graph):
    v = tf.Variable(1.0, name="v")
    x = tf.placeholder(tf.float32, [], name="x")
    with tf.control_dependencies([tf.assert_positive(x)]):
        step = tf.assign_add(v, x)
    other = tf.assign_add(v, 10.0)
    with tf.Session() as sess:
        sess.run(v.initializer)
        # The other update of that run is undone too.
        with pytest.raises(tf.errors.InvalidArgumentError, match="assertion failed"):
            sess.run([other, step], {x: -1.0})
        assert sess.run(v) == 1.0
        assert sess.run(step, {x: 2.0}) == 3.0
        assert sess.run(v) == 3.0


def test_assert_as_a_control_dependency_gates_the_value(run):
    x = tf.placeholder(tf.float32, [2])
    with tf.control_dependencies([tf.Assert(tf.reduce_all(x > 0), [x])]):
        y = tf.log(x)
    np.testing.assert_allclose(run(y, {x: [1.0, np.e]}), [0.0, 1.0], rtol=1e-6)
    with pytest.raises(tf.errors.InvalidArgumentError, match=re.escape("[1 -1]")):
        run(y, {x: [1.0, -1.0]})


def test_assertions_are_stateful_host_ops_without_gradients():
    op_def = (
        tf.get_default_graph()
        .create_op("Assert", [tf.constant(True), tf.constant(1)], {"summarize": 3})
        .op_def
    )
    assert (op_def.stateful, op_def.host_only) == (True, True)
    assert op_def.grad is tf.NOT_DIFFERENTIABLE


def test_debugging_namespace_holds_the_assertions():
    for name in ("Assert", "assert_equal", "assert_near", "assert_non_positive", "assert_rank"):
        assert getattr(tf.debugging, name) is getattr(tf, name)
    assert tf.compat.v1.debugging.assert_all_finite is tf.verify_tensor_all_finite
