"""Non-max suppression as TF1 builds it: ``tf.image.non_max_suppression``
(``NonMaxSuppressionV3``), ``non_max_suppression_padded`` (``NonMaxSuppressionV4``, as TF 1.15
builds it), ``non_max_suppression_with_scores`` (``NonMaxSuppressionV5``, soft-NMS) and
``non_max_suppression_overlaps`` (``NonMaxSuppressionWithOverlaps``).

The kernels follow TF's greedy loop: candidates above ``score_threshold`` taken by score (ties
by index), each compared with the boxes already selected (IOU of corner boxes in float32, zero
for an empty box), dropped when an overlap exceeds the threshold; with a soft-NMS sigma, scores
decay by ``exp(-iou**2 / (2 sigma))`` and a decayed candidate goes back in line.

Deliberate difference: TF 2.21's ``non_max_suppression_padded`` traces a batched function
(``PartitionedCall``); scopeflow builds TF 1.15's single ``NonMaxSuppressionV4`` op, whose
values are the same for one image's boxes.
"""

from __future__ import annotations

import heapq

import numpy as np

from scopeflow.framework import dtypes, errors, undo
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.registry import NOT_DIFFERENTIABLE, register_op
from scopeflow.framework.tensor_shape import TensorShape
from scopeflow.ops.core.infer import apply_op, check_dtype_in

_BOX_TYPES = (dtypes.float16, dtypes.float32)


def _with_rank(t, rank: int) -> TensorShape:
    if t.shape.ndims is not None and t.shape.ndims != rank:
        raise ValueError(f"Shape must be rank {rank} but is rank {t.shape.ndims}")
    return t.shape if t.shape.ndims is not None else TensorShape([None] * rank)


def _check_equal(a, b) -> None:
    if a is not None and b is not None and a != b:
        raise ValueError(f"Dimensions must be equal, but are {a} and {b}")


def _nms_infer(op_type: str, overlaps: bool = False):
    """Shapes of ``op_type``'s inputs checked as TF does; outputs: selected indices (and for
    V5 their scores), plus the count of valid outputs for V4 and V5."""

    def infer(inputs, attrs):
        boxes, scores, size, *thresholds = inputs
        allowed = (dtypes.float32,) if overlaps else _BOX_TYPES
        dtype = check_dtype_in(op_type, "overlaps" if overlaps else "boxes", boxes, allowed)
        check_dtype_in(op_type, "max_output_size", size, (dtypes.int32,))
        box_shape = _with_rank(boxes, 2).as_list()
        score_shape = _with_rank(scores, 1).as_list()
        _with_rank(size, 0)
        for t in thresholds:
            _with_rank(t, 0)
        if overlaps:
            _check_equal(box_shape[0], box_shape[1])
        elif box_shape[1] is not None and box_shape[1] != 4:
            raise ValueError(f"Dimension must be 4 but is {box_shape[1]}")
        _check_equal(box_shape[0], score_shape[0])
        pad = attrs.get("pad_to_max_output_size", False)
        out = [None]
        if pad and size.op.type == "Const":
            out = [int(size.op._attrs["value"])]
        indices = (dtypes.int32, TensorShape(out))
        if op_type == "NonMaxSuppressionV5":
            return [indices, (dtype, TensorShape(out)), (dtypes.int32, TensorShape([]))]
        if op_type == "NonMaxSuppressionV4":
            return [indices, (dtypes.int32, TensorShape([]))]
        return [indices]

    return infer


