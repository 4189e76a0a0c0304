"""Restoring what does not fit: a checkpoint into variables of other shapes or dtypes, and a
checkpoint whose ``.index`` comes from another checkpoint. Types and words are TensorFlow
2.21's for the same files (tf.compat.v1, graph mode); where scopeflow differs it says how."""

from __future__ import annotations

import os
import re
import shutil

import numpy as np
import pytest

import scopeflow as tf


def _save(prefix, w, u) -> str:
    with tf.Graph().as_default():
        saver = tf.train.Saver({"w": tf.Variable(w, name="w"), "u": tf.Variable(u, name="u")})
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            return saver.save(sess, prefix)


@pytest.fixture
def checkpoint(tmp_path) -> str:
    return _save(str(tmp_path / "m"), np.ones([2, 3], np.float32), np.ones([4], np.float32))


def _restore(path, w_value):
    """Restores ``path`` into ``w`` (``w_value``) and ``u`` (zeros); the error and the values
    after it."""
    with tf.Graph().as_default():
        w = tf.Variable(w_value, name="w")
        u = tf.Variable(np.zeros([4], np.float32), name="u")
        saver = tf.train.Saver()
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            with pytest.raises(tf.errors.OpError) as info:
                saver.restore(sess, path)
            return info.value, sess.run(w).tolist(), sess.run(u).tolist()


@pytest.mark.parametrize(
    ("value", "words"),
    [
        # TF 2.21's own words: 'lhs shape= [3,2] rhs shape= [2,3]' (no space after commas)
        (
            np.zeros([3, 2], np.float32),
            r"Assign requires shapes of both tensors to match\. "
            r"lhs shape= \[3,2\] rhs shape= \[2,3\]",
        ),
        (np.zeros([6], np.float32), r"Assign requires shapes .* lhs shape= \[6\] rhs shape= "),
        # TF 2.21: 'expected dtype double does not equal original dtype float'
        (
            np.zeros([2, 3], np.float64),
            "tensor_name = w; expected dtype double does not equal original dtype float",
        ),
    ],
    ids=["transposed", "flattened", "float64"],
)
def test_restoring_into_other_shapes_or_dtypes_changes_no_variable(checkpoint, value, words):
    error, w, u = _restore(checkpoint, value)
    assert type(error) is tf.errors.InvalidArgumentError
    assert str(error).startswith(
        "Restoring from checkpoint failed. This is most likely due to a mismatch between the "
        "current graph and the graph from the checkpoint. Please ensure that you have not "
        "altered the graph expected based on the checkpoint. Original error:"
    )
    assert re.search(words, str(error))
    # TF 2.21 restores u before w fails (u is [1, 1, 1, 1] after); scopeflow checks every
    # tensor first and changes nothing
    assert w == np.zeros_like(value).tolist() and u == [0.0] * 4


def _swap_index(checkpoint, other) -> None:
    shutil.copy(other + ".index", checkpoint + ".index")


def test_an_index_from_a_checkpoint_of_the_same_shapes_fails_its_checksum(checkpoint, tmp_path):
    other = _save(str(tmp_path / "o"), np.full([2, 3], 8, np.float32), np.full([4], 9, np.float32))
    os.remove(other + ".data-00000-of-00001")
    _swap_index(checkpoint, other)  # the same offsets and sizes, other checksums
    error, w, u = _restore(checkpoint, np.zeros([2, 3], np.float32))
    assert type(error) is tf.errors.DataLossError  # TF 2.21: DataLossError, 'Checksum does
    assert "checksum mismatch" in str(error)  # not match' (its words), nothing restored
    assert w == [[0.0] * 3] * 2 and u == [0.0] * 4


def test_an_index_from_a_checkpoint_of_other_shapes(checkpoint, tmp_path):
    other = _save(str(tmp_path / "o"), np.full([2, 3], 5, np.float32), np.full([7], 3, np.float32))
    _swap_index(checkpoint, other)
    reader = tf.train.NewCheckpointReader(checkpoint)
    assert sorted(reader.get_variable_to_shape_map().items()) == [("u", [7]), ("w", [2, 3])]
    with pytest.raises(tf.errors.OpError, match="checksum mismatch") as info:
        reader.get_tensor("u")  # TF 2.21's reader: a plain OpError 'Checksum does not match'
    assert type(info.value) is tf.errors.OpError
    with pytest.raises(IndexError, match="Read less bytes than requested"):
        reader.get_tensor("w")  # TF 2.21's reader: IndexError, the same words
    # TF 2.21's restore reads u first: DataLossError; scopeflow compares the index's shapes
    # with the variables' before reading any data, and names the one that differs
    error, w, u = _restore(checkpoint, np.zeros([2, 3], np.float32))
    assert type(error) is tf.errors.InvalidArgumentError
    assert "lhs shape= [4] rhs shape= [7]" in str(error)
    assert w == [[0.0] * 3] * 2 and u == [0.0] * 4


def test_a_checkpoint_state_file_that_lies_or_is_damaged(tmp_path):
    with tf.Graph().as_default():
        v = tf.Variable(1.0, name="v")
        saver = tf.train.Saver()
        with tf.Session() as sess:
            sess.run(v.initializer)
            saver.save(sess, str(tmp_path / "m"), global_step=1)
            newest = saver.save(sess, str(tmp_path / "m"), global_step=2)
    os.remove(newest + ".index")  # a save cut short: the state names it, its index is gone
    state = tf.train.get_checkpoint_state(str(tmp_path))
    assert [os.path.basename(p) for p in state.all_model_checkpoint_paths] == ["m-1", "m-2"]
    assert tf.train.latest_checkpoint(str(tmp_path)) is None  # as TF 2.21: no fallback to m-1
    assert not tf.train.checkpoint_exists(newest)
    state_file = tmp_path / "checkpoint"
    state_file.write_text('model_checkpoint_path: "m-1"\nall_model_checkpoint_paths: "m-1\nbr')
    assert tf.train.get_checkpoint_state(str(tmp_path)) is None  # as TF 2.21 (it logs why)
    assert tf.train.latest_checkpoint(str(tmp_path)) is None
    state_file.write_text("")
    with pytest.raises(ValueError, match="Invalid checkpoint state loaded from"):
        tf.train.latest_checkpoint(str(tmp_path))  # as TF 2.21
    state_file.write_bytes(b"\xff\xfe\x00garbage")
    # TF 2.21 raises UnicodeDecodeError here; scopeflow treats it as the damaged text above
    assert tf.train.get_checkpoint_state(str(tmp_path)) is None
