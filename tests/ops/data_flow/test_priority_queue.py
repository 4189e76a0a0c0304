"""``tf.PriorityQueue``: elements come out lowest priority first, the earliest among equals,
with TF 2.21's op names, dtypes, shapes and errors (written here as literals)."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf
from tests.ops.kernel_table import Case, cases_by_mode, check_case

P = np.array([3, 1, 2, 1], dtype=np.int64)
X = np.arange(8, dtype=np.float32).reshape(4, 2)


def _by_priority(p, x):
    q = tf.PriorityQueue(5, [tf.float32], shapes=[[2]])
    with tf.control_dependencies([q.enqueue_many([p, x])]):
        return list(q.dequeue_many(4))


CASES = [
    Case(
        "lowest_first",
        "QueueDequeueManyV2",
        _by_priority,
        (P, X),
        [np.int64([1, 1, 2, 3]), X[[1, 3, 2, 0]]],
        modes=("full",),
    )
]


@pytest.mark.parametrize(("case", "mode"), cases_by_mode(CASES))
def test_kernels(run, case, mode):
    check_case(run, case, mode)


def test_names_types_and_shapes_as_tf(graph):
    q = tf.PriorityQueue(5, [tf.string, tf.float32], shapes=[[], [2]])
    assert (q.dtypes, [s.as_list() for s in q.shapes], q.name) == (
        [tf.int64, tf.string, tf.float32],
        [[], [], [2]],
        "priority_queue",
    )
    assert q.queue_ref.op.type == "PriorityQueueV2"
    assert q.queue_ref.op.get_attr("component_types") == [tf.string, tf.float32]
    put = q.enqueue_many([[3, 1, 2, 1], ["c", "a", "b", "a2"], [[3, 3], [1, 1], [2, 2], [0, 0]]])
    one, two = q.dequeue(), q.dequeue_many(2)
    assert [put.name, one[0].name, two[2].name, two[2].shape.as_list()] == [
        "priority_queue_EnqueueMany",
        "priority_queue_Dequeue:0",
        "priority_queue_DequeueMany:2",
        [2, 2],
    ]
    with tf.Session() as sess:
        sess.run(put)
        got = sess.run(one)
        assert got[:2] == [1, b"a"] and isinstance(got[1], bytes)
        priorities, names, _ = sess.run(two)
        assert list(priorities) == [1, 2] and list(names) == [b"a2", b"b"]
        assert sess.run(q.size()) == 1


def test_errors_as_tf(graph):
    with pytest.raises(TypeError, match="Expected list for 'shapes' argument"):
        tf.PriorityQueue(5, [tf.string])
    with pytest.raises(ValueError, match="Queue names must have the same length as dtypes"):
        tf.PriorityQueue(5, [tf.int32], shapes=[[]], names=["x"])
    assert tf.io.PriorityQueue is tf.queue.PriorityQueue is tf.PriorityQueue
