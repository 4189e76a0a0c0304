"""tf.make_template: names checked against TensorFlow 2.21's tf.compat.v1."""

from __future__ import annotations

import pytest

import scopeflow as tf


def _dense(x, n=3):
    w = tf.get_variable("w", [3, n])
    return tf.matmul(x, w)


@pytest.fixture(autouse=True)
def fresh_graph():
    with tf.Graph().as_default() as g:
        yield g


def test_calls_share_the_first_calls_variables():
    x = tf.placeholder(tf.float32, [None, 3])
    layer = tf.make_template("dense", _dense)
    y1, y2 = layer(x), layer(x)
    assert [v.name for v in tf.global_variables()] == ["dense/w:0"]
    assert (y1.name, y2.name) == ("dense/MatMul:0", "dense_1/MatMul:0")
    assert layer.variable_scope_name == "dense/"
    assert [v.name for v in layer.trainable_variables] == ["dense/w:0"]


def test_create_scope_now_and_kwargs():
    x = tf.placeholder(tf.float32, [None, 3])
    layer = tf.make_template("dense", _dense)
    layer(x), layer(x)
    early = tf.make_template("dense", _dense, create_scope_now_=True)
    y3, y4 = early(x), early(x)
    assert early.variable_scope_name == "dense_1/"
    assert (y3.name, y4.name) == ("dense_1_1/MatMul:0", "dense_1_2/MatMul:0")
    with tf.variable_scope("outer"):
        inner = tf.make_template("inner", _dense, n=4)
        y5 = inner(x)
    y6 = inner(x)
    assert (y5.name, y6.name) == ("outer/inner/MatMul:0", "inner/MatMul:0")
    assert inner.variables[0].shape.as_list() == [3, 4]


def test_new_trainable_variable_on_later_call_is_an_error():
    def sneaky(x):
        return x + tf.Variable(1.0)

    t = tf.make_template("sneaky", sneaky)
    t(tf.constant(1.0))
    with pytest.raises(ValueError, match="Trainable variable created when calling template"):
        t(tf.constant(1.0))


def test_empty_name_rejected():
    with pytest.raises(ValueError, match="non-empty name"):
        tf.make_template("", _dense)
