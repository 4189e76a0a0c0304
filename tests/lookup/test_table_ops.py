"""Kernel cases for the table ops of scopeflow/ops/data_flow/lookup_ops.py (each case fills a
fresh table, control dependencies ordering the ops of one run), and the run-time behaviour of
scopeflow/lookup/ (values and errors checked against TensorFlow 2.21's, in TF's words)."""

from __future__ import annotations

import pathlib

import numpy as np
import pytest

import scopeflow as tf
from tests.ops.kernel_table import Case, Holds, Raises, cases_by_mode, check_case

VOCAB = str(pathlib.Path(__file__).with_name("vocab.txt"))  # "emerson 10", "lake 20", ...
WORDS = np.array([b"lake", b"zz", b"a"], dtype=object)
IDS = np.array([[0, 5], [1, 2]], dtype=np.int64)


def _after(ops, fn):
    with tf.control_dependencies(ops):
        return fn()


def _static(keys):
    table = tf.lookup.StaticHashTable(tf.lookup.KeyValueTensorInitializer(["a", "b"], [7, 8]), -1)
    return _after([table.initializer], lambda: table.lookup(keys))


def _uninitialized(keys):
    table = tf.lookup.StaticHashTable(tf.lookup.KeyValueTensorInitializer(["a"], [1]), -1)
    return table.lookup(keys)


def _text_file(keys):
    init = tf.lookup.TextFileInitializer(VOCAB, tf.string, 0, tf.int64, 1, delimiter=" ")
    table = tf.lookup.StaticHashTable(init, -1)
    return _after([table.initializer], lambda: table.lookup(keys))


def _to_string(ids):
    table = tf.contrib.lookup.index_to_string_table_from_file(VOCAB, default_value="?")
    return _after([table.initializer], lambda: table.lookup(ids))


def _size(keys):
    table = tf.contrib.lookup.index_table_from_tensor(["a", "b", "c"])
    return _after([table.initializer], table.size)


def _mutable(keys):
    table = tf.contrib.lookup.MutableHashTable(tf.string, tf.int64, -1)
    insert = table.insert(keys[:1], tf.constant([4], tf.int64))
    return _after([insert], lambda: table.lookup(keys))


def _mutable_vectors(keys):
    table = tf.contrib.lookup.MutableHashTable(tf.string, tf.float32, [0.0, 0.0])
    insert = table.insert(keys[:1], tf.constant([[1.0, 2.0]]))
    return _after([insert], lambda: table.lookup(keys))


def _export(keys):
    table = tf.lookup.StaticHashTable(tf.lookup.KeyValueTensorInitializer(["a", "b"], [7, 8]), -1)
    return _after([table.initializer], table.export)


def _duplicates(keys):
    init = tf.lookup.KeyValueTensorInitializer(["a", "a"], [1, 2])
    return tf.lookup.StaticHashTable(init, -1).initializer


CASES = [
    Case("static", "LookupTableFindV2", _static, (WORDS,), np.array([-1, -1, 7], "i4")),
    Case(
        "uninitialized",
        "LookupTableFindV2",
        _uninitialized,
        (WORDS,),
        Raises(tf.errors.FailedPreconditionError, "Table not initialized."),
    ),
    Case("text_file", "LookupTableFindV2", _text_file, (WORDS,), np.array([20, -1, -1])),
    Case(
        "to_string",
        "LookupTableFindV2",
        _to_string,
        (IDS,),
        np.array([[b"emerson 10", b"?"], [b"lake 20", b"palmer 30"]], dtype=object),
    ),
    Case("size", "LookupTableSizeV2", _size, (WORDS,), np.int64(3)),
    Case("mutable", "LookupTableFindV2", _mutable, (WORDS,), np.array([4, -1, -1])),
    Case(
        "mutable_vectors",
        "LookupTableFindV2",
        _mutable_vectors,
        (WORDS,),
        np.array([[1, 2], [0, 0], [0, 0]], "f4"),
        modes=("full", "dims"),
    ),
    Case(
        "export",
        "LookupTableExportV2",
        _export,
        (WORDS,),
        Holds("every entry", lambda k, v: dict(zip(k, v, strict=True)) == {b"a": 7, b"b": 8}),
        exact_static=False,
    ),
]


@pytest.mark.parametrize(("case", "mode"), cases_by_mode(CASES))
def test_kernels(run, case, mode):
    check_case(run, case, mode)


def test_vocabulary_tables_give_tf_ids_and_buckets(run):
    words = tf.constant(["emerson", "palmer", "x", "y"])
    by_file = tf.contrib.lookup.index_table_from_file(
        VOCAB, num_oov_buckets=2, delimiter=" ", key_column_index=0
    )
    by_list = tf.contrib.lookup.index_table_from_tensor(["emerson", "palmer"], num_oov_buckets=5)
    ints = tf.contrib.lookup.index_table_from_tensor([5, 7], num_oov_buckets=3, dtype=tf.int64)
    run(tf.tables_initializer())
    got = run(
        [by_file.lookup(words), by_list.lookup(words), ints.lookup(tf.constant([7, 9], tf.int64))]
    )
    # TF 2.21's ids and buckets
    np.testing.assert_array_equal(got[0], [0, 2, 3, 4])
    np.testing.assert_array_equal(got[1], [0, 1, 2, 2])
    np.testing.assert_array_equal(got[2], [1, 4])


