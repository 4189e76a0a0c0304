"""tf.image.central_crop of images whose height or width is known only at run time: TF 2.21
computes those starts in float64 from the image's shape; the static shape keeps the known
sizes. The expected shapes and windows were printed by TF 2.21."""

import numpy as np

import scopeflow as tf


def test_central_crop_of_unknown_sizes_matches_tensorflow(graph):
    cases = [
        ([None, None, 3], 0.6, [9, 9, 3], [None, None, 3], [7, 7, 3]),
        ([2, None, 5, 3], 0.6, [2, 9, 5, 3], [2, None, 3, 3], [2, 7, 3, 3]),
        ([7, None, 3], 0.6, [7, 9, 3], [5, None, 3], [5, 7, 3]),
        ([None, None, 1], 0.33, [10, 7, 1], [None, None, 1], [4, 3, 1]),
    ]
    with tf.Session(graph=graph) as sess:
        for placeholder_shape, fraction, full, static, run_shape in cases:
            x = tf.placeholder(tf.float32, placeholder_shape)
            y = tf.image.central_crop(x, fraction)
            assert y.shape.as_list() == static
            image = np.arange(np.prod(full), dtype=np.float32).reshape(full)
            got = sess.run(y, {x: image})
            assert list(got.shape) == run_shape


def test_central_crop_of_unknown_sizes_takes_tensorflows_window(graph):
    x = tf.placeholder(tf.float32, [None, None, 1])
    with tf.Session(graph=graph) as sess:
        got = sess.run(tf.image.central_crop(x, 0.33), {x: np.arange(70.0).reshape(10, 7, 1)})
    # TF 2.21: rows 3..6 and columns 2..4 (first value 23.0)
    np.testing.assert_array_equal(got[..., 0], np.arange(70.0).reshape(10, 7)[3:7, 2:5])
