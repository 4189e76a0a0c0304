"""Metrics of the top k predicted classes: ``precision_at_k``, ``recall_at_k`` (and their
``_at_top_k`` forms given the predicted class ids), ``average_precision_at_k``, and TF1's
deprecated ``sparse_`` names. Labels are class ids (``[batch]``, ``[batch, num_labels]`` or a
``SparseTensor``); the counts come from ``tf.sets`` over each row's ids, as TF1's do."""

from __future__ import annotations

import numpy as np

from scopeflow.framework import dtypes, undo
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.graph_api import control_dependencies, name_scope
from scopeflow.metrics.util import add_to, assert_broadcastable, broadcast_weights, metric_variable
from scopeflow.ops.array import basic as array_ops
from scopeflow.ops.array import shape as shape_ops
from scopeflow.ops.array.cast import cast
from scopeflow.ops.array.join import concat, tile
from scopeflow.ops.array.slicing import slice  # noqa: A004 - TF1's name
from scopeflow.ops.array.stitch import dynamic_stitch
from scopeflow.ops.control.cond import cond
from scopeflow.ops.core.infer import constant_value
from scopeflow.ops.math import division, reduction
from scopeflow.ops.math import elementwise as math_ops
from scopeflow.ops.math.selection import where_v2
from scopeflow.ops.math.sequence import range  # noqa: A004 - TF1's name
from scopeflow.ops.nn.basic import top_k
from scopeflow.ops.sparse.combine import sparse_concat
from scopeflow.ops.sparse.sets import set_difference, set_intersection, set_size
from scopeflow.ops.sparse.structure import sparse_reshape, sparse_retain
from scopeflow.ops.sparse.tensor import SparseTensor, convert_to_tensor_or_sparse_tensor
from scopeflow.ops.state.storage import assign_add


def at_k_name(name: str, k=None, class_id=None) -> str:
    """A top-k metric's default name: ``precision_at_2``, ``recall_at_k_class3``..."""
    name = f"{name}_at_{k}" if k is not None else f"{name}_at_k"
    return name if class_id is None else f"{name}_class{class_id}"


def _reduced_shape(input_shape, axes):
    """The shape of a reduction over ``axes`` with ``keepdims`` (TF1's ``reduced_shape``)."""
    known_shape = constant_value(input_shape)
    known_axes = constant_value(axes) if known_shape is not None else None
    if known_axes is not None:
        out = np.array(known_shape, dtype=np.int32)
        out[np.array(known_axes, dtype=np.int32)] = 1
        return out
    axes = convert_to_tensor(axes)
    input_rank = shape_ops.size(input_shape, out_type=axes.dtype)
    axes = (axes + input_rank) % input_rank
    axes_shape = array_ops.shape(axes)
    return dynamic_stitch(
        [range(input_rank), axes],
        [input_shape, array_ops.ones(axes_shape, dtype=input_shape.dtype)],
    )


def _select_class_id(ids, selected_id):
    """``ids`` keeping only ``selected_id``, as a ``SparseTensor`` of ``ids``' shape."""
    ids = convert_to_tensor_or_sparse_tensor(ids)
    if isinstance(ids, SparseTensor):
        return sparse_retain(ids, math_ops.equal(ids.values, selected_id))
    ids_shape = array_ops.shape(ids, out_type=dtypes.int64)
    ids_last_dim = shape_ops.size(ids_shape) - 1
    filled_shape = _reduced_shape(ids_shape, array_ops.reshape(ids_last_dim, [1]))
    filled = array_ops.fill(filled_shape, cast(selected_id, dtypes.int64))
    result = set_intersection(filled, ids)
    return SparseTensor(indices=result.indices, values=result.values, dense_shape=ids_shape)


def _maybe_select_class_id(labels, predictions_idx, selected_id=None):
    if selected_id is None:
        return labels, predictions_idx
    return _select_class_id(labels, selected_id), _select_class_id(predictions_idx, selected_id)


