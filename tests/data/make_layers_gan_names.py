"""Writes ``layers_gan_names.json``: the names TensorFlow's ``tf.layers`` give a small DCGAN
(a generator of dense + batch norm + conv2d_transpose layers, a discriminator of conv2d +
batch norm + dense layers applied twice, the second time with ``reuse=True``), its
``UPDATE_OPS`` and every op of the forward graph in order.

Run from the repository root with a Python that has TensorFlow and tf_keras (never
scopeflow's venv):

    /path/to/tf-venv/bin/python tests/data/make_layers_gan_names.py

``tests/layers/test_gan_names.py`` builds the same model with scopeflow and compares.
"""

import json
import os

os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
os.environ["TF_USE_LEGACY_KERAS"] = "1"  # tf.layers are tf_keras's

import tensorflow.compat.v1 as tf  # noqa: E402

tf.disable_v2_behavior()
HERE = os.path.dirname(os.path.abspath(__file__))


def gan(tf):
    """The model, in the API scopeflow and TensorFlow share (``tf`` is either)."""

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


def main() -> None:
    gan(tf)
    names = {
        "variables": [v.name for v in tf.global_variables()],
        "trainable": [v.name for v in tf.trainable_variables()],
        "update_ops": [op.name for op in tf.get_collection(tf.GraphKeys.UPDATE_OPS)],
        "ops": [[op.name, op.type] for op in tf.get_default_graph().get_operations()],
    }
    with open(os.path.join(HERE, "layers_gan_names.json"), "w") as f:
        json.dump(names, f, separators=(",", ":"))


if __name__ == "__main__":
    main()
