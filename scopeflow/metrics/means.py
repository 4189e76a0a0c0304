"""``tf.metrics.mean`` and the metrics TF1 builds on it (accuracy, the mean errors,
``percentage_below``), ``mean_tensor``, and the per-class ones (``mean_per_class_accuracy``,
``mean_iou``). Each returns ``(value, update_op)``: ``value`` reads the metric's local
variables, ``update_op`` adds a batch to them and gives the metric including it."""

from __future__ import annotations

from scopeflow.framework import dtypes, undo
from scopeflow.framework.graph_api import control_dependencies
from scopeflow.metrics.util import (
    add_to,
    broadcast_weights,
    check_same_shape,
    metric_variable,
    remove_squeezable_dimensions,
    squeeze_or_expand_weights,
)
from scopeflow.metrics.util import confusion_matrix as _confusion_matrix
from scopeflow.ops.array import basic as array_ops
from scopeflow.ops.array import shape as shape_ops
from scopeflow.ops.array.cast import cast
from scopeflow.ops.math import division, reduction
from scopeflow.ops.math import elementwise as math_ops
from scopeflow.ops.math.linalg import diag_part
from scopeflow.ops.math.selection import where
from scopeflow.ops.state.scatter import scatter_add
from scopeflow.ops.state.storage import assign_add
from scopeflow.variables.variable_scope import variable_scope


def _ratio(total, count, name):
    return division.div_no_nan(total, math_ops.maximum(count, 0), name=name)


@undo.atomic
def mean(values, weights=None, metrics_collections=None, updates_collections=None, name=None):
    """The (weighted) mean of ``values`` over every batch given to ``update_op``, kept in
    the local variables ``mean/total`` and ``mean/count``.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     x = tf.placeholder(tf.float32, [None])
    ...     value, update = tf.metrics.mean(x)
    ...     with tf.Session() as sess:
    ...         sess.run(tf.local_variables_initializer())
    ...         _ = sess.run(update, {x: [1.0, 2.0]})
    ...         print(sess.run(update, {x: [6.0]}), sess.run(value))
    3.0 3.0
    """
    with variable_scope(name, "mean", (values, weights)):
        values = cast(values, dtypes.float32)
        total = metric_variable([], dtypes.float32, name="total")
        count = metric_variable([], dtypes.float32, name="count")
        if weights is None:
            num_values = cast(shape_ops.size(values), dtypes.float32)
        else:
            values, _, weights = squeeze_or_expand_weights(values, None, weights)
            weights = broadcast_weights(cast(weights, dtypes.float32), values)
            values = math_ops.multiply(values, weights)
            num_values = reduction.reduce_sum(weights)
        update_total = assign_add(total, reduction.reduce_sum(values))
        with control_dependencies([values]):
            update_count = assign_add(count, num_values)
        value = add_to(metrics_collections, _ratio(total, count, "value"))
        update_op = add_to(updates_collections, _ratio(update_total, update_count, "update_op"))
        return value, update_op


@undo.atomic
def mean_tensor(
    values, weights=None, metrics_collections=None, updates_collections=None, name=None
):
    """The element-wise (weighted) mean of ``values`` over the batches, a tensor of their
    shape (local variables ``mean/total_tensor`` and ``mean/count_tensor``)."""
    with variable_scope(name, "mean", (values, weights)):
        values = cast(values, dtypes.float32)
        total = metric_variable(values.shape, dtypes.float32, name="total_tensor")
        count = metric_variable(values.shape, dtypes.float32, name="count_tensor")
        num_values = shape_ops.ones_like(values)
        if weights is not None:
            values, _, weights = squeeze_or_expand_weights(values, None, weights)
            weights = broadcast_weights(cast(weights, dtypes.float32), values)
            values = math_ops.multiply(values, weights)
            num_values = math_ops.multiply(num_values, weights)
        update_total = assign_add(total, values)
        with control_dependencies([values]):
            update_count = assign_add(count, num_values)
        value = add_to(metrics_collections, _ratio(total, count, "value"))
        update_op = add_to(updates_collections, _ratio(update_total, update_count, "update_op"))
        return value, update_op


