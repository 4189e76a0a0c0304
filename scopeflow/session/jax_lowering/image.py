"""JAX lowerings of the image ops: resizes (their sampling matrices read off the NumPy kernel
run on a basis, so they are the kernel's by construction), patches, crops, colour.

The separable resizes (bilinear, bicubic, area) are linear in the image and act on each axis
alone: ``out = R @ image @ C^T`` per channel. Their kernels, run on an identity image with
the other axis kept at one pixel, give ``R`` and ``C``; gradients are the transposed
products. The ops that pick pixels (nearest neighbour, patches) run their kernel on indices.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np

from scopeflow.framework import errors
from scopeflow.framework.registry import get_op_def
from scopeflow.session.jax_lowering.common import moved, out_dtype, static


def _axis_matrices(forward, op, in_hw, out_hw):
    """``R`` [out_h, in_h] and ``C`` [out_w, in_w] of resize kernel ``forward``."""
    (in_h, in_w), (out_h, out_w) = in_hw, out_hw
    rows = forward(None, op, np.eye(in_h, dtype=np.float32)[:, :, None, None], [out_h, 1])
    cols = forward(None, op, np.eye(in_w, dtype=np.float32)[:, None, :, None], [1, out_w])
    return np.asarray(rows)[:, :, 0, 0].T, np.asarray(cols)[:, 0, :, 0].T


def _work(dtype):
    return jnp.float64 if dtype in (jnp.float64, jnp.int64) else jnp.float32


def _resize(ctx, op, images, size):
    images = jnp.asarray(images)
    out_hw = [int(d) for d in static(size)]
    work = _work(images.dtype)
    rows, cols = _axis_matrices(op.op_def.kernel, op, images.shape[1:3], out_hw)
    out = jnp.einsum("yh,bhwc,xw->byxc", rows.astype(work), images.astype(work), cols.astype(work))
    return out.astype(jnp.float32)


def _resize_grad(forward_type: str):
    """``ResizeBilinearGrad``/``ResizeBicubicGrad``: the forward's matrices transposed."""

    def lower(ctx, op, grads, image):
        forward = get_op_def(forward_type).kernel
        grads = jnp.asarray(grads)
        dtype = jnp.asarray(image).dtype
        rows, cols = _axis_matrices(forward, op, image.shape[1:3], grads.shape[1:3])
        work = _work(dtype)
        out = jnp.einsum(
            "yh,byxc,xw->bhwc", rows.astype(work), grads.astype(work), cols.astype(work)
        )
        return out.astype(dtype)

    return lower


def _resize_nearest(ctx, op, images, size):
    return moved(op.op_def.kernel, ctx, op, jnp.asarray(images), size)


def _resize_nearest_grad(ctx, op, grads, size):
    """The transpose of the nearest-neighbour gather: each gradient added onto its source."""
    grads = jnp.asarray(grads)
    height, width = (int(d) for d in static(size))
    forward = get_op_def("ResizeNearestNeighbor").kernel
    zeros = jnp.zeros((grads.shape[0], height, width, grads.shape[3]), grads.dtype)
    pick = lambda x: moved(forward, ctx, op, x, np.asarray(grads.shape[1:3]))  # noqa: E731
    return jax.vjp(pick, zeros)[1](grads)[0]


def _moved_with_zeros(ctx, op, x):
    """An op that picks elements of ``x`` or zeros (padding): its kernel run on the indices
    counted from 1, 0 picking a zero."""
    x = jnp.asarray(x)
    index = np.arange(1, x.size + 1, dtype=np.int64).reshape(x.shape)
    picked = np.asarray(op.op_def.kernel(ctx, op, index))
    flat = jnp.concatenate([jnp.zeros(1, x.dtype), jnp.ravel(x)])
    return flat[picked]


# -- CropAndResize -----------------------------------------------------------------------------


def _sample_grid(boxes, crop_hw, image_hw):
    """Each box's sample rows [N, crop_h] and columns [N, crop_w] in pixels (TF's formulas)."""
    boxes = jnp.asarray(boxes).astype(jnp.float32)

    def axis(low, high, size: int, crop: int):
        last = np.float32(size - 1)
        if crop == 1:  # TF: 0.5 * (y1 + y2) * (size - 1), in double
            mid = 0.5 * (low + high).astype(jnp.float64) * (size - 1)
            return mid.astype(jnp.float32)[:, None]
        scale = (high - low) * last / np.float32(crop - 1)
        steps = jnp.arange(crop, dtype=jnp.float32)
        return low[:, None] * last + steps[None, :] * scale[:, None]

    in_y = axis(boxes[:, 0], boxes[:, 2], image_hw[0], crop_hw[0])
    in_x = axis(boxes[:, 1], boxes[:, 3], image_hw[1], crop_hw[1])
    return in_y, in_x


