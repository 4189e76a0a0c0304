"""``tf.image.crop_and_resize`` (``CropAndResize``) and its gradients
(``CropAndResizeGradImage``, ``CropAndResizeGradBoxes``), as TF computes them.

Box ``[y1, x1, y2, x2]`` (normalized: 0 and 1 are the first and last pixel's centers) of image
``box_ind[i]`` is sampled on a ``crop_size`` grid, bilinearly or at the nearest pixel; samples
outside the image take ``extrapolation_value``. The kernels compute all boxes at once in
float32 in TF's order of operations; the box gradient is TF's (it treats the image as
piecewise bilinear and ignores the edges where a sample leaves the image).
"""

from __future__ import annotations

import numpy as np

from scopeflow.framework import dtypes, errors, undo
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.registry import NOT_DIFFERENTIABLE, register_op
from scopeflow.framework.tensor_shape import TensorShape
from scopeflow.ops.array.basic import shape
from scopeflow.ops.core.infer import apply_op, check_dtype_in, shape_value

_IMAGE_TYPES = (
    dtypes.uint8,
    dtypes.uint16,
    dtypes.int8,
    dtypes.int16,
    dtypes.int32,
    dtypes.int64,
    dtypes.float16,
    dtypes.float32,
    dtypes.float64,
)
_GRAD_TYPES = (dtypes.float32, dtypes.float16, dtypes.float64)


def _dims(t, rank: int) -> list:
    if t.shape.ndims is not None and t.shape.ndims != rank:
        raise ValueError(f"Shape must be rank {rank} but is rank {t.shape.ndims}")
    return t.shape.as_list() if t.shape.ndims is not None else [None] * rank


def _check_dim(value, want: int) -> None:
    if value is not None and value != want:
        raise ValueError(f"Dimension must be {want} but is {value}")


def _boxes_count(boxes, box_ind):
    """The number of boxes, from ``boxes`` ([N, 4]) and ``box_ind`` ([N]) checked together."""
    count, four = _dims(boxes, 2)
    _check_dim(four, 4)
    (indices,) = _dims(box_ind, 1)
    if count is not None and indices is not None and count != indices:
        raise ValueError(f"Dimensions must be equal, but are {count} and {indices}")
    return count if count is not None else indices


def _check_method(op_type: str, method, allowed=("bilinear", "nearest")) -> None:
    if method not in allowed:
        listed = ", ".join(f'"{m}"' for m in allowed)
        raise ValueError(
            f"Attr 'method' of '{op_type}' Op passed string '{method}' not in: {listed}."
        )


def _crop_infer(inputs, attrs):
    image, boxes, box_ind, crop_size = inputs
    _check_method("CropAndResize", attrs["method"])
    check_dtype_in("CropAndResize", "image", image, _IMAGE_TYPES)
    check_dtype_in("CropAndResize", "boxes", boxes, (dtypes.float32,))
    check_dtype_in("CropAndResize", "box_ind", box_ind, (dtypes.int32,))
    check_dtype_in("CropAndResize", "crop_size", crop_size, (dtypes.int32,))
    depth = _dims(image, 4)[3]
    count = _boxes_count(boxes, box_ind)
    _check_dim(_dims(crop_size, 1)[0], 2)
    size = shape_value(crop_size)
    height, width = size.as_list() if size.ndims == 2 else (None, None)
    return [(dtypes.float32, TensorShape([count, height, width, depth]))]


