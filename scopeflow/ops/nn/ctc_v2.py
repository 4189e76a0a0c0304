"""``tf.nn.ctc_loss_v2`` (TF 2's signature of the CTC loss, in compat.v1): labels either a
``SparseTensor`` (``blank_index`` required) or dense ``[batch, max_label_length]`` with
``label_length`` (``blank_index`` 0 by default); the blank class may be any.

Built on ``ctc_loss`` (``CTCLoss``) as TF builds the sparse case: a blank other than the
last class is moved last (the logits' classes rolled, labels above it lowered by one). TF
computes dense labels with its own forward-backward in TF ops (``ctc_loss_dense``); here
they become a ``SparseTensor`` of each row's first ``label_length`` labels and take the
same path: the losses and gradients agree to float32 rounding, the graph differs.
"""

from __future__ import annotations

from scopeflow.framework import dtypes, tensor_shape, undo
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.graph_api import name_scope
from scopeflow.ops.array.basic import shape
from scopeflow.ops.array.cast import cast
from scopeflow.ops.array.gather import gather_nd
from scopeflow.ops.array.join import concat
from scopeflow.ops.math.elementwise import less
from scopeflow.ops.math.selection import where
from scopeflow.ops.math.sequence import range as range_op
from scopeflow.ops.nn.ctc import ctc_loss
from scopeflow.ops.sparse.tensor import SparseTensor


def _moved_blank(labels: SparseTensor, logits, blank_index: int) -> tuple:
    """Labels and logits with class ``blank_index`` moved last, as TF's sparse path."""
    classes = tensor_shape.dimension_value(logits.shape[2])
    if classes is None:
        raise ValueError(
            "ctc_loss_v2 needs the number of classes (logits' last dimension) known while "
            "building to place the blank class"
        )
    if blank_index < 0:
        blank_index += classes
    if blank_index == classes - 1:
        return labels, logits
    logits = concat(
        [
            logits[:, :, :blank_index],
            logits[:, :, blank_index + 1 :],
            logits[:, :, blank_index : blank_index + 1],
        ],
        axis=2,
    )
    values = where(labels.values < blank_index, labels.values, labels.values - 1)
    return SparseTensor(labels.indices, values, labels.dense_shape), logits


def _dense_to_sparse(labels, label_length) -> SparseTensor:
    """Each row's first ``label_length`` labels as a ``SparseTensor``."""
    labels = convert_to_tensor(labels, name="labels")
    label_length = convert_to_tensor(label_length, name="label_length")
    positions = range_op(shape(labels)[1])
    kept = less(positions[None, :], cast(label_length, positions.dtype)[:, None])
    indices = where(kept)
    values = cast(gather_nd(labels, indices), dtypes.int32)
    return SparseTensor(indices, values, cast(shape(labels), dtypes.int64))


@undo.atomic
def ctc_loss_v2(
    labels,
    logits,
    label_length,
    logit_length,
    logits_time_major=True,
    unique=None,
    blank_index=None,
    name=None,
):
    """The CTC loss ``-log p(labels | logits)`` of each sequence of the batch.

    Args:
        labels: a ``SparseTensor`` of labels (then ``blank_index`` is required), or dense
            int ``[batch, max_label_length]`` with ``label_length`` per row.
        logits: ``[frames, batch, classes]`` (``[batch, frames, classes]`` without
            ``logits_time_major``), unnormalized.
        label_length: each row's number of labels (dense labels; None for sparse ones).
        logit_length: each sequence's number of frames.
        unique: TF's ``ctc_unique_labels`` of dense labels, a speed-up only: not needed.
        blank_index: the blank class (negative: from the end); dense labels default to 0.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     loss = tf.nn.ctc_loss_v2([[1]], tf.zeros([2, 1, 2]), [1], [2])
    ...     print(tf.Session().run(loss))  # paths "1-", "-1", "11" of four: log(4/3)
    [0.2876821]
    """
    del unique  # only lets TF's dense implementation skip work
    if isinstance(labels, SparseTensor):
        if blank_index is None:
            raise ValueError(
                "Argument `blank_index` must be provided when labels is a SparseTensor."
            )
        scope_name = "ctc_loss"
    else:
        blank_index = 0 if blank_index is None else blank_index
        scope_name = "ctc_loss_dense"
    with name_scope(name, scope_name):
        if not isinstance(labels, SparseTensor):
            labels = _dense_to_sparse(labels, label_length)
        logits = convert_to_tensor(logits, name="logits")
        labels, logits = _moved_blank(labels, logits, int(blank_index))
        return ctc_loss(
            labels=labels,
            inputs=logits,
            sequence_length=logit_length,
            time_major=logits_time_major,
        )


__all__ = ["ctc_loss_v2"]
