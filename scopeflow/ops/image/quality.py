"""Image measures as TF1 builds them, from existing ops under TF1's scopes:
``tf.image.total_variation``, ``image_gradients``, ``sobel_edges`` (a reflect-padded
depthwise convolution), ``psnr`` and ``ssim`` (Gaussian-weighted local statistics, by a
depthwise convolution), with TF1's run-time shape checks."""

from __future__ import annotations

import numpy as np

from scopeflow.framework import dtypes, undo
from scopeflow.framework.constant import constant, convert_to_tensor
from scopeflow.framework.graph_api import control_dependencies, name_scope
from scopeflow.ops.array import basic as array_ops
from scopeflow.ops.array.cast import cast
from scopeflow.ops.array.join import concat, tile, unstack
from scopeflow.ops.array.pad import pad
from scopeflow.ops.array.shape import expand_dims, size
from scopeflow.ops.control.assertions import Assert
from scopeflow.ops.control.cond import cond
from scopeflow.ops.image.adjust import convert_image_dtype
from scopeflow.ops.math import elementwise as math_ops
from scopeflow.ops.math.reduction import (
    reduce_all,
    reduce_any,
    reduce_mean,
    reduce_prod,
    reduce_sum,
)
from scopeflow.ops.math.sequence import range as range_op
from scopeflow.ops.nn.activation import relu
from scopeflow.ops.nn.basic import softmax
from scopeflow.ops.nn.depthwise import depthwise_conv2d
from scopeflow.ops.nn.pooling import avg_pool


@undo.atomic
def total_variation(images, name=None):
    """The total variation of an image (3-D, a scalar) or of each of a batch (4-D, a vector):
    the sum of the absolute differences of neighbouring pixels.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     img = tf.reshape([0.0, 1.0, 3.0, 3.0], [2, 2, 1])
    ...     print(tf.Session().run(tf.image.total_variation(img)))
    6.0
    """
    with name_scope(name, "total_variation"):
        images = convert_to_tensor(images, name="images")
        ndims = images.shape.ndims
        if ndims == 3:
            pixel_dif1 = images[1:, :, :] - images[:-1, :, :]
            pixel_dif2 = images[:, 1:, :] - images[:, :-1, :]
            sum_axis = None
        elif ndims == 4:
            pixel_dif1 = images[:, 1:, :, :] - images[:, :-1, :, :]
            pixel_dif2 = images[:, :, 1:, :] - images[:, :, :-1, :]
            sum_axis = [1, 2, 3]
        else:
            raise ValueError("'images' must be either 3 or 4-dimensional.")
        return reduce_sum(math_ops.abs(pixel_dif1), axis=sum_axis) + reduce_sum(
            math_ops.abs(pixel_dif2), axis=sum_axis
        )


@undo.atomic
def image_gradients(image):
    """``(dy, dx)``: the differences of each pixel of a 4-D batch with the pixel below it and
    the one to its right (zero on the last row and column), shaped like ``image``.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     img = tf.reshape([0.0, 1.0, 3.0, 7.0], [1, 2, 2, 1])
    ...     dy, dx = tf.Session().run(tf.image.image_gradients(img))
    >>> dy.ravel(), dx.ravel()
    (array([3., 6., 0., 0.], dtype=float32), array([1., 0., 4., 0.], dtype=float32))
    """
    image = convert_to_tensor(image, name="image")
    if image.shape.ndims != 4:
        raise ValueError(
            f"image_gradients expects a 4D tensor [batch_size, h, w, d], not {image.shape}."
        )
    image_shape = array_ops.shape(image)
    batch_size, height, width, depth = unstack(image_shape)
    dy = image[:, 1:, :, :] - image[:, :-1, :, :]
    dx = image[:, :, 1:, :] - image[:, :, :-1, :]
    shape = array_ops.stack([batch_size, 1, width, depth])
    dy = concat([dy, array_ops.zeros(shape, image.dtype.base_dtype)], 1)
    dy = array_ops.reshape(dy, image_shape)
    shape = array_ops.stack([batch_size, height, 1, depth])
    dx = concat([dx, array_ops.zeros(shape, image.dtype.base_dtype)], 2)
    dx = array_ops.reshape(dx, image_shape)
    return dy, dx


