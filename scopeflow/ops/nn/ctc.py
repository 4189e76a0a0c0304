"""Connectionist temporal classification, TF1's ``tf.nn.ctc_loss``,
``tf.nn.ctc_greedy_decoder`` and ``tf.nn.ctc_beam_search_decoder``: the ``CTCLoss``,
``CTCGreedyDecoder`` and ``CTCBeamSearchDecoder`` ops, their shape rules and kernels (the
algorithms are in ``ops/kernels/ctc.py``) and ``CTCLoss``'s gradient.

Inputs are logits ``[max_time, batch, num_classes]``; the blank is the last class. Labels
come as an int32 ``SparseTensor`` (one row per sequence), decoded labels go out as int64
``SparseTensor``\\ s, with TF's run-time checks and wording.
"""

from __future__ import annotations

import numpy as np

from scopeflow.framework import dtypes, errors, undo
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.registry import NOT_DIFFERENTIABLE, register_op
from scopeflow.framework.tensor_shape import Dimension, TensorShape
from scopeflow.ops.array import shape as shape_ops
from scopeflow.ops.array import transpose as transpose_ops
from scopeflow.ops.array.cast import cast
from scopeflow.ops.core.infer import apply_op, check_dtype_in
from scopeflow.ops.kernels import ctc as ctc_kernels
from scopeflow.ops.sparse.rows import check_valid_order
from scopeflow.ops.sparse.tensor import SparseTensor

_FLOATS = (dtypes.float32, dtypes.float64)
_NO_SECOND_DERIVATIVE = (
    "Currently there is no way to take the second  derivative of ctc_loss due to the fused "
    "implementation's interaction  with tf.gradients()"
)


def _check_int(op_type: str, arg: str, t, dtype) -> None:
    if t.dtype.base_dtype != dtype:
        raise TypeError(
            f"Input '{arg}' of '{op_type}' Op has type {t.dtype.base_dtype.name} that does not "
            f"match expected type of {dtype.name}."
        )


def _with_rank(t, rank: int) -> TensorShape:
    if t.shape.ndims not in (None, rank):
        raise ValueError(f"Shape must be rank {rank} but is rank {t.shape.ndims}")
    return t.shape if t.shape.ndims is not None else TensorShape([None] * rank)


def _merge(a: Dimension, b: Dimension) -> Dimension:
    if a.value is not None and b.value is not None and a.value != b.value:
        raise ValueError(f"Dimensions must be equal, but are {a.value} and {b.value}")
    return a if a.value is not None else b


def _decoder_shapes(op_type: str, inputs) -> tuple[dtypes.DType, Dimension]:
    """The logits' dtype and the batch size, from ``inputs`` and ``sequence_length``."""
    logits, seq_len = inputs
    dtype = check_dtype_in(op_type, "inputs", logits, _FLOATS)
    _check_int(op_type, "sequence_length", seq_len, dtypes.int32)
    shape = _with_rank(logits, 3)
    return dtype, _merge(shape[1], _with_rank(seq_len, 1)[0])


# -- CTCLoss ----------------------------------------------------------------------------


def _ctc_loss_infer(inputs, attrs):
    logits, indices, values, seq_len = inputs
    dtype = check_dtype_in("CTCLoss", "inputs", logits, _FLOATS)
    _check_int("CTCLoss", "labels_indices", indices, dtypes.int64)
    _check_int("CTCLoss", "labels_values", values, dtypes.int32)
    _check_int("CTCLoss", "sequence_length", seq_len, dtypes.int32)
    shape = _with_rank(logits, 3)
    rows = _with_rank(indices, 2)[0]
    _merge(rows, _with_rank(values, 1)[0])
    batch = _merge(shape[1], _with_rank(seq_len, 1)[0])
    return [(dtype, TensorShape([batch])), (dtype, TensorShape([shape[0], batch, shape[2]]))]


def _label_sequences(op, indices, values, batch: int) -> list[np.ndarray]:
    """The labels of each sequence, after TF's checks of the sparse rows."""
    if len(indices) != len(values):
        raise errors.InvalidArgumentError(
            None,
            op,
            "labels_indices and labels_values must contain the same number of rows, but saw "
            f"shapes: [{','.join(map(str, indices.shape))}] vs. [{len(values)}]",
        )
    longest = int(indices[:, 1].max()) + 1 if len(indices) else 0
    try:
        check_valid_order(indices, [batch, longest])
    except ValueError as e:
        raise errors.InvalidArgumentError(
            None, op, f"label SparseTensor is not valid: {e}\n\n"
        ) from None
    return [values[indices[:, 0] == b] for b in range(batch)]