def test_a_sparse_lookup_keeps_the_indices(run):
    table = tf.lookup.StaticHashTable(tf.lookup.KeyValueTensorInitializer(["a"], [1]), -1)
    out = table.lookup(tf.SparseTensor([[0, 0], [1, 1]], ["a", "b"], [2, 2]))
    run(table.initializer)
    value = run(out)
    np.testing.assert_array_equal(value.indices, [[0, 0], [1, 1]])
    np.testing.assert_array_equal(value.values, [1, -1])


def test_duplicate_keys_fail_in_tf_words(run):
    init = tf.lookup.KeyValueTensorInitializer(["a", "a"], [1, 2])
    table = tf.lookup.StaticHashTable(init, -1)
    with pytest.raises(
        tf.errors.FailedPreconditionError,
        match="HashTable has different value for same key. Key a has 1 and trying to add value 2",
    ):
        run(table.initializer)


def test_initializing_again_with_other_data_fails_as_in_tf(run):
    keys = tf.placeholder(tf.string, [None])
    values = tf.placeholder(tf.int32, [None])
    table = tf.lookup.StaticHashTable(tf.lookup.KeyValueTensorInitializer(keys, values), -1)
    run(table.initializer, {keys: ["a", "b"], values: [1, 2]})
    run(table.initializer, {keys: ["a", "b"], values: [1, 3]})  # as many entries: kept, as TF
    assert run(table.lookup(tf.constant("b"))) == 2
    with pytest.raises(
        tf.errors.FailedPreconditionError, match="already initialized with different"
    ):
        run(table.initializer, {keys: ["a"], values: [1]})


def test_import_sizes_must_match_at_run_time(run):
    keys = tf.placeholder(tf.string, [None])
    table = tf.lookup.StaticHashTable(tf.lookup.KeyValueTensorInitializer(keys, [1, 2, 3]), -1)
    with pytest.raises(
        tf.errors.InvalidArgumentError, match=r"Expected shape \[2\] for value, got \[3\]"
    ):
        run(table.initializer, {keys: ["a", "b"]})


@pytest.mark.parametrize(
    ("content", "kwargs", "error", "message"),
    [
        (None, {}, tf.errors.NotFoundError, "No such file or directory"),
        ("a\nb\n", {"vocab_size": 5}, tf.errors.InvalidArgumentError, "Invalid vocab_size in"),
        ("a\n\nb\n", {}, tf.errors.InvalidArgumentError, "empty line found at position 2."),
        ("a\na\n", {}, tf.errors.FailedPreconditionError, "Key a has 0 and trying to add value 1"),
    ],
)
def test_text_file_errors_are_tfs(run, tmp_path, content, kwargs, error, message):
    path = tmp_path / "vocab.txt"
    if content is not None:
        path.write_text(content)
    table = tf.contrib.lookup.index_table_from_file(str(path), **kwargs)
    with pytest.raises(error, match=message):
        run(table.initializer)


def test_text_file_lines_may_end_in_crlf_and_vocab_size_reads_a_prefix(run, tmp_path):
    path = tmp_path / "vocab.txt"
    path.write_bytes(b"a\r\nb\r\nc\r\n")
    table = tf.contrib.lookup.index_table_from_file(str(path), vocab_size=2)
    run(table.initializer)
    np.testing.assert_array_equal(run(table.lookup(tf.constant(["b", "c"]))), [1, -1])


def test_tables_live_in_the_session_and_two_sessions_hold_two(graph):
    table = tf.contrib.lookup.MutableHashTable(tf.string, tf.int64, -1)
    insert = table.insert(tf.constant(["a"]), tf.constant([1], tf.int64))
    size = table.size()
    with tf.Session(graph=graph) as one, tf.Session(graph=graph) as two:
        one.run(insert)
        assert (one.run(size), two.run(size)) == (1, 0)


def test_tables_initializer_is_in_the_namespaces():
    assert tf.initializers.tables_initializer is tf.tables_initializer
    assert tf.initialize_all_tables is tf.tables_initializer
    assert tf.lookup.experimental.MutableHashTable is tf.contrib.lookup.MutableHashTable


def test_a_monitored_session_initializes_the_tables(graph):
    table = tf.contrib.lookup.index_table_from_tensor(["a", "b"])
    ids = table.lookup(tf.constant(["b", "c"]))
    with tf.train.MonitoredTrainingSession() as sess:
        np.testing.assert_array_equal(sess.run(ids), [1, -1])
