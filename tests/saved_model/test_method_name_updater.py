"""Tests for scopeflow/saved_model/method_name_updater.py
(``tf.saved_model.signature_def_utils.MethodNameUpdater``): the SavedModel written, its errors
(TF 2.21's wording; TF 2.21's updater wrote the same bytes from a scopeflow SavedModel)."""

from __future__ import annotations

import pytest

import scopeflow as tf
from scopeflow.saved_model.loader import parse_saved_model


def _export(path, as_text=False):
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [None, 2], name="x")
        y = tf.matmul(x, tf.Variable([[1.0], [2.0]], name="w"), name="y")
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            builder = tf.saved_model.Builder(str(path))
            signature = tf.saved_model.predict_signature_def({"x": x}, {"y": y})
            builder.add_meta_graph_and_variables(
                sess, ["serve"], signature_def_map={"serving_default": signature}
            )
            builder.save(as_text=as_text)


@pytest.mark.parametrize("as_text", [False, True])
def test_method_name_replaced_and_the_rest_kept(tmp_path, as_text):
    _export(tmp_path / "a", as_text)
    (tmp_path / "b").mkdir()
    updater = tf.saved_model.signature_def_utils.MethodNameUpdater(str(tmp_path / "a"))
    updater.replace_method_name("serving_default", "tensorflow/serving/regress", tags="serve")
    updater.save(str(tmp_path / "b"))
    written = sorted(p.name for p in (tmp_path / "b").iterdir())
    assert written == ["saved_model.pbtxt" if as_text else "saved_model.pb"]
    expected = parse_saved_model(str(tmp_path / "a"))
    signature = expected.meta_graphs[0].signature_def["serving_default"]
    signature.method_name = "tensorflow/serving/regress"
    assert parse_saved_model(str(tmp_path / "b")) == expected


def test_errors_are_tfs(tmp_path):
    _export(tmp_path / "a")
    updater = tf.saved_model.signature_def_utils.MethodNameUpdater(str(tmp_path / "a"))
    for call, message in [
        (lambda: updater.replace_method_name("nope", "m"),
         "MetaGraphDef associated with tags None does not have a signature_def with key: 'nope'"),
        (lambda: updater.replace_method_name("serving_default", "m", tags=["train"]),
         r"MetaGraphDef associated with tags \['train'\] could not be found in SavedModel"),
        (lambda: updater.replace_method_name("", "m"), "`signature_key` must be defined."),
        (lambda: updater.replace_method_name("k", ""), "`method_name` must be defined."),
    ]:  # fmt: skip
        with pytest.raises(ValueError, match=message):
            call()
    with pytest.raises(tf.errors.NotFoundError, match="No such file or directory"):
        updater.save(str(tmp_path / "missing"))
    with pytest.raises(OSError, match="SavedModel file does not exist"):
        tf.saved_model.signature_def_utils.MethodNameUpdater(str(tmp_path / "none"))
