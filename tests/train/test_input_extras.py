"""``tf.train.maybe_batch`` and its kin, ``tf.train.match_filenames_once``,
``tf.io.matching_files`` (``MatchingFiles``) and ``tf.timestamp`` (``Timestamp``): op names and
errors as TF 2.21 builds them (its op lists written here as literals), values when run."""

from __future__ import annotations

import time

import numpy as np
import pytest

import scopeflow as tf
from tests.ops.kernel_table import Case, Holds, cases_by_mode, check_case

PATTERN = np.array(["/nonexistent-scopeflow-dir/*.txt"], dtype=object)

CASES = [
    Case(
        "no_match",
        "MatchingFiles",
        tf.io.matching_files,
        (PATTERN,),
        np.array([], dtype=object),
        exact_static=False,
    ),
    Case(
        "timestamp",
        "Timestamp",
        lambda p: tf.timestamp(),
        (PATTERN,),
        Holds("the time now", lambda t: abs(float(t) - time.time()) < 60),
        modes=("full",),
    ),
]


@pytest.mark.parametrize(("case", "mode"), cases_by_mode(CASES))
def test_kernels(run, case, mode):
    check_case(run, case, mode)


def _ops(g, since=0) -> list:
    return [(op.name, op.type) for op in g.get_operations()[since:]]


def test_maybe_batch_with_a_known_keep_input_builds_tfs_ops(graph):
    x, k = tf.constant([1, 2, 3]), tf.constant(True)
    b = tf.train.maybe_batch([x], k, 2)
    assert b.shape.as_list() == [2, 3]
    assert _ops(graph, 2) == [
        ("batch/fifo_queue", "FIFOQueueV2"),
        ("batch/fifo_queue_enqueue", "QueueEnqueueV2"),
        ("batch/fifo_queue_Close", "QueueCloseV2"),
        ("batch/fifo_queue_Close_1", "QueueCloseV2"),
        ("batch/fifo_queue_Size", "QueueSizeV2"),
        ("batch/Cast", "Cast"),
        ("batch/mul/y", "Const"),
        ("batch/mul", "Mul"),
        ("batch/fraction_of_32_full/tags", "Const"),
        ("batch/fraction_of_32_full", "ScalarSummary"),
        ("batch/n", "Const"),
        ("batch", "QueueDequeueManyV2"),
    ]


def test_maybe_batch_keeps_the_rows_a_vector_selects(graph):
    x, keep = tf.constant([1, 2, 3]), tf.constant([True, False, True])
    b = tf.train.maybe_batch([x], keep, 2, enqueue_many=True)
    assert _ops(graph, 2)[:4] == [
        ("batch/fifo_queue", "FIFOQueueV2"),
        ("batch/Cast", "Cast"),
        ("batch/DynamicPartition", "DynamicPartition"),
        ("batch/fifo_queue_EnqueueMany", "QueueEnqueueManyV2"),
    ]
    with tf.Session() as sess:
        coord = tf.train.Coordinator()
        threads = tf.train.start_queue_runners(sess, coord)
        assert list(sess.run(b)) == [1, 3]
        coord.request_stop()
        coord.join(threads)


def test_maybe_shuffle_batch_with_a_fed_keep_input_enqueues_in_a_cond(graph):
    x, keep = tf.constant([1, 2, 3]), tf.placeholder(tf.bool, [])
    b = tf.train.maybe_shuffle_batch([x], 2, 10, 3, keep)
    assert b.name == "shuffle_batch:0"
    assert _ops(graph, 2)[:14] == [
        ("shuffle_batch/random_shuffle_queue", "RandomShuffleQueueV2"),
        ("shuffle_batch/cond/Switch", "Switch"),
        ("shuffle_batch/cond/switch_t", "Identity"),
        ("shuffle_batch/cond/switch_f", "Identity"),
        ("shuffle_batch/cond/pred_id", "Identity"),
        ("shuffle_batch/cond/random_shuffle_queue_enqueue", "QueueEnqueueV2"),
        ("shuffle_batch/cond/random_shuffle_queue_enqueue/Switch", "Switch"),
        ("shuffle_batch/cond/random_shuffle_queue_enqueue/Switch_1", "Switch"),
        ("shuffle_batch/cond/control_dependency", "Identity"),
        ("shuffle_batch/cond/NoOp", "NoOp"),
        ("shuffle_batch/cond/control_dependency_1", "Identity"),
        ("shuffle_batch/cond/Merge", "Merge"),
        ("shuffle_batch/random_shuffle_queue_Close", "QueueCloseV2"),
        ("shuffle_batch/random_shuffle_queue_Close_1", "QueueCloseV2"),
    ]
    (runner,) = tf.get_collection(tf.GraphKeys.QUEUE_RUNNERS)
    enqueue, size = (
        runner.enqueue_ops[0],
        tf.get_default_graph().get_tensor_by_name("shuffle_batch/random_shuffle_queue_Size:0"),
    )
    with tf.Session() as sess:
        sess.run(enqueue, {keep: False})
        assert sess.run(size) == 0
        sess.run(enqueue, {keep: True})
        assert sess.run(size) == 1


def test_maybe_joins(graph):
    x = tf.constant([1, 2, 3])
    joined = tf.train.maybe_batch_join([[x], [x]], True, 2)
    shuffled = tf.train.maybe_shuffle_batch_join([[x], [x]], 2, 10, 3, True)
    assert [joined.name, shuffled.name] == ["batch_join:0", "shuffle_batch_join:0"]
    with pytest.raises(ValueError, match="Expected at least one set of tensors"):
        tf.train.maybe_batch_join([], True, 2)


@pytest.mark.parametrize(
    ("keep", "message"),
    [
        (lambda: tf.placeholder(tf.bool), "dimensions must be known at graph construction"),
        (lambda: tf.constant([[True]]), "must be 0 or 1 dimensions"),
        (lambda: tf.constant([True]), "cannot be a vector when `enqueue_many=False`"),
    ],
)
def test_keep_input_errors_as_tf(graph, keep, message):
    with pytest.raises(ValueError, match=message):
        tf.train.maybe_batch([tf.constant([1, 2, 3])], keep(), 2)


def test_matching_files_sorted_over_patterns(graph, tmp_path):
    for name in ("b.txt", "a.txt", "f.bin"):
        (tmp_path / name).write_bytes(b"")
    both = tf.matching_files([str(tmp_path / "a*"), str(tmp_path / "*.bin")])
    texts = tf.io.matching_files(str(tmp_path / "*.txt"))
    once = tf.train.match_filenames_once(str(tmp_path / "*.txt"))
    assert [texts.name, texts.shape.as_list(), once.op.name] == [
        "MatchingFiles_1:0",
        [None],
        "matching_filenames",
    ]
    assert once in tf.local_variables() and once.shape.dims is None
    with tf.Session() as sess:
        sess.run(tf.local_variables_initializer())
        got = sess.run([both, texts, once])
    names = [[n.rsplit(b"/", 1)[1] for n in value] for value in got]
    assert names == [[b"a.txt", b"f.bin"], [b"a.txt", b"b.txt"], [b"a.txt", b"b.txt"]]
    with pytest.raises(TypeError, match="Expected string passed to parameter 'pattern'"):
        tf.io.matching_files(3)


def test_timestamp_and_the_decay_alias(graph):
    t = tf.timestamp()
    assert (t.name, t.dtype, t.op.type) == ("Timestamp:0", tf.float64, "Timestamp")
    assert tf.train.piecewise_constant_decay is tf.train.piecewise_constant