def _round_half_away(x):
    return (jnp.sign(x) * jnp.floor(jnp.abs(x) + np.float32(0.5))).astype(jnp.int64)


def _inside(in_y, in_x, height: int, width: int):
    rows = (in_y >= 0) & (in_y <= height - 1)
    cols = (in_x >= 0) & (in_x <= width - 1)
    return rows[:, :, None] & cols[:, None, :]


def _taps(in_y, in_x, height: int, width: int):
    """The pixel rows and columns around each sample (clamped) and the fractions between."""
    top, left = jnp.floor(in_y), jnp.floor(in_x)
    rows = [jnp.clip(v, 0, height - 1).astype(jnp.int64) for v in (top, jnp.ceil(in_y))]
    cols = [jnp.clip(v, 0, width - 1).astype(jnp.int64) for v in (left, jnp.ceil(in_x))]
    return rows, cols, (in_y - top)[:, :, None, None], (in_x - left)[:, None, :, None]


def _corners(image, box_ind, rows, cols):
    """top-left, top-right, bottom-left, bottom-right pixels, [N, crop_h, crop_w, depth]."""
    b = jnp.asarray(box_ind)[:, None, None]
    return [image[b, r[:, :, None], c[:, None, :]].astype(jnp.float32) for r in rows for c in cols]


def _crop(op, image, boxes, box_ind, crop_hw):
    height, width = image.shape[1:3]
    in_y, in_x = _sample_grid(boxes, crop_hw, (height, width))
    if op._attrs["method"] == "nearest":
        rows = jnp.clip(_round_half_away(in_y), 0, height - 1)[:, :, None]
        cols = jnp.clip(_round_half_away(in_x), 0, width - 1)[:, None, :]
        out = image[jnp.asarray(box_ind)[:, None, None], rows, cols].astype(jnp.float32)
    else:
        rows, cols, y_lerp, x_lerp = _taps(in_y, in_x, height, width)
        top_left, top_right, bottom_left, bottom_right = _corners(image, box_ind, rows, cols)
        top = top_left + (top_right - top_left) * x_lerp
        bottom = bottom_left + (bottom_right - bottom_left) * x_lerp
        out = top + (bottom - top) * y_lerp
    extrapolation = np.float32(op._attrs.get("extrapolation_value", 0.0))  # none in the grad
    return jnp.where(_inside(in_y, in_x, height, width)[..., None], out, extrapolation)


def _crop_and_resize(ctx, op, image, boxes, box_ind, crop_size):
    crop_hw = [int(d) for d in static(crop_size)]
    return _crop(op, jnp.asarray(image), boxes, box_ind, crop_hw).astype(jnp.float32)


def _crop_grad_image(ctx, op, grads, boxes, box_ind, image_size):
    """The transpose of the crop (linear in the image): ``jax.vjp`` of it in float32."""
    grads = jnp.asarray(grads)
    zeros = jnp.zeros([int(d) for d in static(image_size)], jnp.float32)
    crop = lambda x: _crop(op, x, boxes, box_ind, grads.shape[1:3])  # noqa: E731
    return jax.vjp(crop, zeros)[1](grads.astype(jnp.float32))[0].astype(out_dtype(op))


def _crop_grad_boxes(ctx, op, grads, image, boxes, box_ind):
    grads, image = jnp.asarray(grads), jnp.asarray(image)
    height, width = image.shape[1:3]
    crop_h, crop_w = grads.shape[1:3]
    in_y, in_x = _sample_grid(boxes, (crop_h, crop_w), (height, width))
    rows, cols, y_lerp, x_lerp = _taps(in_y, in_x, height, width)
    top_left, top_right, bottom_left, bottom_right = _corners(image, box_ind, rows, cols)
    inside = _inside(in_y, in_x, height, width)[..., None]
    grads = jnp.where(inside, grads.astype(jnp.float32), np.float32(0))
    y_grad = (1 - x_lerp) * (bottom_left - top_left) + x_lerp * (bottom_right - top_right)
    x_grad = (1 - y_lerp) * (top_right - top_left) + y_lerp * (bottom_right - bottom_left)
    y_grad = (grads * y_grad).astype(jnp.float64).sum(axis=(2, 3))  # [N, crop_h]
    x_grad = (grads * x_grad).astype(jnp.float64).sum(axis=(1, 3))  # [N, crop_w]
    columns = []
    for along, length, crop in ((y_grad, height, crop_h), (x_grad, width, crop_w)):
        if crop > 1:
            ratio = np.float32(length - 1) / np.float32(crop - 1)
            steps = np.arange(crop) * ratio
            columns.append((along @ (length - 1 - steps), along @ steps))
        else:
            half = along[:, 0] * 0.5 * (length - 1)
            columns.append((half, half))
    (y1, y2), (x1, x2) = columns
    return jnp.stack([y1, x1, y2, x2], axis=1).astype(jnp.float32)


