"""Tests for scopeflow/ops/array/parallel_concat.py (``tf.parallel_stack``): TF 2.21's op
names, shape checks and values; like TF, no gradient."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf
from tests.ops.kernel_table import Case, cases_by_mode, check_case

CASES = [
    Case("parallel-stack", "ParallelConcat", lambda a, b: tf.parallel_stack([a, b, a]),
         (np.float32([[1, 2]]), np.float32([[3, 4]])),
         np.float32([[[1, 2]], [[3, 4]], [[1, 2]]]), 0, ("full",)),
    Case("parallel-stack-ints", "ParallelConcat", lambda a: tf.parallel_stack([a]),
         (np.int64([5, 6]),), np.int64([[5, 6]]), 0, ("full",)),
]  # fmt: skip


@pytest.mark.parametrize(("case", "mode"), cases_by_mode(CASES))
def test_kernels(run, case, mode):
    check_case(run, case, mode)


def test_names_as_tf_and_no_gradient():
    x = tf.placeholder(tf.float32, [2, 3])
    p = tf.parallel_stack([x, x, x])
    ops = [(op.name, op.type) for op in tf.get_default_graph().get_operations()[1:]]
    assert ops == [  # TF 2.21's graph
        ("parallel_stack/ExpandDims/dim", "Const"),
        ("parallel_stack/ExpandDims", "ExpandDims"),
        ("parallel_stack/ExpandDims_1/dim", "Const"),
        ("parallel_stack/ExpandDims_1", "ExpandDims"),
        ("parallel_stack/ExpandDims_2/dim", "Const"),
        ("parallel_stack/ExpandDims_2", "ExpandDims"),
        ("parallel_stack/ParallelConcat", "ParallelConcat"),
    ]
    assert p.shape.as_list() == [3, 2, 3] and p.op.get_attr("N") == 3
    with pytest.raises(LookupError, match="No gradient defined for operation"):
        tf.gradients(p, x)
    with pytest.raises(ValueError, match="shape attr must be fully defined."):
        tf.parallel_stack([tf.placeholder(tf.float32, [None, 3])])
