"""``tf.tensordot`` with shapes not fully known builds TF 2.21's graph (``axes``/``free``
constants, Shape/GatherV2/Prod/ConcatV2/Pack, a Transpose and Reshape, the result reshaped by
a ConcatV2 of the free dimensions), its gradient TF's ops, and TF's values (all read in the
reference TF)."""

from __future__ import annotations

import numpy as np

import scopeflow as tf

RNG = np.random.RandomState(1)
A = RNG.randn(2, 5, 3).astype(np.float32)
B = RNG.randn(3, 4).astype(np.float32)


def test_unknown_batch_builds_tf_shape_ops_and_values(graph):
    a = tf.placeholder(tf.float32, [None, 5, 3], name="a")
    b = tf.placeholder(tf.float32, [3, 4], name="b")
    start = len(graph.get_operations())
    y = tf.tensordot(a, b, [[2], [0]])
    t = "Tensordot/"
    assert [(op.name, op.type) for op in graph.get_operations()[start:]] == [
        (t + "axes", "Const"), (t + "free", "Const"), (t + "Shape", "Shape"),
        (t + "GatherV2/axis", "Const"), (t + "GatherV2", "GatherV2"),
        (t + "GatherV2_1/axis", "Const"), (t + "GatherV2_1", "GatherV2"),
        (t + "Const", "Const"), (t + "Prod", "Prod"), (t + "Const_1", "Const"),
        (t + "Prod_1", "Prod"), (t + "concat/axis", "Const"), (t + "concat", "ConcatV2"),
        (t + "stack", "Pack"), (t + "transpose", "Transpose"), (t + "Reshape", "Reshape"),
        (t + "MatMul", "MatMul"), (t + "Const_2", "Const"), (t + "concat_1/axis", "Const"),
        (t + "concat_1", "ConcatV2"), ("Tensordot", "Reshape"),
    ]  # fmt: skip
    assert graph.get_tensor_by_name(t + "transpose:0").shape.as_list() == [None, 5, 3]
    assert y.name == "Tensordot:0" and y.shape.as_list() == [None, 5, 4]
    start = len(graph.get_operations())
    ga, gb = tf.gradients(tf.reduce_sum(y * y), [a, b])
    grads = [
        (op.name, op.type)
        for op in graph.get_operations()[start:]
        if op.name.startswith("gradients/Tensordot")
    ]
    assert grads == [
        ("gradients/Tensordot_grad/Reshape/shape", "Const"),
        ("gradients/Tensordot_grad/Reshape", "Reshape"),
        ("gradients/Tensordot/MatMul_grad/MatMul", "MatMul"),
        ("gradients/Tensordot/MatMul_grad/MatMul_1", "MatMul"),
        ("gradients/Tensordot/Reshape_grad/Reshape/shape", "Const"),
        ("gradients/Tensordot/Reshape_grad/Reshape", "Reshape"),
        ("gradients/Tensordot/transpose_grad/InvertPermutation", "InvertPermutation"),
        ("gradients/Tensordot/transpose_grad/transpose", "Transpose"),
    ]
    with tf.Session() as sess:
        got_y, got_a, got_b = sess.run([y, ga, gb], {a: A, b: B})
    np.testing.assert_allclose(got_y, np.tensordot(A, B, [[2], [0]]), rtol=1e-5)
    # TF's first values, rounded to 4 places
    np.testing.assert_allclose(got_y.ravel()[:3], [-1.5895, -1.0286, -0.3314], atol=1e-4)
    np.testing.assert_allclose(got_a.ravel()[:3], [5.2411, 2.4093, -4.8165], atol=1e-4)
    np.testing.assert_allclose(got_b.ravel()[:3], [-1.3671, -4.074, -10.8021], atol=1e-4)


def test_unknown_second_input_reshapes_by_concat_of_free_dims(graph):
    a = tf.placeholder(tf.float32, [2, 5, 3], name="a")
    b = tf.placeholder(tf.float32, [3, None], name="b")
    y = tf.tensordot(a, b, 1)
    ops = {op.name: op for op in graph.get_operations()}
    assert ops["Tensordot/Reshape"].inputs[0].name == "a:0"  # a static: no transpose
    assert ops["Tensordot/transpose"].inputs[0].name == "b:0"
    assert [t.name for t in ops["Tensordot/concat_1"].inputs] == [
        "Tensordot/Const_2:0",
        "Tensordot/GatherV2:0",
        "Tensordot/concat_1/axis:0",
    ]
    assert y.shape.as_list() == [2, 5, None]
    with tf.Session() as sess:
        got = sess.run(y, {a: A, b: B})
    np.testing.assert_allclose(got, np.tensordot(A, B, 1), rtol=1e-5)


def test_unknown_rank_and_tensor_axes_run_to_tf_values(graph):
    u = tf.placeholder(tf.float32, name="u")
    y = tf.tensordot(u, tf.constant(B), 1)
    assert y.shape.ndims is None
    assert graph.get_operation_by_name("Tensordot/ListDiff").type == "ListDiff"
    z = tf.tensordot(tf.constant(A), tf.constant(B), tf.constant([[2], [0]]))
    with tf.Session() as sess:
        got_y, got_z = sess.run([y, z], {u: A})
    np.testing.assert_allclose(got_y, np.tensordot(A, B, 1), rtol=1e-5)
    np.testing.assert_allclose(got_z, np.tensordot(A, B, 1), rtol=1e-5)
