"""``tf.image.sample_distorted_bounding_box`` (``SampleDistortedBoundingBoxV2``), as TF's CPU
kernel samples it.

TF's rejection loop: ``max_attempts`` tries, each of an aspect ratio, a height and an offset
drawn from ``SimplePhilox`` on the op's Philox4x32-10 stream (``ops/random/philox.py``, keyed
by ``seed``/``seed2``), a run reserving ``4 * max_attempts`` words as TF's
``GuardedPhiloxRandom`` does, so a seeded op gives TF's boxes run after run. As in TF1's
``tf.image.sample_distorted_bounding_box``, the graph seed is not used: with ``seed`` and
``seed2`` both 0 each session draws from fresh entropy.
"""

from __future__ import annotations

import collections
import math

import numpy as np

from scopeflow.framework import dtypes, errors, undo
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.registry import NOT_DIFFERENTIABLE, register_op
from scopeflow.framework.tensor_shape import TensorShape
from scopeflow.ops.core.infer import apply_op, check_dtype_in
from scopeflow.ops.kernels.quiet import quiet
from scopeflow.ops.random.philox import op_stream, philox_words

_SIZE_TYPES = (dtypes.uint8, dtypes.int8, dtypes.int16, dtypes.int32, dtypes.int64)
_INT32_MAX = 2**31 - 1


# -- TF's SimplePhilox: the op's Philox words one at a time --------------------------------------


class _SimplePhilox:
    """TF's ``SimplePhilox`` on a copy of the op's generator starting at ``counter``: words in
    order, more counters read as needed (past the run's reservation, as TF's copy does)."""

    def __init__(self, key: int, counter: int, blocks: int):
        self._key, self._next = key, counter
        self._words: list[int] = []
        self._fetch(blocks)

    def _fetch(self, blocks: int) -> None:
        words = philox_words(self._key, self._next, blocks).ravel()
        self._words = [int(w) for w in words[::-1]]  # popped from the end: the first word last
        self._next += blocks

    def rand32(self) -> int:
        if not self._words:
            self._fetch(1)
        return self._words.pop()

    def rand_float(self) -> float:
        """A float32 in [0, 1) from 23 random mantissa bits (TF's ``Uint32ToFloat``)."""
        bits = np.uint32((127 << 23) | (self.rand32() & 0x7FFFFF))
        return float(bits.view(np.float32)) - 1.0

    def uniform(self, n: int) -> int:
        """An integer in [0, n) without modulo bias (TF's ``ExactUniformInt``)."""
        rem = (2**32) % n
        while True:
            bits = self.rand32()
            if bits >= rem:
                return bits % n


# -- the kernel ---------------------------------------------------------------------------------


def _lrintf(x: float) -> int:
    """C's ``lrintf``: x rounded in float32 to the nearest integer, ties to even."""
    return int(np.rint(np.float32(x)))


def _f32(x) -> float:
    return float(np.float32(x))


def _random_crop(width, height, min_area_rel, max_area_rel, aspect, rng):
    """TF's ``GenerateRandomCrop``: ``(x, y, w, h)`` or None when the constraints fail."""
    if max_area_rel <= 0 or aspect <= 0 or width <= 0 or height <= 0:
        return None
    if min_area_rel > max_area_rel:
        return None
    min_area = _f32(_f32(min_area_rel * width) * height)
    max_area = _f32(_f32(max_area_rel * width) * height)
    h = _lrintf(math.sqrt(_f32(min_area / aspect)))
    max_h = _lrintf(math.sqrt(_f32(max_area / aspect)))
    if _lrintf(_f32(max_h * aspect)) > width:
        max_h = int((width + 0.5 - 0.0000001) / aspect)
        if _lrintf(_f32(max_h * aspect)) > width:
            max_h -= 1
    max_h = min(max_h, height)
    h = min(h, max_h)
    if h < max_h:
        h += rng.uniform(max_h - h + 1)
    w = _lrintf(_f32(h * aspect))
    area = float(w * h)
    if area < min_area:
        h += 1
        w = _lrintf(_f32(h * aspect))
        area = float(w * h)
    if area > max_area:
        h -= 1
        w = _lrintf(_f32(h * aspect))
        area = float(w * h)
    if area < min_area or area > max_area or w > width or h > height or w <= 0 or h <= 0:
        return None
    y = rng.uniform(height - h) if h < height else 0
    x = rng.uniform(width - w) if w < width else 0
    return x, y, w, h


