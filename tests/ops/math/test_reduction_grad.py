"""Tests for scopeflow/ops/math/reduction_grad.py: the gradients of Sum, Mean, Prod, Max and
Min build TF 2.21's graph (every op's name, type, inputs and control inputs) and its values,
for known, partly known and unknown shapes, kept dimensions, tensor axes and scalars; the graph's
shape arithmetic (DynamicStitch, ListDiff) folds inside one JAX segment. Also the gradient
graphs of broadcasting binary ops (Maximum, RealDiv, Mul, Add, Pow, Xdivy, Xlogy, SelectV2,
SquaredDifference, Atan2), as TF 2.21 builds them."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf
from tests.ops.math.gradient_graph_records import BINARY, REDUCTIONS


def parse_ops(text: str) -> list[tuple[str, str, list[str], list[str]]]:
    """A record's op lines as ``(name, type, inputs, control inputs)``: ``~`` is
    ``gradients/``, a name without an output index is output 0, ``^`` marks a control
    input, an indented line goes on with the previous op's inputs."""

    def full(name: str) -> str:
        return "gradients/" + name[1:] if name.startswith("~") else name

    ops: list = []
    for line in text.strip("\n").splitlines():
        words = line.split()
        if not line.startswith(" "):
            ops.append((full(words[0]), words[1], [], []))
            words = words[2:]
        for word in words:
            if word.startswith("^"):
                ops[-1][3].append(full(word[1:]))
            else:
                name = full(word)
                ops[-1][2].append(name if ":" in name else name + ":0")
    return ops


def added_ops(graph, start: int) -> list[tuple[str, str, list[str], list[str]]]:
    return [
        (op.name, op.type, [t.name for t in op.inputs], [c.name for c in op.control_inputs])
        for op in graph.get_operations()[start:]
    ]


@pytest.mark.parametrize("case", sorted(REDUCTIONS))
def test_reduction_gradient_graph_and_values_are_tf_2_21s(graph, case):
    shape, expression, ops, values = REDUCTIONS[case]
    x = tf.placeholder(tf.float32, shape, name="x")
    y = eval(expression, {"tf": tf, "x": x})
    start = len(graph.get_operations())
    (gx,) = tf.gradients(y, x)
    assert added_ops(graph, start) == parse_ops(ops)
    if values is None:
        return
    dims = [2, 3, 4] if shape is None or shape else []
    feed = np.arange(int(np.prod(dims)), dtype=np.float32).reshape(dims) % 5 + 1
    with tf.Session() as sess:
        got = sess.run(gx, {x: feed})
    np.testing.assert_allclose(got.ravel(), np.float32(values.split()), rtol=1e-6)


@pytest.mark.parametrize("case", sorted(BINARY))
def test_broadcasting_gradient_graph_is_tf_2_21s(graph, case):
    (shape_a, shape_b, dtype), expression, ops = BINARY[case]
    a = tf.placeholder(dtype, shape_a, name="a")
    b = tf.placeholder(dtype, shape_b, name="b")
    y = eval(expression, {"tf": tf, "a": a, "b": b})
    start = len(graph.get_operations())
    tf.gradients(y, [a, b])
    assert added_ops(graph, start) == parse_ops(ops)


def test_full_reduction_of_a_scalar_takes_its_axes_from_rank_and_range(graph):
    """As TF 2.21 (TF 1.x made one Const of no axes)."""
    total = tf.reduce_sum(tf.placeholder(tf.float32, [], name="s"))
    assert [(op.name, op.type) for op in graph.get_operations()[1:]] == [
        ("Rank", "Const"),
        ("range/start", "Const"),
        ("range/delta", "Const"),
        ("range", "Range"),
        ("Sum", "Sum"),
    ]
    assert total.op.inputs[1].op.name == "range"


def test_int64_axes_with_an_unknown_shape_fail_as_in_tf(graph):
    x = tf.placeholder(tf.float32, [None, 3])
    y = tf.reduce_sum(x, tf.constant([1], tf.int64))
    with pytest.raises(TypeError, match="DynamicStitch"):
        tf.gradients(y, x)


def test_prod_gradient_of_a_scalar_runs(graph):
    x = tf.placeholder(tf.float64, [])
    (gx,) = tf.gradients(tf.reduce_prod(x), x)
    with tf.Session() as sess:
        assert sess.run(gx, {x: 3.0}) == 1.0


def test_jax_folds_the_shape_arithmetic_into_one_segment(graph):
    pytest.importorskip("jax")
    x = tf.placeholder(tf.float32, [None, 3])
    loss = tf.reduce_mean(tf.reduce_max(x, 1)) + tf.reduce_mean(tf.reduce_prod(x, 0))
    (gx,) = tf.gradients(loss, x)
    feed = {x: np.float32([[1.0, 2.0, 3.0], [3.0, 2.0, 0.5]])}
    with tf.Session() as sess:
        want = sess.run(gx, feed)
    with tf.Session(executor="jax") as sess:
        np.testing.assert_allclose(sess.run(gx, feed), want, rtol=1e-6)
        (plan,) = sess._plans.values()
        assert sess._jax.prepare(plan).segments == 1


def test_jax_stitches_computed_data_at_constant_indices(graph):
    pytest.importorskip("jax")
    a, b = tf.placeholder(tf.float16, [3, 2]), tf.placeholder(tf.float16, [1, 2])
    y = tf.dynamic_stitch([[0, 4, 2], [4]], [a * 1.0, b * 1.0])
    feed = {a: np.float16([[1, 2], [3, 4], [5, 6]]), b: np.float16([[7, 8]])}
    with tf.Session(executor="jax") as sess:
        got = sess.run(y, feed)
        (plan,) = sess._plans.values()
        assert sess._jax.prepare(plan).segments == 1
    assert got.dtype == np.float16
    assert got.tolist() == [[1, 2], [0, 0], [5, 6], [0, 0], [7, 8]]


def test_sum_and_mean_place_the_kept_shape_ops_with_the_input_shape_as_tf(graph):
    x = tf.placeholder(tf.float32, [None, 5, 6], name="x")
    y = tf.reduce_sum(tf.reduce_mean(x, axis=[1])) + tf.reduce_sum(tf.reduce_max(x, axis=1))
    tf.gradients(y, x)
    placed = {
        op.name: op.get_attr("_class")
        for op in graph.get_operations()
        if op.name.startswith(("gradients/Mean_grad/", "gradients/Max_grad/"))
        and "_class" in op.node_def.attr
    }
    # TF 2.21: reduced_shape's ops under colocate_with(Shape) for Sum and Mean, not Max
    names = ["Size", "add", "mod", "Shape_1", "range/start", "range/delta", "range"]
    names += ["ones/Const", "ones", "DynamicStitch"]
    assert placed == {
        f"gradients/Mean_grad/{n}": [b"loc:@gradients/Mean_grad/Shape"] for n in names
    }
