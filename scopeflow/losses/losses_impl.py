"""``tf.losses``: TF1's weighted losses, each added to a loss collection (``LOSSES``).

A loss function computes per-element losses under its own name scope
(``mean_squared_error/``), multiplies them by ``weights`` (a scalar, or a tensor
broadcastable to the losses) and reduces them as ``reduction`` says; TF1's default,
``SUM_BY_NONZERO_WEIGHTS``, divides the weighted sum by the number of elements whose weight is
not zero. The result is named as in TF (``mean_squared_error/value:0``; ``.../Sum:0`` for
``SUM``, ``.../Mul:0`` for ``NONE``).

As TF, weights are checked against the losses' shape by ``assert_broadcastable``: while
building when both shapes are known (a ``static_..._check_success`` NoOp, or TF's
``ValueError``), else by an ``Assert`` at run time; the ops that follow depend on it.
"""

from __future__ import annotations

from scopeflow.framework import dtypes, undo
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.graph import GraphKeys
from scopeflow.framework.graph_api import control_dependencies, name_scope
from scopeflow.losses.util import add_loss
from scopeflow.ops.array import basic as array_ops
from scopeflow.ops.array import shape as shape_ops
from scopeflow.ops.control.weights_broadcast import assert_broadcastable, broadcast_weights
from scopeflow.ops.math import division
from scopeflow.ops.math import elementwise as math_ops
from scopeflow.ops.math import reduction as reduction_ops
from scopeflow.ops.math import selection as selection_ops
from scopeflow.ops.math import sequence as sequence_ops
from scopeflow.ops.nn import cross_entropy as loss_ops


class Reduction:
    """How a loss reduces its weighted per-element values."""

    NONE = "none"
    SUM = "weighted_sum"
    SUM_OVER_BATCH_SIZE = "weighted_sum_over_batch_size"
    MEAN = "weighted_mean"
    SUM_BY_NONZERO_WEIGHTS = "weighted_sum_by_nonzero_weights"
    SUM_OVER_NONZERO_WEIGHTS = SUM_BY_NONZERO_WEIGHTS

    @classmethod
    def all(cls) -> tuple[str, ...]:
        return (
            cls.NONE,
            cls.SUM,
            cls.MEAN,
            cls.SUM_OVER_BATCH_SIZE,
            cls.SUM_OVER_NONZERO_WEIGHTS,
            cls.SUM_BY_NONZERO_WEIGHTS,
        )

    @classmethod
    def validate(cls, key) -> None:
        if key not in cls.all():
            raise ValueError(f"Invalid Reduction Key {key}.")


def _safe_mean(total, count):
    return division.div_no_nan(reduction_ops.reduce_sum(total), count, name="value")


def _num_present(losses, weights, per_example: bool = False):
    """How many elements of ``losses`` have a non-zero weight (``per_example``: per index of
    the first axis, kept as ``[batch, 1, ...]``)."""
    with name_scope(None, "num_present", [losses, weights]) as scope:
        present = selection_ops.where(
            math_ops.equal(weights, 0.0),
            shape_ops.zeros_like(weights),
            shape_ops.ones_like(weights),
        )
        present = broadcast_weights(present, losses)
        if per_example:
            axes = sequence_ops.range(1, shape_ops.rank(present))
            return reduction_ops.reduce_sum(present, axes, keepdims=True, name=scope)
        return reduction_ops.reduce_sum(present, name=scope)


def _num_elements(losses):
    with name_scope(None, "num_elements") as scope:
        return math_ops.cast(shape_ops.size(losses, name=scope), losses.dtype.base_dtype)


@undo.atomic
def compute_weighted_loss(
    losses,
    weights=1.0,
    scope=None,
    loss_collection=GraphKeys.LOSSES,
    reduction=Reduction.SUM_BY_NONZERO_WEIGHTS,
):
    """``losses * weights`` reduced by ``reduction`` (in float32, then cast back to the
    losses' dtype), added to ``loss_collection``."""
    Reduction.validate(reduction)
    with name_scope(scope, "weighted_loss", [losses, weights]):
        with control_dependencies((assert_broadcastable(weights, losses),)):
            losses = convert_to_tensor(losses)
            input_dtype = losses.dtype.base_dtype
            losses = math_ops.cast(losses, dtypes.float32)
            weights = math_ops.cast(weights, dtypes.float32)
            weighted = math_ops.multiply(losses, weights)
            if reduction == Reduction.NONE:
                loss = weighted
            else:
                loss = reduction_ops.reduce_sum(weighted)
                if reduction == Reduction.MEAN:
                    total_weight = reduction_ops.reduce_sum(shape_ops.ones_like(losses) * weights)
                    loss = _safe_mean(loss, total_weight)
                elif reduction == Reduction.SUM_BY_NONZERO_WEIGHTS:
                    loss = _safe_mean(loss, _num_present(losses, weights))
                elif reduction == Reduction.SUM_OVER_BATCH_SIZE:
                    loss = _safe_mean(loss, _num_elements(losses))
            loss = math_ops.cast(loss, input_dtype)
            add_loss(loss, loss_collection)
            return loss


