"""``tf.image.combined_non_max_suppression`` (``CombinedNonMaxSuppression``): greedy
non-max suppression per image and per class, the classes' picks merged by score.

For each image and class, the boxes scoring above ``score_threshold`` are taken greedily by
score (the box of that class, or the one shared box when ``boxes``' third dimension is 1),
dropping those whose IOU with a chosen one exceeds ``iou_threshold``, at most
``max_output_size_per_class`` of them (the loop of ``nms.py``). The picks of all classes are
then sorted by score and the first
``max_total_size`` kept, with their boxes clipped to [0, 1] when ``clip_boxes``; the outputs
are padded with zeros to ``max_total_size`` rows, or with ``pad_per_class`` to
``min(max_total_size, max_output_size_per_class * num_classes)``.

TF's kernel orders boxes by score alone, in a C++ heap and ``std::sort``; equal scores come
out in the order those leave them, which ``ops/kernels/std_order.py`` reproduces.
"""

from __future__ import annotations

from collections import namedtuple

import numpy as np

from scopeflow.framework import dtypes, errors, undo
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.registry import NOT_DIFFERENTIABLE, register_op
from scopeflow.framework.tensor_shape import TensorShape
from scopeflow.ops.core.infer import apply_op, constant_value
from scopeflow.ops.image.nms import _iou, _scalar
from scopeflow.ops.kernels.std_order import heap_pop, heap_push, std_sort

_OP = "CombinedNonMaxSuppression"
CombinedNonMaxSuppression = namedtuple(
    _OP, ["nmsed_boxes", "nmsed_scores", "nmsed_classes", "valid_detections"]
)
_INPUTS = ("boxes", "scores", "max_output_size_per_class", "max_total_size")


def _check_type(arg: str, t, want) -> None:
    if t.dtype.base_dtype != want:
        raise TypeError(
            f"Input '{arg}' of '{_OP}' Op has type {t.dtype.base_dtype.name} that does not "
            f"match expected type of {want.name}."
        )


def _rank(t, rank: int) -> list:
    if t.shape.ndims is None:
        return [None] * rank
    if t.shape.ndims != rank:
        raise ValueError(f"Shape must be rank {rank} but is rank {t.shape.ndims}")
    return t.shape.as_list()


def _merge(a, b):
    if a is not None and b is not None and a != b:
        raise ValueError(f"Dimensions must be equal, but are {a} and {b}")
    return a if a is not None else b


def _known_size(t, index: int):
    value = constant_value(t)
    if value is None:
        return None
    value = int(value)
    if value < 0:
        raise ValueError(
            f"Dimension size, given by scalar input {index}, must be non-negative but is {value}"
        )
    return value


def _combined_nms_infer(inputs, attrs):
    boxes, scores, per_class, total, iou, score_threshold = inputs
    for arg, t in zip(_INPUTS, inputs[:4], strict=True):
        _check_type(arg, t, dtypes.float32 if arg in ("boxes", "scores") else dtypes.int32)
    _check_type("iou_threshold", iou, dtypes.float32)
    _check_type("score_threshold", score_threshold, dtypes.float32)
    box_shape, score_shape = _rank(boxes, 4), _rank(scores, 3)
    for t in inputs[2:]:
        _rank(t, 0)
    batch = _merge(box_shape[0], score_shape[0])
    _merge(box_shape[1], score_shape[1])
    q, classes = box_shape[2], score_shape[2]
    if q is not None and classes is not None and q not in (1, classes):
        raise ValueError(
            "third dimension of boxes must be either 1 or equal to the third dimension of scores"
        )
    if box_shape[3] is not None and box_shape[3] != 4:
        raise ValueError(f"Dimension must be 4 but is {box_shape[3]}")
    per_class, total = _known_size(per_class, 2), _known_size(total, 3)
    rows = total
    if attrs["pad_per_class"]:
        known = None not in (per_class, total, classes)
        rows = min(total, per_class * classes) if known else None
    return [
        (dtypes.float32, TensorShape([batch, rows, 4])),
        (dtypes.float32, TensorShape([batch, rows])),
        (dtypes.float32, TensorShape([batch, rows])),
        (dtypes.int32, TensorShape([batch])),
    ]


def _check_shapes(op, boxes, scores) -> None:
    if boxes.ndim != 4:
        raise errors.InvalidArgumentError(
            None, op, f"boxes must be 4-D [batch, boxes, q, 4], got shape {list(boxes.shape)}"
        )
    if boxes.shape[3] != 4:
        raise errors.InvalidArgumentError(
            None, op, f"boxes must have 4 columns, got shape {list(boxes.shape)}"
        )
    if scores.ndim != 3 or scores.shape[:2] != boxes.shape[:2]:
        raise errors.InvalidArgumentError(
            None,
            op,
            f"scores has incompatible shape {list(scores.shape)} for boxes of shape "
            f"{list(boxes.shape)}",
        )
    if boxes.shape[2] not in (1, scores.shape[2]):
        raise errors.InvalidArgumentError(
            None,
            op,
            f"third dimension of boxes must be either 1 or num classes ({scores.shape[2]}), "
            f"got shape {list(boxes.shape)}",
        )


def _lower_score(a, b) -> bool:
    return a[0] < b[0]


def _higher_score(a, b) -> bool:
    return a[0] > b[0]


