"""``tf.image`` geometry as TF1 builds it: flips (also random), ``rot90``,
``transpose_image``, ``central_crop``, ``crop_to_bounding_box``, ``pad_to_bounding_box``,
``resize_image_with_crop_or_pad`` and ``tf.random_crop``, on single images (``[height,
width, channels]``) or batches (``[batch, height, width, channels]``).

All are compositions of existing ops (``ReverseV2``, ``Transpose``, ``Slice``, ``Pad``...)
under TF1's scopes, passing the image through TF1's ``control_dependency`` identity. TF1's
checks and errors are kept: at build time on known sizes, else as run-time ``Assert`` ops
(TF1's extra asserts that an image of unknown shape has rank >= 3 and no empty dimension are
left out: the kernels fail on those).
"""

from __future__ import annotations

from scopeflow.framework import dtypes, undo
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.tensor import Tensor
from scopeflow.ops.array import basic as array_ops
from scopeflow.ops.array.cast import cast
from scopeflow.ops.array.join import reverse, unstack
from scopeflow.ops.array.pad import pad
from scopeflow.ops.array.shape import expand_dims, squeeze
from scopeflow.ops.array.slicing import slice as slice_op
from scopeflow.ops.array.transpose import transpose
from scopeflow.ops.control.assertions import Assert
from scopeflow.ops.control.case import case
from scopeflow.ops.control.cond import cond
from scopeflow.ops.control.grouping import with_dependencies
from scopeflow.ops.math import elementwise as math_ops
from scopeflow.ops.math.reduction import reduce_all
from scopeflow.ops.random.sampling import random_uniform


def check_at_least_3d(image) -> None:
    """TF1's build-time check that ``image`` may be an image (rank >= 3, inner dims > 0)."""
    shape = image.shape
    if shape.ndims is not None and shape.ndims < 3:
        raise ValueError(f"'image' (shape {shape}) must be at least three-dimensional.")
    if shape.ndims is not None and any(d.value == 0 for d in list(shape)[-3:]):
        raise ValueError(f"inner 3 dims of 'image.shape' must be > 0: {shape}")


def assert_at_least_3d(image):
    """``image`` checked (:func:`check_at_least_3d`) and passed through TF1's
    ``control_dependency`` identity."""
    check_at_least_3d(image)
    return with_dependencies([], image)


def _known_rank(image, function: str) -> int:
    """The rank of ``image``, which must be 3 or 4 and known while building."""
    if image.shape.ndims is None:
        raise NotImplementedError(
            f"tf.image.{function} of an image of unknown rank is not supported; set its "
            "rank (image.set_shape([None, None, channels]) or [batch, None, None, channels])."
        )
    if image.shape.ndims not in (3, 4):
        raise ValueError(f"'image' (shape {image.shape}) must have either 3 or 4 dimensions.")
    return image.shape.ndims


def _flip(image, axis: int, scope_name: str):
    with name_scope(None, scope_name, [image]):
        image = assert_at_least_3d(convert_to_tensor(image, name="image"))
        rank = _known_rank(image, scope_name)
        return reverse(image, [axis + (rank == 4)])


@undo.atomic
def flip_left_right(image):
    """``image`` (3-D or 4-D) mirrored along its width.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     img = tf.reshape(tf.range(3), [1, 3, 1])
    ...     print(tf.Session().run(tf.image.flip_left_right(img)).ravel())
    [2 1 0]
    """
    return _flip(image, 1, "flip_left_right")


@undo.atomic
def flip_up_down(image):
    """``image`` (3-D or 4-D) mirrored along its height."""
    return _flip(image, 0, "flip_up_down")


def _random_flip(image, axis: int, seed, scope_name: str):
    with name_scope(None, scope_name, [image]) as scope:
        image = assert_at_least_3d(convert_to_tensor(image, name="image"))
        rank = _known_rank(image, scope_name)
        if rank == 3:
            mirror = math_ops.less(random_uniform([], 0, 1.0, seed=seed), 0.5)
            result = cond(mirror, lambda: reverse(image, [axis]), lambda: image, name=scope)
            result.set_shape(image.shape)
            return result
        batch = array_ops.shape(image)[0]
        uniform = random_uniform([batch], 0, 1.0, seed=seed)
        flips = math_ops.round(array_ops.reshape(uniform, [batch, 1, 1, 1]))
        if flips.dtype != image.dtype:
            flips = cast(flips, image.dtype)
        flipped = reverse(image, [axis + 1])
        return flips * flipped + (1 - flips) * image


