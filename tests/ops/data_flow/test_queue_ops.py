"""Kernel cases for the queue ops and CountUpTo: each case fills a fresh queue (control
dependencies order the ops of one run) and checks what comes out; errors in TF's words."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf
from tests.ops.kernel_table import Case, Holds, Raises, cases_by_mode, check_case

X = np.arange(6, dtype=np.float32).reshape(3, 2)
N = np.array([1, 2, 3], dtype=np.int32)


def _after(ops, fn):
    with tf.control_dependencies(ops):
        return fn()


def _fifo(x):
    q = tf.FIFOQueue(5, tf.float32, shapes=[[2]])
    return _after([q.enqueue_many(x)], lambda: q.dequeue_many(2))


def _fifo_one(x):
    q = tf.FIFOQueue(5, tf.float32, shapes=[[2]])
    return _after([q.enqueue(x[1])], q.dequeue)


def _two_components(x, n):
    q = tf.FIFOQueue(5, [tf.float32, tf.int32], shapes=[[2], []])
    return _after([q.enqueue_many([x, n])], lambda: q.dequeue_many(3))


def _up_to(x):
    q = tf.FIFOQueue(5, tf.float32, shapes=[[2]])
    fill = q.enqueue_many(x)
    close = _after([fill], q.close)
    return _after([close], lambda: q.dequeue_up_to(5))


def _size(x):
    q = tf.FIFOQueue(5, tf.float32, shapes=[[2]])
    return _after([q.enqueue_many(x)], q.size)


def _is_closed(x):
    q = tf.FIFOQueue(5, tf.float32)
    return _after([q.enqueue(x), q.close()], q.is_closed)


def _shuffled(n):
    q = tf.RandomShuffleQueue(5, 0, tf.int32, shapes=[[]], seed=3)
    return _after([q.enqueue_many(n)], lambda: q.dequeue_many(3))


def _padded(n):
    q = tf.PaddingFIFOQueue(5, tf.int32, shapes=[[None]])
    first = q.enqueue(n)
    second = _after([first], lambda: q.enqueue(n[:1]))
    return _after([second], lambda: q.dequeue_many(2))


def _closed_empty(x):
    q = tf.FIFOQueue(5, tf.float32, shapes=[[2]])
    return _after([q.close()], lambda: q.dequeue_many(1))


def _count(n):
    v = tf.Variable(0, name="count")
    return _after([v.initializer], lambda: tf.count_up_to(v, 1))


def _count_past(n):
    v = tf.Variable(5, name="count")
    return _after([v.initializer], lambda: tf.count_up_to(v, 5))


CASES = [
    Case("fifo_many", "QueueDequeueManyV2", _fifo, (X,), lambda x: x[:2]),
    Case("fifo_one", "QueueDequeueV2", _fifo_one, (X,), lambda x: x[1], exact_static=False),
    Case("two_components", "QueueDequeueManyV2", _two_components, (X, N), lambda x, n: [x, n]),
    Case("up_to", "QueueDequeueUpToV2", _up_to, (X,), lambda x: x, exact_static=False),
    Case("size", "QueueSizeV2", _size, (X,), np.int32(3)),
    Case("is_closed", "QueueIsClosedV2", _is_closed, (X,), np.bool_(True)),
    Case(
        "shuffled",
        "QueueDequeueManyV2",
        _shuffled,
        (N,),
        Holds("a permutation of the input", lambda v: sorted(v) == [1, 2, 3]),
    ),
    Case(
        "padded",
        "QueueDequeueManyV2",
        _padded,
        (N,),
        np.array([[1, 2, 3], [1, 0, 0]], "i4"),
        exact_static=False,
    ),
    Case(
        "closed_empty",
        "QueueDequeueManyV2",
        _closed_empty,
        (X,),
        Raises(
            tf.errors.OutOfRangeError,
            "FIFOQueue '_0_fifo_queue' is closed and has insufficient elements "
            "(requested 1, current size 0)",
        ),
    ),
    Case("count_up_to", "CountUpTo", _count, (N,), np.int32(0)),
    Case(
        "count_past_limit",
        "CountUpTo",
        _count_past,
        (N,),
        Raises(tf.errors.OutOfRangeError, "Reached limit of 5"),
    ),
]


@pytest.mark.parametrize(("case", "mode"), cases_by_mode(CASES))
def test_kernels(run, case, mode):
    check_case(run, case, mode)


def test_enqueue_on_a_closed_queue_is_cancelled(run):
    q = tf.FIFOQueue(5, tf.float32, shapes=[[2]])
    run(q.close())
    with pytest.raises(tf.errors.CancelledError, match="FIFOQueue '_0_fifo_queue' is closed."):
        run(q.enqueue_many(X))


def test_enqueue_checks_component_shapes_at_run_time(run):
    q = tf.FIFOQueue(2, tf.float32, shapes=[[2]])
    p = tf.placeholder(tf.float32)
    with pytest.raises(
        tf.errors.InvalidArgumentError,
        match=r"Shape mismatch in tuple component 0. Expected \[2\], got \[3\]",
    ):
        run(q.enqueue(p), {p: [1.0, 2.0, 3.0]})


def test_enqueue_checks_component_shapes_while_building():
    q = tf.FIFOQueue(2, tf.float32, shapes=[[2]])
    with pytest.raises(ValueError, match=r"Shapes \(3,\) and \(2,\) are incompatible"):
        q.enqueue([[1.0, 2.0, 3.0]])
    with pytest.raises(ValueError, match=r"Shapes \(\) and \(2,\) are incompatible"):
        q.enqueue_many([[1.0, 2.0, 3.0]])


def test_queue_construction_errors_are_tfs():
    with pytest.raises(ValueError, match="Queue shapes must have the same length as dtypes"):
        tf.FIFOQueue(2, [tf.float32, tf.int32], shapes=[[2]])
    with pytest.raises(ValueError, match="All shapes must be fully defined"):
        tf.FIFOQueue(2, [tf.float32], shapes=[[None]])
    with pytest.raises(ValueError, match="Queue must have names to enqueue a dictionary"):
        tf.FIFOQueue(2, tf.float32).enqueue({"a": 1.0})
    with pytest.raises(ValueError, match="You must enqueue a dictionary in a Queue with names"):
        tf.FIFOQueue(2, tf.float32, names=["a"]).enqueue(1.0)


def test_named_components_come_back_as_a_dict(run):
    q = tf.FIFOQueue(2, [tf.float32, tf.int32], names=["x", "y"])
    put = q.enqueue({"y": 3, "x": 1.5})
    run(put)
    assert run(q.dequeue()) == {"x": np.float32(1.5), "y": np.int32(3)}


def test_random_shuffle_queue_keeps_min_after_dequeue_until_closed(run):
    q = tf.RandomShuffleQueue(10, 2, tf.int32, shapes=[[]], seed=1)
    run(q.enqueue_many([[1, 2, 3]]))
    first = int(run(q.dequeue()))
    assert run(q.size()) == 2
    run(q.close())  # closed: the last two come out although min_after_dequeue is 2
    assert sorted(run(q.dequeue_up_to(5)).tolist()) == sorted({1, 2, 3} - {first})
    with pytest.raises(tf.errors.OutOfRangeError, match="RandomShuffleQueue '_0_"):
        run(q.dequeue_up_to(4))


def test_shuffle_queue_order_follows_the_seed():
    def draw():
        with tf.Graph().as_default():
            q = tf.RandomShuffleQueue(10, 0, tf.int32, shapes=[[]], seed=7)
            put = q.enqueue_many([list(range(8))])
            with tf.Session() as sess:
                sess.run(put)
                return sess.run(q.dequeue_many(8)).tolist()

    first = draw()
    assert first == draw()
    assert sorted(first) == list(range(8))


def test_seeded_shuffle_queue_hands_out_tensorflows_order():
    # TF 2.21: each pick is a Philox4x32-10 word of (seed, seed2) modulo the size, the last
    # element moving into the picked slot; the stream goes on across runs
    with tf.Graph().as_default():
        q = tf.RandomShuffleQueue(20, 0, [tf.int32], shapes=[[]], seed=3)
        put = q.enqueue_many([list(range(8))])
        one, three = q.dequeue(), q.dequeue_many(3)
        with tf.Session() as sess:
            sess.run(put)
            assert [sess.run(one), sess.run(three).tolist(), sess.run(one)] == [7, [3, 4, 0], 6]


def test_padding_queue_stacks_scalar_components_beside_padded_ones(run):
    # tf.train.batch(dynamic_pad=True) of a label and a variable-length sequence (TF 2.21
    # gives these batches)
    q = tf.PaddingFIFOQueue(5, [tf.int32, tf.int32], shapes=[[], [None]])
    put = q.enqueue([0, [0]])
    for i in (1, 2):  # one after another
        with tf.control_dependencies([put]):
            put = q.enqueue([i, list(range(i + 1))])
    with tf.control_dependencies([put]):
        labels, seqs = q.dequeue_up_to(3)
    got = run([labels, seqs])
    assert got[0].tolist() == [0, 1, 2]
    assert got[1].tolist() == [[0, 0, 0], [0, 1, 0], [0, 1, 2]]


def test_queue_from_list_picks_a_queue_when_the_graph_runs(run):
    qs = [
        tf.FIFOQueue(3, tf.int32, shapes=[[2]], name="a"),
        tf.FIFOQueue(3, tf.int32, shapes=[[2]], name="b"),
    ]
    index = tf.placeholder(tf.int32, [])
    picked = tf.QueueBase.from_list(index, qs)
    assert picked.shapes[0].as_list() == [2]
    other = tf.FIFOQueue(3, tf.int32, shapes=[[3]])
    assert tf.QueueBase.from_list(0, [qs[0], other]).shapes[0].as_list() == [None]
    assert picked.queue_ref.op.type == "GatherV2"
    take = picked.dequeue()
    puts = [q.enqueue([[i, i]]) for i, q in enumerate(qs)]
    run(puts)
    assert run(take, {index: 1}).tolist() == [1, 1]
    assert run(take, {index: 0}).tolist() == [0, 0]
    with pytest.raises(TypeError, match="matching component dtypes"):
        tf.QueueBase.from_list(0, [qs[0], tf.FIFOQueue(3, tf.float32)])
    with pytest.raises(TypeError, match="A list of queues expected"):
        tf.QueueBase.from_list(0, qs[0])
