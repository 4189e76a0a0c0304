"""``tf.image`` pixel values as TF1 builds them: ``convert_image_dtype``,
``per_image_standardization``, ``adjust_brightness``/``random_brightness``,
``adjust_contrast``/``random_contrast`` (on the ``AdjustContrastv2`` op), and
``rgb_to_grayscale``/``grayscale_to_rgb``.

Integer images hold values in ``[0, dtype.max]``, float images in ``[0, 1]``;
``convert_image_dtype`` scales between them (saturating when asked), and the adjustments
compute in float32 and convert back.

Deliberate differences: TF registers no gradient for ``AdjustContrastv2``; scopeflow gives
it one (it is linear in the image: the same contrast adjustment of the incoming gradient), so
contrast augmentation may sit inside a differentiated graph. ``convert_image_dtype``'s
saturation clamps with ``tf.clip_by_value`` (``Minimum``/``Maximum``) where TF uses its
``ClipByValue`` op; the values are the same, except for int64/uint64 targets: TF 2.21 clamps
at the float nearest 2**63 (2**64), which overflows when cast (1.0 becomes -2**63), and
scopeflow at the largest float below it.
"""

from __future__ import annotations

import numpy as np

from scopeflow.framework import dtypes, undo
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.error_text import shape_str
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.registry import register_op
from scopeflow.framework.tensor import Tensor
from scopeflow.framework.tensor_shape import TensorShape
from scopeflow.ops.array import basic as array_ops
from scopeflow.ops.array.cast import cast
from scopeflow.ops.array.join import concat, tile
from scopeflow.ops.array.shape import expand_dims, rank
from scopeflow.ops.control.assertions import Assert
from scopeflow.ops.control.grouping import with_dependencies
from scopeflow.ops.core.infer import apply_op, check_dtype_in
from scopeflow.ops.image.transforms import assert_at_least_3d
from scopeflow.ops.math import elementwise as math_ops
from scopeflow.ops.math.clip import clip_by_value
from scopeflow.ops.math.composite import _limit
from scopeflow.ops.math.division import divide
from scopeflow.ops.math.matmul import tensordot
from scopeflow.ops.math.reduction import reduce_mean, reduce_prod, reduce_sum
from scopeflow.ops.random.sampling import random_uniform

_CONTRAST_TYPES = (dtypes.float16, dtypes.float32)


def _adjust_contrast_infer(inputs, attrs):
    images, factor = inputs
    dtype = check_dtype_in("AdjustContrastv2", "images", images, _CONTRAST_TYPES)
    check_dtype_in("AdjustContrastv2", "contrast_factor", factor, (dtypes.float32,))
    if images.shape.ndims is not None and images.shape.ndims < 3:
        raise ValueError(f"Shape must be at least rank 3 but is rank {images.shape.ndims}")
    if factor.shape.ndims not in (None, 0):
        raise ValueError(f"Shape must be rank 0 but is rank {factor.shape.ndims}")
    return [(dtype, images.shape if images.shape.ndims is not None else TensorShape(None))]


def _adjust_contrast_kernel(ctx, op, images, factor):
    if images.ndim < 3:
        raise ValueError(f"input must be at least 3-D, got shape{shape_str(images.shape)}")
    work = images.astype(np.float32)
    mean = work.mean(axis=(-3, -2), keepdims=True, dtype=np.float32)
    return ((work - mean) * np.float32(factor) + mean).astype(images.dtype)


def _adjust_contrast_grad(op, grad):
    """The image's gradient is the same adjustment of ``grad`` (the map is linear and
    self-adjoint); the factor's is ``sum(grad * (x - mean(x)))``."""
    images, factor = op.inputs
    centered = images - reduce_mean(images, axis=[-3, -2], keepdims=True)
    factor_grad = reduce_sum(cast(grad * centered, dtypes.float32))
    return [apply_op("AdjustContrastv2", [grad, factor]), factor_grad]


register_op(
    "AdjustContrastv2",
    _adjust_contrast_infer,
    kernel=_adjust_contrast_kernel,
    grad=_adjust_contrast_grad,
)


def _saturate_cast(value, dtype, name):
    """``value`` cast to ``dtype`` with values clamped to its range first (TF1's
    ``saturate_cast``)."""
    with name_scope(name, "saturate_cast", [value]) as scope:
        in_dtype = value.dtype.base_dtype
        if in_dtype.min < dtype.min or in_dtype.max > dtype.max:
            # float32 rounds int32's max up to 2**31: the bounds are the nearest in range
            low = _limit(max(in_dtype.min, dtype.min), in_dtype, dtype)
            high = _limit(min(in_dtype.max, dtype.max), in_dtype, dtype)
            value = clip_by_value(value, low, high, name="clamp")
        return cast(value, dtype, name=scope)


