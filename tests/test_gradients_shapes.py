"""Tests for scopeflow/gradients.py: a dense gradient takes the static shape of the input it
is for, as TF's ``tf.gradients`` sets it (IndexedSlices and resource inputs keep theirs), and
a gradient function's result that contradicts its input's shape is refused with TF's words.
Expected shapes are TensorFlow 2.21's, read from its graphs in the reference venv."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf


def _shapes(grads) -> list:
    return [str(g.values.shape) if isinstance(g, tf.IndexedSlices) else str(g.shape) for g in grads]


def test_tensordot_weight_gradient_takes_the_weight_shape(graph):
    x = tf.placeholder(tf.float32, [None, 5, 3])
    w = tf.get_variable("w", [3, 4])
    dx, dw = tf.gradients(tf.reduce_sum(tf.tensordot(x, w, 1)), [x, w])
    # MatMul's own shape rule gives (?, 4) here: TF's (3, 4) comes from the weight
    assert dw.op.name == "gradients/Tensordot/MatMul_grad/MatMul_1"
    assert _shapes([dx, dw]) == ["(?, 5, 3)", "(3, 4)"]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        got = sess.run(dw, {x: np.ones((2, 5, 3), np.float32)})
    np.testing.assert_allclose(got, np.full((3, 4), 10.0))


def test_models_gradients_have_tfs_static_shapes(graph):
    img = tf.placeholder(tf.float32, [None, 8, 8, 2])
    conv = tf.layers.conv2d(img, 4, 3)
    pool = tf.layers.max_pooling2d(conv, 2, 2)
    assert _shapes(tf.gradients(tf.reduce_sum(pool), [img, conv])) == [
        "(?, 8, 8, 2)",
        "(?, 6, 6, 4)",
    ]
    seq = tf.placeholder(tf.float32, [None, 6, 3])
    out, _ = tf.nn.dynamic_rnn(tf.nn.rnn_cell.LSTMCell(4), seq, dtype=tf.float32)
    kernel, bias = tf.trainable_variables()[-2:]
    assert _shapes(tf.gradients(tf.reduce_sum(out), [seq, kernel, bias])) == [
        "(?, 6, 3)",
        "(7, 16)",
        "(16,)",
    ]


def test_gather_reshape_and_reduction_gradients(graph):
    emb = tf.get_variable("emb", [10, 3])
    ids = tf.placeholder(tf.int32, [None, 4])
    e = tf.gather(emb, ids)
    d_emb, d_e = tf.gradients(tf.reduce_sum(e * 2.0), [emb, e])
    assert isinstance(d_emb, tf.IndexedSlices)  # its values keep their own shape
    assert _shapes([d_emb, d_e]) == ["(?, 3)", "(?, 4, 3)"]
    u = tf.placeholder(tf.float32)
    r = tf.reshape(u, [-1, 2])
    assert _shapes(tf.gradients(tf.reduce_sum(r), [u, r])) == ["<unknown>", "(?, 2)"]
    v = tf.placeholder(tf.float32, [None, None, 4])
    m = tf.reduce_max(v, axis=1)
    s = tf.reduce_sum(tf.square(v), axis=[0, 2])
    assert _shapes(tf.gradients(tf.reduce_sum(m) + tf.reduce_sum(s), [v, m])) == [
        "(?, ?, 4)",
        "(?, 4)",
    ]


def test_gradient_through_an_unshaped_custom_gradient_takes_the_input_shape(graph):
    z = tf.placeholder(tf.float32, [None, 3])

    @tf.custom_gradient
    def f(a):
        return tf.identity(a), lambda dy: tf.reshape(dy, tf.shape(dy))

    (dz,) = tf.gradients(tf.reduce_sum(f(z)), z)
    assert dz.op.name == "gradients/IdentityN_grad/Reshape"
    assert str(dz.shape) == "(?, 3)"


def test_resource_variable_gradient(graph):
    v = tf.get_variable("v", [3], use_resource=True)
    (dv,) = tf.gradients(tf.reduce_sum(v.read_value() * 2.0), v)
    assert dv.op.name == "gradients/mul_grad/Mul"
    assert str(dv.shape) == "(3,)"


def test_a_gradient_contradicting_its_input_shape_is_refused(graph):
    @tf.RegisterGradient("GradShapeWrong")
    def _wrong(op, grad):
        return tf.zeros([2, 2])

    x = tf.placeholder(tf.float32, [3])
    with graph.gradient_override_map({"Square": "GradShapeWrong"}):
        y = tf.square(x)
    with pytest.raises(ValueError) as err:
        tf.gradients(y, x)
    assert str(err.value) == (
        "Incompatible shapes between op input and calculated input gradient. Forward "
        "operation: Square. Input index: 0. Original input shape: (3,). Calculated input "
        "gradient shape: (2, 2)"
    )