def _iou(boxes: np.ndarray, i: int, others: np.ndarray) -> np.ndarray:
    """TF's ``IOU`` of box ``i`` with each of the boxes ``others`` (indices), in float32."""
    b = boxes.astype(np.float32)
    ymin, xmin = np.minimum(b[:, 0], b[:, 2]), np.minimum(b[:, 1], b[:, 3])
    ymax, xmax = np.maximum(b[:, 0], b[:, 2]), np.maximum(b[:, 1], b[:, 3])
    area = (ymax - ymin) * (xmax - xmin)
    height = np.maximum(np.minimum(ymax[i], ymax[others]) - np.maximum(ymin[i], ymin[others]), 0)
    width = np.maximum(np.minimum(xmax[i], xmax[others]) - np.maximum(xmin[i], xmin[others]), 0)
    inter = (height * width).astype(np.float32)
    with np.errstate(divide="ignore", invalid="ignore"):
        iou = inter / (area[i] + area[others] - inter)
    return np.where((area[i] <= 0) | (area[others] <= 0), np.float32(0), iou)


def _scalar(op, name: str, value) -> float:
    value = np.asarray(value)
    if value.ndim != 0:
        raise errors.InvalidArgumentError(
            None, op, f"{name} must be 0-D, got shape {list(value.shape)}"
        )
    return value.item()


def _check_inputs(op, boxes, scores, size, overlaps: bool) -> int:
    n = boxes.shape[0]
    if not overlaps and (boxes.ndim != 2 or boxes.shape[1] != 4):
        raise errors.InvalidArgumentError(
            None, op, f"boxes must be 2-D with 4 columns, got shape {list(boxes.shape)}"
        )
    if overlaps and (boxes.ndim != 2 or boxes.shape[1] != n):
        raise errors.InvalidArgumentError(
            None, op, f"overlaps must be square, got shape {list(boxes.shape)}"
        )
    if scores.shape != (n,):
        raise errors.InvalidArgumentError(
            None, op, f"scores has incompatible shape: {list(scores.shape)} for {n} boxes"
        )
    size = int(_scalar(op, "max_output_size", size))
    if size < 0:
        raise errors.InvalidArgumentError(None, op, "max_output_size must be non-negative")
    return size


def _suppress(similarity, scores, size: int, threshold: float, score_threshold, sigma=0.0):
    """TF's ``DoNonMaxSuppressionOp``: the selected indices and their (decayed) scores.
    ``similarity(i, selected)`` is the overlap of candidate ``i`` with those chosen."""
    scores = scores.astype(np.float32)
    threshold, score_threshold = np.float32(threshold), np.float32(score_threshold)
    scale = np.float32(-0.5 / sigma) if sigma > 0 else np.float32(0)
    queue = [(-s, i, s, 0) for i, s in enumerate(scores.tolist()) if s > score_threshold]
    heapq.heapify(queue)
    selected: list[int] = []
    kept: list[float] = []
    while len(selected) < size and queue:
        _, i, score, begin = heapq.heappop(queue)
        original = score
        hard = False
        overlaps = similarity(i, np.asarray(selected[begin:], np.int64))[::-1]
        for sim in overlaps.tolist():
            exponent = float(scale * np.float32(sim) * np.float32(sim))
            soft_or_below = sigma > 0 or sim <= threshold
            weight = np.float32(np.exp(exponent)) if soft_or_below else 0  # expf, rounded
            score = float(np.float32(score * weight))
            if sigma <= 0 and sim > threshold:
                hard = True
                break
            if score <= score_threshold:
                break
        if hard:
            continue
        if score == original:
            selected.append(i)
            kept.append(score)
        elif score > score_threshold:
            heapq.heappush(queue, (-score, i, score, len(selected)))
    return np.asarray(selected, np.int32), np.asarray(kept, np.float32)


def _padded(values: np.ndarray, size: int) -> np.ndarray:
    return np.concatenate([values, np.zeros(size - len(values), values.dtype)])


def _nms_v3_kernel(ctx, op, boxes, scores, size, iou_threshold, score_threshold):
    size = _check_inputs(op, boxes, scores, size, overlaps=False)
    threshold = _scalar(op, "iou_threshold", iou_threshold)
    if not 0 <= threshold <= 1:
        raise errors.InvalidArgumentError(None, op, "iou_threshold must be in [0, 1]")
    similarity = lambda i, chosen: _iou(boxes, i, chosen)  # noqa: E731
    score_threshold = _scalar(op, "score_threshold", score_threshold)
    return _suppress(similarity, scores, size, threshold, score_threshold)[0]


