"""``tf.gather``'s gradient along another axis than 0, and with ``batch_dims``, builds TF 2.21's
graph (the axis moved first by a Transpose whose permutation comes from Range/ConcatV2 ops on
the op's ``axis`` tensor, an UnsortedSegmentSum, the way back, a Reshape to the params' shape)
and TF's values, also for shapes not known while building. Read in the reference TF."""

from __future__ import annotations

import numpy as np

import scopeflow as tf

X = np.arange(24, dtype=np.float32).reshape(2, 3, 4)

# TF's op names under gradients/GatherV2_grad/, in order, for a gather along axis 1.
AXIS_1_OPS = (
    "Shape Size ExpandDims/dim ExpandDims Const Const_1 strided_slice/stack "
    "strided_slice/stack_1 strided_slice/stack_2 strided_slice Const_2 Const_3 "
    "strided_slice_1/stack strided_slice_1/stack_1 strided_slice_1/stack_2 strided_slice_1 "
    "strided_slice_2/stack strided_slice_2/stack_1 strided_slice_2/stack_2 strided_slice_2 "
    "concat/values_1 concat/axis concat Size_1 Size_2 range/start range/limit range/delta "
    "range range_1/start range_1/delta range_1 add/y add range_2/delta range_2 Reshape "
    "concat_1/values_1 concat_1/axis concat_1 transpose GatherV2/axis GatherV2 add_1/y add_1 "
    "strided_slice_3/stack strided_slice_3/stack_1 strided_slice_3/stack_2 strided_slice_3 "
    "Size_3 ExpandDims_1/dim ExpandDims_1 Reshape_1 UnsortedSegmentSum add_2/y add_2 "
    "concat_2/values_2 concat_2/axis concat_2 transpose_1 Shape_1 Reshape_2"
).split()


def test_axis_1_gradient_builds_tf_s_ops_and_values(graph):
    x = tf.placeholder(tf.float32, [2, 3, 4], name="x")
    y = tf.gather(x, [2, 0, 2], axis=1)
    weights = tf.constant(X % 5)
    start = len(graph.get_operations())
    (gx,) = tf.gradients(tf.reduce_sum(y * weights), x)
    prefix = "gradients/GatherV2_grad/"
    names = [op.name for op in graph.get_operations()[start:] if op.name.startswith(prefix)]
    assert names == [prefix + name for name in AXIS_1_OPS]
    assert graph.get_operation_by_name(prefix + "strided_slice/stack_1").inputs[0].name == (
        "GatherV2/axis:0"  # the op's axis tensor, as TF
    )
    assert gx.shape.as_list() == [2, 3, 4]
    static = {
        name: graph.get_tensor_by_name(f"{prefix}{name}:0").shape.as_list()
        for name in ("transpose", "UnsortedSegmentSum", "transpose_1")
    }
    assert static == {  # TF's static shapes
        "transpose": [3, 2, 4],
        "UnsortedSegmentSum": [3, 2, 4],
        "transpose_1": [2, 3, 4],
    }
    with tf.Session() as sess:
        got = sess.run(gx, {x: X})
    want = [4, 0, 1, 2, 0, 0, 0, 0, 3, 5, 2, 4, 1, 2, 3, 4, 0, 0, 0, 0, 2, 4, 6, 3]  # TF's
    np.testing.assert_array_equal(got.ravel(), want)


def test_batch_dims_gradient_with_an_unknown_batch(graph):
    x = tf.placeholder(tf.float32, [None, 3, 4], name="x")
    y = tf.gather(x, [[0, 1], [2, 2]], axis=1, batch_dims=1)
    weights = tf.constant(np.arange(16, dtype=np.float32).reshape(2, 2, 4))
    (gx,) = tf.gradients(tf.reduce_sum(y * weights), x)
    assert gx.shape.as_list() == [None, 3, 4]
    with tf.Session() as sess:
        got = sess.run(gx, {x: X})
    want = [0, 1, 2, 3, 4, 5, 6, 7, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 20, 22, 24, 26]  # TF's
    np.testing.assert_array_equal(got.ravel(), want)


def test_axis_0_gradient_stays_indexed_slices(graph):
    x = tf.placeholder(tf.float32, [None, 3, 4], name="x")
    (gx,) = tf.gradients(tf.gather(x, [1, 1]), x)
    assert isinstance(gx, tf.IndexedSlices)
    assert gx.values.shape.as_list() == [2, 3, 4] and gx.indices.shape.as_list() == [2]
