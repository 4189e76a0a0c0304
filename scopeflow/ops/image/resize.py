"""Image resizing: ``ResizeBilinear``, ``ResizeBicubic`` and ``ResizeNearestNeighbor`` with
TF's ``align_corners``/``half_pixel_centers`` sampling, their gradient ops
``ResizeBilinearGrad``, ``ResizeBicubicGrad`` and ``ResizeNearestNeighborGrad``, and
``tf.image.resize_images`` built on them as TF1 builds it (``resize/`` scope, 3-D images
through ``ExpandDims``/``Squeeze``, no op when the size does not change).

The resizes are linear maps along height and width, so the kernels compute them as two small
interpolation matrices applied to the image (and their transposes to the gradient); the
matrices are TF's sampling, entry for entry (for bicubic, TF's table of kernel weights).
"""

from __future__ import annotations

import numpy as np

from scopeflow.framework import dtypes, undo
from scopeflow.framework.constant import constant, convert_to_tensor
from scopeflow.framework.error_text import shape_str
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.registry import NOT_DIFFERENTIABLE, register_op
from scopeflow.framework.tensor_shape import TensorShape
from scopeflow.ops.array.basic import shape
from scopeflow.ops.array.cast import cast
from scopeflow.ops.array.join import unstack
from scopeflow.ops.array.shape import expand_dims, squeeze
from scopeflow.ops.core.infer import FLOATS, REALS, apply_op, check_dtype_in, shape_value
from scopeflow.ops.math.einsum import einsum
from scopeflow.ops.math.elementwise import minimum
from scopeflow.ops.math.elementwise import round as math_round

_SIZE_TYPES = (dtypes.int32,)


def _scale(in_size: int, out_size: int, align_corners: bool) -> float:
    """TF's ``CalculateResizeScale``, in float32 as TF's kernels compute it."""
    if align_corners and out_size > 1:
        return np.float32((in_size - 1) / (out_size - 1))
    return np.float32(in_size / out_size)


def _bilinear_matrix(in_size: int, out_size: int, align_corners: bool, half_pixel: bool):
    """``(out_size, in_size)`` weights: row ``i`` interpolates output position ``i``."""
    scale = _scale(in_size, out_size, align_corners)
    out = np.arange(out_size, dtype=np.float32)
    source = (out + np.float32(0.5)) * scale - np.float32(0.5) if half_pixel else out * scale
    floor = np.floor(source)
    lower = np.maximum(floor, 0).astype(np.int64)
    upper = np.minimum(np.ceil(source), in_size - 1).astype(np.int64)
    lerp = (source - floor).astype(np.float64)
    matrix = np.zeros((out_size, in_size))
    rows = np.arange(out_size)
    np.add.at(matrix, (rows, lower), 1.0 - lerp)
    np.add.at(matrix, (rows, upper), lerp)
    return matrix


def _nearest_index(in_size: int, out_size: int, align_corners: bool, half_pixel: bool):
    """The input position each of ``out_size`` positions copies (TF's nearest sampling)."""
    scale = _scale(in_size, out_size, align_corners)
    out = np.arange(out_size, dtype=np.float32)
    source = (out + np.float32(0.5)) * scale if half_pixel else out * scale
    # roundf rounds halves away from zero (NumPy's round would go to even)
    picked = np.floor(source + np.float32(0.5)) if align_corners else np.floor(source)
    index = np.minimum(picked.astype(np.int64), in_size - 1)
    return np.maximum(index, 0) if half_pixel else index


_TABLE_SIZE = 1024  # TF samples the cubic kernel at 1/1024 steps of the fractional position


def _cubic_tables(a: float) -> tuple[np.ndarray, np.ndarray]:
    """TF's coefficient table for the cubic kernel with parameter ``a``: the weights of the
    two nearer and the two farther taps, for each quantized fractional position."""
    x = np.arange(_TABLE_SIZE + 1, dtype=np.float32).astype(np.float64) / _TABLE_SIZE
    near = ((a + 2) * x - (a + 3)) * x * x + 1
    x = x + 1.0
    far = ((a * x - 5 * a) * x + 8 * a) * x - 4 * a
    return near.astype(np.float32), far.astype(np.float32)


