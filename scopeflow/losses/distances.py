"""``tf.losses.cosine_distance``, ``hinge_loss`` and ``mean_pairwise_squared_error``, built
as TF 2.21's ``compat.v1`` builds them (their name scopes, ``value`` results), weighted and
reduced as the other ``tf.losses`` (``losses_impl.py``)."""

from __future__ import annotations

from scopeflow.framework import undo
from scopeflow.framework.graph import GraphKeys
from scopeflow.framework.graph_api import control_dependencies, name_scope
from scopeflow.losses.losses_impl import (
    Reduction,
    _as_float32_pair,
    _check_given,
    _num_present,
    compute_weighted_loss,
)
from scopeflow.losses.util import add_loss
from scopeflow.ops.array import shape as shape_ops
from scopeflow.ops.control.weights_broadcast import assert_broadcastable
from scopeflow.ops.math import division
from scopeflow.ops.math import elementwise as math_ops
from scopeflow.ops.math import reduction as reduction_ops
from scopeflow.ops.math import selection as selection_ops
from scopeflow.ops.math.sequence import range as range_op
from scopeflow.ops.nn.activation import relu


@undo.atomic
def cosine_distance(
    labels,
    predictions,
    axis=None,
    weights=1.0,
    scope=None,
    loss_collection=GraphKeys.LOSSES,
    reduction=Reduction.SUM_BY_NONZERO_WEIGHTS,
    dim=None,
):
    """Weighted ``1 - sum(predictions * labels, axis)``, for unit-normalized ``labels`` and
    ``predictions`` (``dim``: TF1's old name for ``axis``).

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default(), tf.Session() as sess:
    ...     loss = tf.losses.cosine_distance([[0.0, 1.0]], [[0.6, 0.8]], axis=1)
    ...     print(loss.name, round(float(sess.run(loss)), 4))
    cosine_distance_loss/value:0 0.2
    """
    if dim is not None:
        if axis is not None:
            raise ValueError("Cannot specify both 'axis' and 'dim'")
        axis = dim
    if axis is None:
        raise ValueError("You must specify argument `axis`.")
    _check_given(labels, predictions)
    with name_scope(scope, "cosine_distance_loss", [predictions, labels, weights]) as scope:
        labels, predictions = _as_float32_pair(labels, predictions)
        products = math_ops.multiply(predictions, labels)
        losses = 1 - reduction_ops.reduce_sum(products, axis=(axis,), keepdims=True)
        return compute_weighted_loss(losses, weights, scope, loss_collection, reduction)


@undo.atomic
def hinge_loss(
    labels,
    logits,
    weights=1.0,
    scope=None,
    loss_collection=GraphKeys.LOSSES,
    reduction=Reduction.SUM_BY_NONZERO_WEIGHTS,
):
    """Weighted ``max(0, 1 - (2 labels - 1) logits)``: ``labels`` are 0 or 1, taken as -1 and
    1."""
    _check_given(labels, logits, predictions_arg="logits")
    with name_scope(scope, "hinge_loss", [logits, labels, weights]) as scope:
        labels, logits = _as_float32_pair(labels, logits)
        ones = shape_ops.ones_like(labels)
        signs = math_ops.subtract(2 * labels, ones)
        losses = relu(math_ops.subtract(ones, math_ops.multiply(signs, logits)))
        return compute_weighted_loss(losses, weights, scope, loss_collection, reduction)


@undo.atomic
def mean_pairwise_squared_error(
    labels, predictions, weights=1.0, scope=None, loss_collection=GraphKeys.LOSSES
):
    """Per example, the mean of ``((p_i - p_j) - (l_i - l_j)) ** 2`` over its pairs of
    elements, weighted per example (``weights``: a scalar or one weight per example, of the
    examples' rank) and summed over the batch."""
    _check_given(labels, predictions)
    with name_scope(scope, "mean_pairwise_squared_error", [predictions, labels, weights]):
        weights = math_ops.cast(weights, "float32")
        labels = math_ops.cast(labels, "float32")
        with control_dependencies((assert_broadcastable(weights, labels),)):
            predictions = math_ops.cast(predictions, "float32")
            predictions.get_shape().assert_is_compatible_with(labels.get_shape())
            diffs = math_ops.subtract(predictions, labels)
            axes = range_op(1, shape_ops.rank(diffs))
            squares = reduction_ops.reduce_sum(math_ops.square(diffs), axes, keepdims=True)
            present = _num_present(diffs, weights, per_example=True)
            term1 = 2.0 * division.div_no_nan(
                squares, math_ops.maximum(present - 1, 0), name="value"
            )
            sums = reduction_ops.reduce_sum(diffs, axes, keepdims=True)
            term2 = 2.0 * division.div_no_nan(
                math_ops.square(sums),
                math_ops.maximum(math_ops.multiply(present, present - 1), 0),
                name="value",
            )
            loss = reduction_ops.reduce_sum(math_ops.multiply(term1 - term2, weights))
            any_present = math_ops.greater(reduction_ops.reduce_sum(present), 0)
            mean_loss = selection_ops.where(
                any_present, loss, shape_ops.zeros_like(loss), name="value"
            )
            add_loss(mean_loss, loss_collection)
            return mean_loss
