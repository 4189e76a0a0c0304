"""Exporting and re-importing a 1,000-op graph: ``Graph.as_graph_def()``, the GraphDef
serialized and parsed back, and ``tf.import_graph_def`` into a fresh graph, scopeflow against
TF1 in one run. Goal: export + re-import at most TF1's time. The graph is a chain of dense
layers (MatMul, BiasAdd, Relu, their variables' VariableV2/Assign/Identity, constants) of
about 1,000 ops.

    python benchmarks/graph_io.py --tf-python /path/to/tf-venv/bin/python
"""

from __future__ import annotations

import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import _harness  # noqa: E402

LAYERS = 67  # 15 ops each: about 1,000 ops


def _build(tf):
    x = tf.placeholder(tf.float32, [None, 8], name="x")
    for i in range(LAYERS):
        with tf.variable_scope(f"layer{i}"):
            w = tf.get_variable("w", initializer=np.eye(8, dtype=np.float32))
            b = tf.get_variable("b", initializer=np.zeros(8, np.float32))
            x = tf.nn.relu(tf.nn.bias_add(tf.matmul(x, w), b) * 0.5 + 0.1)
    return x


def measure(backend: str, repeats: int) -> dict:
    tf = _harness.import_backend(backend)
    graph = tf.Graph()
    with graph.as_default():
        _build(tf)
    graph_def_class = type(graph.as_graph_def())

    def export():
        return graph.as_graph_def().SerializeToString()

    data = export()

    def reimport():
        with tf.Graph().as_default():
            tf.import_graph_def(graph_def_class.FromString(data), name="")

    def both():
        export()
        reimport()

    both()  # warm up
    return {
        "as_graph_def + serialize": _harness.median_seconds(export, repeats),
        "parse + import_graph_def": _harness.median_seconds(reimport, repeats),
        "export + re-import": _harness.median_seconds(both, repeats),
    }


if __name__ == "__main__":
    _harness.main(os.path.abspath(__file__), "GraphDef export + re-import (1,000 ops)", measure)
