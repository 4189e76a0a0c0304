"""Reading checkpoints: ``list_variables``, ``load_variable``, ``load_checkpoint`` on the
checkpoint TensorFlow wrote in ``tests/data``, restoring it with a Saver, ``init_from_checkpoint``
and its ``RestoreV2`` op, and every reader function's errors on bad files."""

from __future__ import annotations

import os
import shutil

import numpy as np
import pytest

import scopeflow as tf
from scopeflow.train.bundle import data_filename, index_filename
from scopeflow.train.checkpoint_ops import restore_v2
from tests.data.checkpoint_values import PREFIX, expected_values
from tests.ops.kernel_table import Case, cases_by_mode, check_case
from tests.train.bundle_helpers import entry, rewrite_index, small_checkpoint

TF_DIR = os.path.join(os.path.dirname(__file__), "..", "data", "tf_checkpoint")
TF_PREFIX = os.path.join(TF_DIR, PREFIX)


@pytest.fixture(scope="module")
def expected():
    pytest.importorskip("ml_dtypes")
    return expected_values()


def _same(got, value):
    assert got.shape == value.shape
    if value.dtype == object:
        assert got.tolist() == value.tolist()
    else:
        assert got.dtype == value.dtype and got.tobytes() == value.tobytes()


# -- the TensorFlow-written checkpoint --------------------------------------------------------


def test_state_file_written_by_tensorflow():
    state = tf.train.get_checkpoint_state(TF_DIR)
    assert state.model_checkpoint_path == TF_PREFIX
    assert list(state.all_model_checkpoint_paths) == [TF_PREFIX]
    assert tf.train.latest_checkpoint(TF_DIR) == TF_PREFIX


RESTORED = {"model/dense/kernel": tf.float32, "model/f64": tf.float64, "model/words": tf.string,
            "global_step": tf.int64, "model/c64": tf.complex64}  # fmt: skip


def _restored_values():
    pytest.importorskip("ml_dtypes")
    return [expected_values()[name][1] for name in RESTORED]


RESTORE_CASE = Case(
    "restore-v2",
    "RestoreV2",
    lambda: restore_v2(TF_PREFIX, list(RESTORED), [""] * len(RESTORED), list(RESTORED.values())),
    (),
    _restored_values,
    modes=("full",),
    exact_static=False,
)


@pytest.mark.parametrize(("case", "mode"), cases_by_mode([RESTORE_CASE]))
def test_restore_op_reads_the_tensorflow_checkpoint(case, mode):
    with tf.Graph().as_default() as graph, tf.Session(graph=graph) as sess:
        check_case(sess.run, case, mode)


def test_list_variables_of_a_directory_and_of_a_prefix(expected):
    listed = [(name, list(value.shape)) for name, (_, value) in sorted(expected.items())]
    assert tf.train.list_variables(TF_DIR) == listed
    assert tf.train.list_variables(TF_PREFIX) == listed


def test_load_variable_strips_the_output_index(expected):
    _same(tf.train.load_variable(TF_DIR, "model/dense/kernel:0"), expected["model/dense/kernel"][1])
    _same(tf.train.load_variable(TF_PREFIX, "model/words"), expected["model/words"][1])


def test_load_checkpoint_reader(expected):
    reader = tf.train.load_checkpoint(TF_DIR)
    assert reader.get_variable_to_dtype_map() == {
        name: tf.as_dtype(dtype) for name, (dtype, _) in expected.items()
    }
    assert reader.get_variable_to_shape_map() == {
        name: list(value.shape) for name, (_, value) in expected.items()
    }
    assert reader.has_tensor("model/f16") and not reader.has_tensor("model/f16:0")
    for name, (_, value) in expected.items():
        _same(reader.get_tensor(name), value)
    lines = reader.debug_string().decode().splitlines()
    assert lines[:3] == [  # as TensorFlow's reader prints them
        "global_step (DT_INT64) []",
        "model/bf16 (DT_BFLOAT16) [4]",
        "model/c128 (DT_COMPLEX128) [2,2]",
    ]
    with pytest.raises(tf.errors.NotFoundError, match="Key model/f61 not found.*'model/f16'"):
        reader.get_tensor("model/f61")


