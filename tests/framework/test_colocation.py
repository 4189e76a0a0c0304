"""Colocation (``framework/colocation.py``): ``tf.colocate_with``, the ``_class`` attr TF1
records on variables, reference-input ops, optimizer slots, gradients and ``tf.tuple``, the
devices colocation gives, ``Operation.colocation_groups``, and GraphDef export and import.
Every expected group and device was printed by TensorFlow 2.21 (tf.compat.v1) for the same
code."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf


def _classes(graph) -> dict[str, list[str]]:
    """Each exported node's ``_class`` groups (nodes without one left out)."""
    return {
        n.name: [s.decode() for s in n.attr["_class"].list.s]
        for n in graph.as_graph_def().node
        if "_class" in n.attr
    }


def test_colocate_with_nests_resets_and_records_class(graph):
    a = tf.constant(2.0, name="a")
    v = tf.Variable(1.0, name="v")
    with tf.colocate_with(a):
        b = tf.add(a, 1.0, name="b")
        with tf.colocate_with(v):
            c = tf.identity(b, name="c")
        with tf.colocate_with(v, ignore_existing=True):
            c2 = tf.identity(b, name="c2")
        with tf.colocate_with(None, ignore_existing=True):
            c3 = tf.identity(b, name="c3")
    with tf.colocate_with(b):
        d = tf.identity(b, name="d")
    assert c.op.colocation_groups() == [b"loc:@a", b"loc:@v"]
    assert c2.op.colocation_groups() == [b"loc:@v"]
    assert c3.op.colocation_groups() == [b"loc:@c3"]  # its own: no _class
    assert d.op.colocation_groups() == [b"loc:@a"]  # b's groups, not b
    assert c.op.get_attr("_class") == [b"loc:@a", b"loc:@v"]
    classes = _classes(graph)
    assert classes["b/y"] == classes["b"] == classes["d"] == ["loc:@a"]
    assert "c3" not in classes and "a" not in classes
    with pytest.raises(ValueError, match="ignore_existing is not True"):
        with tf.colocate_with(None):
            pass


def test_colocation_decides_the_device(graph):
    v = tf.Variable(1.0, name="v")
    with tf.device("/cpu:0"):
        w = tf.Variable(1.0, name="w")
        a = tf.assign(v, 2.0, name="a")
        b = tf.assign(w, 2.0, name="b")
        with tf.colocate_with(v):
            c = tf.identity(v, name="c")
            with tf.device("/gpu:1"):
                c2 = tf.identity(v, name="c2")
        with tf.colocate_with(w):
            d = tf.identity(v, name="d")
    with tf.device(tf.train.replica_device_setter(ps_tasks=1)):
        p = tf.Variable(1.0, name="p")
        q = tf.assign(p, 3.0, name="q")
        r = p + 1
    devices = {t.op.name: t.op.device for t in (a, b, c, c2, d, q, r)}
    assert devices == {
        "a": "",  # placed with v, which has no device: the tf.device block does not apply
        "b": "/device:CPU:0",
        "c": "",
        "c2": "/device:GPU:1",
        "d": "/device:CPU:0",
        "q": "/job:ps/task:0",
        "add": "/job:worker",
    }
    assert p.op.device == "/job:ps/task:0"
    assert graph.get_operation_by_name("p/read").device == "/job:ps/task:0"
    assert graph.get_operation_by_name("p/initial_value").device == "/job:worker"


