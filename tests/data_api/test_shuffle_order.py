"""Dataset.shuffle's order (scopeflow/data/values.py ``Shuffle``): TF 2.21's, seeded, pass
after pass, with and without reshuffling, through batch and shuffle_and_repeat (the expected
lists are TF's outputs for the same pipelines, compat.v1 graph mode)."""

from __future__ import annotations

import scopeflow as tf

D = tf.data.Dataset


def _values(ds, n):
    x = ds.make_one_shot_iterator().get_next()
    with tf.Session() as sess:
        return [sess.run(x).tolist() for _ in range(n)]


def test_seeded_orders_are_tfs(graph):
    fixed = D.range(8).shuffle(8, seed=1, reshuffle_each_iteration=False).repeat(2)
    assert _values(fixed, 16) == [7, 4, 5, 2, 3, 0, 6, 1] * 2
    reshuffled = D.range(8).shuffle(8, seed=1).repeat(2)
    assert _values(reshuffled, 16) == [0, 1, 3, 6, 5, 2, 7, 4, 2, 1, 3, 6, 0, 4, 7, 5]
    small_buffer = D.range(10).shuffle(4, seed=1, reshuffle_each_iteration=False)
    assert _values(small_buffer, 10) == [3, 4, 0, 5, 2, 7, 8, 9, 1, 6]
    big_buffer = D.range(5).shuffle(100, seed=3).repeat(3)
    assert _values(big_buffer, 15) == [4, 3, 2, 1, 0, 3, 4, 1, 2, 0, 3, 1, 0, 4, 2]


def test_graph_seed_batches_and_shuffle_and_repeat_are_tfs(graph):
    tf.set_random_seed(5)
    batches = _values(D.range(20).shuffle(7).batch(3).repeat(2), 14)
    assert batches[:7] == [[4, 5, 3], [1, 6, 8], [0, 2, 11], [7, 10, 17], [13, 12, 16],
                           [15, 14, 18], [19, 9]]  # fmt: skip
    assert batches[7:] == [[1, 3, 7], [6, 0, 8], [5, 9, 13], [11, 15, 4], [14, 19, 18],
                           [16, 2, 12], [10, 17]]  # fmt: skip
    with tf.Graph().as_default():  # no graph seed
        repeated = D.range(6).apply(tf.data.experimental.shuffle_and_repeat(4, 3, seed=9))
        got = _values(repeated, 18)
    assert got == [0, 3, 5, 1, 2, 4, 1, 0, 4, 2, 5, 3, 1, 2, 0, 4, 3, 5]


def test_seeded_random_ops_in_a_map_start_over_at_each_initialization(graph):
    # TF 2.21: both initializations of both sessions give the same three draws.
    ds = D.range(3).map(lambda x: tf.random_uniform([], seed=7))
    it = ds.make_initializable_iterator()
    x = it.get_next()
    passes = []
    for _ in range(2):
        with tf.Session() as sess:
            for _ in range(2):
                sess.run(it.initializer)
                passes.append([round(float(sess.run(x)), 6) for _ in range(3)])
    assert passes == [[0.483941, 0.65713, 0.265202]] * 4
