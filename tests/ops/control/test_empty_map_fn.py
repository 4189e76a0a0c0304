"""map_fn/scan over an empty first dimension give an empty result as TF 2.21 does (checked
in the reference TF): the stack of the zero-size result TensorArray takes its element shape
from the loop's writes (the gather's element_shape attr)."""

from __future__ import annotations

import pytest

import scopeflow as tf


def test_map_fn_and_scan_over_empty_elems(graph):
    empty = tf.zeros([0, 3])
    rows = tf.map_fn(lambda x: x * 2, empty)
    sums = tf.map_fn(lambda x: tf.reduce_sum(x), empty)
    fed = tf.placeholder_with_default(empty, [None, 3])
    heads = tf.map_fn(lambda x: x[:2], fed)
    scanned = tf.scan(lambda a, x: a + x, tf.zeros([0, 2]), initializer=tf.zeros([2]))
    outs = [rows, sums, heads, scanned]
    assert [t.shape.as_list() for t in outs] == [[0, 3], [0], [None, 2], [0, 2]]
    assert rows.op.name == "map/TensorArrayStack/TensorArrayGatherV3"
    with tf.Session() as sess:
        got = sess.run(outs)
    assert [v.shape for v in got] == [(0, 3), (0,), (0, 2), (0, 2)]


def test_stacking_an_empty_tensor_array_of_unknown_element_shape_still_fails(graph):
    assert tf.TensorArray(tf.float32, size=0, element_shape=[2]).stack().shape == [0, 2]
    bare = tf.TensorArray(tf.float32, size=0).stack()
    with tf.Session() as sess, pytest.raises(
        tf.errors.UnimplementedError, match="element shape <unknown> is not fully defined"
    ):
        sess.run(bare)
