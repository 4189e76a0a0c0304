"""Tests for scopeflow/data/optional.py: ``tf.experimental.Optional`` and
``get_next_as_optional`` build TF's ops under TF's names and give TF 2.21's values and errors
(printed by ``tensorflow.compat.v1`` in graph mode for the same programs)."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf

E = tf.data.experimental


def test_get_next_as_optional_advances_once_per_run_and_ends_empty(graph):
    ds = tf.data.Dataset.from_tensor_slices(({"a": [1, 2]}, [[1.0], [2.0]]))
    it = ds.make_initializable_iterator()
    opt = it.get_next_as_optional()
    has, value = opt.has_value(), opt.get_value()
    assert [t.name for t in [has, value[0]["a"], value[1]]] == [
        "OptionalHasValue:0", "OptionalGetValue:0", "OptionalGetValue:1",
    ]  # fmt: skip
    assert opt.element_spec == ({"a": tf.TensorSpec([], tf.int32)}, tf.TensorSpec([1], tf.float32))
    with tf.Session() as sess:
        sess.run(it.initializer)
        assert sess.run(has)  # the first element, taken by this run
        got = sess.run(value)
        assert got[0]["a"] == 2 and got[1].tolist() == [2.0]
        assert not sess.run(has)
        with pytest.raises(tf.errors.InvalidArgumentError, match="does not have a value"):
            sess.run(value)
        sess.run(it.initializer)
        assert sess.run([has, value[0]["a"]]) == [True, 1]  # one element for both fetches


def test_from_value_and_empty(graph):
    v = E.Optional.from_value((tf.constant(1), {"b": tf.constant([1.0, 2.0])}))
    n = tf.experimental.Optional.empty(tf.TensorSpec([2], tf.float32))
    assert n.element_spec == tf.TensorSpec([2], tf.float32)
    ops = [(op.name, op.type) for op in graph.get_operations()]
    assert ops == [
        ("Const", "Const"), ("Const_1", "Const"), ("optional", "OptionalFromValue"),
        ("OptionalNone", "OptionalNone"),
    ]  # fmt: skip
    has, value = v.has_value(), v.get_value()
    empty_has, empty_value = n.has_value(name="hv"), n.get_value(name="gv")
    assert (empty_has.name, empty_value.name) == ("hv:0", "gv:0")
    with tf.Session() as sess:
        got = sess.run([has, value])
        assert got[0] and got[1][0] == 1 and got[1][1]["b"].tolist() == [1.0, 2.0]
        assert not sess.run(empty_has)
        with pytest.raises(tf.errors.InvalidArgumentError, match="does not have a value"):
            sess.run(empty_value)


def test_sparse_value_round_trips(graph):
    sp = tf.SparseTensor([[0, 1]], [5.0], [2, 3])
    got = tf.Session().run(E.Optional.from_value(sp).get_value())
    assert got.indices.tolist() == [[0, 1]] and got.dense_shape.tolist() == [2, 3]


def test_experimental_get_next_as_optional_and_spec(graph):
    it = tf.data.Dataset.range(3).make_one_shot_iterator()
    opt = E.get_next_as_optional(it)
    assert opt._variant_tensor.op.type == "IteratorGetNextAsOptional"
    assert E.OptionalStructure.from_value(opt).element_spec == tf.TensorSpec([], tf.int64)
    assert np.asarray(tf.Session().run(opt.get_value())) == 0


def test_from_value_of_nothing_raises(graph):
    with pytest.raises(ValueError, match="'Toutput_types' of 'OptionalFromValue'"):
        E.Optional.from_value(())


def test_uninitialized_iterator(graph):
    it = tf.data.Dataset.range(3).make_initializable_iterator()
    has = it.get_next_as_optional().has_value()
    with pytest.raises(tf.errors.FailedPreconditionError, match="not been initialized"):
        tf.Session().run(has)
