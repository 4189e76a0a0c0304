"""Tests for tf.gather's batch_dims (scopeflow/ops/array/gather.py): TF's GatherV2 with its
batch_dims attr, each batch entry gathering from its own slice of params; values, shapes and
gradients as TensorFlow 2.21 printed them (its gradient graph is built differently)."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf
from tests.ops.grad_check import GradCase, check_gradient_case, gradient_cases
from tests.ops.kernel_table import Case, cases_by_mode, check_case

P = np.arange(24, dtype=np.float32).reshape(2, 3, 4)

CASES = [
    Case(
        "axis1-batch1",
        "GatherV2",
        lambda p, i: tf.gather(p, i, axis=1, batch_dims=1),
        (P, np.int32([[0, 2], [1, 1]])),
        np.float32([[[0, 1, 2, 3], [8, 9, 10, 11]], [[16, 17, 18, 19], [16, 17, 18, 19]]]),
        modes=("dims",),
    ),
    Case(
        "axis2-batch2",
        "GatherV2",
        lambda p, i: tf.gather(p, i, axis=2, batch_dims=2),
        (P, np.int32([[[0, 1], [1, 0], [2, 2]], [[3, 0], [1, 1], [0, 2]]])),
        np.float32([[[0, 1], [5, 4], [10, 10]], [[15, 12], [17, 17], [20, 22]]]),
        modes=("dims",),
    ),
]


@pytest.mark.parametrize(("case", "mode"), cases_by_mode(CASES))
def test_kernels(run, case, mode):
    check_case(run, case, mode)


GRAD_CASES = [
    GradCase(
        "axis2-batch1",
        lambda p: tf.gather(p, [[0, 3, 1], [2, 2, 0]], axis=2, batch_dims=1),
        (P.astype(np.float64),),
    ),
]


@pytest.mark.parametrize("case", gradient_cases(GRAD_CASES))
def test_gradient_matches_finite_differences(case):
    check_gradient_case(case)


def test_graph_shapes_and_tensorflows_gradient(graph):
    p = tf.constant(P)
    y = tf.gather(p, [[0, 2], [1, 1]], axis=1, batch_dims=1)
    last = tf.gather(p, [[1], [0]], axis=2, batch_dims=-1)
    assert (y.op.type, y.op.get_attr("batch_dims"), y.shape.as_list()) == ("GatherV2", 1, [2, 2, 4])
    assert last.shape.as_list() == [2, 3, 1]
    grad = tf.gradients(tf.reduce_sum(y * y * 0.5 + y), p)[0]
    with tf.Session() as sess:
        got = sess.run(grad)
    # TF 2.21's values
    assert got.ravel().tolist() == [
        1, 2, 3, 4, 0, 0, 0, 0, 9, 10, 11, 12, 0, 0, 0, 0, 34, 36, 38, 40, 0, 0, 0, 0,
    ]  # fmt: skip
    with pytest.raises(NotImplementedError, match="constant axis at or after the batch"):
        tf.gather(p, [[0], [1]], axis=0, batch_dims=1)