def _covers_an_object(crop, min_covered: float, objects) -> bool:
    """TF's ``SatisfiesOverlapConstraints``: the crop has pixels and covers at least
    ``min_covered`` of some object with pixels."""
    x, y, w, h = crop
    if w * h < 1:
        return False
    for x0, y0, x1, y1 in objects:
        area = (x1 - x0) * (y1 - y0)
        if area < 1:
            continue
        ix0, iy0, ix1, iy1 = max(x, x0), max(y, y0), min(x + w, x1), min(y + h, y1)
        inter = 0 if ix0 > ix1 or iy0 > iy1 else (ix1 - ix0) * (iy1 - iy0)
        if _f32(np.float32(inter) / np.float32(area)) >= min_covered:
            return True
    return False


def _attr_pair(op, name: str, what: str) -> tuple[float, float]:
    pair = [float(v) for v in op._attrs[name]]
    if len(pair) != 2:
        raise errors.InvalidArgumentError(None, op, f"{what} field must specify 2 dimensions")
    if not (pair[0] > 0 and pair[1] > 0):
        shown = ", ".join(f"{v:g}" for v in pair)
        raise errors.InvalidArgumentError(None, op, f"{what} must be non-negative: [{shown}]")
    return pair[0], pair[1]


def _sample_kernel(ctx, op, image_size, boxes, min_covered):
    attempts = int(op._attrs["max_attempts"])
    aspect_lo, aspect_hi = _attr_pair(op, "aspect_ratio_range", "Aspect ratio range")
    area_lo, area_hi = _attr_pair(op, "area_range", "Area range")
    if attempts <= 0:
        raise errors.InvalidArgumentError(
            None, op, f"Max attempts must be non-negative: {attempts}"
        )
    if image_size.shape != (3,):
        raise errors.InvalidArgumentError(
            None, op, f"image_size must be 1-D with 3 elements, got shape {image_size.shape}"
        )
    if boxes.ndim != 3 or boxes.shape[2] != 4:
        raise errors.InvalidArgumentError(
            None, op, f"input boxes must be 3-dimensional [batch, num_boxes, coords]: {boxes.shape}"
        )
    min_covered = float(min_covered)
    if min_covered < 0:
        raise errors.InvalidArgumentError(
            None, op, f"Min object covered must be non-negative: {min_covered:g}"
        )
    height, width = (int(v) for v in image_size[:2])
    for what, value in (("height", height), ("width", width)):
        if not 0 <= value < _INT32_MAX:
            raise errors.InvalidArgumentError(None, op, f"image {what} cannot be >= int32 max")
    corners = boxes.astype(np.float32).reshape(-1, 4)
    bad = corners[(corners < 0) | (corners > 1)]
    if bad.size:
        raise errors.InvalidArgumentError(
            None, op, f"All bounding box coordinates must be in [0.0, 1.0]: {float(bad[0]):g}"
        )
    objects = [
        (
            int(np.float32(x0) * np.float32(width)),
            int(np.float32(y0) * np.float32(height)),
            int(np.float32(x1) * np.float32(width)),
            int(np.float32(y1) * np.float32(height)),
        )
        for y0, x0, y1, x1 in corners
    ]
    if not objects:
        if not op._attrs["use_image_if_no_bounding_boxes"]:
            raise errors.InvalidArgumentError(
                None,
                op,
                "No bounding boxes provided as input. One must enable "
                "use_image_if_no_bounding_boxes if you wish to not provide any bounding boxes.",
            )
        objects = [(0, 0, width, height)]
    stream = op_stream(ctx, op)  # TF's ReserveSamples32(4 * attempts): one block per attempt
    rng = _SimplePhilox(stream.key, stream.skip(attempts), attempts)
    crop = (0, 0, width, height)
    for _ in range(attempts):
        aspect = _f32(_f32(rng.rand_float() * _f32(aspect_hi - aspect_lo)) + aspect_lo)
        candidate = _random_crop(width, height, area_lo, area_hi, aspect, rng)
        if candidate is not None and _covers_an_object(candidate, min_covered, objects):
            crop = candidate
            break
    x, y, w, h = crop
    dtype = image_size.dtype
    begin = np.array([y, x, 0], dtype)
    size = np.array([h, w, -1], dtype)
    with quiet():  # 0 / 0 for an empty image: NaN, as TF
        rel = np.array([y, x, y + h, x + w], np.float32) / np.array(
            [height, width, height, width], np.float32
        )
    return [begin, size, rel.reshape(1, 1, 4)]


