"""Tests for scopeflow/ops/math/matmul.py beyond the ``tf.matmul`` shapes of math/test_ops.py:
``Conj`` for complex adjoints, and ``tf.tensordot``'s ops, constants, static shapes and errors.
Kernels are checked in math/test_kernels.py.

Every expected value is TensorFlow 2.21's own (``tensorflow.compat.v1``, graph mode), recorded
in ``tests/data/tf_reference/matmul.json`` by ``tools/tf_reference.py`` from the expressions
in ``tests/data/tf_reference/matmul.py``; where scopeflow differs, ``DIFFERENCES`` says what it
does instead and why.
"""

from __future__ import annotations

import pytest

from tests.ops.graph_checks import check_against, expected, raised, setup_of, tf_reference

REFERENCE = tf_reference("matmul")
SETUP = setup_of(REFERENCE)
GROUPS = REFERENCE["groups"]


# Where scopeflow does something else than TF 2.21: expression -> what it does instead.
DIFFERENCES = {
    # TF's IndexError ("list index out of range", no message recorded), naming the axis too
    "tf.tensordot(m, m, [[2], [0]])": raised(IndexError, "list index out of range: axis 2 of"),
}


@pytest.mark.parametrize("expr", list(GROUPS["EXPRESSIONS"]))
def test_expression_builds_tf1_ops(graph, env, expr):
    want = expected(GROUPS["EXPRESSIONS"][expr], DIFFERENCES.get(expr))
    check_against(graph, env, expr, want)


def test_tensordot_reshape_constants(graph, env, run):
    """The constants tensordot builds run to TF's values."""
    expr = "tf.tensordot(x, y, [1, 1])"
    t = eval(expr, env)
    shapes = {
        op.name: run(op.outputs[0]).tolist()
        for op in graph.get_operations()
        if op.name.startswith("Tensordot/") and op.type == "Const"
    }
    assert shapes == GROUPS["EXPRESSIONS"][expr]["consts"]
    assert t.op.type == "Reshape"


@pytest.mark.parametrize("expr", list(GROUPS["ERRORS"]))
def test_errors(graph, env, expr):
    check_against(graph, env, expr, expected(GROUPS["ERRORS"][expr], DIFFERENCES.get(expr)))


def test_every_difference_is_a_recorded_expression():
    recorded = {expr for records in GROUPS.values() for expr in records}
    assert set(DIFFERENCES) - recorded == set()
