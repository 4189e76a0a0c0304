"""``from tensorflow.examples.tutorials.mnist import mnist``: the two-hidden-layer model of
TF1's ``fully_connected_feed.py`` tutorial, its loss, training op and evaluation, with the
tutorial's variable names (``hidden1/weights``, ``softmax_linear/biases``...).

>>> import scopeflow as tf
>>> from scopeflow.examples.tutorials.mnist import mnist
>>> with tf.Graph().as_default():
...     logits = mnist.inference(tf.placeholder(tf.float32, [None, 784]), 128, 32)
...     names = [v.op.name for v in tf.trainable_variables()]
>>> names[:2], logits.shape.as_list()
(['hidden1/weights', 'hidden1/biases'], [None, 10])
"""

from __future__ import annotations

import math

import scopeflow as tf

NUM_CLASSES = 10
IMAGE_SIZE = 28
IMAGE_PIXELS = IMAGE_SIZE * IMAGE_SIZE


def _layer(scope: str, inputs, fan_in: int, width: int):
    """``inputs @ weights + biases`` in name scope ``scope``: weights from a truncated normal
    of deviation 1/sqrt(fan_in), biases zero."""
    with tf.name_scope(scope):
        weights = tf.Variable(
            tf.truncated_normal([fan_in, width], stddev=1.0 / math.sqrt(float(fan_in))),
            name="weights",
        )
        biases = tf.Variable(tf.zeros([width]), name="biases")
        return tf.matmul(inputs, weights) + biases


def inference(images, hidden1_units: int, hidden2_units: int):
    """The logits of two ReLU layers and a linear one over flattened ``images``."""
    hidden1 = tf.nn.relu(_layer("hidden1", images, IMAGE_PIXELS, hidden1_units))
    hidden2 = tf.nn.relu(_layer("hidden2", hidden1, hidden1_units, hidden2_units))
    return _layer("softmax_linear", hidden2, hidden2_units, NUM_CLASSES)


def loss(logits, labels):
    """The mean softmax cross entropy of ``logits`` against int ``labels``."""
    return tf.losses.sparse_softmax_cross_entropy(labels=tf.to_int64(labels), logits=logits)


def training(loss, learning_rate):
    """A gradient-descent step on ``loss`` counting a ``global_step`` variable, with a scalar
    summary of the loss."""
    tf.summary.scalar("loss", loss)
    global_step = tf.Variable(0, name="global_step", trainable=False)
    return tf.train.GradientDescentOptimizer(learning_rate).minimize(loss, global_step=global_step)


def evaluation(logits, labels):
    """How many of ``labels`` are the top logit (an int32 scalar)."""
    correct = tf.nn.in_top_k(logits, labels, 1)
    return tf.reduce_sum(tf.cast(correct, tf.int32))
