"""Tests for scopeflow/gradient_wrappers.py: ``tf.grad_pass_through`` and
``tf.recompute_grad`` (values as TF 2.21's; TF's recompute_grad fails in graph mode on the
reference variables a function reads, scopeflow's gives their gradients)."""

from __future__ import annotations

import numpy as np

import scopeflow as tf


def test_grad_pass_through_is_tfs(run):
    x = tf.constant([0.4, 1.7])
    y = tf.grad_pass_through(tf.round)(x)
    assert y.op.type == "IdentityN" and tf.grad_pass_through(tf.round).__name__ == "round"
    value, grad = run([y, tf.gradients(3.0 * y, x)[0]])
    assert value.tolist() == [0, 2] and grad.tolist() == [3, 3]


def test_grad_pass_through_gives_variables_none(graph):
    v = tf.get_variable("v", initializer=[2.0, 3.0])
    x = tf.constant([0.4, 1.7])
    y = tf.grad_pass_through(lambda t: tf.round(t * v))(x)
    gx, gv = tf.gradients(y, [x, v])
    assert gx is not None and gv is None


def test_recompute_grad_gives_the_gradients_of_the_function(run):
    x = tf.constant([0.4, 1.7])
    v = tf.get_variable("w", initializer=[2.0, 3.0])

    def f(t):
        return tf.sin(t) * v

    z = tf.recompute_grad(f)(x)
    recomputed = tf.gradients(tf.reduce_sum(z * z), [x, v])
    direct = tf.gradients(tf.reduce_sum(f(x) * f(x)), [x, v])
    run(tf.global_variables_initializer())
    got, want = run([recomputed, direct])
    for a, b in zip(got, want, strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-6)
    assert len(tf.global_variables()) == 1


def test_recompute_grad_reuses_the_variables_it_made(run):
    x = tf.constant([[1.0, 2.0]])

    def dense(t):
        return tf.layers.dense(t, 3, name="d")

    y = tf.recompute_grad(dense)(x)
    grads = tf.gradients(tf.reduce_sum(y), [x, *tf.trainable_variables()])
    assert [v.name for v in tf.trainable_variables()] == ["d/kernel:0", "d/bias:0"]
    run(tf.global_variables_initializer())
    gx, gk, gb = run(grads)
    assert gk.tolist() == [[1, 1, 1], [2, 2, 2]] and gb.tolist() == [1, 1, 1]
    assert gx.shape == (1, 2)