_SOBEL = np.expand_dims(
    np.transpose(
        np.asarray([[[-1, -2, -1], [0, 0, 0], [1, 2, 1]], [[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]]]),
        (1, 2, 0),
    ),
    -2,
)


@undo.atomic
def sobel_edges(image):
    """The vertical and horizontal Sobel responses of each channel of a 4-D batch (edges
    reflected): ``[batch, height, width, channels, 2]``.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     img = tf.reshape(tf.range(9.0), [1, 3, 3, 1])
    ...     print(tf.Session().run(tf.image.sobel_edges(img))[0, 1, 1, 0])
    [24.  8.]
    """
    image = convert_to_tensor(image, name="image")
    static_image_shape = image.shape
    image_shape = array_ops.shape(image)
    kernels = constant(_SOBEL, dtype=image.dtype.base_dtype)
    kernels = tile(kernels, [1, 1, image_shape[-1], 1], name="sobel_filters")
    padded = pad(image, [[0, 0], [1, 1], [1, 1], [0, 0]], mode="REFLECT")
    output = depthwise_conv2d(padded, kernels, [1, 1, 1, 1], "VALID")
    output = array_ops.reshape(output, shape=concat([image_shape, [2]], 0))
    output.set_shape(static_image_shape.concatenate([2]))
    return output


def _verify_compatible_image_shapes(img1, img2) -> list:
    """TF1's checks that two images (or batches) have the same last three dimensions: at
    build time where known, else as run-time ``Assert`` ops (returned)."""
    shape1, shape2 = img1.shape, img2.shape
    for s in (shape1, shape2):
        if s.ndims is not None and s.ndims < 3:
            raise ValueError(f"Shape {s} must have rank at least 3")
    if shape1.ndims is not None and shape2.ndims is not None:
        if not shape1[-3:].is_compatible_with(shape2[-3:]):
            raise ValueError(f"Shapes {shape1[-3:]} and {shape2[-3:]} are incompatible")
        batch1, batch2 = reversed(shape1.dims[:-3]), reversed(shape2.dims[:-3])
        for dim1, dim2 in zip(batch1, batch2, strict=False):  # broadcast from the right
            if not (dim1.value == 1 or dim2.value == 1 or dim1.is_compatible_with(dim2)):
                raise ValueError(f"Two images are not compatible: {shape1} and {shape2}")
    shape1, shape2 = array_ops.shape_n([img1, img2])
    return [
        Assert(math_ops.greater_equal(size(shape1), 3), [shape1, shape2], summarize=10),
        Assert(
            reduce_all(math_ops.equal(shape1[-3:], shape2[-3:])), [shape1, shape2], summarize=10
        ),
    ]


@undo.atomic
def psnr(a, b, max_val, name=None):
    """The peak signal-to-noise ratio between images ``a`` and ``b`` (each image of a batch:
    the last three dimensions), in dB, for pixel values up to ``max_val``.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     a, b = tf.zeros([2, 2, 1]), tf.fill([2, 2, 1], 0.1)
    ...     print(round(float(tf.Session().run(tf.image.psnr(a, b, 1.0))), 3))
    20.0
    """
    with name_scope(name, "PSNR", [a, b]):
        a = convert_to_tensor(a, name="a")
        b = convert_to_tensor(b, name="b")
        max_val = cast(max_val, a.dtype.base_dtype)
        max_val = convert_image_dtype(max_val, dtypes.float32)
        a = convert_image_dtype(a, dtypes.float32)
        b = convert_image_dtype(b, dtypes.float32)
        mse = reduce_mean(math_ops.squared_difference(a, b), [-3, -2, -1])
        psnr_val = math_ops.subtract(
            20 * math_ops.log(max_val) / math_ops.log(10.0),
            np.float32(10 / np.log(10)) * math_ops.log(mse),
            name="psnr",
        )
        checks = _verify_compatible_image_shapes(a, b)
        with control_dependencies(checks):
            return array_ops.identity(psnr_val)


