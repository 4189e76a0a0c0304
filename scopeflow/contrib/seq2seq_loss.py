"""The sequence losses of ``tf.contrib.seq2seq`` (one ``[batch, time, classes]`` tensor) and
``tf.contrib.legacy_seq2seq`` (lists of per-step tensors): weighted sparse softmax
cross-entropy, averaged or summed over time and batch as TF 1.15's.

>>> import numpy as np, scopeflow as tf
>>> with tf.Graph().as_default():
...     logits = tf.constant(np.zeros([2, 3, 4], np.float32))
...     loss = tf.contrib.seq2seq.sequence_loss(logits, tf.zeros([2, 3], tf.int32),
...                                             tf.ones([2, 3]))
...     print(round(float(tf.Session().run(loss)), 4))  # log(4)
1.3863
"""

from __future__ import annotations

from scopeflow.framework import dtypes
from scopeflow.framework.graph_api import name_scope
from scopeflow.ops.array.basic import reshape, shape
from scopeflow.ops.array.cast import cast
from scopeflow.ops.math.division import div_no_nan
from scopeflow.ops.math.elementwise import add_n
from scopeflow.ops.math.reduction import count_nonzero, reduce_sum
from scopeflow.ops.nn.cross_entropy import sparse_softmax_cross_entropy_with_logits


def _check_rank(tensor, rank: int, message: str) -> None:
    if tensor.shape.ndims != rank:
        raise ValueError(f"{message} (got shape {tensor.shape})")


def sequence_loss(
    logits,
    targets,
    weights,
    average_across_timesteps=True,
    average_across_batch=True,
    sum_over_timesteps=False,
    sum_over_batch=False,
    softmax_loss_function=None,
    name=None,
):
    """The weighted cross-entropy of ``logits`` ``[batch, time, classes]`` against integer
    ``targets`` ``[batch, time]``: a scalar when averaged (or summed) over both time and batch,
    else ``[time]`` or ``[batch]`` or ``[batch, time]``. Averages divide by the sum of
    ``weights``, sums by the count of nonzero weights (0 where it is 0).

    Raises:
        ValueError: a tensor of the wrong rank, or averaging and summing the same axis.
    """
    _check_rank(logits, 3, "Logits must be a [batch_size x sequence_length x logits] tensor")
    _check_rank(targets, 2, "Targets must be a [batch_size x sequence_length] tensor")
    _check_rank(weights, 2, "Weights must be a [batch_size x sequence_length] tensor")
    if average_across_timesteps and sum_over_timesteps:
        raise ValueError(
            "average_across_timesteps and sum_over_timesteps cannot be set to True at same time."
        )
    if average_across_batch and sum_over_batch:
        raise ValueError(
            "average_across_batch and sum_over_batch cannot be set to True at same time."
        )
    with name_scope(name, "sequence_loss", [logits, targets, weights]):
        num_classes = shape(logits)[2]
        flat_logits = reshape(logits, [-1, num_classes])
        flat_targets = reshape(targets, [-1])
        if softmax_loss_function is None:
            crossent = sparse_softmax_cross_entropy_with_logits(
                labels=flat_targets, logits=flat_logits
            )
        else:
            crossent = softmax_loss_function(labels=flat_targets, logits=flat_logits)
        crossent *= reshape(weights, [-1])
        if average_across_timesteps and average_across_batch:
            return div_no_nan(reduce_sum(crossent), reduce_sum(weights))
        if sum_over_timesteps and sum_over_batch:
            count = cast(count_nonzero(weights), dtypes.float32)
            return div_no_nan(reduce_sum(crossent), count)
        crossent = reshape(crossent, shape(logits)[0:2])
        if average_across_timesteps or average_across_batch:
            axis = [0] if average_across_batch else [1]
            return div_no_nan(reduce_sum(crossent, axis=axis), reduce_sum(weights, axis=axis))
        if sum_over_timesteps or sum_over_batch:
            axis = [0] if sum_over_batch else [1]
            count = cast(count_nonzero(weights, axis=axis), dtypes.float32)
            return div_no_nan(reduce_sum(crossent, axis=axis), count)
        return crossent


def _check_lengths(logits, targets, weights) -> None:
    if len(targets) != len(logits) or len(weights) != len(logits):
        raise ValueError(
            "Lengths of logits, weights, and targets must be the same "
            f"{len(logits)}, {len(weights)}, {len(targets)}."
        )


def sequence_loss_by_example(
    logits, targets, weights, average_across_timesteps=True, softmax_loss_function=None, name=None
):
    """Per-example loss ``[batch]`` of lists of per-step ``logits`` ``[batch, classes]``,
    ``targets`` ``[batch]`` and ``weights`` ``[batch]`` (legacy_seq2seq): the weighted
    cross-entropies summed over steps, divided by the summed weights (+1e-12) when
    ``average_across_timesteps``.

    Raises:
        ValueError: the three lists differ in length.
    """
    _check_lengths(logits, targets, weights)
    with name_scope(name, "sequence_loss_by_example", [*logits, *targets, *weights]):
        terms = []
        for logit, target, weight in zip(logits, targets, weights, strict=True):
            if softmax_loss_function is None:
                crossent = sparse_softmax_cross_entropy_with_logits(
                    labels=reshape(target, [-1]), logits=logit
                )
            else:
                crossent = softmax_loss_function(labels=target, logits=logit)
            terms.append(crossent * weight)
        total = add_n(terms)
        if average_across_timesteps:
            total /= add_n(weights) + 1e-12
        return total


def legacy_sequence_loss(
    logits,
    targets,
    weights,
    average_across_timesteps=True,
    average_across_batch=True,
    softmax_loss_function=None,
    name=None,
):
    """The scalar ``sequence_loss_by_example`` summed over the batch, divided by the batch
    size when ``average_across_batch`` (``tf.contrib.legacy_seq2seq.sequence_loss``)."""
    with name_scope(name, "sequence_loss", [*logits, *targets, *weights]):
        cost = reduce_sum(
            sequence_loss_by_example(
                logits,
                targets,
                weights,
                average_across_timesteps=average_across_timesteps,
                softmax_loss_function=softmax_loss_function,
            )
        )
        if average_across_batch:
            return cost / cast(shape(targets[0])[0], cost.dtype)
        return cost