def _check_given(labels, predictions, labels_arg="labels", predictions_arg="predictions"):
    if labels is None:
        raise ValueError(f"Argument `{labels_arg}` must not be None.")
    if predictions is None:
        raise ValueError(f"Argument `{predictions_arg}` must not be None.")


def _as_float32_pair(labels, predictions):
    predictions = math_ops.cast(predictions, dtypes.float32)
    labels = math_ops.cast(labels, dtypes.float32)
    predictions.get_shape().assert_is_compatible_with(labels.get_shape())
    return labels, predictions


@undo.atomic
def mean_squared_error(
    labels,
    predictions,
    weights=1.0,
    scope=None,
    loss_collection=GraphKeys.LOSSES,
    reduction=Reduction.SUM_BY_NONZERO_WEIGHTS,
):
    """Weighted ``(predictions - labels) ** 2``.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     loss = tf.losses.mean_squared_error([1.0, 2.0], [1.0, 4.0])
    ...     with tf.Session() as sess:
    ...         print(loss.name, sess.run(loss), tf.losses.get_losses() == [loss])
    mean_squared_error/value:0 2.0 True
    """
    _check_given(labels, predictions)
    with name_scope(scope, "mean_squared_error", [predictions, labels, weights]) as scope:
        labels, predictions = _as_float32_pair(labels, predictions)
        losses = math_ops.squared_difference(predictions, labels)
        return compute_weighted_loss(losses, weights, scope, loss_collection, reduction)


@undo.atomic
def absolute_difference(
    labels,
    predictions,
    weights=1.0,
    scope=None,
    loss_collection=GraphKeys.LOSSES,
    reduction=Reduction.SUM_BY_NONZERO_WEIGHTS,
):
    """Weighted ``|predictions - labels|``."""
    _check_given(labels, predictions)
    with name_scope(scope, "absolute_difference", [predictions, labels, weights]) as scope:
        labels, predictions = _as_float32_pair(labels, predictions)
        losses = math_ops.abs(math_ops.subtract(predictions, labels))
        return compute_weighted_loss(losses, weights, scope, loss_collection, reduction)


@undo.atomic
def huber_loss(
    labels,
    predictions,
    weights=1.0,
    delta=1.0,
    scope=None,
    loss_collection=GraphKeys.LOSSES,
    reduction=Reduction.SUM_BY_NONZERO_WEIGHTS,
):
    """Weighted Huber loss: ``0.5 * e ** 2`` where ``|e| <= delta``, else
    ``0.5 * delta ** 2 + delta * (|e| - delta)``, with ``e = predictions - labels``."""
    _check_given(labels, predictions)
    with name_scope(scope, "huber_loss", [predictions, labels, weights]) as scope:
        labels, predictions = _as_float32_pair(labels, predictions)
        abs_error = math_ops.abs(math_ops.subtract(predictions, labels))
        quadratic = math_ops.minimum(abs_error, delta)
        linear = math_ops.subtract(abs_error, quadratic)
        half = convert_to_tensor(0.5, dtype=quadratic.dtype.base_dtype)
        losses = math_ops.add(
            math_ops.multiply(half, math_ops.multiply(quadratic, quadratic)),
            math_ops.multiply(delta, linear),
        )
        return compute_weighted_loss(losses, weights, scope, loss_collection, reduction)


@undo.atomic
def log_loss(
    labels,
    predictions,
    weights=1.0,
    epsilon=1e-7,
    scope=None,
    loss_collection=GraphKeys.LOSSES,
    reduction=Reduction.SUM_BY_NONZERO_WEIGHTS,
):
    """Weighted ``-labels * log(p + eps) - (1 - labels) * log(1 - p + eps)`` for predicted
    probabilities ``p``."""
    _check_given(labels, predictions)
    with name_scope(scope, "log_loss", [predictions, labels, weights]) as scope:
        labels, predictions = _as_float32_pair(labels, predictions)
        losses = -math_ops.multiply(labels, math_ops.log(predictions + epsilon)) - (
            math_ops.multiply(1 - labels, math_ops.log(1 - predictions + epsilon))
        )
        return compute_weighted_loss(losses, weights, scope, loss_collection, reduction)