# -- ImageProjectiveTransformV2 ------------------------------------------------------------


def _gather_or_zero(images, batch, y, x):
    """``images[batch, y, x, :]`` where ``(y, x)`` lies in the image, else 0."""
    height, width = images.shape[1:3]
    inside = (y >= 0) & (y < height) & (x >= 0) & (x < width)
    values = images[batch, jnp.clip(y, 0, height - 1), jnp.clip(x, 0, width - 1)]
    return jnp.where(inside[..., None], values, jnp.zeros((), images.dtype))


def _clipped_int(v, rounded: bool):
    """Float32 coordinates as int64 (C's ``std::round`` when ``rounded``), far-off points
    kept outside."""
    wide = jnp.clip(v.astype(jnp.float64), -(2.0**40), 2.0**40)
    if rounded:
        wide = jnp.copysign(jnp.floor(jnp.abs(wide) + 0.5), wide)
    return wide.astype(jnp.int64)


def _projective_transform(ctx, op, images, transforms, output_shape):
    """The NumPy kernel's sampling: each output pixel's source point under the transform,
    nearest or bilinear, 0 outside the image and for points at infinity."""
    images = jnp.asarray(images)
    out_h, out_w = (int(v) for v in static(output_shape))
    batch = images.shape[0]
    t = jnp.broadcast_to(jnp.asarray(transforms).astype(jnp.float32), (batch, 8))
    t = t[:, :, None, None]
    f32 = np.float32
    y_out, x_out = np.meshgrid(
        np.arange(out_h, dtype=f32), np.arange(out_w, dtype=f32), indexing="ij"
    )
    k = t[:, 6] * x_out + t[:, 7] * y_out + f32(1)
    infinite = k == 0
    k = jnp.where(infinite, f32(1), k)
    x_in = jnp.where(infinite, f32(-1), (t[:, 0] * x_out + t[:, 1] * y_out + t[:, 2]) / k)
    y_in = jnp.where(infinite, f32(-1), (t[:, 3] * x_out + t[:, 4] * y_out + t[:, 5]) / k)
    b = np.arange(batch)[:, None, None]
    if op._attrs["interpolation"] == "NEAREST":
        return _gather_or_zero(images, b, _clipped_int(y_in, True), _clipped_int(x_in, True))
    y0, x0 = jnp.floor(y_in), jnp.floor(x_in)
    y1, x1 = y0 + f32(1), x0 + f32(1)
    rows = [_clipped_int(v, False) for v in (y0, y1)]
    cols = [_clipped_int(v, False) for v in (x0, x1)]
    values = [_gather_or_zero(images, b, r, c).astype(jnp.float32) for r in rows for c in cols]
    wx0, wx1 = (x1 - x_in)[..., None], (x_in - x0)[..., None]
    top = wx0 * values[0] + wx1 * values[1]
    bottom = wx0 * values[2] + wx1 * values[3]
    out = (y1 - y_in)[..., None] * top + (y_in - y0)[..., None] * bottom
    if jnp.issubdtype(images.dtype, jnp.integer):
        out = jnp.trunc(out)
    return out.astype(images.dtype)


# -- DrawBoundingBoxes -------------------------------------------------------------------------


def _box_colors(ctx, op, depth: int, count: int, colors):
    """The colour of each of ``count`` boxes: ``colors``' rows in turn, or TF's default table
    (read off the NumPy kernel: box ``i`` alone drawn on a small image ``i``)."""
    if colors is not None and jnp.shape(colors)[0]:
        if jnp.shape(colors)[1] < depth:
            raise errors.InvalidArgumentError(
                None,
                op,
                "colors must have equal or more channels than the image provided: "
                + str(list(jnp.shape(colors))).replace(" ", ""),
            )
        table = jnp.asarray(colors).astype(jnp.float32)[:, :depth]
        return table[np.arange(count) % table.shape[0]]
    alone = np.tile(np.float32([1, 0, 0, 0]), (count, count, 1))  # inverted: not drawn
    alone[np.arange(count), np.arange(count)] = 0
    pixels = np.zeros((count, 2, 2, depth), np.float32)
    return np.asarray(get_op_def("DrawBoundingBoxes").kernel(ctx, op, pixels, alone))[:, 0, 0]


