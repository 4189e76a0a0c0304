"""``tf.ConditionalAccumulator`` and ``tf.SparseConditionalAccumulator``: values, op names and
errors as TF 2.21 gives them for the same programs (its outputs written here as literals)."""

from __future__ import annotations

import threading

import numpy as np
import pytest

import scopeflow as tf
from tests.ops.kernel_table import Case, Raises, cases_by_mode, check_case

G = np.array([[1.0, 2.0], [3.0, 4.0]], dtype=np.float32)


def _chain(*fns):
    """Runs the ops ``fns`` make one after another (each made under the previous one)."""
    out = None
    for fn in fns:
        with tf.control_dependencies([] if out is None else [out]):
            out = fn()
    return out


def _dense_mean(g):
    acc = tf.ConditionalAccumulator(tf.float32, shape=[2])
    return _chain(
        lambda: acc.apply_grad(g[0]),
        lambda: acc.apply_grad(g[1], local_step=1),
        lambda: acc.take_grad(2),
    )


def _dense_stale(g):
    acc = tf.ConditionalAccumulator(tf.float32, shape=[2], reduction_type="SUM")
    return _chain(
        lambda: acc.set_global_step(5),
        lambda: acc.apply_grad(g[0], local_step=4),  # stale: dropped
        lambda: acc.apply_grad(g[1], local_step=5),
        acc.num_accumulated,
    )


def _sparse_mean(g):
    acc = tf.SparseConditionalAccumulator(tf.float32, shape=[4, 2])
    return list(
        _chain(
            lambda: acc.apply_grad([0, 2], g),
            lambda: acc.apply_grad([2], g[1:]),
            lambda: acc.take_grad(2),
        )
    )


def _sparse_stale(g):
    acc = tf.SparseConditionalAccumulator(tf.float32)
    return _chain(
        lambda: acc.set_global_step(2),
        lambda: acc.apply_grad([1], g[:1], local_step=1),
        acc.num_accumulated,
    )


def _take_none(g):
    return tf.ConditionalAccumulator(tf.float32).take_grad(0)


CASES = [
    Case("dense_mean", "ResourceAccumulatorTakeGradient", _dense_mean, (G,), G.mean(0)),
    Case("dense_stale", "ResourceAccumulatorNumAccumulated", _dense_stale, (G,), np.int32(1)),
    Case(
        "sparse_mean",
        "SparseAccumulatorTakeGradient",
        _sparse_mean,
        (G,),
        [np.int64([0, 2]), np.float32([[1, 2], [3, 4]]), np.int64([4, 2])],
        modes=("full",),
        exact_static=False,
    ),
    Case("sparse_stale", "AccumulatorNumAccumulated", _sparse_stale, (G,), np.int32(0)),
    Case(
        "num_required",
        "ResourceAccumulatorTakeGradient",
        _take_none,
        (G,),
        Raises(tf.errors.InvalidArgumentError, "Argument num_required must be positive"),
    ),
]


@pytest.mark.parametrize(("case", "mode"), cases_by_mode(CASES))
def test_kernels(run, case, mode):
    check_case(run, case, mode)


def _ops(g) -> list:
    return [(op.name, op.type) for op in g.get_operations()]


