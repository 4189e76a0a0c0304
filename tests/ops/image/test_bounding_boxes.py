"""Tests for ``tf.image.draw_bounding_boxes`` (scopeflow/ops/image/bounding_boxes.py),
``tf.image.sample_distorted_bounding_box`` (distorted_box.py) and ``tf.contrib.image``'s
transforms (projective.py, scopeflow/contrib/image.py).

TF1's ops and names: TensorFlow 2.21's records (``tests/data/tf_reference/image_draw.json``);
``tf.contrib.image`` is absent from TF 2.21, so its op names below come from TF 1.15's contrib
code replayed on TF 2.21's ``ImageProjectiveTransformV2`` (names of all the ops built, values
and gradients compared there within 1.3e-6). The literal values below are TF 2.21's outputs;
the seeded sampler's boxes are TF's, run after run.
"""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf
from tests.ops.grad_check import GradCase, check_gradient_case, gradient_cases
from tests.ops.graph_checks import record_tests, setup_of, tf_reference
from tests.ops.kernel_table import Case, Holds, Raises, cases_by_mode, check_case

REFERENCE = tf_reference("image_draw")
SETUP = setup_of(REFERENCE)
GROUPS = REFERENCE["groups"]
DIFFERENCES: dict = {}

(
    test_builds_tf1s_graph,
    test_gradients_build_tf1s_ops,
    test_build_errors,
    test_every_difference_is_a_recorded_expression,
) = record_tests(GROUPS, DIFFERENCES)

F32 = np.float32
BOXES = F32(
    [
        [
            [0, 0, 1, 1],
            [0.3, 0.2, 0.7, 0.9],
            [-0.5, 0.5, 0.6, 1.4],
            [0.8, 0.1, 0.2, 0.5],
            [1.5, 0, 2, 1],
        ]
    ]
)
# TF's output for BOXES on a zero 4x5 RGB image: a full frame (yellow), a blue box, a red box
# clipped above and right (its outside edges skipped), an inverted box and one below the image
# (neither drawn).
DRAWN_RGB = F32(
    [
        [[0, 0, 1, 0, 1], [0, 0, 1, 1, 1], [0, 0, 0, 0, 1], [1, 1, 1, 1, 1]],
        [[0, 0, 0, 0, 1], [0, 0, 0, 0, 0], [0, 0, 0, 0, 1], [1, 1, 1, 1, 1]],
        [[1, 1, 0, 1, 0], [1, 0, 0, 0, 0], [1, 1, 1, 1, 0], [0, 0, 0, 0, 0]],
    ]
).transpose(1, 2, 0)[None]
DRAWN_GRAY = np.float16(
    [[1, 1, 1, 1, 0.5], [1, 0.5, 1, 1, 1], [1, 1, 1, 1, 0.5], [0.5, 0.5, 0.5, 0.5, 0.5]]
)[None, :, :, None]


def _sample(image_size, boxes, **kw):
    return lambda: list(tf.image.sample_distorted_bounding_box(image_size, boxes, **kw))