def _target(op, b: int, label: np.ndarray, classes: int, collapse: bool) -> np.ndarray:
    """Sequence ``b``'s target labels as TF reads them: repeats collapsed if asked, the
    labels from a blank (or a larger value) on dropped; with TF's errors."""
    if len(label) == 0:
        raise errors.InvalidArgumentError(None, op, f"Labels length is zero in batch {b}")
    kept = label[np.r_[True, label[1:] != label[:-1]]] if collapse else label
    ends = np.flatnonzero(kept >= classes - 1)
    target = kept[: ends[0]] if len(ends) else kept
    if len(ends) and (kept[ends[0] :] < classes - 1).any():
        raise errors.InvalidArgumentError(
            None,
            op,
            "Saw a non-null label (index >= num_classes - 1) following a null label, batch: "
            f"{b} num_classes: {classes} labels: {','.join(map(str, label))} labels seen so "
            f"far: {','.join(map(str, target))}",
        )
    if (target < 0).any():
        raise errors.InvalidArgumentError(
            None,
            op,
            f"All labels must be nonnegative integers, batch: {b} labels: "
            f"{','.join(map(str, target))}",
        )
    return target


def _ctc_loss_kernel(ctx, op, logits, indices, values, seq_len):
    steps, batch, classes = logits.shape
    if len(seq_len) != batch:
        raise errors.InvalidArgumentError(
            None,
            op,
            f"len(sequence_length) != batch_size.  len(sequence_length):  {len(seq_len)} "
            f"batch_size: {batch}",
        )
    if batch == 0:
        raise errors.InvalidArgumentError(None, op, "batch_size must not be 0")
    labels = _label_sequences(op, indices, values, batch)
    for b, length in enumerate(seq_len):
        if length > steps:
            raise errors.InvalidArgumentError(None, op, f"sequence_length({b}) <= {steps}")
    for b, length in enumerate(seq_len):
        if length < 0:
            raise errors.InvalidArgumentError(None, op, f"seq_len({b}) < 0")
    attrs = op._attrs
    targets = []
    for b, label in enumerate(labels):
        targets.append(_target(op, b, label, classes, attrs["preprocess_collapse_repeated"]))
        if not attrs["ignore_longer_outputs_than_inputs"] and len(label) > seq_len[b]:
            raise errors.InvalidArgumentError(
                None,
                op,
                "Not enough time for target transition sequence (required: "
                f"{len(label)}, available: {seq_len[b]}){b}You can turn this error into a "
                "warning by using the flag ignore_longer_outputs_than_inputs",
            )
    # Sequences without frames, or (ignored) longer labels than frames: zero loss and gradient.
    kept = [b for b, label in enumerate(labels) if 0 < len(label) <= seq_len[b]]
    loss = np.zeros(batch, logits.dtype)
    grad = np.zeros(logits.shape, logits.dtype)
    if kept:
        kept_loss, kept_grad = ctc_kernels.ctc_loss_batch(
            logits[:, kept],
            [targets[b] for b in kept],
            seq_len[kept].astype(np.int64),
            attrs["ctc_merge_repeated"],
        )
        loss[kept], grad[:, kept] = kept_loss, kept_grad
    return loss, grad


def _ctc_loss_grad(op, grad_loss, _):
    """The logits' gradient: the op's second output scaled by the loss's gradient (which
    itself may not be differentiated again, as in TF)."""
    backprop = apply_op("PreventGradient", [op.outputs[1]], {"message": _NO_SECOND_DERIVATIVE})
    return [shape_ops.expand_dims(grad_loss, -1) * backprop, None, None, None]


register_op("CTCLoss", _ctc_loss_infer, kernel=_ctc_loss_kernel, grad=_ctc_loss_grad)


# -- the decoders ------------------------------------------------------------------------


def _decoded_outputs(sequences: list[list[int]]) -> list[np.ndarray]:
    """``[indices, values, shape]`` of a ``SparseTensor`` with one row per sequence."""
    lengths = [len(s) for s in sequences]
    rows = np.repeat(np.arange(len(sequences), dtype=np.int64), lengths)
    columns = np.concatenate([np.arange(n, dtype=np.int64) for n in lengths] or [[]])
    indices = np.stack([rows, columns.astype(np.int64)], axis=1).reshape(-1, 2)
    values = np.array([v for s in sequences for v in s], np.int64)
    return [indices, values, np.array([len(sequences), max(lengths, default=0)], np.int64)]


def _check_decoder_inputs(op, logits, seq_len) -> None:
    """TF's run-time checks of a decoder's inputs and their wording."""
    if logits.size == 0:
        raise errors.InvalidArgumentError(None, op, "inputs must not be empty")
    if len(seq_len) != logits.shape[1]:
        raise errors.FailedPreconditionError(
            None,
            op,
            f"len(sequence_length) != batch_size.  len(sequence_length):  {len(seq_len)} "
            f"batch_size: {logits.shape[1]}",
        )
    for b, length in enumerate(seq_len):
        if length > logits.shape[0]:
            raise errors.FailedPreconditionError(
                None, op, f"sequence_length({b}) <= {logits.shape[0]}"
            )


