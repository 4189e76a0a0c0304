"""The gradients of element-wise functions of ``x`` that TF 2.21 writes under
``control_dependencies([grad])`` (ops/core/build.py's ``waits_for_grad``; Erf's and Erfc's
constants come first): which gradient ops wait on the incoming gradient, checked against the
reference TF; the values are unchanged."""

from __future__ import annotations

import numpy as np

import scopeflow as tf

FUNCTIONS = [
    tf.sin, tf.cos, tf.tan, tf.exp, tf.log, tf.sqrt, tf.rsqrt, tf.reciprocal, tf.tanh,
    tf.sigmoid, tf.square, tf.abs, tf.asin, tf.acos, tf.atan, tf.sinh, tf.cosh, tf.log1p,
    tf.expm1, tf.erf, tf.lgamma, tf.digamma, tf.nn.softplus, tf.nn.softsign, tf.nn.elu,
    tf.nn.selu, tf.math.asinh, tf.math.acosh, tf.math.atanh, tf.math.erfc,
]  # fmt: skip

# TF 2.21: gradient op -> its control inputs (the Tile of the Sum over that function).
TF_WAITING = {
    "Sin_grad/Cos": ["Sum_grad/Tile"],
    "Cos_grad/Sin": ["Sum_1_grad/Tile"],
    "Tan_grad/Cos": ["Sum_2_grad/Tile"],
    "Log_grad/Reciprocal": ["Sum_4_grad/Tile"],
    "Square_grad/Const": ["Sum_10_grad/Tile"],
    "Asin_grad/Square": ["Sum_12_grad/Tile"],
    "Asin_grad/Const": ["Sum_12_grad/Tile"],
    "Acos_grad/Square": ["Sum_13_grad/Tile"],
    "Acos_grad/Const": ["Sum_13_grad/Tile"],
    "Atan_grad/Square": ["Sum_14_grad/Tile"],
    "Atan_grad/Const": ["Sum_14_grad/Tile"],
    "Sinh_grad/Cosh": ["Sum_15_grad/Tile"],
    "Cosh_grad/Sinh": ["Sum_16_grad/Tile"],
    "Log1p_grad/add/x": ["Sum_17_grad/Tile"],
    "Expm1_grad/Exp": ["Sum_18_grad/Tile"],
    "Erf_grad/Square": ["Sum_19_grad/Tile"],
    "Lgamma_grad/Digamma": ["Sum_20_grad/Tile"],
    "Digamma_grad/Const": ["Sum_21_grad/Tile"],
    "Asinh_grad/Cosh": ["Sum_26_grad/Tile"],
    "Acosh_grad/Sinh": ["Sum_27_grad/Tile"],
    "Atanh_grad/Square": ["Sum_28_grad/Tile"],
    "Atanh_grad/Const": ["Sum_28_grad/Tile"],
    "Erfc_grad/Square": ["Sum_29_grad/Tile"],
}


def test_gradient_ops_wait_for_the_incoming_gradient_as_tf(graph):
    x = tf.placeholder(tf.float32, [3], name="x")
    y = tf.add_n([tf.reduce_sum(f(x)) for f in FUNCTIONS])
    tf.gradients(y, x)
    cut = len("gradients/")
    waiting = {
        op.name[cut:]: [c.name[cut:] for c in op.control_inputs]
        for op in graph.get_operations()
        if "_grad/" in op.name and op.control_inputs
    }
    assert waiting == TF_WAITING


def test_values_are_unchanged(graph):
    x = tf.constant([0.3, 0.6], dtype=tf.float64)
    grads = [tf.gradients(f(x), x)[0] for f in (tf.sin, tf.square, tf.log, tf.erf, tf.atanh)]
    got = tf.Session().run(grads)
    v = np.array([0.3, 0.6])
    want = [np.cos(v), 2 * v, 1 / v, 2 / np.sqrt(np.pi) * np.exp(-v * v), 1 / (1 - v * v)]
    for g, w in zip(got, want, strict=True):
        np.testing.assert_allclose(g, w, rtol=1e-12)
