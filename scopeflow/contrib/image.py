"""``tf.contrib.image``: projective transforms of images (``transform``, ``rotate``,
``translate``) on ``ImageProjectiveTransformV2``, the helpers building and composing the
transforms, built op for op as TF 1.15's ``tf.contrib.image`` builds them."""

from __future__ import annotations

from scopeflow.framework import dtypes
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.graph_api import name_scope
from scopeflow.ops.array.basic import ones, shape, zeros
from scopeflow.ops.array.cast import cast
from scopeflow.ops.array.join import concat
from scopeflow.ops.core.infer import constant_value
from scopeflow.ops.image.projective import (
    IMAGE_DTYPES,
    flat_transforms_to_matrices,
    image_projective_transform_v2,
    matrices_to_flat_transforms,
)
from scopeflow.ops.math.elementwise import cos, sin
from scopeflow.ops.math.matmul import matmul


def _as_batch(image_or_images):
    """The images as NHWC (``HW`` and ``HWC`` get unit dimensions), checked as TF1."""
    if image_or_images.dtype.base_dtype not in IMAGE_DTYPES:
        raise TypeError(f"Invalid dtype {image_or_images.dtype}.")
    rank = image_or_images.shape.ndims
    if rank is None:
        raise TypeError("image_or_images rank must be statically known")
    if rank == 2:
        return image_or_images[None, :, :, None]
    if rank == 3:
        return image_or_images[None, :, :, :]
    if rank == 4:
        return image_or_images
    raise TypeError("Images should have rank between 2 and 4.")


def _unbatch(output, rank: int):
    if rank == 2:
        return output[0, :, :, 0]
    if rank == 3:
        return output[0, :, :, :]
    return output


def transform(images, transforms, interpolation="NEAREST", output_shape=None, name=None):
    """``images`` (``HW``, ``HWC`` or ``NHWC``) transformed by ``transforms`` (``[8]`` or
    ``[N, 8]``, each mapping an output pixel to the input point it reads, see
    ``ops/image/projective.py``), read at the nearest pixel or bilinearly, zero outside.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     image = tf.reshape(tf.range(9.0), [3, 3])
    ...     shifted = tf.contrib.image.transform(image, [1, 0, -1, 0, 1, 0, 0, 0])
    ...     print(tf.Session().run(shifted))
    [[0. 0. 1.]
     [0. 3. 4.]
     [0. 6. 7.]]
    """
    with name_scope(name, "transform"):
        image_or_images = convert_to_tensor(images, name="images")
        transform_or_transforms = convert_to_tensor(transforms, dtypes.float32, name="transforms")
        batch = _as_batch(image_or_images)
        if output_shape is None:
            output_shape = shape(batch)[1:3]
            known = constant_value(output_shape)
            if known is not None:
                output_shape = known
        output_shape = convert_to_tensor(output_shape, dtypes.int32, name="output_shape")
        if not output_shape.shape.is_compatible_with([2]):
            raise ValueError(
                "output_shape must be a 1-D Tensor of 2 elements: new_height, new_width"
            )
        rank = transform_or_transforms.shape.ndims
        if rank == 1:
            transforms = transform_or_transforms[None]
        elif rank is None:
            raise TypeError("transform_or_transforms rank must be statically known")
        elif rank == 2:
            transforms = transform_or_transforms
        else:
            raise TypeError("Transforms should have rank 1 or 2.")
        output = image_projective_transform_v2(
            batch, transforms, output_shape, interpolation=interpolation.upper()
        )
        return _unbatch(output, image_or_images.shape.ndims)


def angles_to_projective_transforms(angles, image_height, image_width, name=None):
    """Transforms ``[N, 8]`` rotating images of the given size counterclockwise by
    ``angles`` (radians; a scalar or one per image) about their centres."""
    with name_scope(name, "angles_to_projective_transforms"):
        angle_or_angles = convert_to_tensor(angles, dtypes.float32, name="angles")
        rank = angle_or_angles.shape.ndims
        if rank == 0:
            angles = angle_or_angles[None]
        elif rank == 1:
            angles = angle_or_angles
        else:
            raise TypeError("Angles should have rank 0 or 1.")
        x_offset = (
            (image_width - 1) - (cos(angles) * (image_width - 1) - sin(angles) * (image_height - 1))
        ) / 2.0
        y_offset = (
            (image_height - 1)
            - (sin(angles) * (image_width - 1) + cos(angles) * (image_height - 1))
        ) / 2.0
        num_angles = shape(angles)[0]
        return concat(
            values=[
                cos(angles)[:, None],
                -sin(angles)[:, None],
                x_offset[:, None],
                sin(angles)[:, None],
                cos(angles)[:, None],
                y_offset[:, None],
                zeros((num_angles, 2), dtypes.float32),
            ],
            axis=1,
        )


def translations_to_projective_transforms(translations, name=None):
    """Transforms ``[N, 8]`` shifting images by ``translations`` (``[dx, dy]`` or one pair per
    image)."""
    with name_scope(name, "translations_to_projective_transforms"):
        given = convert_to_tensor(translations, dtypes.float32, name="translations")
        rank = given.shape.ndims
        if rank is None:
            raise TypeError("translation_or_translations rank must be statically known")
        if rank == 1:
            translations = given[None]
        elif rank == 2:
            translations = given
        else:
            raise TypeError("Translations should have rank 1 or 2.")
        count = shape(translations)[0]
        return concat(
            values=[
                ones((count, 1), dtypes.float32),
                zeros((count, 1), dtypes.float32),
                -translations[:, 0, None],
                zeros((count, 1), dtypes.float32),
                ones((count, 1), dtypes.float32),
                -translations[:, 1, None],
                zeros((count, 2), dtypes.float32),
            ],
            axis=1,
        )


def rotate(images, angles, interpolation="NEAREST", name=None):
    """``images`` rotated counterclockwise by ``angles`` (radians; a scalar, or one per image
    of a batch) about their centres; the corners left empty are zero."""
    with name_scope(name, "rotate"):
        image_or_images = convert_to_tensor(images)
        batch = _as_batch(image_or_images)
        image_height = cast(shape(batch)[1], dtypes.float32)[None]
        image_width = cast(shape(batch)[2], dtypes.float32)[None]
        output = transform(
            batch,
            angles_to_projective_transforms(angles, image_height, image_width),
            interpolation=interpolation,
        )
        return _unbatch(output, image_or_images.shape.ndims)


def translate(images, translations, interpolation="NEAREST", name=None):
    """``images`` shifted by ``translations`` (``[dx, dy]`` pixels, or one pair per image)."""
    with name_scope(name, "translate"):
        return transform(
            images,
            translations_to_projective_transforms(translations),
            interpolation=interpolation,
        )


def compose_transforms(*transforms):
    """One transform equivalent to applying each of ``transforms`` in order."""
    assert transforms, "transforms cannot be empty"
    with name_scope("compose_transforms"):
        composed = flat_transforms_to_matrices(transforms[0])
        for tr in transforms[1:]:
            composed = matmul(composed, flat_transforms_to_matrices(tr))
        return matrices_to_flat_transforms(composed)


__all__ = [
    "angles_to_projective_transforms",
    "compose_transforms",
    "flat_transforms_to_matrices",
    "matrices_to_flat_transforms",
    "rotate",
    "transform",
    "translate",
    "translations_to_projective_transforms",
]
