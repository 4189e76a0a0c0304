"""Tests for scopeflow/ops/strings/fact.py (``tf.user_ops.my_fact``): TF 2.21's op, name and
value."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf
from tests.ops.kernel_table import Case, cases_by_mode, check_case

CASES = [
    Case("zero-factorial", "Fact", tf.user_ops.my_fact, (), np.array(b"0! == 1", dtype=object),
         modes=("full",), exact_static=False),
]  # fmt: skip


@pytest.mark.parametrize(("case", "mode"), cases_by_mode(CASES))
def test_kernels(run, case, mode):
    check_case(run, case, mode)


def test_name_and_value_are_tfs(run):
    fact = tf.user_ops.my_fact()
    assert (fact.name, fact.dtype, fact.shape.ndims) == ("Fact:0", tf.string, None)
    assert run(fact) == b"0! == 1"
