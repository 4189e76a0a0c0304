"""Tests for non-max suppression (scopeflow/ops/image/nms.py), ``tf.image.crop_and_resize``
(crop_resize.py) and ``tf.nn.max_pool_with_argmax`` (scopeflow/ops/nn/pool_argmax.py): TF1's
ops and names (TensorFlow 2.21's records, ``tests/data/tf_reference/image_boxes.json``), the
kernels against TF's own outputs (the literal values below came from TF 2.21) or a loop over
pixels written from TF's kernels, and the gradients against finite differences."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf
from tests.ops.grad_check import GradCase, check_gradient_case, gradient_cases
from tests.ops.graph_checks import record_tests, setup_of, tf_reference
from tests.ops.kernel_table import Case, Raises, cases_by_mode, check_case

REFERENCE = tf_reference("image_boxes")
SETUP = setup_of(REFERENCE)
GROUPS = REFERENCE["groups"]
DIFFERENCES: dict = {}

(
    test_builds_tf1s_graph,
    test_gradients_build_tf1s_ops,
    test_build_errors,
    test_every_difference_is_a_recorded_expression,
) = record_tests(GROUPS, DIFFERENCES)

BOXES = np.array(
    [[0, 0, 1, 1], [0, 0.1, 1, 1.1], [0, -0.1, 1, 0.9], [0, 10, 1, 11], [1, 10.1, 0, 11.1]]
    + [[0, 100, 1, 101]],
    np.float32,
)
SCORES = np.array([0.9, 0.75, 0.6, 0.95, 0.5, 0.3], np.float32)
OVERLAPS = np.array(
    [[1, 0.6, 0.2, 0], [0.6, 1, 0.7, 0.1], [0.2, 0.7, 1, 0.4], [0, 0.1, 0.4, 1]], np.float32
)
I32 = np.int32


def _nms(name, build, arrays, want, op_type="NonMaxSuppressionV3", modes=("full", "dims")):
    return Case(name, op_type, build, arrays, want, modes=modes, exact_static=False)


NMS_CASES = [
    _nms("v3", lambda b, s: tf.image.non_max_suppression(b, s, 3), (BOXES, SCORES), I32([3, 0, 5])),
    _nms(
        "v3-score-threshold",
        lambda b, s: tf.image.non_max_suppression(b, s, 6, 0.5, 0.4),
        (BOXES, SCORES),
        I32([3, 0]),
    ),
    _nms(
        "v5-soft",
        lambda b, s: list(tf.image.non_max_suppression_with_scores(b, s, 6, 0.5, 0.0, 0.5)),
        (BOXES, SCORES),
        [
            I32([3, 0, 1, 5, 4, 2]),
            np.float32([0.95, 0.9, 0.38400355, 0.3, 0.2560026, 0.19697244]),
        ],
        "NonMaxSuppressionV5",
    ),
    _nms(
        "v4-padded",
        lambda b, s: list(tf.image.non_max_suppression_padded(b, s, 5, 0.5, 0.0, True)),
        (BOXES, SCORES),
        [I32([3, 0, 5, 0, 0]), I32(3)],
        "NonMaxSuppressionV4",
    ),
    _nms(
        "v4-unpadded",
        lambda b, s: list(tf.image.non_max_suppression_padded(b, s, 5, 0.5, 0.0)),
        (BOXES, SCORES),
        [I32([3, 0, 5]), I32(3)],
        "NonMaxSuppressionV4",
    ),
    _nms(
        "overlaps",
        lambda o, s: tf.image.non_max_suppression_overlaps(o, s, 4, 0.5),
        (OVERLAPS, np.float32([0.5, 0.9, 0.8, 0.8])),
        I32([1, 3]),
        "NonMaxSuppressionWithOverlaps",
    ),
    _nms(
        "iou-out-of-range",
        lambda b, s: tf.image.non_max_suppression(b, s, 3, 1.5),
        (BOXES, SCORES),
        Raises(tf.errors.InvalidArgumentError, "iou_threshold must be in [0, 1]"),
    ),
    _nms(
        "scores-mismatch",
        lambda b, s: tf.image.non_max_suppression(b, s, 3),
        (BOXES, SCORES[:4]),
        Raises(tf.errors.InvalidArgumentError, "scores has incompatible shape"),
        modes=("dims",),
    ),
]


def _crop_reference(image, boxes, ind, size, method="bilinear", extrapolation=0.0):
    """TF's CropAndResize kernel, one sample at a time, in float32."""
    f = np.float32
    _, height, width, depth = image.shape
    out = np.zeros((len(boxes), *size, depth), f)

    def position(low, high, i, n, length):
        if n == 1:
            return f(0.5 * (float(low) + float(high)) * (length - 1))
        return low * f(length - 1) + f(i) * ((high - low) * f(length - 1) / f(n - 1))

    for k, (y1, x1, y2, x2) in enumerate(boxes):
        for i in range(size[0]):
            in_y = position(y1, y2, i, size[0], height)
            for j in range(size[1]):
                in_x = position(x1, x2, j, size[1], width)
                if not (0 <= in_y <= height - 1 and 0 <= in_x <= width - 1):
                    out[k, i, j] = extrapolation
                    continue
                pixels = image[ind[k]].astype(f)
                if method == "nearest":
                    out[k, i, j] = pixels[int(np.floor(in_y + 0.5)), int(np.floor(in_x + 0.5))]
                    continue
                t, b = int(np.floor(in_y)), int(np.ceil(in_y))
                lft, r = int(np.floor(in_x)), int(np.ceil(in_x))
                dy, dx = in_y - f(t), in_x - f(lft)
                top = pixels[t, lft] + (pixels[t, r] - pixels[t, lft]) * dx
                bottom = pixels[b, lft] + (pixels[b, r] - pixels[b, lft]) * dx
                out[k, i, j] = top + (bottom - top) * dy
    return out


