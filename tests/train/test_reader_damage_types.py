"""tf.train.NewCheckpointReader on a damaged checkpoint raises what TF 2.21's Python reader
raises (its error translation, not the kernels' types): a damaged index or data a plain
tf.errors.OpError, a short data file IndexError, a missing data file OpError only when a
tensor is read; a missing checkpoint or tensor NotFoundError. Saver.restore keeps the
kernels' DataLossError/OutOfRangeError/NotFoundError."""

from __future__ import annotations

import os

import numpy as np
import pytest

import scopeflow as tf
from scopeflow.train.bundle import data_filename, index_filename


@pytest.fixture
def prefix(tmp_path):
    path = str(tmp_path / "model")
    with tf.Graph().as_default():
        tf.Variable(np.arange(6, dtype=np.float32).reshape(2, 3), name="w")
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            tf.train.Saver().save(sess, path)
    return path


def _cut(path, size):
    with open(path, "r+b") as f:
        f.truncate(size)


def _flip(path, offset):
    with open(path, "r+b") as f:
        f.seek(offset)
        byte = f.read(1)[0]
        f.seek(offset)
        f.write(bytes([byte ^ 0x5A]))


def _restore_error(prefix):
    with tf.Graph().as_default():
        tf.Variable(np.zeros((2, 3), np.float32), name="w")
        with tf.Session() as sess:
            try:
                tf.train.Saver().restore(sess, prefix)
            except Exception as e:  # noqa: BLE001 - the type is the point
                return type(e)
    return None


def test_damaged_index_is_a_plain_op_error(prefix):
    _cut(index_filename(prefix), 8)
    with pytest.raises(tf.errors.OpError) as info:
        tf.train.NewCheckpointReader(prefix)
    assert type(info.value) is tf.errors.OpError
    assert info.value.error_code == tf.errors.UNKNOWN
    assert _restore_error(prefix) is tf.errors.DataLossError


def test_short_data_file_is_an_index_error(prefix):
    _cut(data_filename(prefix), 8)
    reader = tf.train.NewCheckpointReader(prefix)
    assert reader.get_variable_to_shape_map() == {"w": [2, 3]}
    with pytest.raises(IndexError, match="Read less bytes than requested"):
        reader.get_tensor("w")
    assert _restore_error(prefix) is tf.errors.OutOfRangeError


def test_flipped_data_is_a_plain_op_error(prefix):
    _flip(data_filename(prefix), 4)
    reader = tf.train.NewCheckpointReader(prefix)
    with pytest.raises(tf.errors.OpError) as info:
        reader.get_tensor("w")
    assert type(info.value) is tf.errors.OpError
    assert _restore_error(prefix) is tf.errors.DataLossError


def test_missing_data_file_fails_on_the_read(prefix):
    os.remove(data_filename(prefix))
    reader = tf.train.NewCheckpointReader(prefix)
    assert tf.train.list_variables(prefix) == [("w", [2, 3])]
    with pytest.raises(tf.errors.OpError, match="No such file or directory") as info:
        reader.get_tensor("w")
    assert type(info.value) is tf.errors.OpError
    assert _restore_error(prefix) is tf.errors.NotFoundError


def test_missing_tensor_and_checkpoint_stay_not_found(prefix, tmp_path):
    reader = tf.train.NewCheckpointReader(prefix)
    with pytest.raises(tf.errors.NotFoundError, match="not found in checkpoint"):
        reader.get_tensor("v")
    with pytest.raises(tf.errors.NotFoundError, match="Failed to find any matching files"):
        tf.train.NewCheckpointReader(str(tmp_path / "nothing"))
