"""Tests for scopeflow/ops/state/batch_scatter.py: ``tf.batch_scatter_update`` builds TF 2.21's
ops (names and types) and gives its values."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf

TF_OPS = [
    ("indices", "Const"),
    ("Shape", "Const"),
    ("ExpandDims/dim", "Const"),
    ("ExpandDims", "ExpandDims"),
    ("strided_slice/stack", "Const"),
    ("strided_slice/stack_1", "Const"),
    ("strided_slice/stack_2", "Const"),
    ("strided_slice", "StridedSlice"),
    ("Range/start", "Const"),
    ("Range/delta", "Const"),
    ("Range", "Range"),
    ("Reshape/shape/1", "Const"),
    ("Reshape/shape/2", "Const"),
    ("Reshape/shape", "Pack"),
    ("Reshape", "Reshape"),
    ("ones_like/Shape/shape_as_tensor", "Const"),
    ("ones_like/Const", "Const"),
    ("ones_like", "Fill"),
    ("mul", "Mul"),
    ("concat/axis", "Const"),
    ("concat", "ConcatV2"),
    ("ScatterNdUpdate/updates", "Const"),
    ("ScatterNdUpdate", "ScatterNdUpdate"),
]


def test_ops_and_values_are_tensorflows(graph, run):
    v = tf.Variable(np.arange(12, dtype=np.float32).reshape(2, 3, 2), name="v")
    before = len(graph.get_operations())
    updated = tf.batch_scatter_update(v, [[0, 2], [1, 0]], np.ones([2, 2, 2], np.float32))
    assert [(op.name, op.type) for op in graph.get_operations()[before:]] == TF_OPS
    assert updated.shape.as_list() == [2, 3, 2]
    run(v.initializer)
    np.testing.assert_array_equal(
        run(updated), [[[1, 1], [2, 3], [1, 1]], [[1, 1], [1, 1], [10, 11]]]
    )


def test_unknown_rank_indices_are_refused(graph):
    v = tf.Variable([1.0, 2.0])
    with pytest.raises(ValueError, match="does not allow indices with unknown shape"):
        tf.batch_scatter_update(v, tf.placeholder(tf.int32), [1.0])


def test_the_variable_method_takes_indexed_slices(graph, run):
    v = tf.Variable([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], name="v")
    slices = tf.IndexedSlices(tf.constant([[9.0], [8.0]]), tf.constant([[0], [2]]))
    updated = v.batch_scatter_update(slices)
    assert updated.op.type == "ScatterNdUpdate"
    run(v.initializer)
    np.testing.assert_array_equal(run(updated), [[9, 2, 3], [4, 5, 8]])
    with pytest.raises(TypeError, match="sparse_delta is not IndexedSlices"):
        v.batch_scatter_update([1])