@undo.atomic
def random_flip_left_right(image, seed=None):
    """``image`` mirrored along its width with probability 1/2 (each image of a batch on its
    own draw)."""
    return _random_flip(image, 1, seed, "random_flip_left_right")


@undo.atomic
def random_flip_up_down(image, seed=None):
    """``image`` mirrored along its height with probability 1/2 (each image of a batch on its
    own draw)."""
    return _random_flip(image, 0, seed, "random_flip_up_down")


def _rotations(image, rank: int) -> dict:
    """The image turned 90, 180 and 270 degrees counter-clockwise, as functions."""
    h, w = (0, 1) if rank == 3 else (1, 2)
    swap = [1, 0, 2] if rank == 3 else [0, 2, 1, 3]
    return {
        1: lambda: transpose(reverse(image, [w]), swap),
        2: lambda: reverse(image, [h, w]),
        3: lambda: reverse(transpose(image, swap), [w]),
    }


@undo.atomic
def rot90(image, k=1, name=None):
    """``image`` (3-D or 4-D) rotated ``k`` times 90 degrees counter-clockwise.

    ``k`` a Python int builds the one rotation it asks for (TF1 builds all four in a
    ``tf.case`` and loses the static height and width); a tensor ``k`` builds the
    ``tf.case``.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     img = tf.reshape(tf.range(4), [2, 2, 1])
    ...     print(tf.Session().run(tf.image.rot90(img))[..., 0])
    [[1 3]
     [0 2]]
    """
    with name_scope(name, "rot90", [image, k]) as scope:
        image = assert_at_least_3d(convert_to_tensor(image, name="image"))
        rotations = _rotations(image, _known_rank(image, "rot90"))
        if not isinstance(k, Tensor):
            turn = int(k) % 4
            return image if turn == 0 else rotations[turn]()
        k = convert_to_tensor(k, dtype=dtypes.int32, name="k") % 4
        pairs = [(math_ops.equal(k, turn), rotations[turn]) for turn in (1, 2, 3)]
        return case(pairs, default=lambda: image, exclusive=True, name=scope)


@undo.atomic
def transpose_image(image, name=None):
    """``image`` (3-D or 4-D) with height and width swapped (also ``tf.image.transpose``)."""
    with name_scope(name, "transpose", [image]):
        image = assert_at_least_3d(convert_to_tensor(image, name="image"))
        perm = [1, 0, 2] if _known_rank(image, "transpose_image") == 3 else [0, 2, 1, 3]
        return transpose(image, perm, name=name or "transpose")


def _batched(image):
    """``(image as 4-D, whether it was)``: a 3-D image gets a batch dimension."""
    ndims = image.shape.ndims
    if ndims == 3:
        return expand_dims(image, 0), False
    if ndims is None:
        image = expand_dims(image, 0)
        image.set_shape([None] * 4)
        return image, False
    if ndims != 4:
        raise ValueError(f"'image' (shape {image.shape}) must have either 3 or 4 dimensions.")
    return image, True


def _dimensions(image) -> list:
    """Each dimension of a 4-D ``image``: its static size, or a scalar tensor (TF1's
    ``_ImageDimensions``: one ``Unpack`` of its shape)."""
    static = image.shape.as_list()
    if None not in static:
        return static
    dynamic = unstack(array_ops.shape(image), 4)
    return [d if d is not None else t for d, t in zip(static, dynamic, strict=True)]


def _check(condition, message: str) -> list:
    """TF1's ``_assert``: a condition known while building raises ``ValueError`` when false;
    a tensor one becomes an ``Assert`` op (returned, for the image to wait on)."""
    if isinstance(condition, Tensor):
        return [Assert(condition, [message])]
    if not condition:
        raise ValueError(message)
    return []