@undo.atomic
def sigmoid_cross_entropy(
    multi_class_labels,
    logits,
    weights=1.0,
    label_smoothing=0,
    scope=None,
    loss_collection=GraphKeys.LOSSES,
    reduction=Reduction.SUM_BY_NONZERO_WEIGHTS,
):
    """Weighted ``tf.nn.sigmoid_cross_entropy_with_logits``; ``label_smoothing`` moves the
    labels towards 1/2: ``labels * (1 - s) + 0.5 * s``."""
    _check_given(multi_class_labels, logits, "multi_class_labels", "logits")
    values = [logits, multi_class_labels, weights]
    with name_scope(scope, "sigmoid_cross_entropy_loss", values) as scope:
        logits = convert_to_tensor(logits)
        labels = math_ops.cast(multi_class_labels, logits.dtype.base_dtype)
        logits.get_shape().assert_is_compatible_with(labels.get_shape())
        if label_smoothing > 0:
            labels = labels * (1 - label_smoothing) + 0.5 * label_smoothing
        losses = loss_ops.sigmoid_cross_entropy_with_logits(
            labels=labels, logits=logits, name="xentropy"
        )
        return compute_weighted_loss(losses, weights, scope, loss_collection, reduction)


@undo.atomic
def softmax_cross_entropy(
    onehot_labels,
    logits,
    weights=1.0,
    label_smoothing=0,
    scope=None,
    loss_collection=GraphKeys.LOSSES,
    reduction=Reduction.SUM_BY_NONZERO_WEIGHTS,
):
    """Weighted softmax cross-entropy of ``[batch, classes]`` logits against one-hot labels;
    ``label_smoothing`` mixes the labels with the uniform distribution:
    ``labels * (1 - s) + s / classes``. ``weights`` is a scalar or per-example."""
    _check_given(onehot_labels, logits, "onehot_labels", "logits")
    values = [logits, onehot_labels, weights]
    with name_scope(scope, "softmax_cross_entropy_loss", values) as scope:
        logits = convert_to_tensor(logits)
        labels = math_ops.cast(onehot_labels, logits.dtype.base_dtype)
        logits.get_shape().assert_is_compatible_with(labels.get_shape())
        if label_smoothing > 0:
            num_classes = math_ops.cast(array_ops.shape(labels)[-1], logits.dtype.base_dtype)
            labels = labels * (1.0 - label_smoothing) + label_smoothing / num_classes
        labels = array_ops.stop_gradient(labels, name="labels_stop_gradient")
        losses = loss_ops.softmax_cross_entropy_with_logits_v2(
            labels=labels, logits=logits, name="xentropy"
        )
        return compute_weighted_loss(losses, weights, scope, loss_collection, reduction)


def _squeeze_last(t, rank_gap_expected: int, other):
    """``t`` without its last dimension when its rank exceeds ``other``'s by one more than
    ``rank_gap_expected`` (TF's ``remove_squeezable_dimensions``)."""
    if t.shape.ndims is None or other.shape.ndims is None:
        return t
    if t.shape.ndims - other.shape.ndims == rank_gap_expected + 1:
        return shape_ops.squeeze(t, [-1])
    return t


@undo.atomic
def sparse_softmax_cross_entropy(
    labels,
    logits,
    weights=1.0,
    scope=None,
    loss_collection=GraphKeys.LOSSES,
    reduction=Reduction.SUM_BY_NONZERO_WEIGHTS,
):
    """Weighted softmax cross-entropy of logits against integer class ids ``labels``
    (``[batch]``, or ``[batch, 1]``)."""
    _check_given(labels, logits, "labels", "logits")
    with name_scope(scope, "sparse_softmax_cross_entropy_loss", [logits, labels, weights]) as s:
        labels = convert_to_tensor(labels)
        logits = convert_to_tensor(logits)
        labels = _squeeze_last(labels, -1, logits)
        weights = convert_to_tensor(weights)
        weights = _squeeze_last(weights, 0, labels)
        losses = loss_ops.sparse_softmax_cross_entropy_with_logits(
            labels=labels, logits=logits, name="xentropy"
        )
        return compute_weighted_loss(losses, weights, s, loss_collection, reduction)
