"""Kernel cases for scopeflow/ops/parsing/ (``ParseExampleV2``, ``DecodeRaw``, ``DecodeCSV``):
each built with fully known, unknown-dimension and unknown-rank placeholders, run, and checked
(values, dtypes, static shapes); and ``tf.parse_example`` on records written with
``tf.python_io.TFRecordWriter`` and read by ``tf.data.TFRecordDataset(...).map(...).batch()``."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf
from tests.data.parsing_model import example, sequence_example
from tests.ops.kernel_table import Case, Raises, cases_by_mode, check_case


def _records(*examples) -> np.ndarray:
    out = np.empty(len(examples), dtype=object)
    out[:] = [e.SerializeToString() for e in examples]
    return out


TWO = _records(example(tf, a=[1.0, 2.0], v=[7, 8]), example(tf, a=[3.0, 4.0]))
FEATURES = {"a": tf.FixedLenFeature([2], tf.float32), "v": tf.VarLenFeature(tf.int64)}


def _parsed(parsed: dict) -> list:
    v = parsed["v"]
    return [v.indices, v.values, v.dense_shape, parsed["a"]]


SEQUENCE = np.array(
    sequence_example(tf, {"n": [3]}, {"t": [[1.0, 2.0], [3.0, 4.0]], "v": [[5], [6, 7]]}),
    dtype=object,
)


def _sequence(parsed) -> list:
    context, lists = parsed
    v = lists["v"]
    return [context["n"], v.indices, v.values, v.dense_shape, lists["t"]]


CASES = [
    Case(
        "parse_example",
        "ParseExampleV2",
        lambda p: _parsed(tf.parse_example(p, FEATURES)),
        (TWO,),
        [
            np.array([[0, 0], [0, 1]], np.int64),
            np.array([7, 8], np.int64),
            np.array([2, 2], np.int64),
            np.float32([[1, 2], [3, 4]]),
        ],
        exact_static=False,
    ),
    Case(
        "parse_single_example",
        "ParseExampleV2",
        lambda p: _parsed(tf.parse_single_example(p, FEATURES)),
        (TWO[0],),
        [np.array([[0], [1]], np.int64), np.array([7, 8], np.int64), [2], np.float32([1, 2])],
        modes=("full", "dims"),
        exact_static=False,
    ),
    Case(
        "parse_example-required",
        "ParseExampleV2",
        lambda p: tf.parse_example(p, {"b": tf.FixedLenFeature([], tf.int64)})["b"],
        (TWO,),
        Raises(
            tf.errors.InvalidArgumentError,
            "Name: <unknown>, Feature: b (data type: int64) is required but could not be found.",
        ),
    ),
    Case(
        "parse_single_sequence_example",
        "ParseSequenceExampleV2",
        lambda p: _sequence(
            tf.parse_single_sequence_example(
                p,
                {"n": tf.FixedLenFeature([], tf.int64)},
                {"t": tf.FixedLenSequenceFeature([2], tf.float32), "v": tf.VarLenFeature(tf.int64)},
            )
        ),
        (SEQUENCE,),
        [
            np.int64(3),
            np.array([[0, 0], [1, 0], [1, 1]], np.int64),
            np.int64([5, 6, 7]),
            np.int64([2, 2]),
            np.float32([[1, 2], [3, 4]]),
        ],
        modes=("full", "dims"),
        exact_static=False,
    ),
    Case(
        "serialize_tensor",
        "SerializeTensor",
        lambda x: tf.io.serialize_tensor(x),
        (np.float32([1, 2]),),
        np.array(bytes.fromhex("08011204120208022208") + np.float32([1, 2]).tobytes(), object),
        modes=("full", "dims"),
    ),
    Case(
        "parse_tensor",
        "ParseTensor",
        lambda p: tf.io.parse_tensor(p, tf.int8),
        (np.array(bytes.fromhex("080612041202080222020102"), dtype=object),),
        np.int8([1, 2]),
        exact_static=False,
    ),
    Case(
        "decode_raw",
        "DecodeRaw",
        lambda p: tf.decode_raw(p, tf.int16),
        (np.array([[b"\x01\x00\x02\x01"], [b"\xff\xff\x00\x80"]], dtype=object),),
        np.int16([[[1, 258]], [[-1, -32768]]]),
        exact_static=False,
    ),
    Case(
        "decode_csv",
        "DecodeCSV",
        lambda p: tf.decode_csv(p, [[0], [1.5], ["-"]]),
        (np.array(["1,2,a", ',,"b,c"'], dtype=object),),
        [np.int32([1, 0]), np.float32([2, 1.5]), np.array([b"a", b"b,c"], dtype=object)],
    ),
]


@pytest.mark.parametrize(("case", "mode"), cases_by_mode(CASES))
def test_kernel(run, case, mode):
    check_case(run, case, mode)


def test_parse_example_in_a_dataset_map_over_tfrecords(tmp_path):
    path = str(tmp_path / "data.tfrecord")
    with tf.python_io.TFRecordWriter(path) as writer:
        for i in range(5):
            writer.write(
                example(tf, x=[float(i), i / 2], label=[i], name=[b"n%d" % i]).SerializeToString()
            )

    def parse(record):
        features = tf.parse_single_example(
            record,
            {
                "x": tf.FixedLenFeature([2], tf.float32),
                "label": tf.FixedLenFeature([], tf.int64),
                "name": tf.FixedLenFeature([], tf.string),
                "weight": tf.FixedLenFeature([], tf.float32, default_value=1.0),
            },
        )
        return features["x"], features["label"], features["name"], features["weight"]

    dataset = tf.data.TFRecordDataset(path).map(parse).batch(2)
    assert [s.as_list() for s in dataset.output_shapes] == [[None, 2], [None], [None], [None]]
    x, label, name, weight = dataset.make_one_shot_iterator().get_next()
    with tf.Session() as sess:
        batches = [sess.run([x, label, name, weight]) for _ in range(3)]
        with pytest.raises(tf.errors.OutOfRangeError):
            sess.run(x)
    np.testing.assert_array_equal(batches[0][0], np.float32([[0, 0], [1, 0.5]]))
    np.testing.assert_array_equal(np.concatenate([b[1] for b in batches]), np.arange(5))
    assert list(batches[2][2]) == [b"n4"]
    np.testing.assert_array_equal(batches[1][3], np.float32([1, 1]))


def test_parse_example_of_batched_records(tmp_path):
    path = str(tmp_path / "data.tfrecord")
    with tf.python_io.TFRecordWriter(path) as writer:
        for i in range(3):
            writer.write(example(tf, ids=list(range(i + 1))).SerializeToString())
    dataset = tf.data.TFRecordDataset(path).batch(3)
    records = dataset.make_one_shot_iterator().get_next()
    ids = tf.parse_example(records, {"ids": tf.VarLenFeature(tf.int64)})["ids"]
    dense = tf.sparse_tensor_to_dense(ids, default_value=-1)
    with tf.Session() as sess:
        np.testing.assert_array_equal(sess.run(dense), [[0, -1, -1], [0, 1, -1], [0, 1, 2]])


def test_decode_csv_in_a_dataset_map_over_text_lines(tmp_path):
    path = tmp_path / "data.csv"
    path.write_text('id,x,name\n1,2.5,a\n2,,b\n3,4,"c,d"\n')
    dataset = (
        tf.data.TextLineDataset(str(path))
        .skip(1)
        .map(lambda line: tf.decode_csv(line, [[0], [-1.0], [""]]))
        .batch(2)
    )
    assert dataset.output_types == (tf.int32, tf.float32, tf.string)
    ids, xs, names = dataset.make_one_shot_iterator().get_next()
    with tf.Session() as sess:
        first = sess.run([ids, xs, names])
        second = sess.run([ids, xs, names])
    np.testing.assert_array_equal(first[1], np.float32([2.5, -1.0]))
    assert list(second[2]) == [b"c,d"]
    np.testing.assert_array_equal(np.concatenate([first[0], second[0]]), [1, 2, 3])