KERNEL_CASES = [
    Case(
        "draw-default-colors",
        "DrawBoundingBoxes",
        tf.image.draw_bounding_boxes,
        (np.zeros((1, 4, 5, 3), F32), BOXES),
        DRAWN_RGB,
    ),
    Case(
        "draw-gray-white",
        "DrawBoundingBoxes",
        tf.image.draw_bounding_boxes,
        (np.full((1, 4, 5, 1), 0.5, np.float16), BOXES[:, 1:3]),
        DRAWN_GRAY,
    ),
    Case(
        "draw-colors-wider-than-image",
        "DrawBoundingBoxesV2",
        lambda x, b, c: tf.image.draw_bounding_boxes(x, b, colors=c),
        (np.zeros((1, 3, 3, 4), F32), BOXES[:, :2], F32([[0.1, 0.2, 0.3, 0.4, 0.5]])),
        np.broadcast_to(F32([0.1, 0.2, 0.3, 0.4]), (1, 3, 3, 4)),
    ),
    Case(
        "draw-no-colors-uses-default",
        "DrawBoundingBoxesV2",
        lambda x, b, c: tf.image.draw_bounding_boxes(x, b, colors=c),
        (np.zeros((1, 4, 5, 3), F32), BOXES, np.zeros((0, 3), F32)),
        DRAWN_RGB,
    ),
    Case(
        "draw-colors-too-narrow",
        "DrawBoundingBoxesV2",
        lambda x, b, c: tf.image.draw_bounding_boxes(x, b, colors=c),
        (np.zeros((1, 3, 3, 3), F32), BOXES[:, :1], F32([[1, 0]])),
        Raises(
            tf.errors.InvalidArgumentError,
            "colors must have equal or more channels than the image provided: [1,2]",
        ),
    ),
    Case(
        "draw-batch-mismatch",
        "DrawBoundingBoxes",
        tf.image.draw_bounding_boxes,
        (np.zeros((2, 3, 3, 3), F32), BOXES),
        Raises(tf.errors.InvalidArgumentError, "The batch sizes should be the same"),
        modes=("dims",),
    ),
]

# Three runs of one seeded op: TF's boxes, in TF's order (the second run starts where the
# first run's reserved Philox words end).
SEED_3_RUNS = [
    [[0, 3, 0], [9, 7, -1], [0.0, 0.25, 0.9, 0.8333333]],
    [[0, 5, 0], [5, 6, -1], [0.0, 0.41666666, 0.5, 0.9166667]],
    [[4, 0, 0], [4, 5, -1], [0.4, 0.0, 0.8, 0.41666666]],
]
SEED_1_4_RUNS = [
    [[1, 2, 0], [8, 9, -1], [0.1, 0.16666667, 0.9, 0.9166667]],
    [[1, 0, 0], [7, 8, -1], [0.1, 0.0, 0.8, 0.6666667]],
    [[1, 0, 0], [8, 10, -1], [0.1, 0.0, 0.9, 0.8333333]],
]
OBJECT = F32([[[0.1, 0.1, 0.5, 0.5]]])


def _runs_of(op, runs: int) -> list:
    with tf.Session() as sess:
        return [sess.run(list(op)) for _ in range(runs)]


@pytest.mark.parametrize(
    ("kwargs", "want"),
    [
        ({"seed": 3}, SEED_3_RUNS),
        (
            dict(
                seed=1,
                seed2=4,
                min_object_covered=0.5,
                aspect_ratio_range=[0.5, 2.0],
                area_range=[0.1, 0.9],
                max_attempts=20,
            ),
            SEED_1_4_RUNS,
        ),
    ],
)
def test_seeded_samples_are_tfs_run_after_run(kwargs, want):
    with tf.Graph().as_default():
        op = tf.image.sample_distorted_bounding_box([10, 12, 3], OBJECT, **kwargs)
        for (begin, size, box), (want_begin, want_size, want_box) in zip(
            _runs_of(op, 3), want, strict=True
        ):
            assert begin.tolist() == want_begin and size.tolist() == want_size
            np.testing.assert_allclose(box.reshape(-1), want_box, rtol=1e-6)
            assert begin.dtype == np.int32 and box.shape == (1, 1, 4)


def test_no_boxes_and_exhausted_attempts():
    with tf.Graph().as_default():
        no_boxes = tf.image.sample_distorted_bounding_box(
            np.int64([40, 30, 1]), np.zeros((1, 0, 4), F32), seed=9,
            use_image_if_no_bounding_boxes=True,
        )  # fmt: skip
        first, second = _runs_of(no_boxes, 2)
        assert [v.tolist() for v in first[:2]] == [[7, 5, 0], [27, 22, -1]]
        assert first[0].dtype == np.int64
        # TF's second run finds no crop in 100 attempts and falls back to the whole image.
        assert [v.tolist() for v in second[:2]] == [[0, 0, 0], [40, 30, -1]]
        impossible = tf.image.sample_distorted_bounding_box(
            [10, 12, 3], OBJECT, seed=2, min_object_covered=1.0, area_range=[0.9, 1.0],
            max_attempts=3,
        )  # fmt: skip
        ((begin, size, box),) = _runs_of(impossible, 1)
        assert begin.tolist() == [0, 0, 0] and size.tolist() == [10, 12, -1]
        assert box.tolist() == [[[0.0, 0.0, 1.0, 1.0]]]


