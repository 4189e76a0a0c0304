"""The readers (``tf.TextLineReader``...): the records, keys and errors TF 2.21 gives for the
same files (its outputs written here as literals), the op names, and a whole
``string_input_producer`` -> reader -> ``batch`` pipeline run by queue runners."""

from __future__ import annotations

import gzip

import numpy as np
import pytest

import scopeflow as tf
from tests.ops.kernel_table import Case, Raises, cases_by_mode, check_case

W = np.array([b"x", b"y"], dtype=object)
X = np.array(b"x", dtype=object)


def _identity_queue(w):
    q = tf.FIFOQueue(5, tf.string)
    with tf.control_dependencies([q.enqueue_many([w])]):
        close = q.close()
    return q, close


def _after(ops, fn):
    with tf.control_dependencies(ops):
        return fn()


def _read(w):
    q, close = _identity_queue(w)
    return list(_after([close], lambda: tf.IdentityReader().read(q)))


def _read_up_to(w):
    q, close = _identity_queue(w)
    return list(_after([close], lambda: tf.IdentityReader().read_up_to(q, 2)))


def _counted(w, counter):
    q, close = _identity_queue(w)
    r = tf.IdentityReader()
    key = _after([close], lambda: r.read(q).key)
    return _after([key], lambda: getattr(r, counter)())


def _serialized(w):
    q, close = _identity_queue(w)
    r = tf.IdentityReader()
    key = _after([close], lambda: r.read(q).key)
    return _after([key], r.serialize_state)


def _restored(w):
    r = tf.IdentityReader()
    state = b'\x08\x02\x10\x01\x18\x07"\x01z'  # started 2, finished 1, 7 records, work b"z"
    restore = r.restore_state(state)
    return _after([restore], r.num_records_produced)


def _reset(w):
    q, close = _identity_queue(w)
    r = tf.IdentityReader()
    key = _after([close], lambda: r.read(q).key)
    reset = _after([key], r.reset)
    return _after([reset], r.num_work_units_completed)


def _made(make):  # a fresh reader of each kind (its op runs) has read nothing
    return lambda w: make().num_records_produced()


def _wrong_queue(w):
    q = tf.FIFOQueue(5, tf.int32)
    return tf.IdentityReader().read(q).key


CASES = [
    Case("read", "ReaderReadV2", _read, (W,), [X, X], modes=("full",)),
    Case(
        "read_up_to",
        "ReaderReadUpToV2",
        _read_up_to,
        (W,),
        [W[:1], W[:1]],
        modes=("full",),
        exact_static=False,
    ),
    Case(
        "records_produced",
        "ReaderNumRecordsProducedV2",
        lambda w: _counted(w, "num_records_produced"),
        (W,),
        np.int64(1),
        modes=("full",),
    ),
    Case(
        "work_units_completed",
        "ReaderNumWorkUnitsCompletedV2",
        lambda w: _counted(w, "num_work_units_completed"),
        (W,),
        np.int64(1),
        modes=("full",),
    ),
    Case(
        "serialize",
        "ReaderSerializeStateV2",
        _serialized,
        (W,),
        np.array(b'\x08\x01\x10\x01\x18\x01"\x01x', dtype=object),  # TF's bytes
        modes=("full",),
    ),
    Case("restore", "ReaderNumRecordsProducedV2", _restored, (W,), np.int64(7), modes=("full",)),
    Case("reset", "ReaderNumWorkUnitsCompletedV2", _reset, (W,), np.int64(0), modes=("full",)),
    Case(
        "tfrecord",
        "ReaderNumRecordsProducedV2",
        _made(tf.TFRecordReader),
        (W,),
        np.int64(0),
        modes=("full",),
    ),
    Case(
        "text",
        "ReaderNumRecordsProducedV2",
        _made(tf.TextLineReader),
        (W,),
        np.int64(0),
        modes=("full",),
    ),
    Case(
        "whole_file",
        "ReaderNumRecordsProducedV2",
        _made(tf.WholeFileReader),
        (W,),
        np.int64(0),
        modes=("full",),
    ),  # fmt: skip
    Case(
        "fixed_length",
        "ReaderNumRecordsProducedV2",
        _made(lambda: tf.FixedLengthRecordReader(4)),
        (W,),
        np.int64(0),
        modes=("full",),
    ),
    Case(
        "identity",
        "ReaderNumRecordsProducedV2",
        _made(tf.IdentityReader),
        (W,),
        np.int64(0),
        modes=("full",),
    ),  # fmt: skip
    Case(
        "wrong_queue",
        "ReaderReadV2",
        _wrong_queue,
        (W,),
        Raises(tf.errors.InvalidArgumentError, "Expected queue with single string component"),
        modes=("full",),
    ),
]


