"""A dataset function may return a tensor or a dataset made outside it, as in TF1
(scopeflow/data/function.py captures it): ``map(lambda i: c)``, ``map(lambda i: (i, c))``,
``flat_map``/``interleave`` of a dataset built outside. Expected values were printed by
TF 2.21."""

import scopeflow as tf


def _take(ds, n):
    nxt = tf.data.make_one_shot_iterator(ds).get_next()
    with tf.Session() as sess:
        return [sess.run(nxt) for _ in range(n)]


def test_map_returning_an_outer_tensor(graph):
    c = tf.constant([7, 8])
    assert [v.tolist() for v in _take(tf.data.Dataset.range(2).map(lambda i: c), 2)] == [
        [7, 8],
        [7, 8],
    ]
    pairs = _take(tf.data.Dataset.range(2).map(lambda i: (i, c)), 2)
    assert [(int(i), v.tolist()) for i, v in pairs] == [(0, [7, 8]), (1, [7, 8])]


def test_flat_map_and_interleave_of_an_outer_dataset(graph):
    base = tf.data.Dataset.range(3)
    flat = tf.data.Dataset.range(2).flat_map(lambda i: base)
    mixed = tf.data.Dataset.range(2).interleave(lambda i: base, cycle_length=2)
    assert [int(v) for v in _take(flat, 6)] == [0, 1, 2, 0, 1, 2]
    assert [int(v) for v in _take(mixed, 6)] == [0, 0, 1, 1, 2, 2]
