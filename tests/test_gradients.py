"""tf.gradients: names, aggregation, unconnected inputs, stop_gradient, cond, errors."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf


@pytest.fixture(autouse=True)
def graph():
    with tf.Graph().as_default() as g:
        yield g


def test_gradient_through_a_variable_read_in_a_branch():
    v = tf.Variable([1.0, 2.0], dtype=tf.float64, name="v")
    p = tf.placeholder(tf.bool, [])
    y = tf.cond(p, lambda: tf.identity(v), lambda: tf.zeros([2], tf.float64))
    (g,) = tf.gradients(y, [v])
    with tf.Session() as sess:
        sess.run(v.initializer)
        np.testing.assert_array_equal(sess.run(g, {p: True}), [1.0, 1.0])
        np.testing.assert_array_equal(sess.run(g, {p: False}), [0.0, 0.0])


def test_names_scopes_and_second_call():
    x = tf.placeholder(tf.float32, [2])
    with tf.name_scope("layer"):
        y = tf.identity(x, name="out")
    (g,) = tf.gradients(y, x)
    (g2,) = tf.gradients(y, x)
    seeds = [op.name for op in tf.get_default_graph().get_operations() if "grad_ys" in op.name]
    # TF 2.21: ones(shape(y), name="grad_ys_0") -> a Const inside and the Fill named after it.
    assert seeds == [
        "gradients/grad_ys_0/Const",
        "gradients/grad_ys_0",
        "gradients_1/grad_ys_0/Const",
        "gradients_1/grad_ys_0",
    ]
    assert g.op.name.startswith("gradients/") and g2.op.name.startswith("gradients_1/")


def test_unconnected_stop_gradients_and_zero_option():
    x = tf.placeholder(tf.float32, [2])
    z = tf.placeholder(tf.float32, [2])
    y = tf.identity(x)
    assert tf.gradients(y, [x, z])[1] is None
    zero = tf.gradients(y, [z], unconnected_gradients="zero")[0]
    enum_zero = tf.gradients(y, [z], unconnected_gradients=tf.UnconnectedGradients.ZERO)[0]
    assert tf.gradients(y, [z], unconnected_gradients=tf.UnconnectedGradients.NONE) == [None]
    assert tf.gradients(tf.stop_gradient(y), x) == [None]
    w = tf.identity(y)
    assert tf.gradients(w, x, stop_gradients=[y]) == [None]
    with tf.Session() as sess:
        np.testing.assert_array_equal(sess.run(zero, {z: [1, 2]}), [0, 0])
        np.testing.assert_array_equal(sess.run(enum_zero, {z: [1, 2]}), [0, 0])


def test_unconnected_zeros_are_made_in_the_callers_scope(graph):
    # TF 2.21: after the gradients' scope closes, zeros_like (a Const, a ZerosLike when the
    # shape is not known), and for a resource variable zeros of its shape (Const, Fill).
    x = tf.placeholder(tf.float32, [2, 3], name="x")
    y = tf.reduce_sum(x * 2.0)
    rv = tf.get_variable("rv", [3], use_resource=True)
    before = len(graph.get_operations())
    with tf.name_scope("outer"):
        u = tf.placeholder(tf.float32, None, name="u")
        grads = tf.gradients(y, [rv, u, x], unconnected_gradients="zero", name="myg")
    assert [g.name for g in grads] == [
        "outer/zeros:0",
        "outer/zeros_like:0",
        "outer/myg/mul_grad/Mul:0",
    ]
    made = [(op.name, op.type) for op in graph.get_operations()[before:]]
    assert made[-4:] == [
        ("outer/Const", "Const"),
        ("outer/zeros/Const", "Const"),
        ("outer/zeros", "Fill"),
        ("outer/zeros_like", "ZerosLike"),
    ]
    assert grads[0].dtype == tf.float32 and grads[0].shape.as_list() == [3]
    with tf.Session() as sess:
        zero_v, zero_u = sess.run(grads[:2], {u: [[1.0], [2.0]]})
    np.testing.assert_array_equal(zero_v, [0.0, 0.0, 0.0])
    np.testing.assert_array_equal(zero_u, [[0.0], [0.0]])


def test_several_ys_and_paths_are_summed():
    x = tf.placeholder(tf.float64, [3])
    a = tf.identity(x)
    b = tf.identity(x)
    (g,) = tf.gradients([a, b, a], x)
    with tf.Session() as sess:
        np.testing.assert_array_equal(sess.run(g, {x: [1, 2, 3]}), [3, 3, 3])


def test_missing_gradient_names_the_op_and_its_type():
    from scopeflow.framework import registry

    x = tf.placeholder(tf.float32, [2])
    op_def = registry.get_op_def("Identity")
    saved, op_def.grad = op_def.grad, None
    try:
        y = tf.identity(x, name="nameless")
        with pytest.raises(LookupError, match=r"operation 'nameless' \(op type: Identity\)"):
            tf.gradients(y, x)
    finally:
        op_def.grad = saved


def test_grad_ys_shape_and_count_errors():
    x = tf.placeholder(tf.float32, [2])
    y = tf.identity(x)
    with pytest.raises(ValueError, match="grad_ys"):
        tf.gradients([y], [x], grad_ys=[tf.ones([2]), tf.ones([2])])
    with pytest.raises(ValueError, match="Incompatible shapes"):
        tf.gradients(y, x, grad_ys=tf.ones([3]))


# -- tf.RegisterGradient and Graph.gradient_override_map -------------------------------------


# Registered once per process, as TF1 code does at import time.
@tf.RegisterGradient("TestTenfoldGrad")
def _tenfold_grad(op, grad):
    return grad * 10.0


tf.NotDifferentiable("TestNoGrad")


def _square_grads(graph, ys, x) -> list:
    with tf.Session(graph=graph) as sess:
        return sess.run([tf.gradients(y, x)[0] for y in ys])


def test_override_applies_only_to_ops_made_inside_the_block(graph):
    # Values printed by TF 2.21 (tf.compat.v1) for the same graph: 10.0 and 6.0.
    x = tf.constant(3.0)
    before = tf.square(x)
    with graph.gradient_override_map({"Square": "TestTenfoldGrad"}):
        inside = tf.square(x)
        other_type = tf.identity(x)
    after = tf.square(x)
    assert _square_grads(graph, [before, inside, after, other_type], x) == [6.0, 10.0, 6.0, 1.0]
    assert inside.op.get_attr("_gradient_op_type") == b"TestTenfoldGrad"
    assert inside.op.node_def.attr["_gradient_op_type"] == "TestTenfoldGrad"
    with pytest.raises(ValueError, match="no attr named '_gradient_op_type'"):
        after.op.get_attr("_gradient_op_type")


def test_override_in_one_graph_leaves_another_graph_alone(graph):
    other = tf.Graph()
    with graph.gradient_override_map({"Square": "TestTenfoldGrad"}):
        with other.as_default():
            x_other = tf.constant(3.0)
            y_other = tf.square(x_other)
        x = tf.constant(3.0)
        y = tf.square(x)
    assert _square_grads(other, [y_other], x_other) == [6.0]
    assert _square_grads(graph, [y], x) == [10.0]


def test_override_belongs_to_the_thread_that_opened_it(graph):
    import threading

    x = tf.constant(3.0)
    made = []
    with graph.gradient_override_map({"Square": "TestTenfoldGrad"}):
        thread = threading.Thread(target=lambda: made.append(graph.create_op("Square", [x])))
        thread.start()
        thread.join()
    assert _square_grads(graph, [made[0].outputs[0]], x) == [6.0]


def test_nested_overrides_restore_the_outer_mapping(graph):
    x = tf.constant(3.0)
    with graph.gradient_override_map({"Square": "TestTenfoldGrad"}):
        with graph.gradient_override_map({"Square": "TestNoGrad"}):
            stopped = tf.square(x)
        tenfold = tf.square(x)
    assert tf.gradients(stopped, x) == [None]
    assert _square_grads(graph, [tenfold], x) == [10.0]


def test_override_to_an_op_type_uses_that_types_gradient(graph):
    x = tf.constant(3.0)
    with graph.gradient_override_map({"Square": "Identity"}):
        y = tf.square(x)
    assert _square_grads(graph, [y], x) == [1.0]


def test_override_to_an_unregistered_name_fails_when_differentiating(graph):
    x = tf.constant(3.0)
    with graph.gradient_override_map({"Square": "NoSuchGradName"}):
        y = tf.square(x, name="sq")
    with pytest.raises(LookupError, match=r"'sq' \(op type: Square, mapped to 'NoSuchGradName'"):
        tf.gradients(y, x)


@pytest.mark.parametrize("op_type_map", [["Square"], {"Square": 1}, {1: "Square"}])
def test_override_map_must_map_strings_to_strings(graph, op_type_map):
    with pytest.raises(TypeError, match="op_type_map must be a dictionary mapping strings"):
        with graph.gradient_override_map(op_type_map):
            pass


def test_registering_a_gradient_name_twice_raises_tf1_key_error():
    with pytest.raises(KeyError, match="Registering two gradient with name 'TestTenfoldGrad'!"):
        tf.RegisterGradient("TestTenfoldGrad")(lambda op, grad: grad)
    with pytest.raises(KeyError, match="Registering two gradient with name 'TestNoGrad'!"):
        tf.NotDifferentiable("TestNoGrad")


def test_register_gradient_twice_raises():
    # An op type's own gradient is registered under its type name, as in TF1.
    with pytest.raises(KeyError, match="Registering two gradient with name 'Identity'"):
        tf.RegisterGradient("Identity")(lambda op, grad: grad)
    with pytest.raises(KeyError, match="Registering two gradient with name 'StopGradient'"):
        tf.NoGradient("StopGradient")
    x = tf.constant(3.0)
    assert _square_grads(tf.get_default_graph(), [tf.identity(x)], x) == [1.0]


def test_gradient_names_must_be_strings():
    with pytest.raises(TypeError, match="op_type must be a string"):
        tf.RegisterGradient(3)
    with pytest.raises(TypeError, match="op_type must be a string"):
        tf.NotDifferentiable(3)


# -- tf.hessians ------------------------------------------------------------------------------


def test_hessians_match_tf_values():
    # Values printed by TF 2.21 (tf.compat.v1.hessians) for the same graph.
    with tf.Graph().as_default():
        x = tf.Variable([[1.0, 2.0], [3.0, 0.5]], name="x")
        y = tf.reduce_sum(x**3) + tf.reduce_sum(tf.matmul(x, x))
        (h,) = tf.hessians(y, x)
        (twice,) = tf.hessians([y, 2 * y], [x])
        assert h.shape.as_list() == [2, 2, 2, 2]
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            value, summed = sess.run([h, twice])
    expected = np.array(
        [[8, 1, 1, 0], [1, 12, 2, 1], [1, 2, 18, 1], [0, 1, 1, 5]], np.float32
    ).reshape(2, 2, 2, 2)
    np.testing.assert_allclose(value, expected)
    np.testing.assert_allclose(summed, 3 * expected)


def test_hessians_against_finite_differences():
    rng = np.random.default_rng(3)
    a = rng.standard_normal((3, 3))
    x0 = rng.standard_normal(3)

    def f(v):
        return np.sum(np.tanh(a @ v) ** 2) + v @ v * v[0]

    with tf.Graph().as_default():
        x = tf.placeholder(tf.float64, [3])
        y = tf.reduce_sum(tf.tanh(tf.linalg.matvec(a, x)) ** 2) + tf.reduce_sum(x * x) * x[0]
        (h,) = tf.hessians(y, x)
        with tf.Session() as sess:
            value = sess.run(h, {x: x0})
    eps = 1e-4
    numeric = np.empty((3, 3))
    for i in range(3):
        for j in range(3):
            di, dj = np.eye(3)[i] * eps, np.eye(3)[j] * eps
            numeric[i, j] = (
                f(x0 + di + dj) - f(x0 + di - dj) - f(x0 - di + dj) + f(x0 - di - dj)
            ) / (4 * eps * eps)
    np.testing.assert_allclose(value, numeric, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(value, value.T, atol=1e-12)


def test_hessians_of_unconnected_and_linear_functions():
    # TF1 fails on both ("None values not supported"); scopeflow answers None and zeros.
    with tf.Graph().as_default():
        x = tf.Variable([1.0, 2.0])
        u = tf.Variable(1.0)
        h_x, h_u = tf.hessians(3.0 * tf.reduce_sum(x), [x, u])
        assert h_u is None
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            np.testing.assert_array_equal(sess.run(h_x), np.zeros((2, 2)))


def test_hessians_are_tf1s_loop_and_take_any_shape():
    # TF1's graph: the first gradients flattened (Reshape), a while loop over their Size
    # writing each row into a TensorArray, the stack reshaped (Reshape_1). Op names and
    # values printed by TF 2.21 for the same graph.
    with tf.Graph().as_default() as g:
        p = tf.placeholder(tf.float32, [None], name="p")
        y = tf.reduce_sum(p * p * p)
        before = {op.name for op in g.get_operations()}
        (h,) = tf.hessians(y, p)
        made = {op.name for op in g.get_operations()} - before
        assert h.name == "Reshape_1:0" and h.shape.as_list() == [None, None]
        top = sorted(n for n in made if "/" not in n)
        assert top == ["Const_1", "Reshape", "Reshape_1", "Shape", "Size", "TensorArray", "concat"]
        assert {
            "while/LoopCond",
            "while/strided_slice",
            "TensorArrayStack/TensorArrayGatherV3",
        } <= made
        m = tf.placeholder(tf.float32, [3, 4])
        (h_m,) = tf.hessians(tf.reduce_sum(tf.sin(m)), m)
        with tf.Session() as sess:
            value = sess.run(h, {p: [1.0, -2.0, 0.5]})
            m_value = sess.run(h_m, {m: np.full((3, 4), 0.5, np.float32)})
    np.testing.assert_array_equal(value, np.diag([6.0, -12.0, 3.0]))
    assert m_value.shape == (3, 4, 3, 4)
    np.testing.assert_allclose(
        m_value.reshape(12, 12), np.diag(np.full(12, -np.sin(0.5))), rtol=1e-6
    )


def test_aggregation_methods_are_accepted_and_others_refused(graph):
    x = tf.constant(2.0)
    y = x * x + x
    assert tf.AggregationMethod.DEFAULT == tf.AggregationMethod.ADD_N == 0
    for method in (tf.AggregationMethod.ADD_N, tf.AggregationMethod.EXPERIMENTAL_TREE, 2):
        (g,) = tf.gradients(y, x, aggregation_method=method)
        assert tf.Session().run(g) == 5.0
    with pytest.raises(ValueError, match=r"specified 7. Accepted values are \[0, 1, 2\]"):
        tf.gradients(y, x, aggregation_method=7)


def test_ops_are_differentiated_first_in_first_out_as_tf_2_21(graph):
    # TF 2.21: Mean's gradient is made before Sum's and mul's, and AddN adds the gradients
    # reaching MatMul in that order; ops' gradients come in this order.
    x = tf.placeholder(tf.float32, [None, 8], name="x")
    w = tf.Variable(tf.zeros([8, 4]), name="w")
    h = tf.matmul(x, w)
    (gw,) = tf.gradients(tf.reduce_mean(h) + tf.reduce_sum(h * h), [w])
    total = gw.op.inputs[1].op  # gw = MatMul(x, AddN, transpose_a=True)
    assert (total.name, [t.name for t in total.inputs]) == (
        "gradients/AddN",
        ["gradients/Mean_grad/truediv:0", "gradients/mul_grad/Reshape:0",
         "gradients/mul_grad/Reshape_1:0"],
    )  # fmt: skip
    scopes = [op.name.split("/")[1] for op in graph.get_operations() if "_grad/" in op.name]
    assert list(dict.fromkeys(scopes)) == ["Mean_grad", "Sum_grad", "mul_grad", "MatMul_grad"]


def test_stop_gradients_at_a_variable_stops_at_its_op_not_its_read(graph):
    # TF 2.21: stop_gradients=[b] stops at b's VariableV2 op, so b's own gradient is still
    # computed (8 = w + 2b); stopping at b's read (b.value()) leaves b without one.
    w, b = tf.Variable(2.0, name="w"), tf.Variable(3.0, name="b")
    loss = w * b + b * b
    at_variable = tf.gradients(loss, [w, b], stop_gradients=[b])
    at_read = tf.gradients(loss, [w, b], stop_gradients=[b.value()])
    assert at_read[1] is None
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        assert sess.run(at_variable) == [3.0, 8.0]
        assert sess.run(at_read[0]) == 3.0
