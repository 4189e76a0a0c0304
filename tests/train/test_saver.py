"""``tf.train.Saver``: round trips, names, the ``checkpoint`` state file, keeping and deleting
checkpoints, restoring under another scope, and errors that leave variables untouched."""

from __future__ import annotations

import os

import numpy as np
import pytest

import scopeflow as tf
from scopeflow.train import saver as saver_module

VALUES = {
    "f16": np.array([0.5, -1.0], np.float16),
    "f32": np.arange(6, dtype=np.float32).reshape(2, 3),
    "f64": np.array(3.25),
    "i8": np.array([-128, 127], np.int8),
    "i16": np.array([-3], np.int16),
    "i32": np.array([[1, 2]], np.int32),
    "i64": np.array([2**40], np.int64),
    "u8": np.array([255], np.uint8),
    "u16": np.array([65535], np.uint16),
    "u32": np.array([2**32 - 1], np.uint32),
    "u64": np.array([2**64 - 1], np.uint64),
    "b": np.array([True, False]),
    "c64": np.array([1 - 1j], np.complex64),
    "c128": np.array([[2j]], np.complex128),
    "empty": np.zeros((0, 2), np.float32),
    "s": np.array([b"ab", b"", b"\x00\xff"], dtype=object),
}


def _variables(values, scope="model"):
    with tf.variable_scope(scope):
        return {
            name: tf.Variable(value if value.dtype != object else value.tolist(), name=name)
            for name, value in values.items()
        }


def _zeroed(values):
    return {
        name: np.zeros_like(value) if value.dtype != object else np.full_like(value, b"?")
        for name, value in values.items()
    }


def _assert_values(sess, variables, values):
    got = sess.run(variables)
    for name, value in values.items():
        assert got[name].dtype == value.dtype, name
        assert got[name].tolist() == value.tolist(), name


def test_round_trip_of_every_dtype(tmp_path):
    with tf.Graph().as_default():
        variables = _variables(VALUES)
        saver = tf.train.Saver()
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            path = saver.save(sess, str(tmp_path / "model"))
        with tf.Session() as sess:
            saver.restore(sess, path)
            _assert_values(sess, variables, VALUES)
    assert dict(tf.train.list_variables(path)) == {
        f"model/{name}": list(value.shape) for name, value in VALUES.items()
    }


def test_bfloat16_round_trip(tmp_path):
    ml_dtypes = pytest.importorskip("ml_dtypes")
    value = np.array([1.5, -2.0], ml_dtypes.bfloat16)
    with tf.Graph().as_default():
        v = tf.Variable(value, name="bf")
        saver = tf.train.Saver()
        with tf.Session() as sess:
            sess.run(v.initializer)
            saver.restore(sess, saver.save(sess, str(tmp_path / "m")))
            assert sess.run(v).tobytes() == value.tobytes()


def test_restore_under_a_different_outer_scope_with_a_name_dict(tmp_path):
    with tf.Graph().as_default():
        _variables(VALUES, scope="model")
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            path = tf.train.Saver().save(sess, str(tmp_path / "ckpt"))
    with tf.Graph().as_default():
        with tf.variable_scope("tower_0"):
            variables = _variables(_zeroed(VALUES), scope="model")
        mapping = {f"model/{name}": v for name, v in variables.items()}
        with tf.Session() as sess:
            tf.train.Saver(mapping).restore(sess, path)
            _assert_values(sess, variables, VALUES)


def test_save_returns_the_prefix_with_the_global_step(tmp_path):
    with tf.Graph().as_default():
        v = tf.get_variable("v", initializer=1.0)
        step = tf.Variable(5, dtype=tf.int64, name="global_step")
        saver = tf.train.Saver()
        padded = tf.train.Saver(pad_step_number=True)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            base = str(tmp_path / "m")
            assert saver.save(sess, base, global_step=3) == base + "-3"
            assert saver.save(sess, base, global_step=np.int64(4)) == base + "-4"
            assert saver.save(sess, base, global_step=step) == base + "-5"
            assert saver.save(sess, base, global_step=tf.constant(9)) == base + "-9"
            assert padded.save(sess, base, global_step=12) == base + "-00000012"
            assert saver.save(sess, base) == base
    assert v.op.name == "v"


