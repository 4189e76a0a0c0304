"""Tests for scopeflow/train/training_util.py: the global step's variable, ops and collections
(as TF1 makes them), lookup, and its errors."""

from __future__ import annotations

import pytest

import scopeflow as tf
from scopeflow.train.training_util import _get_or_create_global_step_read


@pytest.fixture(autouse=True)
def graph():
    g = tf.Graph()
    with g.as_default():
        yield g


def test_global_step_is_an_int64_scalar_zero_in_its_collections(graph):
    step = tf.train.get_or_create_global_step()
    assert (step.name, step.dtype, step.shape.as_list()) == ("global_step:0", tf.int64_ref, [])
    assert [op.name for op in graph.get_operations()] == [
        "global_step/Initializer/zeros",
        "global_step",
        "global_step/Assign",
        "global_step/read",
    ]
    assert tf.get_collection(tf.GraphKeys.GLOBAL_STEP) == [step]
    assert tf.global_variables() == [step]
    assert tf.trainable_variables() == []
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        assert tf.train.global_step(sess, step) == 0


def test_get_or_create_returns_the_existing_step():
    step = tf.train.create_global_step()
    assert tf.train.get_or_create_global_step() is step
    assert tf.train.get_global_step() is step


def test_creation_ignores_name_scopes_but_not_variable_scopes():
    with tf.name_scope("ns"):
        step = tf.train.get_or_create_global_step()
    assert step.name == "global_step:0"
    with tf.Graph().as_default(), tf.variable_scope("vs"):
        assert tf.train.create_global_step().name == "vs/global_step:0"


def test_get_global_step_falls_back_to_the_tensor_name():
    assert tf.train.get_global_step() is None
    v = tf.Variable(0, name="global_step", dtype=tf.int32)
    assert tf.train.get_global_step() is v._ref()


def test_a_second_global_step_is_an_error():
    tf.train.create_global_step()
    with pytest.raises(ValueError, match='"global_step" already exists'):
        tf.train.create_global_step()


def test_global_step_must_be_an_integer_scalar():
    bad = tf.Variable(0.0, name="step")
    tf.add_to_collection(tf.GraphKeys.GLOBAL_STEP, bad)
    with pytest.raises(TypeError, match='"global_step" does not have integer type'):
        tf.train.get_global_step()
    with pytest.raises(TypeError, match='"global_step" is not scalar'):
        tf.train.assert_global_step(tf.Variable([0, 1], name="steps"))
    with pytest.raises(TypeError, match='"global_step" must be a Variable or Tensor'):
        tf.train.assert_global_step(3)


def test_the_step_of_another_graph():
    other = tf.Graph()
    step = tf.train.create_global_step(other)
    assert step.graph is other
    assert tf.train.get_global_step(other) is step
    assert tf.train.get_global_step() is None


def test_the_hooks_global_step_read_is_made_once_with_tf1s_ops(graph):
    step = tf.train.get_or_create_global_step()
    read = _get_or_create_global_step_read()
    assert read.name == "global_step/add:0"
    assert [op.name for op in graph.get_operations()][4:] == [
        "global_step/IsVariableInitialized",
        "global_step/cond/Switch",
        "global_step/cond/switch_t",
        "global_step/cond/switch_f",
        "global_step/cond/pred_id",
        "global_step/cond/read",
        "global_step/cond/read/Switch",
        "global_step/cond/Switch_1",
        "global_step/cond/Merge",
        "global_step/add/y",
        "global_step/add",
    ]
    assert _get_or_create_global_step_read() is read
    assert tf.get_collection("global_step_read_op_cache") == [read]
    with tf.Session() as sess:
        assert sess.run(read) == 0  # the initial value before initialization
        sess.run(step.initializer)
        sess.run(step.assign(7))
        assert sess.run(read) == 7


def test_the_global_step_read_is_none_without_a_global_step():
    assert _get_or_create_global_step_read() is None


def test_two_cached_global_step_reads_are_refused(graph):
    tf.add_to_collection("global_step_read_op_cache", tf.constant(1))
    tf.add_to_collection("global_step_read_op_cache", tf.constant(2))
    with pytest.raises(RuntimeError, match="multiple items in collection"):
        _get_or_create_global_step_read()
