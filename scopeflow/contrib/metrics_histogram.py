"""``tf.contrib.metrics.auc_using_histogram``: the ROC AUC estimated from two running
histograms of the scores (true and false labels; local ``hist_true_acc``, ``hist_false_acc``),
as TF 1.15 (tf_slim) builds it."""

from __future__ import annotations

from scopeflow.framework import dtypes
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.graph import GraphKeys
from scopeflow.framework.graph_api import control_dependencies, name_scope
from scopeflow.metrics.util import remove_squeezable_dimensions
from scopeflow.ops.array.cast import cast
from scopeflow.ops.array.gather import boolean_mask
from scopeflow.ops.array.join import reverse_v2
from scopeflow.ops.array.shape import rank, shape
from scopeflow.ops.control.assertions import Assert
from scopeflow.ops.control.grouping import group
from scopeflow.ops.math.bins import histogram_fixed_width
from scopeflow.ops.math.division import truediv
from scopeflow.ops.math.elementwise import add, equal, logical_not
from scopeflow.ops.math.reduction import cumsum, reduce_sum
from scopeflow.variables import initializers
from scopeflow.variables.variable_scope import get_variable, variable_scope

__all__ = ["auc_using_histogram"]


def auc_using_histogram(
    boolean_labels,
    scores,
    score_range,
    nbins=100,
    collections=None,
    check_shape=True,
    name=None,
):
    """``(auc, update_op)``: the area under the ROC curve of the scores seen so far, from
    ``nbins``-bin histograms over ``score_range`` (trapezoids).

    Raises:
        ValueError: ``boolean_labels`` is not bool.
    """
    if collections is None:
        collections = [GraphKeys.LOCAL_VARIABLES]
    with variable_scope(name, "auc_using_histogram", [boolean_labels, scores, score_range]):
        boolean_labels, scores = remove_squeezable_dimensions(boolean_labels, scores)
        score_range = convert_to_tensor(score_range, name="score_range")
        boolean_labels, scores = _checked(boolean_labels, scores, check_shape)
        with variable_scope(None, "make_auc_histograms", [boolean_labels, scores, nbins]):
            hist_true = histogram_fixed_width(
                boolean_mask(scores, boolean_labels),
                score_range,
                nbins=nbins,
                dtype=dtypes.int64,
                name="hist_true",
            )
            hist_false = histogram_fixed_width(
                boolean_mask(scores, logical_not(boolean_labels)),
                score_range,
                nbins=nbins,
                dtype=dtypes.int64,
                name="hist_false",
            )
        with variable_scope(None, "hist_accumulate", [hist_true, hist_false]):
            accumulated = [
                get_variable(
                    key,
                    shape=[nbins],
                    dtype=hist_true.dtype,
                    initializer=initializers.zeros_initializer(),
                    collections=collections,
                    trainable=False,
                )
                for key in ("hist_true_acc", "hist_false_acc")
            ]
            update_op = group(
                accumulated[0].assign_add(hist_true),
                accumulated[1].assign_add(hist_false),
                name="update_op",
            )
        return _auc(*accumulated, nbins), update_op


def _checked(boolean_labels, scores, check_shape):
    with name_scope("_check_labels_and_scores", values=[boolean_labels, scores]):
        boolean_labels = convert_to_tensor(boolean_labels, name="boolean_labels")
        scores = convert_to_tensor(scores, name="scores")
        if boolean_labels.dtype != dtypes.bool:
            raise ValueError(
                f"Argument boolean_labels should have dtype bool.  Found: {boolean_labels.dtype}"
            )
        if not check_shape:
            return boolean_labels, scores
        labels_rank_1 = Assert(
            equal(1, rank(boolean_labels)),
            [
                "Argument boolean_labels should have rank 1.  Found: ",
                boolean_labels.name,
                shape(boolean_labels),
            ],
        )
        scores_rank_1 = Assert(
            equal(1, rank(scores)),
            ["Argument scores should have rank 1.  Found: ", scores.name, shape(scores)],
        )
        with control_dependencies([labels_rank_1, scores_rank_1]):
            return boolean_labels, scores


def _auc(hist_true_acc, hist_false_acc, nbins):
    normed_true = truediv(hist_true_acc, reduce_sum(hist_true_acc))
    normed_false = truediv(hist_false_acc, reduce_sum(hist_false_acc))
    delta_y = cast(reverse_v2(normed_true, [0], name="delta_y_t"), dtypes.float32)
    delta_x = cast(reverse_v2(normed_false, [0], name="delta_x_t"), dtypes.float32)
    y = cumsum(delta_y)[:nbins]
    first_trap = delta_x[0] * y[0] / 2.0
    other_traps = delta_x[1:] * (y[1:] + y[: nbins - 1]) / 2.0
    return add(first_trap, reduce_sum(other_traps), name="auc")
