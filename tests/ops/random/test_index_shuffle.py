"""Tests for scopeflow/ops/random/index_shuffle.py (``tf.random_index_shuffle``,
``tf.random.experimental.index_shuffle``): TF 2.21's values bit for bit (blocks of 16 to 64
bits, every index and seed dtype), names, shapes and errors."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf
from tests.ops.kernel_table import Case, Raises, cases_by_mode, check_case

# TF 2.21's permutation of [0, 16] for the seed (1, 2, 3).
PERM_17 = [2, 15, 6, 4, 8, 16, 13, 9, 5, 3, 1, 10, 7, 12, 14, 0, 11]

CASES = [
    Case("int32-vector", "RandomIndexShuffle", tf.random_index_shuffle,
         (np.arange(17, dtype=np.int32), np.int32([1, 2, 3]), np.int32(16)),
         np.int32(PERM_17), modes=("full", "dims")),
    Case("int64-seed-per-row-6-rounds", "RandomIndexShuffle",
         lambda i, s, m: tf.random_index_shuffle(i, s, m, rounds=6),
         (np.arange(10, dtype=np.int64), np.int64([[1, 2, 3]] * 10), np.int64(9)),
         np.int64([1, 6, 3, 7, 0, 5, 9, 2, 8, 4]), modes=("full", "dims")),
    # An 18-bit block, uint32 seed.
    Case("uint64-18-bit-block", "RandomIndexShuffle", tf.random_index_shuffle,
         (np.uint64([0, 997, 1994, 69790]), np.uint32([5, 6, 7]), np.uint64(69999)),
         np.uint64([34240, 54034, 18763, 49601]), modes=("full", "dims")),
    Case("int64-42-bit-block", "RandomIndexShuffle", tf.random_index_shuffle,
         (np.int64(2**40), np.int32([7, 8, 9]), np.int64(2**41 + 5)),
         np.int64(1099701026439), modes=("full",)),
    Case("uint64-64-bit-block", "RandomIndexShuffle", tf.random_index_shuffle,
         (np.uint64(2**64 - 1), np.uint64([1, 2, 3]), np.uint64(2**64 - 1)),
         np.uint64(18446460285104822107), modes=("full",)),
    # max_index a power of two: a 20-bit block whose top value wraps, as TF's does.
    Case("power-of-two-max", "RandomIndexShuffle", tf.random_index_shuffle,
         (np.int64(2**20), np.int32([1, 2, 3]), np.int64(2**20)), np.int64(27350),
         modes=("full",)),
    Case("index-above-max", "RandomIndexShuffle", tf.random_index_shuffle,
         (np.int32(5), np.int32([1, 2, 3]), np.int32(0)),
         Raises(tf.errors.InvalidArgumentError, "max_index must be >= index, but 0 < 5")),
]  # fmt: skip


@pytest.mark.parametrize(("case", "mode"), cases_by_mode(CASES))
def test_kernels(run, case, mode):
    check_case(run, case, mode)


def test_experimental_index_shuffle_pads_the_seed_as_tf(run, graph):
    out = tf.random.experimental.index_shuffle(3, [1, 2], 9)
    assert [(op.name, op.type) for op in graph.get_operations()] == [
        ("Const", "Const"), ("PadV2/paddings", "Const"), ("PadV2/constant_values", "Const"),
        ("PadV2", "PadV2"), ("RandomIndexShuffle/index", "Const"),
        ("RandomIndexShuffle/max_index", "Const"), ("RandomIndexShuffle", "RandomIndexShuffle"),
    ]  # fmt: skip
    assert run(graph.get_tensor_by_name("PadV2:0")).tolist() == [498247692, 1, 2]
    assert (out.shape.as_list(), run(out)) == ([], 4)
    # max_index 0 and index == max_index
    assert run(tf.random_index_shuffle(0, [1, 2, 3], 0)) == 0
    assert run(tf.random_index_shuffle(5, [1, 2, 3], 5)) == 1


def test_no_gradient_as_in_tf():
    i = tf.range(10)
    assert tf.gradients(tf.cast(tf.random_index_shuffle(i, [1, 2, 3], 9), tf.float32), i) == [
        None
    ]


@pytest.mark.parametrize(
    ("build", "error", "match"),
    [
        (lambda: tf.random_index_shuffle(3, [1, 2], 9), ValueError,
         r"Seed must have shape \[3\] or \[n, 3\] but got \[2\]"),
        (lambda: tf.random.experimental.index_shuffle(3, [1, 2, 3], 9), ValueError,
         r"Seed must have shape \[3\] or \[n, 3\] but got \[4\]"),
        (lambda: tf.random_index_shuffle([[3]], [1, 2, 3], 9), ValueError,
         "Shape must be at most rank 1 but is rank 2"),
        (lambda: tf.random_index_shuffle(3.0, [1, 2, 3], 9.0), TypeError,
         "not in list of allowed values"),
        (lambda: tf.random_index_shuffle(3, [1, 2, 3], tf.constant(9, tf.int64)), TypeError,
         "Input 'max_index' of 'RandomIndexShuffle' Op has type int64 that does not match "
         "type int32 of argument 'index'"),
        (lambda: tf.random_index_shuffle(3, [1, 2, 3], 9, rounds=3), ValueError,
         "rounds must be an even number of at least 4"),
    ],
)  # fmt: skip
def test_build_errors_are_tfs(graph, build, error, match):
    with pytest.raises(error, match=match):
        build()
