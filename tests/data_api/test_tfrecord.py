"""Tests for scopeflow/data/tfrecord.py: ``tf.python_io.TFRecordWriter`` writes the bytes
TensorFlow writes, and ``tf_record_iterator`` and ``tf.data.TFRecordDataset`` read them back."""

from __future__ import annotations

import pytest

import scopeflow as tf

# TensorFlow 2.21's tf.python_io.TFRecordWriter, writing b"first" then b"".
TF_BYTES = bytes.fromhex(
    "0500000000000000eab2043e666972737455ff23e5000000000000000029039807d8ea82a2"
)


def test_the_writer_writes_tensorflows_bytes(tmp_path):
    path = tmp_path / "r.tfrecord"
    with tf.python_io.TFRecordWriter(str(path)) as writer:
        writer.write(b"first")
        writer.write("")
        writer.flush()
    assert path.read_bytes() == TF_BYTES
    assert list(tf.io.tf_record_iterator(str(path))) == [b"first", b""]


def test_records_read_back_through_a_dataset(graph, tmp_path):
    path = str(tmp_path / "r.tfrecord")
    writer = tf.io.TFRecordWriter(path)
    for i in range(3):
        writer.write(f"record {i}".encode())
    writer.close()
    element = tf.data.TFRecordDataset([path, path]).take(4).make_one_shot_iterator().get_next()
    with tf.Session() as sess:
        got = [sess.run(element) for _ in range(4)]
    assert got == [b"record 0", b"record 1", b"record 2", b"record 0"]


def test_a_corrupted_record_is_data_loss(tmp_path):
    path = tmp_path / "r.tfrecord"
    path.write_bytes(TF_BYTES[:12] + b"F" + TF_BYTES[13:])
    with pytest.raises(tf.errors.DataLossError, match="corrupted record"):
        list(tf.python_io.tf_record_iterator(str(path)))


def test_compression_says_what_to_use(tmp_path):
    with pytest.raises(NotImplementedError, match="options=None"):
        tf.python_io.TFRecordWriter(str(tmp_path / "r"), options="GZIP")
