"""Tests for scopeflow/ops/math/matrix_diag_v3.py: TF 2's ``MatrixDiagV3``,
``MatrixDiagPartV3`` and ``MatrixSetDiagV3`` (what graphs TensorFlow 2.x writes hold for
``tf.eye``, ``tf.linalg.diag``...) compute TF's values, shapes, errors and gradients; the
expected numbers were printed by TensorFlow 2.21 (``tf.raw_ops``, graph mode)."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf
from tests.ops.grad_check import GradCase, check_gradient_case, gradient_cases
from tests.ops.kernel_table import Case, Raises, cases_by_mode, check_case

R = tf.raw_ops
X = np.arange(12, dtype=np.float32).reshape(3, 4)

CASES = [
    Case(
        "diag-k1-padding",
        "MatrixDiagV3",
        lambda d: R.MatrixDiagV3(diagonal=d, k=1, num_rows=-1, num_cols=-1, padding_value=9.0),
        (np.float32([[1, 2], [3, 4]]),),
        np.float32([[[9, 1, 9], [9, 9, 2], [9, 9, 9]], [[9, 3, 9], [9, 9, 4], [9, 9, 9]]]),
    ),
    Case(
        "diag-k0-wide",
        "MatrixDiagV3",
        lambda d: R.MatrixDiagV3(diagonal=d, k=0, num_rows=-1, num_cols=5, padding_value=0),
        (np.int32([1, 2, 3]),),
        np.int32([[1, 0, 0, 0, 0], [0, 2, 0, 0, 0], [0, 0, 3, 0, 0]]),
    ),
    Case(
        "diag-inconsistent-sizes",
        "MatrixDiagV3",
        lambda d: R.MatrixDiagV3(diagonal=d, k=0, num_rows=5, num_cols=4, padding_value=0.0),
        (np.float32([1, 2]),),
        Raises(tf.errors.InvalidArgumentError, "num_rows and num_cols are not consistent"),
        modes=("dims", "rank"),
    ),
    Case(
        "part-k1",
        "MatrixDiagPartV3",
        lambda x: R.MatrixDiagPartV3(input=x, k=1, padding_value=0.0),
        (X,),
        np.float32([1, 6, 11]),
    ),
    Case(
        "part-k-minus-1",
        "MatrixDiagPartV3",
        lambda x: R.MatrixDiagPartV3(input=x, k=-1, padding_value=0.0),
        (X,),
        np.float32([4, 9]),
    ),
    Case(
        "part-band",
        "MatrixDiagPartV3",
        lambda x: R.MatrixDiagPartV3(input=x, k=[0, 1], padding_value=0.0),
        (X,),
        np.float32([[1, 6, 11], [0, 5, 10]]),
    ),
    Case(
        "part-band-left-right",
        "MatrixDiagPartV3",
        lambda x: R.MatrixDiagPartV3(input=x, k=[-2, 1], padding_value=-1.0, align="LEFT_RIGHT"),
        (X,),
        np.float32([[1, 6, 11], [0, 5, 10], [-1, 4, 9], [-1, -1, 8]]),
    ),
    Case(
        "diag-band",
        "MatrixDiagV3",
        lambda d: R.MatrixDiagV3(diagonal=d, k=[-1, 1], num_rows=-1, num_cols=-1, padding_value=0),
        (np.float32([[1, 2, 3], [4, 5, 6], [7, 8, 9]]),),
        np.float32([[4, 2, 0], [7, 5, 3], [0, 8, 6]]),
    ),
    Case(
        "set-band",
        "MatrixSetDiagV3",
        lambda x, d: R.MatrixSetDiagV3(input=x, diagonal=d, k=[0, 1]),
        (np.zeros((3, 4), np.float32), np.float32([[1, 2, 3], [4, 5, 6]])),
        np.float32([[4, 1, 0, 0], [0, 5, 2, 0], [0, 0, 6, 3]]),
    ),
    Case(
        "set-k1",
        "MatrixSetDiagV3",
        lambda x, d: R.MatrixSetDiagV3(input=x, diagonal=d, k=1),
        (np.zeros((3, 4), np.float32), np.float32([7, 8, 9])),
        np.float32([[0, 7, 0, 0], [0, 0, 8, 0], [0, 0, 0, 9]]),
    ),
]


@pytest.mark.parametrize(("case", "mode"), cases_by_mode(CASES))
def test_kernels(run, case, mode):
    check_case(run, case, mode)


GRAD_CASES = [
    GradCase(
        "diag",
        lambda d: R.MatrixDiagV3(diagonal=d, k=1, num_rows=-1, num_cols=-1, padding_value=0.0),
        (np.arange(4.0).reshape(2, 2),),
    ),
    GradCase("part", lambda x: R.MatrixDiagPartV3(input=x, k=-1, padding_value=0.0), (X * 1.0,)),
    GradCase(
        "set",
        lambda x, d: R.MatrixSetDiagV3(input=x, diagonal=d, k=1),
        (np.ones((3, 4)), np.float64([7, 8, 9])),
    ),
    GradCase(
        "diag-band",
        lambda d: R.MatrixDiagV3(
            diagonal=d, k=[-1, 1], num_rows=-1, num_cols=-1, padding_value=0.0, align="LEFT_RIGHT"
        ),
        (np.arange(6.0).reshape(3, 2),),
    ),
    GradCase(
        "part-band",
        lambda x: R.MatrixDiagPartV3(input=x, k=[-2, 1], padding_value=0.0, align="LEFT_LEFT"),
        (X * 1.0,),
    ),
    GradCase(
        "set-band",
        lambda x, d: R.MatrixSetDiagV3(input=x, diagonal=d, k=[0, 1]),
        (np.ones((3, 4)), np.float64([[1, 2, 3], [4, 5, 6]])),
    ),
]


@pytest.mark.parametrize("case", gradient_cases(GRAD_CASES))
def test_gradient_matches_finite_differences(case):
    check_gradient_case(case)


def test_tf2_graphs_eye_and_static_shapes(graph):
    eye = tf.raw_ops.MatrixDiagV3(
        diagonal=tf.ones([2]), k=0, num_rows=2, num_cols=3, padding_value=0.0
    )
    part = tf.raw_ops.MatrixDiagPartV3(input=tf.zeros([3, 4]), k=[0, 0], padding_value=0.0)
    assert (eye.shape.as_list(), part.shape.as_list()) == ([2, 3], [3])  # TF 2.21's
    with tf.Session() as sess:
        assert sess.run(eye).tolist() == [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]
