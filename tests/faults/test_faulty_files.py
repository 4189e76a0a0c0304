"""Damaged files met where users meet them: compressed TFRecord and text files cut short or
followed by junk (read through ``tf_record_iterator``, ``TFRecordDataset``, ``TFRecordReader``
and ``TextLineDataset``), and a checkpoint whose second tensor is damaged. The expected records
and error words are TensorFlow 2.21's on the same bytes (tf.compat.v1, graph mode)."""

from __future__ import annotations

import re
import zlib

import numpy as np
import pytest

import scopeflow as tf
from scopeflow.summary.records import encode_record

RECORDS = [np.random.RandomState(i).bytes(80) for i in range(5)]  # 96 bytes each, framed


def _compressed(kind: str) -> tuple[bytes, int]:
    """The five records compressed as ``kind``, a full flush after each, and where the
    second record's flush ends (a cut there leaves two whole records)."""
    packer = zlib.compressobj(6, zlib.DEFLATED, 31 if kind == "GZIP" else 15)
    pieces, second = [], 0
    for i, record in enumerate(RECORDS):
        pieces += [packer.compress(encode_record(record)), packer.flush(zlib.Z_FULL_FLUSH)]
        if i == 1:
            second = sum(map(len, pieces))
    return b"".join(pieces) + packer.flush(), second


def _damaged(kind: str, damage: str) -> bytes:
    data, second = _compressed(kind)
    return {
        "cut after two records": data[:second],
        "cut inside the third": data[: second + 40],
        "no trailer": data[: -8 if kind == "GZIP" else -4],
        "trailing junk": data + b"garbage!",
        "bad checksum": data[:-1] + bytes([data[-1] ^ 1]),
        "two streams": data + data,
    }[damage]


CUT = (tf.errors.DataLossError, "truncated record at 192")

# (kind, damage) -> (records read, then the error's type and words or None), as TF 2.21
TF_READS = {
    ("GZIP", "cut after two records"): ([0, 1], None),
    ("GZIP", "cut inside the third"): ([0, 1], CUT),
    ("GZIP", "no trailer"): ([0, 1, 2, 3, 4], None),
    ("GZIP", "trailing junk"): (
        [0, 1, 2, 3, 4],
        (tf.errors.DataLossError, "inflate\\(\\) failed with error -3: incorrect header check"),
    ),
    ("GZIP", "bad checksum"): (
        [],
        (tf.errors.DataLossError, "inflate\\(\\) failed with error -3: incorrect length check"),
    ),
    ("GZIP", "two streams"): ([0, 1, 2, 3, 4, 0, 1, 2, 3, 4], None),
    ("ZLIB", "cut after two records"): ([0, 1], None),
    ("ZLIB", "cut inside the third"): ([0, 1], CUT),
    ("ZLIB", "no trailer"): ([0, 1, 2, 3, 4], None),
    ("ZLIB", "trailing junk"): ([0, 1, 2, 3, 4], None),
    ("ZLIB", "bad checksum"): (
        [],
        (tf.errors.DataLossError, "inflate\\(\\) failed with error -3: incorrect data check"),
    ),
    ("ZLIB", "two streams"): ([0, 1, 2, 3, 4], None),
}


def _read_all(read_one) -> tuple[list, Exception | None]:
    got = []
    try:
        while True:
            got.append(RECORDS.index(read_one()))
    except (StopIteration, tf.errors.OutOfRangeError):
        return got, None
    except tf.errors.OpError as e:
        return got, e


def _iterator(path, kind):
    records = tf.io.tf_record_iterator(path, tf.io.TFRecordOptions(kind))
    return _read_all(lambda: next(records))


def _dataset(path, kind):
    with tf.Graph().as_default(), tf.Session() as sess:
        dataset = tf.data.TFRecordDataset(path, compression_type=kind)
        element = dataset.make_one_shot_iterator().get_next()
        return _read_all(lambda: sess.run(element))


def _reader(path, kind):
    with tf.Graph().as_default(), tf.Session() as sess:
        files = tf.FIFOQueue(2, tf.string)
        sess.run(files.enqueue([path]))
        sess.run(files.close())
        _, value = tf.TFRecordReader(options=tf.io.TFRecordOptions(kind)).read(files)
        return _read_all(lambda: sess.run(value))