@undo.atomic
def crop_to_bounding_box(image, offset_height, offset_width, target_height, target_width):
    """The ``target_height`` x ``target_width`` window of ``image`` (3-D or 4-D) whose
    top-left corner is at ``(offset_height, offset_width)``."""
    with name_scope(None, "crop_to_bounding_box", [image]):
        image = convert_to_tensor(image, name="image")
        image, is_batch = _batched(image)
        check_at_least_3d(image)
        batch, height, width, depth = _dimensions(image)
        checks = [
            *_check(offset_width >= 0, "offset_width must be >= 0."),
            *_check(offset_height >= 0, "offset_height must be >= 0."),
            *_check(target_width > 0, "target_width must be > 0."),
            *_check(target_height > 0, "target_height must be > 0."),
            *_check(width >= target_width + offset_width, "width must be >= target + offset."),
            *_check(height >= target_height + offset_height, "height must be >= target + offset."),
        ]
        image = with_dependencies(checks, image)
        begin = array_ops.stack([0, offset_height, offset_width, 0])
        dynamic = array_ops.shape
        size = array_ops.stack([dynamic(image)[0], target_height, target_width, dynamic(image)[3]])
        cropped = slice_op(image, begin, size)
        dims = [batch, target_height, target_width, depth]
        cropped.set_shape([None if isinstance(d, Tensor) else d for d in dims])
        return cropped if is_batch else squeeze(cropped, axis=[0])


@undo.atomic
def pad_to_bounding_box(image, offset_height, offset_width, target_height, target_width):
    """``image`` (3-D or 4-D) zero-padded to ``target_height`` x ``target_width``, with
    ``offset_height`` rows above it and ``offset_width`` columns left of it."""
    with name_scope(None, "pad_to_bounding_box", [image]):
        image = convert_to_tensor(image, name="image")
        image, is_batch = _batched(image)
        batch, height, width, depth = _dimensions(image)
        after_width = target_width - offset_width - width
        after_height = target_height - offset_height - height
        check_at_least_3d(image)
        checks = [
            *_check(offset_height >= 0, "offset_height must be >= 0"),
            *_check(offset_width >= 0, "offset_width must be >= 0"),
            *_check(after_width >= 0, "width must be <= target - offset"),
            *_check(after_height >= 0, "height must be <= target - offset"),
        ]
        image = with_dependencies(checks, image)
        amounts = [0, 0, offset_height, after_height, offset_width, after_width, 0, 0]
        paddings = array_ops.reshape(array_ops.stack(amounts), [4, 2])
        padded = pad(image, paddings)
        dims = [batch, target_height, target_width, depth]
        padded.set_shape([None if isinstance(d, Tensor) else d for d in dims])
        return padded if is_batch else squeeze(padded, axis=[0])


def _maximum(x, y):
    return math_ops.maximum(x, y) if isinstance(x, Tensor) or isinstance(y, Tensor) else max(x, y)


def _minimum(x, y):
    return math_ops.minimum(x, y) if isinstance(x, Tensor) or isinstance(y, Tensor) else min(x, y)


