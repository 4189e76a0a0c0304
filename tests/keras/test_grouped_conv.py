"""``tf.keras.layers.Conv1D``/``Conv2D`` with ``groups`` (scopeflow/keras/grouped_conv.py)
and ``tf.keras.activations.gelu``: the numbers are tf_keras 2.21's (TF 2.21 in compat.v1
graph mode) on the same inputs and weights."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf


def test_grouped_conv2d_values_and_gradients_are_tensorflows(graph):
    x = tf.constant(np.sin(np.arange(2 * 5 * 5 * 4) * 0.3).reshape(2, 5, 5, 4), tf.float32)
    layer = tf.keras.layers.Conv2D(6, 3, groups=2, padding="same")
    y = layer(x)
    assert layer.kernel.shape.as_list() == [3, 3, 2, 6] and y.shape.as_list() == [2, 5, 5, 6]
    layer.set_weights(
        [np.cos(np.arange(3 * 3 * 2 * 6) * 0.3).reshape(3, 3, 2, 6), np.arange(6) * 0.1]
    )
    gx, gw = tf.gradients(tf.reduce_sum(y * y), [x, layer.kernel])
    out, gx, gw = tf.keras.backend.get_session().run([y, gx, gw])
    np.testing.assert_allclose(
        out[0, 0, 0], [0.60734457, 1.00886023, 1.32919037, 0.83725071, 0.94476879, 1.0036242],
        rtol=1e-5,
    )  # fmt: skip
    np.testing.assert_allclose(
        out[1, 4, 2], [-0.5190196, -0.6851964, -0.78123415, -0.52128148, -0.41334972, -0.23276395],
        rtol=1e-5,
    )  # fmt: skip
    np.testing.assert_allclose([gx.sum(), gw.sum()], [46.543747, 563.2385], rtol=1e-4)
    np.testing.assert_allclose(
        gw[1, 1, 1], [-0.27810812, -0.63800937, -0.90998727, -1.05355871, -1.14453483, -1.02093935],
        rtol=1e-4,
    )  # fmt: skip


def test_grouped_conv1d_is_depthwise_when_groups_equal_channels(graph):
    layer = tf.keras.layers.Conv1D(4, 2, groups=4, use_bias=False)
    y = layer(tf.constant(np.sin(np.arange(16)).reshape(1, 4, 4), tf.float32))
    assert layer.kernel.shape.as_list() == [2, 1, 4]
    layer.set_weights([np.arange(8).reshape(2, 1, 4) * 0.5])
    want = [
        [-1.513605, -1.97657526, 0.07105094, 2.51113296],
        [1.97871649, 0.55083406, -1.91147888, -2.51448584],
        [-1.07314587, 1.25647676, 2.42780113, 0.77602232],
    ]
    np.testing.assert_allclose(tf.keras.backend.get_session().run(y)[0], want, rtol=1e-5)


def test_groups_positional_argument_and_config(graph):
    # TF's order: filters, kernel_size, strides, padding, data_format, dilation_rate, groups.
    layer = tf.keras.layers.Conv2D(4, 3, 1, "valid", None, 1, 2, "relu")
    assert layer.groups == 2 and layer.activation is tf.keras.activations.relu
    config = layer.get_config()
    assert config["groups"] == 2
    again = tf.keras.layers.Conv2D.from_config(config)
    again(tf.keras.Input(shape=(6, 6, 8)))
    assert again.groups == 2 and again.kernel.shape.as_list() == [3, 3, 4, 4]
    assert tf.keras.layers.Conv2D(4, 3).get_config()["groups"] == 1


def test_groups_must_divide_filters_and_channels(graph):
    with pytest.raises(ValueError, match=r"evenly divisible .* groups=4, filters=6"):
        tf.keras.layers.Conv2D(6, 3, groups=4)
    with pytest.raises(
        ValueError,
        match=r"Received groups=2, but the input has 5 channels \(full input shape is "
        r"\(\?, 8, 8, 5\)\)",
    ):
        tf.keras.layers.Conv2D(6, 3, groups=2)(tf.keras.Input(shape=(8, 8, 5)))


def test_gelu_values_and_ops_are_tensorflows(graph):
    x = tf.constant([-3.0, -1.0, 0.0, 0.5, 1.0, 3.0])
    exact = tf.keras.activations.gelu(x)
    approximate = tf.keras.layers.Activation(
        lambda t: tf.keras.activations.gelu(t, approximate=True)
    )(x)
    got = tf.keras.backend.get_session().run([exact, approximate])
    np.testing.assert_allclose(
        got[0], [-0.0040496956, -0.15865526, 0.0, 0.34573123, 0.84134471, 2.99595022], rtol=1e-6
    )
    np.testing.assert_allclose(
        got[1], [-0.0036374331, -0.15880799, 0.0, 0.345714, 0.84119201, 2.99636269],
        rtol=1e-5, atol=1e-7,  # 1 + tanh(-2.4) in float32: Eigen's tanh and NumPy's differ
    )  # fmt: skip
    assert exact.op.name == "Gelu/mul_2" and exact.op.inputs[1].op.type == "Erfc"
    assert approximate.op.name == "activation/Gelu/mul_3"
    assert tf.keras.layers.Activation("gelu")(x).name == "activation_1/Gelu/mul_2:0"
    with pytest.raises(ValueError, match="must be a floating point tensor"):
        tf.keras.activations.gelu(tf.constant([1, 2]))
