"""Tests for scopeflow/contrib/opt.py: AdamW, MomentumW and extend_with_decoupled_weight_decay
(decay first, then the base update; dense and by rows; decay_var_list) and LazyAdam (sparse
updates touch only their rows), against the NumPy rules of TF 1.15's tf.contrib.opt (no
tf.contrib in the reference TensorFlow 2.21 to compare with). The hyper-parameters are float32
constants cast to the float64 variables, hence the tolerance."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf
from tests.train import update_rules as rules

W0, B0 = np.array([1.0, 2.0]), np.array([3.0])
GW, GB = np.array([2.0, -4.0]), np.array([1.0])


def _run(opt, steps=3, decay_w_only=False):
    with tf.Graph().as_default():
        w = tf.Variable(W0, name="w", dtype=tf.float64)
        b = tf.Variable(B0, name="b", dtype=tf.float64)
        grads = [(tf.constant(GW), w), (tf.constant(GB), b)]
        kwargs = {"decay_var_list": [w]} if decay_w_only else {}
        train = opt().apply_gradients(grads, **kwargs)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            for _ in range(steps):
                sess.run(train)
            return sess.run([w, b])


def _adam_w(var, grad, wd, lr, decay=True, steps=3):
    m = v = np.zeros_like(var)
    for step in range(1, steps + 1):
        var = var - wd * var if decay else var
        var, m, v = rules.adam(var, m, v, grad, step, lr)
    return var


def _momentum_w(var, grad, wd, lr, mu, nesterov=False, steps=3):
    accum = np.zeros_like(var)
    for _ in range(steps):
        var, accum = rules.momentum(var - wd * var, accum, grad, lr, mu, nesterov)
    return var


def test_adam_w_decays_then_takes_adams_step():
    got = _run(lambda: tf.contrib.opt.AdamWOptimizer(0.1, learning_rate=0.05))
    np.testing.assert_allclose(got[0], _adam_w(W0, GW, 0.1, 0.05), rtol=1e-5)
    np.testing.assert_allclose(got[1], _adam_w(B0, GB, 0.1, 0.05), rtol=1e-5)


@pytest.mark.parametrize("nesterov", [False, True])
def test_momentum_w_decays_then_takes_momentums_step(nesterov):
    got = _run(lambda: tf.contrib.opt.MomentumWOptimizer(0.1, 0.05, 0.9, use_nesterov=nesterov))
    np.testing.assert_allclose(got[0], _momentum_w(W0, GW, 0.1, 0.05, 0.9, nesterov), rtol=1e-5)


def test_decay_var_list_limits_the_decay_and_the_extension_wraps_any_optimizer():
    got = _run(lambda: tf.contrib.opt.AdamWOptimizer(0.1, learning_rate=0.05), decay_w_only=True)
    np.testing.assert_allclose(got[0], _adam_w(W0, GW, 0.1, 0.05), rtol=1e-5)
    np.testing.assert_allclose(got[1], _adam_w(B0, GB, 0.1, 0.05, decay=False), rtol=1e-5)
    sgd_w = tf.contrib.opt.extend_with_decoupled_weight_decay(tf.train.GradientDescentOptimizer)
    got = _run(lambda: sgd_w(weight_decay=lambda: 0.5, learning_rate=0.1), steps=1)
    np.testing.assert_allclose(got[0], W0 * 0.5 - 0.1 * GW, rtol=1e-5)


def test_names():
    with tf.Graph().as_default() as g:
        w = tf.Variable([1.0, 2.0], name="w")
        opts = [
            tf.contrib.opt.AdamWOptimizer(0.1),
            tf.contrib.opt.MomentumWOptimizer(0.1, 0.1, 0.9),
            tf.contrib.opt.LazyAdamOptimizer(),
        ]
        for opt in opts:
            opt.minimize(tf.reduce_sum(w))
        names = {op.name: op.type for op in g.get_operations()}
    assert [opt.get_name() for opt in opts] == ["AdamW", "MomentumW", "Adam"]
    assert [opts[0].get_slot(w, s).op.name for s in ("m", "v")] == ["w/AdamW", "w/AdamW_1"]
    assert opts[1].get_slot(w, "momentum").op.name == "w/MomentumW"
    assert names["AdamW/weight_decay"] == "Const"
    assert names["AdamW/update_w/ApplyAdam"] == "ApplyAdam"
    assert names["MomentumW/update_w/ApplyMomentum"] == "ApplyMomentum"
    assert names["AdamW/update_w/AssignSub"] == "AssignSub"


def _sparse_run(opt, ids_per_step):
    """The [4, 2] table after a step per ids (gradient: each looked-up row's values, ones)."""
    with tf.Graph().as_default():
        table = tf.Variable(np.arange(8.0).reshape(4, 2) / 4, name="e")
        ids = tf.placeholder(tf.int32, [None])
        train = opt().minimize(tf.reduce_sum(tf.gather(table, ids)))
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            for step_ids in ids_per_step:
                sess.run(train, {ids: step_ids})
            return sess.run(table)


IDS = [[0, 2, 0], [2], [1, 2]]


def test_lazy_adam_moves_only_the_rows_looked_up():
    got = _sparse_run(lambda: tf.contrib.opt.LazyAdamOptimizer(0.1), IDS)
    var = np.arange(8.0).reshape(4, 2) / 4
    m, v = np.zeros_like(var), np.zeros_like(var)
    for step, ids in enumerate(IDS, start=1):
        rows, counts = np.unique(ids, return_counts=True)
        g = np.repeat(counts[:, None].astype(float), 2, axis=1)
        m[rows] = 0.9 * m[rows] + 0.1 * g
        v[rows] = 0.999 * v[rows] + 0.001 * g**2
        lr = 0.1 * np.sqrt(1 - 0.999**step) / (1 - 0.9**step)
        var[rows] -= lr * m[rows] / (np.sqrt(v[rows]) + 1e-8)
    np.testing.assert_allclose(got, var, rtol=1e-5)
    np.testing.assert_array_equal(got[3], [1.5, 1.75])  # never looked up


def test_adam_w_sparse_decays_only_the_rows_looked_up():
    got = _sparse_run(lambda: tf.contrib.opt.AdamWOptimizer(0.1, learning_rate=0.1), IDS[:1])
    var = np.arange(8.0).reshape(4, 2) / 4
    var[[0, 2]] *= 0.9
    g = np.zeros_like(var)
    g[0], g[2] = 2.0, 1.0
    expected, _, _ = rules.adam(var, 0.0, 0.0, g, 1, 0.1)  # TF1's sparse Adam: every row
    np.testing.assert_allclose(got, expected, rtol=1e-5)
