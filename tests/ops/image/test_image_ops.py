"""Tests for scopeflow/ops/image/transforms.py and adjust.py: the ``tf.image`` flips,
rotations, crops and pads, standardization, brightness and contrast, color conversions and
``convert_image_dtype`` build TF1's graphs, raise TF1's errors, and compute TF1's values.

The expected graphs and errors are TensorFlow 2.21's own (``tensorflow.compat.v1``, graph
mode), recorded in ``tests/data/tf_reference/image_ops.json`` by ``tools/tf_reference.py``
from ``tests/data/tf_reference/image_ops.py``: ``GRAPHS`` are checked op for op (where
scopeflow differs, ``DIFFERENCES`` says what it does instead and why); ``RESULTS``, whose
graphs differ on purpose (TF1's run-time asserts on unknown dimensions, ``rot90``'s
``tf.case`` for a Python ``k``), only for the result's name, dtype and static shape.
"""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf
from tests.ops.grad_check import GradCase, check_gradient_case, gradient_cases
from tests.ops.graph_checks import built, check_against, dims, expected, setup_of, tf_reference
from tests.ops.kernel_table import Case, cases_by_mode, check_case

REFERENCE = tf_reference("image_ops")
SETUP = setup_of(REFERENCE)
GROUPS = REFERENCE["groups"]


def _clamp_with_minimum_maximum(expr: str, scope: str) -> dict:
    """TF's graph with ``tf.clip_by_value``'s ``Minimum``/``Maximum`` (named ``clamp``) in
    place of TF's ``ClipByValue`` op and its two bound constants."""
    ops = [tuple(op) for op in GROUPS["GRAPHS"][expr]["ops"]]
    at = ops.index((f"{scope}Const", "Const"))
    clamp = [
        (f"{scope}clamp/Minimum/y", "Const"),
        (f"{scope}clamp/Minimum", "Minimum"),
        (f"{scope}clamp/y", "Const"),
        (f"{scope}clamp", "Maximum"),
    ]
    return built(ops[:at] + clamp + ops[at + 3 :])


# Where scopeflow does something else than TF 2.21 (all deliberate): expression -> what it
# does instead.
DIFFERENCES = {
    # saturation clamps with tf.clip_by_value (no ClipByValue op in scopeflow); same values
    "tf.image.convert_image_dtype(img, tf.uint8, saturate=True)": _clamp_with_minimum_maximum(
        "tf.image.convert_image_dtype(img, tf.uint8, saturate=True)", "convert_image/"
    ),
    "tf.image.adjust_brightness(u8, 0.1)": _clamp_with_minimum_maximum(
        "tf.image.adjust_brightness(u8, 0.1)", "adjust_brightness/convert_image_1/"
    ),
    "tf.image.adjust_contrast(u8, 0.5)": _clamp_with_minimum_maximum(
        "tf.image.adjust_contrast(u8, 0.5)", "adjust_contrast/convert_image_1/"
    ),
    "tf.image.adjust_gamma(u8, 0.5, gain=2)": _clamp_with_minimum_maximum(
        "tf.image.adjust_gamma(u8, 0.5, gain=2)", "adjust_gamma/convert_image_1/"
    ),
}

# rot90 with a Python k builds only its rotation, whose height and width stay known.
RESULT_SHAPES = {
    "tf.image.rot90(img)": ("rot90/transpose:0", [6, 4, 3]),
    "tf.image.rot90(bat, 2)": ("rot90/ReverseV2:0", [2, 4, 6, 3]),
    "tf.image.rot90(img, k=3, name='op')": ("op/ReverseV2:0", [6, 4, 3]),
}


@pytest.mark.parametrize("expr", list(GROUPS["GRAPHS"]))
def test_builds_tf1s_graph(graph, env, expr):
    check_against(graph, env, expr, expected(GROUPS["GRAPHS"][expr], DIFFERENCES.get(expr)))


@pytest.mark.parametrize("expr", list(GROUPS["RESULTS"]))
def test_result_as_tf1s(graph, env, expr):
    record = GROUPS["RESULTS"][expr]
    t = eval(expr, env)
    name, shape = RESULT_SHAPES.get(expr, (record["name"], record["shape"]))
    assert (t.name, t.dtype.name, dims(t)) == (name, record["dtype"], shape)


@pytest.mark.parametrize("expr", list(GROUPS["ERRORS"]))
def test_errors(graph, env, expr):
    check_against(graph, env, expr, expected(GROUPS["ERRORS"][expr], None))


