"""Tests for scopeflow/data/sources.py, grouping.py and methods.py: ``from_list``,
``RandomDataset``, ``SqlDataset``, ``group_by_reducer``, ``dense_to_sparse_batch``,
``assert_cardinality``, ``pad_to_cardinality`` and the ``Dataset`` methods that call them give
TensorFlow 2.21's elements, structures and errors (printed by ``tensorflow.compat.v1`` in
graph mode for the same pipelines; ``RandomDataset``'s numbers: test_random_streams.py)."""

from __future__ import annotations

import sqlite3

import numpy as np
import pytest

import scopeflow as tf

D = tf.data.Dataset
E = tf.data.experimental


def everything(ds, limit: int = 20) -> list:
    element = ds.make_one_shot_iterator().get_next()
    out = []
    with tf.Session() as sess:
        for _ in range(limit):
            try:
                out.append(sess.run(element))
            except tf.errors.OutOfRangeError:
                return out
            except tf.errors.OpError as e:
                return [*out, (type(e).__name__, e.message.split("\n")[0])]
    return out


def _fill(x):
    return tf.fill(tf.reshape(x, [1]), x)


def test_from_list(graph):
    ds = E.from_list([(1, "a"), (2, "b")])
    assert ds.output_types == (tf.int32, tf.string)
    assert [op.name for op in graph.get_operations()][-1] == "ListDataset"
    assert everything(ds) == [(1, b"a"), (2, b"b")]
    ragged = E.from_list([[1, 2], [3]])
    assert ragged.output_shapes.as_list() == [None]
    assert [v.tolist() for v in everything(ragged)] == [[1, 2], [3]]
    assert everything(E.from_list([{"x": 1.0}, {"x": 2.0}])) == [{"x": 1.0}, {"x": 2.0}]
    assert tf.Session().run(E.from_list([1, 2, 3]).cardinality()) == 3
    with pytest.raises(ValueError, match="`elements` should not be empty"):
        E.from_list([])
    with pytest.raises(TypeError, match="same structure and types"):
        E.from_list([1, "a"])


def test_random_dataset(graph):
    a, b = E.RandomDataset(seed=3).take(3), D.random(seed=3).take(3)
    first, second = everything(a), everything(b)
    assert first == second and all(0 <= v < 2**32 for v in first) and len(set(first)) == 3
    assert a.output_types == tf.int64
    assert tf.Session().run(E.RandomDataset(seed=1).cardinality()) == -1


@pytest.fixture
def database(tmp_path):
    path = str(tmp_path / "a.db")
    with sqlite3.connect(path) as c:
        c.execute("create table t (a integer, b text, c real, d integer)")
        rows = [(1, "x", 1.5, 1), (2, "y", None, 0), (3, None, 2.5, 1)]
        c.executemany("insert into t values (?,?,?,?)", rows)
    return path


def test_sql_dataset(graph, database):
    types = (tf.int32, tf.string, tf.float64, tf.bool)
    ds = E.SqlDataset("sqlite", database, "SELECT a, b, c, d FROM t", types)
    assert ds.output_types == types
    assert [op.name for op in graph.get_operations()] == [
        "driver_name", "data_source_name", "query", "SqlDataset",
    ]  # fmt: skip
    assert everything(ds) == [(1, b"x", 1.5, True), (2, b"y", 0.0, False), (3, b"", 2.5, True)]
    assert everything(E.SqlDataset("sqlite", database, "SELECT b FROM t", (tf.int64,))) == [
        (0,), (0,), (0,),
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("driver", "query", "types", "error"),
    [
        ("sqlite", "SELECT nope FROM t", (tf.int32,),
         ("UnknownError", "Prepare() failed: [1] no such column: nope: SELECT nope FROM t")),
        ("sqlite", "SELECT a, b FROM t", (tf.int32,),
         ("InvalidArgumentError", "The number of columns in query (2) must match the number of "
          "elements in output_types (1).")),
        ("mysql", "SELECT a FROM t", (tf.int64,),
         ("InvalidArgumentError", "The database type, mysql, is not supported by SqlDataset. "
          "The set of supported databases is: {'sqlite'}.")),
    ],
)  # fmt: skip
def test_sql_errors(graph, database, driver, query, types, error):
    assert everything(E.SqlDataset(driver, database, query, types)) == [error]


