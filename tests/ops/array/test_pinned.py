"""Tests for scopeflow/ops/array/pinned.py (``tf.check_pinned``): TF 2.21's names and, for a
tensor in ordinary host memory, its run-time failure and missing gradient."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf
from tests.ops.kernel_table import Case, Raises, cases_by_mode, check_case

CASES = [
    Case("host-memory-is-not-pinned", "CheckPinned", tf.check_pinned, (np.float32([1, 2]),),
         Raises(tf.errors.InvalidArgumentError, "not pinned")),
]  # fmt: skip


@pytest.mark.parametrize(("case", "mode"), cases_by_mode(CASES))
def test_kernels(run, case, mode):
    check_case(run, case, mode)


def test_names_and_no_gradient_as_in_tf(graph):
    x = tf.constant([1.0, 2.0])
    y = tf.check_pinned(x)
    assert (y.name, y.shape.as_list(), [op.name for op in graph.get_operations()]) == (
        "CheckPinned:0", [2], ["Const", "CheckPinned"],
    )  # fmt: skip
    with pytest.raises(LookupError, match="No gradient defined for operation 'CheckPinned'"):
        tf.gradients(y, x)
