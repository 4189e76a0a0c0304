"""``tf.nn.l2_normalize`` of a complex tensor, as TF 2.21 builds it: the real and imaginary
parts each scaled by the real inverse norm, joined by ``Complex`` (op names, inputs and
values recorded from TF)."""

from __future__ import annotations

import numpy as np

import scopeflow as tf


def test_complex_parts_scaled_by_the_real_norm(graph, run):
    x = tf.constant(np.complex64([[1 + 1j, 3], [0, 2j]]))
    before = len(graph.get_operations())
    out = tf.nn.l2_normalize(x, 1)
    ops = [(op.name, op.type) for op in graph.get_operations()[before:]]
    assert ops == [
        ("l2_normalize/Real", "Real"),
        ("l2_normalize/Square", "Square"),
        ("l2_normalize/Imag", "Imag"),
        ("l2_normalize/Square_1", "Square"),
        ("l2_normalize/add", "AddV2"),
        ("l2_normalize/Sum/reduction_indices", "Const"),
        ("l2_normalize/Sum", "Sum"),
        ("l2_normalize/Maximum/y", "Const"),
        ("l2_normalize/Maximum", "Maximum"),
        ("l2_normalize/Rsqrt", "Rsqrt"),
        ("l2_normalize/Real_2", "Real"),
        ("l2_normalize/Mul", "Mul"),
        ("l2_normalize/Imag_1", "Imag"),
        ("l2_normalize/Mul_1", "Mul"),
        ("l2_normalize", "Complex"),
    ]
    assert out.dtype == tf.complex64
    expected = [[0.30151135 + 0.30151135j, 0.90453404], [0, 1j]]
    np.testing.assert_allclose(run(out), expected, rtol=1e-6)


def test_complex128_zero_row_stays_zero(run):
    out = run(tf.nn.l2_normalize(np.complex128([[0, 0], [3j, 4]]), axis=-1))
    np.testing.assert_allclose(out, [[0, 0], [0.6j, 0.8]], rtol=1e-12)
