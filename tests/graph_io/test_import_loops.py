"""Importing graphs with ``tf.while_loop``s: TensorFlow's own MetaGraphDefs (forward and
gradient loops, nested loops, a cond in a loop, ``tf.scan``, ``dynamic_rnn`` over an LSTM)
run and train to TensorFlow's numbers, and scopeflow's loops survive a GraphDef round trip.

The TensorFlow files and numbers are written by ``tests/data/graph_io/make_loop_graphs.py``.
"""

from __future__ import annotations

import json
import pathlib
import sys

import numpy as np
import pytest

import scopeflow as tf

DATA = pathlib.Path(__file__).resolve().parents[1] / "data" / "graph_io"
sys.path.insert(0, str(DATA))
import loop_graphs  # noqa: E402

VALUES = json.loads((DATA / "loop_graph_values.json").read_text())


def _import(name: str, **kwargs):
    return tf.train.import_meta_graph(str(DATA / "loop_graphs" / f"{name}.meta"), **kwargs)


def _feeds(g, name: str, prefix: str = "") -> dict:
    return {g.get_tensor_by_name(prefix + k): v for k, v in loop_graphs.FEEDS[name].items()}


def _close(got: dict, expected: dict) -> None:
    for key, want in expected.items():
        np.testing.assert_allclose(np.asarray(got[key]), np.asarray(want), rtol=2e-5, atol=2e-6,
                                   err_msg=key)  # fmt: skip


@pytest.mark.parametrize("name", sorted(loop_graphs.BUILDERS))
def test_tensorflow_loop_graphs_run_and_train_to_its_numbers(name):
    record = VALUES[name]
    with tf.Graph().as_default() as g:
        _import(name)
        outs = {k: g.get_tensor_by_name(v) for k, v in record["outputs"].items()}
        train_op = tf.get_collection("train_op")[0]
        feeds = _feeds(g, name)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            _close(sess.run(outs, feeds), record["initial"])
            for _ in range(2):
                sess.run(train_op, feeds)  # its gradient loops, imported, pop what it pushed
            _close(sess.run(outs, feeds), record["trained"])


def test_imported_loops_keep_their_op_names_and_structure():
    with tf.Graph().as_default() as g:
        _import("lstm")
        assert g.get_operation_by_name("model/rnn/while/LoopCond").type == "LoopCond"
        exit_op = g.get_tensor_by_name("model/rnn/while/Exit_3:0").op
        assert exit_op.type == "Exit" and exit_op._frame is None
        body_op = g.get_operation_by_name("model/rnn/while/Identity_3")
        assert body_op._frame.name == "model/rnn/while/while_context"
        grad = g.get_operation_by_name("gradients/model/rnn/while/Merge_3_grad/Switch")
        assert grad._frame.name == "gradients/model/rnn/while/while_context"


def test_an_imported_loop_under_an_import_scope_runs():
    record = VALUES["counter"]
    with tf.Graph().as_default() as g:
        _import("counter", import_scope="copy")
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            got = sess.run(g.get_tensor_by_name("copy/stacked:0"), _feeds(g, "counter", "copy/"))
    np.testing.assert_allclose(got, record["initial"]["stacked"], rtol=1e-6)


def test_values_inside_an_imported_loop_cannot_be_fetched():
    with tf.Graph().as_default() as g:
        _import("counter")
        inside = g.get_tensor_by_name("counter/Identity_2:0")
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            with pytest.raises(tf.errors.InvalidArgumentError, match="inside tf.while_loop"):
                sess.run(inside, _feeds(g, "counter"))


def test_new_gradients_through_an_imported_loop_say_what_to_do():
    with tf.Graph().as_default() as g:
        _import("counter")
        loss = g.get_tensor_by_name("loss:0")
        v = tf.global_variables()[0]
        with pytest.raises(NotImplementedError, match="build the gradients .* before exporting"):
            tf.gradients(loss, v)


def _own_loop():
    x = tf.placeholder(tf.float32, [None], name="x")
    w = tf.get_variable("w", initializer=np.float32(0.5))

    def body(i, acc, ta):
        inner = tf.while_loop(lambda j, s: j < i, lambda j, s: (j + 1, s * w + 1.0), [0, acc])
        return i + 1, inner[1] + tf.reduce_sum(x), ta.write(i, inner[1])

    ta = tf.TensorArray(tf.float32, size=3)
    _, acc, ta = tf.while_loop(lambda i, *_: i < 3, body, [0, tf.constant(0.0), ta])
    loss = tf.add(acc, tf.reduce_sum(ta.stack()), name="loss")
    grad = tf.identity(tf.gradients(loss, w)[0], name="grad")
    return loss, grad


def test_scopeflow_loops_round_trip_through_a_graph_def():
    feed = np.float32([1.0, 2.0])
    with tf.Graph().as_default() as g:
        loss, grad = _own_loop()
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            expected = sess.run([loss, grad], {"x:0": feed})
        graph_def = g.as_graph_def()
    with tf.Graph().as_default() as g2:
        tf.import_graph_def(graph_def, name="")
        with tf.Session() as sess:
            sess.run(g2.get_operation_by_name("w/Assign"))
            got = sess.run(["loss:0", "grad:0"], {"x:0": feed})
    np.testing.assert_allclose(got, expected, rtol=1e-6)


def test_a_loop_missing_its_loop_cond_is_refused_naming_it():
    with tf.Graph().as_default() as g:
        i = tf.while_loop(lambda i: i < 3, lambda i: i + 1, [0], name="count")
        tf.identity(i, name="out")
        graph_def = g.as_graph_def()
    kept = [n for n in graph_def.node if n.op != "LoopCond"]
    del graph_def.node[:]
    graph_def.node.extend(kept)
    with tf.Graph().as_default() as g2:
        with pytest.raises(ValueError, match="count/LoopCond"):
            tf.import_graph_def(graph_def, name="")
        assert g2.get_operations() == []  # nothing was added