def _sample_infer(inputs, attrs):
    image_size, boxes, min_covered = inputs
    dtype = check_dtype_in("SampleDistortedBoundingBoxV2", "image_size", image_size, _SIZE_TYPES)
    check_dtype_in("SampleDistortedBoundingBoxV2", "bounding_boxes", boxes, (dtypes.float32,))
    for t, rank in ((image_size, 1), (boxes, 3), (min_covered, 0)):
        if t.shape.ndims is not None and t.shape.ndims != rank:
            raise ValueError(f"Shape must be rank {rank} but is rank {t.shape.ndims}")
    if image_size.shape.ndims == 1 and image_size.shape[0].value not in (None, 3):
        raise ValueError(f"Dimension must be 3 but is {image_size.shape[0].value}")
    if boxes.shape.ndims == 3 and boxes.shape[2].value not in (None, 4):
        raise ValueError(f"Dimension must be 4 but is {boxes.shape[2].value}")
    return [
        (dtype, TensorShape([3])),
        (dtype, TensorShape([3])),
        (dtypes.float32, TensorShape([1, 1, 4])),
    ]


register_op(
    "SampleDistortedBoundingBoxV2",
    _sample_infer,
    kernel=_sample_kernel,
    grad=NOT_DIFFERENTIABLE,
    stateful=True,
)

SampleDistortedBoundingBox = collections.namedtuple(
    "SampleDistortedBoundingBoxV2", ["begin", "size", "bboxes"]
)


@undo.atomic
def sample_distorted_bounding_box(
    image_size,
    bounding_boxes,
    seed=None,
    seed2=None,
    min_object_covered=0.1,
    aspect_ratio_range=None,
    area_range=None,
    max_attempts=None,
    use_image_if_no_bounding_boxes=None,
    name=None,
):
    """A random crop of an image of ``image_size`` (``[height, width, channels]``) covering at
    least ``min_object_covered`` of one of ``bounding_boxes`` (``[batch, N, 4]`` relative
    ``[y_min, x_min, y_max, x_max]``): ``(begin, size, bboxes)`` for ``tf.slice`` and
    ``tf.image.draw_bounding_boxes``. Seeded by ``seed``/``seed2`` alone, as TF1.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     begin, size, box = tf.image.sample_distorted_bounding_box(
    ...         [10, 12, 3], [[[0.1, 0.1, 0.5, 0.5]]], seed=3)
    ...     print(tf.Session().run([begin, size]))
    [array([0, 3, 0], dtype=int32), array([ 9,  7, -1], dtype=int32)]
    """
    attrs = {
        "seed": int(seed or 0),
        "seed2": int(seed2 or 0),
        "aspect_ratio_range": [0.75, 1.33] if aspect_ratio_range is None else aspect_ratio_range,
        "area_range": [0.05, 1.0] if area_range is None else area_range,
        "max_attempts": 100 if max_attempts is None else int(max_attempts),
        "use_image_if_no_bounding_boxes": bool(use_image_if_no_bounding_boxes),
    }
    for key in ("aspect_ratio_range", "area_range"):  # float attrs are float32, as in TF
        attrs[key] = [float(np.float32(v)) for v in attrs[key]]
    with name_scope(name, "sample_distorted_bounding_box"):
        with name_scope(name, "SampleDistortedBoundingBoxV2") as scope:
            size = convert_to_tensor(image_size, name="image_size")
            boxes = convert_to_tensor(bounding_boxes, dtypes.float32, name="bounding_boxes")
            covered = convert_to_tensor(
                min_object_covered, dtypes.float32, name="min_object_covered"
            )
            begin, size_out, bboxes = apply_op(
                "SampleDistortedBoundingBoxV2", [size, boxes, covered], attrs, name=scope
            )
    return SampleDistortedBoundingBox(begin, size_out, bboxes)


__all__ = ["sample_distorted_bounding_box"]
