"""Tests for scopeflow/gradients.py with ``IndexedSlices`` gradients: ``tf.gradients``
returns one where TF1 does (``gather`` and ``embedding_lookup`` along axis 0, through
``Identity`` and ``Cast``), sums several as TF1's ``_AggregatedGrads`` does (concatenated;
made dense with a dense one), and makes one dense for a gradient function that needs a
tensor (before ``Reshape``'s; in each product of ``Mul``'s, as TF), with TF1's ops and names;
the values against dense sums.

Expected ops and names are TensorFlow 2.21's own, recorded in
``tests/data/tf_reference/indexed_slices.json`` by ``tools/tf_reference.py``.
"""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf
from tests.ops.graph_checks import added, dims, setup_of, tf_reference

REFERENCE = tf_reference("indexed_slices")
SETUP = setup_of(REFERENCE)
GROUPS = REFERENCE["groups"]


@pytest.fixture(autouse=True)
def graph():
    g = tf.Graph()
    with g.as_default():
        yield g


@pytest.fixture
def env(graph):
    names = {
        name: tf.placeholder(dtype, shape, name=name) for name, (dtype, shape) in SETUP.items()
    }
    return {"tf": tf, "np": np, **names}


@pytest.fixture
def run(graph):
    with tf.Session(graph=graph) as sess:
        yield sess.run


def check_tf1s_ops(graph, env, expression: str, record: dict) -> object:
    """``expression`` adds TF's ops and results with TF's names, dtypes and static shapes."""
    before = len(graph.get_operations())
    result = eval(expression, env)
    want = [tuple(op) for op in record["ops"]]
    assert sorted(added(graph, before)) == sorted(want)
    results = result if isinstance(result, list) else [result]
    outputs = record.get("outputs", [record])
    for t, rec in zip(results, outputs, strict=True):
        op = rec["op"]
        want_result = (op, op + rec["name"][len(rec["op"]) :], rec["dtype"], rec["shape"])
        assert (t.op.name, t.name, t.dtype.name, dims(t)) == want_result
    return result


@pytest.mark.parametrize("expression", list(GROUPS["GRADIENTS"]))
def test_gradient_is_tf1s_indexed_slices(graph, env, expression):
    check_tf1s_ops(graph, env, expression, GROUPS["GRADIENTS"][expression])
    assert isinstance(env["g"], tf.IndexedSlices)  # the walrus bound the gradient in env


@pytest.mark.parametrize("expression", list(GROUPS["DENSE_GRADIENTS"]))
def test_gradient_made_dense_builds_tf1s_ops(graph, env, expression):
    result = check_tf1s_ops(graph, env, expression, GROUPS["DENSE_GRADIENTS"][expression])
    assert isinstance(result, tf.Tensor)


# -- values --------------------------------------------------------------------------------

T = np.arange(20, dtype=np.float32).reshape(5, 4)


def _dense(value) -> np.ndarray:
    dense = np.zeros(value.dense_shape, value.values.dtype)
    np.add.at(dense, value.indices, value.values)
    return dense


def test_several_indexed_slices_are_concatenated(run):
    t = tf.placeholder(tf.float32, [5, 4])
    loss = tf.reduce_sum(tf.gather(t, [1, 2])) + 2.0 * tf.reduce_sum(tf.gather(t, [3, 1]))
    (grad,) = tf.gradients(loss, t)
    assert isinstance(grad, tf.IndexedSlices)
    assert grad.values.shape.as_list() == [4, 4] and grad.indices.shape.as_list() == [4]
    value = run(grad, {t: T})
    assert sorted(value.indices.tolist()) == [1, 1, 2, 3]
    want = np.zeros((5, 4))
    want[[1, 2]] += 1
    want[[3, 1]] += 2
    np.testing.assert_array_equal(_dense(value), want)


def test_int32_and_int64_indices_are_concatenated_as_int64(run):
    t = tf.placeholder(tf.float32, [5, 4])
    ids64 = tf.constant([4, 0], tf.int64)
    (grad,) = tf.gradients(tf.gather(t, ids64) + tf.gather(t, [0, 0]), t)
    assert grad.indices.dtype == tf.int64
    np.testing.assert_array_equal(_dense(run(grad, {t: T}))[:, 0], [3, 0, 0, 0, 1])


def test_indexed_slices_with_a_dense_gradient_sum_densely(run):
    t = tf.placeholder(tf.float32, [5, 4])
    (grad,) = tf.gradients(tf.reduce_sum(tf.gather(t, [1, 1])) + tf.reduce_sum(t * t), t)
    assert isinstance(grad, tf.Tensor) and grad.op.type == "AddN"
    want = 2 * T
    want[1] += 2
    np.testing.assert_array_equal(run(grad, {t: T}), want)


def test_identity_and_cast_pass_indexed_slices_on(run):
    t = tf.placeholder(tf.float64, [5, 4])
    (grad,) = tf.gradients(tf.gather(tf.identity(tf.cast(t, tf.float32)), [2]), t)
    assert isinstance(grad, tf.IndexedSlices) and grad.dtype == tf.float64
    assert grad.values.op.name == "gradients/Cast_grad/Cast"
    np.testing.assert_array_equal(_dense(run(grad, {t: T}))[2], np.ones(4))


