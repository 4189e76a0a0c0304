"""``tf.train.Checkpoint`` in graph mode: TensorFlow's object-based files read and written
(``tf_object_checkpoint/`` was written by TF 2.21's ``tf.compat.v1`` with
``tests/data/make_object_checkpoint.py``), numbering, deferred restoration and the status
checks, with TF's messages."""

from __future__ import annotations

import json
import os
import pathlib
import sys

import numpy as np
import pytest

import scopeflow as tf
from scopeflow.train import bundle, trackable

DATA = pathlib.Path(__file__).resolve().parents[1] / "data"
TF_CKPT = str(DATA / "tf_object_checkpoint" / "ckpt-1")
sys.path.insert(0, str(DATA))

from object_checkpoint_model import build  # noqa: E402


def _expected():
    return json.loads((DATA / "tf_object_checkpoint" / "values.json").read_text())


def test_tensorflows_checkpoint_restores_every_object_by_its_path(graph):
    root, _, _, watched = build(tf, tf.keras)
    with tf.Session() as sess:
        status = root.restore(TF_CKPT)
        status.assert_consumed().assert_existing_objects_matched().assert_nontrivial_match()
        status.run_restore_ops(sess)
        values = sess.run(watched)
        counter = sess.run(root.save_counter)
    for name, want in _expected()["values"].items():
        np.testing.assert_allclose(values[name], want, rtol=1e-6, err_msg=name)
    assert counter == 1


def test_saved_checkpoint_has_tensorflows_keys_and_object_graph(graph, tmp_path):
    root, train, updates, _ = build(tf, tf.keras)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(train)
        path = root.save(str(tmp_path / "ckpt"), session=sess)
    assert path == str(tmp_path / "ckpt-1")
    ours = dict(tf.train.list_variables(path))
    assert {k: list(v) for k, v in ours.items()} == _expected()["keys"]
    graph_of = lambda p: bundle.BundleReader(p).read(trackable.GRAPH_KEY)[()]  # noqa: E731
    assert graph_of(path) == graph_of(TF_CKPT)  # byte for byte, node order included


def test_save_numbers_checkpoints_and_names_only_the_latest(graph, tmp_path):
    v = tf.Variable([1.0, 2.0], name="v")
    ckpt = tf.train.Checkpoint(v=v)
    with tf.Session() as sess:
        sess.run(v.initializer)
        first = ckpt.save(str(tmp_path / "ck"))
        second = ckpt.save(str(tmp_path / "ck"))
        written = ckpt.write(str(tmp_path / "w"))
        assert sess.run(ckpt.save_counter) == 2
    assert (first, second, written) == tuple(str(tmp_path / n) for n in ("ck-1", "ck-2", "w"))
    assert ckpt.save_counter.name == "save_counter:0"
    state = (tmp_path / "checkpoint").read_text()
    assert state == 'model_checkpoint_path: "ck-2"\nall_model_checkpoint_paths: "ck-2"\n'
    assert tf.train.load_variable(written, "save_counter/.ATTRIBUTES/VARIABLE_VALUE") == 2


def _saved_v(tmp_path) -> str:
    with tf.Graph().as_default():
        v = tf.Variable([1.0, 2.0], name="v")
        ckpt = tf.train.Checkpoint(v=v)
        with tf.Session() as sess:
            sess.run(v.initializer)
            return ckpt.save(str(tmp_path / "ck"))


def test_variables_created_after_restore_are_restored_when_it_runs(graph, tmp_path):
    path = _saved_v(tmp_path)
    ckpt = tf.train.Checkpoint()
    status = ckpt.restore(path)
    with pytest.raises(AssertionError, match=r"Unresolved object in checkpoint \(root\).v"):
        status.assert_consumed()
    status.assert_existing_objects_matched()
    ckpt.v = tf.Variable([0.0, 0.0], name="v")
    with tf.Session() as sess:
        status.run_restore_ops(sess)
        np.testing.assert_array_equal(sess.run(ckpt.v), [1.0, 2.0])
    status.assert_consumed()


def test_objects_without_a_saved_value_fail_the_checks_and_are_initialized(graph, tmp_path):
    path = _saved_v(tmp_path)
    ckpt = tf.train.Checkpoint(v=tf.Variable([0.0, 0.0]), other=tf.Variable(1.0, name="o"))
    status = ckpt.restore(path)
    for check in (status.assert_consumed, status.assert_existing_objects_matched):
        with pytest.raises(AssertionError, match="Found 1 Python objects that were not bound"):
            check()
    assert status.assert_nontrivial_match() is status
    with tf.Session() as sess:
        status.initialize_or_restore(sess)
        values = sess.run([ckpt.v, ckpt.other, ckpt.save_counter])
    np.testing.assert_array_equal(values[0], [1.0, 2.0])
    assert values[1:] == [1.0, 1]


def test_nothing_matched_and_no_checkpoint(graph, tmp_path):
    path = _saved_v(tmp_path)
    status = tf.train.Checkpoint(w=tf.Module(name="m")).restore(path)
    status.assert_nontrivial_match()  # save_counter matched, as in TF
    fresh = tf.train.Checkpoint(w=tf.Variable(3.0, name="w"))
    empty = fresh.restore(None)
    with pytest.raises(AssertionError, match=r"No checkpoint specified \(save_path=None\)"):
        empty.assert_consumed()
    with pytest.raises(AssertionError, match="no restore ops are available"):
        empty.run_restore_ops()
    with tf.Session() as sess:
        empty.initialize_or_restore(sess)
        assert sess.run([fresh.w, fresh.save_counter]) == [3.0, 0]


