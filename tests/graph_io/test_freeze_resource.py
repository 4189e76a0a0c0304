"""convert_variables_to_constants on resource variables (tf.keras's weights), as TF 2.21:
each VarHandleOp a Const of its value, a ReadVariableOp of it an Identity, the Switch of a
handle in a batch norm's cond typed by the variable's dtype, a ResourceGather a GatherV2 on
an added ``<name>/axis`` Const (reference venv, tf_keras)."""

from __future__ import annotations

import numpy as np

import scopeflow as tf


def _freeze(graph, embedding=False, **kwargs):
    tf.set_random_seed(2)
    if embedding:
        inp = tf.keras.Input((3,), dtype="int32")
        h = tf.keras.layers.Flatten()(tf.keras.layers.Embedding(10, 2)(inp))
        h = tf.keras.layers.Reshape((1, 3, 2))(h)
    else:
        inp = h = tf.keras.Input((1, 3, 2))
    tf.identity(tf.keras.layers.BatchNormalization(name="bn")(h), name="out")
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        return tf.graph_util.convert_variables_to_constants(
            sess, graph.as_graph_def(), ["out"], **kwargs
        )


def _run(frozen, feed):
    with tf.Graph().as_default():
        (out,) = tf.import_graph_def(frozen, return_elements=["out:0"], name="")
        with tf.Session() as sess:
            return sess.run(out, {"input_1:0": feed}).ravel()


def test_frozen_batch_norm_reads_become_identities(graph):
    frozen = _freeze(graph)
    nodes = {n.name: n for n in frozen.node}
    assert [nodes[f"bn/{v}"].op for v in ("gamma", "moving_mean")] == ["Const", "Const"]
    assert {n.op for n in frozen.node} & {"VarHandleOp", "ReadVariableOp"} == set()
    for name in ("bn/cond/ReadVariableOp", "bn/cond/FusedBatchNormV3/ReadVariableOp_1"):
        assert (nodes[name].op, nodes[name].attr["T"].type) == ("Identity", 1)
        assert "dtype" not in nodes[name].attr
    assert nodes["bn/cond/ReadVariableOp/Switch"].attr["T"].type == 1  # DT_FLOAT
    got = _run(frozen, np.arange(12.0).reshape(2, 1, 3, 2))
    np.testing.assert_allclose(got[:6], [0.0, 0.9995004, 1.9990008, 2.9985013, 3.9980016, 4.997502])


def test_frozen_embedding_gathers_from_a_constant(graph):
    frozen = _freeze(graph, embedding=True)
    nodes = {n.name: n for n in frozen.node}
    lookup = nodes["embedding/embedding_lookup"]
    assert lookup.op == "GatherV2"
    assert list(lookup.input) == [
        "embedding/embeddings",
        "input_1",
        "embedding/embedding_lookup/axis",
    ]
    assert sorted(lookup.attr) == ["Taxis", "Tindices", "Tparams", "_class"]
    assert frozen.node[-1].name == "embedding/embedding_lookup/axis"
    got = _run(frozen, np.arange(6).reshape(2, 3) % 10)
    expected = [0.03288996, 0.01073681, -0.03411108, 0.00435514, 0.02854302, -0.02433222]
    np.testing.assert_allclose(got[:6], expected, rtol=1e-5)  # TF 2.21, same seed

