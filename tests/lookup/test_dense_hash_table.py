"""Tests for scopeflow/lookup/dense_hash_table.py (``tf.lookup.experimental.DenseHashTable``):
TF 2.21's ops, names, bucket layouts (``export``), values and errors, recorded from the
reference."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf
from tests.ops.kernel_table import Case, cases_by_mode, check_case

DenseHashTable = tf.lookup.experimental.DenseHashTable


def _table(**kwargs):
    args = {"default_value": -1, "empty_key": 0, "deleted_key": -1, "initial_num_buckets": 8}
    return DenseHashTable(tf.int64, tf.int64, **{**args, **kwargs})


def _lookup_after_insert(keys):
    table = _table()
    insert = table.insert(keys, keys * 10)
    with tf.control_dependencies([insert]):
        return table.lookup(tf.constant([5, 13, 99], tf.int64))


def _lookup_after_erase(keys):
    table = _table()
    insert = table.insert(keys, keys * 10)
    with tf.control_dependencies([insert]):
        erase = table.erase(keys[:1])
    with tf.control_dependencies([erase]):
        return table.lookup(keys)


CASES = [
    Case("insert", "LookupTableFindV2", _lookup_after_insert, (np.int64([5, 13, 21]),),
         np.int64([50, 130, -1])),
    Case("erase", "LookupTableFindV2", _lookup_after_erase, (np.int64([5, 13, 21]),),
         np.int64([-1, 130, 210])),
]  # fmt: skip


@pytest.mark.parametrize(("case", "mode"), cases_by_mode(CASES))
def test_kernels(run, case, mode):
    check_case(run, case, mode)


def test_names_are_tfs(graph):
    table = _table()
    table.insert(tf.constant([5], tf.int64), tf.constant([50], tf.int64))
    table.erase(tf.constant([5], tf.int64))
    table.lookup(tf.constant([5], tf.int64))
    table.size()
    table.export()
    ops = [(op.name, op.type) for op in graph.get_operations() if op.type != "Const"]
    assert ops == [
        ("MutableDenseHashTable", "MutableDenseHashTableV2"),
        ("MutableDenseHashTable_lookup_table_insert/LookupTableInsertV2", "LookupTableInsertV2"),
        ("MutableDenseHashTable_lookup_table_remove/LookupTableRemoveV2", "LookupTableRemoveV2"),
        ("MutableDenseHashTable_lookup_table_find/LookupTableFindV2", "LookupTableFindV2"),
        ("MutableDenseHashTable_Size/LookupTableSizeV2", "LookupTableSizeV2"),
        ("MutableDenseHashTable_lookup_table_export_values/LookupTableExportV2",
         "LookupTableExportV2"),
    ]  # fmt: skip
    op = graph.get_operation_by_name("MutableDenseHashTable")
    assert [t.name for t in op.inputs] == ["empty_key:0", "deleted_key:0"]
    assert (op.get_attr("initial_num_buckets"), op.get_attr("max_load_factor")) == (8, 0.8)
    assert (table.name, table.key_dtype, table.value_dtype) == (
        "MutableDenseHashTable", tf.int64, tf.int64,
    )  # fmt: skip


def test_buckets_probes_and_growth_are_tfs(graph, run):
    table = _table()
    keys, values = table.export()
    run(
        table.insert(
            tf.constant([5, 13, 21, 2], tf.int64), tf.constant([50, 130, 210, 20], tf.int64)
        )
    )
    k, v = run([keys, values])
    assert k[:, 0].tolist() == [21, 0, 2, 0, 0, 5, 13, 0]  # 13 and 21 probe past 5's bucket
    assert v[:, 0].tolist() == [210, 0, 20, 0, 0, 50, 130, 0]
    run(table.erase(tf.constant([13, 99], tf.int64)))
    k, v = run([keys, values])
    assert k[:, 0].tolist() == [21, 0, 2, 0, 0, 5, -1, 0] and v[6, 0] == 130
    assert run(table.size()) == 3
    new_keys = tf.constant([7, 100, 3, 4, 9], tf.int64)
    run(table.insert_or_assign(new_keys, new_keys * 10))  # 8 entries > 0.8 * 8: 16 buckets
    k, v = run([keys, values])
    assert k[:, 0].tolist() == [0, 0, 2, 3, 100, 21, 5, 7, 0, 9, 4, 0, 0, 0, 0, 0]
    assert v[:, 0].tolist() == [0, 0, 20, 30, 1000, 210, 50, 70, 0, 90, 40, 0, 0, 0, 0, 0]
    assert run(table.size()) == 8


def test_string_vector_and_negative_keys_as_tf(graph, run):
    strings = DenseHashTable(tf.string, tf.float32, default_value=[0.0, 0.0], empty_key="",
                             deleted_key="$", initial_num_buckets=4, name="st")  # fmt: skip
    run(strings.insert(["a", "bb", "ccc"], [[1, 2], [3, 4], [5, 6]]))
    np.testing.assert_array_equal(run(strings.lookup(["bb", "zz"])), [[3, 4], [0, 0]])
    k, v = run(strings.export())
    assert k[:, 0].tolist() == [b"a", b"bb", b"ccc", b""]
    np.testing.assert_array_equal(v, [[1, 2], [3, 4], [5, 6], [0, 0]])
    pairs = _table(empty_key=[0, 0], deleted_key=[-1, -1], initial_num_buckets=4, name="vec")
    run(pairs.insert([[1, 2], [3, 4]], [10, 20]))
    found = pairs.lookup([[3, 4], [1, 1]])
    assert found.shape.as_list() == [2]
    assert run(found).tolist() == [20, -1]
    assert run(pairs.export()[0]).tolist() == [[3, 4], [0, 0], [0, 0], [1, 2]]
    small = DenseHashTable(tf.int32, tf.int32, default_value=-1, empty_key=0, deleted_key=-1,
                           initial_num_buckets=4, name="neg")  # fmt: skip
    run(small.insert([-5, -2, 6], [1, 2, 3]))
    assert run(small.export()[0])[:, 0].tolist() == [0, 6, -2, -5]


def test_errors_are_tfs(graph, run):
    table = _table()
    key = tf.constant([0], tf.int64)
    for op, message in [
        (table.insert(key, key), "Using the empty_key as a table key is not allowed"),
        (table.insert(key - 1, key), "Using the deleted_key as a table key is not allowed"),
        (table.erase(key), "Using the empty_key as a table key is not allowed"),
        (table.lookup(key), "Using the empty_key as a table key is not allowed"),
        (table.insert(tf.placeholder_with_default(tf.constant([1, 2], tf.int64), None),
                      [1]), "Expected shape [2] for value, got [1]"),
        (_table(empty_key=1, deleted_key=1).size(), "Empty and deleted keys cannot be equal"),
        (_table(initial_num_buckets=6).size(),
         "Number of buckets must be at least 4 and a power of 2, got: 6"),
    ]:  # fmt: skip
        with pytest.raises(tf.errors.InvalidArgumentError, match=message.replace("[", r"\[")):
            run(op)
    with pytest.raises(ValueError, match="Dimensions must be equal, but are 2 and 1"):
        table.insert([1, 2], [1])
    with pytest.raises(TypeError, match="Signature mismatch. Keys must be dtype"):
        table.erase(tf.constant([1], tf.int32))
    with pytest.raises(NotImplementedError, match="int32, int64 and string keys"):
        DenseHashTable(tf.float32, tf.int64, -1, 0.0, -1.0)
