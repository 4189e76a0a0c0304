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


@pytest.mark.parametrize("options", ["GZIP", "ZLIB", 2])
def test_compressed_records_round_trip(tmp_path, options):
    # TensorFlow 2.21 reads the files written so, and these functions read TF's (checked once)
    path = str(tmp_path / "r")
    with tf.python_io.TFRecordWriter(path, tf.io.TFRecordOptions(options)) as writer:
        writer.write(b"first")
        writer.write(b"x" * 1000)
    assert open(path, "rb").read(2) == (b"\x1f\x8b" if options != "ZLIB" else b"\x78\x9c")
    assert list(tf.io.tf_record_iterator(path, options)) == [b"first", b"x" * 1000]


def test_compression_options_as_tf():
    get = tf.io.TFRecordOptions.get_compression_type_string
    assert [get(None), get(0), get(1), get(tf.io.TFRecordCompressionType.GZIP)] == [
        "",
        "",
        "ZLIB",
        "GZIP",
    ]
    with pytest.raises(ValueError, match='Not a valid compression_type: "gzip"'):
        tf.io.TFRecordOptions("gzip")
