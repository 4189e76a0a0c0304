"""Tests for scopeflow/ops/broadcasting.py: the ``BroadcastGradientArgs`` kernel against the
values TensorFlow 2.21 (``tensorflow.compat.v1``) gives, and which gradient graphs settle the
broadcast axes while building and which leave them to that op; ``BroadcastArgs``
(``tf.broadcast_dynamic_shape``) and ``tf.broadcast_static_shape`` as TF 2.21 gives them."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf
from tests.ops.kernel_table import Case, Raises, cases_by_mode, check_case


def _args(s0, s1, dtype=np.int32):
    g = tf.get_default_graph()
    op = g.create_op("BroadcastGradientArgs", [tf.constant(s0, dtype), tf.constant(s1, dtype)])
    with tf.Session() as sess:
        return [v.tolist() for v in sess.run(op.outputs)], [t.dtype for t in op.outputs]


@pytest.mark.parametrize(
    ("s0", "s1", "r0", "r1"),
    [
        ([2, 1, 3], [1, 1, 3], [1], [0, 1]),
        ([1], [1], [], []),
        ([], [2, 3], [0, 1], []),
        ([2, 3], [3], [], [0]),
        ([5, 1], [1, 4], [1], [0]),
        ([], [], [], []),
        ([0, 1], [1, 3], [1], [0]),
        ([1, 1], [1, 3], [0, 1], [0]),
        ([2, 1, 1], [2, 1, 1], [], []),
        ([2, 1, 1], [1, 1], [1, 2], [0, 1, 2]),
    ],
)
def test_broadcast_gradient_args_matches_tf(graph, s0, s1, r0, r1):
    values, out_dtypes = _args(s0, s1)
    assert values == [r0, r1]
    assert out_dtypes == [tf.int32, tf.int32]


def test_broadcast_gradient_args_keeps_int64(graph):
    values, out_dtypes = _args([3, 1], [4], np.int64)
    assert values == [[1], [0]]
    assert out_dtypes == [tf.int64, tf.int64]


def test_broadcast_gradient_args_rejects_incompatible_shapes(graph):
    with pytest.raises(
        tf.errors.InvalidArgumentError, match=r"Incompatible shapes: \[2,3\] vs\. \[4,3\]"
    ):
        _args([2, 3], [4, 3])


def _broadcast_args(s0, s1):
    return np.asarray(np.broadcast_shapes(tuple(s0), tuple(s1)), s0.dtype)


BROADCAST_ARGS_CASES = [
    Case("scalar-matrix", "BroadcastArgs", tf.broadcast_dynamic_shape,
         (np.int32([]), np.int32([2, 3])), _broadcast_args),
    Case("ones", "BroadcastArgs", tf.broadcast_dynamic_shape,
         (np.int32([2, 1, 1]), np.int32([4, 3])), _broadcast_args),
    Case("zero-size", "BroadcastArgs", tf.broadcast_dynamic_shape,
         (np.int64([0, 1]), np.int64([1, 5])), _broadcast_args),
    Case("incompatible", "BroadcastArgs", tf.broadcast_dynamic_shape,
         (np.int32([2]), np.int32([3])), Raises(tf.errors.InvalidArgumentError,
                                              "Incompatible shapes: [2] vs. [3]")),
]  # fmt: skip


@pytest.mark.parametrize(("case", "mode"), cases_by_mode(BROADCAST_ARGS_CASES))
def test_broadcast_args_kernel(run, case, mode):
    check_case(run, case, mode)


def test_broadcast_dynamic_shape_builds_tf1s_op(graph):
    x = tf.placeholder(tf.float32, [None, 3])
    b = tf.broadcast_dynamic_shape(tf.shape(x), [2, 1, 1])
    assert (b.name, b.dtype, b.shape.as_list()) == ("BroadcastArgs:0", tf.int32, [3])
    assert b.op.inputs[1].op.name == "BroadcastArgs/s1"


def test_broadcast_static_shape_as_tf(graph):
    got = tf.broadcast_static_shape(tf.TensorShape([None, 3]), tf.TensorShape([2, 1, 1]))
    assert got.as_list() == [2, None, 3]
    with pytest.raises(ValueError, match=r"Received: \(2,\) and \(3,\)\.$"):
        tf.broadcast_static_shape(tf.TensorShape([2]), tf.TensorShape([3]))


def _op_types(graph) -> set[str]:
    return {op.type for op in graph.get_operations()}


@pytest.mark.parametrize(
    ("x_shape", "y_shape"),
    [([2, 3], [3]), ([None, 3], [3]), ([None, 1], [3]), ([None, 3], [1]), ([None, 3], []),
     ([2, 1], [None]), ([1], [None])],
)  # fmt: skip
def test_static_shapes_that_settle_the_axes_need_no_run_time_op(graph, x_shape, y_shape):
    """As TF 2.21: a 1 against an unknown dimension is summed over (harmless if that is 1)."""
    x, y = tf.placeholder(tf.float32, x_shape), tf.placeholder(tf.float32, y_shape)
    gx, gy = tf.gradients(x + y, [x, y])
    assert "BroadcastGradientArgs" not in _op_types(graph)
    assert gx.shape.as_list() == x_shape and gy.shape.as_list() == y_shape


@pytest.mark.parametrize(
    ("x_shape", "y_shape"),
    [([None, 3], [None, 3]), ([None], [3]), (None, [3]), ([None, 1], [None, 3])],
)
def test_unknown_dimensions_that_may_broadcast_use_the_run_time_op(graph, x_shape, y_shape):
    x, y = tf.placeholder(tf.float32, x_shape), tf.placeholder(tf.float32, y_shape)
    gx, gy = tf.gradients(x + y, [x, y])
    args = [op for op in graph.get_operations() if op.type == "BroadcastGradientArgs"]
    assert [op.name for op in args] == ["gradients/add_grad/BroadcastGradientArgs"]
    x_value = np.ones([2, 3] if x_shape is None else [d or 1 for d in x_shape], np.float32)
    y_value = np.ones([d or 3 for d in y_shape], np.float32)
    with tf.Session() as sess:
        gx_value, gy_value = sess.run([gx, gy], {x: x_value, y: y_value})
    out = np.broadcast_shapes(x_value.shape, y_value.shape)
    assert gx_value.shape == x_value.shape and gy_value.shape == y_value.shape
    assert gx_value.sum() == gy_value.sum() == np.prod(out)
