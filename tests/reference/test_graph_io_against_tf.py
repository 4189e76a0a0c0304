"""GraphDefs and MetaGraphDefs scopeflow writes, imported and run by TensorFlow itself.

Runs only when ``SCOPEFLOW_TF_PYTHON`` names a Python interpreter with TensorFlow installed
(``SCOPEFLOW_TF_PYTHON=/path/to/tf-venv/bin/python pytest tests/reference``); TensorFlow runs
in that interpreter, never in this process. The other direction (TensorFlow's files into
scopeflow) is in the default suite: tests/graph_io reads tests/data/graph_io.
"""

from __future__ import annotations

import json
import os
import subprocess
import textwrap

import numpy as np
import pytest

import scopeflow as tf
from tests.data.graph_io import graphs

TF_PYTHON = os.environ.get("SCOPEFLOW_TF_PYTHON")
DATA = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "data")

pytestmark = pytest.mark.skipif(
    not TF_PYTHON, reason="set SCOPEFLOW_TF_PYTHON to a Python with TensorFlow to compare"
)

PRELUDE = textwrap.dedent(
    f"""
    import json, os, sys
    os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
    sys.path.insert(0, {os.path.join(DATA, "graph_io")!r})
    import numpy as np
    import tensorflow.compat.v1 as tf
    tf.disable_v2_behavior()
    import graphs
    """
)


def _run_tf(script: str, *args: str):
    done = subprocess.run(
        [TF_PYTHON, "-c", PRELUDE + textwrap.dedent(script), *args],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_tensorflow_runs_our_graph_def_with_our_outputs(tmp_path):
    g = tf.Graph()
    with g.as_default():
        outs = graphs.build_forward(tf)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            ours = sess.run(outs, graphs.feeds(g))
    tf.train.write_graph(g, str(tmp_path), "g.pb", as_text=False)
    theirs = _run_tf(
        """
        graph_def = tf.GraphDef.FromString(open(sys.argv[1], "rb").read())
        with tf.Graph().as_default() as g:
            tf.import_graph_def(graph_def, name="")
            names = sys.argv[2].split(",")
            with tf.Session() as sess:
                sess.run([g.get_operation_by_name(v + "/Assign") for v in ("w", "b", "k")])
                got = sess.run([n + ":0" for n in names], graphs.feeds(g))
        print(json.dumps({n: v.tolist() for n, v in zip(names, got)}))
        """,
        str(tmp_path / "g.pb"),
        ",".join(t.op.name for t in outs.values()),
    )
    for key, tensor in outs.items():
        np.testing.assert_allclose(ours[key], theirs[tensor.op.name], rtol=1e-5, atol=1e-6)


def test_tensorflow_imports_our_meta_graph_restores_and_trains(tmp_path):
    with tf.Graph().as_default():
        graphs.build_trainable(tf)
        saver = tf.train.Saver()
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            sess.run(tf.get_collection("train_op")[0], {"x:0": graphs.FEED})
            path = saver.save(sess, str(tmp_path / "model"), global_step=1)
            logits = sess.run("logits:0", {"x:0": graphs.FEED})
    theirs = _run_tf(
        """
        with tf.Graph().as_default() as g:
            saver = tf.train.import_meta_graph(sys.argv[1] + ".meta")
            with tf.Session() as sess:
                saver.restore(sess, sys.argv[1])
                logits = sess.run("logits:0", {"x:0": graphs.FEED})
                step = int(sess.run(tf.train.get_global_step()))
                sess.run(tf.get_collection("train_op")[0], {"x:0": graphs.FEED})
                saved = saver.save(sess, sys.argv[1] + "-tf")
            trainable = [v.name for v in tf.trainable_variables()]
        print(json.dumps({"logits": logits.tolist(), "step": step, "saved": saved,
                          "trainable": trainable}))
        """,
        path,
    )
    np.testing.assert_allclose(theirs["logits"], logits, rtol=1e-6)
    assert theirs["step"] == 1
    assert theirs["trainable"] == ["dense/w:0", "dense/b:0"]
    assert tf.train.load_checkpoint(theirs["saved"]).get_tensor("global_step") == 2


def test_our_nodes_match_the_graph_def_tensorflow_builds_for_the_same_code():
    from google.protobuf import text_format

    from tests.graph_io.test_export import IGNORED_ATTRS, _attr_difference

    text = _run_tf(
        """
        g = tf.Graph()
        with g.as_default():
            graphs.build_forward(tf)
            graphs.build_trainable(tf)
        print(json.dumps(str(g.as_graph_def())))
        """
    )
    parsed = text_format.Parse(text, tf.GraphDef(), allow_unknown_field=True)
    theirs = {n.name: n for n in parsed.node}
    g = tf.Graph()
    with g.as_default():
        graphs.build_forward(tf)
        graphs.build_trainable(tf)
    compared = 0
    for node in g.as_graph_def().node:
        other = theirs.get(node.name)
        if other is None or node.name.startswith("gradients/"):
            continue  # gradient subgraphs are built differently (same values)
        assert node.op == other.op, node.name
        if not any(i.lstrip("^").startswith("gradients/") for i in other.input):
            # (an optimizer's update reads TF's gradients/.../tuple/control_dependency)
            data = [[i for i in n.input if not i.startswith("^")] for n in (node, other)]
            control = [sorted(i for i in n.input if i.startswith("^")) for n in (node, other)]
            assert data[0] == data[1] and control[0] == control[1], node.name
        assert _attr_difference(node, other) == [], (node.name, IGNORED_ATTRS)
        compared += 1
    assert compared > 60
