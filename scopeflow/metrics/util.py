"""What the metrics share: their local variables, the squeezing of a trailing dimension of
size 1, TF1's check that weights broadcast to values (from ``ops/control/weights_broadcast``),
and ``tf.confusion_matrix``."""

from __future__ import annotations

import numpy as np

from scopeflow.framework import dtypes, undo
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.graph import GraphKeys
from scopeflow.framework.graph_api import add_to_collections, name_scope
from scopeflow.framework.tensor import Tensor
from scopeflow.ops.array import basic as array_ops
from scopeflow.ops.array import shape as shape_ops
from scopeflow.ops.array.cast import cast
from scopeflow.ops.array.gather import scatter_nd
from scopeflow.ops.control.assertions import (
    assert_less,
    assert_non_negative,
)
from scopeflow.ops.control.cond import cond
from scopeflow.ops.control.grouping import with_dependencies
from scopeflow.ops.control.weights_broadcast import (  # the metrics' names for them
    assert_broadcastable as assert_broadcastable,
)
from scopeflow.ops.control.weights_broadcast import broadcast_weights as broadcast_weights
from scopeflow.ops.core.infer import constant_value
from scopeflow.ops.math import elementwise as math_ops
from scopeflow.ops.math import reduction
from scopeflow.variables.variables import Variable


def metric_variable(shape, dtype, name: str) -> Variable:
    """A variable of zeros in ``LOCAL_VARIABLES`` and ``METRIC_VARIABLES``, not trainable
    (reset by ``tf.local_variables_initializer()``)."""
    return Variable(
        lambda: array_ops.zeros(shape, dtype),
        trainable=False,
        collections=[GraphKeys.LOCAL_VARIABLES, GraphKeys.METRIC_VARIABLES],
        name=name,
    )


def add_to(collections, value):
    """``value``, added to ``collections`` when there are any."""
    if collections:
        add_to_collections(collections, value)
    return value


def _dim_is_one(t) -> bool:
    return t.shape[-1].is_compatible_with(1)


def remove_squeezable_dimensions(labels, predictions, expected_rank_diff=0, name=None):
    """``labels`` and ``predictions`` with the last dimension of size 1 of the one whose rank
    is one too high squeezed away (TF1's ``confusion_matrix.remove_squeezable_dimensions``)."""
    with name_scope(name, "remove_squeezable_dimensions", [labels, predictions]):
        predictions = convert_to_tensor(predictions)
        labels = convert_to_tensor(labels)
        p_rank, l_rank = predictions.shape.ndims, labels.shape.ndims
        if p_rank is not None and l_rank is not None:
            diff = p_rank - l_rank
            if diff == expected_rank_diff + 1 and _dim_is_one(predictions):
                predictions = shape_ops.squeeze(predictions, [-1])
            elif diff == expected_rank_diff - 1 and _dim_is_one(labels):
                labels = shape_ops.squeeze(labels, [-1])
            return labels, predictions
        diff = shape_ops.rank(predictions) - shape_ops.rank(labels)
        if p_rank is None or _dim_is_one(predictions):
            p = predictions
            predictions = cond(
                math_ops.equal(expected_rank_diff + 1, diff),
                lambda: shape_ops.squeeze(p, [-1]),
                lambda: p,
            )
        if l_rank is None or _dim_is_one(labels):
            lab = labels
            labels = cond(
                math_ops.equal(expected_rank_diff - 1, diff),
                lambda: shape_ops.squeeze(lab, [-1]),
                lambda: lab,
            )
        return labels, predictions


def check_same_shape(a, b, what: str) -> None:
    """TF1's ``a.shape.assert_is_compatible_with(b.shape)``, saying what ``a`` and ``b`` are
    (``what``: "tf.metrics.accuracy's predictions and labels")."""
    if not a.shape.is_compatible_with(b.shape):
        raise ValueError(
            f"Shapes {a.shape} and {b.shape} are incompatible: {what} must have one shape "
            "(a last dimension of 1 that the other lacks is squeezed away)."
        )