def _sample_grid(op, boxes, box_ind, crop_size, image_shape):
    """Each box's sample rows ``in_y`` [N, crop_h] and columns ``in_x`` [N, crop_w] in pixels
    (float32, TF's formulas), after TF's checks of the indices and sizes."""
    batch, height, width = (int(d) for d in image_shape[:3])
    crop_h, crop_w = (int(d) for d in crop_size)
    if crop_h <= 0 or crop_w <= 0:
        raise errors.InvalidArgumentError(None, op, "crop dimensions must be positive")
    if boxes.ndim != 2 or boxes.shape[1] != 4 or box_ind.shape != (boxes.shape[0],):
        raise errors.InvalidArgumentError(
            None,
            op,
            f"boxes must be [num_boxes, 4] and box_index [num_boxes], got shapes "
            f"{list(boxes.shape)} and {list(box_ind.shape)}",
        )
    if box_ind.size and (box_ind.min() < 0 or box_ind.max() >= batch):  # TF: OutOfRange
        raise errors.OutOfRangeError(
            None, op, f"box_index has values outside [0, batch_size): batch_size is {batch}"
        )
    boxes = boxes.astype(np.float32)

    def axis(low, high, size: int, crop: int):
        last = np.float32(size - 1)
        if crop == 1:  # TF: 0.5 * (y1 + y2) * (size - 1), in double
            return ((0.5 * (low + high).astype(np.float64)) * (size - 1)).astype(np.float32)[
                :, None
            ]
        scale = (high - low) * last / np.float32(crop - 1)
        steps = np.arange(crop, dtype=np.float32)
        return low[:, None] * last + steps[None, :] * scale[:, None]

    in_y = axis(boxes[:, 0], boxes[:, 2], height, crop_h)
    in_x = axis(boxes[:, 1], boxes[:, 3], width, crop_w)
    return in_y, in_x, (height, width)


class _Taps:
    """Where the bilinear samples of every box fall: the four pixels around each sample
    (indices clamped into the image), the fractions between them, and which samples lie
    inside the image."""

    def __init__(self, in_y, in_x, size):
        height, width = size
        self.inside = ((in_y >= 0) & (in_y <= height - 1))[:, :, None] & (
            (in_x >= 0) & (in_x <= width - 1)
        )[:, None, :]
        top, left = np.floor(in_y), np.floor(in_x)
        self.y_lerp = (in_y - top)[:, :, None, None]
        self.x_lerp = (in_x - left)[:, None, :, None]
        self.top = np.clip(top, 0, height - 1).astype(np.int64)
        self.bottom = np.clip(np.ceil(in_y), 0, height - 1).astype(np.int64)
        self.left = np.clip(left, 0, width - 1).astype(np.int64)
        self.right = np.clip(np.ceil(in_x), 0, width - 1).astype(np.int64)

    def corners(self, image, box_ind):
        """The four corner pixels of each sample, [N, crop_h, crop_w, depth] float32 each."""
        b = box_ind[:, None, None]
        rows = (self.top[:, :, None], self.bottom[:, :, None])
        cols = (self.left[:, None, :], self.right[:, None, :])
        return [image[b, r, c].astype(np.float32) for r in rows for c in cols]


def _round_half_away(x):
    return (np.sign(x) * np.floor(np.abs(x) + np.float32(0.5))).astype(np.int64)


def _crop_kernel(ctx, op, image, boxes, box_ind, crop_size):
    if image.ndim != 4 or min(image.shape[1:3]) <= 0:
        raise errors.InvalidArgumentError(
            None,
            op,
            f"input image must be 4-D with positive height and width, got shape "
            f"{list(image.shape)}",
        )
    in_y, in_x, size = _sample_grid(op, boxes, box_ind, crop_size, image.shape)
    extrapolation = np.float32(op._attrs["extrapolation_value"])
    if op._attrs["method"] == "nearest":
        taps = _Taps(in_y, in_x, size)
        rows = np.clip(_round_half_away(in_y), 0, size[0] - 1)
        cols = np.clip(_round_half_away(in_x), 0, size[1] - 1)
        out = image[box_ind[:, None, None], rows[:, :, None], cols[:, None, :]]
        out = out.astype(np.float32)
    else:
        taps = _Taps(in_y, in_x, size)
        top_left, top_right, bottom_left, bottom_right = taps.corners(image, box_ind)
        top = top_left + (top_right - top_left) * taps.x_lerp
        bottom = bottom_left + (bottom_right - bottom_left) * taps.x_lerp
        out = top + (bottom - top) * taps.y_lerp
    return np.where(taps.inside[..., None], out, extrapolation).astype(np.float32)


