"""Tests for scopeflow/ops/sparse/merge.py: ``tf.sparse.expand_dims``, ``tf.sparse_merge`` and
``tf.sparse_to_indicator`` build TF1's ops, names and static shapes (records read from
TensorFlow 2.21 by ``tools/tf_reference.py`` from tests/data/tf_reference/sparse_merge.py),
raise TF1's errors, and compute TF1's values (the expected values below were read from
TensorFlow 2.21); sparse_merge's values gradient against finite differences."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf
from tests.ops.graph_checks import record_tests, setup_of, tf_reference

REFERENCE = tf_reference("sparse_merge")
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


# -- values -------------------------------------------------------------------------------

IDX = np.array([[0, 0], [0, 1], [1, 0], [2, 1]], np.int64)
IDS = np.array([4, 1, 0, 4], np.int64)
VALS = np.array([0.5, -1.0, 2.0, 3.0], np.float32)
SHAPE = np.array([3, 2], np.int64)


@pytest.fixture
def sess(graph):
    with tf.Session() as session:
        yield session


def _run(sess, sparse) -> tuple:
    value = sess.run(sparse)
    return value.indices.tolist(), value.values.tolist(), value.dense_shape.tolist()


@pytest.mark.parametrize(
    ("axis", "indices", "dense_shape"),
    [
        (None, [[0, 0, 0], [0, 1, 0], [1, 0, 0], [2, 1, 0]], [3, 2, 1]),
        (0, [[0, 0, 0], [0, 0, 1], [0, 1, 0], [0, 2, 1]], [1, 3, 2]),
        (1, [[0, 0, 0], [0, 0, 1], [1, 0, 0], [2, 0, 1]], [3, 1, 2]),
        (-3, [[0, 0, 0], [0, 0, 1], [0, 1, 0], [0, 2, 1]], [1, 3, 2]),
    ],
)
def test_expand_dims_inserts_a_dimension_where_list_insert_would(sess, axis, indices, dense_shape):
    sp = tf.SparseTensor(IDX, VALS, SHAPE)
    assert _run(sess, tf.sparse.expand_dims(sp, axis)) == (indices, VALS.tolist(), dense_shape)


def test_expand_dims_takes_a_tensor_axis(sess):
    axis = tf.placeholder(tf.int32, [])
    sp = tf.sparse.expand_dims(tf.SparseTensor(IDX, VALS, SHAPE), axis)
    assert sess.run(sp.dense_shape, {axis: -2}).tolist() == [3, 1, 2]


def test_merge_replaces_the_last_column_by_the_ids_in_row_major_order(sess):
    merged = tf.sparse_merge(tf.SparseTensor(IDX, IDS, SHAPE), tf.SparseTensor(IDX, VALS, SHAPE), 5)
    assert _run(sess, merged) == (
        [[0, 1], [0, 4], [1, 0], [2, 4]],
        [-1.0, 0.5, 2.0, 3.0],
        [3, 5],
    )
    unsorted = tf.sparse.merge(
        tf.SparseTensor(IDX, IDS.astype(np.int32), SHAPE),
        tf.SparseTensor(IDX, VALS, SHAPE),
        tf.constant(5),
        already_sorted=True,
    )
    assert _run(sess, unsorted) == ([[0, 4], [0, 1], [1, 0], [2, 4]], VALS.tolist(), [3, 5])


def test_merge_of_several_id_tensors_adds_a_column_each(sess):
    second = tf.SparseTensor(IDX, np.array([2, 0, 1, 1], np.int32), SHAPE)
    merged = tf.sparse_merge(
        [tf.SparseTensor(IDX, IDS, SHAPE), second], tf.SparseTensor(IDX, VALS, SHAPE), [5, 3]
    )
    assert _run(sess, merged) == (
        [[0, 1, 0], [0, 4, 2], [1, 0, 1], [2, 4, 1]],
        [-1.0, 0.5, 2.0, 3.0],
        [3, 5, 3],
    )


def test_merge_values_gradient_follows_the_reordering(sess):
    values = tf.constant(VALS)
    merged = tf.sparse_merge(
        tf.SparseTensor(IDX, IDS, SHAPE), tf.SparseTensor(IDX, values, SHAPE), 5
    )
    weights = tf.constant([1.0, 2.0, 3.0, 4.0])
    (grad,) = tf.gradients(tf.reduce_sum(merged.values * weights), values)
    assert sess.run(grad).tolist() == [2.0, 1.0, 3.0, 4.0]


def test_to_indicator_marks_each_id_repeats_allowed(sess):
    ids = tf.SparseTensor([[0, 0], [0, 1], [1, 0], [1, 1], [1, 2]], [3, 3, 0, 2, 0], [2, 3])
    indicator = tf.sparse_to_indicator(ids, 4)
    assert indicator.shape.as_list() == [2, 4]
    assert sess.run(indicator).tolist() == [
        [False, False, False, True],
        [True, False, True, False],
    ]


def test_to_indicator_out_of_range_id_fails_at_run_time(sess):
    ids = tf.SparseTensor([[0, 0]], tf.constant([7], tf.int64), [1, 1])
    with pytest.raises(tf.errors.InvalidArgumentError, match="out of bounds"):
        sess.run(tf.sparse.to_indicator(ids, vocab_size=4, name="ind"))
