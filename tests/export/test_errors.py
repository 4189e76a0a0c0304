"""What ``scopeflow.export`` refuses, when, and what the error says."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf

jax = pytest.importorskip("jax")

from scopeflow.export import to_jax, to_jax_train_step  # noqa: E402
from scopeflow.export.params import nest  # noqa: E402


@pytest.fixture
def sess():
    with tf.Graph().as_default(), tf.Session() as s:
        yield s


def test_an_op_without_lowering_is_named_at_export_time(sess):
    x = tf.placeholder(tf.float32, [2])
    y = tf.py_func(lambda a: a * 2, [x], tf.float32, name="double")
    with pytest.raises(tf.errors.UnimplementedError, match=r"op 'double' \(type PyFunc\)"):
        to_jax(y + 1.0, [x], sess)


def test_feeding_the_result_of_such_an_op_exports_the_rest(sess):
    x = tf.placeholder(tf.float32, [2])
    y = tf.py_func(lambda a: a * 2, [x], tf.float32)
    fn, params = to_jax(y + 1.0, [y], sess)
    np.testing.assert_allclose(fn(params, [1.0, 2.0]), [2.0, 3.0])


def test_string_ops_are_refused(sess):
    x = tf.placeholder(tf.float32, [])
    summary = tf.summary.scalar("loss", x)
    with pytest.raises(tf.errors.UnimplementedError, match="XLA has no string type"):
        to_jax(summary, [x], sess)


def test_an_unfed_placeholder_is_named(sess):
    x = tf.placeholder(tf.float32, [2], name="x")
    z = tf.placeholder(tf.float32, [2], name="z")
    with pytest.raises(tf.errors.InvalidArgumentError, match="placeholder 'z' is needed by"):
        to_jax(x + z, [x], sess)


def test_no_session_is_a_value_error():
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [2])
        with pytest.raises(ValueError, match="Pass session=sess"):
            to_jax(x * 2.0, [x])


def test_the_default_session_is_used():
    with tf.Graph().as_default(), tf.Session().as_default():
        x = tf.placeholder(tf.float32, [2])
        fn, params = to_jax(x * 2.0, x)
        np.testing.assert_allclose(fn(params, [1.0, 2.0]), [2.0, 4.0])


def test_an_uninitialized_variable_fails_at_export(sess):
    v = tf.get_variable("v", [2])
    with pytest.raises(tf.errors.FailedPreconditionError, match="uninitialized value v"):
        to_jax(v * 2.0, [], sess)


def test_wrong_number_of_feed_values(sess):
    x = tf.placeholder(tf.float32, [2], name="x")
    fn, params = to_jax(x * 2.0, [x], sess)
    with pytest.raises(TypeError, match=r"1 feed value\(s\) \['x:0'\], got 2"):
        fn(params, [1.0, 2.0], [3.0, 4.0])


def test_a_feed_of_the_wrong_shape(sess):
    x = tf.placeholder(tf.float32, [None, 2], name="x")
    fn, params = to_jax(x * 2.0, [x], sess)
    with pytest.raises(ValueError, match=r"Cannot feed value of shape \(2,\) for Tensor 'x:0'"):
        fn(params, np.ones(2, np.float32))


def test_a_feed_that_is_not_a_tensor(sess):
    with pytest.raises(TypeError, match="Cannot interpret feed"):
        to_jax(tf.constant(1.0), [3], sess)


def test_a_variable_named_like_another_ones_scope_cannot_nest():
    with pytest.raises(ValueError, match="Variable 'a' is also the scope of variable 'a/b'"):
        nest({"a": 1, "a/b": 2})
    with pytest.raises(ValueError, match="Variable 'a' is also the scope of variable 'a/b'"):
        nest({"a/b": 2, "a": 1})


def test_train_step_refuses_the_same_ops(sess):
    x = tf.placeholder(tf.float32, [2])
    w = tf.get_variable("w", initializer=[1.0, 1.0])
    loss = tf.reduce_sum(tf.py_func(lambda a: a, [x], tf.float32) * w)
    train = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
    sess.run(tf.global_variables_initializer())
    with pytest.raises(tf.errors.UnimplementedError, match="to_jax_train_step: op"):
        to_jax_train_step(train, [x], sess)


def test_a_shape_computed_from_a_feed_works_eagerly_and_is_named_under_jit(sess):
    n = tf.placeholder(tf.int32, [], name="n")
    zeros = tf.zeros(tf.stack([n]), name="zeros")
    fn, params = to_jax(zeros, [n], sess)
    np.testing.assert_array_equal(fn(params, 3), np.zeros(3, np.float32))
    with pytest.raises(tf.errors.UnimplementedError, match="needs a value known while tracing"):
        jax.jit(fn)(params, 3)
