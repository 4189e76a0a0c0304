"""Tests for the gradients of ``Mul`` and of the element-wise ops with fused gradients
(``Tanh``, ``Sigmoid``, ``Sqrt``, ``Rsqrt``, ``Reciprocal``; scopeflow/ops/math/
elementwise.py) when an IndexedSlices gradient (a ``gather``'s) reaches them: as TF 2.21, it
is made dense where each op uses it, named after that op's argument (``TanhGrad/dy``,
``Mul/x`` and ``Mul_1/y``), not once before the gradient function. Names, inputs and values
are the reference TF's for the same graphs."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf

TABLE = np.arange(1, 31, dtype=np.float32).reshape(10, 3) / 7


def _densified(graph, start: int) -> list:
    return [
        (op.name, [t.name for t in op.inputs])
        for op in graph.get_operations()[start:]
        if op.type == "UnsortedSegmentSum"
    ]


@pytest.mark.parametrize(
    "fn, fused, rows",
    [
        ("tanh", "Tanh_grad/TanhGrad", None),
        (
            "sigmoid",
            "Sigmoid_grad/SigmoidGrad",
            [[0.46131, 0.44128, 0.41834], [0.19661, 0.18333, 0.16967]],
        ),
        ("sqrt", "Sqrt_grad/SqrtGrad", [[1.32288, 1.18322, 1.08012], [0.5, 0.46771, 0.44096]]),
        (
            "rsqrt",
            "Rsqrt_grad/RsqrtGrad",
            [[-2.31503, -1.6565, -1.26014], [-0.5, -0.40924, -0.34297]],
        ),
        (
            "reciprocal",
            "Reciprocal_grad/ReciprocalGrad",
            [[-6.125, -3.92, -2.72222], [-1.0, -0.76562, -0.60494]],
        ),
    ],
)
def test_fused_gradient_makes_the_slices_dense_as_its_dy(graph, fn, fused, rows):
    table = tf.placeholder(tf.float32, [10, 3])
    y = tf.reduce_sum(tf.gather(getattr(tf.math, fn)(table), [1, 2, 1]))
    start = len(graph.get_operations())
    (grad,) = tf.gradients(y, table)
    assert grad.name == f"gradients/{fused}:0"
    assert _densified(graph, start) == [
        (
            f"gradients/{fused}/dy",
            [
                "gradients/GatherV2_grad/Reshape:0",
                "gradients/GatherV2_grad/Reshape_1:0",
                f"gradients/{fused}/strided_slice:0",
            ],
        )
    ]
    if rows is not None:
        with tf.Session() as sess:
            got = sess.run(grad, {table: TABLE})
        np.testing.assert_allclose(got[:3], [[0, 0, 0], *rows], rtol=1e-4, atol=1e-5)


def test_mul_makes_the_slices_dense_for_each_product(graph):
    table = tf.placeholder(tf.float32, [10, 3])
    y = tf.reduce_sum(tf.gather(table * 3.0, [1, 2, 1]))
    start = len(graph.get_operations())
    (grad,) = tf.gradients(y, table)
    assert grad.name == "gradients/mul_grad/Mul:0"
    assert [name for name, _ in _densified(graph, start)] == [
        "gradients/mul_grad/Mul/x",
        "gradients/mul_grad/Mul_1/y",
    ]


def test_broadcast_mul_and_a_second_path_sum_as_tf(graph):
    table = tf.placeholder(tf.float32, [10, 3])
    scaled = table * tf.constant([1.0, 2.0, 3.0])
    y = tf.reduce_sum(tf.gather(scaled, [1, 2, 1])) + tf.reduce_sum(tf.gather(tf.tanh(scaled), [4]))
    start = len(graph.get_operations())
    (grad,) = tf.gradients(y, table)
    assert [name for name, _ in _densified(graph, start)] == [
        "gradients/Tanh_grad/TanhGrad/dy",
        "gradients/AddN/inputs_0",
    ]
    mul_grad = [
        (op.name, op.type)
        for op in graph.get_operations()[start:]
        if op.name.startswith("gradients/mul_grad/")
    ]
    assert mul_grad == [
        ("gradients/mul_grad/Mul", "Mul"),
        ("gradients/mul_grad/Mul_1", "Mul"),
        ("gradients/mul_grad/Shape", "Const"),
        ("gradients/mul_grad/Shape_1", "Const"),
        ("gradients/mul_grad/Sum/reduction_indices", "Const"),
        ("gradients/mul_grad/Sum", "Sum"),
        ("gradients/mul_grad/Reshape", "Reshape"),
    ]
    with tf.Session() as sess:
        got = sess.run(grad, {table: TABLE})
    np.testing.assert_allclose(
        got[:5],
        [[0, 0, 0], [2, 4, 6], [1, 2, 3], [0, 0, 0], [0.09291, 0.00268, 0.00003]],
        rtol=1e-3,
        atol=1e-5,
    )


def _slices_names(grad) -> tuple:
    return (grad.values.name, grad.indices.name, grad.dense_shape.name)


ROWS = (
    "gradients/GatherV2_grad/Reshape:0",
    "gradients/GatherV2_grad/Reshape_1:0",
    "gradients/GatherV2_grad/Shape:0",
)


def _rows_of(table_value, other_shape, build):
    table = tf.placeholder(tf.float32, [10, 3], name="table")
    other = tf.placeholder(tf.float32, other_shape, name="other")
    y = tf.reduce_sum(tf.gather(build(table, other), [1, 2, 1]))
    graph = tf.get_default_graph()
    start = len(graph.get_operations())
    grads = tf.gradients(y, [table, other])
    added = [
        (op.name, op.type)
        for op in graph.get_operations()[start:]
        if "GatherV2_grad" not in op.name and "Sum_grad" not in op.name
    ]
    added = [a for a in added if not a[0].startswith(("gradients/grad_ys", "gradients/Shape"))]
    feed = {table: table_value, other: np.ones([10 if d is None else d for d in other_shape])}
    with tf.Session() as sess:
        dense = sess.run([tf.convert_to_tensor(g) for g in grads], feed)
    return grads, added, dense


def test_add_of_equal_shapes_keeps_the_rows_for_both(graph):
    (gt, go), added, dense = _rows_of(TABLE, [10, 3], lambda t, o: t + o)
    assert _slices_names(gt) == _slices_names(go) == ROWS
    assert added == [("gradients/add_grad/Shape", "Const"), ("gradients/add_grad/Shape_1", "Const")]
    np.testing.assert_array_equal(dense[0].sum(0), [3, 3, 3])


def test_add_broadcast_sums_the_dense_rows_for_the_smaller_input(graph):
    (gt, go), added, dense = _rows_of(TABLE, [3], lambda t, o: o + t)
    assert _slices_names(gt) == ROWS and go.name == "gradients/add_grad/Reshape:0"
    assert ("gradients/add_grad/Sum/input", "UnsortedSegmentSum") in added
    assert dense[1].tolist() == [3, 3, 3]


def test_sub_negates_the_rows_values(graph):
    (gt, go), added, dense = _rows_of(TABLE, [1, 3], lambda t, o: o - t)
    assert _slices_names(gt) == ("gradients/sub_grad/Neg:0", *ROWS[1:])
    assert go.name == "gradients/sub_grad/Reshape:0"
    assert added[:3] == [
        ("gradients/sub_grad/Neg", "Neg"),
        ("gradients/sub_grad/Shape", "Const"),
        ("gradients/sub_grad/Shape_1", "Const"),
    ]
    assert ("gradients/sub_grad/Sum/input", "UnsortedSegmentSum") in added
    np.testing.assert_array_equal(dense[0].sum(0), [-3, -3, -3])
    np.testing.assert_array_equal(dense[1], [[3, 3, 3]])


def test_neg_and_add_n_pass_the_rows_on(graph):
    (gt, go), _, dense = _rows_of(TABLE, [10, 3], lambda t, o: tf.add_n([-t, o]))
    assert _slices_names(gt) == ("gradients/Neg_grad/Neg:0", *ROWS[1:])
    assert _slices_names(go) == ROWS
    np.testing.assert_array_equal(dense[0].sum(0), [-3, -3, -3])


def test_add_with_an_unknown_batch_sums_both_densely(graph):
    (gt, go), added, _ = _rows_of(TABLE, [None, 3], lambda t, o: t + o)
    assert (gt.name, go.name) == ("gradients/add_grad/Reshape:0", "gradients/add_grad/Reshape_1:0")
    assert [n for n, t in added if t == "UnsortedSegmentSum"] == [
        "gradients/add_grad/Sum/input",
        "gradients/add_grad/Sum_1/input",
    ]