def _decoder_infer(op_type: str, paths: int):
    def infer(inputs, attrs):
        dtype, batch = _decoder_shapes(op_type, inputs)
        count = attrs["top_paths"] if paths is None else paths
        sparse = [
            *[(dtypes.int64, TensorShape([None, 2]))] * count,
            *[(dtypes.int64, TensorShape([None]))] * count,
            *[(dtypes.int64, TensorShape([2]))] * count,
        ]
        return [*sparse, (dtype, TensorShape([batch, count]))]

    return infer


def _greedy_kernel(ctx, op, logits, seq_len):
    _check_decoder_inputs(op, logits, seq_len)
    classes = logits.shape[2]
    blank = op._attrs["blank_index"]
    if not -classes <= blank < classes:
        raise errors.InvalidArgumentError(
            None,
            op,
            f"blank_index expected to be between {-classes} and {classes - 1} but was {blank}",
        )
    blank %= classes
    best = logits.argmax(axis=2)  # [T, B]: the first greatest, as TF's RowMax
    top = np.take_along_axis(logits, best[:, :, None], axis=2)[:, :, 0]
    frames = np.arange(logits.shape[0])[:, None] < seq_len[None, :]
    log_prob = np.where(frames, -top, 0).sum(axis=0, dtype=logits.dtype)
    sequences = []
    for b in range(logits.shape[1]):
        path = best[: max(int(seq_len[b]), 0), b]
        keep = path != blank
        if op._attrs["merge_repeated"]:
            keep &= np.r_[True, path[1:] != path[:-1]]
        sequences.append(path[keep].tolist())
    return (*_decoded_outputs(sequences), log_prob[:, None])


def _beam_kernel(ctx, op, logits, seq_len):
    _check_decoder_inputs(op, logits, seq_len)
    attrs = op._attrs
    if attrs["top_paths"] > attrs["beam_width"]:
        raise errors.InvalidArgumentError(None, op, "requested more paths than the beam width.")
    log_probs = ctc_kernels.log_softmax(logits)
    paths, scores = [], []
    for b in range(logits.shape[1]):
        try:
            best, score = ctc_kernels.beam_search(
                log_probs[: max(int(seq_len[b]), 0), b],
                attrs["beam_width"],
                attrs["top_paths"],
                attrs["merge_repeated"],
            )
        except ValueError as e:
            raise errors.InvalidArgumentError(None, op, str(e)) from None
        paths.append(best)
        scores.append(score)
    outputs = [_decoded_outputs([p[k] for p in paths]) for k in range(attrs["top_paths"])]
    return (*[o[i] for i in range(3) for o in outputs], np.array(scores, logits.dtype))


register_op(
    "CTCGreedyDecoder",
    _decoder_infer("CTCGreedyDecoder", 1),
    kernel=_greedy_kernel,
    grad=NOT_DIFFERENTIABLE,
)
register_op(
    "CTCBeamSearchDecoder",
    _decoder_infer("CTCBeamSearchDecoder", None),
    kernel=_beam_kernel,
    grad=NOT_DIFFERENTIABLE,
)


# -- public functions --------------------------------------------------------------------


def _int32_operand(value):
    """``sequence_length`` as a tensor: Python and NumPy integers become int32 (as TF converts
    them); a tensor keeps its dtype (the op checks it, with TF's error)."""
    if isinstance(value, (list, tuple, int, np.ndarray, np.integer)):
        value = np.asarray(value)
        if value.dtype.kind in "iu":
            value = value.astype(np.int32)
    return convert_to_tensor(value, name="sequence_length")


