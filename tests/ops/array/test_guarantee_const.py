"""Tests for scopeflow/ops/array/guarantee_const.py (``tf.guarantee_const``): TF 2.21's names,
values and its missing gradient."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf
from tests.ops.kernel_table import Case, cases_by_mode, check_case

CASES = [
    Case("float", "GuaranteeConst", tf.guarantee_const, (np.float32([[3, 1], [4, 1]]),),
         np.float32([[3, 1], [4, 1]])),
    Case("string", "GuaranteeConst", tf.guarantee_const, (np.array([b"a", b"bc"]),),
         np.array([b"a", b"bc"], dtype=object)),
]  # fmt: skip


@pytest.mark.parametrize(("case", "mode"), cases_by_mode(CASES))
def test_kernels(run, case, mode):
    check_case(run, case, mode)


def test_names_are_tfs(graph):
    c = tf.guarantee_const([1.0, 2.0])
    named = tf.guarantee_const(c, name="gc")
    assert [op.name for op in graph.get_operations()] == [
        "GuaranteeConst/input", "GuaranteeConst", "gc",
    ]  # fmt: skip
    assert (c.name, c.dtype, c.shape.as_list(), named.name) == (
        "GuaranteeConst:0", tf.float32, [2], "gc:0",
    )  # fmt: skip


def test_no_gradient_as_in_tf():
    x = tf.constant([1.0, 2.0])
    with pytest.raises(LookupError, match="No gradient defined for operation 'GuaranteeConst'"):
        tf.gradients(tf.guarantee_const(x) * 2.0, x)