@pytest.mark.parametrize(("case", "mode"), cases_by_mode(CASES))
def test_kernels(run, case, mode):
    check_case(run, case, mode)


@pytest.fixture
def files(tmp_path):
    """The files of the TF 2.21 runs whose outputs the tests below hold."""
    (tmp_path / "a.txt").write_bytes(b"h1\nline1\nline2\r\nlast")
    (tmp_path / "b.txt").write_bytes(b"h2\nb1\n")
    (tmp_path / "f.bin").write_bytes(bytes(range(23)))
    with tf.python_io.TFRecordWriter(str(tmp_path / "r.tfr")) as w:
        for record in (b"rec0", b"record1", b""):
            w.write(record)
    options = tf.python_io.TFRecordOptions(tf.python_io.TFRecordCompressionType.GZIP)
    with tf.python_io.TFRecordWriter(str(tmp_path / "r.gz"), options) as w:
        w.write(b"g0")
        w.write(b"g1")
    return tmp_path


def _records(make_reader, paths, up_to=None) -> tuple[list, str]:
    """What running a new reader's ``read`` (or ``read_up_to``) gives until it fails, and the
    error."""
    with tf.Graph().as_default():
        reader = make_reader()
        q = tf.FIFOQueue(10, tf.string)
        fill = q.enqueue_many([[str(p) for p in paths]])
        close = q.close()
        read = reader.read(q) if up_to is None else reader.read_up_to(q, up_to)
        out = []
        with tf.Session() as sess:
            sess.run([fill, close])
            while True:
                try:
                    out.append(sess.run(list(read)))
                except tf.errors.OpError as e:
                    return out, f"{type(e).__name__}: {e.message}"


def _keys(out, root) -> list:
    """The records with the directory taken out of their keys."""
    strip = str(root).encode() + b"/"

    def short(key):
        return (
            key.replace(strip, b"")
            if isinstance(key, bytes)
            else [k.replace(strip, b"") for k in key]
        )

    return [[short(k), v] for k, v in out]


def test_text_lines_skip_headers_and_strip_newlines(files):
    reader = lambda: tf.TextLineReader(skip_header_lines=1)  # noqa: E731
    out, error = _records(reader, [files / "a.txt", files / "b.txt"])
    assert _keys(out, files) == [
        [b"a.txt:2", b"line1"],
        [b"a.txt:3", b"line2"],
        [b"a.txt:4", b"last"],
        [b"b.txt:2", b"b1"],
    ]
    assert error.startswith("OutOfRangeError: FIFOQueue '_0_fifo_queue' is closed")


def test_read_up_to_stops_at_the_end_of_a_file(files):
    out, _ = _records(tf.TextLineReader, [files / "a.txt", files / "b.txt"], up_to=4)
    assert [list(v) for _, v in out] == [[b"h1", b"line1", b"line2", b"last"], [b"h2", b"b1"]]
    assert _keys(out, files)[1][0] == [b"b.txt:1", b"b.txt:2"]


def test_whole_files(files):
    out, _ = _records(tf.WholeFileReader, [files / "a.txt", files / "b.txt"])
    assert _keys(out, files) == [[b"a.txt", b"h1\nline1\nline2\r\nlast"], [b"b.txt", b"h2\nb1\n"]]


@pytest.mark.parametrize(
    ("hop", "starts"), [(None, [2, 7, 12]), (3, [2, 5, 8, 11, 14])]
)  # fmt: skip
def test_fixed_length_records_between_header_and_footer(files, hop, starts):
    reader = lambda: tf.FixedLengthRecordReader(5, header_bytes=2, footer_bytes=3, hop_bytes=hop)  # noqa: E731
    out, _ = _records(reader, [files / "f.bin"])
    expected = [[b"f.bin:%d" % i, bytes(range(s, s + 5))] for i, s in enumerate(starts)]
    assert _keys(out, files) == expected


def test_fixed_length_records_of_a_compressed_file(files):
    (files / "f.gz").write_bytes(gzip.compress(bytes(range(7))))
    out, _ = _records(lambda: tf.FixedLengthRecordReader(3, encoding="GZIP"), [files / "f.gz"])
    assert [v for _, v in out] == [b"\x00\x01\x02", b"\x03\x04\x05"]


def test_tfrecords_keyed_by_offset(files):
    out, _ = _records(tf.TFRecordReader, [files / "r.tfr"])
    assert _keys(out, files) == [
        [b"r.tfr:0", b"rec0"],
        [b"r.tfr:20", b"record1"],
        [b"r.tfr:43", b""],
    ]
    out, _ = _records(lambda: tf.TFRecordReader(options="GZIP"), [files / "r.gz"])
    assert _keys(out, files) == [[b"r.gz:0", b"g0"], [b"r.gz:18", b"g1"]]