def _maybe_expand_labels(labels, predictions):
    """``labels`` with a last dimension of 1 added when they lack the predictions' one."""
    with name_scope(None, "expand_labels", (labels, predictions)) as scope:
        labels = convert_to_tensor_or_sparse_tensor(labels)
        if isinstance(labels, SparseTensor):
            sparse = labels
            return cond(
                math_ops.equal(shape_ops.rank(predictions), shape_ops.size(sparse.dense_shape) + 1),
                lambda: sparse_reshape(
                    sparse, shape=concat((sparse.dense_shape, (1,)), 0), name=scope
                ),
                lambda: sparse,
            )
        labels_rank, predictions_rank = labels.shape.ndims, predictions.shape.ndims
        if labels_rank is not None and predictions_rank is not None:
            if predictions_rank == labels_rank:
                return labels
            if predictions_rank == labels_rank + 1:
                return shape_ops.expand_dims(labels, -1, name=scope)
            raise ValueError(
                f"Unexpected labels shape {labels.shape} for predictions shape "
                f"{predictions.shape}. Predictions rank should be the same rank as labels "
                "rank or labels rank plus one ."
            )
        dense = labels
        return cond(
            math_ops.equal(shape_ops.rank(predictions), shape_ops.rank(dense) + 1),
            lambda: shape_ops.expand_dims(dense, -1, name=scope),
            lambda: dense,
        )


def _weighted(counts, weights):
    counts = cast(counts, dtypes.float64)
    if weights is None:
        return counts
    with control_dependencies((assert_broadcastable(weights, counts),)):
        return math_ops.multiply(counts, cast(weights, dtypes.float64))


def _count_at_k(kind, labels, predictions_idx, class_id=None, weights=None, name=None):
    """Per row: how many of the top k ids are labels (``tp``), are not (``fp``), or how many
    labels are not among them (``fn``)."""
    default = {"tp": "true_positives", "fp": "false_positives", "fn": "false_negatives"}[kind]
    with name_scope(name, default, (predictions_idx, labels, weights)):
        labels, predictions_idx = _maybe_select_class_id(labels, predictions_idx, class_id)
        if kind == "tp":
            counts = set_size(set_intersection(predictions_idx, labels))
        else:
            counts = set_size(set_difference(predictions_idx, labels, aminusb=kind == "fp"))
        return _weighted(counts, weights)


def _streaming_count_at_k(kind, labels, predictions_idx, k, class_id, weights):
    prefix = {"tp": "true_positive", "fp": "false_positive", "fn": "false_negative"}[kind]
    name = at_k_name(prefix, k, class_id=class_id)
    with name_scope(None, name, (predictions_idx, labels, weights)) as scope:
        counts = _count_at_k(kind, labels, predictions_idx, class_id, weights)
        batch_total = cast(reduction.reduce_sum(counts), dtypes.float64)
        var = metric_variable([], dtypes.float64, name=scope)
        return var, assign_add(var, batch_total, name="update")


def _ratio_at_top_k(
    default, other, labels, predictions_idx, k, class_id, weights, collections, name
):
    metrics_collections, updates_collections = collections
    default_name = at_k_name(default, k, class_id=class_id)
    with name_scope(name, default_name, (predictions_idx, labels, weights)) as scope:
        labels = _maybe_expand_labels(labels, predictions_idx)
        top_k_idx = cast(predictions_idx, dtypes.int64)
        tp, tp_update = _streaming_count_at_k("tp", labels, top_k_idx, k, class_id, weights)
        wrong, wrong_update = _streaming_count_at_k(other, labels, top_k_idx, k, class_id, weights)
        value = division.divide(tp, math_ops.add(tp, wrong), name=scope)
        update = division.divide(tp_update, math_ops.add(tp_update, wrong_update), name="update")
        return add_to(metrics_collections, value), add_to(updates_collections, update)


@undo.atomic
def precision_at_top_k(
    labels,
    predictions_idx,
    k=None,
    class_id=None,
    weights=None,
    metrics_collections=None,
    updates_collections=None,
    name=None,
):
    """Of the predicted class ids ``predictions_idx`` (``[batch, k]``), the fraction that are
    labels (of class ``class_id`` only, when given): local variables
    ``precision_at_<k>/true_positive_at_<k>`` and ``.../false_positive_at_<k>``."""
    collections = (metrics_collections, updates_collections)
    return _ratio_at_top_k(
        "precision", "fp", labels, predictions_idx, k, class_id, weights, collections, name
    )


@undo.atomic
def recall_at_top_k(
    labels,
    predictions_idx,
    k=None,
    class_id=None,
    weights=None,
    metrics_collections=None,
    updates_collections=None,
    name=None,
):
    """Of the labels, the fraction among the predicted class ids ``predictions_idx``
    (``[batch, k]``): local variables ``recall_at_<k>/true_positive_at_<k>`` and
    ``.../false_negative_at_<k>``."""
    collections = (metrics_collections, updates_collections)
    return _ratio_at_top_k(
        "recall", "fn", labels, predictions_idx, k, class_id, weights, collections, name
    )


