"""tf.data's seeded random sources give TF's numbers (scopeflow/data/transform_values.py's
``RandomSeeds``): ``RandomDataset`` yields the 32-bit words of Philox keyed by the graph seed
from counter ``op seed << 64``, so the choices of ``sample_from_datasets`` and
``rejection_resample`` built on it follow TF's. Expected values were printed by TF 2.21."""

import scopeflow as tf


def _take(ds, n):
    nxt = tf.data.make_one_shot_iterator(ds).get_next()
    with tf.Session() as sess:
        return [sess.run(nxt) for _ in range(n)]


def test_random_dataset_is_tfs_philox_words(graph):
    tf.set_random_seed(61)
    words = tf.data.experimental.RandomDataset(seed=13)
    assert [int(v) for v in _take(words, 6)] == [
        4232961718, 2319678065, 1237731173, 2329769183, 59626145, 1026918552,
    ]  # fmt: skip
    assert [int(v) for v in _take(words.skip(1020), 6)] == [
        836361020, 3018439619, 3528963735, 2530925834, 1187670297, 1490471109,
    ]  # fmt: skip


def test_random_dataset_without_a_graph_seed(graph):
    words = tf.data.experimental.RandomDataset(seed=13).skip(1020)
    assert [int(v) for v in _take(words, 3)] == [2084569457, 2913831549, 125707169]


def test_sample_from_datasets_picks_as_tf(graph):
    tf.set_random_seed(61)
    a = tf.data.Dataset.range(100).repeat()
    b = tf.data.Dataset.range(100, 200)
    mixed = tf.data.experimental.sample_from_datasets([a, b], [0.7, 0.3], seed=13)
    assert [int(v) for v in _take(mixed, 12)] == [100, 101, 102, 0, 103, 1, 2, 3, 104, 4, 5, 6]


def test_rejection_resample_keeps_as_tf(graph):
    tf.set_random_seed(61)
    real = tf.data.Dataset.range(40).map(lambda i: (i, tf.cast(tf.equal(i % 4, 0), tf.int32)))
    synth = tf.data.Dataset.range(1000, 2000).map(lambda i: (i, tf.constant(1)))
    mixed = tf.data.experimental.sample_from_datasets([real.repeat(), synth], [0.7, 0.3], seed=13)
    balanced = mixed.apply(
        tf.data.experimental.rejection_resample(
            lambda x, y: y, target_dist=[0.5, 0.5], initial_dist=[0.6, 0.4], seed=17
        )
    )
    assert [int(v[1][0]) for v in _take(balanced, 16)] == [
        1000, 1001, 1002, 1000, 0, 1003, 1, 1001, 2, 3, 1004, 4, 5, 1002, 6, 1005,
    ]  # fmt: skip
