"""Misuse around sessions, graphs and saved files, answered with TF 2.21's error types and
words (each checked in the reference TF): feeds given as a list of pairs, a tensor evaluated
in a session of another graph, values that cannot be fed, nesting undone out of order, a
finalized graph, a Keras model file that is not there."""

from __future__ import annotations

import threading

import numpy as np
import pytest

import scopeflow as tf


def test_a_feed_dict_that_is_a_list_of_pairs_is_a_type_error(graph):
    x = tf.placeholder(tf.float32, [])
    with tf.Session() as sess:
        with pytest.raises(TypeError, match="FlattenDictItems: 'dict' must be a dictionary or "):
            sess.run(x * 2.0, [(x, 1.0)])  # an AttributeError before
        assert sess.run(x * 2.0, {x: 1.0}) == 2.0


def test_evaluating_in_a_session_of_another_graph_says_tfs_words():
    first, second = tf.Graph(), tf.Graph()
    with first.as_default():
        c = tf.constant(1.0, name="c")
        op = tf.no_op(name="op")
        sparse = tf.SparseTensor([[0]], [1.0], [2])
    with second.as_default():
        tf.constant(2.0)
    with tf.Session(graph=second) as sess:
        given = "Cannot use the given session to {}: the {}'s graph is different from the "
        given += "session's graph."
        for run, words in [
            (lambda: c.eval(session=sess), given.format("evaluate tensor", "tensor")),
            (lambda: sparse.eval(session=sess), given.format("evaluate tensor", "tensor")),
            (lambda: op.run(session=sess), given.format("execute operation", "operation")),
        ]:
            with pytest.raises(ValueError) as info:
                run()
            assert str(info.value).startswith(words)
        with sess.as_default():
            with pytest.raises(ValueError) as info:
                c.eval()
            assert str(info.value).startswith(
                "Cannot use the default session to evaluate tensor: the tensor's graph is "
                "different from the session's graph. Pass an explicit session to "
                "`eval(session=sess)`."
            )
            with pytest.raises(ValueError, match=r"explicit session to run\(session=sess\)\."):
                op.run()
        with pytest.raises(ValueError, match="is not an element of this graph"):
            sess.run(c)
        with pytest.raises(TypeError, match="Cannot interpret feed_dict key as Tensor"):
            sess.run(second.get_operations()[0].outputs[0], {c: 1.0})


def test_values_that_cannot_be_fed(graph):
    x = tf.placeholder(tf.float32, [None, 2])
    y = x * 2.0
    with tf.Session() as sess:
        with pytest.raises(ValueError, match="inhomogeneous"):
            sess.run(y, {x: [[1.0, 2.0], [1.0]]})  # a ragged list: as TF 2.21
        with pytest.raises(TypeError, match="float"):
            sess.run(y, {x: np.array([[object(), 1]], dtype=object)})
        with pytest.raises(ValueError, match="could not convert string to float"):
            sess.run(y, {x: [["a", "b"]]})
        np.testing.assert_array_equal(
            sess.run(y, {x: np.array([[1.0, 2.0]], dtype=object)}), [[2.0, 4.0]]
        )


def test_nesting_undone_out_of_order_and_a_closed_session():
    outer, inner = tf.Graph(), tf.Graph()
    seen = []

    def misordered():  # in a thread of its own: the stacks are per thread
        entered_outer, entered_inner = outer.as_default(), inner.as_default()
        entered_outer.__enter__()
        entered_inner.__enter__()
        with pytest.raises(AssertionError, match="Nesting violated for default stack of"):
            entered_outer.__exit__(None, None, None)
        entered_inner.__exit__(None, None, None)
        entered_outer.__exit__(None, None, None)
        seen.append(tf.get_default_graph())

    thread = threading.Thread(target=misordered)
    thread.start()
    thread.join()
    assert seen == [outer]  # as TF 2.21: the graph left entered stays the default
    with outer.as_default():
        c = tf.constant(1.0)
        sess = tf.Session()
    sess.close()
    with pytest.raises(RuntimeError, match="Attempted to use a closed Session."):
        sess.run(c)
    sess.close()  # a second close does nothing, as TF 2.21


def test_a_finalized_graph_refuses_new_ops_but_runs_its_own():
    graph = tf.Graph()
    with graph.as_default():
        c = tf.constant(1.0)
    graph.finalize()
    with tf.Session(graph=graph) as sess:
        assert sess.run(c) == 1.0
        with pytest.raises(RuntimeError, match="Graph is finalized and cannot be modified."):
            sess.run(c + 1.0)
        with graph.as_default(), pytest.raises(RuntimeError, match="Graph is finalized"):
            tf.Variable(1.0)
    assert len(graph.get_operations()) == 1


def test_loading_a_keras_model_that_is_not_there_is_tfs_os_error(tmp_path):
    for name in ["nope.h5", "nope"]:
        with pytest.raises(OSError, match=f"^No file or directory found at {tmp_path}/{name}$"):
            tf.keras.models.load_model(str(tmp_path / name))  # h5py's FileNotFoundError before


def test_interactive_sessions_stack_and_leave_reset_default_graph_working():
    graph = tf.Graph()
    with graph.as_default():
        c = tf.constant(3.0)
    first = tf.InteractiveSession(graph=graph)
    second = tf.InteractiveSession(graph=graph)
    assert tf.get_default_session() is second
    second.close()
    assert tf.get_default_session() is first and c.eval() == 3.0
    first.close()
    assert tf.get_default_session() is None
    with tf.Graph().as_default():
        sess = tf.InteractiveSession()  # no graph given: TF 2.21 does not enter one
    try:
        tf.reset_default_graph()  # an AssertionError ('nested graphs') before
        assert tf.get_default_session() is sess
    finally:
        sess.close()