def test_max_to_keep_deletes_old_checkpoints_and_records_the_rest(tmp_path):
    with tf.Graph().as_default():
        tf.get_variable("v", initializer=1.0)
        saver = tf.train.Saver(max_to_keep=2)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            paths = [saver.save(sess, str(tmp_path / "m"), global_step=i) for i in range(4)]
    assert saver.last_checkpoints == paths[2:]
    assert sorted(os.listdir(tmp_path)) == [
        "checkpoint",
        "m-2.data-00000-of-00001",
        "m-2.index",
        "m-2.meta",
        "m-3.data-00000-of-00001",
        "m-3.index",
        "m-3.meta",
    ]
    state = tf.train.get_checkpoint_state(str(tmp_path))
    assert state.model_checkpoint_path == paths[3]
    assert list(state.all_model_checkpoint_paths) == paths[2:]
    assert tf.train.latest_checkpoint(str(tmp_path)) == paths[3]


@pytest.mark.parametrize("max_to_keep", [0, None])
def test_max_to_keep_zero_keeps_every_file_but_records_only_the_last(tmp_path, max_to_keep):
    with tf.Graph().as_default():
        tf.get_variable("v", initializer=1.0)
        saver = tf.train.Saver(max_to_keep=max_to_keep)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            for i in range(3):
                saver.save(sess, str(tmp_path / "m"), global_step=i)
    assert saver.last_checkpoints == []
    assert len([f for f in os.listdir(tmp_path) if f.endswith(".index")]) == 3
    state = tf.train.get_checkpoint_state(str(tmp_path))
    assert state.model_checkpoint_path == str(tmp_path / "m-2")
    assert list(state.all_model_checkpoint_paths) == [str(tmp_path / "m-2")]


def test_keep_checkpoint_every_n_hours_keeps_one_per_period(tmp_path, monkeypatch):
    clock = [1000.0]
    monkeypatch.setattr(saver_module.time, "time", lambda: clock[0])
    with tf.Graph().as_default():
        tf.get_variable("v", initializer=1.0)
        saver = tf.train.Saver(max_to_keep=1, keep_checkpoint_every_n_hours=1)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            for i in range(6):  # one save every 40 minutes
                saver.save(sess, str(tmp_path / "m"), global_step=i)
                clock[0] += 2400
    kept = sorted(f[: -len(".index")] for f in os.listdir(tmp_path) if f.endswith(".index"))
    # m-2 (saved at 1h20) and m-4 (2h40) passed the 1h and 2h marks; m-5 is the newest
    assert kept == ["m-2", "m-4", "m-5"]


