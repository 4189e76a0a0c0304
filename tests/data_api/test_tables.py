"""Tests for scopeflow/data/tables.py: ``table_from_dataset``, ``index_table_from_dataset``
and ``DatasetInitializer`` build TF's tables (``string_to_index/hash_table/...``) and give
TensorFlow 2.21's lookups and errors (printed by ``tensorflow.compat.v1`` in graph mode)."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf

D = tf.data.Dataset
E = tf.data.experimental


def looked_up(fetches):
    with tf.Session() as sess:
        sess.run(tf.tables_initializer())
        return [v.tolist() for v in sess.run(fetches)]


def test_tables_from_datasets(graph):
    keys = D.from_tensor_slices([b"a", b"b", b"c"])
    index = E.index_table_from_dataset(keys, key_dtype=tf.string)
    pairs = D.from_tensor_slices((np.int64([3, 5]), np.float32([0.5, 1.5])))
    table = E.table_from_dataset(pairs, key_dtype=tf.int64)
    buckets = E.index_table_from_dataset(keys, num_oov_buckets=2)
    first_two = E.index_table_from_dataset(keys, vocab_size=2)
    assert [op.name for op in graph.get_operations() if op.type == "HashTableV2"][0] == (
        "string_to_index/hash_table/hash_table"
    )
    assert "string_to_index/hash_table/InitializeTableFromDataset" in [
        op.name for op in graph.get_operations()
    ]
    fetches = [
        index.lookup(tf.constant(["b", "z"])),
        table.lookup(tf.constant([5, 7], tf.int64)),
        buckets.lookup(tf.constant(["c", "zz", "q"])),
        first_two.lookup(tf.constant(["a", "c"])),
    ]
    assert looked_up(fetches) == [[1, -1], [1.5, -1.0], [2, 3, 4], [0, -1]]


def test_dataset_initializer_with_a_static_hash_table(graph):
    pairs = D.from_tensor_slices((["x", "y"], np.int64([7, 8])))
    table = tf.lookup.StaticHashTable(E.DatasetInitializer(pairs), -1)
    assert looked_up([table.lookup(tf.constant(["y", "q"]))]) == [[8, -1]]


def test_vocab_size_larger_than_the_dataset_fails_when_initialized(graph):
    E.index_table_from_dataset(D.from_tensor_slices(["a", "b"]), vocab_size=5)
    with pytest.raises(tf.errors.FailedPreconditionError, match="expected to contain 5 elements"):
        tf.Session().run(tf.tables_initializer())


@pytest.mark.parametrize(
    ("build", "error", "message"),
    [
        (lambda: E.table_from_dataset(D.from_tensor_slices(["a"])), ValueError,
         r"must produce elements in the form \(key, value\)"),
        (lambda: E.table_from_dataset(D.from_tensor_slices((["a"], ["b"]))), ValueError,
         "`default_value` must be specified .* values of type <dtype: 'string'>"),
        (lambda: E.table_from_dataset(D.from_tensor_slices((["a"], [1])), num_oov_buckets=-1),
         ValueError, "`num_oov_buckets` must be greater than or equal to 0, got -1."),
        (lambda: E.table_from_dataset(D.from_tensor_slices((["a"], [1])), vocab_size=0),
         ValueError, "`vocab_size` must be greater than 0, got 0."),
        (lambda: E.table_from_dataset(D.from_tensor_slices(([1.0], [1])), key_dtype=tf.float32),
         TypeError, "must be either an integer or string type, but got <dtype: 'float32'>"),
    ],
)  # fmt: skip
def test_errors(graph, build, error, message):
    with pytest.raises(error, match=message):
        build()


def test_a_table_captured_by_a_map_function_looks_up_as_tensorflow(graph):
    # The map function is handed the table's handle (a resource value) each element.
    table = tf.lookup.StaticHashTable(
        tf.lookup.KeyValueTensorInitializer(["a", "b"], np.int64([1, 2])), -1
    )
    buckets = tf.lookup.StaticVocabularyTable(
        tf.lookup.KeyValueTensorInitializer(["a"], np.int64([0])), num_oov_buckets=3
    )
    words = D.from_tensor_slices(["a", "zz", "b"])
    ds = words.map(lambda w: (table.lookup(w), buckets.lookup(w)))
    it = tf.data.make_initializable_iterator(ds)
    nxt = it.get_next()
    with tf.Session() as sess:
        sess.run([tf.tables_initializer(), it.initializer])
        got = [tuple(int(v) for v in sess.run(nxt)) for _ in range(3)]
    assert got == [(1, 0), (-1, 2), (2, 2)]  # TF 2.21's values (its Fingerprint64 buckets)
