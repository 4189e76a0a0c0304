"""Tests for scopeflow/ops/math/bucketize.py: ``Bucketize`` gives TF's buckets (values checked
against TensorFlow 2.21: [-5, 0, 9.9, 10, 150] over [0, 10, 100] -> [0, 1, 1, 2, 3])."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf
from scopeflow.ops.math.bucketize import bucketize
from tests.ops.kernel_table import Case, cases_by_mode, check_case

X = np.array([[-5.0, 0.0, 9.9], [10.0, 150.0, 100.0]], np.float32)
IDS = np.array([3, -1, 7], np.int64)

CASES = [
    Case(
        "floats",
        "Bucketize",
        lambda x: bucketize(x, [0.0, 10.0, 100.0]),
        (X,),
        np.array([[0, 1, 1], [2, 3, 3]], np.int32),
    ),
    Case("ints", "Bucketize", lambda i: bucketize(i, [0, 5]), (IDS,), np.array([1, 0, 2], "i4")),
]


@pytest.mark.parametrize(("case", "mode"), cases_by_mode(CASES))
def test_kernels(run, case, mode):
    check_case(run, case, mode)


def test_boundaries_must_be_sorted_and_inputs_numbers():
    with pytest.raises(ValueError, match="Expected sorted boundaries"):
        bucketize(tf.constant([1.0]), [2.0, 1.0])
    with pytest.raises(TypeError):
        bucketize(tf.constant(["a"]), [1.0])
