"""TrainSpec, EvalSpec and train_and_evaluate (local): checks and the evaluation after each
checkpoint."""

from __future__ import annotations

import logging
import os

import numpy as np
import pytest

import scopeflow as tf


def model_fn(features, labels, mode):
    w = tf.get_variable("w", [], initializer=tf.zeros_initializer())
    loss = tf.reduce_mean(tf.square(features * w - labels))
    train_op = tf.train.GradientDescentOptimizer(0.01).minimize(
        loss, global_step=tf.train.get_global_step()
    )
    return tf.estimator.EstimatorSpec(mode, loss=loss, train_op=train_op)


def input_fn():
    x = np.arange(4, dtype=np.float32)
    return tf.estimator.inputs.numpy_input_fn(
        x, 2 * x, batch_size=2, num_epochs=None, shuffle=False
    )()


def test_train_and_evaluate_evaluates_new_checkpoints(tmp_path, caplog):
    config = tf.estimator.RunConfig(save_checkpoints_steps=2, log_step_count_steps=100)
    est = tf.estimator.Estimator(model_fn, str(tmp_path), config=config)
    train = tf.estimator.TrainSpec(input_fn, max_steps=5)
    evaluate = tf.estimator.EvalSpec(input_fn, steps=2, name="held_out", throttle_secs=0)
    with caplog.at_level(logging.INFO, logger="tensorflow"):
        metrics, exports = tf.estimator.train_and_evaluate(est, train, evaluate)
    assert metrics["global_step"] == 5 and exports == []
    assert sorted(metrics) == ["global_step", "loss"]
    saved = [m for m in caplog.messages if m.startswith("Saving dict for global step")]
    assert [m.split(":")[0] for m in saved] == [
        f"Saving dict for global step {s}" for s in (2, 4, 5)
    ]
    assert os.listdir(tmp_path / "eval_held_out")
    assert "Running training and evaluation locally (non-distributed)." in caplog.messages


@pytest.mark.parametrize(
    "make, error, message",
    [
        (lambda: tf.estimator.TrainSpec(1), TypeError, "`input_fn` must be callable, given: 1"),
        (lambda: tf.estimator.TrainSpec(input_fn, max_steps=0), ValueError, "max_steps > 0"),
        (lambda: tf.estimator.TrainSpec(input_fn, hooks=[1]), TypeError, "SessionRunHook"),
        (lambda: tf.estimator.EvalSpec(input_fn, steps=0), ValueError, "steps > 0, given: 0"),
        (lambda: tf.estimator.EvalSpec(input_fn, name=1), TypeError, "`name` must be string"),
        (lambda: tf.estimator.EvalSpec(input_fn, throttle_secs=-1), ValueError, "throttle_secs"),
        (lambda: tf.estimator.EvalSpec(input_fn, exporters=[1]), TypeError, "must be an Exporter"),
    ],
)
def test_specs_are_checked(make, error, message):
    with pytest.raises(error, match=message):
        make()


def test_train_and_evaluate_checks_its_arguments(tmp_path):
    est = tf.estimator.Estimator(model_fn, str(tmp_path))
    train = tf.estimator.TrainSpec(input_fn, max_steps=1)
    with pytest.raises(TypeError, match="`eval_spec` must have type `tf.estimator.EvalSpec`"):
        tf.estimator.train_and_evaluate(est, train, None)
    with pytest.raises(TypeError, match="`train_spec` must have type `tf.estimator.TrainSpec`"):
        tf.estimator.train_and_evaluate(est, None, tf.estimator.EvalSpec(input_fn))
