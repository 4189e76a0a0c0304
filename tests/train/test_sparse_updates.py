"""The optimizers' sparse path (scopeflow/train/optimizer.py, optimizers.py): an
``IndexedSlices`` gradient is applied as TF1 applies it, with TF1's ops and names (recorded in
``tests/data/tf_reference/indexed_slices.json``) and values (``tests/data/
sparse_training_values.json``, written by TensorFlow), and a step costs what the batch touches:
a million-row table is updated in place, as fast as a thousand-row one.
"""

from __future__ import annotations

import json
import pathlib
import sys
import time
import weakref

import numpy as np
import pytest

import scopeflow as tf
from tests.ops.graph_checks import added, check_against, expected, setup_of, tf_reference

DATA = pathlib.Path(__file__).resolve().parents[1] / "data"
sys.path.insert(0, str(DATA))
from sparse_training import OPTIMIZERS, values_after_each_step  # noqa: E402

REFERENCE = tf_reference("indexed_slices")
SETUP = setup_of(REFERENCE)
GROUPS = REFERENCE["groups"]
VALUES = json.loads((DATA / "sparse_training_values.json").read_text())


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


# -- TF's ops and names ----------------------------------------------------------------------

@pytest.mark.parametrize("expression", list(GROUPS["OPTIMIZERS"]))
def test_optimizers_build_tf1s_sparse_updates(graph, env, expression):
    record = GROUPS["OPTIMIZERS"][expression]
    before = len(graph.get_operations())
    train = eval(expression, env)
    assert added(graph, before) == [tuple(op) for op in record["ops"]]
    assert train.name == record["op"]


@pytest.mark.parametrize("expression", [*GROUPS["SCATTERS"], *GROUPS["SCATTER_ERRORS"]])
def test_scatter_ops_are_tf1s(graph, env, expression):
    record = GROUPS["SCATTERS"].get(expression) or GROUPS["SCATTER_ERRORS"][expression]
    check_against(graph, env, expression, expected(record, None), left=None)


# -- TF's values -----------------------------------------------------------------------------


@pytest.mark.parametrize("dense", [False, True], ids=["sparse", "dense"])
@pytest.mark.parametrize("optimizer", list(OPTIMIZERS))
def test_training_matches_tensorflows_values(optimizer, dense):
    got = values_after_each_step(tf, optimizer, dense)
    want = VALUES[f"{optimizer}-{'dense' if dense else 'sparse'}"]
    assert len(got) == len(want)
    for step, (mine, theirs) in enumerate(zip(got, want, strict=True)):
        assert mine.keys() == theirs.keys()
        for name in mine:
            np.testing.assert_allclose(
                mine[name], theirs[name], rtol=1e-5, atol=2e-6, err_msg=f"{name} step {step}"
            )


def test_the_sparse_model_gets_indexed_slices_and_the_dense_one_a_tensor():
    for dense, kind in ((False, tf.IndexedSlices), (True, tf.Tensor)):
        with tf.Graph().as_default():
            table = tf.get_variable("table", [8, 3])
            loss = tf.reduce_sum(tf.nn.embedding_lookup(table, [1, 1]))
            if dense:
                loss += tf.reduce_sum(tf.square(table))
            opt = tf.train.GradientDescentOptimizer(0.1)
            ((grad, var),) = opt.compute_gradients(loss)
            assert var is table and isinstance(grad, kind)


# -- what a step costs -----------------------------------------------------------------------

SPARSE_OPTIMIZERS = {
    "GradientDescent": lambda: tf.train.GradientDescentOptimizer(0.1),
    "Momentum": lambda: tf.train.MomentumOptimizer(0.1, 0.9),
    "Adagrad": lambda: tf.train.AdagradOptimizer(0.1),
    "RMSProp": lambda: tf.train.RMSPropOptimizer(0.1, momentum=0.5, centered=True),
    "Adadelta": lambda: tf.train.AdadeltaOptimizer(0.1),
}


