"""Training speed: a small ResNet built with ``tf.layers`` and batch normalization (a 3x3
stem, three stages of one residual block each with 16, 32 and 64 channels, strided 1x1
projections, global average pooling, a dense classifier), momentum SGD with the batch-norm
updates from ``tf.GraphKeys.UPDATE_OPS``, batch 32 of 32x32x3 synthetic images. Prints
steps per second and peak memory; with ``--tf-python``, TF1's (``tf_keras`` layers) beside
them and the ratio (goal: at least 0.7x TF1's steps/s).

    python benchmarks/train_resnet.py --tf-python /path/to/tf-venv/bin/python
"""

from __future__ import annotations

import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import _harness  # noqa: E402

STEPS = 5
BATCH = 32


def resnet(tf, x, training):
    def conv_bn(h, filters, kernel, strides=1, relu=True):
        h = tf.layers.conv2d(h, filters, kernel, strides, padding="same", use_bias=False)
        h = tf.layers.batch_normalization(h, training=training)
        return tf.nn.relu(h) if relu else h

    h = conv_bn(x, 16, 3)
    for filters, strides in ((16, 1), (32, 2), (64, 2)):
        shortcut = h
        if strides != 1:
            shortcut = conv_bn(h, filters, 1, strides, relu=False)
        h = conv_bn(h, filters, 3, strides)
        h = conv_bn(h, filters, 3, relu=False)
        h = tf.nn.relu(h + shortcut)
    h = tf.reduce_mean(h, axis=[1, 2])
    return tf.layers.dense(h, 10)


def measure(backend: str, repeats: int) -> dict:
    os.environ["TF_USE_LEGACY_KERAS"] = "1"  # TensorFlow's tf.layers are tf_keras's
    tf = _harness.import_backend(backend)
    rng = np.random.default_rng(0)
    data = rng.standard_normal((BATCH * 4, 32, 32, 3)).astype(np.float32)
    labels = rng.integers(0, 10, BATCH * 4)
    x = tf.placeholder(tf.float32, [None, 32, 32, 3])
    y = tf.placeholder(tf.int64, [None])
    logits = resnet(tf, x, training=True)
    loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits))
    with tf.control_dependencies(tf.get_collection(tf.GraphKeys.UPDATE_OPS)):
        train = tf.train.MomentumOptimizer(0.01, 0.9).minimize(loss)
    return _harness.training_figures(
        tf, train, x, y, data, labels, BATCH, STEPS, repeats, "ResNet momentum steps per second"
    )


if __name__ == "__main__":
    _harness.main(
        os.path.abspath(__file__), "train small ResNet (tf.layers + batch norm), batch 32", measure
    )
