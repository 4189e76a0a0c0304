"""Tests for iterating ``tf.data`` pipelines (scopeflow/data/): whole passes give TensorFlow
2.21's elements in TF's order (the expected values below were printed by TF for the same
pipelines), iterators start, end and restart as in TF1, their state lives in the session, and
run-time failures raise TF1's errors."""

from __future__ import annotations

import os

import numpy as np
import pytest

import scopeflow as tf
from scopeflow.summary.records import encode_record


def everything(sess, element) -> list:
    """Runs ``element`` until the iterator ends."""
    out = []
    while True:
        try:
            out.append(sess.run(element))
        except tf.errors.OutOfRangeError:
            return out


def _fill(e):
    return tf.fill(tf.reshape(e, [1]), e)


# (pipeline, TF's elements): a list of scalars, or of lists of arrays for structured elements.
# fmt: off
PASSES = {
    "interleave": (
        lambda: tf.data.Dataset.range(1, 5).interleave(tf.data.Dataset.range, 2, 2),
        [0, 0, 1, 0, 1, 2, 0, 1, 2, 3],
    ),
    "flat_map": (
        lambda: tf.data.Dataset.range(4).flat_map(tf.data.Dataset.range), [0, 0, 1, 0, 1, 2],
    ),
    "padded": (
        lambda: tf.data.Dataset.range(1, 5).map(_fill).padded_batch(3, padded_shapes=[None]),
        [[[1, 0, 0], [2, 2, 0], [3, 3, 3]], [[4, 4, 4, 4]]],
    ),
    "filter_skip_take": (
        lambda: tf.data.Dataset.range(20).filter(lambda e: e % 3 > 0).skip(2).take(5),
        [4, 5, 7, 8, 10],
    ),
    "repeat_batch_drop": (
        lambda: tf.data.Dataset.range(5).repeat(2).batch(4, drop_remainder=True),
        [[0, 1, 2, 3], [4, 0, 1, 2]],
    ),
    "concatenate": (
        lambda: tf.data.Dataset.range(2).concatenate(tf.data.Dataset.range(5, 7)), [0, 1, 5, 6],
    ),
    "range_down": (lambda: tf.data.Dataset.range(10, 2, -3), [10, 7, 4]),
    "take_all_skip_none": (lambda: tf.data.Dataset.range(3).take(-1).skip(0), [0, 1, 2]),
    "skip_all": (lambda: tf.data.Dataset.range(3).skip(-1), []),
    "repeat_empty": (lambda: tf.data.Dataset.range(0).repeat(), []),
    "cache_repeat": (lambda: tf.data.Dataset.range(3).cache().repeat(2), [0, 1, 2, 0, 1, 2]),
}
# fmt: on


@pytest.mark.parametrize("name", sorted(PASSES))
def test_a_pass_gives_tf1s_elements_in_tf1s_order(graph, name):
    build, want = PASSES[name]
    element = build().make_one_shot_iterator().get_next()
    with tf.Session() as sess:
        got = everything(sess, element)
    assert [np.asarray(g).tolist() for g in got] == want
    assert all(np.asarray(g).dtype == np.int64 for g in got)


def test_padded_batch_with_shapes_and_values_per_component(graph):
    ds = tf.data.Dataset.range(1, 4).map(lambda e: (_fill(e), tf.cast(e, tf.float32)))
    ds = ds.padded_batch(2, ([5], []), (tf.constant(-1, tf.int64), 0.5))
    element = ds.make_one_shot_iterator().get_next()
    assert [t.shape.as_list() for t in element] == [[None, 5], [None]]
    with tf.Session() as sess:
        (a, b), (c, d) = everything(sess, element)
    np.testing.assert_array_equal(a, [[1, -1, -1, -1, -1], [2, 2, -1, -1, -1]])
    np.testing.assert_array_equal(c, [[3, 3, 3, -1, -1]])
    assert b.dtype == np.float32 and b.tolist() == [1.0, 2.0] and d.tolist() == [3.0]