RNG = np.random.default_rng(5)
IMAGE = RNG.standard_normal((2, 6, 7, 3)).astype(np.float32)
CROP_BOXES = np.float32([[0.1, 0.2, 0.8, 0.9], [-0.2, 0.3, 1.1, 0.7], [0.5, 0.5, 0.2, 0.1]])
CROP_IND = I32([0, 1, 1])


def _crop(name, size, method="bilinear", extrapolation=0.0, image=IMAGE):
    def build(x, b, i):
        return tf.image.crop_and_resize(x, b, i, size, method, extrapolation)

    def reference(x, b, i):
        return _crop_reference(x, b, i, size, method, extrapolation)

    return Case(name, "CropAndResize", build, (image, CROP_BOXES, CROP_IND), reference, 1e-6)


CROP_CASES = [
    _crop("bilinear", [4, 5]),
    _crop("bilinear-one-pixel", [1, 1], extrapolation=0.5),
    _crop("nearest", [3, 4], "nearest", -1.0),
    _crop("uint8", [3, 2], image=RNG.integers(0, 255, (2, 6, 7, 3)).astype(np.uint8)),
    Case(
        "box-index-out-of-range",
        "CropAndResize",
        lambda x, b, i: tf.image.crop_and_resize(x, b, i, [2, 2]),
        (IMAGE, CROP_BOXES, I32([0, 2, 1])),
        Raises(tf.errors.OutOfRangeError, "box_index has values outside [0, batch_size)"),
    ),
]


