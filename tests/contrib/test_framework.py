"""tf.contrib.framework: arg_scope's merging rules and errors, and the variable helpers."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf
from scopeflow.contrib.framework import add_arg_scope, arg_scope


@add_arg_scope
def _op(x, a=1, b=2):
    return (x, a, b)


@add_arg_scope
def _other(a=0):
    return a


def _plain(a=0):
    return a


def test_arg_scope_defaults_nest_and_call_arguments_win():
    assert _op(0) == (0, 1, 2)
    with arg_scope([_op, _other], a=10):
        assert _op(0) == (0, 10, 2) and _other() == 10
        with arg_scope([_op], b=20) as inner:
            assert _op(0) == (0, 10, 20)
            assert _op(0, a=5) == (0, 5, 20)
        with arg_scope([_op], a=30):
            assert _op(0) == (0, 30, 2)
    assert _op(0) == (0, 1, 2)
    # A captured scope re-enters as it was.
    with arg_scope(inner):
        assert _op(0) == (0, 10, 20) and _other() == 10
    assert tf.contrib.framework.current_arg_scope() == {}


def test_arg_scope_errors():
    with pytest.raises(ValueError, match="_plain is not decorated with @add_arg_scope"):
        with arg_scope([_plain], a=1):
            pass
    with pytest.raises(TypeError, match="list/tuple or reused scope"):
        with arg_scope(_op, a=1):
            pass
    with pytest.raises(ValueError, match="kwargs must be empty"):
        with arg_scope({}, a=1):
            pass
    assert tf.contrib.framework.has_arg_scope(_op)
    assert not tf.contrib.framework.has_arg_scope(_plain)
    assert tf.contrib.framework.arg_scoped_arguments(_op) == ["x", "a", "b"]


def test_arg_scope_pops_after_an_exception():
    with pytest.raises(RuntimeError):
        with arg_scope([_op], a=3):
            raise RuntimeError
    assert _op(0) == (0, 1, 2)


def test_variable_helpers():
    fw = tf.contrib.framework
    with tf.Graph().as_default():
        with tf.variable_scope("net"):
            w = fw.model_variable("w", [2, 3], initializer=tf.zeros_initializer())
            b = fw.variable("b", [3], initializer=tf.zeros_initializer())
            with tf.variable_scope("head"):
                hb = fw.variable("b", [1], collections=[tf.GraphKeys.LOCAL_VARIABLES])
        assert w.name == "net/w:0"
        assert fw.get_model_variables() == [w]
        assert tf.global_variables() == [w, b]
        assert fw.get_variables("net") == [w, b]
        assert fw.get_variables(suffix="b") == [b]
        assert fw.get_local_variables() == [hb]
        assert fw.get_variables_by_name("b") == [b]
        assert fw.get_unique_variable("net/w") is w
        with pytest.raises(ValueError, match="Couldn't find variable net/nope"):
            fw.get_unique_variable("net/nope")
        assert fw.get_variables_to_restore(exclude=["net/b"]) == [w]
        assert fw.get_variables_to_restore(include=["net/w"]) == [w]
        with pytest.raises(TypeError, match="exclude is provided but is not a list"):
            fw.get_variables_to_restore(exclude="net/b")
        step = fw.get_or_create_global_step()
        assert fw.get_global_step() is step


def test_model_variable_takes_arg_scope_defaults():
    fw = tf.contrib.framework
    with tf.Graph().as_default():
        with arg_scope([fw.model_variable], initializer=tf.ones_initializer(), trainable=False):
            v = fw.model_variable("v", [2])
        assert v not in tf.trainable_variables()
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            np.testing.assert_array_equal(sess.run(v), [1.0, 1.0])


def test_assign_from_checkpoint_fn(tmp_path):
    fw = tf.contrib.framework
    prefix = str(tmp_path / "model")
    with tf.Graph().as_default():
        a = tf.get_variable("a", initializer=[1.0, 2.0])
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            tf.train.Saver().save(sess, prefix, write_meta_graph=False)
    with tf.Graph().as_default():
        a = tf.get_variable("a", initializer=[0.0, 0.0])
        extra = tf.get_variable("extra", initializer=[5.0])
        with pytest.raises(ValueError, match="var_list cannot be empty"):
            fw.assign_from_checkpoint_fn(prefix, [])
        init_fn = fw.assign_from_checkpoint_fn(prefix, [a, extra], ignore_missing_vars=True)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            init_fn(sess)
            np.testing.assert_array_equal(sess.run(a), [1.0, 2.0])
            np.testing.assert_array_equal(sess.run(extra), [5.0])
        strict = fw.assign_from_checkpoint_fn(prefix, [a, extra])
        with tf.Session() as sess, pytest.raises(tf.errors.NotFoundError, match="extra"):
            strict(sess)


def test_unprovided_contrib_names_say_what_to_use():
    with pytest.raises(NotImplementedError, match="tf.contrib.tpu.shard runs on a TPU"):
        tf.contrib.tpu.shard  # noqa: B018
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        tf.contrib.nothing  # noqa: B018