def _crop_grad(op, grad):
    """TF's: the image's gradient (float images only) and the boxes'."""
    image, boxes, box_ind, _ = op.inputs
    grads = [None, None, None, None]
    if image.dtype.base_dtype in _GRAD_TYPES:
        if image.shape.is_fully_defined():
            image_shape = image.shape.as_list()
        else:
            image_shape = shape(image)
        with name_scope(None, "CropAndResizeGradImage") as scope:
            image_size = convert_to_tensor(image_shape, dtype=dtypes.int32, name="image_size")
            attrs = {"T": image.dtype.base_dtype, "method": op._attrs["method"]}
            grads[0] = apply_op(
                "CropAndResizeGradImage", [grad, boxes, box_ind, image_size], attrs, name=scope
            )
    grads[1] = apply_op(
        "CropAndResizeGradBoxes",
        [grad, image, boxes, box_ind],
        {"method": "bilinear"},
        name="CropAndResizeGradBoxes",
    )
    return grads


register_op("CropAndResize", _crop_infer, kernel=_crop_kernel, grad=_crop_grad)


def _grad_image_infer(inputs, attrs):
    grads, boxes, box_ind, image_size = inputs
    _check_method("CropAndResizeGradImage", attrs["method"])
    check_dtype_in("CropAndResizeGradImage", "grads", grads, (dtypes.float32,))
    if attrs["T"] not in _GRAD_TYPES:
        names = ", ".join(d.name for d in _GRAD_TYPES)
        raise TypeError(f"CropAndResizeGradImage's T must be one of {names}, got {attrs['T'].name}")
    _dims(grads, 4)
    _boxes_count(boxes, box_ind)
    _check_dim(_dims(image_size, 1)[0], 4)
    return [(attrs["T"], shape_value(image_size) if image_size.shape.ndims else TensorShape(None))]


def _grad_image_kernel(ctx, op, grads, boxes, box_ind, image_size):
    image_size = [int(d) for d in image_size]
    in_y, in_x, size = _sample_grid(op, boxes, box_ind, grads.shape[1:3], image_size)
    out = np.zeros(image_size, np.float64)
    taps = _Taps(in_y, in_x, size)
    grads = np.where(taps.inside[..., None], grads.astype(np.float32), np.float32(0))
    b = box_ind[:, None, None]
    if op._attrs["method"] == "nearest":
        rows = np.clip(_round_half_away(in_y), 0, size[0] - 1)[:, :, None]
        cols = np.clip(_round_half_away(in_x), 0, size[1] - 1)[:, None, :]
        np.add.at(out, (b, rows, cols), grads)
    else:
        top, bottom = taps.top[:, :, None], taps.bottom[:, :, None]
        left, right = taps.left[:, None, :], taps.right[:, None, :]
        dtop = (1 - taps.y_lerp) * grads
        dbottom = taps.y_lerp * grads
        np.add.at(out, (b, top, left), (1 - taps.x_lerp) * dtop)
        np.add.at(out, (b, top, right), taps.x_lerp * dtop)
        np.add.at(out, (b, bottom, left), (1 - taps.x_lerp) * dbottom)
        np.add.at(out, (b, bottom, right), taps.x_lerp * dbottom)
    return out.astype(op._attrs["T"].as_numpy_dtype)


register_op(
    "CropAndResizeGradImage",
    _grad_image_infer,
    kernel=_grad_image_kernel,
    grad=NOT_DIFFERENTIABLE,
)


