"""Tests for scopeflow/contrib/group_norm.py (``tf.contrib.layers.instance_norm`` and
``group_norm``): variable names, output names and build errors as tf_slim's (TF1.15's
contrib.layers, run on TF 2.21), values against NumPy's formula, gradients by finite
differences."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf

RNG = np.random.default_rng(3)


def _normalized(x: np.ndarray, axes: tuple, eps: float = 1e-6) -> np.ndarray:
    x = x.astype(np.float64)
    mean = x.mean(axis=axes, keepdims=True)
    return (x - mean) / np.sqrt(x.var(axis=axes, keepdims=True) + eps)


def test_names_are_tf1s():
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [None, 4, 4, 8])
        c = tf.placeholder(tf.float32, [2, 8, 3, 3])
        outs = [
            tf.contrib.layers.instance_norm(x),
            tf.contrib.layers.group_norm(x, groups=4),
            tf.contrib.layers.instance_norm(x, center=False, scope="in2"),
            tf.contrib.layers.instance_norm(c, data_format="NCHW"),
            tf.contrib.layers.group_norm(c, 2, 1, (2, 3), scale=False),
        ]
        assert [v.name for v in tf.global_variables()] == [
            "InstanceNorm/beta:0",
            "InstanceNorm/gamma:0",
            "GroupNorm/beta:0",
            "GroupNorm/gamma:0",
            "in2/gamma:0",
            "InstanceNorm_1/beta:0",
            "InstanceNorm_1/gamma:0",
            "GroupNorm_1/beta:0",
        ]
        assert [o.name for o in outs] == [
            "InstanceNorm/instancenorm/add_1:0",
            "GroupNorm/Reshape_2:0",
            "in2/instancenorm/add_1:0",
            "InstanceNorm_1/instancenorm/add_1:0",
            "GroupNorm_1/Reshape_1:0",
        ]
        assert tf.model_variables() == tf.global_variables()


@pytest.mark.parametrize(
    "build, words",
    [
        (lambda x: tf.contrib.layers.group_norm(x, groups=3), "not commensurate with 3 groups"),
        (lambda x: tf.contrib.layers.group_norm(x, groups=16), "Invalid groups 16 for 8"),
        (lambda x: tf.contrib.layers.instance_norm(x, data_format="NCW"), "either NCHW"),
        (lambda x: tf.contrib.layers.group_norm(x, reduction_axes=(1, 3)), "mutually exclusive"),
        (lambda x: tf.contrib.layers.group_norm(tf.placeholder(tf.float32)), "undefined rank"),
    ],
)
def test_build_errors_are_tf1s(build, words):
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [None, 4, 4, 8])
        with pytest.raises(ValueError, match=words):
            build(x)


def test_values_and_gradients():
    x_value = RNG.standard_normal((2, 4, 4, 8)).astype(np.float32) * 3 + 1
    with tf.Graph().as_default():
        x = tf.constant(x_value)
        inst = tf.contrib.layers.instance_norm(x, activation_fn=tf.nn.relu)
        group = tf.contrib.layers.group_norm(x, groups=4)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            got_inst, got_group = sess.run([inst, group])
        np.testing.assert_allclose(got_inst, np.maximum(_normalized(x_value, (1, 2)), 0), atol=1e-5)
        grouped = x_value.reshape(2, 4, 4, 4, 2)
        expected = _normalized(grouped, (1, 2, 4)).reshape(x_value.shape)
        np.testing.assert_allclose(got_group, expected, atol=1e-5)
    with tf.Graph().as_default():
        x = tf.constant(x_value[:1, :2, :2, :].astype(np.float64))
        y = tf.contrib.layers.group_norm(x, groups=2, epsilon=1e-3)
        with tf.Session():
            tf.global_variables_initializer().run()
            error = tf.test.compute_gradient_error(x, [1, 2, 2, 8], y * y, [1, 2, 2, 8])
    assert error < 1e-6
