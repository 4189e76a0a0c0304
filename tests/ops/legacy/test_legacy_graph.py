"""A GraphDef written by TensorFlow with TF 1.x's op types (``tests/data/graph_io/
legacy_ops.pb``: Add, Div, Mod, Concat, Gather, TopK, BiasAddV1, FusedBatchNorm, MaxPoolV2,
BatchNormWithGlobalNormalization, PlaceholderV2...) imports and runs here to TensorFlow's
values, and ``tf.gradients`` through its ops gives TensorFlow's gradients; a GraphDef of a
``Variable`` updated through ``RefIdentity`` runs as in TensorFlow.

The files and numbers are written by ``tests/data/graph_io/make_legacy_graph.py`` (TensorFlow
2.21, the deprecated op types written into a GraphDef of producer version 6).
"""

from __future__ import annotations

import json
import pathlib

import numpy as np
import pytest

import scopeflow as tf

DATA = pathlib.Path(__file__).resolve().parents[2] / "data" / "graph_io"
RECORD = json.loads((DATA / "legacy_ops_values.json").read_text())


def _graph_def(name: str):
    graph_def = tf.GraphDef()
    graph_def.ParseFromString((DATA / name).read_bytes())
    return graph_def


@pytest.fixture(scope="module")
def imported():
    """The imported graph, its values and its gradients, computed once."""
    graph = tf.Graph()
    with graph.as_default():
        tf.import_graph_def(_graph_def("legacy_ops.pb"), name="")
        fetch = {k: graph.get_tensor_by_name(v) for k, v in RECORD["outputs"].items()}
        xs = [graph.get_tensor_by_name(n) for n in RECORD["grads"]]
        grads = tf.gradients(graph.get_tensor_by_name("loss:0"), xs)
        feed = {graph.get_tensor_by_name(k): np.asarray(v) for k, v in RECORD["feed"].items()}
        with tf.Session() as sess:
            values, grad_values = sess.run([fetch, grads], feed)
    return graph, values, dict(zip(RECORD["grads"], grad_values, strict=True))


def test_the_graph_holds_tf1s_op_types(imported):
    graph, _, _ = imported
    imported_ops = [op for op in graph.get_operations() if not op.name.startswith("gradients")]
    assert sorted({op.type for op in imported_ops}) == RECORD["ops"]
    assert graph.get_operation_by_name("top_k").type == "TopK"


@pytest.mark.parametrize("name", sorted(RECORD["values"]))
def test_values_are_tensorflows(imported, name):
    _, values, _ = imported
    want = RECORD["values"][name]
    got = values[name]
    if name == "add_str":
        assert [s.decode() for s in got] == want
        return
    np.testing.assert_allclose(got, want, rtol=2e-6, atol=2e-6, err_msg=name)
    assert np.asarray(got).dtype.kind == np.asarray(want).dtype.kind or name == "in_top_k"


@pytest.mark.parametrize("name", sorted(RECORD["grads"]))
def test_gradients_are_tensorflows(imported, name):
    _, _, grads = imported
    np.testing.assert_allclose(grads[name], RECORD["grads"][name], rtol=1e-5, atol=1e-5)


def test_a_reference_variable_updates_through_ref_identity_as_in_tf():
    with tf.Graph().as_default() as graph:
        tf.import_graph_def(_graph_def("legacy_variable.pb"), name="")
        assert graph.get_operation_by_name("v").type == "Variable"
        with tf.Session() as sess:
            sess.run("init")
            steps = [[sess.run("step:0"), sess.run("doubled:0")] for _ in range(2)]
    assert [[a.tolist() for a in s] for s in steps] == RECORD["variable_steps"]


def test_removed_op_types_import_only_from_graphs_older_than_their_removal():
    graph_def = _graph_def("legacy_ops.pb")
    graph_def.versions.producer = 7
    with tf.Graph().as_default() as graph:
        with pytest.raises(tf.errors.UnimplementedError, match="removed in version 7"):
            tf.import_graph_def(graph_def, name="")
        assert graph.get_operations() == []


@pytest.fixture(scope="module")
def rnn_values():
    with tf.Graph().as_default() as graph:
        tf.import_graph_def(_graph_def("legacy_rnn.pb"), name="")
        fetch = {k: graph.get_tensor_by_name(v) for k, v in RECORD["rnn_outputs"].items()}
        with tf.Session() as sess:
            return sess.run(fetch)


@pytest.mark.parametrize("name", sorted(RECORD["rnn_values"]))
def test_fused_rnn_cells_and_their_gradients_are_tensorflows(rnn_values, name):
    np.testing.assert_allclose(rnn_values[name], RECORD["rnn_values"][name], rtol=1e-5, atol=1e-6)
