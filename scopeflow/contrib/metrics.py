"""``tf.contrib.metrics``: TF1's older ``streaming_*`` names for ``tf.metrics``, which take
``predictions`` before ``labels``, build the same graphs (TF 1.15's contrib, and tf_slim's
copy of it, call ``tf.metrics``), plus ``aggregate_metrics`` and ``aggregate_metric_map``.
The contrib metrics with their own algorithms raise ``NotImplementedError`` naming a
``tf.metrics`` alternative."""

from __future__ import annotations

from scopeflow import metrics
from scopeflow.contrib.metrics_concat import (  # noqa: F401 - tf.contrib.metrics names
    streaming_concat,
    streaming_dynamic_auc,
)
from scopeflow.contrib.metrics_histogram import (  # noqa: F401 - tf.contrib.metrics name
    auc_using_histogram,
)
from scopeflow.contrib.metrics_moments import (  # noqa: F401 - tf.contrib.metrics names
    streaming_covariance,
    streaming_pearson_correlation,
)
from scopeflow.contrib.metrics_rates import (  # noqa: F401 - tf.contrib.metrics names
    accuracy,
    cohen_kappa,
    count,
    streaming_false_negative_rate,
    streaming_false_positive_rate,
)
from scopeflow.contrib.metrics_thresholds import (  # noqa: F401 - tf.contrib.metrics names
    f1_score,
    precision_at_recall,
    recall_at_precision,
    streaming_curve_points,
    streaming_false_negative_rate_at_thresholds,
    streaming_false_positive_rate_at_thresholds,
)
from scopeflow.framework import dtypes
from scopeflow.framework.graph_api import name_scope
from scopeflow.metrics.top_k import at_k_name, streaming_average_precision
from scopeflow.ops.array.cast import cast
from scopeflow.ops.nn.basic import in_top_k


def _predictions_first(metric, name: str):
    def streaming(predictions, labels, *args, **kwargs):
        return metric(labels, predictions, *args, **kwargs)

    streaming.__name__ = streaming.__qualname__ = name
    streaming.__doc__ = (
        f"``tf.metrics.{metric.__name__}`` with ``predictions`` before ``labels`` (and the "
        "same further arguments)."
    )
    return streaming


streaming_accuracy = _predictions_first(metrics.accuracy, "streaming_accuracy")
streaming_auc = _predictions_first(metrics.auc, "streaming_auc")
streaming_false_negatives = _predictions_first(metrics.false_negatives, "streaming_false_negatives")
streaming_false_positives = _predictions_first(metrics.false_positives, "streaming_false_positives")
streaming_mean_absolute_error = _predictions_first(
    metrics.mean_absolute_error, "streaming_mean_absolute_error"
)
streaming_mean_cosine_distance = _predictions_first(
    metrics.mean_cosine_distance, "streaming_mean_cosine_distance"
)
streaming_mean_iou = _predictions_first(metrics.mean_iou, "streaming_mean_iou")
streaming_mean_relative_error = _predictions_first(
    metrics.mean_relative_error, "streaming_mean_relative_error"
)
streaming_mean_squared_error = _predictions_first(
    metrics.mean_squared_error, "streaming_mean_squared_error"
)
streaming_precision = _predictions_first(metrics.precision, "streaming_precision")
streaming_precision_at_thresholds = _predictions_first(
    metrics.precision_at_thresholds, "streaming_precision_at_thresholds"
)
streaming_recall = _predictions_first(metrics.recall, "streaming_recall")
streaming_recall_at_thresholds = _predictions_first(
    metrics.recall_at_thresholds, "streaming_recall_at_thresholds"
)
streaming_root_mean_squared_error = _predictions_first(
    metrics.root_mean_squared_error, "streaming_root_mean_squared_error"
)
streaming_sensitivity_at_specificity = _predictions_first(
    metrics.sensitivity_at_specificity, "streaming_sensitivity_at_specificity"
)
streaming_sparse_average_precision_at_k = _predictions_first(
    metrics.average_precision_at_k, "streaming_sparse_average_precision_at_k"
)
streaming_sparse_precision_at_k = _predictions_first(
    metrics.precision_at_k, "streaming_sparse_precision_at_k"
)
streaming_sparse_recall_at_k = _predictions_first(
    metrics.recall_at_k, "streaming_sparse_recall_at_k"
)
streaming_specificity_at_sensitivity = _predictions_first(
    metrics.specificity_at_sensitivity, "streaming_specificity_at_sensitivity"
)
streaming_true_negatives = _predictions_first(metrics.true_negatives, "streaming_true_negatives")
streaming_true_positives = _predictions_first(metrics.true_positives, "streaming_true_positives")
streaming_mean = metrics.mean
streaming_mean_tensor = metrics.mean_tensor
streaming_percentage_less = metrics.percentage_below


