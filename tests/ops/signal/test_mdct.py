"""Tests for ``tf.signal.mdct`` and ``inverse_mdct`` (scopeflow/ops/signal/mdct.py): values,
output names and errors against TensorFlow 2.21's (literals below, same inputs)."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf

X = np.random.RandomState(0).randn(2, 20).astype(np.float32)


@pytest.mark.parametrize(
    ("build", "pick", "want", "name"),
    [
        (
            lambda: tf.signal.mdct(X, 8),
            (0, slice(0, 2)),
            [
                [-4.891061782836914, 6.361370086669922, 2.1462574005126953, 0.0141884982585907],
                [-1.0312713384628296, 0.2028170824050903, -2.562702178955078, 2.793259382247925],
            ],
            "mdct/dct/strided_slice:0",
        ),
        (
            lambda: tf.signal.mdct(X, 8, pad_end=True),
            (1, 4),
            [0.7693422436714172, -1.7395658493041992, 1.648184061050415, -1.1473932266235352],
            "mdct/dct/strided_slice:0",
        ),
        (
            lambda: tf.signal.mdct(X, 8, window_fn=None, norm="ortho"),
            (1, 0),
            [-0.6986109614372253, 1.7353286743164062, 1.148285984992981, 0.06647046655416489],
            "mdct/dct/mul_1:0",
        ),
        (
            lambda: tf.signal.mdct(
                X.astype(np.float64), 12, window_fn=tf.signal.kaiser_bessel_derived_window
            ),
            (0, 1),
            [-4.962235431712438, 2.58197230713382, 0.48315592738478685, -1.9157699123154672]
            + [-0.6754204412037992, 2.0004351686447412],
            "mdct/dct/strided_slice:0",
        ),
        (
            lambda: tf.signal.inverse_mdct(tf.signal.mdct(X, 8)),
            (0, slice(0, 8)),
            [-0.12735490500926971, -0.31666332483291626, 0.6011331081390381, 2.127680778503418]
            + [1.8675578832626343, -0.9772777557373047, 0.950088381767273, -0.15135717391967773],
            "inverse_mdct/overlap_and_add/strided_slice_1:0",
        ),
    ],
    ids=["vorbis", "pad-end", "ortho-no-window", "kbd-float64", "inverse"],
)
def test_mdct_matches_tf(run, build, pick, want, name):
    out = build()
    assert out.name == name
    np.testing.assert_allclose(run(out)[pick], want, rtol=1e-5, atol=1e-6)


def test_static_shapes(graph):
    assert tf.signal.mdct(X, 8).shape.as_list() == [2, 4, 4]
    assert tf.signal.mdct(X, 8, pad_end=True).shape.as_list() == [2, 5, 4]
    assert tf.signal.inverse_mdct(tf.zeros([2, 4, 4])).shape.as_list() == [2, 20]


def test_orthonormal_round_trip_rebuilds_the_inside(run):
    x = np.sin(np.arange(40.0) * 0.3).astype(np.float32)
    back = tf.signal.inverse_mdct(tf.signal.mdct(x, 8, norm="ortho"), norm="ortho")
    np.testing.assert_allclose(run(back)[4:-4], x[4:-4], atol=1e-5)


@pytest.mark.parametrize(
    ("build", "match"),
    [
        (lambda: tf.signal.mdct(X, 6), "The frame length must be a multiple of 4"),
        (lambda: tf.signal.mdct(X, [8]), r"Shape \(1,\) must have rank 0"),
        (lambda: tf.signal.mdct(X, 8, norm="foo"), "Unknown normalization"),
        (lambda: tf.signal.inverse_mdct(tf.zeros([2, 4, 4]), norm="foo"), "Unknown normaliz"),
    ],
)
def test_errors(graph, build, match):
    with pytest.raises(ValueError, match=match):
        build()