def _fspecial_gauss(size_, sigma):
    """TF's Gaussian window: ``[size, size, 1, 1]`` weights summing to 1."""
    size_ = convert_to_tensor(size_, dtypes.int32)
    sigma = convert_to_tensor(sigma)
    coords = cast(range_op(size_), sigma.dtype.base_dtype)
    coords -= cast(size_ - 1, sigma.dtype.base_dtype) / 2.0
    g = math_ops.square(coords)
    g *= -0.5 / math_ops.square(sigma)
    g = array_ops.reshape(g, shape=[1, -1]) + array_ops.reshape(g, shape=[-1, 1])
    g = array_ops.reshape(g, shape=[1, -1])
    g = softmax(g)
    return array_ops.reshape(g, shape=[size_, size_, 1, 1])


def _ssim_per_channel(img1, img2, max_val, filter_size, filter_sigma, k1, k2):
    filter_size = constant(filter_size, dtype=dtypes.int32)
    filter_sigma = constant(filter_sigma, dtype=img1.dtype.base_dtype)
    shape1, shape2 = array_ops.shape_n([img1, img2])
    checks = [
        Assert(
            reduce_all(math_ops.greater_equal(shape1[-3:-1], filter_size)),
            [shape1, filter_size],
            summarize=8,
        ),
        Assert(
            reduce_all(math_ops.greater_equal(shape2[-3:-1], filter_size)),
            [shape2, filter_size],
            summarize=8,
        ),
    ]
    with control_dependencies(checks):
        img1 = array_ops.identity(img1)
    kernel = _fspecial_gauss(filter_size, filter_sigma)
    kernel = tile(kernel, multiples=[1, 1, shape1[-1], 1])

    def reducer(x):
        shape = array_ops.shape(x)
        x = array_ops.reshape(x, shape=concat([[-1], shape[-3:]], 0))
        y = depthwise_conv2d(x, kernel, strides=[1, 1, 1, 1], padding="VALID")
        return array_ops.reshape(y, concat([shape[:-3], array_ops.shape(y)[1:]], 0))

    c1 = (k1 * max_val) ** 2
    c2 = (k2 * max_val) ** 2
    mean0 = reducer(img1)
    mean1 = reducer(img2)
    num0 = mean0 * mean1 * 2.0
    den0 = math_ops.square(mean0) + math_ops.square(mean1)
    luminance = (num0 + c1) / (den0 + c1)
    num1 = reducer(img1 * img2) * 2.0
    den1 = reducer(math_ops.square(img1) + math_ops.square(img2))
    c2 *= 1.0  # TF's compensation factor (1.0, as MATLAB's MS-SSIM)
    cs = (num1 - num0 + c2) / (den1 - den0 + c2)
    axes = constant([-3, -2], dtype=dtypes.int32)
    ssim_val = reduce_mean(luminance * cs, axes)
    return ssim_val, reduce_mean(cs, axes)


@undo.atomic
def ssim(img1, img2, max_val, filter_size=11, filter_sigma=1.5, k1=0.01, k2=0.03):
    """The structural similarity of images ``img1`` and ``img2`` (each image of a batch: the
    last three dimensions, at least ``filter_size`` high and wide), averaged over pixels and
    channels; pixel values up to ``max_val``.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     img = tf.random_uniform([16, 16, 3], seed=1)
    ...     print(tf.Session().run(tf.image.ssim(img, img, 1.0)))
    1.0
    """
    with name_scope(None, "SSIM", [img1, img2]):
        img1 = convert_to_tensor(img1, name="img1")
        img2 = convert_to_tensor(img2, name="img2")
        checks = _verify_compatible_image_shapes(img1, img2)
        with control_dependencies(checks):
            img1 = array_ops.identity(img1)
        max_val = cast(max_val, img1.dtype.base_dtype)
        max_val = convert_image_dtype(max_val, dtypes.float32)
        img1 = convert_image_dtype(img1, dtypes.float32)
        img2 = convert_image_dtype(img2, dtypes.float32)
        per_channel, _ = _ssim_per_channel(img1, img2, max_val, filter_size, filter_sigma, k1, k2)
        return reduce_mean(per_channel, [-1])


