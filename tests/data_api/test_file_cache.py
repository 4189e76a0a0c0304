"""Tests for scopeflow/data/file_cache.py: ``Dataset.cache(filename)`` writes the first
complete pass to ``<filename>.scopeflow-cache`` and later passes, sessions and graphs read it
instead of the dataset (TF's semantics, in scopeflow's own file format)."""

from __future__ import annotations

import os

import scopeflow as tf


def everything(sess, element) -> list:
    out = []
    while True:
        try:
            out.append(sess.run(element))
        except tf.errors.OutOfRangeError:
            return out


def pipeline(path: str):
    x = tf.placeholder(tf.int64, [None])
    ds = tf.data.Dataset.from_tensor_slices((x, tf.as_string(x)))
    ds = ds.map(lambda a, b: (a * 2, b, tf.SparseTensor([[0]], [a], [3]))).cache(path)
    it = ds.make_initializable_iterator()
    return x, it, it.get_next()


def _plain(rows) -> list:
    return [(int(a), bytes(b), s.values.tolist()) for a, b, s in rows]


def test_the_first_pass_is_written_and_replayed(tmp_path):
    path = str(tmp_path / "c")
    with tf.Graph().as_default():
        x, it, element = pipeline(path)
        with tf.Session() as sess:
            sess.run(it.initializer, {x: [1, 2, 3]})
            first = _plain(everything(sess, element))
            assert os.listdir(tmp_path) == ["c.scopeflow-cache"]
            sess.run(it.initializer, {x: [7, 8]})  # read from the file: the feed is unused
            assert _plain(everything(sess, element)) == first
    assert first == [(2, b"1", [1]), (4, b"2", [2]), (6, b"3", [3])]
    with tf.Graph().as_default():  # another graph and session read the same file
        x, it, element = pipeline(path)
        with tf.Session() as sess:
            sess.run(it.initializer, {x: [9]})
            assert _plain(everything(sess, element)) == first


def test_an_unfinished_pass_leaves_no_file(tmp_path):
    path = str(tmp_path / "c")
    with tf.Graph().as_default():
        ds = tf.data.Dataset.range(5).cache(path)
        it = ds.make_initializable_iterator()
        element = it.get_next()
        with tf.Session() as sess:
            sess.run(it.initializer)
            assert sess.run(element) == 0
            sess.run(it.initializer)  # the first pass is dropped
            assert [int(v) for v in everything(sess, element)] == [0, 1, 2, 3, 4]
    assert os.listdir(tmp_path) == ["c.scopeflow-cache"]  # no temporary file left
