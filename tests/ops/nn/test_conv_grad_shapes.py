"""Conv2D's and Conv3D's gradients read both input shapes with one ``ShapeN`` op, never
folded, as TF 2.21's gradients; DepthwiseConv2dNative's with ``Shape`` ops (a constant when
static). Names, inputs and values checked in the reference TF."""

from __future__ import annotations

import numpy as np

import scopeflow as tf


def _grad_ops(graph, prefix):
    return [
        (op.name, op.type, [t.name for t in op.inputs])
        for op in graph.get_operations()
        if op.name.startswith(prefix)
    ]


def test_conv2d_gradient_takes_shapes_from_one_shape_n(graph):
    x = tf.placeholder(tf.float32, [None, 3, 3, 1], name="x")
    w = tf.constant(np.arange(8, dtype=np.float32).reshape(2, 2, 1, 2), name="w")
    y = tf.nn.conv2d(x, w, 1, "SAME")
    gx, gw = tf.gradients(y * y, [x, w])
    grad = "gradients/Conv2D_grad/"
    assert _grad_ops(graph, grad) == [
        (grad + "ShapeN", "ShapeN", ["x:0", "w:0"]),
        (grad + "Conv2DBackpropInput", "Conv2DBackpropInput",
         [grad + "ShapeN:0", "w:0", "gradients/AddN:0"]),
        (grad + "Conv2DBackpropFilter", "Conv2DBackpropFilter",
         ["x:0", grad + "ShapeN:1", "gradients/AddN:0"]),
    ]  # fmt: skip
    assert gx.shape.as_list() == [None, 3, 3, 1] and gw.shape.as_list() == [2, 2, 1, 2]
    with tf.Session() as sess:
        dx, dw = sess.run([gx, gw], {x: np.arange(9, dtype=np.float32).reshape(1, 3, 3, 1)})
    np.testing.assert_array_equal(  # TF's values
        dx.ravel(), [92, 552, 626, 952, 3200, 2992, 1586, 4272, 3544]
    )
    np.testing.assert_array_equal(dw.ravel(), [2024, 3012, 2180, 3066, 3432, 4430, 3216, 4064])


def test_conv3d_gradient_takes_shapes_from_one_shape_n(graph):
    x = tf.placeholder(tf.float32, [1, 2, 2, 2, 1], name="x")
    w = tf.constant(np.arange(8, dtype=np.float32).reshape(2, 2, 2, 1, 1), name="w")
    y = tf.nn.conv3d(x, w, [1] * 5, "VALID")
    gx, gw = tf.gradients(y * y, [x, w])
    grad = "gradients/Conv3D_grad/"
    assert [(n, t) for n, t, _ in _grad_ops(graph, grad)] == [
        (grad + "ShapeN", "ShapeN"),  # even with both shapes static
        (grad + "Conv3DBackpropInputV2", "Conv3DBackpropInputV2"),
        (grad + "Conv3DBackpropFilterV2", "Conv3DBackpropFilterV2"),
    ]
    with tf.Session() as sess:
        dx, dw = sess.run([gx, gw], {x: np.arange(8, dtype=np.float32).reshape(1, 2, 2, 2, 1)})
    want = np.float32([0, 280, 560, 840, 1120, 1400, 1680, 1960])  # TF's, both
    np.testing.assert_array_equal(dx.ravel(), want)
    np.testing.assert_array_equal(dw.ravel(), want)


def test_depthwise_gradient_keeps_shape_ops_as_tf(graph):
    x = tf.placeholder(tf.float32, [None, 5, 5, 2], name="x")
    w = tf.constant(np.ones([3, 3, 2, 2], np.float32), name="w")
    tf.gradients(tf.nn.depthwise_conv2d(x, w, [1, 1, 1, 1], "SAME"), [x, w])
    grad = "gradients/depthwise_grad/"
    assert [(n, t) for n, t, _ in _grad_ops(graph, grad)] == [
        (grad + "Shape", "Shape"),
        (grad + "DepthwiseConv2dNativeBackpropInput", "DepthwiseConv2dNativeBackpropInput"),
        (grad + "Shape_1", "Const"),
        (grad + "DepthwiseConv2dNativeBackpropFilter", "DepthwiseConv2dNativeBackpropFilter"),
    ]
