"""Counting metrics: true/false positives/negatives of boolean predictions and at thresholds
of predicted probabilities, ``precision``, ``recall`` (and at thresholds), ``auc`` (ROC and
PR, four summation methods), ``sensitivity_at_specificity`` and
``specificity_at_sensitivity``, as TF1's ``metrics_impl`` builds them."""

from __future__ import annotations

import logging

from scopeflow.framework import dtypes, undo
from scopeflow.framework.constant import constant, convert_to_tensor
from scopeflow.framework.graph_api import control_dependencies
from scopeflow.metrics.util import (
    add_to,
    broadcast_weights,
    metric_variable,
    squeeze_or_expand_weights,
)
from scopeflow.ops.array import basic as array_ops
from scopeflow.ops.array import shape as shape_ops
from scopeflow.ops.array.cast import cast
from scopeflow.ops.array.join import tile
from scopeflow.ops.array.transpose import transpose
from scopeflow.ops.control.assertions import assert_greater_equal, assert_less_equal
from scopeflow.ops.control.checks import assert_rank_in, assert_type
from scopeflow.ops.math import division, reduction
from scopeflow.ops.math import elementwise as math_ops
from scopeflow.ops.math.selection import where
from scopeflow.ops.state.storage import assign_add
from scopeflow.variables.variable_scope import variable_scope

_KEPSILON = 1e-7


def _count_condition(values, weights, metrics_collections, updates_collections):
    assert_type(values, dtypes.bool)
    count = metric_variable([], dtypes.float32, name="count")
    values = cast(values, dtypes.float32)
    if weights is not None:
        with control_dependencies((assert_rank_in(weights, (0, shape_ops.rank(values))),)):
            weights = cast(weights, dtypes.float32)
            values = math_ops.multiply(values, weights)
    value = add_to(metrics_collections, array_ops.identity(count))
    update_op = assign_add(count, reduction.reduce_sum(values))
    return value, add_to(updates_collections, update_op)


def _condition_metric(default_name: str, label_is: bool, prediction_is: bool):
    @undo.atomic
    def metric(
        labels,
        predictions,
        weights=None,
        metrics_collections=None,
        updates_collections=None,
        name=None,
    ):
        with variable_scope(name, default_name, (predictions, labels, weights)):
            predictions, labels, weights = squeeze_or_expand_weights(
                cast(predictions, dtypes.bool), cast(labels, dtypes.bool), weights, default_name
            )
            condition = math_ops.logical_and(
                math_ops.equal(labels, label_is), math_ops.equal(predictions, prediction_is)
            )
            return _count_condition(condition, weights, metrics_collections, updates_collections)

    metric.__name__ = metric.__qualname__ = default_name
    kind = f"label {label_is} and prediction {prediction_is}"
    metric.__doc__ = (
        f"The (weighted) number of elements with {kind}, in the local variable "
        f"``{default_name}/count``."
    )
    return metric


true_positives = _condition_metric("true_positives", True, True)
false_positives = _condition_metric("false_positives", False, True)
true_negatives = _condition_metric("true_negatives", False, False)
false_negatives = _condition_metric("false_negatives", True, False)


def _ratio_metric(default_name: str, other, other_key: str):
    @undo.atomic
    def metric(
        labels,
        predictions,
        weights=None,
        metrics_collections=None,
        updates_collections=None,
        name=None,
    ):
        with variable_scope(name, default_name, (predictions, labels, weights)):
            predictions, labels, weights = squeeze_or_expand_weights(
                cast(predictions, dtypes.bool), cast(labels, dtypes.bool), weights, default_name
            )
            tp, tp_update = true_positives(labels, predictions, weights)
            wrong, wrong_update = other(labels, predictions, weights)

            def compute(tp, wrong, name):
                return where(
                    math_ops.greater(tp + wrong, 0), division.divide(tp, tp + wrong), 0, name
                )

            value = add_to(metrics_collections, compute(tp, wrong, "value"))
            update_op = compute(tp_update, wrong_update, "update_op")
            return value, add_to(updates_collections, update_op)

    metric.__name__ = metric.__qualname__ = default_name
    metric.__doc__ = (
        f"``tp / (tp + {other_key})`` of boolean ``predictions`` against ``labels`` (0 when "
        f"there are none), from the local variables ``{default_name}/true_positives/count`` "
        f"and ``{default_name}/{other.__name__}/count``."
    )
    return metric


