"""tf.keras.layers.DepthwiseConv1D as tf_keras builds it: the bias added to the 4-D depthwise
result before the Squeeze, and padding='causal' refused when made with tf_keras's ValueError
(only Conv1D and SeparableConv1D take it); op lists and values are TF 2.21's."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf


def _layer(**kwargs):
    init = tf.constant_initializer(np.linspace(-1, 1, 18).reshape(3, 3, 2))
    return tf.keras.layers.DepthwiseConv1D(
        3, depth_multiplier=2, depthwise_initializer=init, **kwargs
    )


@pytest.mark.parametrize(
    ("padding", "shape", "total", "first"),
    [
        (
            "same",
            (2, 7, 6),
            18.823532,
            [[0.12353, 0.15882], [0.15882, 0.26471], [-0.10588, 0.10588]],
        ),
        (
            "valid",
            (2, 5, 6),
            28.235294,
            [[0.15882, 0.26471], [-0.10588, 0.10588], [-0.37059, -0.05294]],
        ),
    ],
)
def test_bias_before_squeeze(padding, shape, total, first):
    with tf.Graph().as_default() as graph:
        x = tf.placeholder(tf.float32, [2, 7, 3])
        y = _layer(padding=padding)(x)
        ops = {op.name: op for op in graph.get_operations()}
        assert y.op.name == "depthwise_conv1d/Squeeze"
        assert [t.name for t in y.op.inputs] == ["depthwise_conv1d/BiasAdd:0"]
        assert ops["depthwise_conv1d/BiasAdd"].inputs[0].name == "depthwise_conv1d/depthwise:0"
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            got = sess.run(y, {x: np.arange(42, dtype=np.float32).reshape(2, 7, 3) / 10})
    assert got.shape == shape
    np.testing.assert_allclose(got.sum(), total, rtol=1e-5)
    np.testing.assert_allclose(got[0, :3, :2], first, rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("extra", [{}, {"dilation_rate": 2}, {"strides": 2}])
def test_causal_padding_is_refused_when_made(extra):
    with pytest.raises(ValueError, match=r"^Causal padding is only supported for `Conv1D`and `Sep"):
        _layer(padding="causal", **extra)