def _bicubic_matrix(in_size: int, out_size: int, align_corners: bool, half_pixel: bool):
    """``(out_size, in_size)`` weights of TF's bicubic resize: Keys' kernel (a = -0.5) with
    taps outside the image dropped and the rest renormalized for half-pixel centers, the
    legacy kernel (a = -0.75) with the edge pixels repeated otherwise."""
    scale = _scale(in_size, out_size, align_corners)
    out = np.arange(out_size, dtype=np.float32)
    source = (out + np.float32(0.5)) * scale - np.float32(0.5) if half_pixel else out * scale
    start = np.floor(source).astype(np.int64)
    offset = np.rint((source - start) * np.float32(_TABLE_SIZE)).astype(np.int64)
    near, far = _cubic_tables(-0.5 if half_pixel else -0.75)
    taps = [start - 1, start, start + 1, start + 2]
    weights = [far[offset], near[offset], near[_TABLE_SIZE - offset], far[_TABLE_SIZE - offset]]
    bounded = [np.clip(t, 0, in_size - 1) for t in taps]
    if half_pixel:
        weights = [np.where(b == t, w, 0.0) for b, t, w in zip(bounded, taps, weights, strict=True)]
        total = np.sum(weights, axis=0)
        usable = np.abs(total) >= 1000.0 * np.finfo(np.float32).tiny
        weights = [np.where(usable, w / np.where(usable, total, 1.0), w) for w in weights]
    matrix = np.zeros((out_size, in_size))
    rows = np.arange(out_size)
    for index, weight in zip(bounded, weights, strict=True):
        np.add.at(matrix, (rows, index), np.asarray(weight, np.float64))
    return matrix


def _check_sampling(op) -> tuple[bool, bool]:
    align, half = op._attrs["align_corners"], op._attrs["half_pixel_centers"]
    if align and half:
        raise ValueError(
            f"{op.type} '{op.name}': If half_pixel_centers is True, align_corners must be False."
        )
    return align, half


def _out_size(op, size, images) -> tuple[int, int]:
    """The output (height, width) of resizing ``images`` to ``size``, with TF's run-time checks."""
    if np.ndim(images) != 4:
        raise ValueError(f"input must be 4-dimensional{shape_str(np.shape(images))}")
    if np.shape(size) != (2,):
        raise ValueError(f"shape_t must have two elements{shape_str(np.shape(size))}")
    height, width = (int(d) for d in size)
    if height <= 0 or width <= 0:
        raise ValueError("output dimensions must be positive")
    return height, width


def _resize_infer(op_type: str, allowed, out_dtype=None):
    def infer(inputs, attrs):
        images, size = inputs
        dtype = check_dtype_in(op_type, "images", images, allowed)
        check_dtype_in(op_type, "size", size, _SIZE_TYPES)
        if images.shape.ndims not in (None, 4):
            raise ValueError(f"Shape must be rank 4 but is rank {images.shape.ndims}")
        if size.shape.ndims not in (None, 1):
            raise ValueError(f"Shape must be rank 1 but is rank {size.shape.ndims}")
        if size.shape.ndims == 1 and size.shape[0].value not in (None, 2):
            raise ValueError(f"Dimension must be 2 but is {size.shape[0].value}")
        dims = images.shape.as_list() if images.shape.ndims else [None] * 4
        target = shape_value(size)
        hw = target.as_list() if target.ndims == 2 else [None, None]
        return [(out_dtype or dtype, TensorShape([dims[0], *hw, dims[3]]))]

    return infer


