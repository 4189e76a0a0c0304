"""Loss scales: configs, errors, variables and the dynamic update rule, as TF 2.21 gave them
(compat.v1 graph mode)."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf


def test_fixed_loss_scale(graph):
    scale = tf.mixed_precision.FixedLossScale(8)
    assert repr(scale) == "FixedLossScale(8.0)"
    assert scale.get_config() == {"loss_scale_value": 8.0}
    op, should_apply = scale.update([tf.constant(1.0)])
    assert (op.type, should_apply) == ("NoOp", True)
    with tf.Session() as sess:
        assert sess.run(scale()) == 8.0


@pytest.mark.parametrize(
    "value,message",
    [("x", "must be a Python int or float"), (0.5, "must be at least 1")],
)
def test_fixed_loss_scale_rejects(value, message):
    with pytest.raises(ValueError, match=message):
        tf.mixed_precision.FixedLossScale(value)


def test_dynamic_loss_scale_config_and_variables(graph):
    scale = tf.mixed_precision.DynamicLossScale()
    assert repr(scale) == (
        "DynamicLossScale(initial_loss_scale=32768.0, increment_period=2000, multiplier=2.0)"
    )
    tf.train.experimental.DynamicLossScale.from_config(
        {"initial_loss_scale": 4.0, "increment_period": 3, "multiplier": 3.0}
    )
    assert [v.name for v in tf.global_variables()] == [
        "current_loss_scale:0",
        "good_steps:0",
        "current_loss_scale_1:0",
        "good_steps_1:0",
    ]
    assert tf.trainable_variables() == []
    assert tf.mixed_precision.experimental.LossScale is tf.train.experimental.LossScale
    with pytest.raises(TypeError, match="abstract"):
        tf.mixed_precision.LossScale()


def test_dynamic_update_grows_after_period_and_shrinks_on_non_finite(graph):
    grad = tf.placeholder(tf.float32, [2])
    scale = tf.mixed_precision.DynamicLossScale(initial_loss_scale=4.0, increment_period=2)
    update, finite = scale.update([grad, None])
    seen = []
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for value in [1.0, 1.0, 1.0, np.inf, np.nan, 1.0, 1.0]:
            seen.append(bool(sess.run([update, finite], {grad: [value, 0.0]})[1]))
            seen.append(float(sess.run(scale())))
    assert seen == [True, 4.0, True, 8.0, True, 8.0, False, 4.0, False, 2.0, True, 2.0, True, 4.0]


def test_scale_does_not_go_below_one_or_to_infinity(graph):
    grad = tf.placeholder(tf.float32, [])
    scale = tf.mixed_precision.DynamicLossScale(initial_loss_scale=2.0, increment_period=1,
                                                multiplier=1e38)  # fmt: skip
    update, _ = scale.update([grad])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(update, {grad: np.inf})
        assert sess.run(scale()) == 1.0
        sess.run(update, {grad: 1.0})
        sess.run(update, {grad: 1.0})  # 1e38 * 1e38 overflows: the scale stays
        assert sess.run(scale()) == np.float32(1e38)