def test_unseeded_sampler_ignores_the_graph_seed_as_tf1():
    with tf.Graph().as_default() as g:
        g.seed = 5
        op = tf.image.sample_distorted_bounding_box([10, 12, 3], OBJECT)
        assert (op.begin.op.get_attr("seed"), op.begin.op.get_attr("seed2")) == (0, 0)
        for begin, size, _ in _runs_of(op, 5):
            assert 0 <= begin[0] and begin[0] + size[0] <= 10 and begin[1] + size[1] <= 12


@pytest.mark.parametrize(
    ("image_size", "boxes", "kwargs", "message"),
    [
        ([10, 12, 3], F32([[[1.5, 0, 0.5, 0.5]]]), {}, "coordinates must be in [0.0, 1.0]: 1.5"),
        ([10, 12, 3], np.zeros((1, 0, 4), F32), {}, "One must enable use_image_if_no_bounding"),
        ([10, 12, 3], OBJECT, {"min_object_covered": -0.1}, "must be non-negative: -0.1"),
        (
            [10, 12, 3],
            OBJECT,
            {"area_range": [0.0, 0.0]},
            "Area range must be non-negative: [0, 0]",
        ),
        ([10, 12, 3], OBJECT, {"aspect_ratio_range": [0.5]}, "must specify 2 dimensions"),
        ([10, 12, 3], OBJECT, {"max_attempts": 0}, "Max attempts must be non-negative: 0"),
        ([-3, 12, 3], OBJECT, {}, "image height cannot be >= int32 max"),
    ],
)
def test_sampler_run_time_errors_are_tfs(image_size, boxes, kwargs, message):
    with tf.Graph().as_default():
        op = tf.image.sample_distorted_bounding_box(image_size, boxes, seed=1, **kwargs)
        with tf.Session() as sess, pytest.raises(tf.errors.InvalidArgumentError) as info:
            sess.run(op.begin)
    assert message in str(info.value)


def test_drawing_has_no_gradient_as_in_tf():
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [1, 3, 3, 3])
        assert tf.gradients(tf.image.draw_bounding_boxes(x, BOXES), x) == [None]
        with pytest.raises(LookupError, match="op type: DrawBoundingBoxesV2"):
            tf.gradients(tf.image.draw_bounding_boxes(x, BOXES, colors=[[1.0, 0, 0]]), x)


# -- tf.contrib.image ---------------------------------------------------------------------------

RAMP = np.arange(20, dtype=F32).reshape(1, 4, 5, 1)
SHEAR = F32([1.2, 0.1, -0.5, -0.2, 0.9, 1.0, 0.01, -0.02])


def _transform(transforms, interpolation="NEAREST", output_shape=None):
    return lambda x: tf.contrib.image.transform(x, transforms, interpolation, output_shape)


