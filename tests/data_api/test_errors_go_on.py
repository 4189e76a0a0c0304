"""Tests for scopeflow/data/values.py's passes: after an element's error, the next
``get_next`` goes on with the elements after it, through each transformation, as TensorFlow
2.21's iterators do (the expected runs below were printed by ``tensorflow.compat.v1`` in
graph mode for the same pipelines; ``batch`` after ``map`` loses the whole batch, as TF's
default map-and-batch fusion)."""

from __future__ import annotations

import pytest

import scopeflow as tf

D = tf.data.Dataset
E = "InvalidArgumentError"


def bad(x):  # fails for the element 2
    with tf.control_dependencies([tf.Assert(tf.not_equal(x, 2), [x])]):
        return tf.identity(x)


def runs(ds, n: int = 12) -> list:
    element = ds.make_one_shot_iterator().get_next()
    out = []
    with tf.Session() as sess:
        for _ in range(n):
            try:
                value = sess.run(element)
            except tf.errors.OutOfRangeError:
                return out
            except tf.errors.OpError as e:
                out.append(type(e).__name__)
                continue
            out.append(value.tolist() if hasattr(value, "tolist") else value)
    return out


# fmt: off
PIPELINES = {
    "map": (lambda: D.range(5).map(bad), [0, 1, E, 3, 4]),
    "map-batch": (lambda: D.range(5).map(bad).batch(2), [[0, 1], E, [4]]),
    "map-filter": (lambda: D.range(5).map(bad).filter(lambda x: x > 0), [1, E, 3, 4]),
    "map-take": (lambda: D.range(5).map(bad).take(4), [0, 1, E, 3, 4]),
    "map-skip": (lambda: D.range(5).map(bad).skip(1), [1, E, 3, 4]),
    "map-prefetch": (lambda: D.range(5).map(bad).prefetch(1), [0, 1, E, 3, 4]),
    "map-repeat": (lambda: D.range(4).map(bad).repeat(2), [0, 1, E, 3, 0, 1, E, 3]),
    "map-map": (lambda: D.range(5).map(bad).map(lambda x: x * 10), [0, 10, E, 30, 40]),
    "map-shuffle": (lambda: D.range(5).map(bad).shuffle(1), [0, 1, E, 3, 4]),
    "interleave": (
        lambda: D.range(2).interleave(lambda i: D.range(4).map(bad), cycle_length=2),
        [0, 0, 1, 1, E, 3, E, 3],
    ),
    "zip": (lambda: D.zip((D.range(5).map(bad), D.range(5))),
            [(0, 0), (1, 1), E, (3, 3), (4, 4)]),
    "take-while": (lambda: D.range(6).map(bad).take_while(lambda x: x < 4), [0, 1, E, 3]),
    "scan": (
        lambda: D.range(5).map(bad).scan(tf.constant(0, tf.int64), lambda s, x: (s + x, s + x)),
        [0, 1, E, 4, 8],
    ),
    "unique": (lambda: D.from_tensor_slices([0, 1, 2, 1, 3]).map(bad).unique(), [0, 1, E, 3]),
    "cache-repeat": (lambda: D.range(5).map(bad).cache().repeat(2), [0, 1, E, 3, 4, 0, 1, 3, 4]),
    "in-a-window": (lambda: D.range(6).window(3).flat_map(lambda w: w.map(bad)),
                    [0, 1, E, 3, 4, 5]),
    "window": (lambda: D.range(6).map(bad).window(2).flat_map(lambda w: w.batch(2)),
               [[0, 1], E, [4, 5]]),
    "rebatch": (
        lambda: D.range(6).map(lambda x: tf.fill([1], x)).map(lambda x: bad(x[0])[None])
        .rebatch(2),
        [[0, 1], E, [3, 4], [5]],
    ),
    "group-by-window": (
        lambda: D.range(6).map(bad).group_by_window(lambda x: x % 2, lambda k, w: w.batch(2), 2),
        [E, [1, 3], [0, 4], [5]],
    ),
    "assert-cardinality": (
        lambda: D.range(5).map(bad).apply(tf.data.experimental.assert_cardinality(5)),
        [0, 1, E, 3, 4, *["FailedPreconditionError"] * 7],
    ),
}
# fmt: on


@pytest.mark.parametrize("name", sorted(PIPELINES))
def test_a_pass_goes_on_after_an_error(graph, name):
    build, want = PIPELINES[name]
    assert runs(build()) == want


def test_a_bad_csv_record_through_make_csv_dataset(graph, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("a,b\n1,2\nx,3\n4,5\n6,7\n")
    ds = tf.data.experimental.make_csv_dataset(
        str(path), 1, column_defaults=[0, 0], num_epochs=1, shuffle=False
    )
    got = runs(ds.map(lambda features: features["a"][0]))
    assert got == [1, E, 4, 6]


def _example(value: int) -> bytes:
    feature = {"s": tf.train.Feature(int64_list=tf.train.Int64List(value=[value]))}
    return tf.train.Example(features=tf.train.Features(feature=feature)).SerializeToString()


def test_dense_to_sparse_batch_goes_on(graph):
    rows = D.range(6).map(bad).map(lambda x: tf.fill([1], x))
    got = runs(rows.apply(tf.data.experimental.dense_to_sparse_batch(2, [1])))
    assert [g if g == E else g.values.tolist() for g in got] == [[0, 1], E, [3, 4], [5]]


def test_unbatch_parse_and_choose_go_on(graph):
    def bad_row(x):
        return bad(x[0]) * 0 + x

    assert runs(D.range(8).batch(2).map(bad_row).unbatch()) == [0, 1, E, 4, 5, 6, 7]
    records = D.from_tensor_slices([[_example(1)], [b"garbage"], [_example(3)]])
    spec = {"s": tf.io.FixedLenFeature([], tf.int64)}
    parsed = runs(records.apply(tf.data.experimental.parse_example_dataset(spec)))
    assert [p if p == E else p["s"] for p in parsed] == [[1], E, [3]]
    choice = D.from_tensor_slices([0, 0, 0, 1, 0, 0]).map(lambda c: tf.cast(c, tf.int64))
    chosen = tf.data.experimental.choose_from_datasets(
        [D.range(5).map(bad), D.range(10, 15)], choice
    )
    assert runs(chosen) == [0, 1, E, 10, 3, 4]
