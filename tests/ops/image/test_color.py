"""Tests for colour spaces and adjustments (scopeflow/ops/image/color.py) and image measures
(quality.py): TF1's ops and names (TensorFlow 2.21's records,
``tests/data/tf_reference/image_color.json``), the kernels against TF's outputs (the literal
values below came from TF 2.21), and the gradient against finite differences."""

from __future__ import annotations

import colorsys

import numpy as np
import pytest

import scopeflow as tf
from tests.ops.grad_check import GradCase, check_gradient_case, gradient_cases
from tests.ops.graph_checks import built, record_tests, setup_of, tf_reference
from tests.ops.kernel_table import Case, Raises, cases_by_mode, check_case

REFERENCE = tf_reference("image_color")
SETUP = setup_of(REFERENCE)
GROUPS = REFERENCE["groups"]


def _filter_shape_folded(expression: str) -> dict:
    """TF's ops with each ``depthwise*/Shape`` of SSIM's filter a ``Const``: scopeflow's
    ``Tile`` knows the filter's static shape ``(11, 11, 3, 1)`` from its packed multiples
    where TF's says ``(11, 11, ?, 1)``, so the filter's shape folds to a constant."""
    ops = next(g[expression]["ops"] for g in GROUPS.values() if expression in g)
    folded = [
        (name, "Const" if "depthwise" in name and name.endswith("/Shape") else kind)
        for name, kind in ops
    ]
    return built(folded)


# Where scopeflow does something else than TF 2.21: expression -> what it does instead.
DIFFERENCES = {
    e: _filter_shape_folded(e)
    for e in [
        "tf.image.ssim(z, z, 1.0)",
        "tf.image.ssim(u, u, 2.0, filter_size=3, filter_sigma=0.5, k1=0.02)",
    ]
}

(
    test_builds_tf1s_graph,
    test_gradients_build_tf1s_ops,
    test_build_errors,
    test_every_difference_is_a_recorded_expression,
) = record_tests(GROUPS, DIFFERENCES)

RNG = np.random.default_rng(11)
RGB = RNG.uniform(0, 1, (2, 3, 4, 3)).astype(np.float32)
RGB[0, 0, :3] = [[0.5, 0.5, 0.5], [0.2, 0.7, 0.7], [1.0, 0.0, 0.0]]  # gray, ties


def _per_pixel(fn, x):
    """``fn`` (a colorsys function of three floats) over the last dimension of ``x``."""
    flat = [fn(*map(float, p)) for p in x.reshape(-1, 3)]
    return np.asarray(flat, np.float32).reshape(x.shape)


def _hue_shifted(x, delta):
    def shift(r, g, b):
        h, s, v = colorsys.rgb_to_hsv(r, g, b)
        return colorsys.hsv_to_rgb((h + delta) % 1.0, s, v)

    return _per_pixel(shift, x)


def _saturated(x, factor):
    def scale(r, g, b):
        h, s, v = colorsys.rgb_to_hsv(r, g, b)
        return colorsys.hsv_to_rgb(h, min(max(s * factor, 0.0), 1.0), v)

    return _per_pixel(scale, x)


CASES = [
    Case(
        "rgb-to-hsv",
        "RGBToHSV",
        tf.image.rgb_to_hsv,
        (RGB,),
        lambda x: _per_pixel(colorsys.rgb_to_hsv, x),
        1e-6,
    ),
    Case(
        "hsv-to-rgb",
        "HSVToRGB",
        tf.image.hsv_to_rgb,
        (RGB,),
        lambda x: _per_pixel(colorsys.hsv_to_rgb, x),
        1e-6,
    ),
    Case(
        "hsv-to-rgb-float64",
        "HSVToRGB",
        tf.image.hsv_to_rgb,
        (RGB[0].astype(np.float64),),
        lambda x: _per_pixel(colorsys.hsv_to_rgb, x).astype(np.float64),
        1e-6,
    ),
    Case(
        "hue",
        "AdjustHue",
        lambda x: tf.image.adjust_hue(x, 0.3).op.inputs[0],
        (RGB,),
        lambda x: _hue_shifted(x, 0.3),
        1e-5,
    ),
    Case(
        "hue-backwards",
        "AdjustHue",
        lambda x: tf.image.adjust_hue(x, -0.85).op.inputs[0],
        (RGB[1],),
        lambda x: _hue_shifted(x, -0.85),
        1e-5,
    ),
    Case(
        "saturation-down",
        "AdjustSaturation",
        lambda x: tf.image.adjust_saturation(x, 0.4).op.inputs[0],
        (RGB,),
        lambda x: _saturated(x, 0.4),
        1e-5,
    ),
    Case(
        "saturation-up-clamped",
        "AdjustSaturation",
        lambda x: tf.image.adjust_saturation(x, 3.0).op.inputs[0],
        (RGB[0],),
        lambda x: _saturated(x, 3.0),
        1e-5,
    ),
    Case(
        "four-channels",
        "RGBToHSV",
        tf.image.rgb_to_hsv,
        (np.zeros((2, 4), np.float32),),
        # TF 2.21: FailedPreconditionError for the conversions
        Raises(tf.errors.FailedPreconditionError, "input must have 3 channels"),
        modes=("dims",),
    ),
]


