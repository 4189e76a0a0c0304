"""Tests for scopeflow/keras/mixed_precision.py (``tf.keras.mixed_precision.LossScaleOptimizer``
in graph mode): fit's losses, weights and variable names, the dynamic scale's steps with finite
and infinite gradients, and the errors, all recorded from TF 2.21 (tf_keras)."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf

LossScaleOptimizer = tf.keras.mixed_precision.LossScaleOptimizer


def test_fit_as_tf():
    with tf.Graph().as_default():
        x = np.array([[1.0, 2.0], [3.0, -1.0]], np.float32)
        y = np.array([[1.0], [2.0]], np.float32)
        model = tf.keras.Sequential(
            [tf.keras.layers.Dense(1, input_shape=(2,), kernel_initializer="ones")]
        )
        opt = LossScaleOptimizer(tf.keras.optimizers.SGD(0.1), initial_scale=8.0,
                                 dynamic_growth_steps=2)  # fmt: skip
        model.compile(opt, "mse")
        history = model.fit(x, y, epochs=3, verbose=0, batch_size=2)
        np.testing.assert_allclose(history.history["loss"], [2.0, 0.4, 0.0872], rtol=1e-6)
        assert sorted(v.name for v in tf.global_variables()) == [
            "current_loss_scale:0", "dense/bias:0", "dense/kernel:0", "good_steps:0",
            "training/cond_1/SGD/decay:0", "training/cond_1/SGD/iter:0",
            "training/cond_1/SGD/learning_rate:0", "training/cond_1/SGD/momentum:0",
        ]  # fmt: skip
        sess = tf.keras.backend.get_session()
        kernel, bias = sess.run(model.weights)
        np.testing.assert_allclose(kernel.ravel(), [0.8360001, 0.308], rtol=1e-6)
        np.testing.assert_allclose(bias, [-0.268], rtol=1e-6)
        assert sess.run(opt.loss_scale) == 16.0  # 8, doubled after 2 finite steps


def test_dynamic_scale_skips_steps_with_infinite_gradients_as_tf():
    with tf.Graph().as_default():
        layer = tf.keras.layers.Dense(1, kernel_initializer="ones")
        big = tf.placeholder(tf.float32, [])
        loss = tf.reduce_sum(layer(tf.constant([[1.0, 2.0]]))) * big
        opt = LossScaleOptimizer(tf.keras.optimizers.SGD(0.1), initial_scale=4.0,
                                 dynamic_growth_steps=2)  # fmt: skip
        step = opt.get_updates(loss, layer.trainable_weights)
        sess = tf.keras.backend.get_session()
        sess.run(tf.global_variables_initializer())
        scales, kernels = [], []
        for factor in [1.0, 1e38, 1.0, 1.0, 1.0, 1e38, 1e38, 1e38]:
            sess.run(step, {big: factor})
            scales.append(float(sess.run(opt.loss_scale)))
            kernels.append(sess.run(layer.kernel).ravel().tolist())
        assert scales == [4.0, 2.0, 2.0, 4.0, 4.0, 2.0, 1.0, 1.0]
        np.testing.assert_allclose(kernels[1], [0.9, 0.8], rtol=1e-6)  # skipped: unchanged
        np.testing.assert_allclose(kernels[4], [0.6, 0.2], rtol=1e-6)
        # at the smallest scale (1) the scaled gradients are finite again: applied
        np.testing.assert_allclose(kernels[7], [-1e37, -2e37], rtol=1e-6)
        assert sess.run(opt.get_scaled_loss(tf.constant(2.0))) == 2.0
        assert sess.run(opt.get_unscaled_gradients([tf.constant(16.0), None])[0]) == 16.0


def test_fixed_scale_config_and_errors_as_tf():
    with tf.Graph().as_default():
        fixed = LossScaleOptimizer(tf.keras.optimizers.SGD(0.1), dynamic=False, initial_scale=8.0)
        assert (fixed.dynamic, fixed.dynamic_growth_steps) == (False, None)
        assert tf.keras.backend.get_session().run(fixed.loss_scale) == 8.0
        config = LossScaleOptimizer(tf.keras.optimizers.SGD(0.1)).get_config()
        assert {k: v for k, v in config.items() if k != "inner_optimizer"} == {
            "dynamic": True, "initial_scale": 32768.0, "dynamic_growth_steps": 2000,
        }  # fmt: skip
        assert config["inner_optimizer"]["class_name"] == "SGD"
        with pytest.raises(TypeError, match='"inner_optimizer" must be an instance of'):
            LossScaleOptimizer(tf.train.GradientDescentOptimizer(0.1))
        with pytest.raises(ValueError, match='"initial_scale" must be specified if "dynamic"'):
            LossScaleOptimizer(tf.keras.optimizers.SGD(0.1), dynamic=False)
        with pytest.raises(ValueError, match='"dynamic_growth_steps" must be None if "dynamic"'):
            LossScaleOptimizer(tf.keras.optimizers.SGD(0.1), dynamic=False, initial_scale=2.0,
                               dynamic_growth_steps=3)  # fmt: skip
