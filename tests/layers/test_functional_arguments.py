"""tf.layers.conv1d/conv2d/... take TF's parameters in TF's order (through trainable, name,
reuse), as TF 2.21's tf.compat.v1.layers; unknown keywords raise TF's TypeError."""

import inspect

import pytest

import scopeflow as tf

CONV = [
    "inputs",
    "filters",
    "kernel_size",
    "strides",
    "padding",
    "data_format",
    "dilation_rate",
    "activation",
    "use_bias",
    "kernel_initializer",
    "bias_initializer",
    "kernel_regularizer",
    "bias_regularizer",
    "activity_regularizer",
    "kernel_constraint",
    "bias_constraint",
    "trainable",
    "name",
    "reuse",
]


@pytest.mark.parametrize("fn", ["conv1d", "conv2d", "conv3d"])
def test_signatures_are_tfs(fn):
    assert list(inspect.signature(getattr(tf.layers, fn)).parameters) == CONV


def test_name_and_reuse_by_position(graph):
    x = tf.placeholder(tf.float32, [None, 8, 8, 3])
    nones = [None] * 7
    y = tf.layers.conv2d(
        x, 4, 3, 2, "same", "channels_last", 1, tf.nn.relu, False, *nones, True, "c1"
    )
    assert y.name == "c1/Relu:0" and [v.name for v in tf.global_variables()] == ["c1/kernel:0"]
    again = tf.layers.conv2d(
        x,
        4,
        3,
        name="c1",
        reuse=True,
        use_bias=False,
        activation=tf.nn.relu,
        strides=2,
        padding="same",
    )
    assert again.name == "c1_1/Relu:0" and len(tf.global_variables()) == 1
    z = tf.placeholder(tf.float32, [None, 8, 3])
    out = tf.layers.conv1d(
        z, 2, 3, 1, "valid", "channels_last", 1, None, True, *nones, True, "k", None
    )
    assert out.name == "k/BiasAdd:0"


def test_unknown_keywords(graph):
    x = tf.placeholder(tf.float32, [None, 8, 8, 3])
    with pytest.raises(TypeError, match=r"conv2d\(\) got an unexpected keyword argument 'foo'"):
        tf.layers.conv2d(x, 4, 3, foo=1)


def test_transposed_convolutions_take_the_rest_by_keyword(graph):
    x = tf.placeholder(tf.float32, [None, 8, 8, 3])
    y = tf.layers.conv2d_transpose(
        x, 2, 3, 2, "same", kernel_initializer=tf.ones_initializer(), name="t"
    )
    assert y.name == "t/BiasAdd:0" and y.shape.as_list() == [None, 16, 16, 2]
    with pytest.raises(TypeError, match="too many positional arguments"):
        tf.layers.conv2d_transpose(x, 2, 3, 2, "same", "channels_last", None, True, None)
