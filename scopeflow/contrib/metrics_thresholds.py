"""``tf.contrib.metrics``' threshold metrics, as TF 1.15 (tf_slim) builds them on its own
confusion counts at thresholds (no [0, 1] checks on the predictions):
``streaming_false_positive_rate_at_thresholds``,
``streaming_false_negative_rate_at_thresholds``, ``recall_at_precision``,
``precision_at_recall``, ``streaming_curve_points``; and ``f1_score`` on ``tf.metrics``'
checked counts."""

from __future__ import annotations

from scopeflow.framework import dtypes
from scopeflow.framework.graph_api import add_to_collections
from scopeflow.metrics.counts import confusion_matrix_at_thresholds
from scopeflow.metrics.util import squeeze_or_expand_weights
from scopeflow.ops.array.basic import stack
from scopeflow.ops.array.cast import cast
from scopeflow.ops.control.cond import cond
from scopeflow.ops.control.grouping import group
from scopeflow.ops.math.deprecated import div
from scopeflow.ops.math.elementwise import abs as abs_
from scopeflow.ops.math.elementwise import greater_equal
from scopeflow.ops.math.reduction import argmax, argmin, reduce_max, reduce_sum
from scopeflow.variables.variable_scope import variable_scope

_EPSILON = 1e-7


def _finish(value, update_op, metrics_collections, updates_collections):
    if metrics_collections:
        add_to_collections(metrics_collections, value)
    if updates_collections:
        add_to_collections(updates_collections, update_op)
    return value, update_op


def _rate_at_thresholds(
    default_name,
    keys,
    prefix,
    predictions,
    labels,
    thresholds,
    weights,
    metrics_collections,
    updates_collections,
    name,
):
    with variable_scope(name, default_name, (predictions, labels, weights)):
        values, updates = confusion_matrix_at_thresholds(
            labels, predictions, thresholds, weights, keys, default_name, checked=False
        )
        a, b = keys

        def rate(x, y, suffix):
            return div(x, _EPSILON + x + y, name=f"{prefix}_{suffix}")

        value = rate(values[a], values[b], "value")
        update_op = rate(updates[a], updates[b], "update_op")
        return _finish(value, update_op, metrics_collections, updates_collections)


def streaming_false_positive_rate_at_thresholds(
    predictions,
    labels,
    thresholds,
    weights=None,
    metrics_collections=None,
    updates_collections=None,
    name=None,
):
    """``fp / (fp + tn)`` at each threshold (a prediction above it is positive); returns
    ``(fpr, update_op)``."""
    return _rate_at_thresholds(
        "false_positive_rate_at_thresholds",
        ("fp", "tn"),
        "fpr",
        predictions,
        labels,
        thresholds,
        weights,
        metrics_collections,
        updates_collections,
        name,
    )


def streaming_false_negative_rate_at_thresholds(
    predictions,
    labels,
    thresholds,
    weights=None,
    metrics_collections=None,
    updates_collections=None,
    name=None,
):
    """``fn / (fn + tp)`` at each threshold; returns ``(fnr, update_op)``."""
    return _rate_at_thresholds(
        "false_negative_rate_at_thresholds",
        ("fn", "tp"),
        "fnr",
        predictions,
        labels,
        thresholds,
        weights,
        metrics_collections,
        updates_collections,
        name,
    )


def _evenly_spaced(num_thresholds: int) -> list[float]:
    inner = [i * 1.0 / (num_thresholds - 1) for i in range(1, num_thresholds - 1)]
    return [0.0 - _EPSILON, *inner, 1.0 + _EPSILON]


def recall_at_precision(
    labels,
    predictions,
    precision,
    weights=None,
    num_thresholds=200,
    metrics_collections=None,
    updates_collections=None,
    name=None,
    strict_mode=False,
):
    """The recall at the threshold whose precision is closest to ``precision`` (with
    ``strict_mode``, the closest at or above it, else 0); returns ``(recall, update_op)``.

    Raises:
        ValueError: ``precision`` outside [0, 1].
    """
    if not 0 <= precision <= 1:
        raise ValueError("`precision` must be in the range [0, 1].")
    with variable_scope(name, "recall_at_precision", (predictions, labels, weights)):
        values, updates = confusion_matrix_at_thresholds(
            labels,
            predictions,
            _evenly_spaced(num_thresholds),
            weights,
            metric="recall_at_precision",
            checked=False,
        )

        def recall_of(tp, fp, fn, op_name):
            precisions = div(tp, tp + fp + _EPSILON)

            def recall_at(index):
                return div(tp[index], tp[index] + fn[index] + _EPSILON, op_name)

            if not strict_mode:
                return recall_at(argmin(abs_(precisions - precision), 0, output_type=dtypes.int32))
            index = argmax(div(1.0, precisions - precision + _EPSILON), 0, output_type=dtypes.int32)
            return cond(precisions[index] >= precision, lambda: recall_at(index), lambda: 0.0)

        value = recall_of(values["tp"], values["fp"], values["fn"], "value")
        update_op = recall_of(updates["tp"], updates["fp"], updates["fn"], "update_op")
        return _finish(value, update_op, metrics_collections, updates_collections)


