"""Writes the SavedModels tests/saved_model reads, with TensorFlow itself.

Run with a Python that has TensorFlow (``/path/to/tf-venv/bin/python
tests/data/saved_model/make_saved_models.py``); it rewrites ``tf_serving/``, ``tf_multi/``
and ``values.json`` beside this file. ``build`` is also what the reference tests build with
scopeflow, so both sides make the same graph.
"""

from __future__ import annotations

import json
import os
import pathlib
import shutil

import numpy as np

HERE = pathlib.Path(__file__).resolve().parent
FEED = np.array([[1.0, -2.0, 0.5], [0.0, 3.0, -1.0]], np.float32)
VOCAB = "apple\nbanana\n"


def build(tf, vocab_path: str):
    """A small serving graph: placeholders, two variables, a local counter that the main op
    sets, and an asset (a vocabulary file path). Returns (x, y, main_op, asset)."""
    x = tf.placeholder(tf.float32, [None, 3], name="x")
    w = tf.get_variable("dense/w", initializer=np.arange(6, dtype=np.float32).reshape(3, 2))
    b = tf.get_variable("dense/b", initializer=np.array([0.5, -1.0], np.float32))
    y = tf.nn.relu(tf.matmul(x, w) + b, name="y")
    counter = tf.get_variable("counter", initializer=0, collections=[tf.GraphKeys.LOCAL_VARIABLES])
    asset = tf.constant(vocab_path, name="vocab_path")
    tf.add_to_collection(tf.GraphKeys.ASSET_FILEPATHS, asset)
    with tf.control_dependencies([tf.local_variables_initializer()]):
        main_op = tf.group(tf.assign_add(counter, 7), name="main_op")
    return x, y, main_op, asset


def write(tf, export_dir: str, vocab_path: str) -> None:
    """The two-MetaGraphDef SavedModel: ``serve`` (predict signature, asset, main op, default
    attrs stripped) and ``train``+``gpu`` (no signature)."""
    with tf.Session(graph=tf.Graph()) as sess:
        x, y, main_op, asset = build(tf, vocab_path)
        sess.run(tf.global_variables_initializer())
        sess.run(tf.assign(tf.get_collection("variables")[1], [1.5, -0.25]))
        builder = tf.saved_model.builder.SavedModelBuilder(export_dir)
        signature = tf.saved_model.signature_def_utils.predict_signature_def({"x": x}, {"y": y})
        builder.add_meta_graph_and_variables(
            sess,
            [tf.saved_model.tag_constants.SERVING],
            signature_def_map={"serving_default": signature},
            assets_collection=[asset],
            main_op=main_op,
            strip_default_attrs=True,
        )
    with tf.Session(graph=tf.Graph()) as sess:
        build(tf, vocab_path)
        builder.add_meta_graph([tf.saved_model.tag_constants.TRAINING, "gpu"])
    builder.save()


def main() -> None:
    os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
    import tensorflow.compat.v1 as tf

    tf.disable_v2_behavior()
    vocab = HERE / "vocab.txt"
    vocab.write_text(VOCAB)
    values = {}
    for name in ("tf_multi", "tf_simple"):
        shutil.rmtree(HERE / name, ignore_errors=True)
    write(tf, str(HERE / "tf_multi"), str(vocab))
    with tf.Session(graph=tf.Graph()) as sess:
        x = tf.placeholder(tf.float32, [None, 3], name="x")
        v = tf.Variable([[2.0], [1.0], [-1.0]], name="v")
        scores = tf.matmul(x, v, name="scores")
        sess.run(tf.global_variables_initializer())
        tf.saved_model.simple_save(sess, str(HERE / "tf_simple"), {"x": x}, {"scores": scores})
    vocab.unlink()
    for name, tags in (("tf_multi", ["serve"]), ("tf_simple", ["serve"])):
        with tf.Session(graph=tf.Graph()) as sess:
            meta = tf.saved_model.loader.load(sess, tags, str(HERE / name))
            sig = meta.signature_def["serving_default"]
            out = next(iter(sig.outputs.values())).name
            values[name] = sess.run(out, {sig.inputs["x"].name: FEED}).tolist()
            if name == "tf_multi":
                values["counter"] = int(sess.run("counter:0"))
    (HERE / "values.json").write_text(json.dumps(values, indent=1) + "\n")


if __name__ == "__main__":
    main()
