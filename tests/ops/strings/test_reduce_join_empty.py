"""reduce_join of empty string tensors gives TF 2.21's results (checked in the reference TF):
empty joins are b"", an empty kept axis gives an empty result."""

from __future__ import annotations

import numpy as np

import scopeflow as tf


def test_reduce_join_of_empty_inputs(graph):
    outs = [
        tf.strings.reduce_join(tf.constant([], tf.string)),
        tf.strings.reduce_join(tf.zeros([0, 2], tf.string), axis=0, separator="-"),
        tf.strings.reduce_join(tf.zeros([0, 2], tf.string), axis=1),
        tf.strings.reduce_join(tf.zeros([2, 0], tf.string), axis=1, keepdims=True),
    ]
    assert [t.shape.as_list() for t in outs] == [[], [2], [0], [2, 1]]
    assert outs[0].op.name == "ReduceJoin/ReduceJoin"
    with tf.Session() as sess:
        got = sess.run(outs)
    assert [np.shape(v) for v in got] == [(), (2,), (0,), (2, 1)]
    assert got[0] == b"" and got[1].tolist() == [b"", b""] and got[3].ravel().tolist() == [b"", b""]