def streaming_recall_at_k(
    predictions,
    labels,
    k,
    weights=None,
    metrics_collections=None,
    updates_collections=None,
    name=None,
):
    """How often the class id ``labels`` is among the ``k`` highest ``predictions``: the mean
    of ``tf.nn.in_top_k`` (local variables ``recall_at_<k>/total`` and ``.../count``)."""
    hits = cast(in_top_k(predictions, labels, k), dtypes.float32)
    name = name or at_k_name("recall", k)
    return metrics.mean(hits, weights, metrics_collections, updates_collections, name)


def _top_k_ids_metric(metric, default: str):
    def streaming(
        labels,
        top_k_predictions,
        class_id=None,
        weights=None,
        metrics_collections=None,
        updates_collections=None,
        name=None,
    ):
        scope_name = at_k_name(default, class_id=class_id)
        with name_scope(name, scope_name, (top_k_predictions, labels, weights)) as scope:
            return metric(
                labels,
                top_k_predictions,
                class_id=class_id,
                weights=weights,
                metrics_collections=metrics_collections,
                updates_collections=updates_collections,
                name=scope,
            )

    streaming.__doc__ = (
        f"``tf.metrics.{metric.__name__}`` of the predicted class ids ``top_k_predictions``."
    )
    return streaming


sparse_recall_at_top_k = _top_k_ids_metric(metrics.recall_at_top_k, "recall")
_precision_at_top_k = _top_k_ids_metric(metrics.precision_at_top_k, "precision")


def streaming_sparse_precision_at_top_k(top_k_predictions, labels, *args, **kwargs):
    """``tf.metrics.precision_at_top_k`` of the predicted class ids ``top_k_predictions``
    (given first, as contrib's)."""
    return _precision_at_top_k(labels, top_k_predictions, *args, **kwargs)


def streaming_sparse_average_precision_at_top_k(
    top_k_predictions,
    labels,
    weights=None,
    metrics_collections=None,
    updates_collections=None,
    name=None,
):
    """The mean average precision of the predicted class ids ``top_k_predictions``."""
    collections = (metrics_collections, updates_collections)
    return streaming_average_precision(labels, top_k_predictions, weights, collections, name)


def aggregate_metrics(*value_update_tuples):
    """The values and the update ops of ``(value, update_op)`` pairs, as two lists."""
    if not value_update_tuples:
        raise ValueError("Expected at least one value_tensor/update_op pair")
    value_ops, update_ops = zip(*value_update_tuples, strict=True)
    return list(value_ops), list(update_ops)


def aggregate_metric_map(names_to_tuples):
    """Two dicts from a dict of ``(value, update_op)`` pairs: names to values, names to
    update ops.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     x = tf.placeholder(tf.float32, [None])
    ...     values, updates = tf.contrib.metrics.aggregate_metric_map(
    ...         {"mean": tf.metrics.mean(x), "below": tf.metrics.percentage_below(x, 1.0)})
    ...     with tf.Session() as sess:
    ...         sess.run(tf.local_variables_initializer())
    ...         updated = sess.run(updates, {x: [0.0, 2.0]})
    ...     print(sorted((name, float(value)) for name, value in updated.items()))
    [('below', 0.5), ('mean', 1.0)]
    """
    names = list(names_to_tuples)
    value_ops, update_ops = zip(*names_to_tuples.values(), strict=True)
    return dict(zip(names, value_ops, strict=True)), dict(zip(names, update_ops, strict=True))


# contrib metrics with their own algorithms, and what to use instead.
_NOT_PROVIDED = {
    "auc_with_confidence_intervals": "tf.metrics.auc",
    "precision_recall_at_equal_thresholds": "tf.metrics.precision_at_thresholds and "
    "tf.metrics.recall_at_thresholds",
}


def __getattr__(name: str):
    if name in _NOT_PROVIDED:
        raise NotImplementedError(
            f"tf.contrib.metrics.{name} is not provided by scopeflow; instead: "
            f"{_NOT_PROVIDED[name]}."
        )
    raise AttributeError(f"module 'tf.contrib.metrics' has no attribute {name!r}")