def _resize_bilinear_kernel(ctx, op, images, size):
    align, half = _check_sampling(op)
    height, width = _out_size(op, size, images)
    rows = _bilinear_matrix(images.shape[1], height, align, half)
    cols = _bilinear_matrix(images.shape[2], width, align, half)
    out = np.einsum("yh,bhwc,xw->byxc", rows, images.astype(np.float64), cols, optimize=True)
    return out.astype(np.float32)


def _resize_bilinear_grad(op, grad):
    attrs = {k: op._attrs[k] for k in ("align_corners", "half_pixel_centers")}
    return [
        apply_op("ResizeBilinearGrad", [grad, op.inputs[0]], attrs, name="ResizeBilinearGrad"),
        None,
    ]


register_op(
    "ResizeBilinear",
    _resize_infer("ResizeBilinear", REALS, dtypes.float32),
    kernel=_resize_bilinear_kernel,
    grad=_resize_bilinear_grad,
)


def _resize_bilinear_grad_infer(inputs, attrs):
    grads, image = inputs
    check_dtype_in("ResizeBilinearGrad", "grads", grads, (dtypes.float32,))
    dtype = check_dtype_in("ResizeBilinearGrad", "original_image", image, FLOATS)
    for t in inputs:
        if t.shape.ndims not in (None, 4):
            raise ValueError(f"Shape must be rank 4 but is rank {t.shape.ndims}")
    return [(dtype, image.shape if image.shape.ndims else TensorShape([None] * 4))]


def _resize_bilinear_grad_kernel(ctx, op, grads, image):
    align, half = _check_sampling(op)
    rows = _bilinear_matrix(image.shape[1], grads.shape[1], align, half)
    cols = _bilinear_matrix(image.shape[2], grads.shape[2], align, half)
    out = np.einsum("yh,byxc,xw->bhwc", rows, grads.astype(np.float64), cols, optimize=True)
    return out.astype(image.dtype)


register_op(
    "ResizeBilinearGrad",
    _resize_bilinear_grad_infer,
    kernel=_resize_bilinear_grad_kernel,
    grad=NOT_DIFFERENTIABLE,
)


def _resize_bicubic_kernel(ctx, op, images, size):
    align, half = _check_sampling(op)
    height, width = _out_size(op, size, images)
    rows = _bicubic_matrix(images.shape[1], height, align, half)
    cols = _bicubic_matrix(images.shape[2], width, align, half)
    out = np.einsum("yh,bhwc,xw->byxc", rows, images.astype(np.float64), cols, optimize=True)
    return out.astype(np.float32)


def _resize_bicubic_grad(op, grad):
    if op.inputs[0].dtype.base_dtype not in (dtypes.float32, dtypes.float64):
        return [None, None]
    attrs = {k: op._attrs[k] for k in ("align_corners", "half_pixel_centers")}
    grads = apply_op("ResizeBicubicGrad", [grad, op.inputs[0]], attrs, name="ResizeBicubicGrad")
    return [grads, None]


register_op(
    "ResizeBicubic",
    _resize_infer("ResizeBicubic", REALS, dtypes.float32),
    kernel=_resize_bicubic_kernel,
    grad=_resize_bicubic_grad,
)


def _resize_bicubic_grad_infer(inputs, attrs):
    grads, image = inputs
    check_dtype_in("ResizeBicubicGrad", "grads", grads, (dtypes.float32,))
    dtype = check_dtype_in(
        "ResizeBicubicGrad", "original_image", image, (dtypes.float32, dtypes.float64)
    )
    for t in inputs:
        if t.shape.ndims not in (None, 4):
            raise ValueError(f"Shape must be rank 4 but is rank {t.shape.ndims}")
    return [(dtype, image.shape if image.shape.ndims else TensorShape([None] * 4))]


def _resize_bicubic_grad_kernel(ctx, op, grads, image):
    align, half = _check_sampling(op)
    rows = _bicubic_matrix(image.shape[1], grads.shape[1], align, half)
    cols = _bicubic_matrix(image.shape[2], grads.shape[2], align, half)
    out = np.einsum("yh,byxc,xw->bhwc", rows, grads.astype(np.float64), cols, optimize=True)
    return out.astype(image.dtype)


