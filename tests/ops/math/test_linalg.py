"""Tests for scopeflow/ops/math/linalg.py: ``tf.linalg.qr`` builds TF1's ``Qr`` op with its two
outputs' dtypes and static shapes, and rejects what TF1 rejects; the diagonal, band-part,
triangular-solve and cross-product functions build TF1's ops, static shapes and attributes;
``Cross``'s kernel against NumPy and its gradient against finite differences.

Every expected value is TensorFlow 2.21's own (``tensorflow.compat.v1``, graph mode), recorded
in ``tests/data/tf_reference/linalg.json`` by ``tools/tf_reference.py`` from the expressions
in ``tests/data/tf_reference/linalg.py``; where scopeflow differs, ``DIFFERENCES`` says what it
does instead and why.
"""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf
from tests.ops.grad_check import GradCase, check_gradient_case, gradient_cases
from tests.ops.graph_checks import built, check_against, expected, setup_of, tf_reference
from tests.ops.kernel_table import Case, cases_by_mode, check_case

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
}

R = np.random.default_rng(4)
U, V = R.standard_normal((2, 4, 3)), R.standard_normal((2, 4, 3))
INTS = np.arange(6).reshape(2, 3)
CROSS_CASES = [
    Case("cross", "Cross", tf.cross, (U, V), np.cross, tolerance=1e-15),
    Case("cross-int", "Cross", tf.linalg.cross, (INTS, np.eye(2, 3, dtype=np.int64)),
         lambda a, b: np.cross(a, b)),
    Case("cross-half", "Cross", tf.cross, (U[0].astype(np.float16), V[0].astype(np.float16)),
         lambda a, b: np.cross(a, b).astype(np.float16), tolerance=1e-2),
]  # fmt: skip


@pytest.mark.parametrize(("case", "mode"), cases_by_mode(CROSS_CASES))
def test_cross_kernel(run, case, mode):
    check_case(run, case, mode)


@pytest.mark.parametrize("case", gradient_cases([GradCase("cross", tf.cross, (U, V))]))
def test_cross_gradient(case):
    check_gradient_case(case)


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


def test_eye_as_tf1_builds_it():
    # Names as TF 2.21 builds them (whose diagonal ops are the V3 versions, with their
    # k/num_rows/num_cols/padding_value constants: scopeflow's matrix_diag builds V1).
    with tf.Graph().as_default() as graph:
        square = tf.eye(3)
        rect = tf.eye(2, 3, batch_shape=[4], dtype=tf.int32)
        n = tf.placeholder(tf.int32, [])
        dynamic = tf.linalg.eye(n, batch_shape=[2])
        assert square.name == "eye/diag:0" and square.shape.as_list() == [3, 3]
        assert rect.name == "eye_1/set_diag:0" and rect.shape.as_list() == [4, 2, 3]
        assert dynamic.name == "eye_2/diag:0"
        names = [op.name for op in graph.get_operations()]
        assert names[:5] == ["eye/ones", "eye/diag", "eye_1/ones", "eye_1/zeros", "eye_1/set_diag"]
        assert {"eye_2/Minimum", "eye_2/shape", "eye_2/concat", "eye_2/ones"} <= set(names)
        with tf.Session() as sess:
            got = sess.run([square, rect, dynamic], {n: 2})
    np.testing.assert_array_equal(got[0], np.eye(3, dtype=np.float32))
    np.testing.assert_array_equal(got[1], np.broadcast_to(np.eye(2, 3, dtype=np.int32), (4, 2, 3)))
    np.testing.assert_array_equal(got[2], np.broadcast_to(np.eye(2), (2, 2, 2)))
    for bad in (2.0, True, "2"):
        with pytest.raises(TypeError, match="num_rows and num_columns must be positive integer"):
            tf.eye(bad)
