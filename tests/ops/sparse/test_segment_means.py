"""Static shapes and op names of unsorted_segment_mean/sqrt_n, as TF 2.21 builds them."""

import numpy as np

import scopeflow as tf


def test_unsorted_segment_mean_has_tf_static_shape_and_ops():
    g = tf.Graph()
    with g.as_default():
        h = tf.placeholder(tf.float32, [None, 4])
        ids = tf.placeholder(tf.int32, [None])
        mean = tf.unsorted_segment_mean(h, ids, 2)
        root = tf.unsorted_segment_sqrt_n(h, ids, 2)
        deep = tf.unsorted_segment_mean(tf.placeholder(tf.float32, [None, 4, 3]), ids, 5)
        by_tensor = tf.unsorted_segment_mean(
            tf.placeholder(tf.float32, [None, 4, 3]),
            tf.placeholder(tf.int32, [None, 4]),
            tf.placeholder(tf.int32, []),
        )
        counts = g.get_tensor_by_name("UnsortedSegmentMean/Reshape:0")
        names = [op.name for op in g.get_operations() if op.name.startswith("UnsortedSegmentMean/")]
        with tf.Session() as sess:
            got = sess.run(mean, {h: np.arange(12, dtype=np.float32).reshape(3, 4), ids: [1, 0, 1]})
    assert [t.shape.as_list() for t in (mean, root, deep, by_tensor, counts)] == [
        [2, 4],
        [2, 4],
        [5, 4, 3],
        [None, 3],
        [2, 1],
    ]
    # TF 2.21's ops: the row counts broadcast by num_segments[tf.newaxis] and ones([rank - rank])
    assert names == [
        "UnsortedSegmentMean/Const",
        "UnsortedSegmentMean/Shape",
        "UnsortedSegmentMean/ones/Const",
        "UnsortedSegmentMean/ones",
        "UnsortedSegmentMean/UnsortedSegmentSum",
        "UnsortedSegmentMean/strided_slice/stack",
        "UnsortedSegmentMean/strided_slice/stack_1",
        "UnsortedSegmentMean/strided_slice/stack_2",
        "UnsortedSegmentMean/strided_slice",
        "UnsortedSegmentMean/Rank",
        "UnsortedSegmentMean/Rank_1",
        "UnsortedSegmentMean/sub",
        "UnsortedSegmentMean/ones_1/packed",
        "UnsortedSegmentMean/ones_1/Const",
        "UnsortedSegmentMean/ones_1",
        "UnsortedSegmentMean/concat/axis",
        "UnsortedSegmentMean/concat",
        "UnsortedSegmentMean/Reshape",
        "UnsortedSegmentMean/Maximum/y",
        "UnsortedSegmentMean/Maximum",
        "UnsortedSegmentMean/UnsortedSegmentSum_1/num_segments",
        "UnsortedSegmentMean/UnsortedSegmentSum_1",
        "UnsortedSegmentMean/truediv",
    ]
    np.testing.assert_array_equal(got, [[4.0, 5.0, 6.0, 7.0], [4.0, 5.0, 6.0, 7.0]])