precision = _ratio_metric("precision", false_positives, "fp")
recall = _ratio_metric("recall", false_negatives, "fn")


def confusion_matrix_at_thresholds(
    labels, predictions, thresholds, weights=None, includes=None, metric="", checked=True
):
    """The local variables ``true_positives``, ``false_negatives``, ``true_negatives``,
    ``false_positives`` (those in ``includes``), one entry per threshold, and their update
    ops: a prediction above a threshold counts as positive. ``metric`` names the metric in
    errors. ``checked=False`` is tf.contrib's form: predictions taken as they are, with no
    checks that they lie in [0, 1]."""
    everything = ("tp", "fn", "tn", "fp")
    includes = everything if includes is None else includes
    predictions = convert_to_tensor(predictions)
    if checked:
        bound = "predictions must be in [0, 1]"
        low = assert_greater_equal(predictions, cast(0.0, dtype=predictions.dtype), message=bound)
        high = assert_less_equal(predictions, cast(1.0, dtype=predictions.dtype), message=bound)
        with control_dependencies([low, high]):
            predictions, labels, weights = squeeze_or_expand_weights(
                cast(predictions, dtypes.float32), cast(labels, dtype=dtypes.bool), weights, metric
            )
    else:
        predictions, labels, weights = squeeze_or_expand_weights(
            predictions, labels, weights, metric
        )
    n = len(thresholds)
    predictions_2d = array_ops.reshape(predictions, [-1, 1])
    labels_2d = array_ops.reshape(cast(labels, dtype=dtypes.bool), [1, -1])
    num_predictions = predictions_2d.shape[0].value
    if num_predictions is None:
        num_predictions = array_ops.shape(predictions_2d)[0]
    thresh_tiled = tile(
        shape_ops.expand_dims(constant(thresholds), [1]), array_ops.stack([1, num_predictions])
    )
    pred_is_pos = math_ops.greater(tile(transpose(predictions_2d), [n, 1]), thresh_tiled)
    if "fn" in includes or "tn" in includes:
        pred_is_neg = math_ops.logical_not(pred_is_pos)
    label_is_pos = tile(labels_2d, [n, 1])
    if "fp" in includes or "tn" in includes:
        label_is_neg = math_ops.logical_not(label_is_pos)
    weights_tiled = None
    if weights is not None:
        weights = broadcast_weights(cast(weights, dtypes.float32), predictions)
        weights_tiled = tile(array_ops.reshape(weights, [1, -1]), [n, 1])
        thresh_tiled.shape.assert_is_compatible_with(weights_tiled.shape)
    pairs = {
        "tp": ("true_positives", lambda: (label_is_pos, pred_is_pos)),
        "fn": ("false_negatives", lambda: (label_is_pos, pred_is_neg)),
        "tn": ("true_negatives", lambda: (label_is_neg, pred_is_neg)),
        "fp": ("false_positives", lambda: (label_is_neg, pred_is_pos)),
    }
    values, update_ops = {}, {}
    for key in everything:
        if key not in includes:
            continue
        var_name, operands = pairs[key]
        variable = metric_variable([n], dtypes.float32, name=var_name)
        hits = cast(math_ops.logical_and(*operands()), dtypes.float32)
        if weights_tiled is not None:
            hits *= weights_tiled
        update_ops[key] = assign_add(variable, reduction.reduce_sum(hits, 1))
        values[key] = variable
    return values, update_ops


def _at_thresholds_count(default_name: str, key: str):
    public_name = f"{default_name}_at_thresholds"

    @undo.atomic
    def metric(
        labels,
        predictions,
        thresholds,
        weights=None,
        metrics_collections=None,
        updates_collections=None,
        name=None,
    ):
        with variable_scope(name, default_name, (predictions, labels, weights)):
            values, update_ops = confusion_matrix_at_thresholds(
                labels, predictions, thresholds, weights, (key,), public_name
            )
            value = add_to(metrics_collections, array_ops.identity(values[key]))
            return value, add_to(updates_collections, update_ops[key])

    metric.__name__ = metric.__qualname__ = public_name
    metric.__doc__ = (
        f"The (weighted) {default_name.replace('_', ' ')} at each threshold of the predicted "
        f"probabilities (local variable ``{default_name}/{default_name}``)."
    )
    return metric


