"""tf.gradients: names, aggregation, unconnected inputs, stop_gradient, cond, errors."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf
from tests.ops.grad_check import check_gradients

GRADIENT_TESTED = {"Identity", "PlaceholderWithDefault", "Print", "Switch", "RefSwitch", "Merge"}


@pytest.fixture(autouse=True)
def graph():
    with tf.Graph().as_default() as g:
        yield g


def test_identity_like_ops():
    check_gradients(lambda x: tf.identity(x), [np.arange(6.0).reshape(2, 3)])
    check_gradients(lambda x: tf.Print(x, [x], message=""), [np.arange(3.0)])
    check_gradients(lambda x: tf.placeholder_with_default(x, [3]), [np.arange(3.0)])


@pytest.mark.parametrize("take", [True, False])
def test_cond_passes_gradients_of_the_taken_branch_only(take):
    def build(x, y):
        p = tf.constant(take)
        return tf.cond(p, lambda: tf.identity(x), lambda: tf.identity(y))

    gx, gy = check_gradients(build, [np.ones(3), np.ones(3)])
    assert (np.abs(gx).sum() > 0) == take and (np.abs(gy).sum() > 0) != take


def test_gradient_through_a_variable_read_in_a_branch():
    v = tf.Variable([1.0, 2.0], dtype=tf.float64, name="v")
    p = tf.placeholder(tf.bool, [])
    y = tf.cond(p, lambda: tf.identity(v), lambda: tf.zeros([2], tf.float64))
    (g,) = tf.gradients(y, [v])
    with tf.Session() as sess:
        sess.run(v.initializer)
        np.testing.assert_array_equal(sess.run(g, {p: True}), [1.0, 1.0])
        np.testing.assert_array_equal(sess.run(g, {p: False}), [0.0, 0.0])


def test_names_scopes_and_second_call():
    x = tf.placeholder(tf.float32, [2])
    with tf.name_scope("layer"):
        y = tf.identity(x, name="out")
    (g,) = tf.gradients(y, x)
    (g2,) = tf.gradients(y, x)
    seeds = [op.name for op in tf.get_default_graph().get_operations() if "grad_ys" in op.name]
    # TF 2.21: ones(shape(y), name="grad_ys_0") -> a Const inside and the Fill named after it.
    assert seeds == [
        "gradients/grad_ys_0/Const",
        "gradients/grad_ys_0",
        "gradients_1/grad_ys_0/Const",
        "gradients_1/grad_ys_0",
    ]
    assert g.op.name.startswith("gradients/") and g2.op.name.startswith("gradients_1/")


def test_unconnected_stop_gradients_and_zero_option():
    x = tf.placeholder(tf.float32, [2])
    z = tf.placeholder(tf.float32, [2])
    y = tf.identity(x)
    assert tf.gradients(y, [x, z])[1] is None
    zero = tf.gradients(y, [z], unconnected_gradients="zero")[0]
    assert tf.gradients(tf.stop_gradient(y), x) == [None]
    w = tf.identity(y)
    assert tf.gradients(w, x, stop_gradients=[y]) == [None]
    with tf.Session() as sess:
        np.testing.assert_array_equal(sess.run(zero, {z: [1, 2]}), [0, 0])


def test_several_ys_and_paths_are_summed():
    x = tf.placeholder(tf.float64, [3])
    a = tf.identity(x)
    b = tf.identity(x)
    (g,) = tf.gradients([a, b, a], x)
    with tf.Session() as sess:
        np.testing.assert_array_equal(sess.run(g, {x: [1, 2, 3]}), [3, 3, 3])


def test_missing_gradient_names_the_op_and_its_type():
    from scopeflow.framework import registry

    x = tf.placeholder(tf.float32, [2])
    op_def = registry.get_op_def("Identity")
    saved, op_def.grad = op_def.grad, None
    try:
        y = tf.identity(x, name="nameless")
        with pytest.raises(LookupError, match=r"operation 'nameless' \(op type: Identity\)"):
            tf.gradients(y, x)
    finally:
        op_def.grad = saved


def test_grad_ys_shape_and_count_errors():
    x = tf.placeholder(tf.float32, [2])
    y = tf.identity(x)
    with pytest.raises(ValueError, match="grad_ys"):
        tf.gradients([y], [x], grad_ys=[tf.ones([2]), tf.ones([2])])
    with pytest.raises(ValueError, match="Incompatible shapes"):
        tf.gradients(y, x, grad_ys=tf.ones([3]))


def test_register_gradient_twice_raises():
    with pytest.raises(KeyError, match="Registering two gradient with name 'Identity'"):
        tf.RegisterGradient("Identity")(lambda op, grad: grad)