def squeeze_or_expand_weights(predictions, labels, weights, metric: str = ""):
    """TF1's ``_remove_squeezable_dimensions`` of the metrics: squeezes ``labels`` or
    ``predictions`` as above, then squeezes or expands the last dimension of ``weights`` whose
    rank is one off ``predictions``' (a scalar weight stays a scalar)."""
    predictions = convert_to_tensor(predictions)
    if labels is not None:
        labels, predictions = remove_squeezable_dimensions(labels, predictions)
        check_same_shape(predictions, labels, f"tf.metrics.{metric}'s predictions and labels")
    if weights is None:
        return predictions, labels, None
    weights = convert_to_tensor(weights)
    w_rank, p_rank = weights.shape.ndims, predictions.shape.ndims
    if w_rank == 0:
        return predictions, labels, weights
    if p_rank is not None and w_rank is not None:
        if w_rank - p_rank == 1:
            weights = shape_ops.squeeze(weights, [-1])
        elif p_rank - w_rank == 1:
            weights = shape_ops.expand_dims(weights, [-1])
        return predictions, labels, weights
    w_rank_t = shape_ops.rank(weights)
    diff = w_rank_t - shape_ops.rank(predictions)
    w = weights

    def maybe_squeeze():
        if w_rank is not None and not _dim_is_one(w):
            return w
        return shape_ops.squeeze(w, [-1])

    def maybe_adjust():
        return cond(
            math_ops.equal(diff, 1),
            maybe_squeeze,
            lambda: cond(
                math_ops.equal(diff, -1), lambda: shape_ops.expand_dims(w, [-1]), lambda: w
            ),
        )

    weights = cond(math_ops.equal(w_rank_t, 0), lambda: w, maybe_adjust)
    return predictions, labels, weights


def _static_value(x):
    """``x``'s value when known while building, through ``Cast``s of constants."""
    if not isinstance(x, Tensor):
        return None if x is None else np.asarray(x)
    while x.op.type == "Cast":
        x = x.op.inputs[0]
    return constant_value(x)


@undo.atomic
def confusion_matrix(
    labels, predictions, num_classes=None, dtype=dtypes.int32, name=None, weights=None
):
    """The ``[num_classes, num_classes]`` matrix counting (or summing ``weights`` of) each
    pair of a label (row) and a prediction (column); ``num_classes`` defaults to one more than
    the largest label or prediction.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     print(tf.Session().run(tf.confusion_matrix([0, 1, 1], [0, 1, 0])))
    [[1 0]
     [1 1]]
    """
    with name_scope(name, "confusion_matrix", (predictions, labels, num_classes, weights)):
        labels, predictions = remove_squeezable_dimensions(
            convert_to_tensor(labels, name="labels"),
            convert_to_tensor(predictions, name="predictions"),
        )
        predictions = cast(predictions, dtypes.int64)
        labels = cast(labels, dtypes.int64)
        labels = with_dependencies(
            [assert_non_negative(labels, message="`labels` contains negative values")], labels
        )
        predictions = with_dependencies(
            [assert_non_negative(predictions, message="`predictions` contains negative values")],
            predictions,
        )
        if num_classes is None:
            num_classes = (
                math_ops.maximum(reduction.reduce_max(predictions), reduction.reduce_max(labels))
                + 1
            )
        else:
            n = cast(num_classes, dtypes.int64)
            labels = with_dependencies(
                [assert_less(labels, n, message="`labels` out of bound")], labels
            )
            predictions = with_dependencies(
                [assert_less(predictions, n, message="`predictions` out of bound")], predictions
            )
        if weights is not None:
            weights = convert_to_tensor(weights, name="weights")
            check_same_shape(predictions, weights, "confusion_matrix's predictions and weights")
            weights = cast(weights, dtype)
        shape = array_ops.stack([num_classes, num_classes])
        indices = array_ops.stack([labels, predictions], axis=1)
        values = shape_ops.ones_like(predictions, dtype) if weights is None else weights
        matrix = scatter_nd(indices=indices, updates=values, shape=cast(shape, dtypes.int64))
        known = _static_value(num_classes)  # TF's shape inference folds Casts of constants
        if known is not None:
            matrix.set_shape([int(known), int(known)])
        return matrix


__all__ = ["confusion_matrix"]