true_positives_at_thresholds = _at_thresholds_count("true_positives", "tp")
false_positives_at_thresholds = _at_thresholds_count("false_positives", "fp")
true_negatives_at_thresholds = _at_thresholds_count("true_negatives", "tn")
false_negatives_at_thresholds = _at_thresholds_count("false_negatives", "fn")


def _ratio_at_thresholds(default_name: str, other: str, prefix: str):
    @undo.atomic
    def metric(
        labels,
        predictions,
        thresholds,
        weights=None,
        metrics_collections=None,
        updates_collections=None,
        name=None,
    ):
        with variable_scope(name, default_name, (predictions, labels, weights)):
            values, update_ops = confusion_matrix_at_thresholds(
                labels, predictions, thresholds, weights, ("tp", other), default_name
            )

            def compute(tp, wrong, name):
                return division.divide(tp, _KEPSILON + tp + wrong, name=f"{prefix}_{name}")

            value = add_to(metrics_collections, compute(values["tp"], values[other], "value"))
            update_op = compute(update_ops["tp"], update_ops[other], "update_op")
            return value, add_to(updates_collections, update_op)

    metric.__name__ = metric.__qualname__ = default_name
    metric.__doc__ = f"The {prefix} at each threshold of the predicted probabilities."
    return metric


precision_at_thresholds = _ratio_at_thresholds("precision_at_thresholds", "fp", "precision")
recall_at_thresholds = _ratio_at_thresholds("recall_at_thresholds", "fn", "recall")


def _evenly_spaced(num_thresholds: int, top: float) -> list[float]:
    inner = [(i + 1) * 1.0 / (num_thresholds - 1) for i in range(num_thresholds - 2)]
    return [0.0 - _KEPSILON, *inner, top]


def _interpolate_pr_auc(tp, fp, fn, n):
    dtp = tp[: n - 1] - tp[1:]
    p = tp + fp
    slope = division.div_no_nan(dtp, math_ops.maximum(p[: n - 1] - p[1:], 0), name="prec_slope")
    intercept = tp[1:] - math_ops.multiply(slope, p[1:])
    ratio = where(
        math_ops.logical_and(p[: n - 1] > 0, p[1:] > 0),
        division.div_no_nan(p[: n - 1], math_ops.maximum(p[1:], 0), name="recall_relative_ratio"),
        shape_ops.ones_like(p[1:]),
    )
    increments = division.div_no_nan(
        slope * (dtp + intercept * math_ops.log(ratio)),
        math_ops.maximum(tp[1:] + fn[1:], 0),
        name="pr_auc_increment",
    )
    return reduction.reduce_sum(increments, name="interpolate_pr_auc")


_SUMMATIONS = ("trapezoidal", "careful_interpolation", "minoring", "majoring")


@undo.atomic
def auc(
    labels,
    predictions,
    weights=None,
    num_thresholds=200,
    metrics_collections=None,
    updates_collections=None,
    curve="ROC",
    name=None,
    summation_method="trapezoidal",
    thresholds=None,
):
    """The area under the ROC or PR curve, a Riemann sum over ``num_thresholds`` evenly
    spaced thresholds (or the ``thresholds`` given), from the local variables
    ``auc/true_positives``, ``auc/false_negatives``, ``auc/true_negatives`` and
    ``auc/false_positives``.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     value, update = tf.metrics.auc([False, True, True], [0.2, 0.9, 0.4])
    ...     with tf.Session() as sess:
    ...         sess.run(tf.local_variables_initializer())
    ...         print(round(float(sess.run(update)), 3))
    1.0
    """
    with variable_scope(name, "auc", (labels, predictions, weights)):
        if curve not in ("ROC", "PR"):
            raise ValueError(f"Curve must be either ROC or PR. Curve {curve} is unknown.")
        if thresholds is not None:
            thresholds = sorted(thresholds)
            num_thresholds = len(thresholds) + 2
            thresholds = [0.0 - _KEPSILON, *thresholds, 1.0 + _KEPSILON]
        else:
            thresholds = _evenly_spaced(num_thresholds, 1.0 + _KEPSILON)
        values, update_ops = confusion_matrix_at_thresholds(
            labels, predictions, thresholds, weights, metric="auc"
        )
        n, epsilon = num_thresholds, 1e-6

        def compute(tp, fn, tn, fp, name):
            if curve == "PR":
                if summation_method == "trapezoidal":
                    logging.getLogger("tensorflow").warning(
                        "Trapezoidal rule is known to produce incorrect PR-AUCs; please switch "
                        'to "careful_interpolation" instead.'
                    )
                elif summation_method == "careful_interpolation":
                    return _interpolate_pr_auc(tp, fp, fn, n)
            rec = division.divide(tp + epsilon, tp + fn + epsilon)
            if curve == "ROC":
                x, y = division.divide(fp, fp + tn + epsilon), rec
            else:
                x, y = rec, division.divide(tp + epsilon, tp + fp + epsilon)
            widths = x[: n - 1] - x[1:]
            if summation_method in ("trapezoidal", "careful_interpolation"):
                heights = (y[: n - 1] + y[1:]) / 2.0
            elif summation_method == "minoring":
                heights = math_ops.minimum(y[: n - 1], y[1:])
            elif summation_method == "majoring":
                heights = math_ops.maximum(y[: n - 1], y[1:])
            else:
                raise ValueError(
                    f"Invalid summation_method: {summation_method} summation_method should be "
                    "'trapezoidal', 'careful_interpolation', 'minoring', or 'majoring'."
                )
            return reduction.reduce_sum(math_ops.multiply(widths, heights), name=name)

        keys = ("tp", "fn", "tn", "fp")
        value = add_to(metrics_collections, compute(*[values[k] for k in keys], "value"))
        update_op = compute(*[update_ops[k] for k in keys], "update_op")
        return value, add_to(updates_collections, update_op)


