"""Layers built by hand from a tuple or list shape, as TF 2.21's (tf_keras) accept."""

import scopeflow as tf


def test_build_takes_a_tuple_or_list(graph):
    dense, conv, norm = tf.keras.layers.Dense(3), tf.keras.layers.Conv2D(2, 3), None
    dense.build((None, 4))
    conv.build([None, 8, 8, 5])
    norm = tf.keras.layers.BatchNormalization()
    norm.build((None, 6))
    shapes = [[w.shape.as_list() for w in layer.weights] for layer in (dense, conv, norm)]
    assert shapes == [[[4, 3], [3]], [[3, 3, 5, 2], [2]], [[6], [6], [6], [6]]]  # TF's
    legacy = tf.layers.Dense(2)
    legacy.build((None, 7))
    assert legacy.kernel.shape.as_list() == [7, 2]
