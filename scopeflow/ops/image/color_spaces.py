"""Linear colour spaces: ``tf.image.rgb_to_yiq``/``yiq_to_rgb`` (NTSC) and
``rgb_to_yuv``/``yuv_to_rgb``, each a ``tensordot`` of the last axis with TF's 3x3 kernel."""

from __future__ import annotations

from scopeflow.framework import undo
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.ops.math.matmul import tensordot

_RGB_TO_YIQ = [
    [0.299, 0.59590059, 0.2115],
    [0.587, -0.27455667, -0.52273617],
    [0.114, -0.32134392, 0.31119955],
]
_YIQ_TO_RGB = [
    [1, 1, 1],
    [0.95598634, -0.27201283, -1.10674021],
    [0.6208248, -0.64720424, 1.70423049],
]
_RGB_TO_YUV = [
    [0.299, -0.14714119, 0.61497538],
    [0.587, -0.28886916, -0.51496512],
    [0.114, 0.43601035, -0.10001026],
]
_YUV_TO_RGB = [[1, 1, 1], [0, -0.394642334, 2.03206185], [1.13988303, -0.58062185, 0]]


def _convert(images, kernel):
    images = convert_to_tensor(images, name="images")
    kernel = convert_to_tensor(kernel, dtype=images.dtype, name="kernel")
    ndims = images.shape.ndims
    return tensordot(images, kernel, axes=[[ndims - 1], [0]])


@undo.atomic
def rgb_to_yiq(images):
    """RGB images (last axis of size 3, values in ``[0, 1]``) in the YIQ colour space.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     print(tf.Session().run(tf.image.rgb_to_yiq([[1.0, 0.5, 0.0]])))
    [[ 0.5925      0.45862228 -0.04986809]]
    """
    return _convert(images, _RGB_TO_YIQ)


@undo.atomic
def yiq_to_rgb(images):
    """YIQ images back to RGB (the inverse of :func:`rgb_to_yiq`)."""
    return _convert(images, _YIQ_TO_RGB)


@undo.atomic
def rgb_to_yuv(images):
    """RGB images (last axis of size 3, values in ``[0, 1]``) in the YUV colour space.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     print(tf.Session().run(tf.image.rgb_to_yuv([[1.0, 0.5, 0.0]])))
    [[ 0.5925     -0.2915758   0.35749283]]
    """
    return _convert(images, _RGB_TO_YUV)


@undo.atomic
def yuv_to_rgb(images):
    """YUV images back to RGB (the inverse of :func:`rgb_to_yuv`)."""
    return _convert(images, _YUV_TO_RGB)


__all__ = ["rgb_to_yiq", "rgb_to_yuv", "yiq_to_rgb", "yuv_to_rgb"]
