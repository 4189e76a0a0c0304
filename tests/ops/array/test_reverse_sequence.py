"""Tests for scopeflow/ops/array/reverse_sequence.py: ``ReverseSequence``'s kernel against a
NumPy loop, its gradient against finite differences and its run-time errors. Its graphs and
build errors are TF's records in tests/rnn/test_reference.py (``bidirectional_dynamic_rnn``
uses it)."""

from __future__ import annotations

import re

import numpy as np
import pytest

import scopeflow as tf
from tests.ops.grad_check import GradCase, check_gradient_case, gradient_cases
from tests.ops.kernel_table import Case, cases_by_mode, check_case

A = np.arange(24, dtype=np.float32).reshape(2, 4, 3)
L = np.array([3, 0], np.int32)


def _reversed(x, lengths, seq_axis, batch_axis):
    out = np.array(x, copy=True)
    for b, n in enumerate(lengths):
        index = [slice(None)] * x.ndim
        index[batch_axis], index[seq_axis] = b, slice(0, n)
        out[tuple(index)] = np.flip(x[tuple(index)], axis=seq_axis - (seq_axis > batch_axis))
    return out


# fmt: off
CASES = [
    Case("batch-major", "ReverseSequence", lambda x, n: tf.reverse_sequence(x, n, 1), (A, L),
         lambda x, n: _reversed(x, n, 1, 0)),
    Case("time-major", "ReverseSequence",
         lambda x, n: tf.reverse_sequence(x, n, seq_axis=0, batch_axis=1),
         (A.transpose(1, 0, 2), L), lambda x, n: _reversed(x, n, 0, 1)),
    Case("int64-lengths", "ReverseSequence", lambda x, n: tf.reverse_sequence(x, n, 2),
         (A, np.array([3, 2], np.int64)), lambda x, n: _reversed(x, n, 2, 0)),
]

GRADIENTS = [
    GradCase("reverse-sequence", lambda x: tf.reverse_sequence(x, [3, 1], 1),
             (np.linspace(-1, 1, 24).reshape(2, 4, 3),)),
    GradCase("reverse-sequence-time-major",
             lambda x: tf.reverse_sequence(x, [2, 4], seq_axis=0, batch_axis=1),
             (np.linspace(-1, 1, 24).reshape(4, 2, 3),)),
]
# fmt: on


@pytest.mark.parametrize(("case", "mode"), cases_by_mode(CASES))
def test_kernel_matches_numpy(run, case, mode):
    check_case(run, case, mode)


@pytest.mark.parametrize("case", gradient_cases(GRADIENTS))
def test_gradient_matches_finite_differences(case):
    check_gradient_case(case)


@pytest.mark.parametrize(
    ("lengths", "message"),
    [([2, 7], "seq_lens(1) > input.dims(1)"), ([-1, 2], "seq_lens(0) < 0")],
)
def test_runtime_errors_name_the_problem(run, lengths, message):
    x = tf.placeholder(tf.float32, [2, 4, 3])
    n = tf.placeholder(tf.int32, [None])
    with pytest.raises(tf.errors.InvalidArgumentError, match=re.escape(message)):
        run(tf.reverse_sequence(x, n, 1), {x: A, n: lengths})


def test_old_argument_names_warn_and_work(run):
    with pytest.warns(UserWarning, match="seq_dim is deprecated, use seq_axis instead"):
        out = tf.reverse_sequence(A, [2, 4], seq_dim=1)
    np.testing.assert_array_equal(run(out), _reversed(A, [2, 4], 1, 0))