def _class_picks(boxes, scores, size: int, iou: float, score_threshold: float) -> list:
    """The boxes one class keeps: taken from a heap of those above the score threshold (by
    score alone, as TF's), dropped when they overlap a kept one by more than ``iou``."""
    heap: list = []
    for i, s in enumerate(scores.astype(np.float32).tolist()):
        if s > score_threshold:
            heap_push(heap, (s, i), _lower_score)
    chosen: list[int] = []
    while heap and len(chosen) < size:
        _, i = heap_pop(heap, _lower_score)
        if not chosen or (_iou(boxes, i, np.asarray(chosen)) <= np.float32(iou)).all():
            chosen.append(i)
    return chosen


def _combined_nms_kernel(ctx, op, boxes, scores, per_class, total, iou, score_threshold):
    _check_shapes(op, boxes, scores)
    per_class = int(_scalar(op, "max_output_size_per_class", per_class))
    total = int(_scalar(op, "max_total_size", total))
    if per_class <= 0:
        raise errors.InvalidArgumentError(
            None, op, f"max_size_per_class must be positive, got {per_class}"
        )
    if total <= 0:
        raise errors.InvalidArgumentError(None, op, f"max_total_size must be > 0, got {total}")
    iou = _scalar(op, "iou_threshold", iou)
    if not 0 <= iou <= 1:
        raise errors.InvalidArgumentError(None, op, "iou_threshold must be in [0, 1]")
    score_threshold = _scalar(op, "score_threshold", score_threshold)
    batch, _, q, classes = *boxes.shape[:3], scores.shape[2]
    rows = min(total, per_class * classes) if op._attrs["pad_per_class"] else total
    out_boxes = np.zeros((batch, rows, 4), np.float32)
    out_scores = np.zeros((batch, rows), np.float32)
    out_classes = np.zeros((batch, rows), np.float32)
    valid = np.zeros(batch, np.int32)
    for b in range(batch):
        picks = []  # (score, class, box)
        for c in range(classes):
            class_boxes = boxes[b, :, 0 if q == 1 else c]
            chosen = _class_picks(class_boxes, scores[b, :, c], per_class, iou, score_threshold)
            picks += [(scores[b, i, c], c, class_boxes[i]) for i in chosen]
        std_sort(picks, _higher_score)
        picks = picks[:rows]
        valid[b] = len(picks)
        for row, (score, c, box) in enumerate(picks):
            out_boxes[b, row] = np.clip(box, 0, 1) if op._attrs["clip_boxes"] else box
            out_scores[b, row], out_classes[b, row] = score, c
    return [out_boxes, out_scores, out_classes, valid]


register_op(
    _OP,
    _combined_nms_infer,
    kernel=_combined_nms_kernel,
    grad=NOT_DIFFERENTIABLE,
)


@undo.atomic
def combined_non_max_suppression(
    boxes,
    scores,
    max_output_size_per_class,
    max_total_size,
    iou_threshold=0.5,
    score_threshold=float("-inf"),
    pad_per_class=False,
    clip_boxes=True,
    name=None,
):
    """Greedy non-max suppression of a batch of images, class by class, merged by score.

    Args:
        boxes: float32 ``[batch, num_boxes, q, 4]`` (``q`` 1: one box for all classes, else
            one per class), ``[y1, x1, y2, x2]`` rows.
        scores: float32 ``[batch, num_boxes, num_classes]``.
        max_output_size_per_class: boxes kept per class at most.
        max_total_size: boxes kept per image at most.
        pad_per_class: pad to ``min(max_total_size, max_output_size_per_class *
            num_classes)`` rows instead of ``max_total_size``.
        clip_boxes: clip the boxes returned to [0, 1].

    Returns:
        ``(nmsed_boxes, nmsed_scores, nmsed_classes, valid_detections)``, zero past each
        image's ``valid_detections``.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     boxes = [[[[0, 0, 1, 1]], [[0, 0.1, 1, 1.1]], [[0, 2, 1, 3]]]]
    ...     scores = [[[0.9, 0.1], [0.8, 0.7], [0.2, 0.3]]]
    ...     out = tf.image.combined_non_max_suppression(boxes, scores, 2, 3)
    ...     print(tf.Session().run(out.nmsed_classes), tf.Session().run(out.nmsed_scores))
    [[0. 1. 1.]] [[0.9 0.7 0.3]]
    """
    with name_scope(name, "combined_non_max_suppression"):
        rest = [
            convert_to_tensor(iou_threshold, dtype=dtypes.float32, name="iou_threshold"),
            convert_to_tensor(score_threshold, dtype=dtypes.float32, name="score_threshold"),
        ]
        total = convert_to_tensor(max_total_size)
        attrs = {"pad_per_class": bool(pad_per_class), "clip_boxes": bool(clip_boxes)}
        with name_scope(None, _OP) as scope:
            boxes = convert_to_tensor(boxes, dtype_hint=dtypes.float32, name="boxes")
            scores = convert_to_tensor(scores, dtype_hint=dtypes.float32, name="scores")
            per_class = convert_to_tensor(
                max_output_size_per_class, dtype_hint=dtypes.int32, name="max_output_size_per_class"
            )
            outs = apply_op(_OP, [boxes, scores, per_class, total, *rest], attrs, name=scope)
        return CombinedNonMaxSuppression(*outs)


__all__ = ["combined_non_max_suppression"]