register_op(
    "ResizeBicubicGrad",
    _resize_bicubic_grad_infer,
    kernel=_resize_bicubic_grad_kernel,
    grad=NOT_DIFFERENTIABLE,
)


def _resize_nearest_kernel(ctx, op, images, size):
    align, half = _check_sampling(op)
    height, width = _out_size(op, size, images)
    rows = _nearest_index(images.shape[1], height, align, half)
    cols = _nearest_index(images.shape[2], width, align, half)
    return images[:, rows][:, :, cols]


def _resize_nearest_grad(op, grad):
    image = op.inputs[0]
    static = image.shape[1:3] if image.shape.ndims else TensorShape(None)
    if static.is_fully_defined():
        size = static.as_list()
    else:
        size = shape(image)[1:3]
    attrs = {k: op._attrs[k] for k in ("align_corners", "half_pixel_centers")}
    with name_scope("ResizeNearestNeighborGrad") as scope:
        size = convert_to_tensor(size, dtype=dtypes.int32, name="size")
        grads = apply_op("ResizeNearestNeighborGrad", [grad, size], attrs, name=scope)
    return [grads, None]


register_op(
    "ResizeNearestNeighbor",
    _resize_infer("ResizeNearestNeighbor", REALS),
    kernel=_resize_nearest_kernel,
    grad=_resize_nearest_grad,
)


def _resize_nearest_grad_kernel(ctx, op, grads, size):
    align, half = _check_sampling(op)
    height, width = _out_size(op, size, grads)
    rows = _nearest_index(height, grads.shape[1], align, half)
    cols = _nearest_index(width, grads.shape[2], align, half)
    out = np.zeros((grads.shape[0], height, width, grads.shape[3]), grads.dtype)
    np.add.at(out, (slice(None), rows[:, None], cols[None, :]), grads)
    return out


register_op(
    "ResizeNearestNeighborGrad",
    _resize_infer("ResizeNearestNeighborGrad", FLOATS),
    kernel=_resize_nearest_grad_kernel,
    grad=NOT_DIFFERENTIABLE,
)


def _resize_op(op_type: str, images, size, align_corners, half_pixel_centers, name):
    with name_scope(name, op_type, [images, size]) as scope:
        images = convert_to_tensor(images, name="images")
        size = convert_to_tensor(size, dtype=dtypes.int32, name="size")
        attrs = {
            "align_corners": bool(align_corners),
            "half_pixel_centers": bool(half_pixel_centers),
        }
        return apply_op(op_type, [images, size], attrs, name=scope)


@undo.atomic
def resize_bilinear(images, size, align_corners=False, name=None, half_pixel_centers=False):
    """``images`` (4-D, NHWC) resized to ``size`` (``[height, width]``) by bilinear
    interpolation; the result is float32. ``align_corners`` maps the corner pixels onto each
    other; ``half_pixel_centers`` samples at pixel centers (as image libraries do).

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     img = tf.reshape([0.0, 1.0], [1, 1, 2, 1])
    ...     y = tf.image.resize_bilinear(img, [1, 4])
    ...     print(tf.Session().run(y).ravel())
    [0.  0.5 1.  1. ]
    """
    return _resize_op("ResizeBilinear", images, size, align_corners, half_pixel_centers, name)


@undo.atomic
def resize_nearest_neighbor(images, size, align_corners=False, name=None, half_pixel_centers=False):
    """``images`` (4-D, NHWC) resized to ``size`` by copying the nearest pixel (dtype kept);
    ``align_corners`` and ``half_pixel_centers`` as for :func:`resize_bilinear`."""
    return _resize_op(
        "ResizeNearestNeighbor", images, size, align_corners, half_pixel_centers, name
    )