def test_unsupported_options_name_the_alternative(graph):
    img = tf.zeros([4, 6, 3])
    with pytest.raises(NotImplementedError, match="crop_to_bounding_box"):
        tf.image.central_crop(img, tf.constant(0.5))
    with pytest.raises(NotImplementedError, match="set its rank"):
        tf.image.flip_left_right(tf.placeholder(tf.float32))
    for function in (tf.image.flip_left_right, tf.image.rot90, tf.image.random_flip_up_down):
        with pytest.raises(
            ValueError, match=r"\(shape \(1, 2, 3, 4, 5\)\) must have either 3 or 4"
        ):
            function(tf.zeros([1, 2, 3, 4, 5]))


# -- values --------------------------------------------------------------------------------

RNG = np.random.default_rng(0)
IMG = RNG.uniform(size=(4, 6, 3)).astype(np.float32)
BATCH = RNG.uniform(size=(2, 4, 6, 3)).astype(np.float32)


def _run(t, feed=None):
    with tf.Session() as sess:
        return sess.run(t, feed)


@pytest.mark.parametrize("image", [IMG, BATCH], ids=["3d", "4d"])
def test_geometry_values(graph, image):
    x = tf.placeholder(tf.float32, image.shape)
    h, w = (0, 1) if image.ndim == 3 else (1, 2)
    results = {
        "flip_left_right": (tf.image.flip_left_right(x), np.flip(image, w)),
        "flip_up_down": (tf.image.flip_up_down(x), np.flip(image, h)),
        "transpose_image": (tf.image.transpose_image(x), np.swapaxes(image, h, w)),
        "rot90": (tf.image.rot90(x), np.rot90(image, 1, (h, w))),
        "rot90-3": (tf.image.rot90(x, 3), np.rot90(image, 3, (h, w))),
        "central_crop": (tf.image.central_crop(x, 0.5), image[..., 1:3, 1:5, :]),
        "crop": (tf.image.crop_to_bounding_box(x, 1, 2, 2, 3), image[..., 1:3, 2:5, :]),
    }
    padded = np.zeros(image.shape[:-3] + (6, 9, 3), np.float32)
    padded[..., 1:5, 2:8, :] = image
    results["pad"] = (tf.image.pad_to_bounding_box(x, 1, 2, 6, 9), padded)
    crop_or_pad = np.zeros(image.shape[:-3] + (2, 8, 3), np.float32)
    crop_or_pad[..., :, 1:7, :] = image[..., 1:3, :, :]
    results["crop_or_pad"] = (tf.image.resize_image_with_crop_or_pad(x, 2, 8), crop_or_pad)
    values = _run({k: t for k, (t, _) in results.items()}, {x: image})
    for key, (_, want) in results.items():
        np.testing.assert_array_equal(values[key], want, err_msg=key)


def test_rot90_by_a_tensor(graph):
    k = tf.placeholder(tf.int32, [])
    x = tf.constant(IMG)
    turned = tf.image.rot90(x, k)
    with tf.Session() as sess:
        for turns in range(-1, 5):
            np.testing.assert_array_equal(sess.run(turned, {k: turns}), np.rot90(IMG, turns))


def test_random_flips_and_crops(graph):
    tf.set_random_seed(1)
    x = tf.constant(BATCH)
    flipped = tf.image.random_flip_left_right(x)
    one = tf.image.random_flip_up_down(x[0])
    crop = tf.random_crop(x[0], [2, 3, 3])
    seen = set()
    with tf.Session() as sess:
        for _ in range(12):
            batch, single, window = sess.run([flipped, one, crop])
            for got, image in zip(batch, BATCH, strict=True):
                same = np.array_equal(got, image)
                assert same or np.array_equal(got, image[:, ::-1])
                seen.add(same)
            assert np.array_equal(single, BATCH[0]) or np.array_equal(single, BATCH[0][::-1])
            windows = [BATCH[0][t : t + 2, u : u + 3] for t in range(3) for u in range(4)]
            assert any(np.array_equal(window, w) for w in windows)
    assert seen == {True, False}


def test_sizes_unknown_while_building_are_checked_at_run_time(graph):
    dyn = tf.placeholder(tf.float32, [None, None, 3])
    crop = tf.image.crop_to_bounding_box(dyn, 1, 2, 2, 3)
    pad = tf.image.pad_to_bounding_box(dyn, 1, 2, 6, 9)
    fitted = tf.image.resize_image_with_crop_or_pad(dyn, 2, 8)
    with tf.Session() as sess:
        np.testing.assert_array_equal(sess.run(crop, {dyn: IMG}), IMG[1:3, 2:5])
        assert sess.run(fitted, {dyn: IMG}).shape == (2, 8, 3)
        with pytest.raises(tf.errors.InvalidArgumentError, match="width must be >= target"):
            sess.run(crop, {dyn: IMG[:, :4]})
        with pytest.raises(tf.errors.InvalidArgumentError, match="height must be <= target"):
            sess.run(pad, {dyn: np.zeros((6, 6, 3), np.float32)})
        gamma = tf.placeholder(tf.float32, [])
        corrected = tf.image.adjust_gamma(dyn, gamma)
        with pytest.raises(tf.errors.InvalidArgumentError, match="Gamma should be a non-negat"):
            sess.run(corrected, {dyn: IMG, gamma: -1.0})


