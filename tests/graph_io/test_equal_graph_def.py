"""Tests for scopeflow/graph_io/equal_graph_def.py (``tf.test.assert_equal_graph_def``): the
messages TF 2.21's EqualGraphDef gives, recorded from the reference."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf


def _graph_def(build):
    g = tf.Graph()
    with g.as_default():
        build()
    return g.as_graph_def()


def _const(value=1.0, dtype=None, name="c"):
    return lambda: tf.constant(value, dtype=dtype, name=name)


def _add(first, second, op=tf.add):
    def build():
        a, b = tf.constant(1.0, name="a"), tf.constant(2.0, name="b")
        op({"a": a, "b": b}[first], {"a": a, "b": b}[second], name="s")

    return build


def _control(*names):
    def build():
        ops = {"a": tf.constant(1.0, name="a").op, "b": tf.constant(2.0, name="b").op}
        with tf.control_dependencies([ops[n] for n in names]):
            tf.constant(3.0, name="x")

    return build


def _on_cpu():
    with tf.device("/cpu:0"):
        tf.constant(1.0, name="c")


def _add_n(n):
    return lambda: tf.add_n([tf.constant(1.0, name="x")] * n, name="s")


C = "{{node %s}} = Const[dtype=DT_FLOAT, value=Tensor<type: float shape: [] values: 1>]()"
DIFFERENCES = [
    (_const(), _const(2.0), "Node named 'c' has attr 'value' with value: Tensor<type: float "
     "shape: [] values: 1> that does not match expected: Tensor<type: float shape: [] values: 2>"),
    (_const(), _const(name="d"), "Did not find expected node '%s'" % (C % "d")),
    (lambda: (_const()(), _const(name="d")()), _const(), "Found unexpected node '%s'" % (C % "d")),
    (_add("a", "b"), _add("b", "a"), "Node named 's' has input 0 'a' that doesn't match "
     "expected 'b'"),
    (_add("a", "b"), _add("a", "b", tf.subtract), "Node named 's' has op 'AddV2' that is not "
     "expected 'Sub'"),
    (_control("a", "b"), _control("a"), "Node named 'x' has inputs '^a, ^b' that don't match "
     "expected '^a'"),
    (_const(), _on_cpu, "Node named 'c' has device '' that is not expected '/device:CPU:0'"),
    (_add_n(2), _add_n(3), "Node named 's' has inputs 'x, x' that don't match expected 'x, x, x'"),
]  # fmt: skip


@pytest.mark.parametrize(("actual", "expected", "message"), DIFFERENCES)
def test_differences_are_reported_as_tf(actual, expected, message):
    with pytest.raises(AssertionError) as info:
        tf.test.assert_equal_graph_def(_graph_def(actual), _graph_def(expected))
    assert str(info.value) == message


def test_equal_graphs_pass_in_any_node_and_control_order():
    tf.test.assert_equal_graph_def(_graph_def(_const()), _graph_def(_const()))
    tf.test.assert_equal_graph_def(_graph_def(_control("a", "b")), _graph_def(_control("b", "a")))
    marked = _graph_def(_const())
    marked.node[0].attr["_foo"].s = b"x"  # internal attrs are ignored
    tf.test.assert_equal_graph_def(marked, _graph_def(_const()))


# Node summaries as TF's SummarizeNodeDef writes them, from TF 2.21
SUMMARIES = [
    (_const([1.0, 2.0, 3.0, 4.0]), "Const[dtype=DT_FLOAT, value=Tensor<type: float shape: [4] "
     "values: 1 2 3...>]()"),
    (_const([[1, 2], [3, 4]], tf.int32), "Const[dtype=DT_INT32, value=Tensor<type: int32 shape: "
     "[2,2] values: [1 2][3...]...>]()"),
    (_const("hi\n"), "Const[dtype=DT_STRING, value=Tensor<type: string shape: [] "
     "values: hi\\n>]()"),
    (_const(True), "Const[dtype=DT_BOOL, value=Tensor<type: bool shape: [] values: 1>]()"),
    (_const(np.zeros([2, 0], np.float32)), "Const[dtype=DT_FLOAT, value=Tensor<type: float "
     "shape: [2,0] values: >]()"),
    (_const(1e-8), "Const[dtype=DT_FLOAT, value=Tensor<type: float shape: [] values: 1e-08>]()"),
    (_const(123456789.0), "Const[dtype=DT_FLOAT, value=Tensor<type: float shape: [] values: "
     "123456792>]()"),
    (_const(np.ones([1, 4, 4, 1], np.float32)), "Const[dtype=DT_FLOAT, value=Tensor<type: float "
     "shape: [1,4,4,1] values: [[[1][1][1]]]...>]()"),
    (lambda: tf.placeholder(tf.float32, [None, 3], name="c"),
     "Placeholder[dtype=DT_FLOAT, shape=[?,3]]()"),
    (lambda: tf.placeholder(tf.float32, None, name="c"),
     "Placeholder[dtype=DT_FLOAT, shape=<unknown>]()"),
]  # fmt: skip


@pytest.mark.parametrize(("build", "summary"), SUMMARIES)
def test_nodes_are_summarized_as_tf(build, summary):
    with pytest.raises(AssertionError) as info:
        tf.test.assert_equal_graph_def(_graph_def(_const(9.0, name="zz")), _graph_def(build))
    assert str(info.value) == f"Did not find expected node '{{{{node c}}}} = {summary}'"


def test_op_attrs_are_summarized_as_tf():
    def pool():
        tf.nn.avg_pool(tf.ones([1, 4, 4, 1], name="x"), [1, 2, 2, 1], [1, 2, 2, 1], "SAME",
                       name="ap")  # fmt: skip

    full = _graph_def(pool)
    inputs = _graph_def(pool)
    del inputs.node[-1]
    with pytest.raises(AssertionError) as info:
        tf.test.assert_equal_graph_def(inputs, full)
    assert str(info.value) == (
        'Did not find expected node \'{{node ap}} = AvgPool[T=DT_FLOAT, data_format="NHWC", '
        'ksize=[1, 2, 2, 1], padding="SAME", strides=[1, 2, 2, 1]](x)\''
    )


def test_arguments_must_be_graph_defs():
    with pytest.raises(TypeError, match="Expected tf.GraphDef for actual, got int"):
        tf.test.assert_equal_graph_def(1, _graph_def(_const()))
    with pytest.raises(TypeError, match="Expected tf.GraphDef for expected, got str"):
        tf.test.assert_equal_graph_def(_graph_def(_const()), "x")


def test_randomized_names_are_ignored_when_asked():
    a, b = _graph_def(_const(name="t")), _graph_def(_const(name="t"))
    a.node[0].attr["value"].tensor.string_val.append(b"_temp_" + b"0" * 32 + b"/part")
    b.node[0].attr["value"].tensor.string_val.append(b"_temp_" + b"1" * 32 + b"/part")
    with pytest.raises(AssertionError):
        tf.test.assert_equal_graph_def(a, b)
    tf.test.assert_equal_graph_def(a, b, checkpoint_v2=True)