def _nms_v4_kernel(ctx, op, boxes, scores, size, iou_threshold, score_threshold):
    indices = _nms_v3_kernel(ctx, op, boxes, scores, size, iou_threshold, score_threshold)
    count = np.int32(len(indices))
    if op._attrs["pad_to_max_output_size"]:
        indices = _padded(indices, int(size))
    return [indices, count]


def _nms_v5_kernel(ctx, op, boxes, scores, size, iou_threshold, score_threshold, sigma):
    size = _check_inputs(op, boxes, scores, size, overlaps=False)
    threshold = _scalar(op, "iou_threshold", iou_threshold)
    if not 0 <= threshold <= 1:
        raise errors.InvalidArgumentError(None, op, "iou_threshold must be in [0, 1]")
    sigma = _scalar(op, "soft_nms_sigma", sigma)
    if sigma < 0:
        raise errors.InvalidArgumentError(None, op, "soft_nms_sigma must be non-negative")
    similarity = lambda i, chosen: _iou(boxes, i, chosen)  # noqa: E731
    score_threshold = _scalar(op, "score_threshold", score_threshold)
    indices, kept = _suppress(similarity, scores, size, threshold, score_threshold, sigma)
    count = np.int32(len(indices))
    if op._attrs["pad_to_max_output_size"]:
        indices, kept = _padded(indices, size), _padded(kept, size)
    return [indices, kept.astype(scores.dtype), count]


def _nms_overlaps_kernel(ctx, op, overlaps, scores, size, threshold, score_threshold):
    size = _check_inputs(op, overlaps, scores, size, overlaps=True)
    threshold = _scalar(op, "overlap_threshold", threshold)
    similarity = lambda i, chosen: overlaps[i, chosen].astype(np.float32)  # noqa: E731
    score_threshold = _scalar(op, "score_threshold", score_threshold)
    return _suppress(similarity, scores, size, threshold, score_threshold)[0]


for _type, _kernel in (
    ("NonMaxSuppressionV3", _nms_v3_kernel),
    ("NonMaxSuppressionV4", _nms_v4_kernel),
    ("NonMaxSuppressionV5", _nms_v5_kernel),
):
    register_op(_type, _nms_infer(_type), kernel=_kernel, grad=NOT_DIFFERENTIABLE)
register_op(
    "NonMaxSuppressionWithOverlaps",
    _nms_infer("NonMaxSuppressionWithOverlaps", overlaps=True),
    kernel=_nms_overlaps_kernel,
    grad=NOT_DIFFERENTIABLE,
)


def _thresholds(iou_threshold, score_threshold, dtype=None) -> list:
    return [
        convert_to_tensor(iou_threshold, dtype=dtype, name="iou_threshold"),
        convert_to_tensor(score_threshold, dtype=dtype, name="score_threshold"),
    ]


def _gen_op(op_type: str, boxes, scores, max_output_size, rest, attrs=None, extra=()):
    """The op under its own scope, its tensor arguments converted there as TF's generated
    wrappers do (``extra``: (value, name) pairs converted after ``max_output_size``)."""
    with name_scope(None, op_type) as scope:
        boxes = convert_to_tensor(boxes, dtype_hint=dtypes.float32, name="boxes")
        scores = convert_to_tensor(scores, dtype_hint=dtypes.float32, name="scores")
        size = convert_to_tensor(max_output_size, dtype=dtypes.int32, name="max_output_size")
        tail = [convert_to_tensor(v, dtype=dtypes.float32, name=n) for v, n in extra]
        return apply_op(op_type, [boxes, scores, size, *rest, *tail], attrs, name=scope)


