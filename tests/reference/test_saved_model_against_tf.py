"""SavedModels scopeflow writes, loaded and run by TensorFlow's own
``tf.saved_model.loader.load``; and SavedModels TensorFlow writes now, loaded by scopeflow.

Runs only when ``SCOPEFLOW_TF_PYTHON`` names a Python interpreter with TensorFlow installed
(``SCOPEFLOW_TF_PYTHON=/path/to/tf-venv/bin/python pytest tests/reference``); TensorFlow runs
in that interpreter, never in this process. The default suite reads SavedModels TensorFlow
wrote earlier (tests/data/saved_model, tests/saved_model).
"""

from __future__ import annotations

import json
import os
import subprocess
import textwrap

import numpy as np
import pytest

import scopeflow as tf
from tests.data.saved_model import make_saved_models as models

TF_PYTHON = os.environ.get("SCOPEFLOW_TF_PYTHON")
DATA = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "data")

pytestmark = pytest.mark.skipif(
    not TF_PYTHON, reason="set SCOPEFLOW_TF_PYTHON to a Python with TensorFlow to compare"
)

PRELUDE = textwrap.dedent(
    f"""
    import json, os, sys
    os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
    sys.path.insert(0, {os.path.join(DATA, "saved_model")!r})
    import numpy as np
    import tensorflow.compat.v1 as tf
    tf.disable_v2_behavior()
    import make_saved_models as models
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


LOAD = """
    from tensorflow.core.protobuf import meta_graph_pb2

    def filename(packed):
        asset = meta_graph_pb2.AssetFileDef()
        packed.Unpack(asset)
        return asset.filename

    out = {}
    for tags, scope in ((["serve"], None), (["train", "gpu"], "s")):
        with tf.Session(graph=tf.Graph()) as sess:
            meta = tf.saved_model.loader.load(sess, tags, sys.argv[1], import_scope=scope)
            p = scope + "/" if scope else ""
            out[tags[0]] = {
                "y": sess.run(p + "y:0", {p + "x:0": models.FEED}).tolist(),
                "signatures": sorted(meta.signature_def),
                "variables": [v.name for v in tf.global_variables()],
                "assets": [filename(a) for a in tf.get_collection("saved_model_assets")],
            }
            if tags == ["serve"]:
                out["counter"] = int(sess.run("counter:0"))
                sig = meta.signature_def["serving_default"]
                out["sig_in"] = sig.inputs["x"].name
    print(json.dumps(out))
"""


@pytest.mark.parametrize("as_text", [False, True])
def test_tensorflow_loads_our_saved_model(tmp_path, as_text):
    vocab = tmp_path / "vocab.txt"
    vocab.write_text(models.VOCAB)
    export_dir = str(tmp_path / "model")
    if as_text:
        with tf.Session(graph=tf.Graph()) as sess:
            x, y, main_op, asset = models.build(tf, str(vocab))
            sess.run(tf.global_variables_initializer())
            sess.run(tf.assign(tf.get_collection("variables")[1], [1.5, -0.25]))
            builder = tf.saved_model.builder.SavedModelBuilder(export_dir)
            sig = tf.saved_model.predict_signature_def({"x": x}, {"y": y})
            builder.add_meta_graph_and_variables(
                sess, ["serve"], {"serving_default": sig}, [asset], main_op=main_op
            )
        with tf.Session(graph=tf.Graph()) as sess:
            models.build(tf, str(vocab))
            builder.add_meta_graph(["train", "gpu"])
        builder.save(as_text=True)
    else:
        models.write(tf, export_dir, str(vocab))
    theirs = _run_tf(LOAD, export_dir)
    expected = json.loads(open(os.path.join(DATA, "saved_model", "values.json")).read())
    np.testing.assert_allclose(theirs["serve"]["y"], expected["tf_multi"], rtol=1e-6)
    np.testing.assert_allclose(theirs["train"]["y"], expected["tf_multi"], rtol=1e-6)
    assert theirs["counter"] == expected["counter"]
    assert theirs["serve"]["signatures"] == ["serving_default"]
    assert theirs["serve"]["variables"] == ["dense/w:0", "dense/b:0"]
    assert theirs["train"]["variables"] == ["s/dense/w:0", "s/dense/b:0"]
    assert theirs["serve"]["assets"] == ["vocab.txt"] and theirs["sig_in"] == "x:0"


def test_tensorflow_loads_our_simple_save_without_variables(tmp_path):
    export_dir = str(tmp_path / "m")
    with tf.Session(graph=tf.Graph()) as sess:
        x = tf.placeholder(tf.float32, [None, 3], name="x")
        tf.saved_model.simple_save(sess, export_dir, {"x": x}, {"y": tf.square(x, name="y")})
    theirs = _run_tf(
        """
        with tf.Session(graph=tf.Graph()) as sess:
            meta = tf.saved_model.loader.load(sess, ["serve"], sys.argv[1])
            sig = meta.signature_def["serving_default"]
            y = sess.run(sig.outputs["y"].name, {sig.inputs["x"].name: models.FEED})
        print(json.dumps({"y": y.tolist(), "valid": tf.saved_model.is_valid_signature(sig)}))
        """,
        export_dir,
    )
    np.testing.assert_allclose(theirs["y"], models.FEED**2)
    assert theirs["valid"]


@pytest.mark.parametrize("as_text", [False, True])
def test_we_load_what_tensorflow_writes_now(tmp_path, as_text):
    export_dir = str(tmp_path / "tf")
    vocab = tmp_path / "vocab.txt"
    vocab.write_text(models.VOCAB)
    theirs = _run_tf(
        """
        with tf.Session(graph=tf.Graph()) as sess:
            x, y, main_op, asset = models.build(tf, sys.argv[2])
            sess.run(tf.global_variables_initializer())
            sess.run(tf.assign(tf.get_collection("variables")[1], [1.5, -0.25]))
            builder = tf.saved_model.builder.SavedModelBuilder(sys.argv[1])
            builder.add_meta_graph_and_variables(
                sess, ["serve"], assets_collection=[asset], main_op=main_op)
            builder.save(as_text=sys.argv[3] == "True")
        with tf.Session(graph=tf.Graph()) as sess:
            tf.saved_model.loader.load(sess, ["serve"], sys.argv[1])
            print(json.dumps({"y": sess.run("y:0", {"x:0": models.FEED}).tolist()}))
        """,
        export_dir,
        str(vocab),
        str(as_text),
    )
    with tf.Session(graph=tf.Graph()) as sess:
        tf.saved_model.loader.load(sess, ["serve"], export_dir)
        ours = sess.run("y:0", {"x:0": models.FEED})
        assert sess.run("counter:0") == 7
    np.testing.assert_allclose(ours, theirs["y"], rtol=1e-6)


def test_tensorflows_errors_are_ours(tmp_path):
    export_dir = str(tmp_path / "m")
    with tf.Session(graph=tf.Graph()) as sess:
        x = tf.placeholder(tf.float32, name="x")
        tf.saved_model.simple_save(sess, export_dir, {"x": x}, {"y": x + 1.0})
    theirs = _run_tf(
        """
        errors = {}
        try:
            with tf.Session(graph=tf.Graph()) as sess:
                tf.saved_model.loader.load(sess, ["train"], sys.argv[1])
        except RuntimeError as e:
            errors["tags"] = str(e)
        try:
            tf.saved_model.builder.SavedModelBuilder(sys.argv[1])
        except AssertionError as e:
            errors["exists"] = str(e)
        print(json.dumps(errors))
        """,
        export_dir,
    )
    with tf.Session(graph=tf.Graph()) as sess:
        with pytest.raises(RuntimeError) as tags:
            tf.saved_model.loader.load(sess, ["train"], export_dir)
    with pytest.raises(AssertionError) as exists:
        tf.saved_model.builder.SavedModelBuilder(export_dir)
    assert str(tags.value).splitlines()[0] == theirs["tags"]
    assert str(exists.value).splitlines()[0] == theirs["exists"]