def precision_at_recall(
    labels,
    predictions,
    target_recall,
    weights=None,
    num_thresholds=200,
    metrics_collections=None,
    updates_collections=None,
    name=None,
):
    """The precision at the highest threshold whose recall reaches ``target_recall``;
    returns ``(precision, update_op)``.

    Raises:
        ValueError: ``target_recall`` outside [0, 1].
    """
    if target_recall < 0 or target_recall > 1:
        raise ValueError("`target_recall` must be in the range [0, 1].")
    with variable_scope(name, "precision_at_recall", (predictions, labels, weights)):
        values, updates = confusion_matrix_at_thresholds(
            labels,
            predictions,
            _evenly_spaced(num_thresholds),
            weights,
            metric="precision_at_recall",
            checked=False,
        )

        def precision_of(tp, fp, fn, op_name):
            recalls = div(tp, tp + fn + _EPSILON)
            admissible = cast(greater_equal(recalls, target_recall), dtypes.int64)
            index = reduce_sum(admissible) - 1
            return div(tp[index] + _EPSILON, tp[index] + fp[index] + _EPSILON, op_name)

        value = precision_of(values["tp"], values["fp"], values["fn"], "value")
        update_op = precision_of(updates["tp"], updates["fp"], updates["fn"], "update_op")
        return _finish(value, update_op, metrics_collections, updates_collections)


def streaming_curve_points(
    labels=None,
    predictions=None,
    weights=None,
    num_thresholds=200,
    metrics_collections=None,
    updates_collections=None,
    curve="ROC",
    name=None,
):
    """The ROC curve's (false positive rate, recall) or the PR curve's (recall, precision)
    points at ``num_thresholds`` evenly spaced thresholds; returns ``(points, update_op)``.

    Raises:
        ValueError: ``curve`` is neither "ROC" nor "PR".
    """
    with variable_scope(name, "curve_points", (labels, predictions, weights)):
        if curve not in ("ROC", "PR"):
            raise ValueError(f"curve must be either ROC or PR, {curve} unknown")
        values, updates = confusion_matrix_at_thresholds(
            labels,
            predictions,
            _evenly_spaced(num_thresholds),
            weights,
            metric="streaming_curve_points",
            checked=False,
        )
        epsilon = 1.0e-6
        tp, fn, tn, fp = (values[k] for k in ("tp", "fn", "tn", "fp"))
        recall = div(tp + epsilon, tp + fn + epsilon)
        if curve == "ROC":
            xs, ys = div(fp, fp + tn + epsilon), recall
        else:
            xs, ys = recall, div(tp + epsilon, tp + fp + epsilon)
        points = stack([xs, ys], axis=1)
        update_op = group(*updates.values())
        return _finish(points, update_op, metrics_collections, updates_collections)


def f1_score(
    labels,
    predictions,
    weights=None,
    num_thresholds=200,
    metrics_collections=None,
    updates_collections=None,
    name=None,
):
    """The best F1 score over ``num_thresholds`` evenly spaced thresholds of the predicted
    probabilities (checked to lie in [0, 1], as tf.metrics'); returns ``(f1, update_op)``."""
    with variable_scope(name, "f1", (labels, predictions, weights)):
        predictions, labels, weights = squeeze_or_expand_weights(
            predictions, labels, weights, "f1_score"
        )
        values, updates = confusion_matrix_at_thresholds(
            labels,
            predictions,
            _evenly_spaced(num_thresholds),
            weights,
            ("tp", "fp", "fn"),
            "f1_score",
        )

        def best_f1(tp, fp, fn, suffix):
            precision = div(tp, _EPSILON + tp + fp, name=f"precision_{suffix}")
            recall = div(tp, _EPSILON + tp + fn, name=f"recall_{suffix}")
            return reduce_max(2.0 * precision * recall / (precision + recall + _EPSILON))

        value = best_f1(values["tp"], values["fp"], values["fn"], "value")
        update_op = best_f1(updates["tp"], updates["fp"], updates["fn"], "update")
        return _finish(value, update_op, metrics_collections, updates_collections)
