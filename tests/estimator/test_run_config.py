"""RunConfig: TF1's defaults, replace() and checks."""

from __future__ import annotations

import pytest

import scopeflow as tf


def test_defaults_are_tf1s():
    c = tf.estimator.RunConfig()
    assert (c.model_dir, c.tf_random_seed, c.save_summary_steps) == (None, None, 100)
    assert (c.save_checkpoints_steps, c.save_checkpoints_secs) == (None, 600)
    assert (c.keep_checkpoint_max, c.keep_checkpoint_every_n_hours) == (5, 10000)
    assert (c.log_step_count_steps, c.session_config) == (100, None)
    assert (c.task_type, c.task_id, c.is_chief, c.master) == ("worker", 0, True, "")
    assert (c.num_ps_replicas, c.num_worker_replicas) == (0, 1)


def test_steps_or_secs_not_both():
    assert tf.estimator.RunConfig(save_checkpoints_steps=5).save_checkpoints_secs is None
    assert tf.estimator.RunConfig(save_checkpoints_secs=5).save_checkpoints_steps is None
    with pytest.raises(ValueError, match="cannot be both set"):
        tf.estimator.RunConfig(save_checkpoints_steps=5, save_checkpoints_secs=5)


def test_replace_copies_and_clears_the_other_checkpoint_setting():
    c = tf.estimator.RunConfig(save_checkpoints_steps=5)
    d = c.replace(save_checkpoints_secs=30, model_dir="/tmp/m")
    assert (d.save_checkpoints_steps, d.save_checkpoints_secs, d.model_dir) == (None, 30, "/tmp/m")
    assert (c.save_checkpoints_steps, c.model_dir) == (5, None)
    with pytest.raises(ValueError, match="Replacing is_chief is not supported"):
        c.replace(is_chief=False)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"model_dir": ""}, "model_dir should be non-empty"),
        ({"save_summary_steps": -1}, "save_summary_steps should be >= 0"),
        ({"keep_checkpoint_max": -1}, "keep_checkpoint_max should be >= 0"),
        ({"log_step_count_steps": 0}, "log_step_count_steps should be > 0"),
        ({"tf_random_seed": 1.5}, "tf_random_seed must be integer."),
        ({"session_config": {}}, "session_config must be instance of ConfigProto"),
        ({"device_fn": lambda x, y: None}, 'exactly one argument "op"'),
    ],
)
def test_invalid_values_raise_tf1s_errors(kwargs, message):
    with pytest.raises(ValueError, match=message):
        tf.estimator.RunConfig(**kwargs)


def test_distribution_and_clusters_are_not_supported(monkeypatch):
    with pytest.raises(NotImplementedError, match="train_distribute"):
        tf.estimator.RunConfig(train_distribute=object())
    strategy = tf.distribute.MirroredStrategy()  # one replica: this machine's CPU
    config = tf.estimator.RunConfig(train_distribute=strategy, eval_distribute=strategy)
    assert config.train_distribute is strategy and config.eval_distribute is strategy
    monkeypatch.setenv("TF_CONFIG", '{"cluster": {"worker": ["a:1"]}}')
    with pytest.raises(NotImplementedError, match="TF_CONFIG with a cluster"):
        tf.estimator.RunConfig()


def test_model_dir_from_tf_config(monkeypatch):
    monkeypatch.setenv("TF_CONFIG", '{"model_dir": "/tmp/from_env"}')
    assert tf.estimator.RunConfig().model_dir == "/tmp/from_env"
    with pytest.raises(ValueError, match="must have the same value as the model_dir in TF_CONFIG"):
        tf.estimator.RunConfig(model_dir="/tmp/other")
