"""Tests for partitioned variables in checkpoints (scopeflow/train/saveables.py, bundle.py,
slices.py): a partitioned variable is one entry under its full name, saved in slices as TF
saves it. ``tests/data/tf_partitioned_checkpoint/`` was written by TensorFlow's own Saver
(``tests/data/make_partitioned_checkpoint.py``) from the model of
``tests/data/partitioned_model.py``; scopeflow's checkpoint of that model must be the same
bytes, and either checkpoint restores into any partitioning.
"""

from __future__ import annotations

import os
import sys

import numpy as np
import pytest

import scopeflow as tf
from scopeflow.train.checkpoint_ops import restore_v2
from scopeflow.train.slices import slice_key

DATA = os.path.join(os.path.dirname(__file__), "..", "data")
TF_CKPT = os.path.join(DATA, "tf_partitioned_checkpoint", "model.ckpt")
sys.path.insert(0, DATA)
from partitioned_model import SHAPES, build, value  # noqa: E402


def _saved_model(path: str) -> str:
    build(tf)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(tf.get_collection("assigns"))
        return tf.train.Saver().save(sess, path, write_meta_graph=False, write_state=False)


def test_scopeflows_checkpoint_is_tensorflows_byte_for_byte(graph, tmp_path):
    path = _saved_model(str(tmp_path / "model.ckpt"))
    for suffix in (".index", ".data-00000-of-00001"):
        with open(path + suffix, "rb") as mine, open(TF_CKPT + suffix, "rb") as tfs:
            assert mine.read() == tfs.read(), suffix


def test_a_partitioned_variable_is_one_entry_under_its_full_name():
    assert tf.train.list_variables(TF_CKPT) == [
        ("big", [150, 2]),
        ("cols", [3, 130]),
        ("emb", [10, 4]),
        ("plain", [2, 3]),
    ]
    reader = tf.train.load_checkpoint(TF_CKPT)
    for name in SHAPES:
        np.testing.assert_array_equal(reader.get_tensor(name), value(name))


@pytest.mark.parametrize("parts", [None, 1, 2, 7])
def test_tensorflows_checkpoint_restores_into_any_partitioning(graph, parts):
    made = {}
    for name, (shape, dtype, _, axis) in SHAPES.items():
        partitioner = tf.fixed_size_partitioner(parts, axis) if parts else None
        made[name] = tf.get_variable(name, shape, dtype=dtype, partitioner=partitioner)
    with tf.Session() as sess:
        tf.train.Saver().restore(sess, TF_CKPT)
        for name, var in made.items():
            got = sess.run(var.as_tensor() if parts else var)
            np.testing.assert_array_equal(got, value(name))


def test_slots_are_saved_under_the_full_name_and_restore_unpartitioned(graph, tmp_path):
    w = tf.get_variable("w", [10, 4], initializer=tf.ones_initializer(),
                        partitioner=tf.fixed_size_partitioner(3))  # fmt: skip
    step = tf.train.AdamOptimizer(0.1).minimize(tf.reduce_sum(tf.square(w.as_tensor())))
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(step)
        graph = tf.get_default_graph()
        slots = [graph.get_tensor_by_name(f"w/part_{i}/Adam:0") for i in range(3)]
        slot = np.concatenate(sess.run(slots))
        path = tf.train.Saver().save(sess, str(tmp_path / "m"), write_meta_graph=False)
    names = [name for name, _ in tf.train.list_variables(path)]
    assert names == ["beta1_power", "beta2_power", "w", "w/Adam", "w/Adam_1"]
    with tf.Graph().as_default():
        m = tf.get_variable("w/Adam", [10, 4])
        with tf.Session() as sess:
            tf.train.Saver([m]).restore(sess, path)
            np.testing.assert_allclose(sess.run(m), slot)


def test_unpartitioned_checkpoints_restore_into_parts(graph, tmp_path):
    whole = np.arange(12.0, dtype=np.float32).reshape(6, 2)
    with tf.Graph().as_default():
        v = tf.get_variable("v", initializer=whole)
        with tf.Session() as sess:
            sess.run(v.initializer)
            path = tf.train.Saver().save(sess, str(tmp_path / "m"), write_meta_graph=False)
    v = tf.get_variable("v", [6, 2], partitioner=tf.fixed_size_partitioner(4))
    with tf.Session() as sess:
        tf.train.Saver({"v": v}).restore(sess, path)
        np.testing.assert_array_equal(sess.run(v.as_tensor()), whole)
        np.testing.assert_array_equal(sess.run(list(v)[3]), whole[5:])


def test_a_different_full_shape_is_refused_naming_both(graph):
    tf.get_variable("emb", [12, 4], partitioner=tf.fixed_size_partitioner(3))
    with tf.Session() as sess:
        saver = tf.train.Saver()
        with pytest.raises(tf.errors.InvalidArgumentError, match=r"lhs shape= \[12,4\] rhs"):
            saver.restore(sess, TF_CKPT)


def test_npz_saves_the_whole_value(graph, tmp_path):
    w = tf.get_variable("w", initializer=tf.constant(np.arange(8.0).reshape(4, 2)),
                        partitioner=tf.fixed_size_partitioner(2))  # fmt: skip
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        tf.train.save_npz(sess, str(tmp_path / "w.npz"))
        sess.run(w.assign(np.zeros([4, 2])))
        tf.train.load_npz(sess, str(tmp_path / "w.npz"))
        np.testing.assert_array_equal(sess.run(w.as_tensor()), np.arange(8.0).reshape(4, 2))
    np.testing.assert_array_equal(np.load(tmp_path / "w.npz")["w"], np.arange(8.0).reshape(4, 2))


