"""Readers given a folder where a file should be, a file that is not there, or a damaged
file among good ones: TF 2.21's FailedPreconditionError ("<path>; Is a directory") and
NotFoundError ("<path>; No such file or directory") from every reader, the records before a
damaged one then DataLossError, and ``ignore_errors`` going on to the next file - each
checked against TF 2.21 on the same files."""

from __future__ import annotations

import pytest

import scopeflow as tf


def _first(dataset):
    with tf.Graph().as_default():
        element = tf.data.make_one_shot_iterator(dataset()).get_next()
        with tf.Session() as sess:
            return sess.run(element)


def _all(dataset) -> tuple[list, type | None]:
    with tf.Graph().as_default():
        element = tf.data.make_one_shot_iterator(dataset()).get_next()
        got = []
        with tf.Session() as sess:
            while True:
                try:
                    got.append(sess.run(element))
                except tf.errors.OutOfRangeError:
                    return got, None
                except tf.errors.OpError as e:
                    return got, type(e)


READERS = {
    "TFRecordDataset": lambda p: _first(lambda: tf.data.TFRecordDataset([p])),
    "TFRecordDataset GZIP": lambda p: _first(lambda: tf.data.TFRecordDataset([p], "GZIP")),
    "TextLineDataset": lambda p: _first(lambda: tf.data.TextLineDataset([p])),
    "TextLineDataset GZIP": lambda p: _first(lambda: tf.data.TextLineDataset([p], "GZIP")),
    "FixedLengthRecordDataset": lambda p: _first(lambda: tf.data.FixedLengthRecordDataset(p, 4)),
    "tf_record_iterator": lambda p: list(tf.python_io.tf_record_iterator(p)),
    "tf_record_iterator GZIP": lambda p: list(
        tf.python_io.tf_record_iterator(p, tf.io.TFRecordOptions("GZIP"))
    ),
    "summary_iterator": lambda p: list(tf.train.summary_iterator(p)),
}


@pytest.mark.parametrize("read", READERS.values(), ids=READERS.keys())
def test_a_folder_or_nothing_in_place_of_a_file(tmp_path, read):
    with pytest.raises(tf.errors.FailedPreconditionError) as info:  # an IsADirectoryError,
        read(str(tmp_path))  # or InvalidArgumentError in tf.data, before
    assert str(info.value).startswith(f"{tmp_path}; Is a directory")
    missing = str(tmp_path / "nope")
    with pytest.raises(tf.errors.NotFoundError, match=f"^{missing}; No such file or directory"):
        read(missing)


def test_a_damaged_file_among_good_ones(tmp_path):
    paths = []
    for name, count in [("good", 3), ("bad", 4), ("good2", 2)]:
        paths.append(str(tmp_path / name))
        with tf.io.TFRecordWriter(paths[-1]) as writer:
            for i in range(count):
                writer.write(b"%s-%d" % (name.encode(), i))
    data = bytearray((tmp_path / "bad").read_bytes())
    data[len(data) // 2] ^= 0xFF
    (tmp_path / "bad").write_bytes(bytes(data))
    got, error = _all(lambda: tf.data.TFRecordDataset(paths))
    assert got == [b"good-0", b"good-1", b"good-2", b"bad-0", b"bad-1"]  # as TF 2.21
    assert error is tf.errors.DataLossError
    got, error = _all(
        lambda: tf.data.TFRecordDataset(paths).apply(tf.data.experimental.ignore_errors())
    )
    assert got == [b"good-0", b"good-1", b"good-2", b"bad-0", b"bad-1", b"good2-0", b"good2-1"]
    assert error is None
    got, error = _all(lambda: tf.data.TFRecordDataset([paths[0], str(tmp_path / "nope")]))
    assert got == [b"good-0", b"good-1", b"good-2"] and error is tf.errors.NotFoundError


def test_a_saved_model_with_a_folder_for_its_pb_or_without_its_variables(tmp_path):
    export = tmp_path / "model"
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [None, 2], name="x")
        w = tf.Variable([[1.0], [2.0]], name="w")
        with tf.Session() as sess:
            sess.run(w.initializer)
            tf.saved_model.simple_save(sess, str(export), {"x": x}, {"y": tf.matmul(x, w)})
    pb = export / "saved_model.pb"
    data = pb.read_bytes()
    pb.unlink()
    pb.mkdir()
    with tf.Graph().as_default(), tf.Session() as sess:
        with pytest.raises(tf.errors.FailedPreconditionError, match=f"^{pb}; Is a directory"):
            tf.saved_model.loader.load(sess, ["serve"], str(export))  # as TF 2.21
    pb.rmdir()
    pb.write_bytes(data)
    for part in (export / "variables").iterdir():
        part.unlink()
    with tf.Graph().as_default() as graph, tf.Session() as sess:
        with pytest.raises(ValueError, match="The passed save_path is not a valid checkpoint"):
            tf.saved_model.loader.load(sess, ["serve"], str(export))  # as TF 2.21
        assert graph.get_operations() == []  # nothing imported (TF 2.21 keeps its imports)


def test_a_file_where_a_log_folder_should_be(tmp_path):
    path = tmp_path / "afile"
    path.write_text("x")
    with pytest.raises(tf.errors.FailedPreconditionError, match=f"^{path} is not a directory"):
        tf.summary.FileWriter(str(path))  # as TF 2.21 (a FileExistsError before)
    with tf.Graph().as_default() as graph:
        tf.constant(1.0)
        with pytest.raises(tf.errors.FailedPreconditionError, match=f"^{path} is not a dir"):
            tf.train.write_graph(graph, str(path), "graph.pbtxt")  # as TF 2.21
    assert path.read_text() == "x"
