"""The gradient graph of ``tf.cond`` as TF 2.21 builds it (checked against the reference TF):
the zeros for a branch ``Switch``'s untaken side come from a new ``Switch`` of its input
(``gradients/Switch``, ``Identity``, ``Shape_1``, ``zeros``), and ``Merge``'s gradient
``Switch`` is colocated with the gradient it routes; the values are those of the branch taken."""

from __future__ import annotations

import numpy as np

import scopeflow as tf

G = "gradients/"


def _rows(graph, start: int) -> list[tuple]:
    rows = []
    for op in graph.get_operations()[start:]:
        cls = op.get_attr("_class") if "_class" in op.node_def.attr else []
        ins = [t.name for t in op.inputs]
        rows.append((op.name, op.type, ins, [c.name for c in op.control_inputs], cls))
    return rows


def test_untaken_side_of_a_branch_switch_gets_tfs_zeros(graph):
    p = tf.placeholder(tf.bool, [], name="p")
    a = tf.Variable([1.0, 2.0, 3.0], name="a")
    y = tf.reduce_sum(tf.cond(p, lambda: a * 2.0, lambda: tf.ones([3])))
    start = len(graph.get_operations())
    (g,) = tf.gradients(y, a)
    rows = {r[0]: r[1:] for r in _rows(graph, start)}
    assert rows[G + "cond/Merge_grad/cond_grad"] == (
        "Switch",
        [G + "Sum_grad/Tile:0", "cond/pred_id:0"],
        [],
        [b"loc:@" + (G + "Sum_grad/Tile").encode()],
    )
    tail = _rows(graph, start)[-6:]
    assert tail == [
        (G + "Switch", "Switch", ["a/read:0", "cond/pred_id:0"], [], []),
        (G + "Identity", "Identity", [G + "Switch:0"], [], []),
        (G + "Shape_1", "Shape", [G + "Switch:0"], [], []),
        (G + "zeros/Const", "Const", [], [G + "Identity"], []),
        (G + "zeros", "Fill", [G + "Shape_1:0", G + "zeros/Const:0"], [], []),
        (G + "cond/mul/Switch_grad/cond_grad", "Merge",
         [G + "zeros:0", G + "cond/mul_grad/Mul:0"], [], []),
    ]  # fmt: skip
    with tf.Session() as sess:
        sess.run(a.initializer)
        np.testing.assert_array_equal(sess.run(g, {p: True}), [2.0, 2.0, 2.0])
        np.testing.assert_array_equal(sess.run(g, {p: False}), [0.0, 0.0, 0.0])
