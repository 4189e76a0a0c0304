"""``Session(executor="jax")``: the same fetch/feed semantics, errors and all-or-nothing
runs as the NumPy executor, one compiled segment per straight-line plan, host steps for ops
without a lowering, a recompile per new shape signature."""

from __future__ import annotations

import logging
import subprocess
import sys

import numpy as np
import pytest

import scopeflow as tf
import scopeflow.session

jax = pytest.importorskip("jax")

from scopeflow.session import jax_executor  # noqa: E402


def _mlp():
    x = tf.placeholder(tf.float32, [None, 4], name="x")
    y = tf.placeholder(tf.int64, [None], name="y")
    h = tf.layers.dense(x, 8, activation=tf.nn.relu, name="h")
    logits = tf.layers.dense(h, 3, name="logits")
    loss = tf.losses.sparse_softmax_cross_entropy(y, logits)
    train = tf.train.AdamOptimizer(0.01).minimize(loss)
    return x, y, loss, train


def test_import_scopeflow_does_not_import_jax():
    code = "import sys, scopeflow; assert 'jax' not in sys.modules, 'jax imported'"
    subprocess.run([sys.executable, "-c", code], check=True)


def test_training_agrees_with_numpy_executor():
    rng = np.random.default_rng(0)
    xs, ys = rng.normal(size=(16, 4)).astype(np.float32), rng.integers(0, 3, 16)
    with tf.Graph().as_default():
        x, y, loss, train = _mlp()
        init = tf.global_variables_initializer()
        runs: dict = {}
        start: list = []
        for executor in ("numpy", "jax"):
            with tf.Session(executor=executor) as sess:
                sess.run(init)
                if executor == "jax":  # start from the NumPy run's initial values
                    for v, value in zip(tf.global_variables(), start, strict=True):
                        v.load(value, sess)
                else:
                    start = sess.run(tf.global_variables())  # noqa: F841 - read by the jax run
                losses = [sess.run([train, loss], {x: xs, y: ys})[1] for _ in range(5)]
                runs[executor] = (losses, sess.run(tf.trainable_variables()))
        np.testing.assert_allclose(runs["jax"][0], runs["numpy"][0], rtol=1e-5)
        for a, b in zip(runs["jax"][1], runs["numpy"][1], strict=True):
            np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-6)
        assert isinstance(runs["jax"][0][0], np.float32)


def test_one_segment_per_training_step_and_variables_stay_on_the_device():
    with tf.Graph().as_default():
        x, y, loss, train = _mlp()
        with tf.Session(executor="jax") as sess:
            sess.run(tf.global_variables_initializer())
            sess.run(train, {x: np.ones((2, 4), np.float32), y: [0, 1]})
            (plan,) = [p for k, p in sess._plans.items() if train in k[0]]
            assert sess._jax.prepare(plan).segments == 1
            assert all(isinstance(v, jax.Array) for v in sess._values.values())
            kernel = sess.run(tf.trainable_variables()[0])
            assert type(kernel) is np.ndarray and kernel.flags.writeable


def test_unfed_placeholder_and_uninitialized_variable_raise_as_with_numpy():
    with tf.Graph().as_default():
        x, y, loss, train = _mlp()
        with tf.Session(executor="jax") as sess:
            with pytest.raises(tf.errors.InvalidArgumentError, match="must feed a value"):
                sess.run(loss, {x: np.ones((2, 4), np.float32)})
            with pytest.raises(tf.errors.FailedPreconditionError, match="uninitialized"):
                sess.run(loss, {x: np.ones((2, 4), np.float32), y: [0, 1]})


def test_a_failing_run_leaves_variables_unchanged():
    with tf.Graph().as_default():
        v = tf.Variable([1.0, 2.0], name="v")
        w = tf.Variable([5.0], name="w")
        bad = tf.placeholder(tf.float32, [None])
        step = tf.group(tf.assign_add(v, [1.0, 1.0]), tf.assign(w, bad, validate_shape=True))
        with tf.Session(executor="jax") as sess:
            sess.run(tf.global_variables_initializer())
            with pytest.raises(tf.errors.InvalidArgumentError, match="shapes of both"):
                sess.run(step, {bad: [1.0, 2.0, 3.0]})
            np.testing.assert_array_equal(sess.run(v), [1.0, 2.0])
            sess.run(step, {bad: [7.0]})
            np.testing.assert_array_equal(sess.run(v), [2.0, 3.0])
            np.testing.assert_array_equal(sess.run(w), [7.0])


def test_an_assignments_result_comes_back_once_and_is_the_callers_own():
    with tf.Graph().as_default():
        v = tf.Variable([1.0, 2.0], name="v")
        bump = tf.assign_add(v, [1.0, 1.0])
        with tf.Session(executor="jax") as sess:
            sess.run(v.initializer)
            first = sess.run(bump)
            (plan,) = [p for k, p in sess._plans.items() if bump in k[0]]
            (segment,) = sess._jax.prepare(plan).parts
            old = sess._values[v.op]
            (program_output,) = jax.eval_shape(segment.fast, old)[0]
            assert program_output == {0: None}  # the write, not a second array
            second = sess.run(bump)
            assert old.is_deleted()  # its buffer was donated to the run
            first[0] = 50.0  # the caller's own arrays, not views of the variable
            np.testing.assert_array_equal(second, [3.0, 4.0])
            np.testing.assert_array_equal(sess.run(v), [3.0, 4.0])
            sess.close()
            with pytest.raises(RuntimeError, match="closed Session"):
                sess.run(bump)


