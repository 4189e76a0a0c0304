"""``tf.transpose`` without ``perm`` of a tensor of unknown rank: the reversed ``Range`` TF
2.21 builds from its ``Rank`` (same op names and inputs), and its gradient."""

from __future__ import annotations

import numpy as np

import scopeflow as tf


def test_perm_built_from_the_rank(graph, run):
    x = tf.placeholder(tf.float32, None, name="x")
    out = tf.transpose(x)
    ops = [(op.name, op.type, [t.name for t in op.inputs]) for op in graph.get_operations()]
    assert ops[1:] == [
        ("transpose/Rank", "Rank", ["x:0"]),
        ("transpose/sub/y", "Const", []),
        ("transpose/sub", "Sub", ["transpose/Rank:0", "transpose/sub/y:0"]),
        ("transpose/Range/limit", "Const", []),
        ("transpose/Range/delta", "Const", []),
        (
            "transpose/Range",
            "Range",
            ["transpose/sub:0", "transpose/Range/limit:0", "transpose/Range/delta:0"],
        ),
        ("transpose", "Transpose", ["x:0", "transpose/Range:0"]),
    ]
    assert out.shape.ndims is None
    value = np.arange(6.0, dtype=np.float32).reshape(1, 2, 3)
    np.testing.assert_array_equal(run(out, {x: value}), value.T)
    assert run(out, {x: 5.0}) == 5.0


def test_gradient_through_the_dynamic_perm(run):
    x = tf.placeholder(tf.float32, None)
    weights = np.arange(6.0, dtype=np.float32).reshape(3, 2)
    grad = tf.gradients(tf.reduce_sum(tf.transpose(x) * weights), x)[0]
    np.testing.assert_array_equal(run(grad, {x: np.ones([2, 3], np.float32)}), weights.T)
