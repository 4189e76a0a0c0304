"""``tf.image.resize_image_with_pad``: an image resized to fit a target size with its aspect
ratio kept, then zero-padded to that size, built from other ops as TF1 builds it."""

from __future__ import annotations

from scopeflow.framework import dtypes, undo
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.graph_api import name_scope
from scopeflow.ops.array.cast import cast
from scopeflow.ops.array.shape import squeeze
from scopeflow.ops.control.grouping import with_dependencies
from scopeflow.ops.image.resize import ResizeMethod, resize_images
from scopeflow.ops.image.transforms import (
    _batched,
    _check,
    _dimensions,
    _maximum,
    check_at_least_3d,
    pad_to_bounding_box,
)
from scopeflow.ops.math.elementwise import floor


@undo.atomic
def resize_image_with_pad(
    image, target_height, target_width, method=ResizeMethod.BILINEAR, align_corners=False
):
    """``image`` (3-D or 4-D) resized with ``method`` to the largest size within
    ``target_height`` x ``target_width`` that keeps its aspect ratio, then zero-padded
    (centred) to exactly that size.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     img = tf.ones([2, 4, 1])
    ...     out = tf.image.resize_image_with_pad(img, 4, 4)
    ...     print(out.shape.as_list(), tf.Session().run(out)[:, :, 0].astype(int).tolist())
    [4, 4, 1] [[0, 0, 0, 0], [1, 1, 1, 1], [1, 1, 1, 1], [0, 0, 0, 0]]
    """
    with name_scope(None, "resize_image_with_pad", [image]):
        image = convert_to_tensor(image, name="image")
        image, is_batch = _batched(image)
        check_at_least_3d(image)
        checks = [
            *_check(target_width > 0, "target_width must be > 0."),
            *_check(target_height > 0, "target_height must be > 0."),
        ]
        image = with_dependencies(checks, image)
        _, height, width, _ = _dimensions(image)
        f_height = cast(height, dtype=dtypes.float32)
        f_width = cast(width, dtype=dtypes.float32)
        f_target_height = cast(target_height, dtype=dtypes.float32)
        f_target_width = cast(target_width, dtype=dtypes.float32)
        ratio = _maximum(f_width / f_target_width, f_height / f_target_height)
        resized_height_float = f_height / ratio
        resized_width_float = f_width / ratio
        resized_height = cast(floor(resized_height_float), dtype=dtypes.int32)
        resized_width = cast(floor(resized_width_float), dtype=dtypes.int32)
        padding_height = (f_target_height - resized_height_float) / 2
        padding_width = (f_target_width - resized_width_float) / 2
        f_padding_height = floor(padding_height)
        f_padding_width = floor(padding_width)
        p_height = _maximum(0, cast(f_padding_height, dtype=dtypes.int32))
        p_width = _maximum(0, cast(f_padding_width, dtype=dtypes.int32))
        resized = resize_images(
            image, [resized_height, resized_width], method, align_corners=align_corners
        )
        padded = pad_to_bounding_box(resized, p_height, p_width, target_height, target_width)
        if padded.shape.ndims is None:
            raise ValueError("padded contains no shape.")
        return padded if is_batch else squeeze(padded, axis=[0])


__all__ = ["resize_image_with_pad"]
