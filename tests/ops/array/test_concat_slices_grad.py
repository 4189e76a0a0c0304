"""Tests for ``ConcatV2``'s gradient (scopeflow/ops/array/join.py) when the incoming gradient
is an IndexedSlices (a ``gather`` of a concatenation): each input's gradient is an
IndexedSlices too, as TF 2.21 builds it: along axis 0 the rows in each input's span (indices
less its offset), along another axis every row's slice. Op names, types, indices, values and
dense shapes are those the reference TF gave for the same graphs."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf

WEIGHTS = np.arange(12, dtype=np.float32).reshape(4, 3)


def _grads(graph, shapes, axis, ids=(1, 5, 7, 1), columns=3):
    a = tf.placeholder(tf.float32, shapes[0], name="a")
    b = tf.placeholder(tf.float32, shapes[1], name="b")
    rows = tf.gather(tf.concat([a, b], axis), list(ids))
    weights = np.arange(4 * columns, dtype=np.float32).reshape(4, columns)
    return a, b, tf.gradients(tf.reduce_sum(rows * weights), [a, b])


def _run(grads, feeds):
    with tf.Session() as sess:
        return sess.run(grads, feeds)


def _ops(graph):
    return [
        (op.name, op.type)
        for op in graph.get_operations()
        if op.name.startswith("gradients/concat_grad/")
    ]


def test_axis_0_gives_each_input_its_rows(graph):
    a, b, (ga, gb) = _grads(graph, ([None, 3], [6, 3]), 0)
    assert isinstance(ga, tf.IndexedSlices) and isinstance(gb, tf.IndexedSlices)
    assert (ga.indices.name, ga.values.name, ga.dense_shape.name) == (
        "gradients/concat_grad/sub:0",
        "gradients/concat_grad/GatherV2_2:0",
        "gradients/concat_grad/Shape:0",
    )
    assert str(ga.values.shape) == "(?, 3)" and gb.indices.name == "gradients/concat_grad/sub_1:0"
    assert _ops(graph)[:14] == [
        ("gradients/concat_grad/Rank", "Const"),
        ("gradients/concat_grad/mod", "FloorMod"),
        ("gradients/concat_grad/Shape", "Shape"),
        ("gradients/concat_grad/Shape_1", "Const"),
        ("gradients/concat_grad/Const", "Const"),
        ("gradients/concat_grad/GatherV2/axis", "Const"),
        ("gradients/concat_grad/GatherV2", "GatherV2"),
        ("gradients/concat_grad/add", "AddV2"),
        ("gradients/concat_grad/GreaterEqual", "GreaterEqual"),
        ("gradients/concat_grad/Less", "Less"),
        ("gradients/concat_grad/LogicalAnd", "LogicalAnd"),
        ("gradients/concat_grad/Where", "Where"),
        ("gradients/concat_grad/Squeeze", "Squeeze"),
        ("gradients/concat_grad/GatherV2_1/axis", "Const"),
    ]
    got = _run([ga, gb], {a: np.ones((4, 3), np.float32), b: np.ones((6, 3), np.float32)})
    (va, ia, sa), (vb, ib, sb) = got
    np.testing.assert_array_equal(va, [[0, 1, 2], [9, 10, 11]])
    assert ia.tolist() == [1, 1] and sa.tolist() == [4, 3]
    np.testing.assert_array_equal(vb, [[3, 4, 5], [6, 7, 8]])
    assert ib.tolist() == [1, 3] and sb.tolist() == [6, 3]


def test_axis_1_gives_each_input_its_columns_of_every_row(graph):
    a, b, (ga, gb) = _grads(graph, ([10, 2], [10, 3]), 1, columns=5)
    assert (ga.values.name, ga.indices.name) == (
        "gradients/concat_grad/Slice_1:0",
        "gradients/GatherV2_grad/Reshape_1:0",
    )
    assert str(ga.values.shape) == "(4, 2)" and str(gb.values.shape) == "(4, 3)"
    assert [n for n, _ in _ops(graph)][-4:] == [
        "gradients/concat_grad/concat_2",
        "gradients/concat_grad/Slice_3",
        "gradients/concat_grad/mul_1",
        "gradients/concat_grad/Add_1",
    ]
    (va, ia, sa), (vb, ib, sb) = _run(
        [ga, gb], {a: np.ones((10, 2), np.float32), b: np.ones((10, 3), np.float32)}
    )
    np.testing.assert_array_equal(va, [[0, 1], [5, 6], [10, 11], [15, 16]])
    np.testing.assert_array_equal(vb, [[2, 3, 4], [7, 8, 9], [12, 13, 14], [17, 18, 19]])
    assert ia.tolist() == ib.tolist() == [1, 5, 7, 1]
    assert sa.tolist() == [10, 2] and sb.tolist() == [10, 3]


def test_negative_axis_and_int64_indices(graph):
    a = tf.placeholder(tf.float32, [4, 3])
    b = tf.placeholder(tf.float32, [6, 3])
    rows = tf.gather(tf.concat([a, b], -2), tf.constant([1, 5, 7, 1], tf.int64))
    ga, gb = tf.gradients(tf.reduce_sum(rows * WEIGHTS), [a, b])
    assert ga.indices.dtype == tf.int64
    assert "gradients/concat_grad/Rank_1" in [n for n, _ in _ops(graph)]
    (va, ia, _), (vb, ib, _) = _run([ga, gb], {a: np.ones((4, 3)), b: np.ones((6, 3))})
    np.testing.assert_array_equal(va, [[0, 1, 2], [9, 10, 11]])
    assert ia.tolist() == [1, 1] and ib.tolist() == [1, 3]


def test_the_sum_equals_the_dense_gradient(graph):
    emb1 = tf.get_variable("e1", initializer=np.ones((3, 2), np.float32))
    emb2 = tf.get_variable("e2", initializer=np.ones((5, 2), np.float32))
    ids = tf.constant([0, 4, 4, 7, 2])
    loss = tf.reduce_sum(tf.gather(tf.concat([emb1, emb2], 0), ids) ** 2)
    g1, g2 = tf.gradients(loss, [emb1, emb2])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        d1, d2 = sess.run([tf.convert_to_tensor(g1), tf.convert_to_tensor(g2)])
    np.testing.assert_array_equal(d1, [[2, 2], [0, 0], [2, 2]])
    np.testing.assert_array_equal(d2, [[0, 0], [4, 4], [0, 0], [0, 0], [2, 2]])


def test_an_unknown_axis_is_refused_as_in_tf(graph):
    a = tf.placeholder(tf.float32, [4, 3])
    axis = tf.placeholder(tf.int32, [])
    rows = tf.gather(tf.concat([a, a], axis), [1])
    with pytest.raises(ValueError, match="statically-known concat_dim"):
        tf.gradients(tf.reduce_sum(rows), a)
