"""``tf.contrib.metrics.streaming_covariance`` and ``streaming_pearson_correlation``: running
co-moments merged batch by batch (Chan et al.'s parallel update), with TF 1.15's local
variables (``count``, ``mean_prediction``, ``mean_label``, ``comoment``) and scopes."""

from __future__ import annotations

from scopeflow.framework import dtypes
from scopeflow.framework.graph_api import add_to_collections, control_dependencies
from scopeflow.metrics.util import broadcast_weights, metric_variable, squeeze_or_expand_weights
from scopeflow.ops.array.cast import cast
from scopeflow.ops.array.shape import size
from scopeflow.ops.math.division import div_no_nan, truediv
from scopeflow.ops.math.elementwise import less_equal, multiply, sqrt
from scopeflow.ops.math.reduction import reduce_sum
from scopeflow.ops.math.selection import where
from scopeflow.ops.state.storage import assign_add
from scopeflow.variables.variable_scope import variable_scope


def _nan_below_two(count, comoment, name: str):
    return where(less_equal(count, 1.0), float("nan"), truediv(comoment, count - 1), name=name)


def streaming_covariance(
    predictions,
    labels,
    weights=None,
    metrics_collections=None,
    updates_collections=None,
    name=None,
):
    """The unbiased covariance of ``predictions`` and ``labels`` over all batches so far
    (NaN until more than one value has come); returns ``(covariance, update_op)``.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     p, l = tf.placeholder(tf.float32, [None]), tf.placeholder(tf.float32, [None])
    ...     cov, update = tf.contrib.metrics.streaming_covariance(p, l)
    ...     with tf.Session() as sess:
    ...         sess.run(tf.local_variables_initializer())
    ...         _ = sess.run(update, {p: [1.0, 2.0], l: [2.0, 4.0]})
    ...         print(sess.run(update, {p: [3.0], l: [6.0]}))
    2.0
    """
    with variable_scope(name, "covariance", (predictions, labels, weights)):
        predictions, labels, weights = squeeze_or_expand_weights(
            predictions, labels, weights, "streaming_covariance"
        )
        count = metric_variable([], dtypes.float32, name="count")
        mean_prediction = metric_variable([], dtypes.float32, name="mean_prediction")
        mean_label = metric_variable([], dtypes.float32, name="mean_label")
        comoment = metric_variable([], dtypes.float32, name="comoment")
        if weights is None:
            batch_count = cast(size(labels), dtypes.float32)
            weighted_predictions, weighted_labels = predictions, labels
        else:
            weights = broadcast_weights(weights, labels)
            batch_count = reduce_sum(weights)
            weighted_predictions = multiply(predictions, weights)
            weighted_labels = multiply(labels, weights)
        update_count = assign_add(count, batch_count)
        prev_count = update_count - batch_count
        batch_mean_prediction = div_no_nan(reduce_sum(weighted_predictions), batch_count)
        delta_mean_prediction = div_no_nan(
            (batch_mean_prediction - mean_prediction) * batch_count, update_count
        )
        update_mean_prediction = assign_add(mean_prediction, delta_mean_prediction)
        prev_mean_prediction = update_mean_prediction - delta_mean_prediction
        batch_mean_label = div_no_nan(reduce_sum(weighted_labels), batch_count)
        delta_mean_label = div_no_nan((batch_mean_label - mean_label) * batch_count, update_count)
        update_mean_label = assign_add(mean_label, delta_mean_label)
        prev_mean_label = update_mean_label - delta_mean_label
        coresiduals = (predictions - batch_mean_prediction) * (labels - batch_mean_label)
        if weights is None:
            batch_comoment = reduce_sum(coresiduals)
        else:
            batch_comoment = reduce_sum(coresiduals * weights)
        delta_comoment = batch_comoment + (prev_mean_prediction - batch_mean_prediction) * (
            prev_mean_label - batch_mean_label
        ) * (prev_count * batch_count / update_count)
        update_comoment = assign_add(comoment, delta_comoment)
        covariance = _nan_below_two(count, comoment, "covariance")
        with control_dependencies([update_comoment]):
            update_op = _nan_below_two(count, comoment, "update_op")
    if metrics_collections:
        add_to_collections(metrics_collections, covariance)
    if updates_collections:
        add_to_collections(updates_collections, update_op)
    return covariance, update_op


def streaming_pearson_correlation(
    predictions,
    labels,
    weights=None,
    metrics_collections=None,
    updates_collections=None,
    name=None,
):
    """Pearson's r of ``predictions`` and ``labels`` over all batches so far, from three
    streaming covariances (``covariance``, ``variance_predictions``, ``variance_labels``);
    returns ``(pearson_r, update_op)``."""
    with variable_scope(name, "pearson_r", (predictions, labels, weights)):
        predictions, labels, weights = squeeze_or_expand_weights(
            predictions, labels, weights, "streaming_pearson_correlation"
        )
        if weights is not None:
            weights = broadcast_weights(weights, labels)
        cov, update_cov = streaming_covariance(predictions, labels, weights, name="covariance")
        var_p, update_var_p = streaming_covariance(
            predictions, predictions, weights, name="variance_predictions"
        )
        var_l, update_var_l = streaming_covariance(labels, labels, weights, name="variance_labels")
        pearson_r = truediv(cov, multiply(sqrt(var_p), sqrt(var_l)), name="pearson_r")
        update_op = truediv(
            update_cov, multiply(sqrt(update_var_p), sqrt(update_var_l)), name="update_op"
        )
    if metrics_collections:
        add_to_collections(metrics_collections, pearson_r)
    if updates_collections:
        add_to_collections(updates_collections, update_op)
    return pearson_r, update_op
