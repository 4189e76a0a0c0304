"""Tests for scopeflow/ops/control/xla.py (``tf.xla.experimental.jit_scope`` and ``compile``):
the graphs, attrs, values and errors recorded from TF 2.21's compat.v1 graph mode."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf
from tests.ops.kernel_table import Case, cases_by_mode, check_case

CASES = [
    Case("float", "XlaClusterOutput",
         lambda x: tf.xla.experimental.compile(lambda a: a * 2.0, [x])[0].op.inputs[0],
         (np.float32([[1, -2], [3, 4]]),), np.float32([[2, -4], [6, 8]])),
]  # fmt: skip


@pytest.mark.parametrize(("case", "mode"), cases_by_mode(CASES))
def test_kernels(run, case, mode):
    check_case(run, case, mode)


def _listing(graph):
    return [
        (op.name, op.type, [t.name for t in op.inputs], sorted(c.name for c in op.control_inputs),
         op._attrs.get("_xla_compile_id"))
        for op in graph.get_operations()
    ]  # fmt: skip


def test_compile_builds_tfs_cluster(graph, run):
    x = tf.placeholder(tf.float32, [2], name="x")
    pair = tf.xla.experimental.compile(lambda a: (a * 2 + 1, a), [x])
    nothing = tf.xla.experimental.compile(lambda: None)
    mapping = tf.xla.experimental.compile(lambda a: {"k": a}, [x])
    assert [t.name for t in pair] == ["output_0:0", "output_1:0"]
    assert (nothing.name, nothing.type) == ("output_0_1", "NoOp")
    assert list(mapping) == ["k"] and mapping["k"].name == "output_0_2:0"
    assert _listing(graph) == [
        ("x", "Placeholder", [], [], None),
        ("cluster/pivot", "NoOp", [], [], None),
        ("input_0", "Identity", ["x:0"], [], "cluster"),
        ("mul/y", "Const", [], ["cluster/pivot"], "cluster"),
        ("mul", "Mul", ["input_0:0", "mul/y:0"], [], "cluster"),
        ("add/y", "Const", [], ["cluster/pivot"], "cluster"),
        ("add", "AddV2", ["mul:0", "add/y:0"], [], "cluster"),
        ("NoOp", "NoOp", [], ["cluster/pivot"], "cluster"),
        ("Identity", "Identity", ["add:0"], [], "cluster"),
        ("Identity_1", "Identity", ["input_0:0"], [], "cluster"),
        ("output0", "XlaClusterOutput", ["Identity:0"], [], None),
        ("output1", "XlaClusterOutput", ["Identity_1:0"], [], None),
        ("output_0", "Identity", ["output0:0"], ["NoOp"], None),
        ("output_1", "Identity", ["output1:0"], ["NoOp"], None),
        ("cluster_1/pivot", "NoOp", [], [], None),
        ("NoOp_1", "NoOp", [], ["cluster_1/pivot"], "cluster_1"),
        ("output_0_1", "NoOp", [], ["NoOp_1"], None),
        ("cluster_2/pivot", "NoOp", [], [], None),
        ("input_0_1", "Identity", ["x:0"], [], "cluster_2"),
        ("Identity_2", "Identity", ["input_0_1:0"], [], "cluster_2"),
        ("output0_1", "XlaClusterOutput", ["Identity_2:0"], [], None),
        ("output_0_2", "Identity", ["output0_1:0"], [], None),
    ]
    out = run(pair, {x: [1.0, 2.0]})
    np.testing.assert_array_equal(out[0], [3.0, 5.0])
    np.testing.assert_array_equal(out[1], [1.0, 2.0])
    node = [n for n in graph.as_graph_def().node if n.name == "mul"][0]
    assert node.attr["_xla_compile_id"].s == b"cluster"


def test_compile_turns_outside_control_inputs_into_identities(graph, run):
    x = tf.placeholder(tf.float32, [2], name="x")
    outside = tf.no_op(name="outside")

    def computation(a, b):
        with tf.control_dependencies([outside, x.op]):
            c = tf.constant(3.0, name="c")
        return a * c + b, tf.no_op(name="side")

    (out,) = tf.xla.experimental.compile(computation, [x, 2.0])
    listing = {row[0]: row[1:4] for row in _listing(graph)}
    # TF drops the outside NoOp (no output to take) and waits for x through an Identity
    assert listing["c"] == ("Const", [], ["Identity", "cluster/pivot"])
    assert listing["Identity"] == ("Identity", ["x:0"], [])
    assert listing["input_1"] == ("Identity", ["Const:0"], [])
    assert listing["side"] == ("NoOp", [], ["cluster/pivot"])
    assert listing["output_0"] == ("Identity", ["output0:0"], ["NoOp", "side"])
    np.testing.assert_array_equal(run(out, {x: [1.0, 2.0]}), [5.0, 8.0])


def test_compile_errors_are_tfs(graph):
    x = tf.placeholder(tf.float32, [2], name="x")
    v = tf.Variable([1.0, 2.0], name="v")
    compile_ = tf.xla.experimental.compile
    with pytest.raises(TypeError, match="inputs must be a list"):
        compile_(lambda a: a, x)
    with pytest.raises(NotImplementedError, match="Non-resource Variables are not supported"):
        compile_(lambda: tf.assign_add(v, [1.0, 1.0]))
    with pytest.raises(ValueError, match="zero or more Tensor values followed by zero or more"):
        compile_(lambda: (tf.no_op(), x * 1.0))
    with pytest.raises(ValueError, match="does not support Operation as return value in non-f"):
        compile_(lambda: [[x * 1.0, tf.no_op()]])
    with pytest.raises(ValueError, match="either be Operations or convertible to Tensors"):
        compile_(lambda: object())
    with pytest.raises(ValueError, match="XLA compiled computations cannot be nested"):
        compile_(lambda: compile_(lambda: x * 2.0))
    (y,) = compile_(lambda a: a * 3.0, [x])
    with pytest.raises(RuntimeError, match="Gradient computation of graph in xla.compile"):
        tf.gradients(y, x)


def test_compile_of_a_string_is_a_structure_as_tfs(graph):
    # TF's is_flat sees a str as a sequence of sequences: the tensor comes back unwrapped
    out = tf.xla.experimental.compile(lambda: "s")
    assert isinstance(out, tf.Tensor) and out.name == "output_0:0"


def _hints(op):
    return {k: v for k, v in op._attrs.items() if k.startswith("_Xla")}


def test_jit_scope_marks_ops_and_their_gradients_as_tf(graph, run):
    x = tf.placeholder(tf.float32, [2], name="x")
    with tf.xla.experimental.jit_scope():
        y = x * 2
        with tf.xla.experimental.jit_scope(compile_ops=False):
            z = y + 1
        w = tf.nn.relu(z)
    with tf.xla.experimental.jit_scope(separate_compiled_gradients=True):
        u = y * 3
    with tf.xla.experimental.jit_scope(compile_ops=lambda node_def: node_def.op == "Mul"):
        v = u * 4
        q = v + 1
    tf.gradients(u, x)
    on = {"_XlaScope": "jit_scope_0", "_XlaCompile": True, "_XlaSeparateCompiledGradients": False}
    assert _hints(graph.get_operation_by_name("mul/y")) == on
    assert _hints(y.op) == on and _hints(w.op) == on
    assert _hints(z.op) == {**on, "_XlaCompile": False}
    assert _hints(graph.get_operation_by_name("add/y")) == {**on, "_XlaCompile": False}
    assert _hints(u.op) == {
        "_XlaScope": "jit_scope_1", "_XlaCompile": True, "_XlaSeparateCompiledGradients": True
    }  # fmt: skip
    off = {"_XlaScope": "jit_scope_2", "_XlaCompile": False, "_XlaSeparateCompiledGradients": False}
    assert _hints(graph.get_operation_by_name("mul_2/y")) == off
    assert _hints(v.op) == {**off, "_XlaCompile": True} and _hints(q.op) == off
    assert _hints(graph.get_operation_by_name("gradients/grad_ys_0")) == {}
    separate = {"_XlaCompile": True, "_XlaScope": "jit_scope_1_grad_gradients"}
    assert _hints(graph.get_operation_by_name("gradients/mul_1_grad/Mul")) == separate
    assert _hints(graph.get_operation_by_name("gradients/mul_1_grad/Sum")) == separate
    shared = {"_XlaCompile": True, "_XlaScope": "jit_scope_0"}
    assert _hints(graph.get_operation_by_name("gradients/mul_grad/Reshape")) == shared
    out = run([w, q], {x: [1.0, 2.0]})
    np.testing.assert_array_equal(out[0], [3.0, 5.0])
    np.testing.assert_array_equal(out[1], [25.0, 49.0])