@undo.atomic
def sensitivity_at_specificity(
    labels,
    predictions,
    specificity,
    weights=None,
    num_thresholds=200,
    metrics_collections=None,
    updates_collections=None,
    name=None,
):
    """The sensitivity (recall) at the threshold whose specificity is closest to
    ``specificity``."""
    if specificity < 0 or specificity > 1:
        raise ValueError(
            "`specificity` must be in the range [0, 1]. Currently, `specificity` got "
            f"{specificity}."
        )
    with variable_scope(name, "sensitivity_at_specificity", (predictions, labels, weights)):
        thresholds = _evenly_spaced(num_thresholds, 1.0 + _KEPSILON)
        values, update_ops = confusion_matrix_at_thresholds(
            labels, predictions, thresholds, weights, metric="sensitivity_at_specificity"
        )

        def compute(tp, tn, fp, fn, name):
            specificities = division.divide(tn, tn + fp + _KEPSILON)
            index = reduction.argmin(math_ops.abs(specificities - specificity), 0)
            index = cast(index, dtypes.int32)
            return division.divide(tp[index], tp[index] + fn[index] + _KEPSILON, name)

        keys = ("tp", "tn", "fp", "fn")
        value = add_to(metrics_collections, compute(*[values[k] for k in keys], "value"))
        update_op = compute(*[update_ops[k] for k in keys], "update_op")
        return value, add_to(updates_collections, update_op)


@undo.atomic
def specificity_at_sensitivity(
    labels,
    predictions,
    sensitivity,
    weights=None,
    num_thresholds=200,
    metrics_collections=None,
    updates_collections=None,
    name=None,
):
    """The specificity at the threshold whose sensitivity is closest to ``sensitivity`` (the
    highest such threshold, as TF1)."""
    if sensitivity < 0 or sensitivity > 1:
        raise ValueError(
            f"`sensitivity` must be in the range [0, 1]. Currently, `sensitivity` is {sensitivity}."
        )
    with variable_scope(name, "specificity_at_sensitivity", (predictions, labels, weights)):
        thresholds = _evenly_spaced(num_thresholds, 1.0 - _KEPSILON)
        values, update_ops = confusion_matrix_at_thresholds(
            labels, predictions, thresholds, weights, metric="specificity_at_sensitivity"
        )

        def compute(tp, tn, fp, fn, name):
            sensitivities = division.divide(tp, tp + fn + _KEPSILON)
            smallest = reduction.reduce_min(math_ops.abs(sensitivities - sensitivity))
            closest = math_ops.equal(math_ops.abs(sensitivities - sensitivity), smallest)
            last = reduction.argmax(reduction.cumsum(cast(closest, dtypes.int64)), 0)
            index = cast(last, dtypes.int32)
            return division.divide(tn[index], tn[index] + fp[index] + _KEPSILON, name)

        keys = ("tp", "tn", "fp", "fn")
        value = add_to(metrics_collections, compute(*[values[k] for k in keys], "value"))
        update_op = compute(*[update_ops[k] for k in keys], "update_op")
        return value, add_to(updates_collections, update_op)
