"""tf.contrib.opt's external minimizers: TF 1.15's refusals of keyword arguments the interface
sets itself, the base class without ``_minimize``, and a float32 problem solved by L-BFGS-B
(values against the known minimum). Whole programs are checked against TF 1.15's code in
tests/programs/test_scipy_lbfgs_fit.py."""

import numpy as np
import pytest

import scopeflow as tf


def test_keyword_arguments_the_interface_sets_are_refused(graph):
    v = tf.Variable([1.0, 2.0])
    loss = tf.reduce_sum(tf.square(v))
    with tf.Session(graph=graph) as sess:
        sess.run(tf.global_variables_initializer())
        opt = tf.contrib.opt.ScipyOptimizerInterface(loss, bounds=[(0, 1)] * 2)
        with pytest.raises(ValueError, match="Bounds must be set using the var_to_bounds"):
            opt.minimize(sess)
        opt = tf.contrib.opt.ScipyOptimizerInterface(loss, jac=False)
        with pytest.raises(ValueError, match="Optimizer keyword arg 'jac' is set automatically"):
            opt.minimize(sess)
        base = tf.contrib.opt.ExternalOptimizerInterface(loss)
        with pytest.raises(NotImplementedError, match="implement the _minimize"):
            base.minimize(sess)


def test_float32_minimum_and_the_packed_ops(graph):
    a = tf.Variable(tf.fill([2, 2], 3.0), name="a")
    b = tf.Variable(-4.0, name="b")
    target = np.array([[1.0, -1.0], [0.5, 2.0]], np.float32)
    loss = tf.reduce_sum(tf.square(a - target)) + tf.square(b - 0.25)
    opt = tf.contrib.opt.ScipyOptimizerInterface(loss, options={"maxiter": 50})
    assert opt._packed_var.shape.as_list() == [5]
    assert opt._packed_loss_grad.shape.as_list() == [5]
    with tf.Session(graph=graph) as sess:
        sess.run(tf.global_variables_initializer())
        opt.minimize(sess)
        got_a, got_b = sess.run([a, b])
    np.testing.assert_allclose(got_a, target, atol=1e-4)
    assert got_b == pytest.approx(0.25, abs=1e-4)