def test_bad_files_fail_as_in_tf(files):
    out, error = _records(tf.TextLineReader, [files / "nope.txt", files / "b.txt"])
    assert error == f"NotFoundError: {files / 'nope.txt'}; No such file or directory"
    out, error = _records(tf.TFRecordReader, [files / "a.txt"])
    assert error.startswith("DataLossError: corrupted record at 0") and out == []
    out, error = _records(lambda: tf.TFRecordReader(options="ZLIB"), [files / "r.gz"])
    assert error.startswith("DataLossError: inflate() failed")


def test_state_of_a_whole_file_reader_round_trips(files):
    with tf.Graph().as_default():
        q = tf.FIFOQueue(10, tf.string)
        fill = q.enqueue_many([[str(files / "a.txt"), str(files / "b.txt")]])
        r = tf.WholeFileReader()
        key, _ = r.read(q)
        state, counts = (
            r.serialize_state(),
            [r.num_records_produced(), r.num_work_units_completed()],
        )
        feed = tf.placeholder(tf.string)
        restore, reset = r.restore_state(feed), r.reset()
        with tf.Session() as sess:
            sess.run([fill, q.close()])
            sess.run(key)
            saved = sess.run(state)
            assert (
                saved
                == b'\x08\x01\x10\x01\x18\x01"'
                + bytes([len(str(files / "a.txt"))])
                + str(files / "a.txt").encode()
            )
            sess.run(key)
            assert sess.run(counts) == [2, 2]
            sess.run(restore, {feed: saved})
            assert sess.run(counts) == [1, 1]
            with pytest.raises(
                tf.errors.InvalidArgumentError,
                match="Could not parse state for WholeFileReader 'WholeFileReaderV2': junk",
            ):
                sess.run(restore, {feed: b"junk"})
            sess.run(reset)
            assert sess.run(counts) == [0, 0] and sess.run(state) == b""


def test_text_line_reader_cannot_serialize():
    with tf.Graph().as_default():
        r = tf.TextLineReader(name="my")
        assert not r.supports_serialize and tf.WholeFileReader().supports_serialize
        with tf.Session() as sess:
            with pytest.raises(tf.errors.UnimplementedError, match="Reader SerializeState"):
                sess.run(r.serialize_state())
            with pytest.raises(tf.errors.UnimplementedError, match="Reader RestoreState"):
                sess.run(r.restore_state(b""))


def test_op_names_and_build_errors():
    with tf.Graph().as_default():
        r = tf.TextLineReader(name="my")
        q = tf.FIFOQueue(1, tf.string)
        read = r.read(q, name="rd")
        keys, values = r.read_up_to(q.queue_ref, 3)
        assert [r.reader_ref.op.name, read.key.name, keys.op.inputs[2].name] == [
            "my",
            "rd:0",
            "ReaderReadUpToV2/num_records:0",
        ]
        assert keys.shape.as_list() == values.shape.as_list() == [None]
        assert r.reader_ref.op.get_attr("skip_header_lines") == 0
        with pytest.raises(
            TypeError, match="'num_records' of 'ReaderReadUpToV2' Op has type int32"
        ):
            r.read_up_to(q, tf.constant(2))
        with pytest.raises(ValueError, match='Not a valid compression_type: "gzip"'):
            tf.TFRecordReader(options="gzip")


def test_pipeline_with_queue_runners(files):
    csv = files / "c.csv"
    csv.write_text("x,y\n1,2\n3,4\n5,6\n")
    with tf.Graph().as_default():
        names = tf.train.string_input_producer([str(csv)], num_epochs=2, shuffle=False)
        _, line = tf.TextLineReader(skip_header_lines=1).read(names)
        x, y = tf.decode_csv(line, [[0], [0]])
        xs, ys = tf.train.batch([x, y], batch_size=4, allow_smaller_final_batch=True)
        with tf.Session() as sess:
            sess.run(tf.local_variables_initializer())
            coord = tf.train.Coordinator()
            threads = tf.train.start_queue_runners(sess, coord)
            got = []
            try:
                while True:
                    got.append(sess.run([xs, ys]))
            except tf.errors.OutOfRangeError:
                pass
            coord.request_stop()
            coord.join(threads)
    assert [list(b[0]) for b in got] == [[1, 3, 5, 1], [3, 5]]
    assert [list(b[1]) for b in got] == [[2, 4, 6, 2], [4, 6]]
