"""``tf.keras.backend``'s CTC helpers: ``ctc_label_dense_to_sparse``, ``ctc_batch_cost``
(``tf.nn.ctc_loss`` on Keras's batch-major softmax outputs) and ``ctc_decode`` (greedy or
beam search, decoded sequences padded with -1).

Keras's outputs are probabilities: both take ``log(y_pred + epsilon)`` as the logits, the
last class the blank, as TF's Keras does.

>>> import numpy as np, scopeflow as tf
>>> probs = np.float32([[[0.1, 0.8, 0.1], [0.7, 0.2, 0.1], [0.1, 0.1, 0.8]]])
>>> with tf.Graph().as_default(), tf.Session() as sess:
...     decoded, _ = tf.keras.backend.ctc_decode(probs, np.int32([3]))
...     print(sess.run(decoded[0]))
[[ 1  0 -1]]
"""

from __future__ import annotations

from scopeflow.framework import dtypes
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.keras.backend_config import epsilon
from scopeflow.ops.array import basic as array_ops
from scopeflow.ops.array.cast import cast
from scopeflow.ops.array.gather import gather_nd
from scopeflow.ops.array.shape import expand_dims, squeeze
from scopeflow.ops.array.transpose import transpose
from scopeflow.ops.math import elementwise as math_ops
from scopeflow.ops.math.selection import where
from scopeflow.ops.math.sequence import sequence_mask
from scopeflow.ops.nn import ctc
from scopeflow.ops.sparse.dense import sparse_tensor_to_dense
from scopeflow.ops.sparse.tensor import SparseTensor


def ctc_label_dense_to_sparse(labels, label_lengths):
    """The first ``label_lengths[b]`` labels of each row ``b`` of the dense ``labels``
    ``[batch, max_labels]``, as a ``SparseTensor`` of their shape."""
    labels = convert_to_tensor(labels)
    shape = array_ops.shape(labels)
    mask = sequence_mask(label_lengths, maxlen=shape[1])
    indices = where(mask)
    return SparseTensor(indices, gather_nd(labels, indices), cast(shape, dtypes.int64))


def _log_time_major(y_pred):
    """``log(y_pred + epsilon)`` with time first: the logits TF's CTC ops take."""
    return math_ops.log(transpose(convert_to_tensor(y_pred), [1, 0, 2]) + epsilon())


def ctc_batch_cost(y_true, y_pred, input_length, label_length):
    """The CTC loss of each example, shape ``[batch, 1]``.

    Args:
        y_true: ``[batch, max_labels]`` labels (padding past ``label_length``).
        y_pred: ``[batch, time, classes]`` softmax outputs, the last class the blank.
        input_length: ``[batch, 1]`` frames used of each example.
        label_length: ``[batch, 1]`` labels of each example.
    """
    label_length = cast(squeeze(label_length, axis=-1), dtypes.int32)
    input_length = cast(squeeze(input_length, axis=-1), dtypes.int32)
    sparse = ctc_label_dense_to_sparse(y_true, label_length)
    sparse = SparseTensor(sparse.indices, cast(sparse.values, dtypes.int32), sparse.dense_shape)
    losses = ctc.ctc_loss(
        labels=sparse, inputs=_log_time_major(y_pred), sequence_length=input_length
    )
    return expand_dims(losses, 1)


def ctc_decode(y_pred, input_length, greedy=True, beam_width=100, top_paths=1):
    """The most likely label sequences of ``y_pred`` (``[batch, time, classes]`` softmax
    outputs): a list of ``top_paths`` dense ``[batch, time]`` tensors padded with -1, and
    their log probabilities (``[batch, 1]`` greedy; ``[batch, top_paths]`` beam search)."""
    y_pred = convert_to_tensor(y_pred)
    shape = array_ops.shape(y_pred)
    logits = _log_time_major(y_pred)
    input_length = cast(input_length, dtypes.int32)
    if greedy:
        decoded, log_prob = ctc.ctc_greedy_decoder(logits, input_length)
    else:
        decoded, log_prob = ctc.ctc_beam_search_decoder(
            logits, input_length, beam_width=beam_width, top_paths=top_paths
        )
    known = y_pred.shape.as_list()[:2] if y_pred.shape.ndims == 3 else [None, None]
    if None in known:
        dense_shape = cast(array_ops.stack([shape[0], shape[1]]), dtypes.int64)
    else:  # a constant, as TF folds the shape: the decoded tensors' shapes are then known
        dense_shape = known
    dense = [
        sparse_tensor_to_dense(SparseTensor(st.indices, st.values, dense_shape), -1)
        for st in decoded
    ]
    return dense, log_prob


__all__ = ["ctc_batch_cost", "ctc_decode", "ctc_label_dense_to_sparse"]