def test_saver_restores_the_tensorflow_checkpoint_exactly(expected):
    with tf.Graph().as_default():
        variables = {}
        with tf.variable_scope("elsewhere"):
            for name, (dtype, value) in expected.items():
                zeros = (
                    np.zeros(value.shape, value.dtype) if dtype != "string" else [b""] * len(value)
                )
                variables[name] = tf.Variable(zeros, dtype=dtype, name=name.replace("/", "_"))
        with tf.Session() as sess:
            tf.train.Saver(variables).restore(sess, tf.train.latest_checkpoint(TF_DIR))
            for name, (_, value) in expected.items():
                _same(sess.run(variables[name]), value)


# -- init_from_checkpoint -------------------------------------------------------------------


@pytest.fixture
def old_checkpoint(tmp_path):
    with tf.Graph().as_default():
        with tf.variable_scope("old"):
            tf.get_variable("w", initializer=np.ones((2, 2), np.float32))
            tf.get_variable("b", initializer=np.arange(2, dtype=np.float32))
            with tf.variable_scope("inner"):
                tf.get_variable("v", initializer=np.array(5, np.int64))
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            tf.train.Saver().save(sess, str(tmp_path / "m"))
    return str(tmp_path)


def _new_variables(scope="new"):
    with tf.variable_scope(scope):
        w = tf.get_variable("w", [2, 2])
        b = tf.get_variable("b", [2])
        with tf.variable_scope("inner"):
            v = tf.get_variable("v", [], dtype=tf.int64, initializer=tf.zeros_initializer())
    return w, b, v


def _initialized(*variables):
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        return sess.run(list(variables))


def test_scope_to_scope_mapping_under_a_different_outer_scope(old_checkpoint):
    with tf.Graph().as_default() as graph:
        with tf.variable_scope("tower"):
            w, b, v = _new_variables()
        before = len(graph.get_operations())
        tf.train.init_from_checkpoint(old_checkpoint, {"old/": "tower/new/"})
        new_ops = [(op.name, op.type) for op in graph.get_operations()[before:]]
        got_w, got_b, got_v = _initialized(w, b, v)
    np.testing.assert_array_equal(got_w, np.ones((2, 2)))
    np.testing.assert_array_equal(got_b, [0, 1])
    assert got_v == 5
    # as TF1: one RestoreV2 op per variable (in sorted name order) and its Assign
    assert new_ops[:5] == [
        ("checkpoint_initializer/prefix", "Const"),
        ("checkpoint_initializer/tensor_names", "Const"),
        ("checkpoint_initializer/shape_and_slices", "Const"),
        ("checkpoint_initializer", "RestoreV2"),
        ("Assign", "Assign"),
    ]
    assert w.initial_value.shape == [2, 2]


def test_one_variable_by_name_and_by_object(old_checkpoint):
    with tf.Graph().as_default():
        w, b, v = _new_variables()
        tf.train.init_from_checkpoint(old_checkpoint, {"old/w": "new/w", "old/b": b})
        got_w, got_b, got_v = _initialized(w, b, v)
    np.testing.assert_array_equal(got_w, np.ones((2, 2)))
    np.testing.assert_array_equal(got_b, [0, 1])
    assert got_v == 0  # untouched: its own initializer


def test_root_mappings(old_checkpoint):
    with tf.Graph().as_default():
        w, b, v = _new_variables("old")
        tf.train.init_from_checkpoint(old_checkpoint, {"/": "/"})
        assert _initialized(v) == [5]
    with tf.Graph().as_default():
        with tf.variable_scope("inner"):
            v = tf.get_variable("v", [], dtype=tf.int64)
        tf.train.init_from_checkpoint(old_checkpoint, {"old/": "/"})
        assert _initialized(v) == [5]


@pytest.mark.parametrize(
    "mapping, match",
    [
        ({"old/zz": "new/w"}, "Tensor old/zz is not found"),
        ({"nope/": "new/"}, r"Tensor nope/b \(b in nope/\) is not found"),
        ({"old/w": "new/b"}, r"Shape of variable new/b:0 .* doesn't match"),
        ({"old/w": "new/zz"}, "is not a variable made by get_variable"),
        ({"old/": "new"}, "both names to end in '/'"),
    ],
)
def test_init_from_checkpoint_errors(old_checkpoint, mapping, match):
    with tf.Graph().as_default():
        _new_variables()
        with pytest.raises(ValueError, match=match):
            tf.train.init_from_checkpoint(old_checkpoint, mapping)


