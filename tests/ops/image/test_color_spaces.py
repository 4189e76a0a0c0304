"""Tests for scopeflow/ops/image/color_spaces.py: YIQ and YUV conversions give TF 2.21's
values and names."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf

IMAGE = np.float32([[[1.0, 0.5, 0.0], [0.2, 0.3, 0.9]]])


@pytest.mark.parametrize(
    ("convert", "expected"),
    [
        (tf.image.rgb_to_yiq,
         [[0.5925, 0.45862228, -0.04986809], [0.3385, -0.2523964, 0.16555871]]),
        (tf.image.yiq_to_rgb,
         [[1.4779931, 0.8639936, 0.44662988], [1.0455382, -0.4640876, 1.4017854]]),
        (tf.image.rgb_to_yuv,
         [[0.5925, -0.2915758, 0.35749283], [0.3385, 0.27632034, -0.1215037]]),
        (tf.image.yuv_to_rgb,
         [[1, 0.8026788, 2.0160308], [1.2258948, -0.44095233, 0.80961853]]),
    ],
)  # fmt: skip
def test_values_are_tfs(run, convert, expected):
    y = convert(IMAGE)
    assert (y.name, y.shape.as_list()) == ("Tensordot:0", [1, 2, 3])
    np.testing.assert_allclose(run(y), [expected], rtol=1e-6, atol=1e-7)


def test_round_trip_and_gradient(run):
    x = tf.placeholder(tf.float32, [None, None, 3])
    back = tf.image.yuv_to_rgb(tf.image.rgb_to_yuv(x))
    grad = tf.gradients(tf.image.rgb_to_yuv(x), x)[0]
    got, g = run([back, grad], {x: IMAGE})
    np.testing.assert_allclose(got, IMAGE, atol=1e-6)
    np.testing.assert_allclose(g[0, 0], [0.7668342, -0.21683428, 0.4500001], rtol=1e-6)
