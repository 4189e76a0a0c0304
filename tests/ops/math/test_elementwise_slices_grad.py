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
