"""A dataset function may return a tensor or a dataset made outside it, as in TF1
(scopeflow/data/function.py captures it): ``map(lambda i: c)``, ``map(lambda i: (i, c))``,
``flat_map``/``interleave`` of a dataset built outside; and ``from_generator(args=...)``
gets its arguments as TF gives them. Expected values were printed by
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


def test_from_generator_with_args(graph):
    seen = []

    def gen(n, word, vec):
        seen.append((type(n).__name__, word, vec.dtype.name, vec.shape))
        for i in range(int(n)):
            yield i, [i] * i

    n = tf.placeholder(tf.int64, [])
    ds = tf.data.Dataset.from_generator(
        gen,
        (tf.int32, tf.int32),
        (tf.TensorShape([]), tf.TensorShape([None])),
        args=(n, "hi", [1.5, 2.5]),
    )
    it = tf.data.make_initializable_iterator(ds)
    nxt = it.get_next()
    with tf.Session() as sess:
        got = []
        for count in (3, 2):
            sess.run(it.initializer, {n: count})
            got.append([(int(i), v.tolist()) for i, v in (sess.run(nxt) for _ in range(count))])
    assert got == [[(0, []), (1, [1]), (2, [2, 2])], [(0, []), (1, [1])]]
    assert seen == [("int64", b"hi", "float32", (2,))] * 2
