"""tf.graph_util: convert_variables_to_constants, extract_sub_graph, remove_training_nodes."""

from __future__ import annotations

import json
import pathlib

import numpy as np
import pytest

import scopeflow as tf
from tests.data.graph_io import graphs

DATA = pathlib.Path(__file__).resolve().parents[1] / "data" / "graph_io"
VALUES = json.loads((DATA / "values.json").read_text())


def _frozen(**kwargs):
    g = tf.Graph()
    with g.as_default():
        outs = graphs.build_forward(tf)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            names = [t.op.name for t in outs.values()]
            return tf.graph_util.convert_variables_to_constants(
                sess, g.as_graph_def(), names, **kwargs
            )


def test_frozen_graph_has_tensorflows_nodes_and_values():
    ours = _frozen()
    theirs = tf.GraphDef.FromString((DATA / "frozen.pb").read_bytes())
    assert [(n.name, n.op) for n in ours.node] == [(n.name, n.op) for n in theirs.node]
    for a, b in zip(ours.node, theirs.node, strict=True):
        if a.op == "Const":
            np.testing.assert_array_equal(
                tf.make_ndarray(a.attr["value"].tensor), tf.make_ndarray(b.attr["value"].tensor)
            )
    with tf.Graph().as_default() as g:
        tf.import_graph_def(ours, name="")
        with tf.Session() as sess:
            got = sess.run("mean:0", graphs.feeds(g))
    np.testing.assert_allclose(got, VALUES["forward"]["mean"], rtol=1e-6)


def test_whitelist_and_blacklist_choose_the_variables_frozen():
    ops = {n.name: n.op for n in _frozen(variable_names_whitelist=["w", "k"]).node}
    assert (ops["w"], ops["k"], ops["b"]) == ("Const", "Const", "VariableV2")
    ops = {n.name: n.op for n in _frozen(variable_names_blacklist=["w"]).node}
    assert (ops["w"], ops["k"], ops["b"]) == ("VariableV2", "Const", "Const")
    assert tf.compat.v1.graph_util.convert_variables_to_constants is (
        tf.graph_util.convert_variables_to_constants
    )


def test_extract_sub_graph_follows_control_inputs_and_checks_names():
    g = tf.Graph()
    with g.as_default():
        a = tf.constant(1.0, name="a")
        gate = tf.no_op(name="gate")
        with tf.control_dependencies([gate]):
            tf.identity(a, name="b")
        tf.identity(a, name="unused")
    graph_def = g.as_graph_def()
    assert [n.name for n in tf.graph_util.extract_sub_graph(graph_def, ["b"]).node] == [
        "a", "gate", "b"
    ]  # fmt: skip
    with pytest.raises(AssertionError, match="nope is not in graph"):
        tf.graph_util.extract_sub_graph(graph_def, ["nope"])
    with pytest.raises(TypeError, match="must be a list"):
        tf.graph_util.extract_sub_graph(graph_def, "b")


def test_remove_training_nodes_splices_identities_as_tf1():
    g = tf.Graph()
    with g.as_default():
        x = tf.placeholder(tf.float32, name="x")
        checked = tf.debugging.check_numerics(x, "bad", name="check")
        i1 = tf.identity(checked, name="i1")
        kept = tf.identity(i1, name="kept")
        with tf.control_dependencies([kept]):
            guarded = tf.identity(i1, name="guarded")
        tf.add(guarded, 1.0, name="out")
    out = tf.graph_util.remove_training_nodes(g.as_graph_def(), protected_nodes=["kept"])
    nodes = {n.name: list(n.input) for n in out.node}
    assert "check" not in nodes and "i1" not in nodes
    assert nodes["kept"] == ["x"]  # protected, its input spliced through i1 and check
    assert nodes["guarded"] == ["x", "^kept"]  # has a control input: kept
    assert nodes["out"][0] == "guarded"