@undo.atomic
def accuracy(
    labels,
    predictions,
    weights=None,
    metrics_collections=None,
    updates_collections=None,
    name=None,
):
    """How often ``predictions`` equal ``labels``: the :func:`mean` of the matches, in the
    local variables ``accuracy/total`` and ``accuracy/count``.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     acc, update = tf.metrics.accuracy([1, 2, 3, 4], [1, 2, 0, 4])
    ...     with tf.Session() as sess:
    ...         sess.run(tf.local_variables_initializer())
    ...         print(sess.run(update))
    0.75
    """
    predictions, labels, weights = squeeze_or_expand_weights(
        predictions, labels, weights, "accuracy"
    )
    if labels.dtype != predictions.dtype:
        predictions = cast(predictions, labels.dtype)
    is_correct = cast(math_ops.equal(predictions, labels), dtypes.float32)
    return mean(is_correct, weights, metrics_collections, updates_collections, name or "accuracy")


@undo.atomic
def mean_absolute_error(
    labels,
    predictions,
    weights=None,
    metrics_collections=None,
    updates_collections=None,
    name=None,
):
    """The (weighted) mean of ``|predictions - labels|``."""
    predictions, labels, weights = squeeze_or_expand_weights(
        predictions, labels, weights, "mean_absolute_error"
    )
    errors = math_ops.abs(predictions - labels)
    name = name or "mean_absolute_error"
    return mean(errors, weights, metrics_collections, updates_collections, name)


@undo.atomic
def mean_squared_error(
    labels,
    predictions,
    weights=None,
    metrics_collections=None,
    updates_collections=None,
    name=None,
):
    """The (weighted) mean of ``(labels - predictions) ** 2``."""
    predictions, labels, weights = squeeze_or_expand_weights(
        predictions, labels, weights, "mean_squared_error"
    )
    errors = math_ops.squared_difference(labels, predictions)
    name = name or "mean_squared_error"
    return mean(errors, weights, metrics_collections, updates_collections, name)


@undo.atomic
def root_mean_squared_error(
    labels,
    predictions,
    weights=None,
    metrics_collections=None,
    updates_collections=None,
    name=None,
):
    """The square root of :func:`mean_squared_error`."""
    predictions, labels, weights = squeeze_or_expand_weights(
        predictions, labels, weights, "root_mean_squared_error"
    )
    mse, update_mse = mean_squared_error(
        labels, predictions, weights, None, None, name or "root_mean_squared_error"
    )
    value = add_to(metrics_collections, math_ops.sqrt(mse))
    return value, add_to(updates_collections, math_ops.sqrt(update_mse))


@undo.atomic
def mean_relative_error(
    labels,
    predictions,
    normalizer,
    weights=None,
    metrics_collections=None,
    updates_collections=None,
    name=None,
):
    """The (weighted) mean of ``|labels - predictions| / normalizer`` (0 where the
    normalizer is 0)."""
    predictions, labels, weights = squeeze_or_expand_weights(
        predictions, labels, weights, "mean_relative_error"
    )
    predictions, normalizer = remove_squeezable_dimensions(predictions, normalizer)
    check_same_shape(
        predictions, normalizer, "tf.metrics.mean_relative_error's predictions and normalizer"
    )
    errors = where(
        math_ops.equal(normalizer, 0.0),
        shape_ops.zeros_like(labels),
        division.divide(math_ops.abs(labels - predictions), normalizer),
    )
    name = name or "mean_relative_error"
    return mean(errors, weights, metrics_collections, updates_collections, name)


@undo.atomic
def mean_cosine_distance(
    labels,
    predictions,
    dim,
    weights=None,
    metrics_collections=None,
    updates_collections=None,
    name=None,
):
    """One minus the mean of the dot products of unit vectors along ``dim``."""
    predictions, labels, weights = squeeze_or_expand_weights(
        predictions, labels, weights, "mean_cosine_distance"
    )
    radial = reduction.reduce_sum(math_ops.multiply(predictions, labels), axis=[dim], keepdims=True)
    distance, update_op = mean(radial, weights, None, None, name or "mean_cosine_distance")
    distance = add_to(metrics_collections, math_ops.subtract(1.0, distance))
    return distance, add_to(updates_collections, math_ops.subtract(1.0, update_op))