def test_variables_get_indexed_slices_through_their_read(run):
    table = tf.Variable(T, name="table")
    (grad,) = tf.gradients(tf.nn.embedding_lookup(table, [3, 0, 3]) * 2.0, table)
    assert isinstance(grad, tf.IndexedSlices)
    assert grad.values.op.name == "gradients/embedding_lookup_grad/Reshape"
    run(table.initializer)
    np.testing.assert_array_equal(_dense(run(grad))[:, 0], [2, 0, 0, 4, 0])


def test_a_gradient_needing_a_tensor_gets_it_dense(run):
    u = tf.placeholder(tf.float32, [None, 4])
    y = tf.gather(tf.reshape(u, [-1, 2]), [1, 2, 1])
    (grad,) = tf.gradients(y, u)
    assert isinstance(grad, tf.Tensor) and grad.shape.as_list() == [None, 4]
    want = np.zeros((2, 4), np.float32)
    want[0, 2:] = 2
    want[1, :2] = 1
    np.testing.assert_array_equal(run(grad, {u: T[:2]}), want)


def test_unconnected_and_zero_gradients_stay_dense():
    t = tf.placeholder(tf.float32, [5, 4])
    other = tf.placeholder(tf.float32, [5, 4])
    y = tf.gather(t, [0])
    assert tf.gradients(y, other) == [None]
    assert isinstance(tf.gradients(y, other, unconnected_gradients="zero")[0], tf.Tensor)


def test_grad_ys_seed_the_rows(run):
    t = tf.placeholder(tf.float32, [5, 4])
    seed = np.arange(8, dtype=np.float32).reshape(2, 4)
    (grad,) = tf.gradients(tf.gather(t, [4, 1]), t, grad_ys=seed)
    value = run(grad, {t: T})
    np.testing.assert_array_equal(value.values, seed)
    np.testing.assert_array_equal(value.indices, [4, 1])


def test_hessians_of_a_gather(run):
    x = tf.placeholder(tf.float32, [3])
    (hessian,) = tf.hessians(tf.reduce_sum(tf.gather(x, [0, 2, 2]) ** 2), x)
    np.testing.assert_array_equal(run(hessian, {x: [1.0, 2.0, 3.0]}), np.diag([2.0, 0.0, 4.0]))


def test_user_gradients_get_dense_tensors(run):
    @tf.RegisterGradient("IndexedSlicesTestDoubling")
    def _doubling(op, grad):
        assert isinstance(grad, tf.Tensor)
        return grad * 2.0

    t = tf.placeholder(tf.float32, [5, 4])
    with tf.get_default_graph().gradient_override_map({"Identity": "IndexedSlicesTestDoubling"}):
        y = tf.identity(t)
    (grad,) = tf.gradients(tf.gather(y, [1]), t)
    np.testing.assert_array_equal(run(grad, {t: T})[1], np.full(4, 2.0))


@pytest.mark.parametrize("strategy", ["mod", "div"])
def test_sharded_lookups_give_each_shard_its_rows(run, strategy):
    table = np.random.default_rng(0).standard_normal((11, 2))
    if strategy == "mod":  # id i is row i // 3 of shard i % 3
        shards, where = [table[s::3] for s in range(3)], lambda i: (i % 3, i // 3)
    else:  # blocks of 4, 4 and 3 ids
        shards, where = (
            [table[:4], table[4:8], table[8:]],
            lambda i: (min(i // 4, 2), i - 4 * min(i // 4, 2)),
        )
    holders = [tf.placeholder(tf.float64, [None, 2]) for _ in shards]  # sizes known at run time
    ids = np.array([[10, 0], [5, 7], [3, 10]])
    rows = tf.nn.embedding_lookup(holders, ids, partition_strategy=strategy)
    assert rows.shape.as_list() == [3, 2, 2]
    grads = tf.gradients(rows * 2.0, holders)
    assert all(isinstance(g, tf.IndexedSlices) for g in grads)
    feeds = dict(zip(holders, shards, strict=True))
    value, slices = run([rows, grads], feeds)
    np.testing.assert_array_equal(value, table[ids])
    for s, got in enumerate(slices):
        want = sorted(row for shard, row in map(where, ids.reshape(-1)) if shard == s)
        assert sorted(got.indices.tolist()) == want
        np.testing.assert_array_equal(got.values, np.full((len(want), 2), 2.0))


def test_numeric_gradient_checks_compare_the_dense_tensor():
    x = tf.placeholder(tf.float64, [4, 2])
    with tf.Session():
        error = tf.test.compute_gradient_error(x, [4, 2], tf.gather(x, [1, 3, 1]) ** 2, [3, 2])
    assert error < 1e-6


def test_gather_nd_of_whole_rows_gives_indexed_slices(run):
    # TF 2.21: [n, 1] indices take whole rows, whose gradient is an IndexedSlices (Squeeze
    # of the indices after the params' Shape); other indices scatter (ScatterNd)
    t = tf.placeholder(tf.float32, [5, 4])
    (rows,) = tf.gradients(tf.gather_nd(t, [[4], [1]]), t)
    (cells,) = tf.gradients(tf.gather_nd(t, [[4, 0], [1, 1]]), t)
    assert isinstance(rows, tf.IndexedSlices) and rows.indices.op.type == "Squeeze"
    assert rows.dense_shape.op.name == "gradients/GatherNd_grad/Shape"
    assert cells.op.type == "ScatterNd"
    value = run(rows, {t: T})
    np.testing.assert_array_equal(value.indices, [4, 1])
    np.testing.assert_array_equal(value.values, np.ones((2, 4)))
