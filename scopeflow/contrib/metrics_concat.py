"""``tf.contrib.metrics.streaming_concat``: the values of every batch so far, concatenated
along an axis, in a local variable that grows by 1.5x when full (or stops at ``max_size``),
as TF 1.15 (tf_slim) keeps it (local variables ``array`` and ``size``); and
``streaming_dynamic_auc``, the exact AUC of all the predictions so kept."""

from __future__ import annotations

from scopeflow.framework import dtypes
from scopeflow.framework.constant import constant
from scopeflow.framework.graph import GraphKeys
from scopeflow.framework.graph_api import add_to_collections, control_dependencies
from scopeflow.metrics.util import squeeze_or_expand_weights
from scopeflow.ops.array.basic import reshape, shape, stack, zeros
from scopeflow.ops.array.cast import cast
from scopeflow.ops.array.gather import gather
from scopeflow.ops.array.pad import pad
from scopeflow.ops.array.shape import ones_like, size, zeros_like
from scopeflow.ops.array.transpose import transpose
from scopeflow.ops.array.unique import unique_with_counts
from scopeflow.ops.control.assertions import assert_greater_equal, assert_less_equal
from scopeflow.ops.control.cond import cond
from scopeflow.ops.control.grouping import group, no_op
from scopeflow.ops.math.division import truediv
from scopeflow.ops.math.elementwise import abs as abs_
from scopeflow.ops.math.elementwise import (
    add,
    ceil,
    equal,
    greater,
    less,
    log,
    logical_or,
    minimum,
    multiply,
    subtract,
)
from scopeflow.ops.math.reduction import cumsum, reduce_sum
from scopeflow.ops.math.selection import where
from scopeflow.ops.nn.basic import top_k
from scopeflow.ops.state.storage import assign
from scopeflow.variables.variable_scope import variable_scope
from scopeflow.variables.variables import Variable


def _next_array_size(required, growth: float = 1.5):
    """The smallest power of ``growth`` at least ``required``, rounded up, as int32."""
    exponent = ceil(log(cast(required, dtypes.float32)) / log(cast(growth, dtypes.float32)))
    return cast(ceil(growth**exponent), dtypes.int32)


def _local(initial, dtype, name: str, validate_shape: bool = True) -> Variable:
    return Variable(
        lambda: zeros(initial, dtype),
        trainable=False,
        collections=[GraphKeys.LOCAL_VARIABLES, GraphKeys.METRIC_VARIABLES],
        validate_shape=validate_shape,
        name=name,
    )


def streaming_concat(
    values, axis=0, max_size=None, metrics_collections=None, updates_collections=None, name=None
):
    """All ``values`` seen so far concatenated along ``axis`` (the first ``max_size`` when
    given); returns ``(value, update_op)``.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     x = tf.placeholder(tf.int32, [None])
    ...     seen, update = tf.contrib.metrics.streaming_concat(x)
    ...     with tf.Session() as sess:
    ...         sess.run(tf.local_variables_initializer())
    ...         _ = sess.run(update, {x: [1, 2]})
    ...         _ = sess.run(update, {x: [3]})
    ...         print(sess.run(seen).tolist())
    [1, 2, 3]

    Raises:
        ValueError: ``values`` of unknown rank, an ``axis`` outside it, or other dimensions
            not known statically.
    """
    with variable_scope(name, "streaming_concat", (values,)):
        values_shape = values.get_shape()
        if values_shape.dims is None:
            raise ValueError("`values` must have known statically known rank")
        ndim = len(values_shape)
        if axis < 0:
            axis += ndim
        if not 0 <= axis < ndim:
            raise ValueError(f"axis = {axis!r} not in [0, {ndim!r})")
        fixed_shape = [dim.value for n, dim in enumerate(values_shape.dims) if n != axis]
        if any(value is None for value in fixed_shape):
            raise ValueError(
                "all dimensions of `values` other than the dimension to concatenate along "
                "must have statically known size"
            )
        init_size = 0 if max_size is None else max_size
        array = _local([init_size, *fixed_shape], values.dtype, "array", validate_shape=False)
        size = _local([], dtypes.int32, "size")
        to_axis = [0 if n == axis else n + 1 if n < axis else n for n in range(ndim)]
        valid_array = array[:size]
        valid_array.set_shape([None, *fixed_shape])
        value = transpose(valid_array, to_axis, name="concat")
        values_size = shape(values)[axis]
        batch_size = values_size if max_size is None else minimum(values_size, max_size - size)
        to_front = [axis] + [n for n in range(ndim) if n != axis]
        batch_values = transpose(values, to_front)[:batch_size]
        new_size = size + batch_size

        def reallocate():
            next_shape = stack([_next_array_size(new_size), *fixed_shape])
            old_value = array.value()
            with control_dependencies([old_value]):
                assign_op = assign(
                    array, zeros(next_shape, dtype=values.dtype), validate_shape=False
                )
            with control_dependencies([assign_op]):
                copy_op = array[:size].assign(old_value[:size])
            with control_dependencies([copy_op]):
                return no_op()

        array_size = shape(array)[0]
        maybe_reallocate = cond(new_size > array_size, reallocate, no_op)
        with control_dependencies([maybe_reallocate]):
            append_values = array[size:new_size].assign(batch_values)
        with control_dependencies([append_values]):
            update_op = size.assign(new_size)
        if metrics_collections:
            add_to_collections(metrics_collections, value)
        if updates_collections:
            add_to_collections(updates_collections, update_op)
        return value, update_op