def test_a_value_of_another_shape_fails_when_restored(graph, tmp_path):
    path = _saved_v(tmp_path)
    ckpt = tf.train.Checkpoint(v=tf.Variable([0.0, 0.0, 0.0], name="v"))
    status = ckpt.restore(path)
    with (
        tf.Session() as sess,
        pytest.raises(tf.errors.InvalidArgumentError, match=r"lhs shape= \[3\] rhs shape= \[2\]"),
    ):
        status.run_restore_ops(sess)


def test_only_trackable_objects_are_accepted(graph):
    with pytest.raises(ValueError, match="was expecting a trackable object .* got 3"):
        tf.train.Checkpoint(v=3)
    with pytest.raises(NotImplementedError, match="sharding_callback"):
        tf.train.CheckpointOptions(experimental_sharding_callback=object())


def test_a_saver_checkpoint_restores_by_variable_names(graph, tmp_path):
    v = tf.Variable([4.0, 5.0], name="v")
    with tf.Session() as sess:
        sess.run(v.initializer)
        path = tf.train.Saver([v]).save(sess, str(tmp_path / "model.ckpt"))
        sess.run(v.assign([0.0, 0.0]))
        status = tf.train.Checkpoint(v=v).restore(path)
        status.run_restore_ops(sess)
        np.testing.assert_array_equal(sess.run(v), [4.0, 5.0])


def test_options_skip_slots_and_call_back(graph, tmp_path):
    root, train, _, _ = build(tf, tf.keras)
    seen = []
    options = tf.train.CheckpointOptions(
        experimental_skip_slot_variables=True, experimental_write_callbacks=[seen.append]
    )
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        path = root.write(str(tmp_path / "w"), session=sess, options=options)
    keys = [k for k, _ in tf.train.list_variables(path)]
    assert seen == [path] and len(keys) == 11
    assert not [k for k in keys if "OPTIMIZER_SLOT" in k]
    assert not os.path.exists(tmp_path / "checkpoint")


def test_tf_layers_layers_are_saved_by_their_weights_names(graph, tmp_path):
    dense, norm = tf.layers.Dense(2, name="d"), tf.layers.BatchNormalization()
    norm(dense(tf.ones([3, 4])), training=True)
    net = tf.Module(name="m")
    net.layers = [dense, norm]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        path = tf.train.Checkpoint(net=net, dense=dense).save(str(tmp_path / "ck"), session=sess)
    assert [name for name, _ in tf.train.list_variables(path)] == [  # TF 2.21's keys
        "_CHECKPOINTABLE_OBJECT_GRAPH",
        "dense/bias/.ATTRIBUTES/VARIABLE_VALUE",
        "dense/kernel/.ATTRIBUTES/VARIABLE_VALUE",
        "net/layers/1/beta/.ATTRIBUTES/VARIABLE_VALUE",
        "net/layers/1/gamma/.ATTRIBUTES/VARIABLE_VALUE",
        "net/layers/1/moving_mean/.ATTRIBUTES/VARIABLE_VALUE",
        "net/layers/1/moving_variance/.ATTRIBUTES/VARIABLE_VALUE",
        "save_counter/.ATTRIBUTES/VARIABLE_VALUE",
    ]


def test_a_compiled_keras_model_and_its_optimizer(graph, tmp_path):
    keras = tf.keras
    model = keras.Sequential([keras.layers.Dense(2, input_shape=(3,)), keras.layers.Dense(1)])
    model.compile("adam", "mse")
    model.fit(np.ones((4, 3), np.float32), np.ones((4, 1), np.float32), verbose=0)
    ckpt = tf.train.Checkpoint(model=model, opt=model.optimizer)
    path = ckpt.save(str(tmp_path / "ck"), session=keras.backend.get_session())
    slots = [
        f"model/layer_with_weights-{i}/{w}/.OPTIMIZER_SLOT/opt/{s}/.ATTRIBUTES/VARIABLE_VALUE"
        for i in (0, 1)
        for w in ("bias", "kernel")
        for s in ("m", "v")
    ]
    weights = [
        f"model/layer_with_weights-{i}/{w}/.ATTRIBUTES/VARIABLE_VALUE"
        for i in (0, 1)
        for w in ("bias", "kernel")
    ]
    hypers = ["beta_1", "beta_2", "decay", "iter", "learning_rate"]
    assert sorted(name for name, _ in tf.train.list_variables(path)) == sorted(  # TF 2.21's
        [
            "_CHECKPOINTABLE_OBJECT_GRAPH",
            *slots,
            *weights,
            *(f"opt/{h}/.ATTRIBUTES/VARIABLE_VALUE" for h in hypers),
            "save_counter/.ATTRIBUTES/VARIABLE_VALUE",
        ]
    )
    assert (
        len(trackable.parse_object_graph(bundle.BundleReader(path).read(trackable.GRAPH_KEY)[()]))
        == 23
    )


def test_a_saver_restores_an_object_based_checkpoint_by_the_saved_names(graph):
    _, _, _, watched = build(tf, tf.keras)
    with tf.Session() as sess:
        tf.train.Saver().restore(sess, TF_CKPT)  # TF's Saver does the same
        values = sess.run(watched)
        extra = tf.Variable(0.0, name="notthere")
        with pytest.raises(
            tf.errors.NotFoundError, match="Existing variables not in the checkpoint: notthere"
        ):
            tf.train.Saver([extra, watched["extra"]]).restore(sess, TF_CKPT)
    for name, want in _expected()["values"].items():
        np.testing.assert_allclose(values[name], want, rtol=1e-6, err_msg=name)