TRANSFORM_CASES = [
    Case(
        "shift-right-nearest",
        "ImageProjectiveTransformV2",
        _transform([1, 0, -1, 0, 1, 0, 0, 0]),
        (RAMP,),
        np.concatenate([np.zeros((1, 4, 1, 1), F32), RAMP[:, :, :4]], axis=2),
        exact_static=False,
        modes=("full", "dims"),
    ),
    Case(
        "projective-nearest",
        "ImageProjectiveTransformV2",
        _transform(SHEAR, output_shape=[3, 4]),
        (RAMP,),
        F32([[0, 6, 7, 3], [10, 11, 12, 8], [15, 16, 12, 13]])[None, :, :, None],
        modes=("full",),
    ),
    Case(
        "projective-bilinear",
        "ImageProjectiveTransformV2",
        _transform(SHEAR, "BILINEAR", output_shape=[2, 3]),
        (RAMP,),
        F32([[2.5, 4.6534653, 4.8039217], [5.7371926, 9.39394, 9.5]])[None, :, :, None],
        tolerance=1e-5,
        modes=("full",),
    ),
    Case(
        "uint8-bilinear-truncates",
        "ImageProjectiveTransformV2",
        _transform([1, 0, 0.5, 0, 1, 0, 0, 0], "BILINEAR"),
        (np.uint8([[[[1], [2], [10]]]]),),
        np.uint8([[[[1], [6], [5]]]]),
        exact_static=False,
        modes=("full", "dims"),
    ),
    Case(
        "point-at-infinity-is-zero",
        "ImageProjectiveTransformV2",
        _transform([1, 0, 0, 0, 1, 0, -1, 0]),
        (np.ones((1, 1, 3, 1), F32),),
        F32([[[[1], [0], [0]]]]),
        exact_static=False,
        modes=("full", "dims"),
    ),
    Case(
        "transforms-batch-mismatch",
        "ImageProjectiveTransformV2",
        lambda x: tf.contrib.image.transform(x, np.tile(SHEAR, (3, 1))),
        (np.zeros((2, 3, 3, 1), F32),),
        Raises(tf.errors.InvalidArgumentError, "Input transform should be num_images x 8"),
        modes=("dims",),
    ),
]


@pytest.mark.parametrize(("case", "mode"), cases_by_mode(KERNEL_CASES + TRANSFORM_CASES))
def test_kernels(run, case, mode):
    check_case(run, case, mode)


@pytest.mark.parametrize(
    ("case", "mode"),
    cases_by_mode(
        [
            Case(
                "sample-within-image",
                "SampleDistortedBoundingBoxV2",
                lambda s, b: list(tf.image.sample_distorted_bounding_box(s, b, seed=4)),
                (np.int32([30, 20, 3]), F32([[[0.2, 0.2, 0.6, 0.9]]])),
                Holds(
                    "the crop lies in the image and its box is the crop over the image size",
                    lambda begin, size, box: (
                        begin[2] == 0
                        and size[2] == -1
                        and 0 <= begin[0] <= begin[0] + size[0] <= 30
                        and 0 <= begin[1] <= begin[1] + size[1] <= 20
                        and np.allclose(
                            box.reshape(-1),
                            [*(begin[:2] / [30, 20]), *((begin + size)[:2] / [30, 20])],
                        )
                    ),
                ),
                modes=("full", "dims"),
                exact_static=False,
            )
        ]
    ),
)
def test_sampler_kernel(run, case, mode):
    check_case(run, case, mode)


@pytest.mark.parametrize(
    "case",
    gradient_cases(
        [
            # TF1's gradient applies the inverse transform: exact where the transform moves
            # whole pixels, as these do.
            # (BILINEAR reads the pixels as float32, as TF's kernel: no float64 differences.)
            GradCase(
                "shift-nearest",
                lambda x: tf.contrib.image.translate(x, [1.0, -1.0]),
                (np.random.default_rng(0).random((1, 3, 4, 2)),),
            ),
            GradCase(
                "quarter-turn-nearest",
                lambda x: tf.contrib.image.rotate(x, np.pi / 2),
                (np.random.default_rng(1).random((3, 3)),),
            ),
        ]
    ),
)
def test_transform_gradients(case):
    check_gradient_case(case)


