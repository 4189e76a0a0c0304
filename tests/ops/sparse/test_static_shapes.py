"""Static shapes of sparse reductions and ``sparse_fill_empty_rows`` when the dense shape
and axes are known while building, as TF 2.21's shape functions give them."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf


def _sparse():
    indices = np.array([[0, 0, 1], [1, 2, 3]], np.int64)
    return tf.SparseTensor(indices, np.array([1.0, 2.0], np.float32), np.array([2, 3, 4]))


@pytest.mark.parametrize(
    "axis, keepdims, expected",
    [
        (None, False, []),
        (None, True, [1, 1, 1]),
        (1, False, [2, 4]),
        ([0, -1], True, [1, 3, 1]),
        (5, False, [2, 3]),  # TF's shape function wraps a non-negative axis
        (-4, False, [2, 3, 4]),  # and counts a negative one from the end once
    ],
)
def test_sparse_reduce_static_shape(axis, keepdims, expected):
    total = tf.sparse_reduce_sum(_sparse(), axis=axis, keepdims=keepdims)
    largest = tf.sparse_reduce_max(_sparse(), axis=axis, keepdims=keepdims)
    assert total.shape.as_list() == expected and largest.shape.as_list() == expected


def test_sparse_reduce_shape_unknown_with_fed_dense_shape():
    dense_shape = tf.placeholder(tf.int64, [3])
    sp = tf.SparseTensor(np.zeros([1, 3], np.int64), np.ones([1], np.float32), dense_shape)
    assert tf.sparse_reduce_sum(sp, axis=1).shape.ndims is None


def test_sparse_reduce_sum_values_with_static_shape(run):
    out = run(tf.sparse_reduce_sum(_sparse(), axis=[0, 2]))
    np.testing.assert_allclose(out, [1.0, 0.0, 2.0])


def test_fill_empty_rows_indicator_has_one_entry_per_row(run):
    sp = tf.SparseTensor([[1, 0]], [3.0], [3, 2])
    filled, empty = tf.sparse_fill_empty_rows(sp, -1.0)
    assert empty.shape.as_list() == [3]
    assert run(empty).tolist() == [True, False, True]
