"""A checkpoint TensorFlow wrote for a ``tf.layers`` model (conv2d + batch_normalization +
max_pooling2d + dense, trained with momentum and the batch-norm updates) restores into the
same model built by scopeflow, variable for variable, and gives TensorFlow's logits in
inference and in training mode. ``tests/data/make_layers_checkpoint.py`` wrote the files."""

from __future__ import annotations

import json
import pathlib

import numpy as np

import scopeflow as tf

DATA = pathlib.Path(__file__).resolve().parents[1] / "data" / "tf_layers_checkpoint"


def model(x, training):
    """make_layers_checkpoint.py's model."""
    h = tf.layers.conv2d(x, 4, 3, padding="same")
    h = tf.nn.relu(tf.layers.batch_normalization(h, training=training))
    h = tf.layers.flatten(tf.layers.max_pooling2d(h, 2, 2))
    return tf.layers.dense(h, 3)


def test_tensorflows_checkpoint_restores_and_gives_its_outputs(graph):
    expected = json.loads((DATA / "outputs.json").read_text())
    x = tf.placeholder(tf.float32, [None, 6, 6, 3], name="x")
    training = tf.placeholder_with_default(False, [], name="training")
    logits = model(x, training)
    loss = tf.losses.sparse_softmax_cross_entropy([0, 1], logits)
    with tf.control_dependencies(tf.get_collection(tf.GraphKeys.UPDATE_OPS)):
        tf.train.MomentumOptimizer(0.1, 0.9).minimize(loss)
    names = sorted(v.op.name for v in tf.global_variables())
    assert names == expected["variables"]
    assert names == sorted(name for name, _ in tf.train.list_variables(str(DATA / "model.ckpt")))
    with tf.Session() as sess:
        tf.train.Saver().restore(sess, str(DATA / "model.ckpt"))
        (moving_mean,) = sess.run(tf.get_collection(tf.GraphKeys.GLOBAL_VARIABLES, ".*moving_mean"))
        assert moving_mean.any()  # TF trained the moving statistics: they are not zeros
        batch = np.float32(expected["input"])
        np.testing.assert_allclose(
            sess.run(logits, {x: batch}), expected["inference"], rtol=1e-5, atol=1e-6
        )
        np.testing.assert_allclose(
            sess.run(logits, {x: batch, training: True}), expected["training"], rtol=1e-4, atol=1e-5
        )