@pytest.mark.parametrize(("case", "mode"), cases_by_mode(CASES))
def test_kernel_table(run, case, mode):
    check_case(run, case, mode)


def test_adjusting_a_uint8_image_converts_it_to_float_and_back(run):
    img = (RGB[0] * 255).astype(np.uint8)
    out = run(tf.image.adjust_hue(img, 0.3))
    assert out.dtype == np.uint8
    want = _hue_shifted(img.astype(np.float32) / 255, 0.3) * 255.5
    np.testing.assert_array_equal(out, want.astype(np.uint8))


def test_random_hue_and_saturation_stay_in_their_ranges(run):
    img = tf.constant(RGB[0])
    hues = [tf.image.rgb_to_hsv(tf.image.random_hue(img, 0.1, seed=i))[..., 0] for i in range(3)]
    base = _per_pixel(colorsys.rgb_to_hsv, RGB[0])[..., 0]
    for hue in run(hues):
        turn = (hue - base + 0.5) % 1.0 - 0.5  # the rotation, on the circle
        colored = RGB[0].max(-1) > RGB[0].min(-1)
        assert np.ptp(turn[colored]) < 1e-4 and abs(turn[colored][0]) <= 0.1
    saturated = tf.image.rgb_to_hsv(tf.image.random_saturation(img, 0.2, 0.5, seed=1))[..., 1]
    ratio = run(saturated)[1:] / _per_pixel(colorsys.rgb_to_hsv, RGB[0])[1:, :, 1]
    assert 0.2 <= ratio.min() and np.ptp(ratio) < 1e-4 and ratio.max() < 0.5


R = np.random.default_rng(4)
GRADIENTS = [
    GradCase("rgb-to-hsv", tf.image.rgb_to_hsv, (R.uniform(0.05, 1, (2, 3, 3)),)),
]


@pytest.mark.parametrize("case", gradient_cases(GRADIENTS))
def test_gradients(case):
    check_gradient_case(case)


def test_rgb_to_hsv_gradient_at_ties_and_zeros_is_tfs():
    """TF's tie-breaking (largest: red, green, blue; smallest: blue, green, red) and its
    saturation gradient of zero through a channel at zero; values from TF 2.21."""
    x = np.array([[1.0, 0.0, 0.0], [0.3, 0.3, 0.9], [0.9, 0.3, 0.3]])
    w = np.array([[0.3, -1.2, 0.5], [0.7, 0.2, -0.4], [1.1, -0.6, 0.9]])
    with tf.Graph().as_default():
        xt = tf.constant(x)
        grad = tf.gradients(tf.image.rgb_to_hsv(xt), xt, grad_ys=tf.constant(w))[0]
        got = tf.Session().run(grad)
    want = [
        [0.5, 0.05, -0.05],
        [0.1944444444, -0.4166666667, -0.3259259259],
        [0.6777777778, 0.3055555556, 0.3611111111],
    ]
    np.testing.assert_allclose(got, want, atol=1e-7)


# The images and values of the measures below: TF 2.21's outputs.
A = (np.sin(np.arange(2 * 12 * 13 * 3)).reshape(2, 12, 13, 3) * 0.5 + 0.5).astype(np.float32)
B = (np.cos(np.arange(2 * 12 * 13 * 3) * 0.7).reshape(2, 12, 13, 3) * 0.5 + 0.5).astype(np.float32)


@pytest.mark.parametrize(
    ("build", "want"),
    [
        (lambda: tf.image.ssim(A, B, 1.0), [0.09478662, 0.007748302]),
        (
            lambda: tf.image.ssim(A, B, 1.0, filter_size=5, filter_sigma=0.8),
            [0.012830175, 0.004519235],
        ),
        (
            lambda: tf.image.ssim((A * 255).astype(np.uint8), (B * 255).astype(np.uint8), 255),
            [0.09501671, 0.007016176],
        ),
        (lambda: tf.image.psnr(A, B, 1.0), [6.0696063, 6.0135126]),
        (lambda: tf.image.total_variation(A), [439.4005, 439.26825]),
        (
            lambda: tf.image.sobel_edges(A)[0, 1, 1],
            [[-0.0077157617, -0.14299381], [0.010708123, 0.19845149], [0.019287292, 0.35744128]],
        ),
    ],
    ids=["ssim", "ssim-small-window", "ssim-uint8", "psnr", "total-variation", "sobel"],
)
def test_measures_match_tf(run, build, want):
    np.testing.assert_allclose(run(build()), want, rtol=1e-4, atol=1e-6)


def test_image_gradients_are_forward_differences(run):
    dy, dx = run(tf.image.image_gradients(A))
    np.testing.assert_array_equal(dy[:, :-1], A[:, 1:] - A[:, :-1])
    np.testing.assert_array_equal(dx[:, :, :-1], A[:, :, 1:] - A[:, :, :-1])
    assert not dy[:, -1].any() and not dx[:, :, -1].any()


def test_ssim_checks_the_window_fits_at_run_time(run):
    small = tf.placeholder(tf.float32, [None, None, 3])
    score = tf.image.ssim(small, small, 1.0)
    with pytest.raises(tf.errors.InvalidArgumentError, match="assertion failed"):
        run(score, {small: np.zeros((5, 20, 3), np.float32)})
