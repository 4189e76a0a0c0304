"""tf.container (framework/graph_api.py, Graph.container): attrs as TF 2.21 (compat.v1) sets."""

from __future__ import annotations

import pytest

import scopeflow as tf


def test_ops_made_inside_record_the_container(graph):
    with tf.container("exp"):
        v = tf.Variable(1.0, name="v")
        w = tf.get_variable("w", [2])
        q = tf.FIFOQueue(3, tf.float32)
        c = tf.constant(1.0)
        with tf.container("inner"):
            u = tf.Variable(2.0, name="u")
        with tf.container(""):
            z = tf.Variable(2.0, name="z")
        t = tf.lookup.StaticHashTable(tf.lookup.KeyValueTensorInitializer(["a"], [1]), -1)
    after = tf.Variable(3.0, name="after")
    got = [x.op.get_attr("container") for x in (v, w, q.queue_ref, u, t.resource_handle)]
    assert got == [b"exp", b"exp", b"exp", b"inner", b"exp"]
    assert not z.op.get_attr("container") and not after.op.get_attr("container")
    with pytest.raises(ValueError, match="Operation 'Const' has no attr named 'container'"):
        c.op.get_attr("container")
    with graph.container("x") as name:
        assert name == "x"
    node = {n.name: n for n in graph.as_graph_def().node}["v"]
    assert node.attr["container"].s == b"exp"
    with tf.Session() as sess:
        sess.run(v.initializer)
        assert sess.run(v) == 1.0


def test_session_reset_of_the_in_process_target_closes_its_sessions(graph):
    with tf.container("exp"):
        v = tf.Variable(1.0)
    with tf.Session() as sess:
        sess.run(v.initializer)
        tf.Session.reset("", ["exp"])  # TF 2.21: every session without a target is closed
        with pytest.raises(tf.errors.CancelledError, match="Session has been closed"):
            sess.run(v)
