"""``tf.image.draw_bounding_boxes`` (``DrawBoundingBoxes``, ``DrawBoundingBoxesV2`` with
``colors``) as TF's CPU kernel draws.

Box ``[y_min, x_min, y_max, x_max]`` (relative; 0 and 1 are the first and last pixel)
becomes the rows ``trunc(y * (height - 1))`` and columns likewise, in float32 as TF; its four
edges are painted with the box's colour (TF's table of ten by default, box ``i`` taking colour
``i % len(table)``; a one-channel image paints white), an edge outside the image is skipped and
an inverted box is not drawn. As in TF, ``DrawBoundingBoxes`` is not differentiable and
``DrawBoundingBoxesV2`` has no gradient (``tf.gradients`` through it raises ``LookupError``).
"""

from __future__ import annotations

import numpy as np

from scopeflow.framework import dtypes, errors, undo
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.registry import NOT_DIFFERENTIABLE, register_op
from scopeflow.framework.tensor_shape import TensorShape
from scopeflow.ops.core.infer import apply_op, check_dtype_in

_DRAW_TYPES = (dtypes.float32, dtypes.float16)
# TF's default colours (RGBA), box i taking row i % 10.
_COLOR_TABLE = np.array(
    [
        [1, 1, 0, 1],
        [0, 0, 1, 1],
        [1, 0, 0, 1],
        [0, 1, 0, 1],
        [0.5, 0, 0.5, 1],
        [0.5, 0.5, 0, 1],
        [0.5, 0, 0, 1],
        [0, 0, 0.5, 1],
        [0, 1, 1, 1],
        [1, 0, 1, 1],
    ],
    np.float32,
)


def _with_rank(t, rank: int) -> list:
    if t.shape.ndims is not None and t.shape.ndims != rank:
        raise ValueError(f"Shape must be rank {rank} but is rank {t.shape.ndims}")
    return t.shape.as_list() if t.shape.ndims is not None else [None] * rank


def _draw_infer(op_type: str):
    def infer(inputs, attrs):
        images, boxes, *colors = inputs
        dtype = check_dtype_in(op_type, "images", images, _DRAW_TYPES)
        check_dtype_in(op_type, "boxes", boxes, (dtypes.float32,))
        dims = _with_rank(images, 4)
        box_dims = _with_rank(boxes, 3)
        if box_dims[2] is not None and box_dims[2] != 4:
            raise ValueError(f"Dimension must be 4 but is {box_dims[2]}")
        if dims[3] is not None and dims[3] not in (1, 3, 4):
            raise ValueError("Channel depth should be either 1 (GRY), 3 (RGB), or 4 (RGBA)")
        for c in colors:
            check_dtype_in(op_type, "colors", c, (dtypes.float32,))
        return [(dtype, TensorShape(dims))]

    return infer


def _draw_kernel(ctx, op, images, boxes, colors=None):
    if images.ndim != 4:
        raise errors.InvalidArgumentError(
            None, op, f"images must be 4-D{list(images.shape)}".replace(" ", "")
        )
    if boxes.shape[0] != images.shape[0]:
        raise errors.InvalidArgumentError(None, op, "The batch sizes should be the same")
    batch, height, width, depth = images.shape
    table = None
    if colors is not None:
        if colors.ndim != 2:
            raise errors.InvalidArgumentError(
                None, op, f"colors must be a 2-D matrix{list(colors.shape)}".replace(" ", "")
            )
        if colors.shape[0]:
            if colors.shape[1] < depth:
                shape = list(colors.shape)
                raise errors.InvalidArgumentError(
                    None,
                    op,
                    "colors must have equal or more channels than the image provided: "
                    + str(shape).replace(" ", ""),
                )
            table = colors.astype(np.float32)[:, :depth]
    if table is None:
        table = _COLOR_TABLE[:, :depth].copy()
        if depth == 1:
            table[:, 0] = 1  # the default colours on a gray image are white
    canvas = images.copy()
    corners = boxes.astype(np.float32)
    # TF truncates float32 products toward zero: rows and columns may lie outside the image.
    rows = np.trunc(corners[..., [0, 2]] * np.float32(height - 1)).astype(np.int64)
    cols = np.trunc(corners[..., [1, 3]] * np.float32(width - 1)).astype(np.int64)
    for b in range(batch):
        for i in range(boxes.shape[1]):
            color = table[i % len(table)].astype(images.dtype)
            (top, bottom), (left, right) = rows[b, i], cols[b, i]
            if top > bottom or left > right:  # inverted: not drawn
                continue
            if top >= height or bottom < 0 or left >= width or right < 0:  # outside
                continue
            r0, r1 = max(top, 0), min(bottom, height - 1)
            c0, c1 = max(left, 0), min(right, width - 1)
            if top >= 0:
                canvas[b, top, c0 : c1 + 1] = color
            if bottom < height:
                canvas[b, bottom, c0 : c1 + 1] = color
            if left >= 0:
                canvas[b, r0 : r1 + 1, left] = color
            if right < width:
                canvas[b, r0 : r1 + 1, right] = color
    return canvas


def _hint(value):
    return None if isinstance(value, (np.ndarray, np.generic)) else dtypes.float32


def _no_gradient(op, grad):
    # TF registers no gradient for DrawBoundingBoxesV2: tf.gradients through one is an error.
    raise LookupError(
        f"No gradient defined for operation '{op.name}' (op type: {op.type}). In general every "
        "operation must have an associated `@tf.RegisterGradient` for correct autodiff, which "
        "this op is lacking. If you want to pretend this operation is a constant in your "
        "program, you may insert `tf.stop_gradient`."
    )


register_op(
    "DrawBoundingBoxes",
    _draw_infer("DrawBoundingBoxes"),
    kernel=_draw_kernel,
    grad=NOT_DIFFERENTIABLE,
)
register_op(
    "DrawBoundingBoxesV2",
    _draw_infer("DrawBoundingBoxesV2"),
    kernel=_draw_kernel,
    grad=_no_gradient,
)


@undo.atomic
def draw_bounding_boxes(images, boxes, name=None, colors=None):
    """``images`` (``[batch, height, width, 1, 3 or 4]``, float32 or float16) with the boxes
    ``[batch, num_boxes, 4]`` (``[y_min, x_min, y_max, x_max]``, relative) outlined, each in
    ``colors[i % len(colors)]`` (TF's ten colours when None).

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     drawn = tf.image.draw_bounding_boxes(tf.zeros([1, 3, 3, 1]), [[[0, 0, 1, 1]]])
    ...     print(tf.Session().run(drawn)[0, :, :, 0])
    [[1. 1. 1.]
     [1. 0. 1.]
     [1. 1. 1.]]
    """
    op_type = "DrawBoundingBoxes" if colors is None else "DrawBoundingBoxesV2"
    with name_scope(name, op_type) as scope:
        inputs = [
            # A NumPy array keeps its dtype (float16 images stay float16), as in TF.
            convert_to_tensor(images, dtype_hint=_hint(images), name="images"),
            convert_to_tensor(boxes, dtype_hint=dtypes.float32, name="boxes"),
        ]
        if colors is not None:
            inputs.append(convert_to_tensor(colors, dtype_hint=dtypes.float32, name="colors"))
        return apply_op(op_type, inputs, name=scope)


__all__ = ["draw_bounding_boxes"]