@pytest.mark.parametrize("read", [_iterator, _dataset, _reader], ids=lambda f: f.__name__)
@pytest.mark.parametrize(("kind", "damage"), sorted(TF_READS), ids=" ".join)
def test_compressed_records_read_as_far_as_tensorflow_reads_them(tmp_path, read, kind, damage):
    path = str(tmp_path / "records")
    with open(path, "wb") as f:
        f.write(_damaged(kind, damage))
    expected, error = TF_READS[kind, damage]
    got, raised = read(path, kind)
    assert got == expected
    if error is None:
        assert raised is None
    else:
        assert isinstance(raised, error[0]), raised
        assert re.search(error[1], str(raised))
        assert path in str(raised) or "inflate" in str(raised)


def test_a_text_file_cut_inside_its_gzip_stream_gives_the_lines_it_holds(tmp_path):
    packer = zlib.compressobj(6, zlib.DEFLATED, 31)
    pieces = []
    for i in range(6):
        pieces += [packer.compress(b"line %d\n" % i), packer.flush(zlib.Z_SYNC_FLUSH)]
    path = tmp_path / "lines.gz"
    path.write_bytes(b"".join(pieces[:6]))  # three lines, the stream never ended
    with tf.Graph().as_default(), tf.Session() as sess:
        line = tf.data.TextLineDataset(str(path), "GZIP").make_one_shot_iterator().get_next()
        got, error = [], None
        try:
            while True:
                got.append(sess.run(line))
        except tf.errors.OutOfRangeError as e:
            error = e
    assert got == [b"line 0", b"line 1", b"line 2"] and error is not None


def test_a_restore_that_meets_a_damaged_tensor_changes_no_variable(tmp_path):
    with tf.Graph().as_default():
        with tf.variable_scope("m"):
            w = tf.get_variable("w", [2, 3], initializer=tf.ones_initializer())
            b = tf.get_variable("b", [3], initializer=tf.zeros_initializer())
        saver = tf.train.Saver()
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            sess.run([w.assign(w * 5.0), b.assign(b + 7.0)])
            prefix = saver.save(sess, str(tmp_path / "c"))
        data_file = tmp_path / "c.data-00000-of-00001"
        data = bytearray(data_file.read_bytes())
        data[-3] ^= 1  # inside m/w, stored after m/b
        data_file.write_bytes(bytes(data))
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            with pytest.raises(tf.errors.DataLossError, match="'m/w'.*checksum mismatch"):
                saver.restore(sess, prefix)
            assert sess.run(b).tolist() == [0.0, 0.0, 0.0]
            assert sess.run(w).tolist() == [[1.0] * 3] * 2


def _cached_pass(filename: str) -> list:
    with tf.Graph().as_default(), tf.Session() as sess:
        dataset = tf.data.Dataset.from_tensor_slices(
            {"x": np.arange(6.0).reshape(3, 2), "s": [b"a", b"bb", b"ccc"]}
        )
        element = dataset.cache(filename).make_one_shot_iterator().get_next()
        got = []
        try:
            while True:
                got.append(sess.run(element))
        except tf.errors.OutOfRangeError:
            return got


CACHE_DAMAGE = {
    "cut in half": lambda data: data[: len(data) // 2],
    "cut inside a count": lambda data: data[:4],
    "an object array (pickle)": lambda data: data.replace(b"'<f8'", b"'|O' ", 1),
    "a string length of 2**40": lambda data: data.replace(
        np.int64([1]).tobytes() + b"\x93NUMPY", np.int64([2**40]).tobytes() + b"\x93NUMPY", 1
    ),
    "an element of 2**60 components": lambda data: (2**60).to_bytes(8, "little") + data[8:],
    "an unknown record": lambda data: data[:8] + b"?" + data[9:],
}


@pytest.mark.parametrize("damage", sorted(CACHE_DAMAGE))
def test_a_damaged_cache_file_is_data_loss_naming_it(tmp_path, damage):
    filename = str(tmp_path / "c")
    assert len(_cached_pass(filename)) == 3
    path = tmp_path / "c.scopeflow-cache"
    data = path.read_bytes()
    damaged = CACHE_DAMAGE[damage](data)
    assert damaged != data
    path.write_bytes(damaged)
    with pytest.raises(tf.errors.DataLossError, match="is corrupted") as info:
        _cached_pass(filename)
    assert str(path) in str(info.value)
