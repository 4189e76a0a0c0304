"""A small DCGAN built with ``tf.layers`` (a discriminator applied twice, the second time in
a ``reuse=True`` scope; batch norm in both networks; ``conv2d_transpose`` upsampling) has
TensorFlow's variables, ``UPDATE_OPS`` and forward ops, in order, as
``tests/data/make_layers_gan_names.py`` recorded them from TF 2.21 with ``tf_keras``."""

from __future__ import annotations

import json
import pathlib

import scopeflow as tf

EXPECTED = json.loads(
    (pathlib.Path(__file__).resolve().parents[1] / "data" / "layers_gan_names.json").read_text()
)


def gan():
    """make_layers_gan_names.py's model."""

    def discriminator(x, reuse=False):
        with tf.variable_scope("d", reuse=reuse):
            h = tf.layers.conv2d(x, 8, 4, 2, padding="same")
            h = tf.nn.leaky_relu(tf.layers.batch_normalization(h, training=True))
            h = tf.layers.conv2d(h, 16, 4, 2, padding="same", name="c2")
            h = tf.layers.batch_normalization(h, training=True, name="bn2")
            return tf.layers.dense(tf.layers.flatten(h), 1)

    def generator(z):
        with tf.variable_scope("g"):
            h = tf.reshape(tf.layers.dense(z, 4 * 4 * 16), [-1, 4, 4, 16])
            h = tf.nn.relu(tf.layers.batch_normalization(h, training=True))
            h = tf.layers.conv2d_transpose(h, 8, 4, 2, padding="same")
            return tf.tanh(tf.layers.conv2d_transpose(h, 3, 4, 2, padding="same"))

    real = tf.placeholder(tf.float32, [None, 16, 16, 3], name="real")
    z = tf.placeholder(tf.float32, [None, 10], name="z")
    return discriminator(real), discriminator(generator(z), reuse=True)


def test_a_gan_has_tensorflows_names(graph):
    gan()
    assert [v.name for v in tf.global_variables()] == EXPECTED["variables"]
    assert [v.name for v in tf.trainable_variables()] == EXPECTED["trainable"]
    assert [op.name for op in tf.get_collection(tf.GraphKeys.UPDATE_OPS)] == EXPECTED["update_ops"]
    ops = [[op.name, op.type] for op in graph.get_operations()]
    assert ops == EXPECTED["ops"]
