"""Edge cases of common math ops against TF 2.21's values (numbers from the reference
TF): NaN in argmax/argmin, FloorMod's sign of zero, round of integers, and the integer
error of reduce_variance/reduce_std."""

from __future__ import annotations

import math

import numpy as np
import pytest

import scopeflow as tf

NAN, INF = float("nan"), float("inf")


def _run(t):
    with tf.Session() as sess:
        return sess.run(t)


def test_argmax_and_argmin_skip_nan_and_give_zero_for_an_all_nan_row(graph):
    cols = np.array([[1.0, NAN, 3.0], [NAN, 2.0, NAN], [NAN, NAN, NAN]], np.float32).T
    rows = np.array([[3.0, 1.0, NAN, 0.0], [NAN, NAN, NAN, NAN]], np.float32)
    got = _run(
        [
            tf.argmax(cols, axis=0),
            tf.argmin(rows, axis=1),
            tf.argmax([1.0, 3.0, NAN]),
            tf.argmax([NAN, -INF]),
            tf.argmin([NAN, INF]),
            tf.argmax(np.array([NAN, 1.0, 3.0], np.float16)),
        ]
    )
    assert [v.tolist() for v in got] == [[2, 1, 0], [3, 0], 1, 0, 0, 2]


def test_floormod_of_floats_keeps_tf_sign_of_zero_and_infinite_divisors(graph):
    x = tf.constant([-0.0, 0.0, -3.0, 3.0, 1e300, -7.5, 7.5], tf.float64)
    y = tf.constant([-2.0, -2.0, INF, -INF, 7.0, 2.0, -2.0], tf.float64)
    got = _run(tf.floormod(x, y))
    assert got.tolist() == [-0.0, 0.0, INF, -INF, 1.0, 0.5, -0.5]
    assert [math.copysign(1, v) for v in got[:2]] == [-1.0, 1.0]
    zeros = _run(tf.constant([-0.0, 4.0]) % -2.0)
    assert [math.copysign(1, v) for v in zeros] == [-1.0, 1.0]


def test_round_of_an_integer_tensor_is_the_tensor_itself(graph):
    x = tf.constant([3], tf.int64)
    assert tf.round(x, name="r") is x
    py = tf.round(3)
    assert (py.op.name, py.op.type, py.dtype) == ("x", "Const", tf.int32)
    f = tf.round([2.5, -0.5, 1.5])
    assert f.op.type == "Round"
    assert _run(f).tolist() == [2.0, -0.0, 2.0]


@pytest.mark.parametrize("fn", [tf.math.reduce_variance, tf.math.reduce_std])
def test_reduce_variance_and_std_reject_integers_as_tf(graph, fn):
    with pytest.raises(TypeError, match=r"Received integer type <dtype: 'int32'>"):
        fn(tf.constant([1, 2]))


def test_adding_strings_builds_tf_add_op_and_joins_them(graph):
    a = tf.constant("a") + "b"
    b = "x/" + tf.constant(["a", "b"])
    c = tf.add(tf.constant([["a"], ["b"]]), tf.constant(["1", "2"]), name="cat")
    n = tf.add(1.0, 2.0)
    assert [(t.op.name, t.op.type) for t in (a, b, c, n)] == [
        ("add", "Add"),
        ("add_1", "Add"),
        ("cat", "Add"),
        ("Add_2", "AddV2"),
    ]
    assert c.shape.as_list() == [2, 2]
    got = _run([a, b, c])
    assert [np.ravel(v).tolist() for v in got] == [
        [b"ab"],
        [b"x/a", b"x/b"],
        [b"a1", b"a2", b"b1", b"b2"],
    ]
    with pytest.raises(TypeError, match="Input 'y' of 'Add' Op has type int32"):
        tf.constant("a") + 1
    with pytest.raises(TypeError, match="Input 'y' of 'AddV2' Op has type string"):
        tf.add(1, "a")


def test_sqrt_rsqrt_reciprocal_gradients_are_zero_where_dy_is_zero(graph):
    # TF 2.21's SqrtGrad/RsqrtGrad/ReciprocalGrad: 0 where dy == 0, even for y = 0, inf, nan
    x = tf.placeholder(tf.float32, [3])
    dy = tf.placeholder(tf.float32, [3])
    feed = {x: [0.0, 0.0, 4.0], dy: [0.0, 1.0, 0.0]}
    grads = [tf.gradients(f(x), x, grad_ys=dy)[0] for f in (tf.sqrt, tf.rsqrt, tf.reciprocal)]
    assert [g.op.type for g in grads] == ["SqrtGrad", "RsqrtGrad", "ReciprocalGrad"]
    y = tf.constant([0.0, INF, NAN, 2.0])
    zeros = tf.zeros([4])
    raw = [op(y=y, dy=zeros) for op in (tf.raw_ops.SqrtGrad, tf.raw_ops.RsqrtGrad)]
    safe = tf.sqrt(tf.constant([0.0, 4.0]))
    kept = tf.where(tf.constant([False, True]), safe, tf.zeros([2]))
    (where_grad,) = tf.gradients(kept, safe.op.inputs[0])
    with tf.Session() as sess:
        got = sess.run(grads, feed)
        raw_got, where_got = sess.run([raw, where_grad])
    assert [g.tolist() for g in got] == [[0.0, INF, 0.0], [0.0, -INF, 0.0], [0.0, -INF, 0.0]]
    assert [r.tolist() for r in raw_got] == [[0.0] * 4, [0.0] * 4]
    assert where_got.tolist() == [0.0, 0.25]