@undo.atomic
def precision_at_k(
    labels,
    predictions,
    k,
    class_id=None,
    weights=None,
    metrics_collections=None,
    updates_collections=None,
    name=None,
):
    """:func:`precision_at_top_k` of the ``k`` highest-scoring classes of ``predictions``
    (``[batch, num_classes]``).

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     scores = [[0.1, 0.7, 0.2], [0.5, 0.1, 0.4]]
    ...     value, update = tf.metrics.precision_at_k(tf.constant([1, 1], tf.int64), scores, 2)
    ...     with tf.Session() as sess:
    ...         sess.run(tf.local_variables_initializer())
    ...         print(sess.run(update))
    0.25
    """
    default = at_k_name("precision", k, class_id=class_id)
    with name_scope(name, default, (predictions, labels, weights)) as scope:
        _, top_k_idx = top_k(predictions, k)
        return precision_at_top_k(
            labels, top_k_idx, k, class_id, weights, metrics_collections, updates_collections, scope
        )


@undo.atomic
def recall_at_k(
    labels,
    predictions,
    k,
    class_id=None,
    weights=None,
    metrics_collections=None,
    updates_collections=None,
    name=None,
):
    """:func:`recall_at_top_k` of the ``k`` highest-scoring classes of ``predictions``."""
    default = at_k_name("recall", k, class_id=class_id)
    with name_scope(name, default, (predictions, labels, weights)) as scope:
        _, top_k_idx = top_k(predictions, k)
        return recall_at_top_k(
            labels, top_k_idx, k, class_id, weights, metrics_collections, updates_collections, scope
        )


sparse_precision_at_k = precision_at_k


def _expand_and_tile(tensor, multiple, dim=0, name=None):
    if multiple < 1:
        raise ValueError(
            f"Invalid argument multiple={multiple} for expand_and_tile  call. `multiple` must "
            "be an integer > 0"
        )
    with name_scope(name, "expand_and_tile", (tensor, multiple, dim)) as scope:
        tensor = convert_to_tensor_or_sparse_tensor(tensor)
        if isinstance(tensor, SparseTensor):
            if dim < 0:
                where = array_ops.reshape(shape_ops.size(tensor.dense_shape) + dim, [1])
            else:
                where = [dim]
            expanded_shape = concat(
                (
                    slice(tensor.dense_shape, [0], where),
                    [1],
                    slice(tensor.dense_shape, where, [-1]),
                ),
                0,
                name="expanded_shape",
            )
            expanded = sparse_reshape(tensor, shape=expanded_shape, name="expand")
            if multiple == 1:
                return expanded
            return sparse_concat(dim - 1 if dim < 0 else dim, [expanded] * multiple, name=scope)
        expanded = shape_ops.expand_dims(tensor, dim if dim >= 0 else dim - 1, name="expand")
        if multiple == 1:
            return expanded
        ones = shape_ops.ones_like(array_ops.shape(tensor))
        multiples = concat((ones[:dim], (multiple,), ones[dim:]), 0, name="multiples")
        return tile(expanded, multiples, name=scope)


def _num_relevant(labels, k):
    if k < 1:
        raise ValueError(f"Invalid k={k}")
    with name_scope(None, "num_relevant", (labels,)) as scope:
        labels = convert_to_tensor_or_sparse_tensor(labels)
        if isinstance(labels, SparseTensor):
            return math_ops.minimum(set_size(labels), k, name=scope)
        present = where_v2(
            math_ops.greater_equal(labels, 0),
            shape_ops.ones_like(labels),
            shape_ops.zeros_like(labels),
        )
        return math_ops.minimum(reduction.reduce_sum(present, axis=-1), k, name=scope)


