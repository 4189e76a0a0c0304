"""Tests for scopeflow/ops/image/resize.py: ``tf.image.resize_bilinear``, ``resize_bicubic``,
``resize_nearest_neighbor`` and ``resize_images`` build TF1's ops and names (TensorFlow 2.21's
records, ``tests/data/tf_reference/image.json``), compute TensorFlow's values and gradients for
every sampling mode (``tests/data/image_resize_values.json``, by
``make_image_resize_values.py``), and their gradients match finite differences."""

from __future__ import annotations

import json
import pathlib
import sys

import numpy as np
import pytest

import scopeflow as tf
from tests.ops.grad_check import GradCase, check_gradient_case, gradient_cases
from tests.ops.graph_checks import check_against, expected, setup_of, tf_reference
from tests.ops.kernel_table import Case, cases_by_mode, check_case

DATA = pathlib.Path(__file__).resolve().parents[2] / "data"
sys.path.insert(0, str(DATA))
from image_resize_model import AREA_RESIZES, area_values, image, values  # noqa: E402

REFERENCE = tf_reference("image")
SETUP = setup_of(REFERENCE)
GROUPS = REFERENCE["groups"]
VALUES = json.loads((DATA / "image_resize_values.json").read_text())
NAMES = [k for k in VALUES if k not in ("generated_by", "tensorflow", *AREA_RESIZES)]

DIFFERENCES: dict = {}


@pytest.mark.parametrize("expr", list(GROUPS["EXPRESSIONS"]))
def test_builds_tf1s_graph(graph, env, expr):
    check_against(graph, env, expr, expected(GROUPS["EXPRESSIONS"][expr], DIFFERENCES.get(expr)))


@pytest.mark.parametrize("expr", [*GROUPS["ERRORS"], *GROUPS["UNSUPPORTED"]])
def test_errors_and_what_scopeflow_lacks(graph, env, expr):
    record = {**GROUPS["ERRORS"], **GROUPS["UNSUPPORTED"]}[expr]
    check_against(graph, env, expr, expected(record, DIFFERENCES.get(expr)), left=None)


@pytest.mark.parametrize("name", NAMES)
def test_values_match_tensorflows(name):
    ours = values(tf, [name])[name]
    for mine, theirs in zip(ours, VALUES[name], strict=True):
        np.testing.assert_allclose(mine, theirs, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("name", list(AREA_RESIZES))
def test_area_values_match_tensorflows(name):
    np.testing.assert_allclose(area_values(tf)[name][0], VALUES[name][0], rtol=1e-5, atol=2e-6)


def test_align_corners_with_half_pixel_centers_fails_when_run(graph):
    y = tf.image.resize_bilinear(image(), [3, 3], align_corners=True, half_pixel_centers=True)
    with pytest.raises(tf.errors.InvalidArgumentError, match="align_corners must be False"):
        tf.Session().run(y)


IMG = image().astype(np.float64)
# fmt: off
CASES = [
    Case("bilinear-same", "ResizeBilinear", lambda x: tf.image.resize_bilinear(x, [4, 5]),
         (IMG,), lambda x: x.astype(np.float32)),
    Case("bilinear-double", "ResizeBilinear",
         lambda x: tf.image.resize_bilinear(x, [8, 10], half_pixel_centers=True), (IMG,),
         lambda x: _bilinear_double(x), 1e-6),
    Case("bicubic-same", "ResizeBicubic", lambda x: tf.image.resize_bicubic(x, [4, 5]),
         (IMG,), lambda x: x.astype(np.float32)),
    Case("nearest-double", "ResizeNearestNeighbor",
         lambda x: tf.image.resize_nearest_neighbor(x, [8, 10]), (IMG,),
         lambda x: x.repeat(2, axis=1).repeat(2, axis=2)),
    Case("area-halve", "ResizeArea", lambda x: tf.image.resize_area(x, [2, 5]), (IMG,),
         lambda x: (x[:, ::2] + x[:, 1::2]).astype(np.float32) / 2, 1e-6),
    Case("area-uint8", "ResizeArea", lambda x: tf.image.resize_area(x, [2, 1]),
         (np.arange(8, dtype=np.uint8).reshape(1, 4, 2, 1),),
         lambda x: np.float32([[[[1.5]], [[5.5]]]])),
    Case("nearest-uint8", "ResizeNearestNeighbor",
         lambda x: tf.image.resize_nearest_neighbor(x, [2, 5]),
         (np.arange(20, dtype=np.uint8).reshape(1, 4, 5, 1),),
         lambda x: x[:, ::2]),
]
# fmt: on


def _bilinear_double(x):
    """Half-pixel bilinear doubling: each output is 3/4 of its own pixel and 1/4 of the
    neighbour on its side (the edge pixel repeated)."""

    def double(a, axis):
        n = a.shape[axis]
        lo = np.take(a, np.maximum(np.arange(n) - 1, 0), axis=axis)
        hi = np.take(a, np.minimum(np.arange(n) + 1, n - 1), axis=axis)
        out = np.stack([0.75 * a + 0.25 * lo, 0.75 * a + 0.25 * hi], axis=axis + 1)
        return out.reshape(a.shape[:axis] + (2 * n,) + a.shape[axis + 1 :])

    return double(double(x, 1), 2).astype(np.float32)


@pytest.mark.parametrize(("case", "mode"), cases_by_mode(CASES))
def test_kernel_table(run, case, mode):
    check_case(run, case, mode)


GRADIENTS = [
    GradCase("bilinear", lambda x: tf.image.resize_bilinear(x, [7, 3]), (IMG[:1],)),
    GradCase(
        "bilinear-align",
        lambda x: tf.image.resize_bilinear(x, [3, 7], align_corners=True),
        (IMG[:1],),
    ),
    GradCase("bicubic", lambda x: tf.image.resize_bicubic(x, [7, 3]), (IMG[:1],)),
    # Beyond TF, which has no gradient for ResizeArea.
    GradCase("area", lambda x: tf.image.resize_area(x, [3, 4]), (IMG[:1],)),
    GradCase("area-align-up", lambda x: tf.image.resize_area(x, [7, 9], align_corners=True),
             (IMG[:1],)),
    GradCase(
        "bicubic-half-pixel",
        lambda x: tf.image.resize_bicubic(x, [3, 7], half_pixel_centers=True),
        (IMG[:1],),
    ),
    GradCase(
        "nearest-half-pixel",
        lambda x: tf.image.resize_nearest_neighbor(x, [7, 3], half_pixel_centers=True),
        (IMG[:1],),
    ),
]


@pytest.mark.parametrize("case", gradient_cases(GRADIENTS))
def test_gradients(case):
    # The resizes are linear, so a large step has no truncation error, and the bilinear
    # resize computes in float32 (as TF): a small step would drown in its rounding.
    check_gradient_case(case, delta=1.0, atol=1e-5)


def test_resize_area_gradient_needs_a_static_image_size(graph):
    x = tf.placeholder(tf.float32, [1, None, None, 3])
    with pytest.raises(LookupError, match="not known while building"):
        tf.gradients(tf.image.resize_area(x, [2, 2]), x)