@undo.atomic
def percentage_below(
    values,
    threshold,
    weights=None,
    metrics_collections=None,
    updates_collections=None,
    name=None,
):
    """The (weighted) fraction of ``values`` below ``threshold``."""
    below = cast(math_ops.less(values, threshold), dtypes.float32)
    name = name or "percentage_below_threshold"
    return mean(below, weights, metrics_collections, updates_collections, name)


def _flat(t):
    return array_ops.reshape(t, [-1]) if t.shape.ndims > 1 else t


@undo.atomic
def mean_per_class_accuracy(
    labels,
    predictions,
    num_classes,
    weights=None,
    metrics_collections=None,
    updates_collections=None,
    name=None,
):
    """The mean over classes of each class's accuracy (local variables
    ``mean_accuracy/total`` and ``mean_accuracy/count``, one entry per class)."""
    with variable_scope(name, "mean_accuracy", (predictions, labels, weights)):
        labels = _flat(cast(labels, dtypes.int64))
        predictions = _flat(predictions)
        check_same_shape(
            predictions, labels, "tf.metrics.mean_per_class_accuracy's predictions and labels"
        )
        total = metric_variable([num_classes], dtypes.float32, name="total")
        count = metric_variable([num_classes], dtypes.float32, name="count")
        ones = array_ops.ones([shape_ops.size(labels)], dtypes.float32)
        if labels.dtype != predictions.dtype:
            predictions = cast(predictions, labels.dtype)
        is_correct = cast(math_ops.equal(predictions, labels), dtypes.float32)
        if weights is not None:
            weights = cast(_flat(weights), dtypes.float32)
            is_correct *= weights
            ones *= weights
        update_total = scatter_add(total, labels, ones)
        update_count = scatter_add(count, labels, is_correct)
        per_class = division.div_no_nan(count, math_ops.maximum(total, 0))
        value = add_to(metrics_collections, reduction.reduce_mean(per_class, name="mean_accuracy"))
        update_op = add_to(updates_collections, _ratio(update_count, update_total, "update_op"))
        return value, update_op


def streaming_confusion_matrix(labels, predictions, num_classes, weights=None):
    """A ``total_confusion_matrix`` local variable (float64) and the op adding a batch's
    confusion matrix to it."""
    total = metric_variable([num_classes, num_classes], dtypes.float64, "total_confusion_matrix")
    predictions = cast(predictions, dtypes.int64)
    labels = cast(labels, dtypes.int64)
    num_classes = cast(num_classes, dtypes.int64)
    predictions, labels = _flat(predictions), _flat(labels)
    if weights is not None and weights.shape.ndims > 1:
        weights = array_ops.reshape(weights, [-1])
    current = _confusion_matrix(
        labels, predictions, num_classes, dtype=dtypes.float64, weights=weights
    )
    return total, assign_add(total, current)


@undo.atomic
def mean_iou(
    labels,
    predictions,
    num_classes,
    weights=None,
    metrics_collections=None,
    updates_collections=None,
    name=None,
):
    """The mean over classes of intersection over union, from a streaming confusion matrix
    (``mean_iou/total_confusion_matrix``); ``update_op`` returns the updated matrix, as TF1's.
    """
    with variable_scope(name, "mean_iou", (predictions, labels, weights)):
        check_same_shape(predictions, labels, "tf.metrics.mean_iou's predictions and labels")
        total_cm, update_op = streaming_confusion_matrix(labels, predictions, num_classes, weights)
        rows = cast(reduction.reduce_sum(total_cm, 0), dtypes.float32)
        cols = cast(reduction.reduce_sum(total_cm, 1), dtypes.float32)
        diag = cast(diag_part(total_cm), dtypes.float32)
        denominator = rows + cols - diag
        valid = reduction.reduce_sum(cast(math_ops.not_equal(denominator, 0), dtypes.float32))
        denominator = where(
            math_ops.greater(denominator, 0), denominator, shape_ops.ones_like(denominator)
        )
        iou = division.divide(diag, denominator)
        value = where(
            math_ops.greater(valid, 0),
            reduction.reduce_sum(iou, name="mean_iou") / valid,
            0,
        )
        return add_to(metrics_collections, value), add_to(updates_collections, update_op)
