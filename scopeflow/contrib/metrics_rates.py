"""More of ``tf.contrib.metrics``' own metrics, as TF 1.15 (tf_slim) builds them:
``streaming_false_positive_rate`` and ``streaming_false_negative_rate`` (from ``tf.metrics``'
counts), ``count`` and the non-streaming ``accuracy``."""

from __future__ import annotations

from scopeflow.framework import dtypes
from scopeflow.framework.graph_api import add_to_collections, control_dependencies, name_scope
from scopeflow.metrics.counts import (
    false_negatives,
    false_positives,
    true_negatives,
    true_positives,
)
from scopeflow.metrics.util import broadcast_weights, metric_variable, squeeze_or_expand_weights
from scopeflow.ops.array.basic import identity
from scopeflow.ops.array.cast import cast
from scopeflow.ops.array.shape import ones_like, size
from scopeflow.ops.math.deprecated import div
from scopeflow.ops.math.elementwise import equal, greater, multiply
from scopeflow.ops.math.reduction import reduce_mean, reduce_sum
from scopeflow.ops.math.selection import where
from scopeflow.ops.state.storage import assign_add
from scopeflow.variables.variable_scope import variable_scope


def _rate(
    default_name,
    numerator,
    other,
    predictions,
    labels,
    weights,
    metrics_collections,
    updates_collections,
    name,
):
    with variable_scope(name, default_name, (predictions, labels, weights)):
        predictions, labels, weights = squeeze_or_expand_weights(
            cast(predictions, dtypes.bool), cast(labels, dtypes.bool), weights, default_name
        )
        num, num_update = numerator(labels, predictions, weights)
        rest, rest_update = other(labels, predictions, weights)

        def ratio(a, b, op_name):
            return where(greater(a + b, 0), div(a, a + b), 0, op_name)

        value = ratio(num, rest, "value")
        update_op = ratio(num_update, rest_update, "update_op")
        if metrics_collections:
            add_to_collections(metrics_collections, value)
        if updates_collections:
            add_to_collections(updates_collections, update_op)
        return value, update_op


def streaming_false_positive_rate(
    predictions,
    labels,
    weights=None,
    metrics_collections=None,
    updates_collections=None,
    name=None,
):
    """False positives over all negatives (0 before any), from ``tf.metrics``'
    ``false_positives`` and ``true_negatives``; returns ``(value, update_op)``.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     fpr, update = tf.contrib.metrics.streaming_false_positive_rate(
    ...         [True, True, False, False], [False, True, False, False])
    ...     with tf.Session() as sess:
    ...         sess.run(tf.local_variables_initializer())
    ...         print(round(float(sess.run(update)), 4))
    0.3333
    """
    return _rate(
        "false_positive_rate",
        false_positives,
        true_negatives,
        predictions,
        labels,
        weights,
        metrics_collections,
        updates_collections,
        name,
    )


def streaming_false_negative_rate(
    predictions,
    labels,
    weights=None,
    metrics_collections=None,
    updates_collections=None,
    name=None,
):
    """False negatives over all positives (0 before any), from ``tf.metrics``'
    ``false_negatives`` and ``true_positives``; returns ``(value, update_op)``."""
    return _rate(
        "false_negative_rate",
        false_negatives,
        true_positives,
        predictions,
        labels,
        weights,
        metrics_collections,
        updates_collections,
        name,
    )


def count(values, weights=None, metrics_collections=None, updates_collections=None, name=None):
    """How many values (or their total weight) have been seen: ``(count, update_op)``, in
    the local variable ``count/count``."""
    with variable_scope(name, "count", (values, weights)):
        total = metric_variable([], dtypes.float32, name="count")
        if weights is None:
            num_values = cast(size(values), dtypes.float32)
        else:
            values = cast(values, dtypes.float32)
            values, _, weights = squeeze_or_expand_weights(values, None, weights, "count")
            weights = broadcast_weights(cast(weights, dtypes.float32), values)
            num_values = reduce_sum(weights)
        with control_dependencies([values]):
            update_op = assign_add(total, num_values)
        value = identity(total)
        if metrics_collections:
            add_to_collections(metrics_collections, value)
        if updates_collections:
            add_to_collections(updates_collections, update_op)
        return value, update_op


def accuracy(predictions, labels, weights=None, name=None):
    """The (weighted) fraction of ``predictions`` equal to ``labels`` in this batch (not
    streaming).

    Raises:
        ValueError: labels that are not bool, integer or string, or dtypes that differ.
    """
    if not (labels.dtype.is_integer or labels.dtype in (dtypes.bool, dtypes.string)):
        raise ValueError(f"Labels should have bool, integer, or string dtype, not {labels.dtype!r}")
    if not labels.dtype.is_compatible_with(predictions.dtype):
        raise ValueError(
            "Dtypes of predictions and labels should match. Given: predictions "
            f"({predictions.dtype!r}) and labels ({labels.dtype!r})"
        )
    with name_scope(name, "accuracy", values=[predictions, labels]):
        is_correct = cast(equal(predictions, labels), dtypes.float32)
        if weights is None:
            return reduce_mean(is_correct)
        is_correct = multiply(is_correct, weights)
        num_values = multiply(weights, ones_like(is_correct))
        return div(reduce_sum(is_correct), reduce_sum(num_values))
