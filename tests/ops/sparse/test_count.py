"""Tests for scopeflow/ops/sparse/count.py: ``tf.sparse.bincount`` with the
``DenseCountSparseOutput``/``SparseCountSparseOutput`` ops, values, shapes and errors as TF 2.21's
``tf.compat.v1`` gives them for the same inputs."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf
from tests.ops.kernel_table import Case, Raises, cases_by_mode, check_case

ROWS = np.array([[1, 2, 2], [0, 5, 1]], np.int32)
WEIGHTS = np.array([[0.5, 1.0, 2.0], [3.0, 4.0, 5.0]], np.float32)


def _sparse():
    return tf.SparseTensor([[0, 0], [0, 1], [1, 2]], [3, 3, 5], [2, 4])


def _parts(build):
    return lambda *h: (lambda st: [st.indices, st.values, st.dense_shape])(build(*h))


CASES = [
    Case(
        "rows_weighted",
        "DenseCountSparseOutput",
        _parts(lambda v, w: tf.sparse.bincount(v, weights=w, axis=-1)),
        (ROWS, WEIGHTS),
        [
            np.array([[0, 1], [0, 2], [1, 0], [1, 1], [1, 5]]),
            np.array([0.5, 3.0, 3.0, 5.0, 4.0], np.float32),
            np.array([2, 6]),
        ],
        modes=("full", "dims"),
        exact_static=False,
    ),
    Case(
        "all_values_weighted",
        "DenseCountSparseOutput",
        _parts(lambda v, w: tf.sparse.bincount(v, weights=w)),
        (ROWS, WEIGHTS),
        [np.array([[0], [1], [2], [5]]), np.array([3.0, 5.5, 3.0, 4.0], np.float32), [6]],
        exact_static=False,
    ),
    Case(
        "maxlength_caps",
        "DenseCountSparseOutput",
        _parts(lambda v: tf.sparse.bincount(v, axis=-1, maxlength=2)),
        (ROWS,),
        [np.array([[0, 1], [1, 0], [1, 1]]), np.array([1, 1, 1], np.int32), np.array([2, 2])],
        modes=("full", "dims"),
        exact_static=False,
    ),
    Case(
        "maxlength_is_the_size",
        "DenseCountSparseOutput",
        _parts(lambda v: tf.sparse.bincount(v, axis=-1, maxlength=10, minlength=3)),
        (ROWS,),
        [
            np.array([[0, 1], [0, 2], [1, 0], [1, 1], [1, 5]]),
            np.array([1, 2, 1, 1, 1], np.int32),
            np.array([2, 10]),
        ],
        modes=("full", "dims"),
        exact_static=False,
    ),
    Case(
        "int64_values_count_as_int64",
        "DenseCountSparseOutput",
        _parts(lambda v: tf.sparse.bincount(v)),
        (np.array([1, 1, 7], np.int64),),
        [np.array([[1], [7]]), np.array([2, 1], np.int64), np.array([8])],
        exact_static=False,
    ),
    Case(
        "empty_has_one_bin",
        "DenseCountSparseOutput",
        _parts(lambda v: tf.sparse.bincount(v)),
        (np.zeros(0, np.int32),),
        [np.zeros((0, 1), np.int64), np.zeros(0, np.int32), np.array([1])],
        exact_static=False,
    ),
    Case(
        "sparse_rows",
        "SparseCountSparseOutput",
        _parts(lambda i, v, s: tf.sparse.bincount(tf.SparseTensor(i, v, s), axis=-1)),
        (np.array([[0, 0], [0, 1], [2, 2]], np.int64), np.array([3, 3, 5], np.int32), [4, 4]),
        [np.array([[0, 3], [2, 5]]), np.array([2, 1], np.int32), np.array([4, 6])],
        modes=("full",),
        exact_static=False,
    ),
    Case(
        "negative",
        "DenseCountSparseOutput",
        lambda v: tf.sparse.bincount(v, axis=-1).values,
        (np.array([[1, -2]], np.int32),),
        Raises(tf.errors.InvalidArgumentError, "Input values must all be non-negative"),
    ),
    Case(
        "rank_3",
        "DenseCountSparseOutput",
        lambda v: tf.sparse.bincount(v, axis=-1).values,
        (np.ones([2, 2, 2], np.int32),),
        Raises(
            tf.errors.InvalidArgumentError,
            "Input must be a 1 or 2-dimensional tensor. Got: [2,2,2]",
        ),
        modes=("full",),
    ),
]


@pytest.mark.parametrize(("case", "mode"), cases_by_mode(CASES))
def test_kernels(run, case, mode):
    check_case(run, case, mode)


def test_sparse_values_count_per_row(graph, run):
    counts = tf.sparse.bincount(_sparse(), axis=-1)
    assert counts.values.op.type == "SparseCountSparseOutput"
    assert counts.values.op.name == "count/SparseCountSparseOutput"
    value = run(counts)
    assert value.indices.tolist() == [[0, 3], [1, 5]]
    assert value.values.tolist() == [2, 1] and value.dense_shape.tolist() == [2, 6]
    weights = tf.SparseTensor([[0, 0], [0, 1], [1, 2]], [1.0, 2.0, 3.0], [2, 4])
    weighted = run(tf.sparse.bincount(_sparse(), weights=weights, axis=-1, minlength=7))
    assert weighted.values.tolist() == [3.0, 3.0] and weighted.dense_shape.tolist() == [2, 7]
    binary = run(tf.sparse.bincount(_sparse(), axis=-1, binary_output=True, maxlength=4))
    assert binary.indices.tolist() == [[0, 3]] and binary.dense_shape.tolist() == [2, 4]
    rows = tf.SparseTensor([[0, 0], [0, 1], [2, 2]], [3, 3, 5], [4, 4])
    assert run(tf.sparse.bincount(rows, axis=-1)).dense_shape.tolist() == [4, 6]
    everything = run(tf.sparse.bincount(_sparse(), minlength=6))
    assert everything.indices.tolist() == [[3], [5]] and everything.values.tolist() == [2, 1]


RAGGED_VALUES = np.array([1, 2, 2, 5, 1, 0, 0], np.int32)
RAGGED_SPLITS = np.array([0, 3, 3, 7], np.int64)
RAGGED_CASES = [
    Case(
        "ragged_rows",
        "RaggedCountSparseOutput",
        _parts(lambda v, s: tf.sparse.bincount(tf.RaggedTensor.from_row_splits(v, s), axis=-1)),
        (RAGGED_VALUES, RAGGED_SPLITS),
        [
            np.array([[0, 1], [0, 2], [2, 0], [2, 1], [2, 5]]),
            np.array([1, 2, 2, 1, 1], np.int32),
            np.array([3, 6]),
        ],
        modes=("full",),
        exact_static=False,
    ),
    Case(
        "ragged_weighted",
        "RaggedCountSparseOutput",
        _parts(
            lambda v, s, w: tf.sparse.bincount(
                tf.RaggedTensor.from_row_splits(v, s),
                weights=tf.RaggedTensor.from_row_splits(w, s),
                axis=-1,
                minlength=8,
            )
        ),
        (RAGGED_VALUES, RAGGED_SPLITS, np.array([0.5, 1, 2, 3, 4, 5, 6], np.float32)),
        [
            np.array([[0, 1], [0, 2], [2, 0], [2, 1], [2, 5]]),
            np.array([0.5, 3.0, 11.0, 4.0, 3.0], np.float32),
            np.array([3, 8]),
        ],
        modes=("full",),
        exact_static=False,
    ),
    Case(
        "ragged_binary_capped",
        "RaggedCountSparseOutput",
        _parts(
            lambda v, s: tf.sparse.bincount(
                tf.RaggedTensor.from_row_splits(v, s), axis=-1, binary_output=True, maxlength=3
            )
        ),
        (RAGGED_VALUES, RAGGED_SPLITS),
        [np.array([[0, 1], [0, 2], [2, 0], [2, 1]]), np.ones(4, np.int32), np.array([3, 3])],
        modes=("full",),
        exact_static=False,
    ),
]


@pytest.mark.parametrize(("case", "mode"), cases_by_mode(RAGGED_CASES))
def test_ragged_kernels(run, case, mode):
    check_case(run, case, mode)


def test_ragged_values_over_all_rows(graph, run):
    ragged = tf.ragged.constant([[1, 2, 2], [], [5, 1, 0, 0]])
    counts = tf.sparse.bincount(ragged)
    assert counts.values.op.type == "DenseCountSparseOutput"
    value = run(counts)
    assert value.indices.tolist() == [[0], [1], [2], [5]] and value.values.tolist() == [2, 2, 2, 1]
    with pytest.raises(ValueError, match="`weights` must be a RaggedTensor"):
        tf.sparse.bincount(ragged, weights=tf.ones([7]), axis=-1)


def test_bad_arguments(graph):
    with pytest.raises(ValueError, match="`binary_output` and `weights` are mutually exclusive"):
        tf.sparse.bincount(ROWS, weights=WEIGHTS, binary_output=True)
    with pytest.raises(ValueError, match="Unsupported value for argument axis=1"):
        tf.sparse.bincount(ROWS, axis=1)
    with pytest.raises(ValueError, match="`weights` must be a SparseTensor"):
        tf.sparse.bincount(_sparse(), weights=[1.0, 2.0, 3.0])
    with pytest.raises(TypeError, match="float32"):
        tf.sparse.bincount(tf.constant([1.0]))
    with pytest.raises(ValueError, match="Shapes must be equal rank, but are 1 and 2"):
        tf.sparse.bincount(ROWS, weights=tf.ones([3]), axis=-1)
    with pytest.raises(ValueError, match="'minlength' of 'DenseCountSparseOutput' Op passed -2"):
        tf.sparse.bincount(ROWS, minlength=-2)
