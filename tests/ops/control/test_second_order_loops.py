"""Differentiating a while loop's gradient loop raises as TF1 does (its ``_ExitGrad``:
"Second-order gradient for while loops not supported."), instead of building a wrong second
derivative (scopeflow/ops/control/while_grad.py); a loop over first derivatives (hessians of
a loop-free function) is unaffected. Checked against TF 2.21."""

import pytest

import scopeflow as tf


@pytest.mark.parametrize(
    "build",
    [
        lambda u: tf.foldr(lambda acc, t: acc + t * t, u * u, initializer=0.0),
        lambda u: tf.reduce_sum(tf.map_fn(lambda t: t * t * t, u)),
        lambda u: tf.while_loop(lambda i, a: i < 3, lambda i, a: (i + 1, a * u), (0, u))[1],
    ],
)
def test_second_order_through_a_loop_raises(graph, build):
    u = tf.get_variable("u", [3], initializer=tf.ones_initializer())
    first = tf.gradients(tf.reduce_sum(build(u)), u)[0]
    with pytest.raises(TypeError, match="Second-order gradient for while loops not supported"):
        tf.gradients(first, u)


def test_hessians_of_a_loop_free_function_still_build(graph):
    u = tf.get_variable("u", [3], initializer=tf.ones_initializer())
    (h,) = tf.hessians(tf.reduce_sum(u**4), u)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        assert sess.run(h).tolist() == [[12.0, 0.0, 0.0], [0.0, 12.0, 0.0], [0.0, 0.0, 12.0]]
