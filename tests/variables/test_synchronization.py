"""``tf.VariableSynchronization``/``tf.VariableAggregation`` accepted by ``tf.Variable`` and
``tf.get_variable`` as TF 2.21's compat.v1 takes them, ``tf.assert_variables_initialized`` and
``tf.no_regularizer`` (TF's values and names written here as literals)."""

from __future__ import annotations

import pytest

import scopeflow as tf


def test_enums_as_tf():
    assert [m.name for m in tf.VariableAggregation] == [
        "NONE",
        "SUM",
        "MEAN",
        "ONLY_FIRST_REPLICA",
    ]
    assert [(m.name, m.value) for m in tf.VariableSynchronization] == [
        ("AUTO", 0),
        ("NONE", 1),
        ("ON_WRITE", 2),
        ("ON_READ", 3),
    ]
    assert tf.VariableAggregation.ONLY_FIRST_TOWER is tf.VariableAggregation.ONLY_FIRST_REPLICA
    assert repr(tf.VariableAggregation.MEAN) == "<VariableAggregation.MEAN: 2>"


def test_variables_keep_them_and_on_read_is_not_trainable(graph):
    v = tf.get_variable(
        "v",
        [2],
        aggregation=tf.VariableAggregation.SUM,
        synchronization=tf.VariableSynchronization.ON_READ,
    )
    w = tf.Variable(1.0, synchronization=3)
    u = tf.Variable(1.0)
    assert (v.aggregation, v.synchronization, v.trainable) == (
        tf.VariableAggregation.SUM,
        tf.VariableSynchronization.ON_READ,
        False,
    )
    assert (w.trainable, w.synchronization, w.aggregation) == (
        False,
        tf.VariableSynchronization.ON_READ,
        tf.VariableAggregation.NONE,
    )
    assert (u.synchronization, u.trainable) == (tf.VariableSynchronization.AUTO, True)
    assert tf.trainable_variables() == [u]


def test_bad_modes_raise_tfs_errors(graph):
    with pytest.raises(
        ValueError, match="Invalid variable aggregation mode: sum for variable: None"
    ):
        tf.Variable(1.0, aggregation="sum")
    with pytest.raises(
        ValueError, match="Invalid variable aggregation mode: sum for variable: s/q"
    ):
        with tf.variable_scope("s"):
            tf.get_variable("q", [1], aggregation="sum")
    with pytest.raises(ValueError, match="Invalid variable synchronization mode: 7"):
        tf.Variable(1.0, synchronization=7)


def test_assert_variables_initialized(graph):
    assert tf.assert_variables_initialized() is None
    v = tf.Variable([1.0, 2.0], name="v")
    w = tf.Variable(3.0, name="w")
    one = tf.assert_variables_initialized([v])
    both = tf.assert_variables_initialized()
    assert (one.op.type, [t.name for t in one.op.inputs]) == ("Rank", ["v/read:0"])
    assert both.op.type == "Pack" and [t.op.type for t in both.op.inputs] == ["Rank", "Rank"]
    with tf.Session() as sess:
        with pytest.raises(tf.errors.FailedPreconditionError):
            sess.run(both)
        sess.run(tf.global_variables_initializer())
        assert sess.run(one) == 1 and list(sess.run(both)) == [1, 0]
    assert w.trainable and tf.no_regularizer(v) is None