def test_two_partitioned_variables_of_one_name_are_refused(graph):
    w = tf.get_variable("w", [4, 2], partitioner=tf.fixed_size_partitioner(2))
    with pytest.raises(ValueError, match="At least two variables have the same name: w"):
        tf.train.Saver([w, w])


@pytest.mark.parametrize(
    "value, encoded",
    [(0, "80"), (4, "84"), (-1, "7f"), (63, "bf"), (64, "c040"), (-65, "3fbf"),
     (1000, "c3e8"), (70000, "e11170"), (1 << 40, "fd0000000000")],
)  # fmt: skip
def test_slice_keys_encode_numbers_as_tensorflows_ordered_code(value, encoded):
    assert (
        slice_key("a", [(value, 1)]) == b"\x00a\x00\x01\x01\x01" + bytes.fromhex(encoded) + b"\x81"
    )


def test_meta_graphs_carry_the_slices_and_import_as_tf1(graph, tmp_path):
    """The save ops and VariableDefs TF 2.21 exports for this model (checked while writing
    this test; TensorFlow imports scopeflow's .meta and restores the checkpoint with it)."""
    tf.get_variable("w", initializer=tf.constant(np.arange(10.0).reshape(5, 2), tf.float32),
                    partitioner=tf.fixed_size_partitioner(2))  # fmt: skip
    tf.get_variable("b", initializer=[1.0, 2.0, 3.0])
    saver = tf.train.Saver()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        path = saver.save(sess, str(tmp_path / "m"))
    meta = saver.export_meta_graph()
    nodes = {n.name: n for n in meta.graph_def.node}
    assert list(nodes["save/SaveV2"].input) == [
        "save/Const", "save/SaveV2/tensor_names", "save/SaveV2/shape_and_slices",
        "b", "w/part_0/read", "w/part_1/read",
    ]  # fmt: skip
    assert [n.input[0] for name, n in nodes.items() if name.startswith("save/Assign")] == [
        "b", "w/part_0", "w/part_1"
    ]  # fmt: skip
    with tf.Graph().as_default():
        restorer = tf.train.import_meta_graph(path + ".meta")
        parts = tf.global_variables()[:2]
        assert [v._get_save_slice_info().spec for v in parts] == ["5 2 0,3:0,2", "5 2 3,2:0,2"]
        with tf.Session() as sess:
            restorer.restore(sess, path)
            np.testing.assert_array_equal(sess.run(parts[1]), [[6.0, 7.0], [8.0, 9.0]])


def test_init_from_checkpoint_fills_parts_from_their_slices(graph):
    """TF 2.21 builds the same ``checkpoint_initializer`` ops (one per part) and gives the
    same values (checked while writing this test)."""
    with tf.variable_scope("new", partitioner=tf.fixed_size_partitioner(4)):
        emb = tf.get_variable("emb", [10, 4])
        big = tf.get_variable("big", [150, 2], dtype=tf.float64)
    cols = tf.get_variable("c", [3, 130], dtype=tf.int64,
                           partitioner=tf.fixed_size_partitioner(5, axis=1))  # fmt: skip
    tf.get_variable("plain", [2, 3])
    tf.train.init_from_checkpoint(TF_CKPT, {"/": "new/", "cols": list(cols), "plain": "plain"})
    restores = [op for op in graph.get_operations() if op.type == "RestoreV2"]
    assert len(restores) == 4 + 4 + 5 + 1
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for var, name in ((emb, "emb"), (big, "big"), (cols, "cols")):
            np.testing.assert_array_equal(sess.run(var.as_tensor()), value(name))


def test_restore_v2_reads_a_slice_and_checks_the_full_shape(graph):
    (part,) = restore_v2(TF_CKPT, ["emb"], ["10 4 4,3:0,4"], [tf.float32])
    (wrong,) = restore_v2(TF_CKPT, ["emb"], ["12 4 4,3:0,4"], [tf.float32])
    with tf.Session() as sess:
        np.testing.assert_array_equal(sess.run(part), value("emb")[4:7])
        with pytest.raises(tf.errors.InvalidArgumentError, match="does not match the shape"):
            sess.run(wrong)


def test_moving_averages_of_parts_are_saved_as_slices_of_one_average(graph, tmp_path):
    w = tf.get_variable("w", [5, 2], initializer=tf.ones_initializer(),
                        partitioner=tf.fixed_size_partitioner(2))  # fmt: skip
    tf.get_variable_scope().set_partitioner(tf.fixed_size_partitioner(3))  # not for shadows
    update = tf.train.ExponentialMovingAverage(0.5).apply(list(w))
    shadows = [v for v in tf.global_variables() if "ExponentialMovingAverage" in v.name]
    assert [(v.name, v.shape.as_list(), v._get_save_slice_info().spec) for v in shadows] == [
        ("w/part_0/ExponentialMovingAverage:0", [3, 2], "5 2 0,3:0,2"),
        ("w/part_1/ExponentialMovingAverage:0", [2, 2], "5 2 3,2:0,2"),
    ]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(update)
        path = tf.train.Saver().save(sess, str(tmp_path / "m"), write_meta_graph=False)
    assert tf.train.list_variables(path) == [
        ("w", [5, 2]),
        ("w/ExponentialMovingAverage", [5, 2]),
    ]
