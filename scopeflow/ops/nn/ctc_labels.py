"""``tf.nn.collapse_repeated`` and ``tf.nn.ctc_unique_labels``: CTC label helpers, built from
other ops as TF builds them (same scopes and op names)."""

from __future__ import annotations

from scopeflow.framework import dtypes, undo
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.graph_api import name_scope
from scopeflow.ops.array import basic as array_ops
from scopeflow.ops.array.gather import boolean_mask, scatter_nd
from scopeflow.ops.array.join import concat
from scopeflow.ops.array.pad import pad
from scopeflow.ops.array.shape import expand_dims, ones_like
from scopeflow.ops.array.unique import unique
from scopeflow.ops.control.functional import map_fn
from scopeflow.ops.math import elementwise as math_ops
from scopeflow.ops.math.reduction import reduce_max, reduce_sum
from scopeflow.ops.math.sequence import range as range_
from scopeflow.ops.math.sequence import sequence_mask


def _dim(tensor, i: int):
    """TF's ``_get_dim``: the static size of dimension ``i``, else ``tf.shape(tensor)[i]``."""
    return (
        tensor.shape.as_list()[i]
        if tensor.shape[i].value is not None
        else array_ops.shape(tensor)[i]
    )


@undo.atomic
def collapse_repeated(labels, seq_length, name=None):
    """Merges each run of a repeated label into one: ``(collapsed labels, new lengths)``, the
    labels padded with zeros to the longest new length.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     labels, lengths = tf.nn.collapse_repeated([[1, 1, 2, 2, 3], [4, 4, 4, 0, 0]], [5, 3])
    ...     print(tf.Session().run([labels, lengths]))
    [array([[1, 2, 3],
           [4, 0, 0]], dtype=int32), array([3, 1], dtype=int32)]
    """
    with name_scope(name, "collapse_repeated_labels", [labels, seq_length]):
        labels = convert_to_tensor(labels, name="labels")
        seq_length = convert_to_tensor(seq_length, name="seq_length")
        label_mask = concat(
            [
                ones_like(labels[:, :1], dtypes.bool),
                math_ops.not_equal(labels[:, 1:], labels[:, :-1]),
            ],
            axis=1,
        )
        seq_mask = sequence_mask(seq_length, maxlen=_dim(labels, 1))
        label_mask = math_ops.logical_and(label_mask, seq_mask)
        new_seq_len = reduce_sum(math_ops.cast(label_mask, dtypes.int32), axis=1)
        new_maxlen = reduce_max(new_seq_len)
        idx_mask = sequence_mask(new_seq_len, maxlen=new_maxlen)
        flat_labels = array_ops.reshape(labels, [-1])
        flat_label_mask = array_ops.reshape(label_mask, [-1])
        flat_idx_mask = array_ops.reshape(idx_mask, [-1])
        idx = range_(_dim(flat_idx_mask, 0))
        flat = scatter_nd(
            indices=expand_dims(boolean_mask(idx, flat_idx_mask), axis=1),
            updates=boolean_mask(flat_labels, flat_label_mask),
            shape=array_ops.shape(flat_idx_mask),
        )
        new_shape = [_dim(labels, 0), new_maxlen]
        return array_ops.reshape(flat, new_shape), math_ops.cast(new_seq_len, seq_length.dtype)


@undo.atomic
def ctc_unique_labels(labels, name=None):
    """Each row's unique labels (in order of first appearance, padded with zeros, int64) and,
    for each label, the index of its unique value: TF's ``map_fn`` of ``tf.unique`` over rows.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     unique, index = tf.nn.ctc_unique_labels([[3, 4, 4, 3]])
    ...     print(tf.Session().run([unique, index]))
    [array([[3, 4, 0, 0]]), array([[0, 1, 1, 0]], dtype=int32)]
    """
    with name_scope(name, "ctc_unique_labels", [labels]):
        labels = convert_to_tensor(labels, name="labels")

        def _unique(x):
            u = unique(x)
            y = pad(u.y, [[0, _dim(u.idx, 0) - _dim(u.y, 0)]])
            return [math_ops.cast(y, dtypes.int64), u.idx]

        return map_fn(_unique, labels, dtype=[dtypes.int64, dtypes.int32])


__all__ = ["collapse_repeated", "ctc_unique_labels"]
