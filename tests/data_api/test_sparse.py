"""Tests for SparseTensor components of tf.data elements (scopeflow/data/structure.py's
``SparseSpec``, carried serialized by scopeflow/ops/sparse/serialize.py): ``map`` returning a
``tf.VarLenFeature``'s ``SparseTensor``, ``batch`` of such elements, a ``SparseTensor`` passed
to ``map``, the ops and names ``get_next`` builds (those of TensorFlow 2.21: an
``IteratorGetNext`` then a ``DeserializeSparse``), and the kernels of the two ops (their
batched form through ``batch``)."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf
from scopeflow.ops.sparse.serialize import deserialize_sparse_variant, serialize_sparse_variant
from tests.data.parsing_model import example
from tests.ops.kernel_table import Case, cases_by_mode, check_case

FEATURES = {"ids": tf.VarLenFeature(tf.int64), "y": tf.FixedLenFeature([], tf.float32)}


def _records(n: int) -> np.ndarray:
    out = np.empty(n, dtype=object)
    out[:] = [example(tf, ids=list(range(i)), y=[float(i)]).SerializeToString() for i in range(n)]
    return out


def _parsed(n: int):
    dataset = tf.data.Dataset.from_tensor_slices(_records(n))
    return dataset.map(lambda r: tf.parse_single_example(r, FEATURES))


def test_a_map_returning_a_sparse_tensor_has_sparse_specs():
    dataset = _parsed(3)
    assert dataset.output_classes == {"ids": tf.SparseTensor, "y": tf.Tensor}
    assert dataset.output_types == {"ids": tf.int64, "y": tf.float32}
    assert dataset.output_shapes["ids"].as_list() == [None]
    assert dataset.batch(2).output_shapes["ids"].as_list() == [None, None]


def test_get_next_deserializes_as_tensorflow_names_it(graph):
    before = len(graph.get_operations())
    element = _parsed(2).batch(2).make_one_shot_iterator().get_next()
    added = [(op.name, op.type) for op in graph.get_operations()[before:]][-2:]
    assert added == [
        ("IteratorGetNext", "IteratorGetNext"),
        ("DeserializeSparse", "DeserializeSparse"),
    ]
    ids = element["ids"]
    assert (ids.indices.name, ids.values.name, ids.dense_shape.name) == (
        "DeserializeSparse:0",
        "DeserializeSparse:1",
        "DeserializeSparse:2",
    )
    assert ids.indices.shape.as_list() == [None, 2]
    assert element["y"].name == "IteratorGetNext:1"


def test_batches_of_sparse_elements(graph):
    element = _parsed(5).batch(2).make_one_shot_iterator().get_next()
    with tf.Session() as sess:
        first, second, third = (sess.run(element) for _ in range(3))
    np.testing.assert_array_equal(first["ids"].indices, [[1, 0]])
    np.testing.assert_array_equal(first["ids"].dense_shape, [2, 1])
    np.testing.assert_array_equal(second["ids"].values, [0, 1, 0, 1, 2])
    np.testing.assert_array_equal(second["ids"].dense_shape, [2, 3])
    np.testing.assert_array_equal(third["ids"].indices, [[0, 0], [0, 1], [0, 2], [0, 3]])
    np.testing.assert_array_equal(third["y"], np.float32([4]))


def test_a_sparse_tensor_passed_to_map(graph):
    dense = _parsed(4).batch(2).map(lambda d: tf.sparse_tensor_to_dense(d["ids"], -1))
    nxt = dense.make_one_shot_iterator().get_next()
    with tf.Session() as sess:
        np.testing.assert_array_equal(sess.run(nxt), [[-1], [0]])
        np.testing.assert_array_equal(sess.run(nxt), [[0, 1, -1], [0, 1, 2]])


def test_var_len_features_from_tfrecords_end_to_end(graph, tmp_path):
    path = str(tmp_path / "data.tfrecord")
    with tf.python_io.TFRecordWriter(path) as writer:
        for record in _records(3):
            writer.write(record)
    dataset = tf.data.TFRecordDataset(path).map(lambda r: tf.parse_single_example(r, FEATURES))
    element = dataset.batch(3).make_one_shot_iterator().get_next()
    dense = tf.sparse_tensor_to_dense(element["ids"], default_value=-1)
    with tf.Session() as sess:
        np.testing.assert_array_equal(sess.run(dense), [[-1, -1], [0, -1], [0, 1]])


def test_padded_batch_of_sparse_components_says_what_to_use(graph):
    with pytest.raises(NotImplementedError, match="use batch"):
        _parsed(2).padded_batch(2, {"ids": [None], "y": []})


def _roundtrip(indices, values, shape):
    sp = tf.SparseTensor(indices, values, shape)
    out = deserialize_sparse_variant(serialize_sparse_variant(sp), tf.float32, [None, None])
    return [out.indices, out.values, out.dense_shape]


IDX = np.int64([[0, 1], [2, 0]])
VALS = np.float32([1.5, -2.0])
SHAPE = np.int64([3, 2])
CASES = [
    Case(
        "serialize-deserialize",
        "DeserializeSparse",
        _roundtrip,
        (IDX, VALS, SHAPE),
        [IDX, VALS, SHAPE],
        modes=("full", "dims"),
        exact_static=False,
    ),
]


@pytest.mark.parametrize(("case", "mode"), cases_by_mode(CASES))
def test_kernel(run, case, mode):
    check_case(run, case, mode)
