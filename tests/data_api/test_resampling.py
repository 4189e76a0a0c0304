"""Tests for scopeflow/data/resampling.py: ``rejection_resample`` builds TF's pipeline and its
classes follow the target distribution (TF 2.21 gave means of 0.51 and 0.51 for the two
resamplings below over 2000 elements; the draws themselves are TF's, checked in
test_random_streams.py)."""

from __future__ import annotations

import numpy as np

import scopeflow as tf

D = tf.data.Dataset
E = tf.data.experimental


def classes(ds, n: int) -> np.ndarray:
    element = ds.take(n).make_one_shot_iterator().get_next()
    with tf.Session() as sess:
        return np.array([sess.run(element)[0] for _ in range(n)])


def skewed():
    return D.from_tensor_slices(np.int64([0] * 9 + [1])).shuffle(10, seed=3).repeat()


def to_class(x):
    return tf.cast(x, tf.int32)


def test_known_initial_distribution(graph):
    tf.set_random_seed(1)
    ds = skewed().apply(E.rejection_resample(to_class, [0.5, 0.5], initial_dist=[0.9, 0.1], seed=1))
    assert ds.output_types == (tf.int32, tf.int64)
    assert abs(classes(ds, 300).mean() - 0.5) < 0.1


def test_estimated_initial_distribution(graph):
    tf.set_random_seed(1)
    ds = skewed().rejection_resample(to_class, [0.5, 0.5], seed=1)
    types = [op.type for op in graph.get_operations()]
    assert types.count("ScanDataset") == 1 and "DirectedInterleaveDataset" in types
    assert abs(classes(ds, 150).mean() - 0.5) < 0.15


def test_static_shortcuts(graph):
    same = skewed().apply(E.rejection_resample(to_class, [0.9, 0.1], initial_dist=[0.9, 0.1]))
    assert same._variant_tensor.op.type == "MapDataset"  # every element taken as it is
    only = skewed().apply(E.rejection_resample(to_class, [1.0, 0.0], initial_dist=[0.5, 0.5]))
    assert only._variant_tensor.op.type == "PrefetchDataset"  # the filter alone
    assert set(classes(only, 20)) == {0}


def test_tuple_elements(graph):
    pairs = D.from_tensor_slices((np.int64([0, 1] * 5), np.arange(10.0))).repeat()
    ds = pairs.rejection_resample(lambda c, v: to_class(c), [0.5, 0.5], seed=2)
    assert ds.output_types == (tf.int32, (tf.int64, tf.float64))