def _average_precision_at_top_k(labels, predictions_idx):
    with name_scope(None, "average_precision", (predictions_idx, labels)) as scope:
        predictions_idx = cast(predictions_idx, dtypes.int64, name="predictions_idx")
        if predictions_idx.shape.ndims == 0:
            raise ValueError("The rank of `predictions_idx` must be at least 1.")
        k = predictions_idx.shape.as_list()[-1]
        if k is None:
            raise ValueError(
                "The last dimension of predictions_idx must be set. Currently, it is None."
            )
        labels = _maybe_expand_labels(labels, predictions_idx)
        idx_per_k = shape_ops.expand_dims(predictions_idx, -1, name="predictions_idx_per_k")
        labels_per_k = _expand_and_tile(labels, multiple=k, dim=-1, name="labels_per_k")
        relevant = _count_at_k("tp", labels_per_k, idx_per_k, name="relevant_per_k")
        tp_per_k = reduction.cumsum(relevant, axis=-1, name="tp_per_k")
        retrieved = reduction.cumsum(shape_ops.ones_like(relevant), axis=-1, name="retrieved_per_k")
        precision_per_k = division.divide(
            cast(tp_per_k, dtypes.float64), cast(retrieved, dtypes.float64), name="precision_per_k"
        )
        relevant_precision = math_ops.multiply(
            precision_per_k, cast(relevant, dtypes.float64), name="relevant_precision_per_k"
        )
        total = reduction.reduce_sum(relevant_precision, axis=(-1,), name="precision_sum")
        num_relevant = cast(_num_relevant(labels, k), dtypes.float64)
        return division.divide(total, num_relevant, name=scope)


def streaming_average_precision(labels, predictions_idx, weights, collections, name):
    """The mean average precision of the class ids ``predictions_idx`` (TF1's
    ``_streaming_sparse_average_precision_at_top_k``); ``collections``: (metrics', updates')."""
    metrics_collections, updates_collections = collections
    with name_scope(name, "average_precision_at_top_k", (predictions_idx, labels, weights)) as s:
        average_precision = _average_precision_at_top_k(labels, predictions_idx)
        if weights is not None:
            weights = broadcast_weights(cast(weights, dtypes.float64), average_precision)
            average_precision = math_ops.multiply(average_precision, weights)
        with name_scope(None, "max", (average_precision,)) as max_scope:
            max_var = metric_variable([], dtypes.float64, name=max_scope)
            if weights is None:
                size = shape_ops.size(average_precision, name="batch_max")
                batch_max = cast(size, dtypes.float64)
            else:
                batch_max = reduction.reduce_sum(weights, name="batch_max")
            max_update = assign_add(max_var, batch_max, name="update")
        with name_scope(None, "total", (average_precision,)) as total_scope:
            total_var = metric_variable([], dtypes.float64, name=total_scope)
            batch_total = reduction.reduce_sum(average_precision, name="batch_total")
            total_update = assign_add(total_var, batch_total, name="update")
        value = division.div_no_nan(total_var, max_var, name="mean")
        update = division.div_no_nan(total_update, max_update, name=s)
        return add_to(metrics_collections, value), add_to(updates_collections, update)


def _clean_out_of_range_indices(labels, num_classes):
    """``labels`` with ids ``>= num_classes`` set to -1 (when there are any)."""
    sparse = isinstance(labels, SparseTensor)

    def clean(values):
        return where_v2(
            math_ops.greater_equal(values, num_classes), -1 * shape_ops.ones_like(values), values
        )

    def cleaned():
        if sparse:
            return SparseTensor(labels.indices, clean(labels.values), labels.dense_shape)
        return clean(labels)

    largest = reduction.reduce_max(labels.values if sparse else labels)
    return cond(math_ops.greater_equal(largest, num_classes), cleaned, lambda: labels)


@undo.atomic
def average_precision_at_k(
    labels,
    predictions,
    k,
    weights=None,
    metrics_collections=None,
    updates_collections=None,
    name=None,
):
    """The mean over rows of the average precision of the ``k`` highest-scoring classes:
    local variables ``average_precision_at_<k>/max`` and ``.../total``."""
    if k < 1:
        raise ValueError(f"Invalid k={k}. `k` should be >= 1.")
    default = at_k_name("average_precision", k)
    with name_scope(name, default, (predictions, labels, weights)) as scope:
        _, predictions_idx = top_k(predictions, k)
        predictions = convert_to_tensor(predictions)
        num_classes = cast(array_ops.shape(predictions)[-1], dtypes.int64)
        labels = _clean_out_of_range_indices(labels, num_classes)
        collections = (metrics_collections, updates_collections)
        return streaming_average_precision(labels, predictions_idx, weights, collections, scope)


sparse_average_precision_at_k = average_precision_at_k