def test_contrib_image_builds_tf1s_ops():
    with tf.Graph().as_default() as g:
        x = tf.placeholder(tf.float32, [2, 5, 6, 3])
        rotated = tf.contrib.image.rotate(x, [0.3, 1.0], interpolation="BILINEAR")
        assert rotated.name == "rotate/transform/ImageProjectiveTransformV2:0"
        assert rotated.shape.as_list() == [2, 5, 6, 3]
        op = rotated.op
        assert op.get_attr("interpolation") == b"BILINEAR" and op.get_attr("dtype") == tf.float32
        assert [t.op.name for t in op.inputs] == [
            "Placeholder",
            "rotate/angles_to_projective_transforms/concat",
            "rotate/transform/strided_slice",
        ]
        types = [o.type for o in g.get_operations()]
        assert len(types) == 96 and types.count("StridedSlice") == 12
        shifted = tf.contrib.image.translate(x[0], [1.5, -2.0])
        assert shifted.name == "translate/transform/strided_slice_2:0"
        assert shifted.shape.as_list() == [5, 6, 3]
        grad = tf.gradients(rotated, x)[0]
        assert grad.name == (
            "gradients/rotate/transform/ImageProjectiveTransformV2_grad/"
            "ImageProjectiveTransformV2:0"
        )
        scope = "gradients/rotate/transform/ImageProjectiveTransformV2_grad/"
        inner = [o.type for o in g.get_operations() if o.name.startswith(scope)]
        assert len(inner) == 33 and inner.count("MatrixInverse") == 1
        composed = tf.contrib.image.compose_transforms([1.0, 0, 2, 0, 1, 3, 0, 0], SHEAR)
        assert composed.name == "compose_transforms/matrices_to_flat_transforms/strided_slice_1:0"


def test_contrib_image_helpers_values():
    ci = tf.contrib.image
    with tf.Graph().as_default(), tf.Session() as sess:
        angles = sess.run(ci.angles_to_projective_transforms([0.5, 1.0], 5.0, 6.0))
        # TF's values: [cos, -sin, x offset, sin, cos, y offset, 0, 0] about the centre.
        np.testing.assert_allclose(
            angles[1], [0.5403023, -0.84147096, 2.8321862, 0.84147096, 0.5403023, -1.1842818, 0, 0],
            rtol=1e-6,
        )  # fmt: skip
        shift = sess.run(ci.translations_to_projective_transforms([1.0, 2.0]))
        assert shift.tolist() == [[1, 0, -1, 0, 1, -2, 0, 0]]
        composed = sess.run(ci.compose_transforms([1.0, 0, 2, 0, 1, 3, 0, 0], [0.5] + [0] * 7))
        np.testing.assert_allclose(composed, [[0.5, 0, 2, 0, 0, 3, 0, 0]])
        flat = sess.run(ci.matrices_to_flat_transforms([[2.0, 0, 2], [0, 1, 3], [0, 0, 2]]))
        assert flat.tolist() == [[1, 0, 1, 0, 0.5, 1.5, 0, 0]]


@pytest.mark.parametrize(
    ("build", "error", "message"),
    [
        (
            lambda: tf.contrib.image.rotate(tf.zeros([2, 3, 3, 1], tf.bool), 1.0),
            TypeError,
            "Invalid dtype",
        ),
        (lambda: tf.contrib.image.rotate(tf.zeros([3]), 1.0), TypeError, "rank between 2 and 4"),
        (lambda: tf.contrib.image.rotate(tf.zeros([3, 3]), [[1.0]]), TypeError, "rank 0 or 1"),
        (lambda: tf.contrib.image.translate(tf.zeros([3, 3]), 1.0), TypeError, "rank 1 or 2"),
        (
            lambda: tf.contrib.image.transform(tf.zeros([3, 3]), SHEAR, output_shape=[1, 2, 3]),
            ValueError,
            "output_shape must be a 1-D Tensor of 2 elements",
        ),
        (
            lambda: tf.contrib.image.transform(tf.zeros([3, 3]), SHEAR, "BICUBIC"),
            ValueError,
            "'NEAREST' or 'BILINEAR'",
        ),
    ],
)
def test_contrib_image_build_errors(build, error, message):
    with tf.Graph().as_default(), pytest.raises(error, match=message):
        build()
