"""``tf.losses`` check their weights with TF 2.21's ``assert_broadcastable`` (checked in the
reference TF): constant checks while building (a ``static_..._check_success`` NoOp the loss's
ops depend on, or TF's ``ValueError``), else an ``Assert`` in an ``is_valid_shape`` cond at run
time; ``num_present`` broadcasts through ``broadcast_weights``. Op lists and values are TF's."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf

RNG = np.random.RandomState(3)
LABELS = RNG.rand(4, 3).astype(np.float32)
PREDICTIONS = RNG.rand(4, 3).astype(np.float32)
WEIGHTS = np.float32([[1], [0], [2], [0.5]])
R = tf.losses.Reduction


def _placeholders(shape=(4, 3), weights=(4, 1)):
    return (
        tf.placeholder(tf.float32, shape, name="l"),
        tf.placeholder(tf.float32, shape, name="p"),
        tf.placeholder(tf.float32, weights, name="w"),
    )


def _run(loss, feeds):
    with tf.Session() as sess:
        return sess.run(loss, feeds)


def test_static_shapes_build_tf_s_no_op_and_control_dependencies(graph):
    lab, p, w = _placeholders()
    loss = tf.losses.mean_squared_error(lab, p, weights=w, reduction=R.MEAN)
    ops = [(op.name, op.type, [c.name for c in op.control_inputs]) for op in graph.get_operations()]
    check = "mean_squared_error/assert_broadcastable/static_dims_check_success"
    assert ops[3:11] == [
        ("mean_squared_error/SquaredDifference", "SquaredDifference", []),
        ("mean_squared_error/assert_broadcastable/weights/shape", "Const", []),
        ("mean_squared_error/assert_broadcastable/weights/rank", "Const", []),
        ("mean_squared_error/assert_broadcastable/values/shape", "Const", []),
        ("mean_squared_error/assert_broadcastable/values/rank", "Const", []),
        (check, "NoOp", []),
        ("mean_squared_error/Mul", "Mul", [check]),
        ("mean_squared_error/Const", "Const", [check]),
    ]
    assert len(ops) == 24  # TF's count
    assert loss.name == "mean_squared_error/value:0"
    got = _run(loss, {lab: LABELS, p: PREDICTIONS, w: WEIGHTS})
    np.testing.assert_allclose(got, 0.06988, atol=1e-5)  # TF's value


def test_num_present_broadcasts_through_broadcast_weights(graph):
    lab, p, w = _placeholders()
    loss = tf.losses.mean_squared_error(lab, p, weights=w)
    names = [op.name for op in graph.get_operations()]
    scope = "mean_squared_error/num_present/broadcast_weights"
    assert f"{scope}/assert_broadcastable/static_dims_check_success" in names
    assert graph.get_operation_by_name(scope).type == "Mul"
    assert len(names) == 36  # TF's count
    got = _run(loss, {lab: LABELS, p: PREDICTIONS, w: WEIGHTS})
    want = np.sum((PREDICTIONS - LABELS) ** 2 * WEIGHTS) / 9  # 9 elements of non-zero weight
    np.testing.assert_allclose(got, want, rtol=1e-5)


@pytest.mark.parametrize(
    "loss_fn, count, value",
    [  # TF's op counts and values
        (lambda lab, p, w: tf.losses.absolute_difference(lab, p, weights=w), 153, 0.28244),
        (lambda lab, p, w: tf.losses.mean_pairwise_squared_error(lab, p, weights=w), 179, 0.49147),
    ],
    ids=["absolute_difference", "mean_pairwise_squared_error"],
)
def test_unknown_shapes_check_at_run_time(graph, loss_fn, count, value):
    lab, p, w = _placeholders((None, 3), (None, 1))
    loss = loss_fn(lab, p, w)
    assert len(graph.get_operations()) == count
    np.testing.assert_allclose(
        _run(loss, {lab: LABELS, p: PREDICTIONS, w: WEIGHTS}), value, atol=1e-5
    )


def test_unknown_shapes_that_do_not_broadcast_fail_the_run(graph):
    lab, p, w = _placeholders((None, 3), (None, None))
    loss = tf.losses.mean_squared_error(lab, p, weights=w)
    assert graph.get_operation_by_name("mean_squared_error/assert_broadcastable/AssertGuard/Assert")
    feeds = {lab: LABELS, p: PREDICTIONS, w: np.ones([4, 2], np.float32)}
    with pytest.raises(tf.errors.InvalidArgumentError, match="weights can not be broadcast"):
        _run(loss, feeds)


def test_static_shapes_that_do_not_broadcast_raise_tf_s_errors(graph):
    lab, p, _ = _placeholders()
    with pytest.raises(ValueError, match=r"values.rank=2. weights.rank=1. values.shape=\(4, 3\)"):
        tf.losses.mean_squared_error(lab, p, weights=tf.placeholder(tf.float32, [4]))
    with pytest.raises(ValueError, match=r"Mismatch at dim 0. values.shape=\[4 3\], weights"):
        tf.losses.mean_squared_error(lab, p, weights=tf.placeholder(tf.float32, [2, 3]))
    w = tf.placeholder(tf.float32, [3], name="w3")
    with pytest.raises(ValueError, match=r'Received weights=Tensor\("w3:0".*values=Tensor\("l:0"'):
        tf.losses.mean_pairwise_squared_error(lab, p, weights=w)  # checked against the labels