@undo.atomic
def non_max_suppression(
    boxes, scores, max_output_size, iou_threshold=0.5, score_threshold=float("-inf"), name=None
):
    """Indices of at most ``max_output_size`` boxes (``[y1, x1, y2, x2]`` rows of ``boxes``)
    chosen greedily by ``scores``, dropping those overlapping a chosen one by IOU above
    ``iou_threshold`` (and those scoring at most ``score_threshold``).

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     boxes = [[0, 0, 1, 1], [0, 0.1, 1, 1.1], [0, 2, 1, 3]]
    ...     picked = tf.image.non_max_suppression(boxes, [0.9, 0.8, 0.7], 3)
    ...     print(tf.Session().run(picked))
    [0 2]
    """
    with name_scope(name, "non_max_suppression"):
        rest = _thresholds(iou_threshold, score_threshold)
        return _gen_op("NonMaxSuppressionV3", boxes, scores, max_output_size, rest)


@undo.atomic
def non_max_suppression_padded(
    boxes,
    scores,
    max_output_size,
    iou_threshold=0.5,
    score_threshold=float("-inf"),
    pad_to_max_output_size=False,
    name=None,
):
    """:func:`non_max_suppression` returning ``(selected_indices, valid_outputs)``; with
    ``pad_to_max_output_size``, the indices padded with zeros to ``max_output_size``.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     boxes = [[0, 0, 1, 1], [0, 0.1, 1, 1.1], [0, 2, 1, 3]]
    ...     out = tf.image.non_max_suppression_padded(boxes, [0.9, 0.8, 0.7], 3, 0.5,
    ...                                               pad_to_max_output_size=True)
    ...     indices, valid = tf.Session().run(out)
    >>> indices, int(valid)
    (array([0, 2, 0], dtype=int32), 2)
    """
    with name_scope(name, "non_max_suppression_padded"):
        rest = _thresholds(iou_threshold, score_threshold)
        attrs = {"pad_to_max_output_size": bool(pad_to_max_output_size)}
        return tuple(_gen_op("NonMaxSuppressionV4", boxes, scores, max_output_size, rest, attrs))


@undo.atomic
def non_max_suppression_with_scores(
    boxes,
    scores,
    max_output_size,
    iou_threshold=0.5,
    score_threshold=float("-inf"),
    soft_nms_sigma=0.0,
    name=None,
):
    """``(selected_indices, selected_scores)`` of :func:`non_max_suppression`; a positive
    ``soft_nms_sigma`` decays overlapping boxes' scores (Soft-NMS) instead of dropping them.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     boxes = [[0, 0, 1, 1], [0, 0.5, 1, 1.5]]
    ...     out = tf.image.non_max_suppression_with_scores(boxes, [0.9, 0.8], 2,
    ...                                                    soft_nms_sigma=0.5)
    ...     print(tf.Session().run(out)[1].round(4))
    [0.9    0.7159]
    """
    with name_scope(name, "non_max_suppression_with_scores"):
        rest = [
            *_thresholds(iou_threshold, score_threshold),
            convert_to_tensor(soft_nms_sigma, name="soft_nms_sigma"),
        ]
        attrs = {"pad_to_max_output_size": False}
        indices, kept, _ = _gen_op(
            "NonMaxSuppressionV5", boxes, scores, max_output_size, rest, attrs
        )
        return indices, kept


@undo.atomic
def non_max_suppression_overlaps(
    overlaps,
    scores,
    max_output_size,
    overlap_threshold=0.5,
    score_threshold=float("-inf"),
    name=None,
):
    """:func:`non_max_suppression` with the overlaps given: ``overlaps[i, j]`` is how much
    box ``i`` overlaps box ``j`` (any measure), compared with ``overlap_threshold``."""
    with name_scope(name, "non_max_suppression_overlaps"):
        threshold = convert_to_tensor(overlap_threshold, name="overlap_threshold")
        extra = [(score_threshold, "score_threshold")]
        return _gen_op(
            "NonMaxSuppressionWithOverlaps",
            overlaps,
            scores,
            max_output_size,
            [threshold],
            extra=extra,
        )


__all__ = [
    "non_max_suppression",
    "non_max_suppression_overlaps",
    "non_max_suppression_padded",
    "non_max_suppression_with_scores",
]
