"""Tests for ``tf.contrib.data`` (scopeflow/contrib/data.py): TF1's older transformation names."""

from __future__ import annotations

import numpy as np

import scopeflow as tf


def _elements(dataset):
    nxt = dataset.make_one_shot_iterator().get_next()
    out = []
    with tf.Session() as sess:
        try:
            while True:
                out.append(sess.run(nxt))
        except tf.errors.OutOfRangeError:
            return out


def test_older_names_and_aliases(graph):
    data = tf.contrib.data
    assert data.map_and_batch is tf.data.experimental.map_and_batch
    batches = _elements(tf.data.Dataset.range(5).apply(data.batch_and_drop_remainder(2)))
    assert [b.tolist() for b in batches] == [[0, 1], [2, 3]]
    ragged = tf.data.Dataset.range(1, 4).map(lambda n: tf.fill([n], n))
    padded = _elements(ragged.apply(data.padded_batch_and_drop_remainder(2, [3])))
    assert len(padded) == 1 and padded[0].tolist() == [[1, 0, 0], [2, 2, 0]]
    nested = tf.data.Dataset.range(2).apply(
        data.sloppy_interleave(lambda x: tf.data.Dataset.from_tensors(x).repeat(2), 2)
    )
    assert sorted(np.array(_elements(nested)).tolist()) == [0, 0, 1, 1]


def test_tf1_names_of_the_newer_transformations(graph):
    data = tf.contrib.data
    assert data.CsvDataset is tf.data.experimental.CsvDataset
    assert data.group_by_reducer is tf.data.experimental.group_by_reducer
    assert data.get_next_as_optional is tf.data.experimental.get_next_as_optional
    sparse = tf.data.Dataset.range(3).map(lambda n: tf.fill([n], n))
    batches = _elements(sparse.apply(data.dense_to_sparse_batch(3, [2])))
    assert batches[0].values.tolist() == [1, 2, 2]
