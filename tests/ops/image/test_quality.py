"""Tests for ``tf.image.ssim_multiscale`` (scopeflow/ops/image/quality.py): values against
TensorFlow 2.21's on the same images (float32 sums in another order: agreement to 1e-5),
names, and the run-time check that the smallest scale still fits the filter."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf

_rng = np.random.RandomState(0)
A = _rng.uniform(0, 1, (1, 177, 176, 1)).astype(np.float32)  # odd sides: mirrored padding
B = np.clip(A + _rng.normal(0, 0.1, A.shape), 0, 1).astype(np.float32)
C = _rng.uniform(0, 1, (2, 41, 50, 3)).astype(np.float32)
D = np.clip(C * 0.8 + _rng.normal(0, 0.1, C.shape), 0, 1).astype(np.float32)


@pytest.mark.parametrize(
    ("build", "want"),
    [
        (lambda: tf.image.ssim_multiscale(A, B, 1.0), [0.9563596248626709]),
        (
            lambda: tf.image.ssim_multiscale(
                (A * 255).astype(np.uint8), (B * 255).astype(np.uint8), 255
            ),
            [0.9563263058662415],
        ),
        (
            lambda: tf.image.ssim_multiscale(
                C,
                D,
                1.0,
                power_factors=(0.5, 0.3, 0.2),
                filter_size=5,
                filter_sigma=1.0,
                k1=0.02,
                k2=0.05,
            ),  # fmt: skip
            [0.9078003764152527, 0.9072793126106262],
        ),
        (
            lambda: tf.image.ssim_multiscale(C[0, :33, :34], D[0, :33, :34], 1.0, [1.0, 1.0]),
            0.8081187605857849,
        ),
    ],
    ids=["five-scales", "uint8", "three-scales-small-filter", "one-image"],
)
def test_ssim_multiscale_matches_tf(run, build, want):
    np.testing.assert_allclose(run(build()), want, rtol=1e-5)


def test_ssim_multiscale_names_and_shapes(graph):
    x = tf.placeholder(tf.float32, [4, 64, 64, 3])
    score = tf.image.ssim_multiscale(x, x, 1.0, power_factors=(0.5, 0.5))
    assert score.name == "MS-SSIM/Mean:0"
    assert score.shape.as_list() == [4]
    names = {op.name for op in graph.get_operations()}
    assert {"MS-SSIM/Scale0/Relu", "MS-SSIM/Scale1/AvgPool", "MS-SSIM/Relu"} <= names
    assert "MS-SSIM/Prod" in names and "MS-SSIM/Scale2/AvgPool" not in names


def test_ssim_multiscale_needs_the_smallest_scale_to_fit_the_filter(run):
    small = tf.image.ssim_multiscale(A[:, :100, :100], B[:, :100, :100], 1.0)
    with pytest.raises(tf.errors.InvalidArgumentError, match="assertion failed"):
        run(small)


def test_ssim_multiscale_rejects_incompatible_images(graph):
    with pytest.raises(ValueError, match="incompatible"):
        tf.image.ssim_multiscale(tf.zeros([8, 8, 3]), tf.zeros([8, 9, 3]), 1.0)