def _is_real(dtype) -> bool:
    return dtype.is_floating or dtype.is_integer


@undo.atomic
def convert_image_dtype(image, dtype, saturate=False, name=None):
    """``image`` converted to ``dtype``, its values rescaled: integer images span ``[0,
    dtype.max]``, float ones ``[0, 1]``. ``saturate`` clamps values outside the target
    range before casting (else they overflow, as in TF1).

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     img = tf.constant([[[0, 255]]], tf.uint8)
    ...     print(tf.Session().run(tf.image.convert_image_dtype(img, tf.float32)))
    [[[0. 1.]]]
    """
    image = convert_to_tensor(image, name="image")
    dtype = dtypes.as_dtype(dtype).base_dtype
    if not _is_real(dtype):
        raise AttributeError("dtype must be either floating point or integer")
    in_dtype = image.dtype.base_dtype
    if not _is_real(in_dtype):
        raise AttributeError("image dtype must be either floating point or integer")
    if dtype == in_dtype:
        return array_ops.identity(image, name=name)
    with name_scope(name, "convert_image", [image]) as scope:
        convert = _saturate_cast if saturate else (lambda x, d, name: cast(x, d, name=name))
        if in_dtype.is_integer and dtype.is_integer:
            if in_dtype.max > dtype.max:  # scale down, then cast
                scale = (in_dtype.max + 1) // (dtype.max + 1)
                return convert(math_ops.floordiv(image, scale), dtype, scope)
            scale = (dtype.max + 1) // (in_dtype.max + 1)  # cast, then scale up
            return math_ops.multiply(convert(image, dtype, None), scale, name=scope)
        if in_dtype.is_floating and dtype.is_floating:
            return cast(image, dtype, name=scope)
        if in_dtype.is_integer:
            return math_ops.multiply(cast(image, dtype), 1.0 / in_dtype.max, name=scope)
        scaled = math_ops.multiply(image, dtype.max + 0.5)  # + 0.5: the cast rounds down
        return convert(scaled, dtype, scope)


@undo.atomic
def per_image_standardization(image):
    """Each image (3-D, or each of a 4-D batch) scaled to mean 0 and variance 1:
    ``(x - mean) / max(stddev, 1 / sqrt(num_pixels))``, in float32.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     img = tf.reshape(tf.range(4.0), [2, 2, 1])
    ...     print(tf.Session().run(tf.image.per_image_standardization(img)).ravel().round(4))
    [-1.3416 -0.4472  0.4472  1.3416]
    """
    with name_scope(None, "per_image_standardization", [image]) as scope:
        image = assert_at_least_3d(convert_to_tensor(image, name="image"))
        if image.dtype.base_dtype != dtypes.float32:
            image = cast(image, dtypes.float32)
        num_pixels = reduce_prod(array_ops.shape(image)[-3:])
        axes = [-1, -2, -3]
        mean = reduce_mean(image, axis=axes, keepdims=True)
        with name_scope(None, "reduce_std", [image]):
            with name_scope(None, "reduce_variance", [image]):
                centered = image - reduce_mean(image, axis=axes, keepdims=True)
                variance = reduce_mean(math_ops.square(centered), axis=axes, keepdims=True)
            stddev = math_ops.sqrt(variance)
        min_stddev = math_ops.rsqrt(cast(num_pixels, dtypes.float32))
        adjusted_stddev = math_ops.maximum(stddev, min_stddev)
        image -= mean
        return divide(image, adjusted_stddev, name=scope)


def _in_float(image):
    """``image`` for computing on: as it is when float16/float32, else converted to
    float32."""
    if image.dtype.base_dtype in _CONTRAST_TYPES:
        return image
    return convert_image_dtype(image, dtypes.float32)


@undo.atomic
def adjust_brightness(image, delta):
    """``image`` plus ``delta`` (on the ``[0, 1]`` scale for integer images, converted back
    with saturation)."""
    with name_scope(None, "adjust_brightness", [image, delta]) as scope:
        image = convert_to_tensor(image, name="image")
        flt_image = _in_float(image)
        delta = cast(delta, flt_image.dtype.base_dtype)
        adjusted = math_ops.add(flt_image, delta, name=scope)
        return convert_image_dtype(adjusted, image.dtype.base_dtype, saturate=True)


