"""The cross-entropy functions on other ranks than 2 build TF 2.21's graphs: flattened to
[-1, classes] through Rank/Shape/Slice/ConcatV2/Reshape, a non-last axis moved by a Transpose
of a Range/ConcatV2 permutation, the loss reshaped back; the sparse one's runtime shape check
when shapes are not all known, and its unused ``Shape`` of the labels. Op lists, names, static
shapes and values are TF's, read in the reference TF."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf

LOGITS = (np.arange(24, dtype=np.float32).reshape(2, 3, 4) % 5) / 2
LABELS = np.float32(np.eye(4)[[0, 1, 2, 3, 0, 1]].reshape(2, 3, 4))
IDS = np.int32([[0, 1, 2], [3, 0, 1]])
LOSS = [[2.2873387, 2.5460064, 2.6754904], [2.7465672, 2.2873387, 1.7873387]]  # TF's


def _ops(graph, start):
    return [(op.name, op.type) for op in graph.get_operations()[start:]]


def _flatten(scope, n, x, k=""):
    """The ops TF's flattening of ``x`` to [-1, classes] adds (``k``: the uniquing suffix)."""
    rank, shape = f"{scope}/Rank_{n}", f"{scope}/Shape_{n}"
    sub = f"{scope}/Sub{k}"
    return [
        (rank, "Const"), (shape, "Const"), (sub + "/y", "Const"), (sub, "Sub"),
        (f"{scope}/Slice{k}/begin", "Pack"), (f"{scope}/Slice{k}/size", "Const"),
        (f"{scope}/Slice{k}", "Slice"), (f"{scope}/concat{k}/values_0", "Const"),
        (f"{scope}/concat{k}/axis", "Const"), (f"{scope}/concat{k}", "ConcatV2"),
        (f"{scope}/Reshape{k}", "Reshape"),
    ]  # fmt: skip


def _unflatten(scope):
    return [
        (f"{scope}/Sub_2/y", "Const"), (f"{scope}/Sub_2", "Sub"),
        (f"{scope}/Slice_2/begin", "Const"), (f"{scope}/Slice_2/size", "Pack"),
        (f"{scope}/Slice_2", "Slice"), (f"{scope}/Reshape_2", "Reshape"),
    ]  # fmt: skip


@pytest.mark.parametrize("v1", [False, True], ids=["v2", "v1"])
def test_softmax_xent_3d_builds_tf_flatten_and_reshape(graph, v1):
    lg = tf.placeholder(tf.float32, [2, 3, 4], name="lg")
    lb = tf.placeholder(tf.float32, [2, 3, 4], name="lb")
    start = len(graph.get_operations())
    if v1:
        loss = tf.nn.softmax_cross_entropy_with_logits(labels=lb, logits=lg)
    else:
        loss = tf.nn.softmax_cross_entropy_with_logits_v2(labels=lb, logits=lg)
    s = "softmax_cross_entropy_with_logits_sg" if v1 else "softmax_cross_entropy_with_logits"
    first = [(f"{s}/labels_stop_gradient", "StopGradient")] if v1 else []
    assert _ops(graph, start) == [
        *first,
        (f"{s}/Rank", "Const"),
        (f"{s}/Shape", "Const"),
        *_flatten(s, 1, lg),
        *_flatten(s, 2, lb, "_1"),
        (s, "SoftmaxCrossEntropyWithLogits"),
        *_unflatten(s),
    ]
    assert graph.get_tensor_by_name(f"{s}/Reshape:0").shape.as_list() == [6, 4]
    assert loss.name == f"{s}/Reshape_2:0" and loss.shape.as_list() == [2, 3]
    with tf.Session() as sess:
        np.testing.assert_allclose(sess.run(loss, {lg: LOGITS, lb: LABELS}), LOSS, rtol=1e-6)


def test_softmax_xent_axis_0_moves_it_last_with_tf_transposes(graph):
    lg = tf.placeholder(tf.float32, [2, 3, 4], name="lg")
    lb = tf.placeholder(tf.float32, [2, 3, 4], name="lb")
    start = len(graph.get_operations())
    loss = tf.nn.softmax_cross_entropy_with_logits_v2(labels=lb, logits=lg, axis=0)
    s = "softmax_cross_entropy_with_logits"
    ops = _ops(graph, start)
    assert ops[:12] == [
        (f"{s}/Rank", "Const"),
        (f"{s}/range/start", "Const"), (f"{s}/range/limit", "Const"),
        (f"{s}/range/delta", "Const"), (f"{s}/range", "Range"),
        (f"{s}/range_1/start", "Const"), (f"{s}/range_1/delta", "Const"),
        (f"{s}/range_1", "Range"),
        (f"{s}/concat/values_2", "Const"), (f"{s}/concat/axis", "Const"),
        (f"{s}/concat", "ConcatV2"), (f"{s}/transpose", "Transpose"),
    ]  # fmt: skip
    assert (f"{s}/Shape", "Const") in ops  # the moved shape is static, as TF infers it
    assert graph.get_tensor_by_name(f"{s}/transpose:0").shape.as_list() == [3, 4, 2]
    assert loss.name == f"{s}/Reshape_2:0" and loss.shape.as_list() == [3, 4]
    with tf.Session() as sess:
        got = sess.run(loss, {lg: LOGITS, lb: LABELS})
    want = [
        [1.3132616, 0, 0, 1.7014133],
        [1.7014133, 1.3132616, 0, 0],
        [0, 1.7014134, 1.3132616, 0],
    ]
    np.testing.assert_allclose(got, want, rtol=1e-6, atol=1e-7)