@undo.atomic
def ctc_loss(
    labels,
    inputs=None,
    sequence_length=None,
    preprocess_collapse_repeated=False,
    ctc_merge_repeated=True,
    ignore_longer_outputs_than_inputs=False,
    time_major=True,
    logits=None,
):
    """TF1's CTC loss: ``-log p(labels | inputs)`` for each sequence of the batch.

    ``labels`` is an int32 ``SparseTensor`` (row ``b`` holds sequence ``b``'s labels, in
    ``[0, num_classes - 1)``), ``inputs`` the logits ``[max_time, batch, num_classes]``
    (``[batch, max_time, num_classes]`` without ``time_major``), the last class the blank.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     labels = tf.SparseTensor([[0, 0]], tf.constant([0]), [1, 1])
    ...     loss = tf.nn.ctc_loss(labels, tf.zeros([2, 1, 2]), [2])
    ...     print(tf.Session().run(loss))  # paths "0-", "-0", "00" of four: log(4/3)
    [0.2876821]
    """
    if not isinstance(labels, SparseTensor):
        raise TypeError(
            f"Expected argument `labels` to be a SparseTensor. Received labels={labels} of "
            f"type: {type(labels).__name__}"
        )
    if logits is not None and inputs is not None:
        raise ValueError("Cannot specify both 'logits' and 'inputs'")
    inputs = convert_to_tensor(logits if inputs is None else inputs, name="logits")
    if not time_major:
        inputs = transpose_ops.transpose(inputs, [1, 0, 2])
    orig_dtype = inputs.dtype.base_dtype
    if orig_dtype in (dtypes.float16, dtypes.bfloat16):
        inputs = cast(inputs, dtypes.float32)
    with name_scope(None, "CTCLoss", [inputs, sequence_length]) as scope:
        sequence_length = _int32_operand(sequence_length)
        loss, _ = apply_op(
            "CTCLoss",
            [inputs, labels.indices, labels.values, sequence_length],
            {
                "preprocess_collapse_repeated": bool(preprocess_collapse_repeated),
                "ctc_merge_repeated": bool(ctc_merge_repeated),
                "ignore_longer_outputs_than_inputs": bool(ignore_longer_outputs_than_inputs),
            },
            scope,
        )
    if orig_dtype in (dtypes.float16, dtypes.bfloat16):
        loss = cast(loss, orig_dtype)
    return loss


def _decoder(op_type: str, inputs, sequence_length, attrs: dict) -> list:
    with name_scope(None, op_type, [inputs, sequence_length]) as scope:
        inputs = convert_to_tensor(inputs, name="inputs")
        sequence_length = _int32_operand(sequence_length)
        return apply_op(op_type, [inputs, sequence_length], attrs, scope)


@undo.atomic
def ctc_greedy_decoder(inputs, sequence_length, merge_repeated=True, blank_index=None):
    """Best-path decoding: the most likely class of each frame, blanks dropped and (with
    ``merge_repeated``) runs of a class merged; returns ``([decoded], neg_sum_logits)``.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     logits = tf.constant([[[2.0, 0.0, 0.0]], [[2.0, 0.0, 0.0]], [[0.0, 2.0, 0.0]]])
    ...     (decoded,), neg_sum = tf.nn.ctc_greedy_decoder(logits, [3])
    ...     print(tf.Session().run(decoded).values)
    [0 1]
    """
    blank = -1 if blank_index is None else int(blank_index)
    attrs = {"merge_repeated": bool(merge_repeated), "blank_index": blank}
    indices, values, shape, log_prob = _decoder("CTCGreedyDecoder", inputs, sequence_length, attrs)
    return [SparseTensor(indices, values, shape)], log_prob


def _check_minimum(attr: str, value: int) -> int:
    if value < 1:
        raise ValueError(
            f"Attr '{attr}' of 'CTCBeamSearchDecoder' Op passed {value} less than minimum 1."
        )
    return int(value)


@undo.atomic
def ctc_beam_search_decoder(
    inputs, sequence_length, beam_width=100, top_paths=1, merge_repeated=True
):
    """TF's prefix beam search: the ``top_paths`` most likely label sequences of each batch
    element (``decoded``, a list of ``SparseTensor``) and their log-probabilities
    (``[batch, top_paths]``). With ``merge_repeated`` equal neighbours are merged in the
    result too, as TF1 does (``ctc_beam_search_decoder_v2`` does not).

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     logits = tf.math.log(tf.constant([[[0.3, 0.7]], [[0.4, 0.6]]]))
    ...     (decoded,), log_p = tf.nn.ctc_beam_search_decoder(logits, [2], beam_width=2)
    ...     print(tf.Session().run([decoded.values, tf.exp(log_p)]))
    [array([0]), array([[0.58]], dtype=float32)]
    """
    attrs = {
        "beam_width": _check_minimum("beam_width", beam_width),
        "top_paths": _check_minimum("top_paths", top_paths),
        "merge_repeated": bool(merge_repeated),
    }
    outputs = _decoder("CTCBeamSearchDecoder", inputs, sequence_length, attrs)
    n = attrs["top_paths"]
    decoded = [SparseTensor(outputs[k], outputs[n + k], outputs[2 * n + k]) for k in range(n)]
    return decoded, outputs[-1]


def ctc_beam_search_decoder_v2(inputs, sequence_length, beam_width=100, top_paths=1):
    """``ctc_beam_search_decoder`` without merging equal neighbours in the result (TF2's
    ``tf.nn.ctc_beam_search_decoder``)."""
    return ctc_beam_search_decoder(
        inputs, sequence_length, beam_width=beam_width, top_paths=top_paths, merge_repeated=False
    )


__all__ = [
    "ctc_beam_search_decoder",
    "ctc_beam_search_decoder_v2",
    "ctc_greedy_decoder",
    "ctc_loss",
]