@undo.atomic
def resize_bicubic(images, size, align_corners=False, name=None, half_pixel_centers=False):
    """``images`` (4-D, NHWC) resized to ``size`` by bicubic interpolation (float32 result),
    with TF's kernels: Keys' cubic (a = -0.5) for ``half_pixel_centers``, else TF1's legacy
    one (a = -0.75)."""
    return _resize_op("ResizeBicubic", images, size, align_corners, half_pixel_centers, name)


def _area_matrix(in_size: int, out_size: int, align: bool) -> np.ndarray:
    """[out, in]: how much of each input pixel each output pixel's box covers, over the box's
    length (TF's ResizeArea: the box of output pixel y is [y, y + 1) * scale, pixels past the
    edge counted as the last one)."""
    scale = (in_size - 1) / (out_size - 1) if align and out_size > 1 else in_size / out_size
    matrix = np.zeros((out_size, in_size))
    for y in range(out_size):
        low, high = y * scale, (y + 1) * scale
        for i in range(int(np.floor(low)), int(np.ceil(high))):
            matrix[y, min(i, in_size - 1)] += min(i + 1, high) - max(i, low)
    return matrix / scale


def _resize_area_kernel(ctx, op, images, size):
    height, width = _out_size(op, size, images)
    align = op._attrs["align_corners"]
    rows = _area_matrix(images.shape[1], height, align)
    cols = _area_matrix(images.shape[2], width, align)
    out = np.einsum("yh,bhwc,xw->byxc", rows, images.astype(np.float64), cols, optimize=True)
    return out.astype(np.float32)


def _resize_area_grad(op, grad):
    """Beyond TF (which has no gradient for ResizeArea): the transposed averaging, an einsum
    of two constant box matrices with the gradient, for images of static height and width."""
    image = op.inputs[0]
    dims = image.shape.as_list() if image.shape.ndims else [None] * 4
    out = grad.shape.as_list() if grad.shape.ndims else [None] * 4
    if None in (*dims[1:3], *out[1:3]) or not image.dtype.base_dtype.is_floating:
        raise LookupError(
            f"No gradient defined for operation '{op.name}' (op type: ResizeArea) when the "
            "image size is not known while building (TF has none at all): give the images a "
            "static height and width."
        )
    align = op._attrs["align_corners"]
    rows = constant(_area_matrix(dims[1], out[1], align).astype(np.float32), name="rows")
    cols = constant(_area_matrix(dims[2], out[2], align).astype(np.float32), name="cols")
    grads = einsum("yh,byxc,xw->bhwc", rows, grad, cols)
    return [cast(grads, image.dtype.base_dtype), None]


register_op(
    "ResizeArea",
    _resize_infer("ResizeArea", REALS, dtypes.float32),
    kernel=_resize_area_kernel,
    grad=_resize_area_grad,
)


@undo.atomic
def resize_area(images, size, align_corners=False, name=None):
    """``images`` (4-D, NHWC) resized to ``size`` by averaging the input pixels each output
    pixel covers (fractions of a pixel weighted by the area covered); float32 result.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     img = tf.reshape([1.0, 2.0, 3.0, 5.0], [1, 1, 4, 1])
    ...     print(tf.Session().run(tf.image.resize_area(img, [1, 2])).ravel())
    [1.5 4. ]
    """
    with name_scope(name, "ResizeArea", [images, size]) as scope:
        images = convert_to_tensor(images, name="images")
        size = convert_to_tensor(size, dtype=dtypes.int32, name="size")
        attrs = {"align_corners": bool(align_corners)}
        return apply_op("ResizeArea", [images, size], attrs, name=scope)


class ResizeMethod:
    """The ``method`` values of :func:`resize_images` (TF1's ``ResizeMethodV1``)."""

    BILINEAR = 0
    NEAREST_NEIGHBOR = 1
    BICUBIC = 2
    AREA = 3


_RESIZERS = {
    ResizeMethod.BILINEAR: resize_bilinear,
    ResizeMethod.NEAREST_NEIGHBOR: resize_nearest_neighbor,
    ResizeMethod.BICUBIC: resize_bicubic,
    ResizeMethod.AREA: resize_area,
}