def _argmax_reference(x, ksize, strides, padding, with_batch):
    """The first maximum of each window and its flat index, one window at a time."""
    n, h, w, c = x.shape
    if padding == "SAME":
        oh, ow = -(-h // strides[0]), -(-w // strides[1])
        top = max((oh - 1) * strides[0] + ksize[0] - h, 0) // 2
        left = max((ow - 1) * strides[1] + ksize[1] - w, 0) // 2
    else:
        oh, ow = (h - ksize[0]) // strides[0] + 1, (w - ksize[1]) // strides[1] + 1
        top = left = 0
    out, where = np.zeros((n, oh, ow, c), x.dtype), np.zeros((n, oh, ow, c), np.int64)
    for b, i, j, d in np.ndindex(n, oh, ow, c):
        best = None
        for y in range(i * strides[0] - top, i * strides[0] - top + ksize[0]):
            for z in range(j * strides[1] - left, j * strides[1] - left + ksize[1]):
                if 0 <= y < h and 0 <= z < w and (best is None or x[b, y, z, d] > best):
                    best = x[b, y, z, d]
                    where[b, i, j, d] = (y * w + z) * c + d + (b * h * w * c if with_batch else 0)
        out[b, i, j, d] = best
    return out, where


TIED = RNG.integers(0, 3, (2, 5, 6, 2)).astype(np.float32)


def _pool(name, x, ksize, strides, padding, with_batch=False, argmax_type=tf.int64):
    def build(v):
        out = tf.nn.max_pool_with_argmax(
            v,
            [1, *ksize, 1],
            [1, *strides, 1],
            padding,
            Targmax=argmax_type,
            include_batch_in_index=with_batch,
        )
        return list(out)

    def reference(v):
        out, where = _argmax_reference(v, ksize, strides, padding, with_batch)
        return [out, where.astype(argmax_type.as_numpy_dtype)]

    return Case(name, "MaxPoolWithArgmax", build, (x,), reference)


POOL_CASES = [
    _pool("same-ties", TIED, [2, 2], [2, 2], "SAME"),
    _pool("valid-batch-index", TIED, [3, 2], [1, 2], "VALID", True, tf.int32),
    _pool(
        "same-overlapping-int",
        RNG.integers(-9, 9, (1, 4, 5, 1)).astype(np.int32),
        [3, 3],
        [1, 2],
        "SAME",
    ),
]


@pytest.mark.parametrize(("case", "mode"), cases_by_mode(NMS_CASES + CROP_CASES + POOL_CASES))
def test_kernel_table(run, case, mode):
    check_case(run, case, mode)


GRAD_IMAGE = RNG.standard_normal((2, 5, 6, 2))
GRAD_BOXES = np.array([[0.13, 0.21, 0.77, 0.83], [0.91, 0.05, 0.33, 0.62]])


def _crop_of(x, b, size=(3, 4), method="bilinear"):
    return tf.image.crop_and_resize(x, tf.cast(b, tf.float32), [1, 0], size, method)


def _pool_grad_of(g):
    """The max pool's gradient of a constant image, as a function of the incoming gradient
    (linear in it; the argmax stays put)."""
    x = tf.constant(GRAD_IMAGE)
    y = tf.nn.max_pool_with_argmax(x, [1, 2, 2, 1], [1, 2, 2, 1], "SAME")[0]
    return tf.gradients(y, x, grad_ys=g)[0]


LINEAR_GRADIENTS = [
    GradCase("crop-bilinear-image", lambda x: _crop_of(x, GRAD_BOXES), (GRAD_IMAGE,)),
    GradCase(
        "crop-nearest-image", lambda x: _crop_of(x, GRAD_BOXES, (2, 3), "nearest"), (GRAD_IMAGE,)
    ),
    GradCase(
        "argmax-grad-grad",
        _pool_grad_of,
        (RNG.standard_normal((2, 3, 3, 2)),),
    ),
]


@pytest.mark.parametrize("case", gradient_cases(LINEAR_GRADIENTS))
def test_linear_gradients(case):
    check_gradient_case(case, delta=1.0, atol=1e-5)


BOX_GRADIENTS = [
    GradCase("crop-boxes", lambda x, b: _crop_of(x, b), (GRAD_IMAGE, GRAD_BOXES)),
    GradCase("crop-boxes-one-pixel", lambda x, b: _crop_of(x, b, (1, 1)), (GRAD_IMAGE, GRAD_BOXES)),
]


@pytest.mark.parametrize("case", gradient_cases(BOX_GRADIENTS))
def test_box_gradients(case):
    """Boxes are float32 in TF: small steps, a float32-sized tolerance."""
    check_gradient_case(case, delta=1e-3, atol=2e-3)


GRADIENTS = [
    GradCase(
        "argmax-same",
        lambda x: tf.nn.max_pool_with_argmax(x, [1, 2, 2, 1], [1, 2, 2, 1], "SAME")[0],
        (GRAD_IMAGE,),
    ),
    GradCase(
        "argmax-valid-batch-index",
        lambda x: tf.nn.max_pool_with_argmax(
            x, [1, 3, 2, 1], [1, 1, 2, 1], "VALID", include_batch_in_index=True
        )[0],
        (GRAD_IMAGE,),
    ),
]


@pytest.mark.parametrize("case", gradient_cases(GRADIENTS))
def test_gradients(case):
    check_gradient_case(case)


def test_nms_of_a_fed_size_and_no_boxes(run):
    size = tf.placeholder(tf.int32, [])
    boxes = tf.placeholder(tf.float32, [None, 4])
    scores = tf.placeholder(tf.float32, [None])
    picked = tf.image.non_max_suppression(boxes, scores, size)
    feeds = {boxes: BOXES[:0], scores: SCORES[:0], size: 4}
    assert run(picked, feeds).tolist() == []
    assert run(picked, {boxes: BOXES, scores: SCORES, size: 0}).tolist() == []
