"""Sampled losses for large output vocabularies (word2vec and language models):
``tf.nn.nce_loss`` and ``tf.nn.sampled_softmax_loss``, built as TF1 builds them.

Both score the true classes and ``num_sampled`` classes drawn by a candidate sampler
(log-uniform by default) with rows of ``weights`` and ``biases`` found by
``embedding_lookup``, so their gradients reach the weights as ``IndexedSlices`` of the rows
used, and an optimizer updates only those rows. The logits are corrected by the log of each
class's expected count (``subtract_log_q``), and accidental hits (a sampled class that is a
true class of its row) can be given ``-FLT_MAX`` logits.
"""

from __future__ import annotations

from scopeflow.framework import dtypes, undo
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.graph_api import name_scope
from scopeflow.ops.array import basic as array_ops
from scopeflow.ops.array import join as join_ops
from scopeflow.ops.array import shape as shape_ops
from scopeflow.ops.array.cast import cast
from scopeflow.ops.array.slicing import slice as slice_op
from scopeflow.ops.core.infer import apply_op
from scopeflow.ops.math import elementwise as math_ops
from scopeflow.ops.math.matmul import matmul
from scopeflow.ops.nn.candidate_sampling import (
    compute_accidental_hits,
    log_uniform_candidate_sampler,
)
from scopeflow.ops.nn.composite import embedding_lookup
from scopeflow.ops.nn.cross_entropy import (
    sigmoid_cross_entropy_with_logits,
    softmax_cross_entropy_with_logits_v2,
)


def _sum_rows(x):
    """The sum of each row of a matrix, as TF1 computes it: a product with a column of ones
    (its gradient is a matmul too)."""
    ones_shape = array_ops.stack([array_ops.shape(x)[1], 1])
    ones = array_ops.ones(ones_shape, x.dtype)
    return array_ops.reshape(matmul(x, ones), [-1])


def _sparse_to_dense(indices, output_shape, values):
    """``SparseToDense`` with a 0 default (registered by the sparse ops; built here through
    the registry, as the gradient builders do)."""
    with name_scope(None, "SparseToDense", [indices, output_shape, values]) as scope:
        default = convert_to_tensor(0.0, values.dtype, name="default_value")
        attrs = {"validate_indices": False}
        return apply_op("SparseToDense", [indices, output_shape, values, default], attrs, scope)


def _remove_accidental_hits(sampled_logits, labels, sampled, num_true: int, num_sampled: int):
    hits = compute_accidental_hits(labels, sampled, num_true=num_true)
    rows = array_ops.reshape(hits.indices, [-1, 1])
    ids = array_ops.reshape(cast(hits.ids, dtypes.int32), [-1, 1])
    indices = join_ops.concat([rows, ids], 1, name="sparse_indices")
    logits_shape = join_ops.concat(
        [array_ops.shape(labels)[:1], shape_ops.expand_dims(num_sampled, 0)], 0
    )
    weights = hits.weights
    if sampled_logits.dtype != weights.dtype:
        weights = cast(weights, sampled_logits.dtype)
    return sampled_logits + _sparse_to_dense(indices, logits_shape, weights)


def _fold_split_shapes(all_w, labels_flat, true_w, sampled_w) -> None:
    """The static shapes of the true and sampled rows when the number of labels is known:
    TF's shape inference finds them by evaluating the ``Pack`` of a constant-folded shape."""
    count = labels_flat.shape[0].value if labels_flat.shape.ndims == 1 else None
    if count is None or all_w.shape.ndims != 2:
        return
    rows, dim = all_w.shape.as_list()
    true_w.set_shape([count, dim])
    sampled_w.set_shape([None if rows is None else rows - count, dim])


def _check_sampled_values(sampled_values) -> tuple:
    values = tuple(sampled_values)
    if len(values) != 3:
        raise ValueError(
            "sampled_values must be a tuple (sampled_candidates, true_expected_count, "
            f"sampled_expected_count), got {len(values)} values"
        )
    return values