def test_variables_from_functions_group_their_initializers(graph):
    with tf.device("/cpu:0"):
        tf.get_variable("w", [2], initializer=tf.random_normal_initializer())
        x = tf.constant(1.0, name="x")
        with tf.colocate_with(x):
            tf.get_variable("v", [2])
    tf.Variable(1.0, name="plain")
    classes = _classes(graph)
    w_ops = [n for n in classes if n == "w" or n.startswith("w/")]
    assert w_ops == [
        "w/Initializer/random_normal/shape",
        "w/Initializer/random_normal/mean",
        "w/Initializer/random_normal/stddev",
        "w/Initializer/random_normal/RandomStandardNormal",
        "w/Initializer/random_normal/mul",
        "w/Initializer/random_normal",
        "w",
        "w/Assign",
        "w/read",
    ]
    assert {tuple(classes[n]) for n in w_ops} == {("loc:@w",)}
    assert classes["v/Initializer/random_uniform"] == classes["v"] == ["loc:@x"]
    # a variable from a value: only its Assign (a reference input) and its read
    assert [n for n in classes if n.startswith("plain")] == ["plain/Assign", "plain/read"]
    ops = {op.name: op for op in graph.get_operations()}
    assert ops["w/Initializer/random_normal"].device == ""  # TF1: device(None)
    assert ops["w"].device == ops["w/read"].device == "/device:CPU:0"
    assert ops["v/Initializer/random_uniform"].device == "/device:CPU:0"  # x's


# TF 2.21: the _class of the ops Adam's minimize adds for v, w and u (the beta powers are
# placed with the first variable by name, u).
TF_ADAM = {
    "beta1_power/initial_value": "u",
    "beta1_power": "u",
    "beta1_power/Assign": "u",
    "beta1_power/read": "u",
    "v/Adam/Initializer/zeros": "v",
    "v/Adam": "v",
    "v/Adam/Assign": "v",
    "v/Adam_1/read": "v",
    "w/Adam_1": "w",
    "Adam/update_v/ApplyAdam": "v",
    "Adam/update_w/ApplyAdam": "w",
    "Adam/update_u/ApplyAdam": "u",
    "Adam/mul": "u",
    "Adam/Assign": "u",
    "Adam/mul_1": "u",
    "Adam/Assign_1": "u",
    "gradients/AddN": "gradients/mul_grad/Mul",
    "upd": "v",
}


def test_optimizers_and_gradients_colocate_as_tf(graph):
    v = tf.Variable(1.0, name="v")
    w = tf.get_variable("w", [2], initializer=tf.random_normal_initializer())
    u = tf.get_variable("u", [2], initializer=tf.zeros_initializer())
    tf.assign_add(v, 1.0, name="upd")
    loss = tf.reduce_sum(w * w) + v * u[0]
    tf.train.AdamOptimizer(0.1).minimize(loss)
    classes = _classes(graph)
    assert {name: classes[name] for name in TF_ADAM} == {
        name: [f"loc:@{target}"] for name, target in TF_ADAM.items()
    }


def test_colocate_gradients_with_ops(graph):
    x = tf.placeholder(tf.float32, [2], name="x")
    w = tf.get_variable("w", [2], initializer=tf.ones_initializer())
    y = tf.reduce_sum(tf.square(x * w) + x * w, name="y")
    tf.gradients(y, [w], colocate_gradients_with_ops=True)
    classes = _classes(graph)
    assert classes["gradients/grad_ys_0"] == classes["gradients/Shape"] == ["loc:@y"]
    assert classes["gradients/y_grad/Tile"] == ["loc:@y"]
    assert classes["gradients/Square_grad/Mul_1"] == ["loc:@Square"]
    assert classes["gradients/mul_grad/Mul"] == ["loc:@mul"]
    assert classes["gradients/AddN"] == ["loc:@mul_1"]  # with its first summand


def test_tuple_and_embedding_lookup_colocate(graph):
    a, b = tf.constant(1.0, name="a"), tf.constant(2.0, name="b")
    tf.tuple([a, b], name="tup")
    rows = tf.nn.embedding_lookup(np.ones((3, 2), np.float32), [0, 1])
    classes = _classes(graph)
    assert classes["tup/control_dependency"] == ["loc:@a"]
    assert classes["tup/control_dependency_1"] == ["loc:@b"]
    gather = rows.op.inputs[0].op
    assert gather.inputs[0].op.name == "embedding_lookup/params_0"
    assert gather.colocation_groups() == [b"loc:@embedding_lookup/params_0"]
    with tf.colocate_with(3.0):  # TF1 makes a constant to colocate with
        c = tf.identity(a, name="c")
    assert c.op.colocation_groups() == [b"loc:@Const"]