def _aspect_preserving_size(images, size, height, width) -> tuple:
    """TF1's ``preserve_aspect_ratio``: the largest size within ``size`` (whose static
    ``height``, ``width`` may be known) with the image's aspect ratio, as a tensor built as TF1
    builds it, and its value when known while building (which TF's shape inference finds)."""
    static = images.shape.as_list()[1:3]
    if None in static:
        dynamic = unstack(shape(images), 4)[1:3]
        current = [s if s is not None else d for s, d in zip(static, dynamic, strict=True)]
    else:
        current = static
    f32 = dtypes.float32
    scale_height = cast(size[0], f32) / cast(current[0], f32)
    scale_width = cast(size[1], f32) / cast(current[1], f32)
    scale = minimum(scale_height, scale_width)
    new_height = cast(math_round(scale * cast(current[0], f32)), dtypes.int32)
    new_width = cast(math_round(scale * cast(current[1], f32)), dtypes.int32)
    new_size = convert_to_tensor([new_height, new_width], dtype=dtypes.int32, name="size")
    if None in (height, width, *static):
        return new_size, (None, None)
    factor = min(
        np.float32(height) / np.float32(static[0]), np.float32(width) / np.float32(static[1])
    )
    known = (int(np.round(factor * np.float32(d))) for d in static)
    return new_size, tuple(known)


@undo.atomic
def resize_images(
    images,
    size,
    method=ResizeMethod.BILINEAR,
    align_corners=False,
    preserve_aspect_ratio=False,
    name=None,
):
    """``images`` (4-D NHWC, or 3-D HWC) resized to ``size`` (``[new_height, new_width]``)
    with ``method`` (:class:`ResizeMethod`: ``BILINEAR``, ``NEAREST_NEIGHBOR``, ``BICUBIC``;
    ``AREA`` raises NotImplementedError); with ``preserve_aspect_ratio``, to the largest
    size within ``size`` that keeps the image's aspect ratio. Returned unchanged when the size
    is known to be the image's own.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     img = tf.zeros([2, 4, 6, 3])
    ...     tf.image.resize_images(img, [8, 12]).shape.as_list()
    [2, 8, 12, 3]
    """
    if method not in _RESIZERS:
        raise ValueError(f"Resize method is not implemented: {method}")
    with name_scope(name, "resize", [images, size]):
        images = convert_to_tensor(images, name="images")
        if images.shape.ndims is None:
            raise ValueError("'images' contains no shape.")
        is_batch = images.shape.ndims == 4
        if images.shape.ndims == 3:
            images = expand_dims(images, 0)
        elif images.shape.ndims != 4:
            raise ValueError("'images' must have either 3 or 4 dimensions.")
        _, height, width, _ = images.shape.as_list()
        try:
            size = convert_to_tensor(size, dtype=dtypes.int32, name="size")
        except (TypeError, ValueError):
            raise ValueError("'size' must be a 1-D int32 Tensor") from None
        if not size.shape.is_compatible_with([2]):
            raise ValueError("'size' must be a 1-D Tensor of 2 elements: new_height, new_width")
        target = shape_value(size)
        new_height, new_width = target.as_list() if target.ndims == 2 else (None, None)
        if preserve_aspect_ratio:
            size, (new_height, new_width) = _aspect_preserving_size(
                images, size, new_height, new_width
            )
        if (new_height, new_width) == (height, width) and height is not None and width is not None:
            return images if is_batch else squeeze(images, axis=[0])
        images = _RESIZERS[method](images, size, align_corners=align_corners)
        images.set_shape([None, new_height, new_width, None])
        return images if is_batch else squeeze(images, axis=[0])


resize = resize_images

__all__ = [
    "ResizeMethod",
    "resize",
    "resize_area",
    "resize_bicubic",
    "resize_bilinear",
    "resize_images",
    "resize_nearest_neighbor",
]