_MS_SSIM_WEIGHTS = (0.0448, 0.2856, 0.3001, 0.2363, 0.1333)


def _halved(images: list, tails: list, heads: list) -> tuple[list, list]:
    """Each image (or batch) of ``images`` at half size: padded at the bottom and right by
    mirroring when a side is odd, then 2x2 average-pooled."""
    flat = [array_ops.reshape(x, concat([[-1], t], 0)) for x, t in zip(images, tails, strict=True)]
    remainder = math_ops.mod(tails[0], constant([2, 2, 1], dtype=dtypes.int32))
    odd = reduce_any(math_ops.not_equal(remainder, 0))

    def padded():
        paddings = pad(expand_dims(remainder, -1), [[1, 0], [1, 0]])
        return [pad(x, paddings, mode="SYMMETRIC") for x in flat]

    flat = cond(odd, padded, lambda: flat)
    pooled = [avg_pool(x, [1, 2, 2, 1], [1, 2, 2, 1], "VALID") for x in flat]
    tails = [s[1:] for s in array_ops.shape_n(pooled)]
    images = [
        array_ops.reshape(x, concat([h, t], 0))
        for x, h, t in zip(pooled, heads, tails, strict=True)
    ]
    return images, tails


@undo.atomic
def ssim_multiscale(
    img1,
    img2,
    max_val,
    power_factors=_MS_SSIM_WEIGHTS,
    filter_size=11,
    filter_sigma=1.5,
    k1=0.01,
    k2=0.03,
):
    """The multi-scale structural similarity of ``img1`` and ``img2`` (each image of a batch:
    the last three dimensions): contrast-structure terms at ``len(power_factors)`` scales,
    each half the size of the one before, and the SSIM of the smallest, raised to
    ``power_factors`` and multiplied, averaged over channels. The smallest scale must still
    be ``filter_size`` high and wide (176 pixels for the default five scales and filter).

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     img = tf.random_uniform([1, 64, 64, 1], seed=1)
    ...     same = tf.image.ssim_multiscale(img, img, 1.0, power_factors=(0.5, 0.5))
    ...     print(tf.Session().run(same))
    [1.]
    """
    with name_scope(None, "MS-SSIM", [img1, img2]):
        img1 = convert_to_tensor(img1, name="img1")
        img2 = convert_to_tensor(img2, name="img2")
        checks = _verify_compatible_image_shapes(img1, img2)
        with control_dependencies(checks):
            img1 = array_ops.identity(img1)
        max_val = cast(max_val, img1.dtype.base_dtype)
        max_val = convert_image_dtype(max_val, dtypes.float32)
        images = [
            convert_image_dtype(img1, dtypes.float32),
            convert_image_dtype(img2, dtypes.float32),
        ]
        shapes = array_ops.shape_n(images)
        heads, tails = [s[:-3] for s in shapes], [s[-3:] for s in shapes]
        contrasts = []
        for k in range(len(power_factors)):
            with name_scope(None, f"Scale{k}", images):
                if k > 0:
                    images, tails = _halved(images, tails, heads)
                ssim_val, cs = _ssim_per_channel(
                    *images, max_val, filter_size, filter_sigma, k1, k2
                )
                contrasts.append(relu(cs))
        terms = array_ops.stack([*contrasts[:-1], relu(ssim_val)], axis=-1)
        weighted = math_ops.pow(terms, constant(power_factors, dtype=terms.dtype.base_dtype))
        return reduce_mean(reduce_prod(weighted, [-1]), [-1])


__all__ = ["image_gradients", "psnr", "sobel_edges", "ssim", "ssim_multiscale", "total_variation"]
