"""``tf.contrib.slim.losses`` (``tf.contrib.losses``): TF 1.15's deprecated losses, whose
arguments come predictions (or logits) first; each is the ``tf.losses`` function of the same
name (the same values, weighting and ``LOSSES`` collection).

>>> import scopeflow as tf
>>> with tf.Graph().as_default(), tf.Session() as sess:
...     loss = tf.contrib.slim.losses.softmax_cross_entropy(tf.zeros([2, 4]), tf.ones([2, 4]))
...     print(round(float(sess.run(loss)), 4), len(tf.contrib.slim.losses.get_losses()))
5.5452 1
"""

from __future__ import annotations

from scopeflow.losses import losses_impl
from scopeflow.losses.util import (
    add_loss,
    get_losses,
    get_regularization_losses,
    get_total_loss,
)


def compute_weighted_loss(losses, weights=1.0, scope=None):
    """The weighted mean of ``losses`` over the non-zero weights, added to ``LOSSES``."""
    return losses_impl.compute_weighted_loss(losses, weights, scope=scope)


def softmax_cross_entropy(logits, onehot_labels, weights=1.0, label_smoothing=0, scope=None):
    """``tf.losses.softmax_cross_entropy(onehot_labels, logits, ...)``."""
    return losses_impl.softmax_cross_entropy(
        onehot_labels, logits, weights=weights, label_smoothing=label_smoothing, scope=scope
    )


def sparse_softmax_cross_entropy(logits, labels, weights=1.0, scope=None):
    """``tf.losses.sparse_softmax_cross_entropy(labels, logits, ...)``."""
    return losses_impl.sparse_softmax_cross_entropy(labels, logits, weights=weights, scope=scope)


def sigmoid_cross_entropy(logits, multi_class_labels, weights=1.0, label_smoothing=0, scope=None):
    """``tf.losses.sigmoid_cross_entropy(multi_class_labels, logits, ...)``."""
    return losses_impl.sigmoid_cross_entropy(
        multi_class_labels, logits, weights=weights, label_smoothing=label_smoothing, scope=scope
    )


def mean_squared_error(predictions, labels=None, weights=1.0, scope=None):
    """``tf.losses.mean_squared_error(labels, predictions, ...)``."""
    return losses_impl.mean_squared_error(labels, predictions, weights=weights, scope=scope)


def absolute_difference(predictions, labels=None, weights=1.0, scope=None):
    """``tf.losses.absolute_difference(labels, predictions, ...)``."""
    return losses_impl.absolute_difference(labels, predictions, weights=weights, scope=scope)


def log_loss(predictions, labels=None, weights=1.0, epsilon=1e-7, scope=None):
    """``tf.losses.log_loss(labels, predictions, ...)``."""
    return losses_impl.log_loss(labels, predictions, weights=weights, epsilon=epsilon, scope=scope)


__all__ = [
    "absolute_difference",
    "add_loss",
    "compute_weighted_loss",
    "get_losses",
    "get_regularization_losses",
    "get_total_loss",
    "log_loss",
    "mean_squared_error",
    "sigmoid_cross_entropy",
    "softmax_cross_entropy",
    "sparse_softmax_cross_entropy",
]