def test_structured_elements_come_back_in_their_structure(graph):
    left, right = tf.data.Dataset.range(3), tf.data.Dataset.range(10, 20)
    zipped = tf.data.Dataset.zip({"a": left, "b": right}).make_one_shot_iterator().get_next()
    slices = tf.data.Dataset.from_tensor_slices({"x": np.arange(3), "y": np.float32([1, 2, 3])})
    mapped = slices.map(lambda d: (d["x"] * 2, d["y"] + 1)).make_one_shot_iterator().get_next()
    with tf.Session() as sess:
        assert everything(sess, zipped) == [{"a": i, "b": 10 + i} for i in range(3)]
        assert everything(sess, mapped) == [(0, 2.0), (2, 3.0), (4, 4.0)]


def test_from_generator_converts_and_checks_each_element(graph):
    def gen():
        yield 1, [1.0]
        yield 2, [2.0, 3.0]

    shapes = (tf.TensorShape([]), tf.TensorShape([None]))
    ds = tf.data.Dataset.from_generator(gen, (tf.int32, tf.float32), shapes)
    element = ds.make_one_shot_iterator().get_next()
    with tf.Session() as sess:
        got = everything(sess, element)
    assert [(int(a), b.tolist(), b.dtype) for a, b in got] == [
        (1, [1.0], np.float32),
        (2, [2.0, 3.0], np.float32),
    ]
    bad = tf.data.Dataset.from_generator(lambda: iter([[1, 2]]), tf.int64, tf.TensorShape([3]))
    with tf.Session() as sess, pytest.raises(tf.errors.InvalidArgumentError, match="shape"):
        sess.run(bad.make_one_shot_iterator().get_next())


def test_initializer_reads_the_feeds_of_its_own_run(graph):
    x = tf.placeholder(tf.float32, [None, 2])
    it = tf.data.Dataset.from_tensor_slices(x).batch(2).make_initializable_iterator()
    batch = it.get_next()
    with tf.Session() as sess:
        with pytest.raises(tf.errors.FailedPreconditionError, match="not been initialized"):
            sess.run(batch)
        sess.run(it.initializer, {x: np.ones([3, 2])})
        assert [b.shape for b in everything(sess, batch)] == [(2, 2), (1, 2)]
        sess.run(it.initializer, {x: np.zeros([1, 2])})
        assert [b.tolist() for b in everything(sess, batch)] == [[[0.0, 0.0]]]


def test_the_end_is_out_of_range_every_time_until_reinitialized(graph):
    it = tf.data.Dataset.range(1).make_initializable_iterator()
    element = it.get_next()
    with tf.Session() as sess:
        sess.run(it.initializer)
        assert sess.run(element) == 0
        for _ in range(2):
            with pytest.raises(tf.errors.OutOfRangeError, match="End of sequence") as info:
                sess.run(element)
            assert info.value.op is element.op
        sess.run(it.initializer)
        assert sess.run(element) == 0


def test_a_reinitializable_iterator_switches_datasets(graph):
    train, test = tf.data.Dataset.range(3), tf.data.Dataset.range(10, 12)
    it = tf.data.Iterator.from_structure(train.output_types, train.output_shapes)
    element = it.get_next()
    to_train, to_test = it.make_initializer(train), it.make_initializer(test)
    with tf.Session() as sess:
        sess.run(to_train)
        assert sess.run(element) == 0
        sess.run(to_test)
        assert everything(sess, element) == [10, 11]
        sess.run(to_train)
        assert everything(sess, element) == [0, 1, 2]


def test_two_sessions_iterate_independently(graph):
    element = tf.data.Dataset.range(3).make_one_shot_iterator().get_next()
    with tf.Session() as a, tf.Session() as b:
        assert [a.run(element), a.run(element), b.run(element), a.run(element)] == [0, 1, 0, 2]


def test_an_element_taken_by_a_failing_run_is_lost_as_in_tf1(graph):
    element = tf.data.Dataset.range(3).make_one_shot_iterator().get_next()
    check = tf.debugging.assert_less(element, tf.constant(0, tf.int64))
    with tf.Session() as sess:
        with pytest.raises(tf.errors.InvalidArgumentError):
            sess.run([element, check])
        assert sess.run(element) == 1


def test_a_while_loop_over_the_iterator_ends_at_the_end(graph):
    total = tf.data.Dataset.range(5).map(lambda e: e * e).make_one_shot_iterator().get_next()
    seen = []
    with tf.Session() as sess:
        while True:
            try:
                seen.append(sess.run(total))
            except tf.errors.OutOfRangeError:
                break
    assert seen == [0, 1, 4, 9, 16]


