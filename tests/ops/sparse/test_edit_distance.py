"""Tests for scopeflow/ops/sparse/edit_distance.py: ``tf.edit_distance`` builds TF1's
``EditDistance`` op, names and static shapes and raises TF1's build errors (records read from
TensorFlow 2.21 by ``tools/tf_reference.py`` from tests/data/tf_reference/edit_distance.py),
and computes TF1's values (the expected values below were read from TensorFlow 2.21),
including its run-time error for a sequence outside the output."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

import scopeflow as tf
from tests.ops.graph_checks import record_tests, setup_of, tf_reference
from tests.ops.kernel_table import Case, Raises, cases_by_mode, check_case

REFERENCE = tf_reference("edit_distance")
SETUP = setup_of(REFERENCE)
GROUPS = REFERENCE["groups"]

# Where scopeflow does something else than TF 2.21: expression -> what it does instead.
DIFFERENCES: dict = {}

(
    test_builds_tf1_ops_and_static_shapes,
    test_gradients_build_tf1_ops,
    test_build_errors,
    test_every_difference_is_a_recorded_expression,
) = record_tests(GROUPS, DIFFERENCES)


def _arrays(indices, values, shape) -> tuple:
    rank = len(shape)
    return (
        np.array(indices, np.int64).reshape(-1, rank),
        np.array(values),
        np.array(shape, np.int64),
    )


def _distance(normalize=True):
    def build(hi, hv, hs, ti, tv, ts):
        return tf.edit_distance(
            tf.SparseTensor(hi, hv, hs), tf.SparseTensor(ti, tv, ts), normalize=normalize
        )

    return build


# One sequence per batch row: a substitution, a missing truth (inf when normalized) and a
# missing hypothesis (1 when normalized).
BATCH = (
    *_arrays([[0, 0], [0, 1], [1, 0]], [1, 2, 3], [3, 2]),
    *_arrays([[0, 0], [0, 1], [0, 2], [2, 0]], [1, 3, 2, 5], [2, 3]),
)
# Sequences on a 2 x 2 grid: an insertion, a deletion, two edits, a missing hypothesis.
GRID = (
    *_arrays(
        [[0, 0, 0], [0, 0, 1], [0, 1, 0], [1, 0, 0], [1, 0, 1], [1, 0, 2]],
        [4, 5, 6, 1, 2, 3],
        [2, 2, 3],
    ),
    *_arrays(
        [[0, 0, 0], [0, 1, 0], [0, 1, 1], [1, 0, 0], [1, 0, 1], [1, 1, 0]],
        [4, 6, 6, 3, 2, 9],
        [2, 2, 2],
    ),
)
WORDS = (
    *_arrays([[0, 0], [0, 1]], np.array([b"a", b"b"], object), [1, 2]),
    *_arrays([[0, 0], [0, 1], [0, 2]], np.array([b"a", b"c", b"b"], object), [1, 3]),
)
EMPTY = (*_arrays([], np.zeros(0, np.int32), [2, 0]), *_arrays([], np.zeros(0, np.int32), [2, 0]))
OUTSIDE = (
    *_arrays([[0, 0], [0, 1], [3, 0]], [1, 2, 3], [3, 2]),
    *_arrays([[0, 0]], [1], [2, 3]),
)

f32 = np.float32
# Fed dense shapes leave the result's shape unknown while building, as in TF.
CASES = [
    Case("batch", "EditDistance", _distance(), BATCH, np.array([1 / 3, np.inf, 1], f32)),
    Case("batch-counts", "EditDistance", _distance(False), BATCH, np.ones(3, f32)),
    Case("grid", "EditDistance", _distance(), GRID, np.array([[1, 0.5], [1, 1]], f32)),
    Case("grid-counts", "EditDistance", _distance(False), GRID, np.array([[1, 1], [2, 1]], f32)),
    Case("words", "EditDistance", _distance(), WORDS, np.array([1 / 3], f32)),
    Case("empty", "EditDistance", _distance(), EMPTY, np.zeros(2, f32)),
    Case(
        "outside",
        "EditDistance",
        _distance(),
        OUTSIDE,
        Raises(
            tf.errors.InternalError,
            "Got an inner product 3 which would require writing to outside of the buffer for "
            "the output tensor (max elements 3)",
        ),
    ),
]


@pytest.mark.parametrize(
    ("case", "mode"), cases_by_mode([dataclasses.replace(c, exact_static=False) for c in CASES])
)
def test_kernel_table(run, case, mode):
    check_case(run, case, mode)


def test_not_differentiable(graph):
    h = tf.SparseTensor([[0, 0]], tf.constant([1.0]), [1, 1])
    assert tf.gradients(tf.edit_distance(h, h), h.values) == [None]
