"""tf.contrib.compiler: the attrs, names and structures TF 2.21's ``jit.experimental_jit_scope``
and ``xla.compile`` (TF 1.15's contrib.compiler) give, recorded from the reference TF."""

import numpy as np
import pytest

import scopeflow as tf

jit = tf.contrib.compiler.jit
xla = tf.contrib.compiler.xla


def _hints(op):
    return {k: v for k, v in op.attrs.items() if k.startswith("_Xla")}


def test_jit_scope_marks_ops_made_inside(graph):
    a = tf.constant(1.0, name="a")
    with jit.experimental_jit_scope():
        b = a * 2
        with jit.experimental_jit_scope(compile_ops=False):
            c = b + 1
        with jit.experimental_jit_scope(separate_compiled_gradients=True):
            d = b + 1
    e = b + 3
    with jit.experimental_jit_scope(compile_ops=lambda node_def: node_def.op == "Mul"):
        f = a * 3
    assert _hints(a.op) == {} and _hints(e.op) == {}
    assert _hints(b.op) == {
        "_XlaCompile": True,
        "_XlaScope": "jit_scope_0",
        "_XlaSeparateCompiledGradients": False,
    }
    assert _hints(graph.get_operation_by_name("mul/y")) == _hints(b.op)
    assert _hints(c.op)["_XlaCompile"] is False and _hints(c.op)["_XlaScope"] == "jit_scope_0"
    assert _hints(d.op)["_XlaSeparateCompiledGradients"] is True
    assert _hints(f.op)["_XlaScope"] == "jit_scope_1" and f.op.get_attr("_XlaCompile") is True
    assert graph.get_operation_by_name("mul_1/y").get_attr("_XlaCompile") is False
    with tf.Session() as sess:
        assert sess.run([b, c, d, e]) == [2.0, 3.0, 3.0, 5.0]


def test_jit_scope_hints_round_trip_a_graph_def(graph):
    with jit.experimental_jit_scope():
        y = tf.constant(1.0) * 2.0
    node = [n for n in graph.as_graph_def().node if n.name == y.op.name][0]
    assert node.attr["_XlaCompile"].b is True
    assert node.attr["_XlaScope"].s == b"jit_scope_0"
    with tf.Graph().as_default() as g2:
        tf.import_graph_def(graph.as_graph_def(), name="")
        assert g2.get_operation_by_name("mul").get_attr("_XlaCompile") is True


def test_xla_compile_structures(graph):
    a = tf.constant([1.0, 2.0], name="a")
    single = xla.compile(lambda x: x * 2, [a])
    pair = xla.compile(lambda x: (x * 2, x + 1), [a])
    mapping = xla.compile(lambda x: {"p": x * 2, "q": [x + 1]}, [a])
    nothing = xla.compile(lambda: None)
    only_op = xla.compile(lambda x: tf.no_op(), [a])
    mixed = xla.compile(lambda x: (x * 2, tf.no_op()), [a])
    py_arg = xla.compile(lambda x, y: x * y, inputs=[a, 3.0])
    assert [t.name for t in single] == ["output_0:0"]
    assert [t.name for t in pair] == ["output_0_1:0", "output_1:0"]
    assert mapping["p"].name == "output_0_2:0" and mapping["q"][0].name == "output_1_1:0"
    assert (nothing.name, nothing.type) == ("output_0_3", "NoOp")
    assert only_op.name == "output_0_4"
    assert [t.name for t in mixed] == ["output_0_5:0"]
    assert graph.get_operation_by_name("input_0").inputs[0] is a
    with tf.Session() as sess:
        np.testing.assert_array_equal(sess.run(single), [[2.0, 4.0]])
        out = sess.run(mapping)
        np.testing.assert_array_equal(out["q"][0], [2.0, 3.0])
        np.testing.assert_array_equal(sess.run(py_arg)[0], [3.0, 6.0])
        sess.run(nothing)


def test_xla_compile_inputs_must_be_a_list(graph):
    with pytest.raises(TypeError, match="inputs must be a list"):
        xla.compile(lambda x: x, 5)


def test_gradients_of_marked_ops_get_their_hints(graph):
    a = tf.constant(1.0, name="a")
    with jit.experimental_jit_scope():
        b = a * a
    with jit.experimental_jit_scope(compile_ops=False):
        c = b * b
    with jit.experimental_jit_scope(separate_compiled_gradients=True):
        d = tf.sin(c)
    (grad,) = tf.gradients(d, a)
    hints = {
        op.name: (op.attrs.get("_XlaCompile"), op.attrs.get("_XlaScope"))
        for op in graph.get_operations()
        if op.name.startswith("gradients/")
    }
    assert hints["gradients/Sin_grad/Cos"] == (True, "jit_scope_2_grad_gradients")
    assert hints["gradients/Sin_grad/mul"] == (True, "jit_scope_2_grad_gradients")
    assert hints["gradients/mul_1_grad/Mul"] == (None, None)
    assert hints["gradients/AddN"] == (None, None)
    assert hints["gradients/mul_grad/Mul_1"] == (True, "jit_scope_0")
    with tf.Session() as sess:
        np.testing.assert_allclose(sess.run(grad), 4 * np.cos(1.0), rtol=1e-6)
