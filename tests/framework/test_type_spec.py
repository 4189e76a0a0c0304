"""Tests for scopeflow/framework/type_spec.py (``tf.TypeSpec``): what every spec shares
(equality, hashing, repr, compatibility, the most specific common type), as TF 2.21 gives
it for its specs."""

from __future__ import annotations

import pytest

import scopeflow as tf


def test_typespec_is_abstract_with_tfs_abstract_methods():
    with pytest.raises(TypeError, match="_component_specs, _from_components, _serialize"):
        tf.TypeSpec()


def test_the_specs_are_typespecs():
    specs = [
        tf.TensorSpec([1]), tf.RaggedTensorSpec([1, None]), tf.SparseTensorSpec(),
        tf.TensorArraySpec(), tf.IndexedSlicesSpec(), tf.NoneTensorSpec(),
        tf.data.DatasetSpec(tf.TensorSpec([])), tf.OptionalSpec(tf.TensorSpec([], tf.int32)),
    ]  # fmt: skip
    assert all(isinstance(s, tf.TypeSpec) for s in specs)
    assert tf.OptionalSpec is tf.data.experimental.OptionalStructure


def test_equality_hash_and_repr_come_from_the_fields():
    spec = tf.SparseTensorSpec([2, None], tf.int32)
    same = tf.SparseTensorSpec([2, None], "int32")
    assert spec == same and hash(spec) == hash(same) and spec != tf.SparseTensorSpec([2, 3])
    assert spec != tf.TensorSpec([2, None], tf.int32)
    assert repr(spec) == "SparseTensorSpec(TensorShape([Dimension(2), Dimension(None)]), tf.int32)"
    assert repr(tf.SparseTensorSpec()) == "SparseTensorSpec(TensorShape(None), tf.float32)"


def test_compatibility_and_common_types_are_tfs():
    spec = tf.SparseTensorSpec([2, None], tf.int32)
    assert spec.is_compatible_with(tf.SparseTensorSpec([2, 5], tf.int32))
    assert not spec.is_compatible_with(tf.SparseTensorSpec([2, 5], tf.float32))
    assert not spec.is_compatible_with(tf.TensorSpec([2, 3], tf.int32))
    with tf.Graph().as_default():
        assert spec.is_compatible_with(tf.SparseTensor([[0, 0]], [1], [2, 3]))
    # Dimensions that differ become unknown; other fields must agree.
    merged = spec.most_specific_compatible_type(tf.SparseTensorSpec([3, 5], tf.int32))
    assert merged == tf.SparseTensorSpec([None, None], tf.int32)
    with pytest.raises(ValueError, match="No TypeSpec is compatible with both"):
        spec.most_specific_compatible_type(tf.SparseTensorSpec([3, 5], tf.float32))
    assert spec.most_specific_common_supertype([tf.SparseTensorSpec([3, None], tf.int32)]) == (
        tf.SparseTensorSpec([None, None], tf.int32)
    )
    assert spec.most_specific_common_supertype([tf.SparseTensorSpec([3], tf.float32)]) is None
    assert spec.is_subtype_of(tf.SparseTensorSpec([None, None], tf.int32))
    assert not tf.SparseTensorSpec([None, None], tf.int32).is_subtype_of(spec)
