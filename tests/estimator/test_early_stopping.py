"""tf.estimator.experimental's early-stopping hooks, on evaluations written by evaluate()."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf
from scopeflow.estimator.early_stopping import read_eval_metrics


def model_fn(features, labels, mode):
    w = tf.get_variable("w", [], initializer=tf.zeros_initializer())
    loss = tf.reduce_mean(tf.square(features * w - labels))
    optimizer = tf.train.GradientDescentOptimizer(0.1)
    train_op = optimizer.minimize(loss, global_step=tf.train.get_global_step())
    return tf.estimator.EstimatorSpec(mode, loss=loss, train_op=train_op)


X = np.ones(4, np.float32)
INPUT = tf.estimator.inputs.numpy_input_fn(X, 2 * X, 2, None, shuffle=False)


def test_stop_if_lower_reads_the_eval_dir_and_stops(tmp_path, caplog):
    est = tf.estimator.Estimator(model_fn, str(tmp_path))
    never = tf.estimator.experimental.stop_if_lower_hook(est, "loss", threshold=-1.0)
    est.train(INPUT, steps=10, hooks=[never])  # the hooks' STOP variable is in the checkpoint
    results = est.evaluate(INPUT, steps=1)
    assert list(read_eval_metrics(est.eval_dir())) == [10]
    assert read_eval_metrics(est.eval_dir())[10]["loss"] == pytest.approx(results["loss"])
    hook = tf.estimator.experimental.stop_if_lower_hook(
        est, "loss", threshold=1.0, run_every_secs=None, run_every_steps=1
    )
    with caplog.at_level("INFO", logger="tensorflow"):
        est.train(INPUT, steps=50, hooks=[hook])
    assert est.get_variable_value("global_step") == 11
    assert "Requesting early stopping at global step 11" in caplog.messages
    assert est.get_variable_value("signal_early_stopping/STOP")


def test_arguments_are_checked(tmp_path):
    with pytest.raises(TypeError, match="`estimator` must have type `tf.estimator.Estimator`"):
        tf.estimator.experimental.stop_if_higher_hook(None, "loss", 1.0, eval_dir="eval")
    est = tf.estimator.Estimator(model_fn, str(tmp_path))
    with pytest.raises(ValueError, match="Only one of `run_every_secs` and `run_every_steps`"):
        tf.estimator.experimental.stop_if_no_increase_hook(est, "acc", 5, run_every_steps=1)
    with pytest.raises(TypeError, match="`should_stop_fn` must be callable."):
        tf.estimator.experimental.make_early_stopping_hook(est, 1)