def test_softmax_xent_float16_is_computed_in_float32_as_tf(graph):
    loss = tf.nn.softmax_cross_entropy_with_logits_v2(
        labels=tf.constant(LABELS, tf.float16), logits=tf.constant(LOGITS, tf.float16)
    )
    assert loss.name == "softmax_cross_entropy_with_logits/Cast_2:0"
    assert loss.dtype == tf.float16
    with tf.Session() as sess:
        got = sess.run(loss)
    want = [[2.2871094, 2.546875, 2.6757812], [2.7460938, 2.2871094, 1.7871094]]  # TF's
    np.testing.assert_array_equal(got, np.float16(want))


def test_softmax_xent_shape_errors_are_tf_s(graph):
    with pytest.raises(ValueError, match="Dimensions must be equal, but are 4 and 3"):
        tf.nn.softmax_cross_entropy_with_logits_v2(
            labels=tf.zeros([2, 3, 3]), logits=tf.zeros([2, 3, 4])
        )
    # TF compares the flattened [6, 4] shapes only
    loss = tf.nn.softmax_cross_entropy_with_logits_v2(
        labels=tf.zeros([3, 2, 4]), logits=tf.zeros([2, 3, 4])
    )
    assert loss.shape.as_list() == [2, 3]
    with pytest.raises(ValueError, match="Requires start <= limit when delta > 0: 0/-2"):
        tf.nn.softmax_cross_entropy_with_logits_v2(
            labels=tf.zeros([2, 3, 4]), logits=tf.zeros([2, 3, 4]), axis=-2
        )


def test_sparse_xent_unknown_shapes_check_them_at_run_time(graph):
    ids = tf.placeholder(tf.int32, [None, None], name="ids")
    lg = tf.placeholder(tf.float32, [None, None, 4], name="lg")
    start = len(graph.get_operations())
    loss = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=ids, logits=lg)
    s = "SparseSoftmaxCrossEntropyWithLogits"
    ops = _ops(graph, start)
    assert ops[:3] == [
        (f"{s}/Shape", "Shape"),
        (f"{s}/Shape_1", "Shape"),
        (f"{s}/Shape_2", "Shape"),
    ]
    assert ops[-8:] == [
        (f"{s}/strided_slice_1", "StridedSlice"), (f"{s}/Reshape/shape/0", "Const"),
        (f"{s}/Reshape/shape", "Pack"), (f"{s}/Reshape", "Reshape"),
        (f"{s}/Reshape_1/shape", "Const"), (f"{s}/Reshape_1", "Reshape"),
        (f"{s}/{s}", s), (f"{s}/Reshape_2", "Reshape"),
    ]  # fmt: skip
    assert [op.name for op in graph.get_operation_by_name(f"{s}/Rank").control_inputs] == [
        f"{s}/assert_equal_1/Assert/Assert"
    ]
    assert loss.name == f"{s}/Reshape_2:0" and loss.shape.as_list() == [None, None]
    with tf.Session() as sess:
        np.testing.assert_allclose(sess.run(loss, {ids: IDS, lg: LOGITS}), LOSS, rtol=1e-6)
        with pytest.raises(
            tf.errors.InvalidArgumentError, match="Condition x == y did not hold element-wise"
        ):
            sess.run(loss, {ids: IDS.T, lg: LOGITS})


def test_sparse_xent_2d_leaves_tf_s_unused_shape(graph):
    ids = tf.placeholder(tf.int32, [None], name="ids")
    lg = tf.placeholder(tf.float32, [None, 4], name="lg")
    start = len(graph.get_operations())
    loss = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=ids, logits=lg, name="foo")
    assert _ops(graph, start) == [
        ("foo/Shape", "Shape"),
        ("foo/foo", "SparseSoftmaxCrossEntropyWithLogits"),
    ]
    assert loss.name == "foo/foo:0"


def test_sparse_xent_build_errors_are_tf_s(graph):
    with pytest.raises(ValueError, match=r"`logits` cannot be a scalar. Received logits=Tensor\("):
        tf.nn.sparse_softmax_cross_entropy_with_logits(labels=1, logits=2.0)
    with pytest.raises(ValueError, match="`labels.shape` must equal `logits.shape` except for the"):
        tf.nn.sparse_softmax_cross_entropy_with_logits(
            labels=tf.zeros([3, 2], tf.int32), logits=tf.zeros([2, 3, 4])
        )