def test_random_crop_larger_than_the_value_fails_at_run_time(graph):
    crop = tf.random_crop(tf.constant(IMG), [5, 3, 3])
    with pytest.raises(tf.errors.InvalidArgumentError, match="Need value.shape >= size"):
        _run(crop)


def test_pixel_values(graph):
    x = tf.placeholder(tf.float32, IMG.shape)
    u8 = (IMG * 255).astype(np.uint8)
    y = tf.placeholder(tf.uint8, u8.shape)
    mean = IMG.mean(axis=(0, 1))
    results = {
        "standardized": (
            tf.image.per_image_standardization(x),
            (IMG - IMG.mean()) / max(IMG.std(), 1 / np.sqrt(IMG.size)),
        ),
        "brightness": (tf.image.adjust_brightness(x, 0.25), IMG + 0.25),
        "gamma": (tf.image.adjust_gamma(x, 2.2, gain=0.5), 0.5 * IMG**2.2),
        "contrast": (tf.image.adjust_contrast(x, 1.5), (IMG - mean) * 1.5 + mean),
        "gray": (
            tf.image.rgb_to_grayscale(x),
            (IMG @ np.float32([0.2989, 0.5870, 0.1140]))[..., None],
        ),
        "rgb": (tf.image.grayscale_to_rgb(x[..., :1]), np.repeat(IMG[..., :1], 3, -1)),
        "to_float": (tf.image.convert_image_dtype(y, tf.float32), u8 / np.float32(255)),
    }
    values = _run({k: t for k, (t, _) in results.items()}, {x: IMG, y: u8})
    for key, (_, want) in results.items():
        np.testing.assert_allclose(values[key], want, rtol=2e-6, atol=2e-6, err_msg=key)


def test_integer_images_saturate(graph):
    u8 = tf.constant([[[10, 128, 250]]], tf.uint8)
    bright = tf.image.adjust_brightness(u8, 0.1)  # + 25.5: 250 saturates at 255
    contrast = tf.image.adjust_contrast(tf.reshape(u8, [1, 3, 1]), 3.0)
    floats = tf.constant([[[-0.5, 0.5, 1.5]]])
    saturated = tf.image.convert_image_dtype(floats, tf.uint8, saturate=True)
    down = tf.image.convert_image_dtype(tf.constant([[[2**31 - 1, 2**23]]]), tf.uint8)
    values = _run([bright, contrast, saturated, down])
    np.testing.assert_array_equal(values[0], [[[35, 153, 255]]])
    mean = (10 + 128 + 250) / 3 / 255
    want = np.clip(((np.float32([10, 128, 250]) / 255 - mean) * 3 + mean) * 255.5, 0, 255)
    np.testing.assert_array_equal(values[1].ravel(), want.astype(np.uint8))
    np.testing.assert_array_equal(values[2], [[[0, 127, 255]]])
    np.testing.assert_array_equal(values[3], [[[255, 1]]])


# -- the AdjustContrastv2 op ---------------------------------------------------------------

CASES = [
    Case(
        f"adjust-contrast-{image.ndim}d",
        "AdjustContrastv2",
        lambda x, f: tf.get_default_graph().create_op("AdjustContrastv2", [x, f]).outputs[0],
        (image, np.float32(1.7)),
        lambda x, f: (
            (x - x.mean(axis=(-3, -2), keepdims=True)) * f + x.mean(axis=(-3, -2), keepdims=True)
        ),
        tolerance=1e-6,
    )
    for image in (IMG, BATCH)
]


@pytest.mark.parametrize(("case", "mode"), cases_by_mode(CASES))
def test_kernels(run, case, mode):
    check_case(run, case, mode)


def _contrast(x, f):
    x32, f32 = tf.cast(x, tf.float32), tf.cast(f, tf.float32)
    return tf.cast(tf.image.adjust_contrast(x32, f32), tf.float64)


def _standardized(x):
    return tf.cast(tf.image.per_image_standardization(x), tf.float64)


GRAD_CASES = [
    GradCase("adjust-contrast", _contrast, (RNG.normal(size=(2, 3, 4, 2)), np.array(1.3))),
    GradCase("per-image-standardization", _standardized, (RNG.normal(size=(3, 4, 2)),)),
    GradCase(
        "crop-and-pad",
        lambda x: tf.image.resize_image_with_crop_or_pad(tf.image.flip_left_right(x), 2, 6),
        (RNG.normal(size=(3, 4, 2)),),
    ),
]


@pytest.mark.parametrize("case", gradient_cases(GRAD_CASES))
def test_gradients_match_finite_differences(case):
    check_gradient_case(case, delta=1e-3, atol=2e-3)  # float32 inside