@undo.atomic
def resize_image_with_crop_or_pad(image, target_height, target_width):
    """``image`` (3-D or 4-D) centrally cropped and/or zero-padded to ``target_height`` x
    ``target_width``.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     img = tf.zeros([4, 6, 3])
    ...     tf.image.resize_image_with_crop_or_pad(img, 2, 8).shape.as_list()
    [2, 8, 3]
    """
    with name_scope(None, "resize_image_with_crop_or_pad", [image]):
        image = convert_to_tensor(image, name="image")
        image, is_batch = _batched(image)
        check_at_least_3d(image)
        checks = [
            *_check(target_width > 0, "target_width must be > 0."),
            *_check(target_height > 0, "target_height must be > 0."),
        ]
        image = with_dependencies(checks, image)
        _, height, width, _ = _dimensions(image)
        width_diff = target_width - width
        height_diff = target_height - height
        cropped = crop_to_bounding_box(
            image,
            _maximum(-height_diff // 2, 0),
            _maximum(-width_diff // 2, 0),
            _minimum(target_height, height),
            _minimum(target_width, width),
        )
        resized = pad_to_bounding_box(
            cropped,
            _maximum(height_diff // 2, 0),
            _maximum(width_diff // 2, 0),
            target_height,
            target_width,
        )
        resized = with_dependencies([], resized)
        return resized if is_batch else squeeze(resized, axis=[0])


resize_with_crop_or_pad = resize_image_with_crop_or_pad


@undo.atomic
def central_crop(image, central_fraction):
    """The central ``central_fraction`` (in (0, 1], a Python number) of the height and width
    of ``image`` (3-D or 4-D)."""
    with name_scope(None, "central_crop", [image]):
        image = convert_to_tensor(image, name="image")
        if isinstance(central_fraction, Tensor):
            raise NotImplementedError(
                "tf.image.central_crop with a tensor central_fraction is not supported; pass "
                "a Python number, or use tf.image.crop_to_bounding_box."
            )
        if central_fraction <= 0.0 or central_fraction > 1.0:
            raise ValueError("central_fraction must be within (0, 1]")
        if central_fraction == 1.0:
            return image
        checked = assert_at_least_3d(image)
        rank = _known_rank(image, "central_crop")
        dims = image.shape.as_list()
        h, w = (0, 1) if rank == 3 else (1, 2)
        if dims[h] is None or dims[w] is None:
            return _central_crop_dynamic(image, checked, central_fraction, dims, h, w)
        top = int((dims[h] - dims[h] * central_fraction) / 2)
        left = int((dims[w] - dims[w] * central_fraction) / 2)
        height, width = dims[h] - 2 * top, dims[w] - 2 * left
        if rank == 3:
            begin, size = [top, left, 0], [height, width, -1]
        else:
            begin, size = [0, top, left, 0], [-1, height, width, -1]
        cropped = slice_op(image, array_ops.stack(begin), array_ops.stack(size))
        dims[h], dims[w] = height, width
        cropped.set_shape(dims)
        return cropped


def _central_crop_dynamic(image, checked, fraction, dims, h, w):
    """TF's central crop when the height or width is known only at run time: the unknown
    sizes read from the checked image's shape, each start computed in float64 as TF does."""
    sizes = {a: array_ops.shape(checked)[a] if dims[a] is None else dims[a] for a in (h, w)}
    starts = {}
    for axis in (h, w):
        size = sizes[axis]
        if isinstance(size, Tensor):
            size_f = cast(size, dtypes.float64)
            start = (size_f - size_f * cast(fraction, dtypes.float64)) / 2
            starts[axis] = cast(start, dtypes.int32)
        else:
            starts[axis] = int((size - size * fraction) / 2)
    begin, size = [0] * len(dims), [-1] * len(dims)
    for axis in (h, w):
        begin[axis], size[axis] = starts[axis], sizes[axis] - starts[axis] * 2
        dims[axis] = None if isinstance(size[axis], Tensor) else size[axis]
    cropped = slice_op(image, array_ops.stack(begin), array_ops.stack(size))
    cropped.set_shape(dims)
    return cropped


@undo.atomic
def random_crop(value, size, seed=None, name=None):
    """A ``size`` window of ``value`` (any rank) at a uniformly random offset; fails at run
    time when ``value`` is smaller than ``size``.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     tf.random_crop(tf.zeros([32, 32, 3]), [24, 24, 3]).shape.as_list()
    [24, 24, 3]
    """
    with name_scope(name, "random_crop", [value, size]) as scope:
        value = convert_to_tensor(value, name="value")
        size = convert_to_tensor(size, dtype=dtypes.int32, name="size")
        shape = array_ops.shape(value)
        check = Assert(
            reduce_all(math_ops.greater_equal(shape, size)),
            ["Need value.shape >= size, got ", shape, size],
            summarize=1000,
        )
        shape = with_dependencies([check], shape)
        limit = shape - size + 1
        offset = random_uniform(
            array_ops.shape(shape), dtype=size.dtype, maxval=size.dtype.max, seed=seed
        )
        return slice_op(value, offset % limit, size, name=scope)


__all__ = [
    "central_crop",
    "crop_to_bounding_box",
    "flip_left_right",
    "flip_up_down",
    "pad_to_bounding_box",
    "random_crop",
    "random_flip_left_right",
    "random_flip_up_down",
    "resize_image_with_crop_or_pad",
    "resize_with_crop_or_pad",
    "rot90",
    "transpose_image",
]
