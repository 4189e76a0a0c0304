"""``tf.gather_nd(..., batch_dims=b)``: TF's ``BatchGatherND`` composite (batch dimensions
flattened, indices prefixed by their batch position, one ``GatherNd``), with TF 2.21's
values, shapes, result name and build errors."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf

PARAMS = np.arange(48, dtype=np.float32).reshape(2, 3, 2, 4)
INDICES = np.int32([[[0, 1], [2, 0]], [[1, 1], [1, 0]]])
EXPECTED = [
    [[4.0, 5.0, 6.0, 7.0], [16.0, 17.0, 18.0, 19.0]],
    [[36.0, 37.0, 38.0, 39.0], [32.0, 33.0, 34.0, 35.0]],
]


def test_one_batch_dimension(run):
    out = tf.gather_nd(PARAMS, INDICES, batch_dims=1)
    assert out.name == "BatchGatherND/Reshape_3:0" and out.shape.as_list() == [2, 2, 4]
    np.testing.assert_array_equal(run(out), EXPECTED)


def test_fed_indices(run):
    indices = tf.placeholder(tf.int32, [None, None, 2])
    out = tf.gather_nd(PARAMS, indices, batch_dims=1)
    assert out.shape.as_list() == [2, None, 4]
    np.testing.assert_array_equal(run(out, {indices: INDICES}), EXPECTED)
    unknown = tf.placeholder(tf.int32)
    out = tf.gather_nd(PARAMS, unknown, batch_dims=1)
    np.testing.assert_array_equal(run(out, {unknown: INDICES}), EXPECTED)


def test_two_batch_dimensions_and_rows(run):
    table = np.arange(8, dtype=np.float32).reshape(2, 2, 2)
    out = tf.gather_nd(table, np.int64([[[1], [0]], [[0], [0]]]), batch_dims=2)
    assert out.shape.as_list() == [2, 2]
    np.testing.assert_array_equal(run(out), [[1.0, 2.0], [4.0, 6.0]])
    matrix = np.arange(12, dtype=np.float32).reshape(3, 4)
    rows = tf.gather_nd(matrix, [[1], [3], [0]], batch_dims=1)
    np.testing.assert_array_equal(run(rows), [1.0, 7.0, 8.0])


def test_gradient_scatters_into_each_batch(run):
    params = tf.constant(PARAMS)
    loss = tf.reduce_sum(tf.gather_nd(params, INDICES, batch_dims=1) * 2.0)
    grad = run(tf.gradients(loss, params)[0])
    np.testing.assert_array_equal(grad.sum(axis=(2, 3)), [[8, 0, 8], [0, 16, 0]])


@pytest.mark.parametrize(
    "batch_dims, match",
    [
        (-1, "tf.gather_nd does not allow negative batch_dims"),
        (3, r"Argument `batch_dims` = 3 must be less than rank\(`indices`\) = 3"),
    ],
)
def test_build_errors(batch_dims, match):
    with pytest.raises(ValueError, match=match):
        tf.gather_nd(PARAMS, INDICES, batch_dims=batch_dims)
