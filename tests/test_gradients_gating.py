"""Gradient gating (``tf.gradients(gate_gradients=True)``, the optimizers' ``GATE_OP``,
``GATE_GRAPH``, ``GATE_NONE``) and ``aggregation_method``: the ops TF 2.21 builds (names,
types, inputs, control inputs, colocation), checked against the reference TF."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf


def _rows(graph, part: str) -> list[tuple]:
    """(name, type, inputs, control inputs, _class) of the ops whose name contains ``part``."""
    rows = []
    for op in graph.get_operations():
        if part in op.name:
            try:
                cls = [c.decode() if isinstance(c, bytes) else c for c in op.get_attr("_class")]
            except ValueError:
                cls = []
            ins = [t.name for t in op.inputs]
            rows.append((op.name, op.type, ins, [c.name for c in op.control_inputs], cls))
    return rows


def _mlp(gate=tf.train.Optimizer.GATE_OP):
    x = tf.placeholder(tf.float32, [None, 4], name="x")
    y = tf.placeholder(tf.int32, [None], name="y")
    h = tf.layers.dense(x, 8, activation=tf.nn.relu)
    logits = tf.layers.dense(h, 3)
    loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits))
    return tf.train.GradientDescentOptimizer(0.1).minimize(loss, gate_gradients=gate)


# TF 2.21's gated ops of _mlp's training graph (all of them, in the order made).
_G = "gradients/"
_XENT = _G + "SparseSoftmaxCrossEntropyWithLogits/SparseSoftmaxCrossEntropyWithLogits_grad/mul"
TF_MLP_TUPLES = [
    (_G + "dense_1/BiasAdd_grad/tuple/group_deps", "NoOp", [],
     [_XENT, _G + "dense_1/BiasAdd_grad/BiasAddGrad"], []),
    (_G + "dense_1/BiasAdd_grad/tuple/control_dependency", "Identity", [_XENT + ":0"],
     [_G + "dense_1/BiasAdd_grad/tuple/group_deps"], ["loc:@" + _XENT]),
    (_G + "dense_1/BiasAdd_grad/tuple/control_dependency_1", "Identity",
     [_G + "dense_1/BiasAdd_grad/BiasAddGrad:0"], [_G + "dense_1/BiasAdd_grad/tuple/group_deps"],
     ["loc:@" + _G + "dense_1/BiasAdd_grad/BiasAddGrad"]),
    (_G + "dense_1/MatMul_grad/tuple/group_deps", "NoOp", [],
     [_G + "dense_1/MatMul_grad/MatMul", _G + "dense_1/MatMul_grad/MatMul_1"], []),
    (_G + "dense_1/MatMul_grad/tuple/control_dependency", "Identity",
     [_G + "dense_1/MatMul_grad/MatMul:0"], [_G + "dense_1/MatMul_grad/tuple/group_deps"],
     ["loc:@" + _G + "dense_1/MatMul_grad/MatMul"]),
    (_G + "dense_1/MatMul_grad/tuple/control_dependency_1", "Identity",
     [_G + "dense_1/MatMul_grad/MatMul_1:0"], [_G + "dense_1/MatMul_grad/tuple/group_deps"],
     ["loc:@" + _G + "dense_1/MatMul_grad/MatMul_1"]),
    (_G + "dense/BiasAdd_grad/tuple/group_deps", "NoOp", [],
     [_G + "dense/Relu_grad/ReluGrad", _G + "dense/BiasAdd_grad/BiasAddGrad"], []),
    (_G + "dense/BiasAdd_grad/tuple/control_dependency", "Identity",
     [_G + "dense/Relu_grad/ReluGrad:0"], [_G + "dense/BiasAdd_grad/tuple/group_deps"],
     ["loc:@" + _G + "dense/Relu_grad/ReluGrad"]),
    (_G + "dense/BiasAdd_grad/tuple/control_dependency_1", "Identity",
     [_G + "dense/BiasAdd_grad/BiasAddGrad:0"], [_G + "dense/BiasAdd_grad/tuple/group_deps"],
     ["loc:@" + _G + "dense/BiasAdd_grad/BiasAddGrad"]),
    (_G + "dense/MatMul_grad/tuple/group_deps", "NoOp", [],
     [_G + "dense/MatMul_grad/MatMul", _G + "dense/MatMul_grad/MatMul_1"], []),
    (_G + "dense/MatMul_grad/tuple/control_dependency", "Identity",
     [_G + "dense/MatMul_grad/MatMul:0"], [_G + "dense/MatMul_grad/tuple/group_deps"],
     ["loc:@" + _G + "dense/MatMul_grad/MatMul"]),
    (_G + "dense/MatMul_grad/tuple/control_dependency_1", "Identity",
     [_G + "dense/MatMul_grad/MatMul_1:0"], [_G + "dense/MatMul_grad/tuple/group_deps"],
     ["loc:@" + _G + "dense/MatMul_grad/MatMul_1"]),
]  # fmt: skip


def test_gate_op_groups_each_ops_input_gradients_as_tf(graph):
    _mlp()
    assert _rows(graph, "tuple") == TF_MLP_TUPLES
    # the gated gradients feed the next gradient ops and the updates, as in TF
    relu_grad = graph.get_operation_by_name(_G + "dense/Relu_grad/ReluGrad")
    assert [t.name for t in relu_grad.inputs] == [
        _G + "dense_1/MatMul_grad/tuple/control_dependency:0",
        "dense/Relu:0",
    ]
    updates = [op for op in graph.get_operations() if op.type == "ApplyGradientDescent"]
    assert [op.inputs[2].name for op in updates] == [
        _G + "dense/MatMul_grad/tuple/control_dependency_1:0",
        _G + "dense/BiasAdd_grad/tuple/control_dependency_1:0",
        _G + "dense_1/MatMul_grad/tuple/control_dependency_1:0",
        _G + "dense_1/BiasAdd_grad/tuple/control_dependency_1:0",
    ]


def test_gate_none_builds_no_tuple_and_gradients_default_to_ungated(graph):
    x = tf.placeholder(tf.float32, [None, 3], name="x")
    w = tf.Variable(tf.ones([3, 2]), name="w")
    b = tf.Variable(tf.zeros([2]), name="b")
    loss = tf.reduce_sum(tf.nn.bias_add(tf.matmul(x, w), b))
    opt = tf.train.GradientDescentOptimizer(0.1)
    opt.minimize(loss, gate_gradients=tf.train.Optimizer.GATE_NONE)
    assert [op.name for op in graph.get_operations() if "tuple" in op.name] == []
    gv = opt.compute_gradients(loss, gate_gradients=0)
    assert [g.name for g, _ in gv] == [
        "gradients_1/MatMul_grad/MatMul_1:0",
        "gradients_1/BiasAdd_grad/BiasAddGrad:0",
    ]
    tf.gradients(loss, [w, b])
    assert [op.name for op in graph.get_operations() if "tuple" in op.name] == []


def test_gate_graph_passes_all_gradients_through_one_tuple(graph):
    a = tf.get_variable("a", [3])
    b = tf.get_variable("b", [3])
    tf.get_variable("c", [3])
    gv = tf.train.GradientDescentOptimizer(0.1).compute_gradients(
        tf.reduce_sum(a * b), gate_gradients=tf.train.Optimizer.GATE_GRAPH
    )
    assert [(None if g is None else g.name, v.name) for g, v in gv] == [
        ("tuple/control_dependency:0", "a:0"),
        ("tuple/control_dependency_1:0", "b:0"),
        (None, "c:0"),
    ]
    assert _rows(graph, "tuple") == [
        ("tuple/group_deps", "NoOp", [], [_G + "mul_grad/Mul", _G + "mul_grad/Mul_1"], []),
        ("tuple/control_dependency", "Identity", [_G + "mul_grad/Mul:0"],
         ["tuple/group_deps"], ["loc:@" + _G + "mul_grad/Mul"]),
        ("tuple/control_dependency_1", "Identity", [_G + "mul_grad/Mul_1:0"],
         ["tuple/group_deps"], ["loc:@" + _G + "mul_grad/Mul_1"]),
    ]  # fmt: skip


def test_gate_graph_without_any_gradient_and_bad_gate_values_raise_as_tf(graph):
    a = tf.get_variable("a", [3])
    c = tf.get_variable("c", [3])
    opt = tf.train.GradientDescentOptimizer(0.1)
    with pytest.raises(ValueError, match=r"'tensors' must have at least one Tensor"):
        opt.minimize(tf.reduce_sum(a), var_list=[c], gate_gradients=2)
    with pytest.raises(ValueError, match=r"GATE_GRAPH.  Not 3"):
        opt.minimize(tf.reduce_sum(a), var_list=[c], gate_gradients=3)


def test_one_gating_op_for_a_gradient_passed_to_both_inputs(graph):
    a = tf.get_variable("a", [3])
    s = tf.sin(a)
    y = tf.reduce_sum(s + s)
    tf.gradients(y, a, gate_gradients=True)
    # TF's AddV2 gradient hands the same tensor to both inputs: one op to wait for
    assert _rows(graph, "add_grad/tuple") == [
        (_G + "add_grad/tuple/group_deps", "NoOp", [], [_G + "Sum_grad/Tile"], []),
        (_G + "add_grad/tuple/control_dependency", "Identity", [_G + "Sum_grad/Tile:0"],
         [_G + "add_grad/tuple/group_deps"], ["loc:@" + _G + "Sum_grad/Tile"]),
        (_G + "add_grad/tuple/control_dependency_1", "Identity", [_G + "Sum_grad/Tile:0"],
         [_G + "add_grad/tuple/group_deps"], ["loc:@" + _G + "Sum_grad/Tile"]),
    ]  # fmt: skip


def test_indexed_slices_gradients_are_gated_through_their_values(graph):
    @tf.RegisterGradient("GatingTestSparseAdd")
    def _grad(op, grad):
        rows = tf.gather(grad, [0, 2])
        return tf.IndexedSlices(rows, tf.constant([0, 2]), tf.shape(op.inputs[0])), grad * 2.0

    a = tf.Variable([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]], name="a")
    b = tf.Variable(tf.ones([3, 2]), name="b")
    with graph.gradient_override_map({"AddV2": "GatingTestSparseAdd"}):
        total = tf.add(a, b, name="plus")
    ga, gb = tf.gradients(tf.reduce_sum(total * [[1.0, 2.0]]), [a, b], gate_gradients=True)
    assert isinstance(ga, tf.IndexedSlices)
    names = (ga.values.name, ga.indices.name, ga.dense_shape.name, gb.name)
    assert names == (
        _G + "plus_grad/tuple/control_dependency:0",
        _G + "plus_grad/Const:0",
        _G + "plus_grad/Shape:0",
        _G + "plus_grad/tuple/control_dependency_1:0",
    )
    assert _rows(graph, "plus_grad/tuple/group_deps") == [
        (_G + "plus_grad/tuple/group_deps", "NoOp", [],
         [_G + "plus_grad/GatherV2", _G + "plus_grad/mul"], []),
    ]  # fmt: skip
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        va, vb = sess.run([ga, gb])
    assert va.values.tolist() == [[1.0, 2.0], [1.0, 2.0]]
    assert va.indices.tolist() == [0, 2] and va.dense_shape.tolist() == [3, 2]
    assert vb.tolist() == [[2.0, 4.0]] * 3


def test_tf_tuple_passes_indexed_slices_values(graph):
    rows = tf.IndexedSlices(tf.constant([[1.0, 2.0]]), tf.constant([0]), tf.constant([3, 2]))
    out = tf.tuple([rows, tf.constant(1.0), None])
    assert isinstance(out[0], tf.IndexedSlices)
    assert (out[0].values.name, out[0].indices.name, out[1].name, out[2]) == (
        "tuple/control_dependency:0",
        "Const_1:0",
        "tuple/control_dependency_1:0",
        None,
    )
    assert [op.name for op in graph.get_operation_by_name("tuple/group_deps").control_inputs] == [
        "Const",
        "Const_3",
    ]


def test_gated_ops_take_the_gradients_device(graph):
    with tf.device("/cpu:0"):
        x = tf.placeholder(tf.float32, [None, 3], name="x")
        w = tf.Variable(tf.ones([3, 2]), name="w")
        tf.train.GradientDescentOptimizer(0.1).minimize(tf.reduce_sum(tf.matmul(x, w)))
    devices = {op.name: op.device for op in graph.get_operations() if "tuple" in op.name}
    assert devices == {
        _G + "MatMul_grad/tuple/group_deps": "/device:CPU:0",
        _G + "MatMul_grad/tuple/control_dependency": "/device:CPU:0",
        _G + "MatMul_grad/tuple/control_dependency_1": "/device:CPU:0",
    }


def test_tree_aggregation_adds_pairwise_as_tf(graph):
    a = tf.Variable([0.1, 0.2, 0.3], name="a")
    s = tf.sin(a)
    y = tf.reduce_sum(s + s) + tf.reduce_sum(s * 2.0) + tf.reduce_sum(a)
    (g,) = tf.gradients(
        y, [a], gate_gradients=True, aggregation_method=tf.AggregationMethod.EXPERIMENTAL_TREE
    )
    assert g.name == _G + "a/read_gradient_sum/AddN:0"
    assert _rows(graph, "gradient_sum") == [
        (_G + "Sin_gradient_sum/AddN", "AddN",
         [_G + "add_grad/tuple/control_dependency:0", _G + "add_grad/tuple/control_dependency_1:0"],
         [], []),
        (_G + "Sin_gradient_sum/AddN_1", "AddN",
         [_G + "Sin_gradient_sum/AddN:0", _G + "mul_grad/tuple/control_dependency:0"], [], []),
        (_G + "a/read_gradient_sum/AddN", "AddN",
         [_G + "Sum_2_grad/Tile:0", _G + "Sin_grad/mul:0"], [], []),
    ]  # fmt: skip
    with tf.Session() as sess:
        sess.run(a.initializer)
        np.testing.assert_allclose(sess.run(g), 4 * np.cos([0.1, 0.2, 0.3]) + 1, rtol=1e-6)


@pytest.mark.parametrize("gate", [0, 1, 2])
def test_every_gating_mode_trains_to_tfs_numbers(graph, gate):
    inputs = np.linspace(-1, 1, 24).reshape(6, 4).astype(np.float32)
    w1 = tf.Variable(np.linspace(-0.5, 0.7, 32).reshape(4, 8).astype(np.float32), name="w1")
    b1 = tf.Variable(np.zeros(8, np.float32), name="b1")
    w2 = tf.Variable(np.linspace(0.3, -0.6, 24).reshape(8, 3).astype(np.float32), name="w2")
    logits = tf.matmul(tf.nn.relu(tf.matmul(tf.constant(inputs), w1) + b1), w2)
    labels = tf.constant([0, 1, 2, 1, 0, 2])
    loss = tf.reduce_mean(
        tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits)
    )
    train = tf.train.AdamOptimizer(0.1).minimize(loss, gate_gradients=gate)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        losses = [sess.run([loss, train])[0] for _ in range(3)]
        bias = sess.run(b1)
    np.testing.assert_allclose(losses, [1.109167, 1.08409, 1.042884], atol=2e-6)
    np.testing.assert_allclose(
        bias,
        [-0.263025, -0.181635, -0.216551, -0.185377, -0.003233, -0.272005, -0.279047, -0.278897],
        atol=2e-6,
    )


def test_grad_loss_seeds_the_gradient(graph):
    w = tf.Variable([1.0, 2.0], name="w")
    gv = tf.train.GradientDescentOptimizer(0.1).compute_gradients(
        w * w, grad_loss=tf.constant([3.0, 0.5])
    )
    assert gv[0][0].name == _G + "AddN:0"
    seed = graph.get_operation_by_name(_G + "grad_ys_0")
    assert (seed.type, [t.name for t in seed.inputs]) == ("Identity", ["Const:0"])
    with tf.Session() as sess:
        sess.run(w.initializer)
        assert sess.run(gv[0][0]).tolist() == [6.0, 2.0]


def _lstm_train(gate):
    x = tf.placeholder(tf.float32, [2, 4, 3], name="x")
    out, _ = tf.nn.dynamic_rnn(tf.nn.rnn_cell.BasicLSTMCell(5), x, dtype=tf.float32)
    loss = tf.reduce_sum(tf.square(out))
    return tf.train.GradientDescentOptimizer(0.1).minimize(loss, gate_gradients=gate)


# The ops of the loop body whose input gradients TF 2.21 gates with GATE_OP, in that order
# (TF also gates its gradient loop's own Merge_2..4_grad switches, which scopeflow's gradient
# loop, built differently, has not).
TF_LSTM_GATED = [
    "TensorArrayWrite/TensorArrayWriteV3",
    *(f"basic_lstm_cell/{n}" for n in ("Mul_2", "Add_1", "Mul", "Mul_1", "Add", "BiasAdd")),
    "basic_lstm_cell/MatMul",
    "basic_lstm_cell/concat",
]


def test_gate_op_gates_the_loop_bodys_gradients_as_tf(graph):
    _lstm_train(tf.train.Optimizer.GATE_OP)
    prefix = "gradients/rnn/while_grad/rnn/while/"
    gated = [
        op.name[len(prefix) : -len("_grad/tuple/group_deps")]
        for op in graph.get_operations()
        if op.name.startswith(prefix) and op.name.endswith("_grad/tuple/group_deps")
    ]
    assert gated == TF_LSTM_GATED
    # as TF: the accumulated kernel and bias gradients add the gated ones
    for var, name in (("MatMul", "MatMul"), ("BiasAdd", "BiasAdd")):
        add = graph.get_operation_by_name(
            f"gradients/rnn/while/basic_lstm_cell/{var}/Enter_grad/Add"
        )
        gated_input = f"{prefix}basic_lstm_cell/{name}_grad/tuple/control_dependency_1:0"
        assert add.inputs[1].name == gated_input


def test_gate_none_leaves_the_loop_body_ungated(graph):
    _lstm_train(tf.train.Optimizer.GATE_NONE)
    assert not [op for op in graph.get_operations() if "/tuple/" in op.name]