def test_a_monitored_session_stops_at_the_end(graph):
    element = tf.data.Dataset.range(4).make_one_shot_iterator().get_next()
    tf.train.get_or_create_global_step()
    seen = []
    with tf.train.MonitoredTrainingSession() as sess:
        while not sess.should_stop():
            seen.append(sess.run(element))
    assert seen == [0, 1, 2, 3]


def _order(seed=None, graph_seed=None, reshuffle=None, epochs=1) -> list:
    with tf.Graph().as_default():
        if graph_seed is not None:
            tf.set_random_seed(graph_seed)
        ds = tf.data.Dataset.range(20).shuffle(8, seed=seed, reshuffle_each_iteration=reshuffle)
        element = ds.repeat(epochs).make_one_shot_iterator().get_next()
        with tf.Session() as sess:
            return [int(v) for v in everything(sess, element)]


def test_shuffle_is_a_permutation_fixed_by_the_seeds():
    first = _order(seed=5)
    assert sorted(first) == list(range(20)) and first != list(range(20))
    assert _order(seed=5) == first  # another graph, another session: the same order
    assert _order(graph_seed=3) == _order(graph_seed=3)
    assert _order(seed=6) != first


def test_shuffle_reshuffles_each_epoch_unless_told_not_to():
    again = _order(seed=5, epochs=2)
    assert sorted(again[:20]) == sorted(again[20:]) and again[:20] != again[20:]
    same = _order(seed=5, reshuffle=False, epochs=2)
    assert same[:20] == same[20:]


def test_shuffle_buffer_keeps_elements_near_their_place():
    with tf.Graph().as_default():
        element = tf.data.Dataset.range(50).shuffle(2, seed=1).make_one_shot_iterator().get_next()
        with tf.Session() as sess:
            order = everything(sess, element)
    # With a buffer of 2, element i comes out at the earliest at position i - 1.
    assert all(position >= value - 1 for position, value in enumerate(order))


def test_batching_elements_of_different_shapes_fails_as_in_tf1(graph):
    ds = tf.data.Dataset.range(5).map(_fill).batch(2)
    element = ds.make_one_shot_iterator().get_next()
    with (
        tf.Session() as sess,
        pytest.raises(tf.errors.InvalidArgumentError, match="Cannot add tensor to the batch"),
    ):
        sess.run(element)


