"""Tests for scopeflow/ops/math/linalg.py: ``tf.linalg.qr`` builds TF1's ``Qr`` op with its two
outputs' dtypes and static shapes, and rejects what TF1 rejects; the diagonal, band-part and
triangular-solve functions build TF1's ops, static shapes and attributes.

Every expected value is TensorFlow 2.21's own (``tensorflow.compat.v1``, graph mode), recorded
in ``tests/data/tf_reference/linalg.json`` by ``tools/tf_reference.py`` from the expressions
in ``tests/data/tf_reference/linalg.py``; where scopeflow differs, ``DIFFERENCES`` says what it
does instead and why.
"""

from __future__ import annotations

import pytest

from tests.ops.graph_checks import built, check_against, expected, raised, setup_of, tf_reference

REFERENCE = tf_reference("linalg")
SETUP = setup_of(REFERENCE)
GROUPS = REFERENCE["groups"]

# Where scopeflow does something else than TF 2.21: expression -> what it does instead.
DIFFERENCES = {
    # deliberate: TF 2.21 builds MatrixDiagV3 and MatrixSetDiagV3 (with a "k" input and more).
    "tf.matrix_diag(x)": built([("diag", "MatrixDiag")], input_dtypes=["float32"]),
    "tf.linalg.diag(u)": built([("diag", "MatrixDiag")], input_dtypes=["float32"]),
    "tf.linalg.set_diag(u, v)": built(
        [("set_diag", "MatrixSetDiag")], input_dtypes=["float32", "float32"]
    ),
    "tf.matrix_set_diag(m, u[:5])": built(
        [
            ("strided_slice/stack", "Const"),
            ("strided_slice/stack_1", "Const"),
            ("strided_slice/stack_2", "Const"),
            ("strided_slice", "StridedSlice"),
            ("set_diag", "MatrixSetDiag"),
        ],
        input_dtypes=["float32", "float32"],
    ),
    # deliberate: only the main diagonal (k=0) is supported
    "tf.linalg.diag(tf.placeholder(tf.float32, [3]), k=1)": raised(NotImplementedError, "k=0"),
}


@pytest.mark.parametrize("expr", list(GROUPS["QRS"]))
def test_qr_builds_tf1_ops(graph, env, expr):
    """One Qr op, its outputs q and r, and its full_matrices attribute."""
    check_against(graph, env, expr, expected(GROUPS["QRS"][expr], DIFFERENCES.get(expr)))


@pytest.mark.parametrize("expr", list(GROUPS["BUILDS"]))
def test_builds_tf1_ops_and_static_shapes(graph, env, expr):
    check_against(graph, env, expr, expected(GROUPS["BUILDS"][expr], DIFFERENCES.get(expr)))


@pytest.mark.parametrize("expr", list(GROUPS["ERRORS"]))
def test_errors(graph, env, expr):
    check_against(graph, env, expr, expected(GROUPS["ERRORS"][expr], DIFFERENCES.get(expr)))


def test_every_difference_is_a_recorded_expression():
    recorded = {expr for records in GROUPS.values() for expr in records}
    assert set(DIFFERENCES) - recorded == set()