def test_state_file_paths_as_tensorflow_writes_them(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with tf.Graph().as_default():
        tf.get_variable("v", initializer=1.0)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            tf.train.Saver().save(sess, "run/model", global_step=1)
            tf.train.Saver().save(sess, "model")
            absolute = str(tmp_path / "abs" / "m")
            tf.train.Saver().save(sess, absolute, global_step=2)
            tf.train.Saver(save_relative_paths=True).save(sess, str(tmp_path / "rel" / "m"))
    assert (tmp_path / "run" / "checkpoint").read_text() == (
        'model_checkpoint_path: "model-1"\nall_model_checkpoint_paths: "model-1"\n'
    )
    assert (tmp_path / "checkpoint").read_text() == (
        'model_checkpoint_path: "model"\nall_model_checkpoint_paths: "model"\n'
    )
    assert (tmp_path / "abs" / "checkpoint").read_text() == (
        f'model_checkpoint_path: "{absolute}-2"\nall_model_checkpoint_paths: "{absolute}-2"\n'
    )
    assert (tmp_path / "rel" / "checkpoint").read_text() == (
        'model_checkpoint_path: "m"\nall_model_checkpoint_paths: "m"\n'
    )
    assert tf.train.latest_checkpoint("run") == os.path.join("run", "model-1")
    assert tf.train.latest_checkpoint(str(tmp_path / "rel")) == str(tmp_path / "rel" / "m")


def test_latest_filename_and_write_state(tmp_path):
    with tf.Graph().as_default():
        tf.get_variable("v", initializer=1.0)
        saver = tf.train.Saver()
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            saver.save(sess, str(tmp_path / "a"), latest_filename="mine")
            saver.save(sess, str(tmp_path / "b"), write_state=False)
            with pytest.raises(ValueError, match="must not contain path components"):
                saver.save(sess, str(tmp_path / "c"), latest_filename="x/y")
            with pytest.raises(ValueError, match="collides with 'save_path'"):
                saver.save(sess, str(tmp_path / "checkpoint"))
    assert sorted(os.listdir(tmp_path)) == [
        "a.data-00000-of-00001",
        "a.index",
        "a.meta",
        "b.data-00000-of-00001",
        "b.index",
        "b.meta",
        "mine",
    ]
    assert tf.train.latest_checkpoint(str(tmp_path), "mine") == str(tmp_path / "a")
    assert tf.train.latest_checkpoint(str(tmp_path)) is None


def test_save_makes_the_checkpoints_folder_but_not_the_folders_above_as_tf(tmp_path):
    with tf.Graph().as_default():
        tf.get_variable("v", initializer=1.0)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            path = tf.train.Saver().save(sess, str(tmp_path / "a" / "m"))  # TF 2.21 makes a/
            assert tf.train.checkpoint_exists(path)
            deeper = str(tmp_path / "b" / "c" / "m")
            with pytest.raises(ValueError, match="Parent directory of .*/b/c/m doesn't exist"):
                tf.train.Saver().save(sess, deeper)  # TF 2.21's ValueError, nothing made
    assert not (tmp_path / "b").exists()


def test_recover_last_checkpoints_after_a_restart(tmp_path):
    with tf.Graph().as_default():
        tf.get_variable("v", initializer=1.0)
        saver = tf.train.Saver(max_to_keep=2)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            for i in range(2):
                saver.save(sess, str(tmp_path / "m"), global_step=i)
            state = tf.train.get_checkpoint_state(str(tmp_path))
            again = tf.train.Saver(max_to_keep=2)
            again.recover_last_checkpoints(
                list(state.all_model_checkpoint_paths) + [str(tmp_path / "gone")]
            )
            assert again.last_checkpoints == list(state.all_model_checkpoint_paths)
            again.save(sess, str(tmp_path / "m"), global_step=2)
    assert not tf.train.checkpoint_exists(str(tmp_path / "m-0"))
    assert tf.train.checkpoint_exists(str(tmp_path / "m-1"))


# -- errors ---------------------------------------------------------------------------------


def _saved(tmp_path, **values):
    with tf.Graph().as_default():
        for name, value in values.items():
            tf.Variable(value, name=name)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            return tf.train.Saver().save(sess, str(tmp_path / "ckpt"))


def test_missing_variable_names_it_and_the_closest_names(tmp_path):
    path = _saved(tmp_path, weights=np.ones(3, np.float32), bias=np.zeros(3, np.float32))
    with tf.Graph().as_default():
        tf.Variable(np.ones(3, np.float32), name="weight")
        with tf.Session() as sess, pytest.raises(tf.errors.NotFoundError) as info:
            tf.train.Saver().restore(sess, path)
    message = str(info.value)
    assert "Key weight not found in checkpoint" in message
    assert "Did you mean 'weights'" in message


def test_shape_mismatch_names_both_shapes(tmp_path):
    path = _saved(tmp_path, w=np.ones(3, np.float32))
    with tf.Graph().as_default():
        tf.Variable(np.ones((4, 2), np.float32), name="w")
        with tf.Session() as sess, pytest.raises(tf.errors.InvalidArgumentError) as info:
            tf.train.Saver().restore(sess, path)
    assert "lhs shape= [4,2] rhs shape= [3]" in str(info.value)


def test_dtype_mismatch_is_invalid_argument(tmp_path):
    path = _saved(tmp_path, w=np.ones(3, np.float32))
    with tf.Graph().as_default():
        tf.Variable(np.ones(3, np.float64), name="w")
        with tf.Session() as sess, pytest.raises(tf.errors.InvalidArgumentError) as info:
            tf.train.Saver().restore(sess, path)
    assert "expected dtype double does not equal original dtype float" in str(info.value)


def test_reshape_restores_a_tensor_with_as_many_elements(tmp_path):
    path = _saved(tmp_path, w=np.arange(6, dtype=np.float32))
    with tf.Graph().as_default():
        w = tf.Variable(np.zeros((2, 3), np.float32), name="w")
        with tf.Session() as sess:
            tf.train.Saver(reshape=True).restore(sess, path)
            np.testing.assert_array_equal(sess.run(w), np.arange(6).reshape(2, 3))


def test_a_failed_restore_changes_no_variable(tmp_path):
    path = _saved(tmp_path, a=np.ones(2, np.float32), b=np.ones(2, np.float32))
    with tf.Graph().as_default():
        a = tf.Variable(np.zeros(2, np.float32), name="a")
        b = tf.Variable(np.zeros(5, np.float32), name="b")  # wrong shape, checked after "a"
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            with pytest.raises(tf.errors.InvalidArgumentError):
                tf.train.Saver().restore(sess, path)
            np.testing.assert_array_equal(sess.run(a), [0, 0])
            np.testing.assert_array_equal(sess.run(b), np.zeros(5))


def test_restore_path_errors(tmp_path):
    with tf.Graph().as_default():
        tf.Variable(1.0, name="v")
        saver = tf.train.Saver()
        with tf.Session() as sess:
            with pytest.raises(ValueError, match="Can't load save_path when it is None"):
                saver.restore(sess, None)
            with pytest.raises(ValueError, match="not a valid checkpoint"):
                saver.restore(sess, str(tmp_path / "nothing"))


def test_saving_an_uninitialized_variable_fails_and_writes_nothing(tmp_path):
    with tf.Graph().as_default():
        tf.Variable(1.0, name="v")
        with tf.Session() as sess, pytest.raises(tf.errors.FailedPreconditionError, match="v"):
            tf.train.Saver().save(sess, str(tmp_path / "m"))
    assert os.listdir(tmp_path) == []


def test_var_list_errors():
    with tf.Graph().as_default():
        with pytest.raises(ValueError, match="No variables to save"):
            tf.train.Saver()
        with tf.Session() as sess:
            assert tf.train.Saver(allow_empty=True).save(sess, "unused") is None
        v = tf.Variable(1.0, name="v")
        with pytest.raises(ValueError, match="two variables have the same name"):
            tf.train.Saver([v, v])
        with pytest.raises(ValueError, match="restored with two names"):
            tf.train.Saver({"a": v, "b": v})
        with pytest.raises(TypeError, match="not a Variable"):
            tf.train.Saver([v.value()])
        with pytest.raises(NotImplementedError, match="V2"):
            tf.train.Saver(write_version=tf.train.SaverDef.V1)


def test_defer_build_sees_variables_made_later(tmp_path):
    with tf.Graph().as_default():
        saver = tf.train.Saver(defer_build=True)
        v = tf.Variable(2.0, name="late")
        with tf.Session() as sess:
            sess.run(v.initializer)
            path = saver.save(sess, str(tmp_path / "m"))
    assert tf.train.list_variables(path) == [("late", [])]


def test_save_writes_the_meta_graph_unless_told_not_to(tmp_path):
    with tf.Graph().as_default():
        v = tf.Variable(1.0, name="v")
        saver = tf.train.Saver()
        assert saver.as_saver_def().restore_op_name == "save/restore_all"
        with tf.Session() as sess:
            sess.run(v.initializer)
            with_meta = saver.save(sess, str(tmp_path / "a"))
            without = saver.save(sess, str(tmp_path / "b"), write_meta_graph=False)
    assert os.path.exists(with_meta + ".meta") and not os.path.exists(without + ".meta")


def test_saver_def_property_is_the_exported_saver_def():
    # TF1's Saver.saver_def (TF 2.21: the first Saver of a graph names save/Const:0)
    with tf.Graph().as_default():
        tf.Variable(1.0, name="v")
        saver = tf.train.Saver(max_to_keep=3)
        assert saver.saver_def.filename_tensor_name == "save/Const:0"
        assert saver.saver_def.restore_op_name == "save/restore_all"
        assert saver.saver_def.max_to_keep == 3
        assert saver.saver_def == saver.as_saver_def()


def test_a_missing_or_cut_data_file_raises_tfs_errors_and_changes_nothing(tmp_path):
    with tf.Graph().as_default():
        v = tf.get_variable("v", initializer=tf.ones([1000]))
        saver = tf.train.Saver()
        with tf.Session() as sess:
            sess.run(v.initializer)
            path = saver.save(sess, str(tmp_path / "m"))
            sess.run(v.assign(tf.fill([1000], 2.0)))
            data = path + ".data-00000-of-00001"
            raw = open(data, "rb").read()
            with open(data, "wb") as f:
                f.write(raw[:100])
            with pytest.raises(tf.errors.OutOfRangeError, match="Read less bytes than requested"):
                saver.restore(sess, path)  # TF 2.21: OutOfRangeError, these words
            (tmp_path / "m.data-00000-of-00001").unlink()
            with pytest.raises(tf.errors.NotFoundError, match="No such file or directory"):
                saver.restore(sess, path)  # TF 2.21: NotFoundError '<file>; No such file...'
            assert sess.run(v).tolist() == [2.0] * 1000
