"""tf.keras.layers.Conv2DTranspose/Conv3DTranspose take tf_keras's parameters in its order
(``output_padding`` fifth, before ``data_format``): configs, shapes and TypeErrors below are
TF 2.21's (tf_keras, compat.v1 graph mode)."""

from __future__ import annotations

import inspect

import numpy as np
import pytest

import scopeflow as tf

KEYS = ["filters", "kernel_size", "strides", "padding", "output_padding", "data_format",
        "dilation_rate", "activation", "use_bias"]  # fmt: skip


def _config(layer) -> dict:
    config = layer.get_config()
    return {key: config.get(key, "-") for key in KEYS}


def test_positional_arguments_in_tf_keras_order(graph):
    layers = tf.keras.layers
    conv2d = layers.Conv2DTranspose(4, 3, 1, "same", None, "channels_last", (2, 2), "relu", False)
    assert _config(conv2d) == {
        "filters": 4, "kernel_size": (3, 3), "strides": (1, 1), "padding": "same",
        "output_padding": None, "data_format": "channels_last", "dilation_rate": (2, 2),
        "activation": "relu", "use_bias": False,
    }  # fmt: skip
    conv3d = layers.Conv3DTranspose(4, 2, 2, "valid", None, None, 1, "tanh")
    assert _config(conv3d) == {
        "filters": 4, "kernel_size": (2, 2, 2), "strides": (2, 2, 2), "padding": "valid",
        "output_padding": None, "data_format": "channels_last", "dilation_rate": "-",
        "activation": "tanh", "use_bias": True,
    }  # fmt: skip
    named = layers.Convolution2DTranspose(2, (3, 1), name="up")
    assert (named.name, _config(named)["kernel_size"]) == ("up", (3, 1))
    x = tf.keras.Input((5, 5, 3))
    y = layers.Conv2DTranspose(4, 3, 2, "same", None, "channels_last", (1, 1), "relu")(x)
    assert y.shape.as_list() == [None, 10, 10, 4]


def test_signature_and_type_errors():
    layer = tf.keras.layers.Conv2DTranspose
    assert list(inspect.signature(layer).parameters)[:7] == [
        "filters", "kernel_size", "strides", "padding", "output_padding", "data_format",
        "dilation_rate",
    ]  # fmt: skip
    assert str(inspect.signature(tf.keras.layers.Conv3DTranspose)).startswith(
        "(filters, kernel_size, strides=(1, 1, 1), padding='valid', output_padding=None, "
    )
    with pytest.raises(TypeError, match=r"^Conv2DTranspose.__init__\(\) missing 1 required "
                                        r"positional argument: 'filters'$"):  # fmt: skip
        layer(kernel_size=3)
    args = (4, 3, 2, "same", None, None, 1, None, True, "ones", "zeros", *[None] * 5, 7)
    with pytest.raises(TypeError, match=r"takes from 3 to 17 positional arguments but 18 were"):
        layer(*args)
    with pytest.raises(TypeError, match="got multiple values for argument 'filters'"):
        layer(4, filters=3, kernel_size=2)


def test_conv3d_takes_groups_seventh(graph):
    # TF 2.21: Conv3D(4, 2, 1, "valid", None, 1, 1, "relu") is groups=1, activation relu
    init = tf.keras.initializers.Constant(np.arange(2 * 2 * 2 * 4 * 4).reshape(2, 2, 2, 4, 4) / 500)
    layer = tf.keras.layers.Conv3D(4, 2, 1, "valid", None, 1, 1, "relu", kernel_initializer=init)
    config = layer.get_config()
    assert (config["groups"], config["activation"], config["dilation_rate"]) == (
        1,
        "relu",
        (1, 1, 1),
    )
    x = tf.constant(np.arange(2 * 3 * 3 * 3 * 4, dtype=np.float32).reshape(2, 3, 3, 3, 4) / 100)
    y = layer(x)
    assert [w.name for w in layer.weights] == ["conv3d/kernel:0", "conv3d/bias:0"]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        np.testing.assert_allclose(sess.run(y).sum(), 307.9884948730469, rtol=1e-5)
    with pytest.raises(NotImplementedError, match=r"Conv3D\(groups=2\) is not supported"):
        tf.keras.layers.Conv3D(4, 2, groups=2)


def test_conv1d_transpose_and_separable_conv1d_positional(graph):
    # TF 2.21: data_format sixth for Conv1DTranspose; initializers tenth on for SeparableConv1D
    layer = tf.keras.layers.Conv1DTranspose(
        4, 3, 2, "same", None, "channels_last", 1, "relu", False
    )
    config = layer.get_config()
    assert (config["data_format"], config["activation"], config["use_bias"]) == (
        "channels_last", "relu", False,
    )  # fmt: skip
    assert layer(tf.keras.Input((6, 3))).shape.as_list() == [None, 12, 4]
    layer = tf.keras.layers.SeparableConv1D(
        4, 3, 1, "same", None, 2, 2, "relu", True, "ones", "zeros", "zeros"
    )
    config = layer.get_config()
    assert (config["dilation_rate"], config["depth_multiplier"], config["activation"]) == (
        (2,), 2, "relu",
    )  # fmt: skip
    assert config["depthwise_initializer"]["class_name"] == "Ones"
    assert config["pointwise_initializer"]["class_name"] == "Zeros"
    assert layer(tf.keras.Input((6, 3))).shape.as_list() == [None, 6, 4]
