"""Tests for ``Dataset.window`` (scopeflow/data/transforms.py, transform_values.py) and the
nested datasets it makes (structure.py's ``NestedSpec``, function.py): windows read through
``flat_map``, ``interleave`` and ``map`` give TensorFlow 2.21's elements (printed by
``tensorflow.compat.v1`` in graph mode for the same pipelines)."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf

D = tf.data.Dataset


def everything(ds, limit: int = 20) -> list:
    element = ds.make_one_shot_iterator().get_next()
    out = []
    with tf.Session() as sess:
        for _ in range(limit):
            try:
                value = sess.run(element)
            except tf.errors.OutOfRangeError:
                break
            out.append(np.asarray(value).tolist() if not isinstance(value, tuple) else value)
    return out


# fmt: off
PASSES = {
    "shift": (lambda: D.range(7).window(3, 2).flat_map(lambda w: w.batch(3)),
              [[0, 1, 2], [2, 3, 4], [4, 5, 6], [6]]),
    "drop": (lambda: D.range(7).window(3, 2, drop_remainder=True).flat_map(lambda w: w.batch(3)),
             [[0, 1, 2], [2, 3, 4], [4, 5, 6]]),
    "stride": (lambda: D.range(10).window(3, 1, 3).flat_map(lambda w: w.batch(3)),
               [[0, 3, 6], [1, 4, 7], [2, 5, 8], [3, 6, 9], [4, 7], [5, 8], [6, 9], [7], [8],
                [9]]),
    "default-shift": (lambda: D.range(10).window(2).flat_map(lambda w: w.batch(3)),
                      [[0, 1], [2, 3], [4, 5], [6, 7], [8, 9]]),
    "shift-past-size": (lambda: D.range(10).window(2, 4).flat_map(lambda w: w.batch(3)),
                        [[0, 1], [4, 5], [8, 9]]),
    "interleave": (lambda: D.range(6).window(3).interleave(lambda w: w, cycle_length=2),
                   [0, 3, 1, 4, 2, 5]),
    "reduce-in-map": (
        lambda: D.range(7).window(3).map(
            lambda w: w.reduce(tf.constant(0, tf.int64), lambda s, x: s + x)),
        [3, 12, 6]),
    "endless": (lambda: D.range(3).repeat().window(2).flat_map(lambda w: w.batch(2)).take(4),
                [[0, 1], [2, 0], [1, 2], [0, 1]]),
}
# fmt: on


@pytest.mark.parametrize("name", sorted(PASSES))
def test_windows_as_tf(graph, name):
    build, want = PASSES[name]
    assert everything(build()) == want


def test_structured_windows(graph):
    slices = D.from_tensor_slices({"a": np.arange(5), "b": np.arange(5) * 10})
    ds = slices.window(2).flat_map(lambda d: D.zip((d["a"].batch(2), d["b"].batch(2))))
    got = [tuple(np.asarray(c).tolist() for c in e) for e in everything(ds)]
    assert got == [([0, 1], [0, 10]), ([2, 3], [20, 30]), ([4], [40])]
    pairs = D.from_tensor_slices((np.arange(5), np.arange(5) * 10)).window(2, 3)
    got = everything(pairs.flat_map(lambda a, b: D.zip((a, b))))
    assert [tuple(int(c) for c in e) for e in got] == [(0, 0), (1, 10), (3, 30), (4, 40)]


def test_graph_and_element_spec(graph):
    w = D.range(7).window(3)
    spec = tf.data.DatasetSpec(tf.TensorSpec([], tf.int64))
    assert w.element_spec == spec and w.output_types == spec and w.output_classes == spec
    assert [(op.name, op.type) for op in graph.get_operations()] == [
        ("start", "Const"), ("stop", "Const"), ("step", "Const"),
        ("RangeDataset", "RangeDataset"), ("size", "Const"), ("shift", "Const"),
        ("stride", "Const"), ("drop_remainder", "Const"), ("WindowDataset", "WindowDataset"),
    ]  # fmt: skip
    assert w._variant_tensor.op.get_attr("output_types") == [tf.variant]


def test_cardinality(graph):
    counts = [
        D.range(10).window(3, 2).cardinality(),
        D.range(10).window(3, 2, drop_remainder=True).cardinality(),
    ]
    assert tf.Session().run(counts) == [5, 4]


@pytest.mark.parametrize(
    ("args", "message"),
    [((0,), "Window size must be greater than zero."),
     ((2, 0), "Window shift must be greater than zero."),
     ((2, 1, 0), "Window stride must be greater than zero.")],
)  # fmt: skip
def test_bad_arguments_fail_the_dataset_op(graph, args, message):
    it = D.range(5).window(*args).flat_map(lambda w: w).make_one_shot_iterator()
    with pytest.raises(tf.errors.InvalidArgumentError, match=message):
        tf.Session().run(it.get_next())