def _step_time(rows: int, make_optimizer) -> tuple[float, bool]:
    """The fastest of 15 training steps on a [rows, 8] table looked up at 64 ids, and whether
    every step left the table (and its slots) in the arrays the session held before."""
    with tf.Graph().as_default():
        table = tf.get_variable("table", [rows, 8], initializer=tf.zeros_initializer())
        ids = tf.placeholder(tf.int32, [None])
        loss = tf.reduce_sum(tf.square(tf.nn.embedding_lookup(table, ids) - 1.0))
        train = make_optimizer().minimize(loss)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            feed = {ids: np.random.default_rng(0).integers(0, rows, 64)}
            arrays = [weakref.ref(sess._values[v.op]) for v in tf.global_variables()]
            times = []
            for _ in range(15):
                start = time.perf_counter()
                sess.run(train, feed)
                times.append(time.perf_counter() - start)
            in_place = all(
                sess._values[v.op] is a()
                for v, a in zip(tf.global_variables(), arrays, strict=True)
            )
    return min(times), in_place


@pytest.mark.parametrize("optimizer", list(SPARSE_OPTIMIZERS))
def test_a_step_costs_what_the_batch_touches_not_the_table(optimizer):
    big, big_in_place = _step_time(1_000_000, SPARSE_OPTIMIZERS[optimizer])
    small, _ = _step_time(1_000, SPARSE_OPTIMIZERS[optimizer])
    assert big_in_place  # no copy of the 32 MB table (or its slots) in any step
    # Copying the table (and slots) would cost ~10-100x the small table's step.
    assert big < 3 * small + 2e-3, (big, small)


# -- the optimizers' other IndexedSlices paths -------------------------------------------------


def test_apply_gradients_takes_clipped_indexed_slices():
    table = tf.Variable(np.ones((4, 2), np.float32), name="table")
    (grad,) = tf.gradients(tf.reduce_sum(tf.nn.embedding_lookup(table, [0, 3, 3])) * 4.0, table)
    (clipped,), norm = tf.clip_by_global_norm([grad], 2.0)
    assert isinstance(clipped, tf.IndexedSlices)
    train = tf.train.GradientDescentOptimizer(1.0).apply_gradients([(clipped, table)])
    with tf.Session() as sess:
        sess.run(table.initializer)
        assert sess.run(norm) == pytest.approx(np.sqrt(3 * 2 * 16))
        sess.run(train)
        step = 4.0 * 2.0 / np.sqrt(96)
        np.testing.assert_allclose(sess.run(table)[:, 0], [1 - step, 1, 1, 1 - 2 * step], rtol=1e-6)


def test_user_made_indexed_slices_are_applied_sparsely():
    table = tf.Variable(np.zeros((3, 2), np.float32), name="table")
    grad = tf.IndexedSlices(tf.constant([[1.0, 2.0]]), tf.constant([2]), tf.constant([3, 2]))
    train = tf.train.AdagradOptimizer(0.5, initial_accumulator_value=1.0).apply_gradients(
        [(grad, table)]
    )
    assert "SparseApplyAdagrad" in {op.type for op in tf.get_default_graph().get_operations()}
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(train)
        want = -0.5 * np.array([1.0, 2.0]) / np.sqrt(1.0 + np.array([1.0, 4.0]))
        np.testing.assert_allclose(sess.run(table), [[0, 0], [0, 0], want], rtol=1e-6)


def test_a_constraint_on_a_sparsely_updated_variable_is_refused():
    table = tf.get_variable("table", [3, 2], constraint=lambda t: tf.clip_by_value(t, -1, 1))
    loss = tf.reduce_sum(tf.nn.embedding_lookup(table, [0]))
    with pytest.raises(RuntimeError, match="Cannot use a constraint function on a sparse variable"):
        tf.train.GradientDescentOptimizer(0.1).minimize(loss)


def test_a_sharded_table_is_updated_shard_by_shard_in_place():
    table = np.arange(22, dtype=np.float32).reshape(11, 2)
    shards = [tf.Variable(table[s::3], name=f"shard_{s}") for s in range(3)]
    ids = np.array([10, 0, 5, 7, 10])
    loss = tf.reduce_sum(tf.nn.embedding_lookup(shards, ids))
    train = tf.train.MomentumOptimizer(0.5, 0.9).minimize(loss)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        arrays = [weakref.ref(sess._values[v.op]) for v in shards]
        sess.run(train)
        assert all(sess._values[v.op] is a() for v, a in zip(shards, arrays, strict=True))
        got = np.concatenate(sess.run(shards))
    want = table.copy()
    np.subtract.at(want, ids, 0.5)  # momentum's first step: lr * grad, ids summed first
    np.testing.assert_array_equal(got, np.concatenate([want[s::3] for s in range(3)]))
