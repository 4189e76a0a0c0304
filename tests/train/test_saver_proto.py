"""``Saver.to_proto(export_scope)`` and ``Saver.from_proto(saver_def, import_scope)``: the
``SaverDef`` texts and restored values below are TF 2.21's (tf.compat.v1) for the same graphs."""

from __future__ import annotations

import inspect

import numpy as np
import pytest

import scopeflow as tf

SAVER_DEF = (
    'filename_tensor_name: "save/Const:0"\nsave_tensor_name: "save/control_dependency:0"\n'
    'restore_op_name: "save/restore_all"\nmax_to_keep: 3\n'
    "keep_checkpoint_every_n_hours: 10000\nversion: V2\n"
)


def _saved(tmp_path):
    with tf.variable_scope("net"):
        w = tf.get_variable("w", initializer=[1.0, 2.0])
    saver = tf.train.Saver(max_to_keep=3)
    with tf.Session() as sess:
        sess.run(w.initializer)
        path = saver.save(sess, str(tmp_path / "m"))
    return w, saver, path


def test_signatures_are_tfs():
    assert str(inspect.signature(tf.train.Saver.to_proto)) == "(self, export_scope=None)"
    assert str(inspect.signature(tf.train.Saver.from_proto)) == "(saver_def, import_scope=None)"


def test_to_proto_and_export_scope(graph, tmp_path):
    _, saver, _ = _saved(tmp_path)
    assert str(saver.to_proto()) == SAVER_DEF
    assert str(saver.to_proto(export_scope="save")) == SAVER_DEF.replace("save/", "")
    assert saver.to_proto(export_scope="other") is None


def test_from_proto_restores_in_the_same_graph(graph, tmp_path):
    w, saver, path = _saved(tmp_path)
    restorer = tf.train.Saver.from_proto(saver.to_proto())
    assert type(restorer) is tf.train.Saver
    assert (restorer.saver_def.max_to_keep, restorer.last_checkpoints) == (3, [])
    with tf.Session() as sess:
        restorer.restore(sess, path)
        np.testing.assert_array_equal(sess.run(w), [1.0, 2.0])


def test_from_proto_under_an_import_scope(tmp_path):
    with tf.Graph().as_default():
        _, saver, path = _saved(tmp_path)
        meta, saver_def = tf.train.export_meta_graph(), saver.to_proto()
    with tf.Graph().as_default():
        tf.train.import_meta_graph(meta, import_scope="imp")
        restorer = tf.train.Saver.from_proto(saver_def, import_scope="imp")
        assert str(restorer.saver_def) == SAVER_DEF.replace('"save/', '"imp/save/')
        with tf.Session() as sess:
            restorer.restore(sess, path)
            np.testing.assert_array_equal(sess.run("imp/net/w:0"), [1.0, 2.0])
            again = restorer.save(sess, str(tmp_path / "m2"))
        assert tf.train.list_variables(again) == [("net/w", [2])]


def test_from_proto_without_variable_objects_says_what_to_use(tmp_path):
    with tf.Graph().as_default():
        _, saver, _ = _saved(tmp_path)
        meta, saver_def = tf.train.export_meta_graph(), saver.to_proto()
    with tf.Graph().as_default():
        tf.import_graph_def(meta.graph_def, name="imp")  # ops only: TF's Saver runs them
        with pytest.raises(NotImplementedError, match="tf.train.import_meta_graph"):
            tf.train.Saver.from_proto(saver_def, import_scope="imp")