def test_text_lines_without_their_endings(graph, tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes(b"x\r\ny\n\nz")
    element = tf.data.TextLineDataset([str(path), str(path)]).make_one_shot_iterator().get_next()
    with tf.Session() as sess:
        assert everything(sess, element) == [b"x", b"y", b"", b"z"] * 2
    missing = tf.data.TextLineDataset(str(tmp_path / "no.txt")).make_one_shot_iterator()
    with tf.Session() as sess, pytest.raises(tf.errors.NotFoundError, match="no.txt"):
        sess.run(missing.get_next())


def test_tfrecords_read_back_with_checksums(graph, tmp_path):
    path = os.fspath(tmp_path / "r.tfrecord")
    with open(path, "wb") as f:
        f.write(b"".join(encode_record(r) for r in [b"one", b"", b"three"]))
    element = tf.data.TFRecordDataset(path).make_one_shot_iterator().get_next()
    with tf.Session() as sess:
        assert everything(sess, element) == [b"one", b"", b"three"]
    with open(path, "r+b") as f:
        f.seek(13)
        f.write(b"X")
    broken = tf.data.TFRecordDataset(path).make_one_shot_iterator().get_next()
    with tf.Session() as sess, pytest.raises(tf.errors.DataLossError, match="corrupted record"):
        sess.run(broken)


def test_output_classes_and_module_functions(graph):
    ds = tf.data.Dataset.from_tensor_slices((np.arange(3), np.ones([3, 2])))
    it = tf.data.make_initializable_iterator(ds)
    assert tf.data.get_output_classes(it) == (tf.Tensor, tf.Tensor)
    assert ds.output_classes == (tf.Tensor, tf.Tensor)
    assert tf.data.get_output_types(it) == (tf.int64, tf.float64)
    assert tf.compat.v1.data.Dataset is tf.data.Dataset
    assert tf.data.experimental.AUTOTUNE == -1


def test_unsupported_options_say_what_to_use(graph):
    ds = tf.data.Dataset.range(3)
    with pytest.raises(NotImplementedError, match="compression_type must be known"):
        tf.data.TFRecordDataset("a", compression_type=tf.placeholder(tf.string))
    with pytest.raises(RuntimeError, match="make_one_shot_iterator"):
        iter(ds)
    with pytest.raises(ValueError, match="does not have an initializer"):
        _ = ds.make_one_shot_iterator().initializer


def test_one_shot_iterators_refuse_variables(graph):
    v = tf.Variable(tf.zeros([3]))
    with pytest.raises(ValueError, match="make_initializable_iterator"):
        tf.data.Dataset.from_tensor_slices(v).make_one_shot_iterator()


def test_a_failed_build_leaves_no_op_behind(graph):
    ds = tf.data.Dataset.range(3)
    before = len(graph.get_operations())
    with pytest.raises(ValueError, match="not compatible"):
        ds.padded_batch(2, padded_shapes=[2])
    assert len(graph.get_operations()) == before


def test_functions_capture_outer_tensors_read_when_initialized(graph):
    offset = tf.placeholder(tf.int64, [])
    scale = tf.constant(10, tf.int64)
    ds = tf.data.Dataset.range(4).map(lambda e: e * scale + offset)
    ds = ds.filter(lambda e: e > offset).flat_map(lambda e: tf.data.Dataset.range(e, e + 2))
    assert [t.name for t in ds._variant_tensor.op.inputs] == ["FilterDataset:0"]
    assert [t.name for t in ds._variant_tensor.op.inputs[0].op.inputs] == [
        "MapDataset:0",
        "Placeholder:0",
    ]
    it = ds.make_initializable_iterator()
    element = it.get_next()
    with tf.Session() as sess:
        sess.run(it.initializer, {offset: 1})
        assert everything(sess, element) == [11, 12, 21, 22, 31, 32]
        sess.run(it.initializer, {offset: 25})
        assert everything(sess, element) == [35, 36, 45, 46, 55, 56]


def test_a_captured_variable_is_read_when_the_iterator_is_initialized(graph):
    v = tf.Variable(2, dtype=tf.int64)
    it = tf.data.Dataset.range(3).map(lambda e: e * v).make_initializable_iterator()
    element = it.get_next()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(it.initializer)
        sess.run(v.assign(100))
        assert everything(sess, element) == [0, 2, 4]
        sess.run(it.initializer)
        assert everything(sess, element) == [0, 100, 200]


def test_a_feedable_iterator_runs_the_iterator_its_handle_names(graph):
    train = tf.data.Dataset.range(3).repeat().make_one_shot_iterator()
    x = tf.placeholder(tf.int64, [None])
    valid = tf.data.Dataset.from_tensor_slices(x).make_initializable_iterator()
    handle = tf.placeholder(tf.string, [])
    it = tf.data.Iterator.from_string_handle(handle, train.output_types, train.output_shapes)
    element = it.get_next()
    assert element.shape.as_list() == [] and it.string_handle().op.type == "IteratorToStringHandle"
    with tf.Session() as sess:
        to_train, to_valid = sess.run([train.string_handle(), valid.string_handle()])
        assert [sess.run(element, {handle: to_train}) for _ in range(2)] == [0, 1]
        sess.run(valid.initializer, {x: [7, 8]})
        assert sess.run(element, {handle: to_valid}) == 7
        assert sess.run(element, {handle: to_train}) == 2
        assert sess.run(element, {handle: to_valid}) == 8
        with pytest.raises(tf.errors.InvalidArgumentError, match="not the string handle"):
            sess.run(element, {handle: b"nothing"})
    floats = tf.data.Dataset.from_tensors(1.0).make_one_shot_iterator()
    wrong = tf.data.Iterator.from_string_handle(handle, tf.int64).get_next()
    with tf.Session() as sess, pytest.raises(tf.errors.InvalidArgumentError, match="types"):
        sess.run(wrong, {handle: sess.run(floats.string_handle())})
