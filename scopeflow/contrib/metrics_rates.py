"""More of ``tf.contrib.metrics``' own metrics, as TF 1.15 (tf_slim) builds them:
``streaming_false_positive_rate`` and ``streaming_false_negative_rate`` (from ``tf.metrics``'
counts), ``count``, ``cohen_kappa`` and the non-streaming ``accuracy``."""

from __future__ import annotations

from scopeflow.framework import dtypes
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.graph_api import add_to_collections, control_dependencies, name_scope
from scopeflow.metrics.counts import (
    false_negatives,
    false_positives,
    true_negatives,
    true_positives,
)
from scopeflow.metrics.util import (
    broadcast_weights,
    confusion_matrix,
    metric_variable,
    squeeze_or_expand_weights,
)
from scopeflow.ops.array.basic import identity
from scopeflow.ops.array.cast import cast
from scopeflow.ops.array.shape import ones_like, size, squeeze
from scopeflow.ops.math.deprecated import div
from scopeflow.ops.math.division import div_no_nan
from scopeflow.ops.math.elementwise import equal, greater, multiply
from scopeflow.ops.math.linalg import diag_part
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


def cohen_kappa(
    labels,
    predictions_idx,
    num_classes,
    weights=None,
    metrics_collections=None,
    updates_collections=None,
    name=None,
):
    """Cohen's kappa of class ``labels`` and predicted classes over all batches so far, from
    the confusion matrix's diagonal (``po``) and margins (``pe_row``, ``pe_col``); returns
    ``(kappa, update_op)``.

    Raises:
        ValueError: ``num_classes`` below 2.
    """
    if num_classes < 2:
        raise ValueError(f"`num_classes` must be >= 2.Found: {num_classes}")
    with variable_scope(name, "cohen_kappa", (labels, predictions_idx, weights)):
        labels = convert_to_tensor(labels)
        labels.get_shape().with_rank_at_most(2)
        if labels.get_shape().ndims == 2:
            labels = squeeze(labels, axis=[-1])
        predictions_idx, labels, weights = squeeze_or_expand_weights(
            predictions_idx, labels, weights, "cohen_kappa"
        )
        integer = weights is None or weights.dtype.is_integer
        stat_dtype = dtypes.int64 if integer else dtypes.float32
        po = metric_variable((num_classes,), stat_dtype, name="po")
        pe_row = metric_variable((num_classes,), stat_dtype, name="pe_row")
        pe_col = metric_variable((num_classes,), stat_dtype, name="pe_col")
        table = confusion_matrix(
            labels,
            predictions_idx,
            num_classes=num_classes,
            weights=weights,
            dtype=stat_dtype,
            name="counts_in_table",
        )
        update_po = assign_add(po, diag_part(table))
        update_pe_row = assign_add(pe_row, reduce_sum(table, axis=0))
        update_pe_col = assign_add(pe_col, reduce_sum(table, axis=1))

        def kappa_of(po, pe_row, pe_col, op_name):
            po_sum = reduce_sum(po)
            total = reduce_sum(pe_row)
            pe_sum = reduce_sum(
                div_no_nan(cast(pe_row * pe_col, dtypes.float64), cast(total, dtypes.float64))
            )
            po_sum, pe_sum, total = (
                cast(po_sum, dtypes.float64),
                cast(pe_sum, dtypes.float64),
                cast(total, dtypes.float64),
            )
            return div_no_nan(po_sum - pe_sum, total - pe_sum, name=op_name)

        kappa = kappa_of(po, pe_row, pe_col, "value")
        update_op = kappa_of(update_po, update_pe_row, update_pe_col, "update_op")
    if metrics_collections:
        add_to_collections(metrics_collections, kappa)
    if updates_collections:
        add_to_collections(updates_collections, update_op)
    return kappa, update_op