def _draw_boxes(ctx, op, images, boxes, colors=None):
    """Each box's outline in its colour, box after box (a later box drawn over an earlier
    one), with the NumPy kernel's truncated corners and skipped inverted or outside boxes."""
    images = jnp.asarray(images)
    _, height, width, depth = images.shape
    count = jnp.shape(boxes)[1]
    if not count:
        return images
    palette = _box_colors(ctx, op, depth, count, colors)
    corners = jnp.asarray(boxes).astype(jnp.float32)
    rows = jnp.trunc(corners[..., ::2] * np.float32(height - 1)).astype(jnp.int64)
    cols = jnp.trunc(corners[..., 1::2] * np.float32(width - 1)).astype(jnp.int64)
    y = np.arange(height)[None, :, None]
    x = np.arange(width)[None, None, :]

    def draw(canvas, box):
        (top, bottom), (left, right), color = box
        top, bottom, left, right = (v[:, None, None] for v in (top, bottom, left, right))
        drawn = (top <= bottom) & (left <= right)
        drawn &= (top < height) & (bottom >= 0) & (left < width) & (right >= 0)
        across = (x >= jnp.maximum(left, 0)) & (x <= jnp.minimum(right, width - 1))
        down = (y >= jnp.maximum(top, 0)) & (y <= jnp.minimum(bottom, height - 1))
        edge = ((y == top) | (y == bottom)) & across | ((x == left) | (x == right)) & down
        return jnp.where((drawn & edge)[..., None], color.astype(canvas.dtype), canvas), None

    along = (jnp.moveaxis(rows, 1, 0).swapaxes(1, 2), jnp.moveaxis(cols, 1, 0).swapaxes(1, 2))
    return jax.lax.scan(draw, images, (*along, jnp.asarray(palette)))[0]


# -- colour --------------------------------------------------------------------------------


def _float_work(images):
    return images.astype(jnp.float32) if images.dtype != jnp.float64 else images


def _rgb_to_hsv(ctx, op, images):
    images = jnp.asarray(images)
    r, g, b = jnp.moveaxis(_float_work(images), -1, 0)
    t = r.dtype.type
    value = jnp.maximum(jnp.maximum(r, g), b)
    spread = value - jnp.minimum(jnp.minimum(r, g), b)
    saturation = jnp.where(value > 0, spread / jnp.where(value > 0, value, 1), t(0))
    norm = (1 / spread) * t(1 / 6)
    hue = jnp.where(
        r == value,
        norm * (g - b),
        jnp.where(g == value, norm * (b - r) + t(2 / 6), norm * (r - g) + t(4 / 6)),
    )
    hue = jnp.where(spread > 0, hue, t(0))
    hue = jnp.where(hue < 0, hue + 1, hue)
    return jnp.stack([hue, saturation, value], axis=-1).astype(images.dtype)


def _hsv_to_rgb(ctx, op, images):
    images = jnp.asarray(images)
    h, s, v = jnp.moveaxis(_float_work(images), -1, 0)
    t = h.dtype.type
    dh = h * t(6)
    dr = jnp.clip(jnp.abs(dh - t(3)) - t(1), 0, 1)
    dg = jnp.clip(-jnp.abs(dh - t(2)) + t(2), 0, 1)
    db = jnp.clip(-jnp.abs(dh - t(4)) + t(2), 0, 1)
    one_s = -s + t(1)
    return jnp.stack([(one_s + s * d) * v for d in (dr, dg, db)], axis=-1).astype(images.dtype)


def _select(conditions, choices, default):
    out = default
    for condition, choice in reversed(list(zip(conditions, choices, strict=True))):
        out = jnp.where(condition, choice, out)
    return out


