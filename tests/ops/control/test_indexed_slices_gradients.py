"""IndexedSlices through control flow (scopeflow/ops/control/cond.py's Switch and Merge
gradients, while_grad.py's accumulators): the gradient of a gather inside a tf.cond branch or a
tf.while_loop body stays an IndexedSlices, as in TF1, and the optimizers apply it as sparse
updates. Names, types, values and updated variables below were read from TensorFlow 2.21
(``tensorflow.compat.v1`` with ``disable_v2_behavior()``) running the same graphs."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf

TABLE = np.arange(12, dtype=np.float32).reshape(6, 2)


@pytest.fixture
def w(graph):
    return tf.Variable(TABLE, name="w")


@pytest.fixture
def sess(graph):
    with tf.Session() as session:
        yield session


def _parts(value) -> tuple:
    return value.indices.tolist(), value.values.tolist(), value.dense_shape.tolist()


def test_a_gather_in_one_branch_gives_merged_indexed_slices(w, sess):
    p = tf.placeholder(tf.bool, [], name="p")
    y = tf.cond(p, lambda: tf.gather(w, [3, 1]), lambda: tf.zeros([2, 2]))
    (grad,) = tf.gradients(tf.reduce_sum(y), w)
    assert isinstance(grad, tf.IndexedSlices)
    scope = "gradients/cond/GatherV2/Switch_grad/cond_grad/"
    assert [grad.values.name, grad.indices.name, grad.dense_shape.name] == [
        scope + "Merge:0",
        scope + "Merge_1:0",
        scope + "Merge_2:0",
    ]
    sess.run(w.initializer)
    assert _parts(sess.run(grad, {p: True})) == ([3, 1], [[1.0, 1.0], [1.0, 1.0]], [6, 2])
    # The branch not taken: the zeros of the other side, as the IndexedSlices of every row.
    assert _parts(sess.run(grad, {p: False})) == (list(range(6)), [[0.0, 0.0]] * 6, [6, 2])


def test_gathers_in_both_branches_are_concatenated(w, sess):
    p = tf.placeholder(tf.bool, [])
    y = tf.cond(p, lambda: tf.gather(w, [0, 2, 2]), lambda: tf.gather(w, [1, 5]) * 2.0)
    (grad,) = tf.gradients(tf.reduce_sum(y * y), w)
    assert (grad.values.name, grad.indices.name) == ("gradients/concat:0", "gradients/concat_1:0")
    sess.run(w.initializer)
    taken = [[0.0, 2.0], [8.0, 10.0], [8.0, 10.0]] + [[0.0, 0.0]] * 6
    assert _parts(sess.run(grad, {p: True})) == ([0, 2, 2, *range(6)], taken, [6, 2])
    other = [[0.0, 0.0]] * 6 + [[16.0, 24.0], [80.0, 88.0]]
    assert _parts(sess.run(grad, {p: False})) == ([*range(6), 1, 5], other, [6, 2])


def test_a_dense_use_in_the_other_branch_makes_the_sum_dense(w):
    p = tf.placeholder(tf.bool, [])
    y = tf.cond(p, lambda: tf.reduce_sum(tf.gather(w, [0])), lambda: tf.reduce_sum(w))
    (grad,) = tf.gradients(y, w)
    assert isinstance(grad, tf.Tensor) and grad.op.type == "AddN"


def test_merge_switches_an_indexed_slices_part_by_part(graph, sess):
    x = tf.placeholder(tf.float32, [6, 2])
    p = tf.placeholder(tf.bool, [])
    y = tf.cond(p, lambda: x * 2.0, lambda: tf.identity(x))
    (grad,) = tf.gradients(tf.gather(y, [1, 4]), x)
    switches = {op.name for op in graph.get_operations() if op.type == "Switch"}
    scope = "gradients/cond/Merge_grad/cond_grad/"
    assert {scope + "Switch", scope + "Switch_1", scope + "Switch_2"} <= switches
    rows = np.zeros((6, 2), np.float32)
    rows[[1, 4]] = 1.0
    for taken, scale in ((True, 2.0), (False, 1.0)):
        np.testing.assert_array_equal(sess.run(grad, {x: TABLE, p: taken}), rows * scale)


def test_dense_gradients_through_cond_keep_tf1_names(graph):
    x = tf.placeholder(tf.float32, [6, 2])
    p = tf.placeholder(tf.bool, [])
    tf.gradients(tf.cond(p, lambda: x * 2.0, lambda: x * 3.0), x)
    names = {op.name: op.type for op in graph.get_operations() if op.name.startswith("grad")}
    assert names["gradients/cond/Merge_grad/cond_grad"] == "Switch"
    assert names["gradients/cond/mul/Switch_grad/cond_grad"] == "Merge"


def _gather_loop(w):
    def body(i, acc):
        return i + 1, acc + tf.reduce_sum(tf.gather(w, [i, 2 * i]) ** 2)

    return tf.while_loop(lambda i, a: i < 3, body, [0, 0.0])[1]


def test_a_gather_in_a_loop_body_accumulates_indexed_slices(w, sess):
    (grad,) = tf.gradients(_gather_loop(w), w)
    assert isinstance(grad, tf.IndexedSlices)
    scope = "gradients/while/GatherV2/Enter_grad/"  # TF1's accumulator names
    assert [grad.indices.name, grad.values.name, grad.dense_shape.name] == [
        scope + "b_acc_7:0",
        scope + "b_acc_8:0",
        scope + "b_acc_9:0",
    ]
    assert (grad.values.shape.as_list(), grad.indices.shape.as_list()) == ([None, 2], [None])
    sess.run(w.initializer)
    # TF1's accumulator starts with a zero row at index 0; the last iteration comes first.
    values = [[0.0, 0.0], [8.0, 10.0], [16.0, 18.0], [4.0, 6.0], [8.0, 10.0], [0.0, 2.0]]
    assert _parts(sess.run(grad)) == ([0, 2, 4, 1, 2, 0, 0], [*values, [0.0, 2.0]], [6, 2])


def test_a_dense_use_in_the_body_makes_the_accumulator_dense(w):
    def body(i, acc):
        return i + 1, acc + tf.reduce_sum(tf.gather(w, [i])) + tf.reduce_sum(w)

    _, acc = tf.while_loop(lambda i, a: i < 2, body, [0, 0.0])
    (grad,) = tf.gradients(acc, w)
    assert isinstance(grad, tf.Tensor)


def test_optimizers_apply_sparse_updates_through_cond_and_while(w, sess):
    p = tf.placeholder(tf.bool, [])
    y = tf.cond(p, lambda: tf.gather(w, [0, 2, 2]), lambda: tf.gather(w, [1, 5]) * 2.0)
    sgd = tf.train.GradientDescentOptimizer(0.1).minimize(tf.reduce_sum(y * y))
    adagrad = tf.train.AdagradOptimizer(0.1).minimize(_gather_loop(w))
    updates = {op.type for op in tf.get_default_graph().get_operations()}
    assert {"ScatterSub", "SparseApplyAdagrad"} <= updates
    assert not {"ApplyGradientDescent", "ApplyAdagrad"} & updates
    sess.run(tf.global_variables_initializer())
    sess.run(sgd, {p: True})
    after_sgd = TABLE.copy()
    after_sgd[0, 1], after_sgd[2] = 0.8, [2.4, 3.0]
    np.testing.assert_allclose(sess.run(w), after_sgd, rtol=1e-6)
    sess.run(adagrad)
    after_adagrad = [
        [0.0, 0.7004847526550293],
        [1.90031099319458, 2.9001386165618896],
        [2.3000543117523193, 2.9000346660614014],
        [6.0, 7.0],
        [7.900019645690918, 8.900015830993652],
        [10.0, 11.0],
    ]
    np.testing.assert_allclose(sess.run(w), after_adagrad, rtol=1e-6)


def test_a_gather_in_a_nested_loop_accumulates_through_both_gradient_loops(w, sess):
    def outer(i, acc):
        def inner(j, a):
            return j + 1, a + tf.reduce_sum(tf.gather(w, [i + j]) ** 2)

        return i + 1, tf.while_loop(lambda j, a: j < 2, inner, [0, acc])[1]

    (grad,) = tf.gradients(tf.while_loop(lambda i, a: i < 2, outer, [0, 0.0])[1], w)
    sess.run(w.initializer)
    values = [[0.0, 0.0], [0.0, 0.0], [8.0, 10.0], [4.0, 6.0], [0.0, 0.0], [4.0, 6.0], [0.0, 2.0]]
    assert _parts(sess.run(grad)) == ([0, 0, 2, 1, 0, 1, 0], values, [6, 2])
