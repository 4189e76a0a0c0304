"""Training speed: two 5x5 conv layers with 2x2 max pooling, then two dense layers, plain
gradient descent, batch 64 of 28x28x1 synthetic images. Prints steps per second and peak
memory (goal for the NumPy executor: at least 0.7x TF1's steps/s with no more memory).

    python benchmarks/train_cnn.py --tf-python /path/to/tf-venv/bin/python
"""

from __future__ import annotations

import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import _harness  # noqa: E402

STEPS = 10
BATCH = 64


def measure(backend: str, repeats: int) -> dict:
    tf = _harness.import_backend(backend)
    rng = np.random.default_rng(0)
    data = rng.standard_normal((BATCH * 4, 28, 28, 1)).astype(np.float32)
    labels = rng.integers(0, 10, BATCH * 4)
    x = tf.placeholder(tf.float32, [None, 28, 28, 1])
    y = tf.placeholder(tf.int64, [None])

    def conv_relu(h, shape):
        w = tf.get_variable("weights", shape)
        b = tf.get_variable("biases", shape[-1:], initializer=tf.zeros_initializer())
        return tf.nn.relu(tf.nn.conv2d(h, w, [1, 1, 1, 1], "SAME") + b)

    with tf.variable_scope("conv1"):
        h = conv_relu(x, [5, 5, 1, 32])
    h = tf.nn.max_pool(h, [1, 2, 2, 1], [1, 2, 2, 1], "SAME")
    with tf.variable_scope("conv2"):
        h = conv_relu(h, [5, 5, 32, 64])
    h = tf.nn.max_pool(h, [1, 2, 2, 1], [1, 2, 2, 1], "SAME")
    h = tf.reshape(h, [-1, 7 * 7 * 64])
    with tf.variable_scope("fc1"):
        w = tf.get_variable("w", [7 * 7 * 64, 256])
        h = tf.nn.relu(tf.matmul(h, w))
    with tf.variable_scope("fc2"):
        w = tf.get_variable("w", [256, 10])
        logits = tf.matmul(h, w)
    loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits))
    train = tf.train.GradientDescentOptimizer(0.01).minimize(loss)
    return _harness.training_figures(
        tf,
        train,
        x,
        y,
        data,
        labels,
        BATCH,
        STEPS,
        repeats,
        "CNN GD steps per second",
    )


if __name__ == "__main__":
    _harness.main(os.path.abspath(__file__), "train 2-conv CNN, GD, batch 64", measure)
