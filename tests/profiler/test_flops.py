"""Float-op counts per op type: each expected number is what TF 2.21's profiler gave for the
same op and shapes (compat.v1 graph mode)."""

from __future__ import annotations

import pytest

import scopeflow as tf
from scopeflow.profiler.flops import float_ops


def _count(make):
    g = tf.Graph()
    with g.as_default():
        a = tf.placeholder(tf.float32, [2, 3, 4], name="a")
        b = tf.placeholder(tf.float32, [3, 4], name="b")
        img = tf.placeholder(tf.float32, [2, 9, 9, 3], name="img")
        out = make(a, b, img)
    return float_ops(out.op)


CASES = [
    ("reciprocal", lambda a, b, i: tf.reciprocal(a), 24),
    ("square", lambda a, b, i: tf.square(a), 24),
    ("rsqrt", lambda a, b, i: tf.rsqrt(a), 48),
    ("l2_loss", lambda a, b, i: tf.nn.l2_loss(a), 71),
    ("softmax", lambda a, b, i: tf.nn.softmax(b), 60),
    ("relu (no rule)", lambda a, b, i: tf.nn.relu(a), 0),
    ("exp (no rule)", lambda a, b, i: tf.exp(a), 0),
    ("add broadcast", lambda a, b, i: tf.add(a, b), 24),
    ("mul outer", lambda a, b, i: tf.ones([2, 1]) * tf.ones([1, 3]), 6),
    ("int mul", lambda a, b, i: tf.cast(a, tf.int32) * 2, 24),
    ("squared_difference", lambda a, b, i: tf.squared_difference(a, b), 48),
    ("greater_equal", lambda a, b, i: tf.greater_equal(a, b), 24),
    ("floordiv (no rule)", lambda a, b, i: tf.floordiv(a, b), 0),
    ("mean axis", lambda a, b, i: tf.reduce_mean(a, 1), 24),
    ("sum axes", lambda a, b, i: tf.reduce_sum(a, [0, 2]), 21),
    ("sum keepdims", lambda a, b, i: tf.reduce_sum(a, 1, keepdims=True), 16),
    ("argmin", lambda a, b, i: tf.argmin(a, 2), 18),
    ("max (no rule)", lambda a, b, i: tf.reduce_max(a), 0),
    ("add_n", lambda a, b, i: tf.add_n([a, a, a]), 48),
    ("bias_add", lambda a, b, i: tf.nn.bias_add(a, tf.ones([4])), 24),
    ("bias_add_grad", lambda a, b, i: tf.raw_ops.BiasAddGrad(out_backprop=i), 483),
    ("avg_pool", lambda a, b, i: tf.nn.avg_pool(i, [1, 2, 2, 1], [1, 2, 2, 1], "VALID"), 384),
    ("max_pool same", lambda a, b, i: tf.nn.max_pool(i, [1, 3, 3, 1], [1, 2, 2, 1], "SAME"), 1350),
    (
        "conv2d dilated",
        lambda a, b, i: tf.nn.conv2d(
            i, tf.ones([2, 2, 3, 4]), [1, 1, 1, 1], "VALID", dilations=[1, 2, 2, 1]
        ),
        9408,
    ),
    (
        "depthwise",
        lambda a, b, i: tf.nn.depthwise_conv2d(i, tf.ones([3, 3, 3, 2]), [1, 1, 1, 1], "SAME"),
        17496,
    ),
    (
        "conv3d",
        lambda a, b, i: tf.nn.conv3d(
            tf.ones([1, 4, 4, 4, 2]), tf.ones([2, 2, 2, 2, 3]), [1] * 5, "VALID"
        ),
        2592,
    ),
    (
        "conv2d_transpose",
        lambda a, b, i: tf.nn.conv2d_transpose(
            i, tf.ones([3, 3, 4, 3]), [2, 18, 18, 4], [1, 2, 2, 1]
        ),
        34992,
    ),
    (
        "backprop filter",
        lambda a, b, i: tf.raw_ops.Conv2DBackpropFilter(
            input=tf.ones([1, 7, 7, 3]),
            filter_sizes=[3, 3, 3, 5],
            out_backprop=tf.ones([1, 3, 2, 5]),
            strides=[1, 2, 3, 1],
            padding="VALID",
        ),
        2205,
    ),
    ("matmul transpose_b", lambda a, b, i: tf.matmul(b, b, transpose_b=True), 72),
    ("matmul transpose_a", lambda a, b, i: tf.matmul(b, b, transpose_a=True), 96),
    ("batch matmul", lambda a, b, i: tf.matmul(a, tf.ones([2, 4, 5])), 240),
    (
        "batch matmul adj_x",
        lambda a, b, i: tf.raw_ops.BatchMatMulV2(
            x=tf.ones([2, 3, 4]), y=tf.ones([2, 3, 5]), adj_x=True
        ),
        320,
    ),
    ("einsum (no rule)", lambda a, b, i: tf.einsum("ij,jk->ik", b, tf.ones([4, 2])), 0),
]


@pytest.mark.parametrize("make,expected", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_float_ops_match_tf(make, expected):
    assert _count(make) == expected


def test_pool_and_conv_gradients_match_tf():
    g = tf.Graph()
    with g.as_default():
        img = tf.placeholder(tf.float32, [2, 9, 9, 3])
        ap = tf.nn.avg_pool(img, [1, 2, 2, 1], [1, 2, 2, 1], "VALID")
        mp = tf.nn.max_pool(img, [1, 3, 3, 1], [1, 2, 2, 1], "SAME")
        conv = tf.nn.conv2d(img, tf.ones([3, 3, 3, 5]), [1, 2, 2, 1], "SAME")
        tf.gradients([ap, mp, conv], img)
    counts = {op.type: float_ops(op) for op in g.get_operations()}
    assert counts["AvgPoolGrad"] == 768
    assert counts["MaxPoolGrad"] == 1500
    assert counts["Conv2DBackpropInput"] == 10935


def test_partly_known_shapes_have_no_count(graph):
    z = tf.placeholder(tf.float32, [None, 4])
    assert float_ops(tf.matmul(z, tf.ones([4, 2])).op) is None
    assert float_ops((z * 2.0).op) is None