@undo.atomic
def adjust_contrast(images, contrast_factor):
    """Each channel of each image moved away from (factor > 1) or toward (factor < 1) its
    mean: ``(x - mean) * contrast_factor + mean``, by the ``AdjustContrastv2`` op.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     img = tf.reshape([0.0, 1.0], [1, 2, 1])
    ...     print(tf.Session().run(tf.image.adjust_contrast(img, 2.0)).ravel())
    [-0.5  1.5]
    """
    with name_scope(None, "adjust_contrast", [images, contrast_factor]) as scope:
        images = convert_to_tensor(images, name="images")
        flt_images = _in_float(images)
        factor = convert_to_tensor(contrast_factor, dtype=dtypes.float32, name="contrast_factor")
        adjusted = apply_op("AdjustContrastv2", [flt_images, factor], name=scope)
        return convert_image_dtype(adjusted, images.dtype.base_dtype, saturate=True)


@undo.atomic
def adjust_gamma(image, gamma=1, gain=1):
    """Gamma correction ``gain * image ** gamma`` (on the ``[0, 1]`` scale for integer
    images, converted back with saturation); ``gamma`` must be non-negative (checked at run
    time when a tensor).

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     img = tf.reshape([0.25, 1.0], [1, 2, 1])
    ...     print(tf.Session().run(tf.image.adjust_gamma(img, 2.0)).ravel())
    [0.0625 1.    ]
    """
    with name_scope(None, "adjust_gamma", [image, gamma, gain]):
        image = convert_to_tensor(image, name="image")
        flt_image = _in_float(image)
        if isinstance(gamma, Tensor):
            message = "Gamma should be a non-negative real number."
            gamma = with_dependencies([Assert(gamma >= 0, [message])], gamma)
        elif gamma < 0:
            raise ValueError("Gamma should be a non-negative real number.")
        adjusted = gain * flt_image**gamma
        return convert_image_dtype(adjusted, image.dtype.base_dtype, saturate=True)


@undo.atomic
def random_brightness(image, max_delta, seed=None):
    """``image`` with a brightness change drawn uniformly from ``[-max_delta, max_delta)``."""
    if max_delta < 0:
        raise ValueError("max_delta must be non-negative.")
    delta = random_uniform([], -max_delta, max_delta, seed=seed)
    return adjust_brightness(image, delta)


@undo.atomic
def random_contrast(image, lower, upper, seed=None):
    """``image`` with a contrast factor drawn uniformly from ``[lower, upper)``."""
    if upper <= lower:
        raise ValueError("upper must be > lower.")
    if lower < 0:
        raise ValueError("lower must be non-negative.")
    factor = random_uniform([], lower, upper, seed=seed)
    return adjust_contrast(image, factor)


_RGB_WEIGHTS = [0.2989, 0.5870, 0.1140]


@undo.atomic
def rgb_to_grayscale(images, name=None):
    """RGB images (last dimension 3) as grayscale (last dimension 1): the luma
    ``0.2989 R + 0.5870 G + 0.1140 B``, in the images' dtype."""
    with name_scope(name, "rgb_to_grayscale", [images]) as scope:
        images = convert_to_tensor(images, name="images")
        flt_image = convert_image_dtype(images, dtypes.float32)
        gray = expand_dims(tensordot(flt_image, _RGB_WEIGHTS, [-1, -1]), -1)
        return convert_image_dtype(gray, images.dtype.base_dtype, name=scope)


@undo.atomic
def grayscale_to_rgb(images, name=None):
    """Grayscale images (last dimension 1) with the channel repeated three times."""
    with name_scope(name, "grayscale_to_rgb", [images]) as scope:
        images = convert_to_tensor(images, name="images")
        shape = images.shape
        if shape.ndims is not None and shape.ndims < 2:
            raise ValueError("A grayscale image must be at least two-dimensional.")
        if shape.ndims is not None and shape[-1].value not in (None, 1):
            raise ValueError("Last dimension of a grayscale image should be size 1.")
        images = with_dependencies([], images)
        ones = array_ops.ones(expand_dims(rank(images) - 1, 0), dtype=dtypes.int32)
        multiples = concat([ones, expand_dims(3, 0)], 0)
        rgb = tile(images, multiples, name=scope)
        if shape.ndims is not None:
            rgb.set_shape(shape[:-1].concatenate([3]))
        return rgb


__all__ = [
    "adjust_brightness",
    "adjust_contrast",
    "adjust_gamma",
    "convert_image_dtype",
    "grayscale_to_rgb",
    "per_image_standardization",
    "random_brightness",
    "random_contrast",
    "rgb_to_grayscale",
]