def test_group_by_reducer(graph):
    reducer = E.Reducer(
        lambda k: tf.constant(0, tf.int64), lambda s, x: s + x, lambda s: (s, s * 2)
    )
    ds = D.range(10).apply(E.group_by_reducer(lambda x: x % 3, reducer))
    assert [op.type for op in graph.get_operations()][-1] == "ExperimentalGroupByReducerDataset"
    assert everything(ds) == [(18, 36), (12, 24), (15, 30)]
    growing = E.Reducer(
        lambda k: tf.zeros([0], tf.int64), lambda s, x: tf.concat([s, [x]], 0), lambda s: s
    )
    ds = D.range(4).apply(E.group_by_reducer(lambda x: x % 2, growing))
    assert ds.output_shapes.as_list() == [None]  # the state's shape relaxed, as TF
    assert [v.tolist() for v in everything(ds)] == [[0, 2], [1, 3]]
    with pytest.raises(ValueError, match=r"has output types=<dtype: 'int32'> and shapes=\(\)"):
        D.range(7).apply(E.group_by_reducer(lambda x: tf.cast(x, tf.int32), reducer))


def test_dense_to_sparse_batch(graph):
    rows = D.range(5).map(_fill)
    ds = rows.apply(E.dense_to_sparse_batch(2, [5]))
    assert ds.output_shapes.as_list() == [None, 5] and ds.output_classes == tf.SparseTensor
    got = everything(ds)
    assert [g.indices.tolist() for g in got] == [
        [[1, 0]], [[0, 0], [0, 1], [1, 0], [1, 1], [1, 2]], [[0, 0], [0, 1], [0, 2], [0, 3]],
    ]  # fmt: skip
    assert [g.values.tolist() for g in got][1] == [2, 2, 3, 3, 3]
    assert [g.dense_shape.tolist() for g in got] == [[2, 5], [2, 5], [1, 5]]
    grid = D.range(3).map(lambda x: tf.fill(tf.stack([x, 2]), x)).sparse_batch(2, [None, 2])
    assert [g.dense_shape.tolist() for g in everything(grid)] == [[2, 1, 2], [1, 2, 2]]
    small = everything(rows.apply(E.dense_to_sparse_batch(2, [2])))
    assert small[-1] == (
        "DataLossError", "Input element had shape ([3]) that is larger than the row shape ([2]).",
    )  # fmt: skip
    rank = everything(rows.apply(E.dense_to_sparse_batch(2, [2, 2])))
    assert rank == [
        ("InvalidArgumentError",
         "Input element had shape ([0]) that is incompatible with the row shape ([2,2])."),
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("n", "count", "want"),
    [
        (3, 3, [0, 1, 2]),
        (3, 5, [0, 1, 2, ("FailedPreconditionError", "Input dataset was expected to contain 5 "
                          "elements but contained only 3 elements.")]),
        (6, 2, [0, 1, ("FailedPreconditionError", "Input dataset was expected to contain 2 "
                       "elements but contained at least 3 elements.")]),
        (2, -1, [0, 1, ("FailedPreconditionError", "Input dataset was expected to contain an "
                        "infinite number of elements but contained only 2 elements.")]),
    ],
)  # fmt: skip
def test_assert_cardinality(graph, n, count, want):
    assert everything(D.range(n).apply(E.assert_cardinality(count))) == want


def test_assert_cardinality_sets_cardinality(graph):
    ds = D.range(6).filter(lambda x: x > 2).apply(E.assert_cardinality(3))
    assert tf.Session().run(ds.cardinality()) == 3


def test_pad_to_cardinality(graph):
    ds = D.from_tensor_slices({"a": [1, 2]}).apply(E.pad_to_cardinality(4))
    assert [(op.name, op.type) for op in graph.get_operations()][2:] == [
        ("DatasetCardinality", "DatasetCardinality"), ("sub/x", "Const"), ("sub", "Sub"),
        ("zeros", "Const"), ("normalize_element_1/component_1", "Const"),
        ("TensorDataset", "TensorDataset"), ("RepeatDataset", "RepeatDataset"),
        ("MapDataset", "MapDataset"), ("ConcatenateDataset", "ConcatenateDataset"),
    ]  # fmt: skip
    got = everything(ds)
    assert [(int(e["a"]), bool(e["valid"])) for e in got] == [
        (1, True), (2, True), (0, False), (0, False),
    ]  # fmt: skip
    with pytest.raises(ValueError, match="requires its input dataset to be a dictionary"):
        D.range(2).apply(E.pad_to_cardinality(3))