def test_host_steps_cut_the_plan_into_segments():
    with tf.Graph().as_default():
        a = tf.placeholder(tf.float32, [3])
        b = tf.py_func(lambda t: t * 10, [a * 2.0], tf.float32)
        c = b + 1.0
        with tf.Session(executor="jax") as sess:
            np.testing.assert_allclose(sess.run(c, {a: [1.0, 2.0, 3.0]}), [21.0, 41.0, 61.0])
            (plan,) = sess._plans.values()
            assert sess._jax.prepare(plan).segments == 2


def test_a_while_loop_and_a_cond_give_their_values():
    with tf.Graph().as_default():
        i = tf.constant(0)
        r = tf.while_loop(lambda i: i < 5, lambda i: i + 1, [i])
        p = tf.placeholder(tf.bool, [])
        c = tf.cond(p, lambda: tf.constant(1.0), lambda: tf.constant(2.0))
        with tf.Session(executor="jax") as sess:
            assert sess.run(r) == 5
            assert sess.run(c, {p: False}) == 2.0


def test_new_shapes_recompile_once_each_and_log_once(caplog):
    with tf.Graph().as_default():
        a = tf.placeholder(tf.float32, [None])
        b = tf.reduce_sum(a * 2.0)
        with tf.Session(executor="jax") as sess, caplog.at_level(logging.INFO, "scopeflow.jax"):
            for n in (1, 2, 3, 2, 1):
                assert sess.run(b, {a: np.ones(n, np.float32)}) == 2.0 * n
            (plan,) = sess._plans.values()
            (segment,) = sess._jax.prepare(plan).parts
            assert segment.traces == 3
            assert len([r for r in caplog.records if "recompiling" in r.message]) == 1


def test_at_most_max_signatures_programs_are_kept_per_segment():
    with tf.Graph().as_default():
        a = tf.placeholder(tf.float32, [None])
        b = tf.reduce_sum(a + 1.0)
        with tf.Session(executor="jax") as sess:
            for n in range(1, jax_executor.MAX_SIGNATURES + 3):
                assert sess.run(b, {a: np.zeros(n, np.float32)}) == n
                (plan,) = sess._plans.values()
                (segment,) = sess._jax.prepare(plan).parts
                assert segment.fast._cache_size() <= jax_executor.MAX_SIGNATURES


def test_random_ops_follow_their_distribution_and_seeds():
    with tf.Graph().as_default():
        tf.set_random_seed(3)
        u = tf.random_uniform([20000])
        n = tf.random_normal([20000])
        with tf.Session(executor="jax") as sess:
            first, normal = sess.run([u, n])
            second = sess.run(u)
        with tf.Session(executor="jax") as sess:
            again = sess.run(u)
    assert 0.0 <= first.min() and first.max() < 1.0 and abs(first.mean() - 0.5) < 0.01
    assert abs(normal.mean()) < 0.03 and abs(normal.std() - 1.0) < 0.03
    assert not np.array_equal(first, second)
    np.testing.assert_array_equal(first, again)


def test_executor_from_environment_and_bad_names(monkeypatch):
    monkeypatch.setenv("SCOPEFLOW_EXECUTOR", "jax")
    with tf.Graph().as_default():
        assert tf.Session()._jax is not None
    monkeypatch.setenv("SCOPEFLOW_EXECUTOR", "numpy")
    with tf.Graph().as_default():
        assert tf.Session()._jax is None
        with pytest.raises(ValueError, match="'numpy', 'jax' or 'auto'"):
            tf.Session(executor="xla")
        sess = tf.Session(executor="auto")
        assert (sess._jax is not None) == jax_executor.accelerator_present()


def test_missing_jax_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "scopeflow.session.jax_executor", None)
    monkeypatch.delattr(scopeflow.session, "jax_executor")
    with tf.Graph().as_default():
        with pytest.raises(ImportError, match="`jax` extra"):
            tf.Session(executor="jax")
        assert tf.Session(executor="auto")._jax is None


def test_saver_round_trip_with_device_arrays(tmp_path):
    with tf.Graph().as_default():
        v = tf.Variable([1.0, 2.0], name="v")
        saver = tf.train.Saver()
        with tf.Session(executor="jax") as sess:
            sess.run(tf.global_variables_initializer())
            sess.run(tf.assign_add(v, [1.0, 1.0]))
            path = saver.save(sess, str(tmp_path / "model"))
        with tf.Session(executor="jax") as sess:
            saver.restore(sess, path)
            np.testing.assert_array_equal(sess.run(v), [2.0, 3.0])