def _compute_sampled_logits(
    weights,
    biases,
    labels,
    inputs,
    num_sampled: int,
    num_classes: int,
    num_true: int,
    sampled_values,
    subtract_log_q: bool,
    remove_accidental_hits: bool,
    partition_strategy: str,
    name: str,
    seed,
):
    """``(logits, labels)`` of the true and sampled classes: ``[batch, num_true +
    num_sampled]`` each, the labels ``1 / num_true`` for the true classes and 0 for the
    sampled ones."""
    weights = list(weights) if isinstance(weights, (list, tuple)) else [weights]
    with name_scope(name, "compute_sampled_logits", [*weights, biases, inputs, labels]):
        labels = convert_to_tensor(labels, name="labels")
        if labels.dtype != dtypes.int64:
            labels = cast(labels, dtypes.int64)
        labels_flat = array_ops.reshape(labels, [-1])
        if sampled_values is None:
            sampled_values = log_uniform_candidate_sampler(
                true_classes=labels,
                num_true=num_true,
                num_sampled=num_sampled,
                unique=True,
                range_max=num_classes,
                seed=seed,
            )
        sampled, true_expected, sampled_expected = (
            array_ops.stop_gradient(s) for s in _check_sampled_values(sampled_values)
        )
        if sampled.dtype != dtypes.int64:
            sampled = cast(sampled, dtypes.int64)
        all_ids = join_ops.concat([labels_flat, sampled], 0)
        inputs = convert_to_tensor(inputs, name="inputs")
        all_w = embedding_lookup(weights, all_ids, partition_strategy=partition_strategy)
        if all_w.dtype != inputs.dtype:
            all_w = cast(all_w, inputs.dtype)
        true_w = slice_op(all_w, [0, 0], array_ops.stack([array_ops.shape(labels_flat)[0], -1]))
        sampled_w = slice_op(all_w, array_ops.stack([array_ops.shape(labels_flat)[0], 0]), [-1, -1])
        _fold_split_shapes(all_w, labels_flat, true_w, sampled_w)
        sampled_logits = matmul(inputs, sampled_w, transpose_b=True)
        all_b = embedding_lookup(biases, all_ids, partition_strategy=partition_strategy)
        if all_b.dtype != inputs.dtype:
            all_b = cast(all_b, inputs.dtype)
        true_b = slice_op(all_b, [0], array_ops.shape(labels_flat))
        sampled_b = slice_op(all_b, array_ops.shape(labels_flat), [-1])
        dim = array_ops.shape(true_w)[1:2]
        true_w_shape = join_ops.concat([[-1, num_true], dim], 0)
        row_wise_dots = math_ops.multiply(
            shape_ops.expand_dims(inputs, 1), array_ops.reshape(true_w, true_w_shape)
        )
        dots = array_ops.reshape(row_wise_dots, join_ops.concat([[-1], dim], 0))
        true_logits = array_ops.reshape(_sum_rows(dots), [-1, num_true])
        true_logits += array_ops.reshape(true_b, [-1, num_true])
        sampled_logits += sampled_b
        if remove_accidental_hits:
            sampled_logits = _remove_accidental_hits(
                sampled_logits, labels, sampled, num_true, num_sampled
            )
        if subtract_log_q:
            true_logits -= math_ops.log(true_expected)
            sampled_logits -= math_ops.log(sampled_expected)
        out_logits = join_ops.concat([true_logits, sampled_logits], 1)
        out_labels = join_ops.concat(
            [
                shape_ops.ones_like(true_logits) / num_true,
                shape_ops.zeros_like(sampled_logits),
            ],
            1,
        )
        return out_logits, out_labels


def _check_strategy(partition_strategy: str) -> None:
    if partition_strategy not in ("mod", "div"):
        raise ValueError(f"Unrecognized partition strategy: {partition_strategy}")


@undo.atomic
def nce_loss(
    weights,
    biases,
    labels,
    inputs,
    num_sampled,
    num_classes,
    num_true=1,
    sampled_values=None,
    remove_accidental_hits=False,
    partition_strategy="mod",
    name="nce_loss",
):
    """Noise-contrastive estimation loss per example: logistic losses of the true classes
    (labels ``1 / num_true``) and of ``num_sampled`` sampled classes (labels 0).

    Args:
        weights: ``[num_classes, dim]`` class embeddings, or a list of its shards split by
            ``partition_strategy`` ("mod" or "div", as ``embedding_lookup``).
        biases: ``[num_classes]``.
        labels: int ``[batch, num_true]`` true classes.
        inputs: ``[batch, dim]`` activations.
        sampled_values: ``(sampled_candidates, true_expected_count,
            sampled_expected_count)`` from a candidate sampler; by default
            ``log_uniform_candidate_sampler`` with ``unique=True``.
        remove_accidental_hits: give a sampled class that is a true class of its row a
            ``-FLT_MAX`` logit.

    Returns:
        ``[batch]`` losses.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     w, b = tf.zeros([50, 8]), tf.zeros([50])
    ...     x, y = tf.zeros([4, 8]), tf.zeros([4, 1], tf.int64)
    ...     tf.nn.nce_loss(w, b, y, x, num_sampled=10, num_classes=50).shape.as_list()
    [4]
    """
    _check_strategy(partition_strategy)
    logits, labels = _compute_sampled_logits(
        weights,
        biases,
        labels,
        inputs,
        num_sampled,
        num_classes,
        num_true,
        sampled_values,
        subtract_log_q=True,
        remove_accidental_hits=remove_accidental_hits,
        partition_strategy=partition_strategy,
        name=name,
        seed=None,
    )
    losses = sigmoid_cross_entropy_with_logits(labels=labels, logits=logits, name="sampled_losses")
    return _sum_rows(losses)


@undo.atomic
def sampled_softmax_loss(
    weights,
    biases,
    labels,
    inputs,
    num_sampled,
    num_classes,
    num_true=1,
    sampled_values=None,
    remove_accidental_hits=True,
    partition_strategy="mod",
    name="sampled_softmax_loss",
    seed=None,
):
    """Softmax cross-entropy per example over the true classes and ``num_sampled`` sampled
    ones, a cheap estimate of the full softmax loss for training (arguments as
    :func:`nce_loss`; ``seed`` seeds the default sampler). Returns ``[batch]`` losses.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     w, b = tf.zeros([50, 8]), tf.zeros([50])
    ...     x, y = tf.zeros([4, 8]), tf.zeros([4, 1], tf.int64)
    ...     tf.nn.sampled_softmax_loss(w, b, y, x, 10, 50).shape.as_list()
    [4]
    """
    _check_strategy(partition_strategy)
    logits, labels = _compute_sampled_logits(
        weights,
        biases,
        labels,
        inputs,
        num_sampled,
        num_classes,
        num_true,
        sampled_values,
        subtract_log_q=True,
        remove_accidental_hits=remove_accidental_hits,
        partition_strategy=partition_strategy,
        name=name,
        seed=seed,
    )
    labels = array_ops.stop_gradient(labels, name="labels_stop_gradient")
    return softmax_cross_entropy_with_logits_v2(labels=labels, logits=logits)


__all__ = ["nce_loss", "sampled_softmax_loss"]
