"""``data_parallel`` over 8 CPU devices. Run by tests/distribute/test_data_parallel.py in a
subprocess with ``XLA_FLAGS=--xla_force_host_platform_device_count=8`` (JAX reads the flag
once, when it starts), so not collected on its own (the name has no ``test_`` prefix)."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf
from scopeflow import distribute

jax = pytest.importorskip("jax")
P = jax.sharding.PartitionSpec


@pytest.fixture(autouse=True)
def eight_devices():
    if jax.device_count() != 8:
        pytest.fail(f"expected 8 devices (XLA_FLAGS), got {jax.device_count()}")


def _mlp():
    rng = np.random.default_rng(0)
    x = tf.placeholder(tf.float32, [None, 6], name="x")
    y = tf.placeholder(tf.int64, [None], name="y")
    with tf.variable_scope("encoder"):
        init = tf.constant_initializer(rng.normal(size=(6, 8)).astype(np.float32))
        h = tf.layers.dense(x, 8, tf.nn.relu, kernel_initializer=init, name="dense")
    init = tf.constant_initializer(rng.normal(size=(8, 4)).astype(np.float32))
    logits = tf.layers.dense(h, 4, kernel_initializer=init, name="logits")
    loss = tf.losses.sparse_softmax_cross_entropy(y, logits)
    train = tf.train.AdamOptimizer(0.01).minimize(loss)
    return x, y, logits, loss, train


def _batches(steps: int, rows: int = 16):
    rng = np.random.default_rng(1)
    return [
        (rng.normal(size=(rows, 6)).astype(np.float32), rng.integers(0, 4, rows))
        for _ in range(steps)
    ]


def _train(parallel: dict | None, steps: int = 4):
    """Losses, logits of the last batch and variables after ``steps`` Adam steps, on one
    device (``parallel`` None) or through ``data_parallel(**parallel)``."""
    with tf.Graph().as_default():
        x, y, logits, loss, train = _mlp()
        sess = tf.Session(executor="jax")
        if parallel is not None:
            distribute.data_parallel(sess, **parallel)
        sess.run(tf.global_variables_initializer())
        losses = [sess.run([loss, train], {x: xb, y: yb})[0] for xb, yb in _batches(steps)]
        out = sess.run(logits, {x: _batches(steps)[-1][0]})
        values = {v.op.name: sess._values[v.op] for v in tf.global_variables()}
        return np.array(losses), out, values, sess.run(tf.global_variables())


def _assert_same(got, want):
    np.testing.assert_allclose(got[0], want[0], rtol=1e-5)
    np.testing.assert_allclose(got[1], want[1], rtol=1e-5, atol=1e-6)
    for a, b in zip(got[3], want[3], strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)


def test_training_over_eight_devices_equals_one_device():
    one, eight = _train(None), _train({})
    _assert_same(eight, one)
    kernel = eight[2]["encoder/dense/kernel"]
    assert kernel.sharding.spec == P() and len(kernel.sharding.device_set) == 8
    assert eight[1].shape == (16, 4)  # fetched logits: the whole batch, gathered


def test_fed_batch_is_split_and_variables_replicated():
    with tf.Graph().as_default():
        x, y, logits, loss, train = _mlp()
        sess = distribute.data_parallel(tf.Session(executor="jax"))
        sess.run(tf.global_variables_initializer())
        xb, yb = _batches(1)[0]
        sess.run(train, {x: xb, y: yb})
        plan = next(p for (_, feeds), p in sess._plans.items() if feeds)
        segment = sess._jax.prepare(plan).parts[0]
        placement = sess._jax.placement
        layout = segment.full_layout
        shardings = placement.jit_options(segment, layout, {})["in_shardings"]
        taken = len(layout[0]) + len(layout[1])  # the variables' values, then the feeds
        assert all(s.spec == P() for s in shardings[:taken])
        assert [s.spec for s in shardings[taken:]] == [P("data"), P("data")]
        assert all(sess._values[op].sharding.spec == P() for op in segment.variables)
        # One program: the gradients of the split batch are summed by an all-reduce.
        values = [sess._values[op] for op in segment.variables]
        args = [values[i] for i in (*layout[0], *layout[1])]
        hlo = segment.fast.lower(*args, xb, yb).compile().as_text()
        assert "all-reduce" in hlo


def test_two_dimensional_mesh_shards_variables_by_rules():
    rules = {"encoder/.*/kernel": (None, "model")}
    one = _train(None)
    sharded = _train({"mesh_shape": {"data": 4, "model": 2}, "rules": rules})
    _assert_same(sharded, one)
    specs = {name: v.sharding.spec for name, v in sharded[2].items()}
    assert specs["encoder/dense/kernel"] == P(None, "model")
    # Adam's slots of a sharded variable follow it; the rest stays replicated.
    assert specs["encoder/dense/kernel/Adam"] == P(None, "model")
    assert specs["encoder/dense/kernel/Adam_1"] == P(None, "model")
    assert specs["logits/kernel"] == P() and specs["beta1_power"] == P()
    shards = sharded[2]["encoder/dense/kernel"].addressable_shards
    assert {s.data.shape for s in shards} == {(6, 4)}


def test_a_subset_of_the_devices():
    one, four = _train(None, steps=2), _train({"devices": 4}, steps=2)
    _assert_same(four, one)
    assert len(four[2]["logits/kernel"].sharding.device_set) == 4


def test_a_batch_the_devices_do_not_divide_raises_and_changes_nothing():
    with tf.Graph().as_default():
        x, y, logits, loss, train = _mlp()
        sess = distribute.data_parallel(tf.Session(executor="jax"))
        sess.run(tf.global_variables_initializer())
        before = sess.run(tf.trainable_variables())
        xb, yb = _batches(1, rows=12)[0]
        with pytest.raises(ValueError, match=r"'x:0' has shape \(12, 6\).*not divisible by the 8"):
            sess.run(train, {x: xb, y: yb})
        for a, b in zip(sess.run(tf.trainable_variables()), before, strict=True):
            np.testing.assert_array_equal(a, b)


def test_a_dimension_the_mesh_axis_does_not_divide_raises_before_running():
    with tf.Graph().as_default():
        _mlp()
        sess = tf.Session(executor="jax")
        mesh = {"data": 2, "model": 4}
        message = (
            r"sharding rule 'encoder/\.\*' -> \('model',\): variable 'encoder/dense/kernel' "
            r"dimension 0 has size 6, not divisible by mesh axis 'model' of size 4"
        )
        with pytest.raises(ValueError, match=message):
            distribute.data_parallel(sess, mesh_shape=mesh, rules={"encoder/.*": ("model",)})
        with pytest.raises(ValueError, match="mesh_shape .* has 8 devices, but 4 were given"):
            distribute.data_parallel(sess, devices=4, mesh_shape=mesh)
        with pytest.raises(ValueError, match="mesh axis 'batch' is not one of the mesh's axes"):
            distribute.data_parallel(sess, rules={"logits/kernel": ("batch", None)})
        assert sess._jax.placement is None


def test_a_rule_matching_no_variable_raises():
    with tf.Graph().as_default():
        _mlp()
        sess = tf.Session(executor="jax")
        with pytest.raises(ValueError, match="sharding rule 'decoder/.*' .* matches no variable"):
            distribute.data_parallel(sess, rules={"decoder/.*": (None, "data")})


def test_data_parallel_after_training_started_continues_the_same():
    batches = _batches(4)
    results = []
    for switch in (False, True):
        with tf.Graph().as_default():
            x, y, logits, loss, train = _mlp()
            sess = tf.Session(executor="jax")
            sess.run(tf.global_variables_initializer())
            losses = []
            for i, (xb, yb) in enumerate(batches):
                if switch and i == 2:
                    distribute.data_parallel(sess)
                losses.append(sess.run([loss, train], {x: xb, y: yb})[0])
            results.append(losses)
    np.testing.assert_allclose(results[1], results[0], rtol=1e-5)


def test_host_steps_between_segments_and_checkpoints(tmp_path):
    with tf.Graph().as_default():
        x, y, logits, loss, train = _mlp()
        doubled = tf.py_func(lambda v: v * 2, [logits], tf.float32)
        total = tf.reduce_sum(doubled)
        saver = tf.train.Saver()
        sess = distribute.data_parallel(tf.Session(executor="jax"))
        sess.run(tf.global_variables_initializer())
        xb, yb = _batches(1)[0]
        want = 2 * sess.run(logits, {x: xb}).sum()
        np.testing.assert_allclose(sess.run(total, {x: xb}), want, rtol=1e-5)
        path = saver.save(sess, str(tmp_path / "model"))
        before = sess.run(loss, {x: xb, y: yb})
        sess.run(train, {x: xb, y: yb})
        saver.restore(sess, path)  # NumPy values, put back on the mesh by the next run
        np.testing.assert_allclose(sess.run(loss, {x: xb, y: yb}), before, rtol=1e-6)


def test_a_monitored_training_session(monkeypatch):
    monkeypatch.setenv("SCOPEFLOW_EXECUTOR", "jax")
    with tf.Graph().as_default():
        x, y, logits, loss, train = _mlp()
        with tf.train.MonitoredTrainingSession() as sess:
            distribute.data_parallel(sess)
            losses = [sess.run([loss, train], {x: xb, y: yb})[0] for xb, yb in _batches(4)]
            assert sess._tf_sess()._jax.placement is not None
    np.testing.assert_allclose(losses, _train(None)[0], rtol=1e-5)


def test_random_ops_draw_as_on_one_device():
    draws = []
    for parallel in (False, True):
        with tf.Graph().as_default():
            tf.set_random_seed(7)
            x = tf.placeholder(tf.float32, [None, 6])
            dropped = tf.nn.dropout(x, rate=0.5)
            sess = tf.Session(executor="jax")
            if parallel:
                distribute.data_parallel(sess)
            xb = np.ones([16, 6], np.float32)
            draws.append([sess.run(dropped, {x: xb}) for _ in range(2)])
    np.testing.assert_array_equal(draws[1], draws[0])
    assert not np.array_equal(draws[0][0], draws[0][1])  # each run draws anew
