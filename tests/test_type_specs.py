"""Tests for scopeflow/type_specs.py and scopeflow/types.py: ``tf.IndexedSlicesSpec``,
``tf.NoneTensorSpec``, ``tf.type_spec_from_value`` and ``tf.types.experimental``, against
TF 2.21's reprs and results."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf


def test_indexed_slices_spec_fields_and_components():
    assert repr(tf.IndexedSlicesSpec()) == (
        "IndexedSlicesSpec(TensorShape(None), tf.float32, tf.int64, None, "
        "TensorShape([Dimension(None)]))"
    )
    spec = tf.IndexedSlicesSpec([5, 3], tf.float32, tf.int64, tf.int32, [3])
    assert spec.value_type is tf.IndexedSlices
    assert [(s.shape.as_list(), s.dtype) for s in spec._component_specs] == [
        ([3, 3], tf.float32), ([3], tf.int64), ([2], tf.int32),
    ]  # fmt: skip
    assert [s.shape.as_list() for s in tf.IndexedSlicesSpec([5, 3])._component_specs] == [
        [None, 3], [None],
    ]  # fmt: skip


def test_none_tensor_spec():
    spec = tf.NoneTensorSpec()
    assert (repr(spec), spec._component_specs, spec == tf.NoneTensorSpec()) == (
        "NoneTensorSpec()", [], True,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("make", "want"),
    [
        (lambda: None, "NoneTensorSpec()"),
        (lambda: tf.constant([1, 2]), "TensorSpec(shape=(2,), dtype=tf.int32, name=None)"),
        (lambda: np.zeros([2, 3], np.float32),
         "TensorSpec(shape=(2, 3), dtype=tf.float32, name=None)"),
        (lambda: 3, "TensorSpec(shape=(), dtype=tf.int32, name=None)"),
        (lambda: [1.0, 2.0], "TensorSpec(shape=(2,), dtype=tf.float32, name=None)"),
        (lambda: "abc", "TensorSpec(shape=(), dtype=tf.string, name=None)"),
        (lambda: tf.Variable(1.0), "TensorSpec(shape=(), dtype=tf.float32, name=None)"),
        (lambda: tf.SparseTensor([[0, 0]], [1.0], [2, 3]),
         "SparseTensorSpec(TensorShape([Dimension(2), Dimension(3)]), tf.float32)"),
        (lambda: tf.SparseTensor([[0, 0]], [1], tf.placeholder(tf.int64, [2])),
         "SparseTensorSpec(TensorShape([Dimension(None), Dimension(None)]), tf.int32)"),
        (lambda: tf.SparseTensorValue([[0]], np.float32([1.0]), [2]),
         "SparseTensorSpec(TensorShape([Dimension(2)]), tf.float32)"),
        (lambda: tf.ragged.constant([[1], [2, 3]]),
         "RaggedTensorSpec(TensorShape([Dimension(2), Dimension(None)]), tf.int32, 1, "
         "tf.int64)"),
        (lambda: tf.IndexedSlices(tf.constant([[1.0, 2.0]]), tf.constant([0]),
                                  tf.constant([4, 2])),
         "IndexedSlicesSpec(TensorShape([Dimension(4), Dimension(2)]), tf.float32, tf.int32, "
         "tf.int32, TensorShape([Dimension(1)]))"),
        (lambda: tf.IndexedSlices(tf.placeholder(tf.float32, [None, 2]), tf.constant([0]),
                                  tf.placeholder(tf.int64, [2])),
         "IndexedSlicesSpec(TensorShape([Dimension(None), Dimension(2)]), tf.float32, "
         "tf.int32, tf.int64, TensorShape([Dimension(1)]))"),
        (lambda: tf.IndexedSlices(tf.constant([[1.0, 2.0]]), tf.constant([0])),
         "IndexedSlicesSpec(TensorShape([Dimension(None), Dimension(2)]), tf.float32, "
         "tf.int32, None, TensorShape([Dimension(1)]))"),
        (lambda: tf.TensorArray(tf.float32, size=3, element_shape=[2]),
         "TensorArraySpec(TensorShape([Dimension(2)]), tf.float32, False, True)"),
        (lambda: tf.TensorArray(tf.int32, size=0, dynamic_size=True),
         "TensorArraySpec(TensorShape(None), tf.int32, True, True)"),
        (lambda: tf.data.Dataset.range(3),
         "DatasetSpec(TensorSpec(shape=(), dtype=tf.int64, name=None), TensorShape([]))"),
    ],
)  # fmt: skip
def test_type_spec_from_value_is_tfs(graph, make, want):
    assert repr(tf.type_spec_from_value(make())) == want


@pytest.mark.parametrize(
    "make", [object, lambda: (tf.constant(1), tf.constant(2.0))], ids=["object", "mixed-tuple"]
)
def test_type_spec_from_value_refuses_what_no_spec_describes(graph, make):
    with pytest.raises(TypeError, match="Could not build a TypeSpec for .* of unsupported type"):
        tf.type_spec_from_value(make())


def test_sparse_spec_components_round_trip(graph):
    st = tf.SparseTensor([[0, 1]], [1.0], [2, 3])
    spec = tf.type_spec_from_value(st)
    indices, values, dense_shape = spec._to_components(st)
    assert (indices, values, dense_shape) == (st.indices, st.values, st.dense_shape)
    assert isinstance(spec._from_components([indices, values, dense_shape]), tf.SparseTensor)
    assert [s.shape.as_list() for s in spec._component_specs] == [[None, 2], [None], [2]]
    with pytest.raises(TypeError, match="Expected SparseTensor or SparseTensorValue"):
        tf.SparseTensorSpec.from_value(tf.constant(1))


def test_types_experimental_tensor_like():
    assert tf.Tensor in tf.types.experimental.TensorLike.__args__
    assert np.ndarray in tf.types.experimental.TensorLike.__args__
