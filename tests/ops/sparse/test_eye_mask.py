"""Tests for scopeflow/ops/sparse/eye_mask.py: ``tf.sparse.eye`` and ``tf.sparse.mask`` build
TF 2.21's ops and give its values."""

from __future__ import annotations

import pytest

import scopeflow as tf


def test_eye_is_tfs(run):
    e = tf.sparse.eye(2, 3)
    ops = [(op.name, op.type) for op in tf.get_default_graph().get_operations()]
    assert ops[:7] == [
        ("eye/num_rows", "Const"),
        ("eye/num_columns", "Const"),
        ("eye/Minimum", "Minimum"),
        ("eye/range/start", "Const"),
        ("eye/range/delta", "Const"),
        ("eye/range", "Range"),
        ("eye/stack", "Pack"),
    ]
    assert (e.indices.name, e.values.name) == ("eye/stack:0", "eye/ones:0")
    got = run(e)
    assert got.indices.tolist() == [[0, 0], [1, 1]] and got.dense_shape.tolist() == [2, 3]
    assert got.values.tolist() == [1, 1]
    square = run(tf.sparse.eye(tf.constant(3), dtype=tf.int32, name="E"))
    assert square.indices.tolist() == [[0, 0], [1, 1], [2, 2]] and square.values.dtype == "int32"
    with pytest.raises(TypeError, match="num_rows must be an integer value"):
        tf.sparse.eye(2.0)


def test_mask_is_tfs(run):
    a = tf.IndexedSlices(tf.constant([[1.0], [2.0], [3.0]]), tf.constant([0, 4, 7]))
    kept = tf.sparse.mask(a, [4])
    assert (kept.values.name, kept.indices.name) == ("sparse_mask:0", "sparse_mask/ListDiff:0")
    assert tf.sparse_mask is tf.sparse.mask
    indices, values = run([kept.indices, kept.values])
    assert indices.tolist() == [0, 7] and values.tolist() == [[1], [3]]