def _adjust_hue(ctx, op, images, delta):
    """TF's ``AdjustHue`` (the NumPy kernel's sector formulas, in float32)."""
    images = jnp.asarray(images)
    r, g, b = jnp.moveaxis(images.astype(jnp.float32), -1, 0)
    f = np.float32
    high = jnp.maximum(jnp.maximum(r, g), b)
    low = jnp.minimum(jnp.minimum(r, g), b)
    sector = _select(
        [(r < g) & (b < r), (r < g) & (b > g), r < g, b < g, b > r], [1, 3, 2, 0, 4], 5
    )
    middle = _select([sector == k for k in range(5)], [g, r, b, g, r], b)
    ratio = (middle - low) / (high - low)
    start = sector.astype(jnp.float32)
    hue = jnp.where(sector % 2 == 0, start + ratio, start + (1 - ratio))
    hue = jnp.where(high == low, f(0), hue)
    hue = hue + jnp.asarray(delta).astype(jnp.float32) * f(6)
    hue = jnp.mod(hue, f(6))
    hue = jnp.where(hue >= 6, f(0), hue)
    sector = hue.astype(jnp.int64)
    ratio = hue - sector.astype(jnp.float32)
    ratio = jnp.where(sector % 2 == 0, ratio, 1 - ratio)
    middle = low + ratio * (high - low)
    table = [
        (high, middle, low),
        (middle, high, low),
        (low, high, middle),
        (low, middle, high),
        (middle, low, high),
        (high, low, middle),
    ]
    out = [
        _select([sector == k for k in range(5)], [table[k][c] for k in range(5)], table[5][c])
        for c in range(3)
    ]
    return jnp.stack(out, axis=-1).astype(images.dtype)


def _adjust_saturation(ctx, op, images, scale):
    """TF's ``AdjustSaturation`` (the NumPy kernel's formulas, in float32)."""
    images = jnp.asarray(images)
    r, g, b = jnp.moveaxis(images.astype(jnp.float32), -1, 0)
    f = np.float32
    value = jnp.maximum(jnp.maximum(r, g), b)
    spread = value - jnp.minimum(jnp.minimum(r, g), b)
    saturation = jnp.where(value > 0, spread / jnp.where(value > 0, value, 1), f(0))
    norm = f(1) / (f(6) * spread)
    hue = jnp.where(
        r == value,
        norm * (g - b),
        jnp.where(
            g == value,
            (norm * (b - r)).astype(jnp.float64) + 2.0 / 6.0,
            (norm * (r - g)).astype(jnp.float64) + 4.0 / 6.0,
        ),
    ).astype(jnp.float32)
    hue = jnp.where(spread <= 0, f(0), hue)
    hue = jnp.where(hue < 0, hue + f(1), hue)
    scale = jnp.asarray(scale).astype(jnp.float32)
    saturation = jnp.minimum(f(1), jnp.maximum(f(0), saturation * scale))
    chroma = saturation * value
    base = value - chroma
    dh = hue * f(6)
    sector = dh.astype(jnp.int64)
    wrapped = jnp.where(dh <= 0, dh + f(2), dh)
    wrapped = jnp.where(wrapped > 4, wrapped - f(4), wrapped)
    wrapped = jnp.where(wrapped > 2, wrapped - f(2), wrapped)
    x = chroma * (1 - jnp.abs(wrapped - 1))
    zero = jnp.zeros_like(x)
    table = [
        (chroma, x, zero),
        (x, chroma, zero),
        (zero, chroma, x),
        (zero, x, chroma),
        (x, zero, chroma),
        (chroma, zero, x),
    ]
    out = [
        _select([sector == k for k in range(6)], [t[c] for t in table], zero) + base
        for c in range(3)
    ]
    return jnp.stack(out, axis=-1).astype(images.dtype)


def _adjust_contrast(ctx, op, images, factor):
    images = jnp.asarray(images)
    work = images.astype(jnp.float32)
    mean = work.mean(axis=(-3, -2), keepdims=True)
    return ((work - mean) * jnp.asarray(factor).astype(jnp.float32) + mean).astype(images.dtype)


LOWERINGS = {
    "ResizeBilinear": _resize,
    "ResizeBicubic": _resize,
    "ResizeArea": _resize,
    "ResizeBilinearGrad": _resize_grad("ResizeBilinear"),
    "ResizeBicubicGrad": _resize_grad("ResizeBicubic"),
    "ResizeNearestNeighbor": _resize_nearest,
    "ResizeNearestNeighborGrad": _resize_nearest_grad,
    "ExtractImagePatches": _moved_with_zeros,
    "ExtractVolumePatches": _moved_with_zeros,
    "CropAndResize": _crop_and_resize,
    "CropAndResizeGradImage": _crop_grad_image,
    "CropAndResizeGradBoxes": _crop_grad_boxes,
    "RGBToHSV": _rgb_to_hsv,
    "HSVToRGB": _hsv_to_rgb,
    "AdjustHue": _adjust_hue,
    "AdjustSaturation": _adjust_saturation,
    "AdjustContrastv2": _adjust_contrast,
    "ImageProjectiveTransformV2": _projective_transform,
    "DrawBoundingBoxes": _draw_boxes,
    "DrawBoundingBoxesV2": _draw_boxes,
}
