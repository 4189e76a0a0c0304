"""tf.layers.Dense and tf.keras.layers.Dense ``compute_output_shape`` (TF 2.21's shapes and
errors; tf.contrib.seq2seq-style code asks an output layer for it before building it), and
Flatten(data_format="channels_first") (TF 2.21's ops and values)."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf


@pytest.mark.parametrize("make", [tf.layers.Dense, tf.keras.layers.Dense])
def test_compute_output_shape(graph, make):
    layer = make(3)
    assert layer.compute_output_shape([None, 5]).as_list() == [None, 3]
    assert layer.compute_output_shape(tf.TensorShape([2, 7, 5])).as_list() == [2, 7, 3]
    assert not layer.built and layer.variables == []
    with pytest.raises(ValueError, match=r"should be defined. Found None. Received: "
                                         r"input_shape=\(\?, \?\)"):  # fmt: skip
        layer.compute_output_shape([None, None])
    with pytest.raises(ValueError, match=r"Shape \(5,\) must have rank at least 2"):
        layer.compute_output_shape([5])


def test_keras_flatten_channels_first(graph):
    # TF 2.21 (tf_keras): the op list, the config and the values; an unknown length too
    x = tf.constant(np.arange(24, dtype=np.float32).reshape(2, 3, 2, 2))
    layer = tf.keras.layers.Flatten("channels_first")
    before = len(graph.get_operations())
    y = layer(x)
    ops = [(op.name, op.type) for op in graph.get_operations()[before:]]
    assert ops == [("flatten/transpose/perm", "Const"), ("flatten/transpose", "Transpose"),
                   ("flatten/Const", "Const"), ("flatten/Reshape", "Reshape")]  # fmt: skip
    assert layer.get_config()["data_format"] == "channels_first"
    p = tf.placeholder(tf.float32, [None, 3, None])
    z = tf.keras.layers.Flatten(data_format="channels_first")(p)
    assert z.shape.as_list() == [None, None]
    q = tf.placeholder(tf.float32, [None, 3])
    assert tf.keras.layers.Flatten("channels_first")(q).shape.as_list() == [None, 3]
    with tf.Session() as sess:
        np.testing.assert_array_equal(sess.run(y)[0], [0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11])
        values = sess.run(z, {p: np.arange(12, dtype=np.float32).reshape(2, 3, 2)})
    np.testing.assert_array_equal(values, [[0, 2, 4, 1, 3, 5], [6, 8, 10, 7, 9, 11]])