def _dynamic_auc(labels, predictions, curve="ROC", weights=None):
    """The exact area under the ROC or PR curve of all ``predictions`` so far (ties grouped,
    trapezoids), 0 when every label is the same."""
    count = size(predictions)
    if weights is None:
        weights = ones_like(labels, dtype=dtypes.float64)
    predictions, labels, weights = squeeze_or_expand_weights(
        predictions, labels, weights, "streaming_dynamic_auc"
    )
    total_weight = reduce_sum(weights)
    no_weight = zeros_like(labels, dtype=dtypes.float64)
    total_positive = reduce_sum(where(greater(labels, 0), weights, no_weight))

    def area():
        ordered_predictions, indices = top_k(predictions, k=count)
        ordered_labels = gather(labels, indices)
        ordered_weights = gather(weights, indices)
        _, _, counts = unique_with_counts(ordered_predictions)
        splits = cast(pad(cumsum(counts), paddings=[[1, 0]]), dtypes.int32)

        def running(values):
            return gather(pad(cumsum(values), paddings=[[1, 0]]), splits)

        ordered_none = zeros_like(ordered_labels, dtype=dtypes.float64)
        true_positives = running(where(greater(ordered_labels, 0), ordered_weights, ordered_none))
        if curve == "ROC":
            false_positives = running(where(less(ordered_labels, 1), ordered_weights, ordered_none))
            xs = truediv(false_positives, total_weight - total_positive)
            ys = truediv(true_positives, total_positive)
        else:
            xs = truediv(true_positives, total_positive)
            positives = running(ordered_weights)
            ys = where(
                greater(splits, 0),
                truediv(true_positives, positives),
                ones_like(true_positives, dtype=dtypes.float64),
            )
        heights = add(ys[1:], ys[:-1]) / 2.0
        widths = abs_(subtract(xs[1:], xs[:-1]))
        return reduce_sum(multiply(heights, widths))

    return cond(
        logical_or(equal(total_positive, 0), equal(total_positive, total_weight)),
        true_fn=lambda: constant(0, dtypes.float64),
        false_fn=area,
    )


def streaming_dynamic_auc(
    labels,
    predictions,
    curve="ROC",
    metrics_collections=(),
    updates_collections=(),
    name=None,
    weights=None,
):
    """The exact ROC or PR AUC of every prediction so far (kept with ``streaming_concat``,
    not thresholded); labels must be 0 or 1. Returns ``(auc, update_op)``.

    Raises:
        ValueError: ``curve`` is neither "ROC" nor "PR".
    """
    if curve not in ("PR", "ROC"):
        raise ValueError(f"curve must be either ROC or PR, {curve} unknown")
    with variable_scope(name, default_name="dynamic_auc"):
        labels.get_shape().assert_is_compatible_with(predictions.get_shape())
        predictions = reshape(cast(predictions, dtypes.float64), [-1])
        labels = reshape(cast(labels, dtypes.int64), [-1])
        checks = [
            assert_greater_equal(
                labels,
                zeros_like(labels, dtypes.int64),
                message="labels must be 0 or 1, at least one is <0",
            ),
            assert_less_equal(
                labels,
                ones_like(labels, dtypes.int64),
                message="labels must be 0 or 1, at least one is >1",
            ),
        ]
        with control_dependencies(checks):
            preds_accum, update_preds = streaming_concat(predictions, name="concat_preds")
            labels_accum, update_labels = streaming_concat(labels, name="concat_labels")
            if weights is not None:
                weights = reshape(cast(weights, dtypes.float64), [-1])
                weights_accum, update_weights = streaming_concat(weights, name="concat_weights")
                update_op = group(update_labels, update_preds, update_weights)
            else:
                weights_accum = None
                update_op = group(update_labels, update_preds)
            auc = _dynamic_auc(labels_accum, preds_accum, curve=curve, weights=weights_accum)
            if updates_collections:
                add_to_collections(updates_collections, update_op)
            if metrics_collections:
                add_to_collections(metrics_collections, auc)
            return auc, update_op