def _colocated_graph_def():
    g = tf.Graph()
    with g.as_default():
        a = tf.placeholder(tf.float32, name="a")
        with tf.colocate_with(a):
            c = tf.add(tf.identity(a, name="b"), 1.0, name="c")
        tf.identity(c, name="d")
    return g.as_graph_def()


def test_graph_defs_carry_class_through_import():
    graph_def = _colocated_graph_def()
    with tf.Graph().as_default() as g:
        tf.import_graph_def(graph_def, name="imp")
        groups = {op.name: op.colocation_groups() for op in g.get_operations()}
        assert groups == {
            "imp/a": [b"loc:@imp/a"],
            "imp/b": [b"loc:@imp/a"],
            "imp/c/y": [b"loc:@imp/a"],
            "imp/c": [b"loc:@imp/a"],
            "imp/d": [b"loc:@imp/d"],
        }
        assert _classes(g) == {n: ["loc:@imp/a"] for n in ("imp/b", "imp/c/y", "imp/c")}
    with tf.Graph().as_default() as g:
        z = tf.constant(3.0, name="z")
        tf.import_graph_def(graph_def, input_map={"a:0": z}, name="")
        assert g.get_operation_by_name("c").colocation_groups() == [b"loc:@a"]
    dangling = tf.GraphDef()
    dangling.node.add().CopyFrom(graph_def.node[2])  # c/y, placed with a
    with tf.Graph().as_default() as g:
        with pytest.raises(ValueError, match="'c/y' expects to be colocated with unknown node 'a'"):
            tf.import_graph_def(dangling)
        assert g.get_operations() == []


def test_graph_util_keeps_class_as_tf():
    graph_def = _colocated_graph_def()
    sub = tf.graph_util.extract_sub_graph(graph_def, ["c"])
    assert [(n.name, list(n.attr["_class"].list.s)) for n in sub.node] == [
        ("a", []),
        ("b", [b"loc:@a"]),
        ("c/y", [b"loc:@a"]),
        ("c", [b"loc:@a"]),
    ]
    pruned = tf.graph_util.remove_training_nodes(graph_def)
    assert [(n.name, list(n.input), list(n.attr["_class"].list.s)) for n in pruned.node] == [
        ("a", [], []),  # a colocation target stays
        ("c/y", [], [b"loc:@a"]),
        ("c", ["a", "c/y"], [b"loc:@a"]),
    ]


def test_frozen_graphs_keep_class_as_tf():
    with tf.Graph().as_default() as g:
        x = tf.placeholder(tf.float32, [None, 2], name="x")
        w = tf.get_variable("w", [2, 1], initializer=tf.ones_initializer())
        tf.identity(tf.matmul(x, w), name="y")
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            frozen = tf.graph_util.convert_variables_to_constants(sess, g.as_graph_def(), ["y"])
    assert {n.name: list(n.attr["_class"].list.s) for n in frozen.node if "_class" in n.attr} == {
        "w/read": [b"loc:@w"]  # the Const that replaced w has none
    }
    frozen.node[0].attr["_class"].CopyFrom(tf.AttrValue())  # an empty one, as TF accepts
    with tf.Graph().as_default() as g:
        tf.import_graph_def(frozen, name="")
        assert g.get_operation_by_name("w/read").colocation_groups() == [b"loc:@w"]
        assert g.get_operation_by_name("x").colocation_groups() == [b"loc:@x"]


