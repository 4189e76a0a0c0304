"""``tf.io.parse_sequence_example``: a batch of SequenceExamples parsed to TF 2.21's values,
shapes and op names (the same records parsed there)."""

from __future__ import annotations

import numpy as np

import scopeflow as tf


def _int64(*v):
    return tf.train.Feature(int64_list=tf.train.Int64List(value=v))


def _floats(*v):
    return tf.train.Feature(float_list=tf.train.FloatList(value=v))


def _sequence(context, lists) -> bytes:
    return tf.train.SequenceExample(
        context=tf.train.Features(feature=context),
        feature_lists=tf.train.FeatureLists(
            feature_list={k: tf.train.FeatureList(feature=v) for k, v in lists.items()}
        ),
    ).SerializeToString()


DATA = [
    _sequence(
        {"len": _int64(3), "ids": _int64(1, 2)},
        {
            "tok": [_int64(4), _int64(5), _int64(6)],
            "w": [_floats(0.5, 1.5), _floats(2.5, 3.5), _floats(1.0, 2.0)],
            "sp": [_int64(1, 2), _int64(3)],
        },
    ),
    _sequence(
        {"len": _int64(1), "ids": _int64(7)},
        {"tok": [_int64(8)], "w": [_floats(9.0, 9.5)], "sp": [_int64()]},
    ),
]
CONTEXT = {"len": tf.io.FixedLenFeature([], tf.int64), "ids": tf.io.VarLenFeature(tf.int64)}
LISTS = {
    "tok": tf.io.FixedLenSequenceFeature([], tf.int64),
    "w": tf.io.FixedLenSequenceFeature([2], tf.float32),
    "sp": tf.io.VarLenFeature(tf.int64),
}


def test_batch_as_in_tf(run):
    context, lists, lengths = tf.io.parse_sequence_example(DATA, CONTEXT, LISTS)
    prefix = "ParseSequenceExample/ParseSequenceExample/ParseSequenceExampleV2"
    assert context["ids"].indices.name == f"{prefix}:0"
    assert (context["len"].shape.as_list(), lists["w"].shape.as_list()) == ([2], [2, None, 2])
    assert lists["sp"].indices.shape.as_list() == [None, 3]
    got_context, got_lists, got_lengths = run((context, lists, lengths))
    np.testing.assert_array_equal(got_context["ids"].indices, [[0, 0], [0, 1], [1, 0]])
    np.testing.assert_array_equal(got_context["ids"].dense_shape, [2, 2])
    np.testing.assert_array_equal(got_context["len"], [3, 1])
    np.testing.assert_array_equal(got_lists["sp"].indices, [[0, 0, 0], [0, 0, 1], [0, 1, 0]])
    np.testing.assert_array_equal(got_lists["sp"].values, [1, 2, 3])
    np.testing.assert_array_equal(got_lists["sp"].dense_shape, [2, 2, 2])
    np.testing.assert_array_equal(got_lists["tok"], [[4, 5, 6], [8, 0, 0]])
    np.testing.assert_array_equal(
        got_lists["w"], [[[0.5, 1.5], [2.5, 3.5], [1, 2]], [[9, 9.5], [0, 0], [0, 0]]]
    )
    assert {k: v.tolist() for k, v in got_lengths.items()} == {"tok": [3, 1], "w": [3, 1]}


def test_an_empty_batch(run):
    serialized = tf.placeholder(tf.string, [None])
    context, lists, lengths = tf.io.parse_sequence_example(serialized, CONTEXT, LISTS)
    got = run((context, lists, lengths), {serialized: np.array([], dtype=object)})
    assert got[0]["len"].shape == (0,) and got[1]["w"].shape == (0, 0, 2)
    assert got[1]["sp"].indices.shape == (0, 3) and got[2]["tok"].shape == (0,)
