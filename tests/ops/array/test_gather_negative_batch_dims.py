"""``tf.gather`` with a negative ``batch_dims`` and no axis: the axis is ``batch_dims`` as
given (-1: params' last axis), as TF 2.21 builds it."""

from __future__ import annotations

import numpy as np

import scopeflow as tf

PARAMS = np.arange(24, dtype=np.float32).reshape(2, 3, 4)
INDICES = np.int32([[0, 2], [1, 1]])


def test_default_axis_is_the_negative_batch_dims(run):
    out = tf.gather(PARAMS, INDICES, batch_dims=-1)
    assert out.shape.as_list() == [2, 3, 2]
    expected = [[[0, 2], [4, 6], [8, 10]], [[13, 13], [17, 17], [21, 21]]]
    np.testing.assert_array_equal(run(out), expected)


def test_explicit_axis_with_negative_batch_dims(run):
    out = tf.gather(PARAMS, INDICES, batch_dims=-1, axis=1)
    assert out.shape.as_list() == [2, 2, 4]
    np.testing.assert_array_equal(run(out)[1, 0], PARAMS[1, 1])