_KERNEL = "rnn/basic_lstm_cell/kernel"
_INIT = f"{_KERNEL}/Initializer/random_uniform"
# TF 2.21: every _class in the graph of dynamic_rnn over a BasicLSTMCell (the cell's reads,
# made with the RNN's caching device, have none).
TF_DYNAMIC_RNN = {
    "rnn/TensorArrayStack/TensorArrayGatherV3": "rnn/TensorArray",
    "rnn/TensorArrayStack/range": "rnn/TensorArray",
    "rnn/TensorArrayStack/range/delta": "rnn/TensorArray",
    "rnn/TensorArrayStack/range/start": "rnn/TensorArray",
    "rnn/TensorArrayUnstack/TensorArrayScatter/TensorArrayScatterV3": "rnn/transpose",
    "rnn/basic_lstm_cell/bias": "rnn/basic_lstm_cell/bias",
    "rnn/basic_lstm_cell/bias/Assign": "rnn/basic_lstm_cell/bias",
    "rnn/basic_lstm_cell/bias/Initializer/zeros": "rnn/basic_lstm_cell/bias",
    _KERNEL: _KERNEL,
    f"{_KERNEL}/Assign": _KERNEL,
    _INIT: _KERNEL,
    f"{_INIT}/RandomUniform": _KERNEL,
    f"{_INIT}/max": _KERNEL,
    f"{_INIT}/min": _KERNEL,
    f"{_INIT}/mul": _KERNEL,
    f"{_INIT}/shape": _KERNEL,
    f"{_INIT}/sub": _KERNEL,
    **{f"rnn/while/Switch{s}": f"rnn/while/Merge{s}" for s in ("", "_1", "_2", "_3", "_4")},
    "rnn/while/TensorArrayWrite/TensorArrayWriteV3": "rnn/while/basic_lstm_cell/Mul_2",
    "rnn/while/TensorArrayWrite/TensorArrayWriteV3/Enter": "rnn/while/basic_lstm_cell/Mul_2",
}


def test_loops_and_tensor_arrays_colocate_as_tf(graph):
    x = tf.placeholder(tf.float32, [2, 3, 4])
    outputs, _ = tf.nn.dynamic_rnn(tf.nn.rnn_cell.BasicLSTMCell(5), x, dtype=tf.float32)
    assert _classes(graph) == {name: [f"loc:@{t}"] for name, t in TF_DYNAMIC_RNN.items()}
    tf.gradients(tf.reduce_sum(outputs), x)
    grad_array = "gradients/rnn/TensorArrayStack/TensorArrayGatherV3_grad/TensorArrayGrad/"
    classes = _classes(graph)
    assert classes[grad_array + "TensorArrayGradV3"] == ["loc:@rnn/TensorArray"]
    assert classes[grad_array + "gradient_flow"] == ["loc:@rnn/TensorArray"]


def test_cond_averages_and_sparse_updates_colocate_as_tf(graph):
    v = tf.Variable(1.0, name="v")
    tf.cond(tf.placeholder(tf.bool, []), lambda: tf.assign_add(v, 1.0), lambda: tf.identity(v))
    w = tf.get_variable("w", [2], initializer=tf.ones_initializer())
    tf.train.ExponentialMovingAverage(0.9).apply([w])
    emb = tf.get_variable("emb", [10, 3])
    rows = tf.nn.embedding_lookup(emb, tf.placeholder(tf.int64, [None]))
    step = tf.train.get_or_create_global_step()
    tf.train.AdagradOptimizer(0.1).minimize(tf.reduce_sum(rows), global_step=step)
    classes = _classes(graph)
    expected = {  # TF 2.21's, for the same code
        "cond/Identity/Switch": "v",  # a value entering the branch, placed with it
        "w/ExponentialMovingAverage": "w",
        "w/ExponentialMovingAverage/read": "w",
        "ExponentialMovingAverage/AssignMovingAvg": "w",
        "gradients/embedding_lookup_grad/Shape": "emb",
        "emb/Adagrad/Initializer/Const": "emb",
        "Adagrad/update_emb/Unique": "emb",
        "Adagrad/update_emb/UnsortedSegmentSum": "emb",
        "Adagrad/update_emb/SparseApplyAdagrad": "emb",
        "Adagrad/value": "global_step",  # the step's increment
    }
    assert {n: classes.get(n) for n in expected} == {n: [f"loc:@{t}"] for n, t in expected.items()}
