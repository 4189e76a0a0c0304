"""MutableHashTable.remove (LookupTableRemoveV2), as TF 2.21: entries dropped, missing keys
ignored, TF's TypeError for keys of another dtype, and static tables refusing at run."""

import pytest

import scopeflow as tf


def test_remove_drops_the_entries(graph):
    table = tf.lookup.experimental.MutableHashTable(tf.string, tf.int64, -1)
    insert = table.insert(tf.constant(["a", "b", "c"]), tf.constant([1, 2, 3], tf.int64))
    remove = table.remove(tf.constant(["b", "zz"]))
    assert (remove.name, remove.type, remove.outputs) == (
        "MutableHashTable_lookup_table_remove/LookupTableRemoveV2",
        "LookupTableRemoveV2",
        [],
    )
    found = table.lookup(tf.constant(["a", "b", "c"]))
    with tf.Session(graph=graph) as sess:
        sess.run(insert)
        sess.run(remove)
        values, size = sess.run([found, table.size()])
    assert values.tolist() == [1, -1, 3] and size == 2


def test_remove_from_a_table_of_vectors(graph):
    table = tf.lookup.experimental.MutableHashTable(tf.int64, tf.float32, [0.0, 0.0])
    values = tf.constant([[1.0, 2.0], [3.0, 4.0]])
    insert = table.insert(tf.constant([1, 2], tf.int64), values)
    remove = table.remove(tf.constant([1], tf.int64))
    with tf.Session(graph=graph) as sess:
        sess.run(insert)
        sess.run(remove)
        keys, kept = sess.run(table.export())
    assert keys.tolist() == [2] and kept.tolist() == [[3.0, 4.0]]


def test_keys_of_another_dtype(graph):
    table = tf.lookup.experimental.MutableHashTable(tf.string, tf.int64, -1)
    with pytest.raises(TypeError, match="Dtype of argument `keys` must be <dtype: 'string'>"):
        table.remove(tf.constant([1, 2]))


def test_static_tables_refuse_at_run(graph):
    init = tf.lookup.KeyValueTensorInitializer(["a"], [1])
    table = tf.lookup.StaticHashTable(init, -1)
    remove = tf.raw_ops.LookupTableRemoveV2(table_handle=table.resource_handle, keys=["a"])
    with tf.Session(graph=graph) as sess:
        sess.run(table.initializer)
        with pytest.raises(tf.errors.UnimplementedError, match="Remove not supported by"):
            sess.run(remove)
