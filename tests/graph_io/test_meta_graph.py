"""tf.train.export_meta_graph / import_meta_graph, Saver's .meta: graph, collections,
variables and a working Saver, from TensorFlow's files and our own."""

from __future__ import annotations

import json
import pathlib

import numpy as np
import pytest

import scopeflow as tf
from tests.data.graph_io import graphs

DATA = pathlib.Path(__file__).resolve().parents[1] / "data" / "graph_io"
VALUES = json.loads((DATA / "values.json").read_text())


def test_tensorflows_meta_graph_and_checkpoint_restore_run_and_train():
    with tf.Graph().as_default() as g:
        saver = tf.train.import_meta_graph(str(DATA / "trainable.meta"))
        assert [v.name for v in tf.trainable_variables()] == ["dense/w:0", "dense/b:0"]
        assert tf.train.get_global_step().name == "global_step:0"
        assert tf.get_collection("my_outputs") == [g.get_tensor_by_name("logits:0")]
        train_op = tf.get_collection("train_op")[0]
        assert train_op.name == "GradientDescent"
        x = g.get_tensor_by_name("x:0")
        with tf.Session() as sess:
            saver.restore(sess, str(DATA / "trainable-ckpt"))
            logits, loss = sess.run(["logits:0", "loss:0"], {x: graphs.FEED})
            np.testing.assert_allclose(logits, VALUES["trainable"]["logits"], rtol=1e-6)
            np.testing.assert_allclose(loss, VALUES["trainable"]["loss"], rtol=1e-6)
            assert sess.run(tf.train.get_global_step()) == VALUES["trainable_step"]
            sess.run(train_op, {x: graphs.FEED})
            assert sess.run(tf.train.get_global_step()) == VALUES["trainable_step"] + 1
            assert sess.run(loss_of(g), {x: graphs.FEED}) < loss


def loss_of(graph):
    return graph.get_tensor_by_name("loss:0")


def _trained(tmp_path):
    with tf.Graph().as_default():
        graphs.build_trainable(tf)
        tf.add_to_collection("words", "hello")
        tf.add_to_collection("numbers", 3)
        tf.add_to_collection("ratios", 0.5)
        saver = tf.train.Saver(max_to_keep=3)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            sess.run(tf.get_collection("train_op")[0], {"x:0": graphs.FEED})
            path = saver.save(sess, str(tmp_path / "model"), global_step=1)
            logits = sess.run("logits:0", {"x:0": graphs.FEED})
    return path, logits


@pytest.mark.parametrize("import_scope", [None, "imported"])
def test_our_meta_graph_round_trips_with_collections_and_saver(tmp_path, import_scope):
    path, logits = _trained(tmp_path)
    prefix = f"{import_scope}/" if import_scope else ""
    with tf.Graph().as_default() as g:
        saver = tf.train.import_meta_graph(path + ".meta", import_scope=import_scope)
        assert saver._max_to_keep == 3
        assert [v.name for v in tf.global_variables()] == [
            f"{prefix}dense/w:0",
            f"{prefix}dense/b:0",
            f"{prefix}global_step:0",
        ]
        assert tf.get_collection("words") == [b"hello"]
        assert tf.get_collection("numbers") == [3] and tf.get_collection("ratios") == [0.5]
        assert not any(op.name.startswith(f"{prefix}save/") for op in g.get_operations())
        with tf.Session() as sess:
            saver.restore(sess, path)
            got = sess.run(f"{prefix}logits:0", {f"{prefix}x:0": graphs.FEED})
            np.testing.assert_allclose(got, logits)
            assert sess.run(f"{prefix}global_step:0") == 1
            again = saver.save(sess, str(tmp_path / "again"))
    assert tf.train.list_variables(again) == tf.train.list_variables(path)


def test_exported_saver_def_names_save_ops_tensorflow_can_run(tmp_path):
    with tf.Graph().as_default():
        tf.Variable([1.0, 2.0], name="v")
        saver = tf.train.Saver(max_to_keep=7)
        meta = saver.export_meta_graph(str(tmp_path / "m.meta"), as_text=True)
    nodes = {n.name: n for n in meta.graph_def.node}
    assert meta.saver_def.max_to_keep == 7 and meta.saver_def.version == 2
    assert nodes["save/SaveV2"].input[3] == "v"
    assert nodes["save/Assign"].input == ["v", "save/RestoreV2"]
    assert list(nodes["save/restore_all"].input) == ["^save/Assign"]
    parsed = tf.train.import_meta_graph  # the text file reads back too
    with tf.Graph().as_default():
        assert parsed(str(tmp_path / "m.meta")) is not None


def test_export_meta_graph_function_with_collection_list_and_clear_devices():
    with tf.Graph().as_default():
        with tf.device("/cpu:0"):
            c = tf.constant(1.0, name="c")
        tf.add_to_collection("keep", c)
        tf.add_to_collection("drop", c)
        meta = tf.train.export_meta_graph(collection_list=["keep"], clear_devices=True)
    assert list(meta.collection_def) == ["keep"]
    assert list(meta.collection_def["keep"].node_list.value) == ["c:0"]
    assert meta.graph_def.node[0].device == ""
    assert not meta.HasField("saver_def")
    with tf.Graph().as_default():
        assert tf.train.import_meta_graph(meta) is None
        assert tf.get_collection("keep")[0].name == "c:0"


def test_export_scope_is_refused_with_what_to_do():
    with tf.Graph().as_default():
        with pytest.raises(NotImplementedError, match="import_scope instead"):
            tf.train.export_meta_graph(export_scope="a")