def _grad_boxes_infer(inputs, attrs):
    grads, image, boxes, box_ind = inputs
    _check_method("CropAndResizeGradBoxes", attrs["method"], ("bilinear",))
    check_dtype_in("CropAndResizeGradBoxes", "grads", grads, (dtypes.float32,))
    check_dtype_in("CropAndResizeGradBoxes", "image", image, _IMAGE_TYPES)
    _dims(grads, 4)
    _dims(image, 4)
    count = _boxes_count(boxes, box_ind)
    return [(dtypes.float32, TensorShape([count, 4]))]


def _grad_boxes_kernel(ctx, op, grads, image, boxes, box_ind):
    in_y, in_x, size = _sample_grid(op, boxes, box_ind, grads.shape[1:3], image.shape)
    taps = _Taps(in_y, in_x, size)
    top_left, top_right, bottom_left, bottom_right = taps.corners(image, box_ind)
    grads = np.where(taps.inside[..., None], grads.astype(np.float32), np.float32(0))
    y_grad = (1 - taps.x_lerp) * (bottom_left - top_left) + taps.x_lerp * (bottom_right - top_right)
    x_grad = (1 - taps.y_lerp) * (top_right - top_left) + taps.y_lerp * (bottom_right - bottom_left)
    y_grad = (grads * y_grad).sum(axis=(2, 3), dtype=np.float64)  # [N, crop_h]
    x_grad = (grads * x_grad).sum(axis=(1, 3), dtype=np.float64)  # [N, crop_w]
    out = np.zeros((boxes.shape[0], 4), np.float64)
    for (low, high), along, (length, crop) in (
        ((0, 2), y_grad, (size[0], grads.shape[1])),
        ((1, 3), x_grad, (size[1], grads.shape[2])),
    ):
        if crop > 1:
            ratio = np.float32(length - 1) / np.float32(crop - 1)
            steps = np.arange(crop) * ratio
            out[:, low] = along @ (length - 1 - steps)
            out[:, high] = along @ steps
        else:
            out[:, low] = out[:, high] = along[:, 0] * 0.5 * (length - 1)
    return out.astype(np.float32)


register_op(
    "CropAndResizeGradBoxes",
    _grad_boxes_infer,
    kernel=_grad_boxes_kernel,
    grad=NOT_DIFFERENTIABLE,
)


@undo.atomic
def crop_and_resize(
    image,
    boxes,
    box_ind=None,
    crop_size=None,
    method="bilinear",
    extrapolation_value=0,
    name=None,
    box_indices=None,
):
    """Crops ``boxes`` (``[y1, x1, y2, x2]`` rows, normalized coordinates) out of images
    ``box_ind`` of the NHWC batch ``image`` and resizes each to ``crop_size`` (``[height,
    width]``) by ``method`` ("bilinear" or "nearest"); float32 ``[num_boxes, height, width,
    depth]``. Samples outside the image are ``extrapolation_value``. ``box_indices`` is TF2's
    name for ``box_ind``.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     img = tf.reshape(tf.range(9.0), [1, 3, 3, 1])
    ...     crop = tf.image.crop_and_resize(img, [[0.0, 0.0, 0.5, 0.5]], [0], [2, 2])
    ...     print(tf.Session().run(crop)[0, :, :, 0])
    [[0. 1.]
     [3. 4.]]
    """
    if box_ind is not None and box_indices is not None:
        raise ValueError("Cannot specify both 'box_ind' and 'box_indices'.")
    box_ind = box_indices if box_ind is None else box_ind
    with name_scope(name, "CropAndResize", [image, boxes, box_ind]) as scope:
        image = convert_to_tensor(image, name="image")
        boxes = convert_to_tensor(boxes, dtype=dtypes.float32, name="boxes")
        box_ind = convert_to_tensor(box_ind, dtype=dtypes.int32, name="box_ind")
        crop_size = convert_to_tensor(crop_size, dtype=dtypes.int32, name="crop_size")
        attrs = {"method": method, "extrapolation_value": float(extrapolation_value)}
        return apply_op("CropAndResize", [image, boxes, box_ind, crop_size], attrs, name=scope)


__all__ = ["crop_and_resize"]
