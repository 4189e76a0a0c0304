"""Tests for ``tf.layers.Conv3DTranspose`` and ``tf.layers.SeparableConv1D``
(scopeflow/layers/convolutional_variants.py): TF1's variables, ops and errors (TensorFlow
2.21's tf_keras records, ``tests/data/tf_reference/layers_variants.json``) and the values
against the ``tf.nn`` ops they stand for."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf
from tests.ops.graph_checks import check_against, expected, setup_of, tf_reference

REFERENCE = tf_reference("layers_variants")
SETUP = setup_of(REFERENCE)
GROUPS = REFERENCE["groups"]

# Where scopeflow does something else than TF 2.21: expression -> what it does instead
# (nothing now: dilated separable convolutions build TF's SpaceToBatchND graph).
DIFFERENCES: dict = {}


@pytest.mark.parametrize("expr", list(GROUPS["EXPRESSIONS"]))
def test_builds_tf1s_graph(graph, env, expr):
    want = expected(GROUPS["EXPRESSIONS"][expr], DIFFERENCES.get(expr))
    check_against(graph, env, expr, want, left=None)


@pytest.mark.parametrize("expr", list(GROUPS["ERRORS"]))
def test_build_errors(graph, env, expr):
    want = expected(GROUPS["ERRORS"][expr], DIFFERENCES.get(expr))
    check_against(graph, env, expr, want, left=None)


RNG = np.random.default_rng(4)


def test_conv3d_transpose_layer_is_the_transposed_convolution_plus_bias(graph):
    x = RNG.standard_normal((2, 2, 3, 2, 3)).astype(np.float32)
    layer = tf.layers.Conv3DTranspose(4, 2, strides=2, bias_initializer=tf.ones_initializer())
    y = layer(x)
    want = tf.nn.conv3d_transpose(x, layer.kernel, [2, 4, 6, 4, 4], [1, 2, 2, 2, 1]) + 1.0
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        got, want = sess.run([y, want])
    np.testing.assert_allclose(got, want, rtol=1e-5)


def test_separable_conv1d_layer_is_a_depthwise_then_pointwise_convolution(graph):
    x = RNG.standard_normal((2, 9, 3)).astype(np.float32)
    layer = tf.layers.SeparableConv1D(5, 3, strides=2, padding="same", depth_multiplier=2)
    y = layer(x)
    depthwise = tf.nn.depthwise_conv2d(
        x[:, None], layer.depthwise_kernel[None], [1, 1, 2, 1], "SAME"
    )
    want = tf.nn.conv2d(depthwise, layer.pointwise_kernel[None], [1, 1, 1, 1], "VALID")[:, 0]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        got, want = sess.run([y, want])
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)


def test_unsupported_options_raise_not_implemented(graph):
    with pytest.raises(NotImplementedError, match="output_padding"):
        tf.layers.Conv3DTranspose(2, 2, output_padding=1)
    with pytest.raises(NotImplementedError, match="channels_first"):
        tf.layers.SeparableConv1D(2, 2, data_format="channels_first")