def test_dense_names_and_steps_as_tf(graph):
    acc = tf.ConditionalAccumulator(tf.float32, shape=[2])
    assert (acc.name, acc.accumulator_ref.shape.as_list()) == ("conditional_accumulator", [2])
    applied = acc.apply_grad([1.0, 2.0])
    later = acc.apply_grad([3.0, 4.0], local_step=1)
    take, n, step = acc.take_grad(2), acc.num_accumulated(), acc.set_global_step(5)
    assert _ops(graph)[:5] == [
        ("conditional_accumulator", "ResourceConditionalAccumulator"),
        ("Const", "Const"),
        ("Const_1", "Const"),
        ("Cast", "Cast"),
        ("ResourceAccumulatorApplyGradient", "ResourceAccumulatorApplyGradient"),
    ]
    assert [take.name, n.name, step.name, take.shape.as_list()] == [
        "ResourceAccumulatorTakeGradient:0",
        "conditional_accumulator_NumAccumulated:0",
        "ResourceAccumulatorSetGlobalStep",
        [2],
    ]
    with tf.Session() as sess:
        sess.run(applied)
        sess.run(later)
        assert list(sess.run(take)) == [2.0, 3.0] and sess.run(n) == 0
        sess.run(applied)  # local step 0 < global step 1: stale
        assert sess.run(n) == 0
        sess.run(later)
        sess.run(later)
        assert list(sess.run(take)) == [3.0, 4.0]
        sess.run(step)
        sess.run(later)
        assert sess.run(n) == 0
        feed = tf.placeholder(tf.float32)
        with pytest.raises(tf.errors.InvalidArgumentError, match=r"expected \[2\], got \[3\]"):
            sess.run(acc.apply_grad(feed, local_step=9), {feed: [1.0, 2.0, 3.0]})
    with pytest.raises(ValueError, match='not in: "MEAN", "SUM"'):
        tf.ConditionalAccumulator(tf.float32, reduction_type="MAX")


def test_sparse_merges_as_tf(graph):
    acc = tf.SparseConditionalAccumulator(tf.float32, shape=[4, 2])
    assert acc.accumulator_ref.shape.as_list() == [2]  # TF's dtype is string_ref, ours string
    first = acc.apply_grad([3, 1], [[1.0, 1.0], [2.0, 2.0]], local_step=9)
    second = acc.apply_grad([1, 0], [[5.0, 5.0], [7.0, 7.0]], local_step=9)
    assert [op.name for op in graph.get_operations()][1:9] == [
        "Const",
        "Cast",
        "Cast_1/x",
        "Cast_1",
        "Cast_2/x",
        "Cast_2",
        "SparseAccumulatorApplyGradient/gradient_values",
        "SparseAccumulatorApplyGradient",
    ]
    take, slices = acc.take_grad(2), acc.take_indexed_slices_grad(1)
    with tf.Session() as sess:
        sess.run(first)
        sess.run(second)
        indices, values, shape = sess.run(take)  # TF's merge of unsorted indices
        assert indices.tolist() == [1, 0, 3, 1] and values[:, 0].tolist() == [5, 7, 1, 2]
        assert shape.tolist() == [4, 2]
        sess.run(first)
        got = sess.run(slices)
        assert got.indices.tolist() == [3, 1] and got.dense_shape.tolist() == [4, 2]
        for indices, values, shape, message in [
            ([9], [[1.0, 1.0]], None, "index of slice 0 exceeded limits of shape; index is 9"),
            ([1], [[1.0, 1.0, 1.0]], None, "expected values dim 1 to be 2, got 3"),
            ([1], [[1.0, 1.0]], [5, 2], "expected shape dim 0 to be 4, got 5"),
        ]:
            with pytest.raises(tf.errors.InvalidArgumentError, match=message):
                sess.run(acc.apply_grad(indices, values, shape, local_step=9))


def test_sparse_sum_of_unknown_shape(graph):
    acc = tf.SparseConditionalAccumulator(tf.float32, reduction_type="SUM")
    apply = acc.apply_grad([1], [[1.0, 2.0, 3.0]])
    with tf.Session() as sess:
        sess.run(apply)
        sess.run(apply)
        indices, values, shape = sess.run(acc.take_grad(1))
    assert [indices.tolist(), values.tolist(), shape.tolist()] == [[1], [[2, 4, 6]], [-1, 3]]


def test_take_waits_for_gradients_and_closing_cancels_it(graph):
    acc = tf.ConditionalAccumulator(tf.float32, shape=[])
    take, apply = acc.take_grad(1), acc.apply_grad(4.0)
    sess = tf.Session()
    got = []
    thread = threading.Thread(target=lambda: got.append(sess.run(take)))
    thread.start()
    sess.run(apply)
    thread.join(10)
    assert got == [4.0]
    errors = []

    def waiting():
        try:
            sess.run(take)
        except tf.errors.CancelledError as e:
            errors.append(e)

    thread = threading.Thread(target=waiting)
    thread.start()
    thread.join(0.2)
    sess.close()
    thread.join(10)
    assert len(errors) == 1
