"""``scopeflow.export.to_jax_train_step``: N calls of the exported step leave the variables
N ``sess.run(train_op)`` leave, optimizer slots, moving statistics and ``global_step``
included."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf

jax = pytest.importorskip("jax")

from scopeflow.export import to_jax_train_step  # noqa: E402
from scopeflow.export.params import flatten  # noqa: E402

RNG = np.random.default_rng(1)
XS = RNG.normal(size=(8, 4)).astype(np.float32)
YS = RNG.integers(0, 3, 8)


@pytest.fixture
def sess():
    with tf.Graph().as_default(), tf.Session() as s:
        tf.set_random_seed(0)
        yield s


def _model(optimizer, batch_norm: bool):
    x = tf.placeholder(tf.float32, [None, 4], name="x")
    y = tf.placeholder(tf.int64, [None], name="y")
    h = tf.layers.dense(x, 8, activation=tf.nn.relu, name="h")
    if batch_norm:
        h = tf.layers.batch_normalization(h, training=True, name="bn")
    logits = tf.layers.dense(h, 3, name="logits")
    loss = tf.losses.sparse_softmax_cross_entropy(y, logits)
    step = tf.train.get_or_create_global_step()
    with tf.control_dependencies(tf.get_collection(tf.GraphKeys.UPDATE_OPS)):
        train = optimizer.minimize(loss, global_step=step)
    return x, y, loss, train


def _assert_state_equals_session(state, sess):
    graph = sess.graph
    flat = {**flatten(state["trainable"]), **flatten(state["state"])}
    assert set(flat) == {v.op.name for v in tf.global_variables()}
    for name, value in flat.items():
        want = sess.run(graph.get_tensor_by_name(name + ":0"))
        np.testing.assert_allclose(value, want, rtol=2e-5, atol=1e-6, err_msg=name)


@pytest.mark.parametrize(
    "optimizer, batch_norm",
    [
        (lambda: tf.train.AdamOptimizer(0.01), False),
        (lambda: tf.train.MomentumOptimizer(0.05, 0.9), True),
        (lambda: tf.train.GradientDescentOptimizer(0.1), True),
    ],
    ids=["adam-mlp", "momentum-batch-norm", "sgd-batch-norm"],
)
def test_n_steps_equal_n_session_runs(sess, optimizer, batch_norm):
    x, y, loss, train = _model(optimizer(), batch_norm)
    sess.run(tf.global_variables_initializer())
    step_fn, state = to_jax_train_step(train, [x, y], sess, fetches={"loss": loss})
    step_fn = jax.jit(step_fn)
    for _ in range(4):
        state, fetched = step_fn(state, XS, YS)
        _, want = sess.run([train, loss], {x: XS, y: YS})
        np.testing.assert_allclose(fetched["loss"], want, rtol=2e-5)
    assert int(state["state"]["global_step"]) == 4
    if batch_norm:
        assert {"moving_mean", "moving_variance"} <= set(state["state"]["bn"])
    else:
        assert sorted(state["state"]["h"]["kernel"]) == ["Adam", "Adam_1"]
    _assert_state_equals_session(state, sess)


def test_the_callers_state_is_not_changed(sess):
    x, y, _, train = _model(tf.train.AdamOptimizer(0.01), batch_norm=True)
    sess.run(tf.global_variables_initializer())
    step_fn, state = to_jax_train_step(train, [x, y], sess)
    before = jax.tree_util.tree_map(np.array, state)
    new_state, fetched = step_fn(state, XS, YS)
    assert fetched == ()
    jax.tree_util.tree_map(np.testing.assert_array_equal, state, before)
    assert int(new_state["state"]["global_step"]) == 1


def test_plain_assign_ops_update_the_state(sess):
    counter = tf.get_variable("counter", initializer=0, trainable=False)
    total = tf.get_variable("sums/total", initializer=0.0)
    x = tf.placeholder(tf.float32, [])
    with tf.control_dependencies([tf.assign_add(counter, 1)]):
        update = tf.assign(total, total + x)
    sess.run(tf.global_variables_initializer())
    step_fn, state = to_jax_train_step(update, [x], sess, fetches=[total])
    for value in (1.0, 2.0, 3.0):
        state, (seen,) = step_fn(state, value)
    assert float(seen) == 6.0
    assert int(state["state"]["counter"]) == 3
    assert float(state["trainable"]["sums"]["total"]) == 6.0


def test_a_step_with_dropout_takes_a_key(sess):
    x = tf.placeholder(tf.float32, [None, 4])
    h = tf.nn.dropout(tf.layers.dense(x, 4, name="d"), keep_prob=0.5)
    train = tf.train.GradientDescentOptimizer(0.1).minimize(tf.reduce_mean(tf.square(h)))
    sess.run(tf.global_variables_initializer())
    step_fn, state = to_jax_train_step(train, [x], sess)
    a, _ = step_fn(state, XS, rng=jax.random.key(0))
    b, _ = step_fn(state, XS, rng=jax.random.key(0))
    c, _ = step_fn(state, XS, rng=jax.random.key(1))
    kernel = [s["trainable"]["d"]["kernel"] for s in (a, b, c)]
    np.testing.assert_array_equal(kernel[0], kernel[1])
    assert not np.array_equal(kernel[0], kernel[2])