def test_directory_without_checkpoint(tmp_path):
    with pytest.raises(ValueError, match="Couldn't find 'checkpoint' file"):
        tf.train.list_variables(str(tmp_path))


def test_restore_op_errors_when_the_checkpoint_changes(old_checkpoint):
    with tf.Graph().as_default():
        w, _, _ = _new_variables()
        tf.train.init_from_checkpoint(old_checkpoint, {"old/w": w})
        prefix = tf.train.latest_checkpoint(old_checkpoint)
        size = os.path.getsize(data_filename(prefix))
        with open(data_filename(prefix), "r+b") as f:
            f.write(b"\xff" * size)
        with tf.Session() as sess, pytest.raises(tf.errors.DataLossError) as info:
            sess.run(w.initializer)
    assert info.value.op.type == "RestoreV2"


def test_restore_op_reads_several_tensors(old_checkpoint):
    prefix = tf.train.latest_checkpoint(old_checkpoint)
    with tf.Graph().as_default():
        b, v = restore_v2(prefix, ["old/b", "old/inner/v"], ["", ""], [tf.float32, tf.int64])
        wrong = restore_v2(prefix, ["old/b"], [""], [tf.int32])[0]
        with tf.Session() as sess:
            got_b, got_v = sess.run([b, v])
            with pytest.raises(tf.errors.InvalidArgumentError, match="expected dtype int32"):
                sess.run(wrong)
    np.testing.assert_array_equal(got_b, [0, 1])
    assert got_v == 5


# -- every reader function rejects bad files --------------------------------------------------

READERS = {
    "list_variables": lambda p: tf.train.list_variables(p),
    "load_variable": lambda p: tf.train.load_variable(p, "a/w"),
    "load_checkpoint": lambda p: tf.train.load_checkpoint(p).get_tensor("a/w"),
    "init_from_checkpoint": lambda p: _init_from(p),
    "Saver.restore": lambda p: _restore(p),
}


def _init_from(prefix):
    with tf.Graph().as_default():
        with tf.variable_scope("a"):
            tf.get_variable("w", [2, 3])
        tf.train.init_from_checkpoint(prefix, {"a/": "a/"})


def _restore(prefix):
    with tf.Graph().as_default():
        tf.Variable(np.zeros((2, 3), np.float32), name="a/w")
        with tf.Session() as sess:
            tf.train.Saver().restore(sess, prefix)


def _negative_dim(records):
    entry(records, b"a/w").shape.dim[0].size = -2


@pytest.mark.parametrize("reader", sorted(READERS))
@pytest.mark.parametrize("damage", ["lying shape", "truncated index", "data file gone"])
def test_reader_functions_raise_tf_errors(tmp_path, reader, damage):
    prefix = str(tmp_path / "c")
    small_checkpoint(prefix)
    if damage == "lying shape":
        rewrite_index(prefix, _negative_dim)
    elif damage == "truncated index":
        with open(index_filename(prefix), "r+b") as f:
            f.truncate(30)
    else:
        os.remove(data_filename(prefix))
    # TF 2.21: Saver.restore raises DataLossError, or NotFoundError ('<file>; No such file or
    # directory') for a missing data file; its Python checkpoint reader (the other functions)
    # a plain OpError, and a missing data file only when a tensor is read
    if reader == "Saver.restore":
        error = tf.errors.NotFoundError if damage == "data file gone" else tf.errors.DataLossError
    elif damage == "data file gone" and reader in ("list_variables", "init_from_checkpoint"):
        READERS[reader](prefix)
        return
    else:
        error = tf.errors.OpError
    with pytest.raises(error, match=str(tmp_path)) as info:
        READERS[reader](prefix)
    assert type(info.value) is error


def test_checkpoint_directory_copies_keep_working(tmp_path):
    # relative paths in the state file: a copied directory finds its own checkpoints
    copy = shutil.copytree(TF_DIR, tmp_path / "copy")
    assert tf.train.latest_checkpoint(str(copy)) == str(copy / PREFIX)
