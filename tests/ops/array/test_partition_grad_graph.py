"""DynamicPartition's gradient as TF 2.21 builds it: the row positions partitioned alike and
the output gradients stitched back with ParallelDynamicStitch (an IndexedSlices made dense as
its ``data_<i>``); op list and values are TF 2.21's."""

from __future__ import annotations

import numpy as np

import scopeflow as tf

_S = "gradients/DynamicPartition_grad/"
TF_OPS = [
    ("Shape", "Const"),
    ("Const", "Const"),
    ("Prod", "Prod"),
    ("range/start", "Const"),
    ("range/delta", "Const"),
    ("range", "Range"),
    ("Reshape", "Reshape"),
    ("DynamicPartition", "DynamicPartition"),
    ("ParallelDynamicStitch", "ParallelDynamicStitch"),
    ("Shape_1", "Const"),
    ("Reshape_1", "Reshape"),
]


def test_dynamic_partition_gradient_is_tfs():
    with tf.Graph().as_default() as graph:
        x = tf.placeholder(tf.float32, [5, 3])
        parts = tf.dynamic_partition(x, [0, 1, 0, 2, 1], 3)
        loss = tf.reduce_sum(parts[0] * 2.0) + tf.reduce_sum(tf.square(parts[2]))
        (grad,) = tf.gradients(loss, x)
        made = [
            (op.name[len(_S) :], op.type) for op in graph.get_operations() if op.name.startswith(_S)
        ]
        assert made == TF_OPS
        with tf.Session() as sess:
            got = sess.run(grad, {x: np.arange(15, dtype=np.float32).reshape(5, 3)})
    np.testing.assert_allclose(got, [[2, 2, 2], [0, 0, 0], [2, 2, 2], [18, 20, 22], [0, 0, 0]])
