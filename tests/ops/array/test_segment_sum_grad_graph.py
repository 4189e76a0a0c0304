"""UnsortedSegmentSum's gradient as TF 2.21 builds it (``_GatherDropNegatives``: the ids
clipped at zeros_like, a GatherV2, a GreaterEqual mask reshaped to the gathered rank with
ones, LogicalAnd, SelectV2 against zeros); op list and values are TF 2.21's."""

from __future__ import annotations

import numpy as np

import scopeflow as tf

_S = "gradients/UnsortedSegmentSum_grad/"
TF_OPS = [
    ("zeros_like", "Const"),
    ("Maximum", "Maximum"),
    ("GatherV2/axis", "Const"),
    ("GatherV2", "GatherV2"),
    ("GreaterEqual/y", "Const"),
    ("GreaterEqual", "GreaterEqual"),
    ("Shape", "Const"),
    ("Rank", "Const"),
    ("Rank_1", "Const"),
    ("sub", "Sub"),
    ("ones/packed", "Pack"),
    ("ones/Const", "Const"),
    ("ones", "Fill"),
    ("concat/axis", "Const"),
    ("concat", "ConcatV2"),
    ("Reshape", "Reshape"),
    ("ones_like/Shape/shape_as_tensor", "Const"),
    ("ones_like/Const", "Const"),
    ("ones_like", "Fill"),
    ("and", "LogicalAnd"),
    ("zeros_like_1", "Const"),
    ("SelectV2", "SelectV2"),
]


def test_unsorted_segment_sum_gradient_is_tfs():
    with tf.Graph().as_default() as graph:
        emb = tf.placeholder(tf.float32, [5, 3])
        ids = tf.placeholder(tf.int32, [5])
        summed = tf.math.unsorted_segment_sum(emb, ids, 4)
        weights = tf.constant(np.arange(12, dtype=np.float32).reshape(4, 3))
        (grad,) = tf.gradients(tf.reduce_sum(summed * weights), emb)
        made = [
            (op.name[len(_S) :], op.type) for op in graph.get_operations() if op.name.startswith(_S)
        ]
        assert made == TF_OPS
        assert [t.name for t in graph.get_operation_by_name(_S + "SelectV2").inputs] == [
            _S + "and:0",
            _S + "GatherV2:0",
            _S + "zeros_like_1:0",
        ]
        with tf.Session() as sess:
            got = sess.run(grad, {emb: np.ones((5, 3)), ids: [0, 3, -1, 2, 2]})
    # the row of the negative id gets zeros
    np.testing.assert_array_equal(got, [[0, 1, 2], [9, 10, 11], [0, 0, 0], [6, 7, 8], [6, 7, 8]])
