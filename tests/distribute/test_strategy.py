"""Tests for scopeflow/distribute/strategy.py: tf.distribute's strategies with one replica,
against TF 2.21's compat.v1 graph mode on a machine without GPUs (names, values, contexts,
errors)."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf

d = tf.distribute


def test_default_strategy_and_contexts_outside_scopes():
    assert d.get_strategy().num_replicas_in_sync == 1
    assert not d.has_strategy() and not d.in_cross_replica_context()
    assert d.get_replica_context() is not None
    assert list(d.ReduceOp) == [d.ReduceOp.SUM, d.ReduceOp.MEAN]
    assert d.get_loss_reduction() is d.ReduceOp.SUM


def test_mirrored_strategy_runs_one_replica_on_the_cpu(graph):
    strategy = d.MirroredStrategy()
    assert strategy.num_replicas_in_sync == 1
    assert strategy.extended.worker_devices == ("/replica:0/task:0/device:CPU:0",)
    seen = {}
    with strategy.scope():
        assert d.has_strategy() and d.get_strategy() is strategy
        assert d.in_cross_replica_context() and d.get_replica_context() is None
        v = tf.get_variable("v", [2], initializer=tf.ones_initializer())
        x = tf.constant([1.0, 2.0, 3.0])

        def step(a):
            ctx = d.get_replica_context()
            seen["ctx"] = (ctx.num_replicas_in_sync, ctx.replica_id_in_sync_group.name)
            return a * 2

        doubled = strategy.run(step, args=(x,))
        total = strategy.reduce(d.ReduceOp.SUM, doubled, axis=None)
        mean = strategy.reduce("MEAN", doubled, axis=0)
        it = strategy.make_dataset_iterator(tf.data.Dataset.range(10).batch(4))
        batch = it.get_next()
        summed = strategy.run(
            lambda a: d.get_replica_context().all_reduce(d.ReduceOp.SUM, {"a": a}), (x,)
        )
    assert not d.has_strategy()
    assert v.name == "v:0" and doubled.name == "mul:0"
    assert (total.name, mean.name, batch.name) == ("Identity:0", "truediv:0", "IteratorGetNext:0")
    assert seen["ctx"] == (1, "replica_id_in_sync_group:0")
    assert strategy.experimental_local_results(doubled) == (doubled,)
    with tf.Session() as sess:
        sess.run([tf.global_variables_initializer(), it.initializer])
        got = sess.run([doubled, total, mean, batch, summed["a"]])
    np.testing.assert_array_equal(got[0], [2.0, 4.0, 6.0])
    np.testing.assert_array_equal(got[1], [2.0, 4.0, 6.0])
    assert got[2] == np.float32(4.0)
    np.testing.assert_array_equal(got[3], [0, 1, 2, 3])
    np.testing.assert_array_equal(got[4], [1.0, 2.0, 3.0])


def test_input_context_and_datasets(graph):
    ctx = d.InputContext(num_input_pipelines=2, input_pipeline_id=1, num_replicas_in_sync=4)
    assert (ctx.get_per_replica_batch_size(64), ctx.input_pipeline_id) == (16, 1)
    with pytest.raises(ValueError, match="not divisible"):
        ctx.get_per_replica_batch_size(10)
    strategy = d.OneDeviceStrategy("/cpu:0")
    ds = tf.data.Dataset.range(3)
    assert strategy.experimental_distribute_dataset(ds) is ds
    made = strategy.distribute_datasets_from_function(
        lambda c: tf.data.Dataset.range(c.num_replicas_in_sync)
    )
    with strategy.scope():
        c = tf.constant(1.0)
    assert c.device == "/device:CPU:0"
    with tf.Session() as sess:
        assert sess.run(made.make_one_shot_iterator().get_next()) == 0


def test_errors_at_the_line_that_caused_them(graph):
    with pytest.raises(NotImplementedError, match="data_parallel"):
        d.MirroredStrategy(["/gpu:0", "/gpu:1"])
    with pytest.raises(NotImplementedError, match="cpu"):
        d.OneDeviceStrategy("/gpu:0")
    with pytest.raises(NotImplementedError, match="parameter servers"):
        d.experimental.ParameterServerStrategy()
    outer, inner = d.MirroredStrategy(), d.OneDeviceStrategy("/cpu:0")
    with pytest.raises(RuntimeError, match="Mixing different tf.distribute.Strategy"):
        with outer.scope(), inner.scope():
            pass
    assert not d.has_strategy()
    with pytest.raises(ValueError, match="SUM"):
        outer.reduce("MAX", tf.constant(1.0))