def test_dataset_methods_call_the_transformations(graph):
    ds = D.range(5).group_by_window(lambda x: x % 2, lambda k, w: w.batch(3), 3)
    assert [v.tolist() for v in everything(ds)] == [[0, 2, 4], [1, 3]]
    assert everything(D.range(3).map(lambda x: x // (1 - x % 2)).ignore_errors()) == [0, 2]
    assert tf.Session().run(D.range(4, 5).get_single_element()) == 4
    assert everything(D.counter(2, 3).take(3)) == [2, 5, 8]
    choice = D.from_tensor_slices(np.int64([1, 0, 1]))
    picked = D.choose_from_datasets([D.range(2), D.range(10, 11)], choice)
    assert everything(picked) == [10, 0]  # the second dataset ended: stop, as TF's method
    assert everything(D.range(3).map_with_legacy_function(lambda x: x + 1)) == [1, 2, 3]
    assert everything(D.range(3).filter_with_legacy_function(lambda x: x > 0)) == [1, 2]


def test_from_sparse_tensor_slices(graph):
    sp = tf.SparseTensor([[0, 1], [2, 0], [2, 2]], [1.0, 2.0, 3.0], [4, 3])
    ds = D.from_sparse_tensor_slices(sp)
    assert ds.output_types == (tf.int64, tf.float32, tf.int64)
    assert [s.as_list() for s in ds.output_shapes] == [[None, 1], [None], [1]]
    node = [n for n in graph.as_graph_def().node if n.op == "SparseTensorSliceDataset"][0]
    assert sorted(node.attr) == ["Tvalues"]  # TF's op has no element attrs
    rows = [tuple(np.asarray(c).tolist() for c in e) for e in everything(ds)]
    assert rows == [
        ([[1]], [1.0], [3]), ([], [], [3]), ([[0], [2]], [2.0, 3.0], [3]), ([], [], [3]),
    ]  # fmt: skip
    unordered = tf.SparseTensor([[1, 0], [0, 0]], [1.0, 2.0], [2, 2])
    assert everything(D.from_sparse_tensor_slices(unordered)) == [
        ("UnimplementedError", "The SparseTensor must be ordered in the batch dimension; "
         "handling arbitrarily ordered input is not currently supported."),
    ]  # fmt: skip


def test_structure_and_variant_round_trip(graph):
    ds = D.from_tensor_slices(({"a": [1, 2]}, [1.0, 2.0]))
    spec = ({"a": tf.TensorSpec([], tf.int32)}, tf.TensorSpec([], tf.float32))
    assert E.get_structure(ds) == spec
    assert E.get_structure(ds.make_one_shot_iterator()) == spec
    variant = E.to_variant(ds)
    assert variant.op.type == "TensorSliceDataset" and variant.dtype == tf.variant
    back = E.from_variant(variant, E.get_structure(ds))
    assert back.output_types == ({"a": tf.int32}, tf.float32)
    assert everything(back) == [({"a": 1}, 1.0), ({"a": 2}, 2.0)]
    assert E.TensorStructure(tf.int32, [2]) == tf.TensorSpec([2], tf.int32)  # dtype first
    assert E.DatasetStructure is tf.data.DatasetSpec
    with pytest.raises(TypeError, match="must be a `tf.data.Dataset` or tf.data.Iterator"):
        E.get_structure(3)


@pytest.mark.parametrize(
    ("build", "shape", "want"),
    [
        (lambda: D.range(10).batch(4).rebatch(3), [None], [[0, 1, 2], [3, 4, 5], [6, 7, 8], [9]]),
        (lambda: D.range(10).batch(4).rebatch(3, drop_remainder=True), [3],
         [[0, 1, 2], [3, 4, 5], [6, 7, 8]]),
        (lambda: D.range(10).batch(4).rebatch([1, 2]), [None],
         [[0], [1, 2], [3], [4, 5], [6], [7, 8], [9]]),
        (lambda: D.range(8).batch(4, drop_remainder=True).rebatch(2), [2],
         [[0, 1], [2, 3], [4, 5], [6, 7]]),
    ],
)  # fmt: skip
def test_rebatch(graph, build, shape, want):
    ds = build()
    assert ds.output_shapes.as_list() == shape
    assert [op.name for op in graph.get_operations()][-3:] == [
        "RebatchDatasetV2/batch_sizes", "RebatchDatasetV2/drop_remainder", "RebatchDatasetV2",
    ]  # fmt: skip
    assert [v.tolist() for v in everything(ds)] == want


def test_rebatch_needs_batches(graph):
    with pytest.raises(ValueError, match="Expected dataset with rank of >= 1"):
        D.range(10).rebatch(3)
