"""Tests for scopeflow/data/experimental.py's own names (``SHARD_HINT``, the graph-mode
refusals, the legacy-function and TF 2 ``save``/``load`` aliases); the expected op names,
values and messages are TF 2.21's (compat.v1 graph mode)."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf

E = tf.data.experimental


def test_shard_hint_is_minus_one():
    assert E.SHARD_HINT == -1


def test_graph_mode_refusals_are_tfs(graph):
    with pytest.raises(ValueError, match="only supported in eager mode"):
        E.enable_debug_mode()
    iterator = tf.data.Dataset.range(3).make_one_shot_iterator()
    with pytest.raises(ValueError, match="Only supports `tf.data.Iterator`-typed `iterator`"):
        E.get_model_proto(iterator)


def test_map_and_batch_with_legacy_function_builds_map_and_batch(graph):
    ds = tf.data.Dataset.range(5).apply(E.map_and_batch_with_legacy_function(lambda x: x * 2, 2))
    assert [(op.name, op.type) for op in graph.get_operations()[-4:]] == [
        ("batch_size", "Const"),
        ("num_parallel_calls", "Const"),
        ("drop_remainder", "Const"),
        ("MapAndBatchDataset", "MapAndBatchDataset"),
    ]
    assert [b.tolist() for b in ds.as_numpy_iterator()] == [[0, 2], [4, 6], [8]]


def test_save_and_load_aliases_round_trip(graph, tmp_path):
    save = E.save(tf.data.Dataset.from_tensor_slices(np.float32([1.5, 2.5])), str(tmp_path))
    with tf.Session() as sess:
        sess.run(save)
    loaded = E.load(str(tmp_path))
    assert loaded.element_spec == tf.TensorSpec([], tf.float32)
    assert list(loaded.as_numpy_iterator()) == [1.5, 2.5]


def test_ragged_tensor_structure_is_a_ragged_tensor_spec():
    spec = E.RaggedTensorStructure(tf.int32, [None, None], 1)
    assert spec == tf.RaggedTensorSpec([None, None], tf.int32, 1, tf.int64)


def test_structure_aliases_are_tfs_specs():
    assert E.Structure is tf.TypeSpec
    assert E.SparseTensorStructure(tf.int32, [2, 3]) == tf.SparseTensorSpec([2, 3], tf.int32)
    spec = E.TensorArrayStructure(tf.int32, [2], True, True)
    assert spec == tf.TensorArraySpec([2], tf.int32, True, True)


def test_sparse_components_have_sparse_tensor_specs(graph):
    ds = tf.data.Dataset.range(1, 3).map(lambda x: tf.SparseTensor([[0, 0]], [x], [2, 3]))
    assert ds.element_spec == tf.SparseTensorSpec([2, 3], tf.int64)
    assert tf.data.DatasetSpec.from_value(ds) == tf.data.DatasetSpec(
        tf.SparseTensorSpec([2, 3], tf.int64)
    )
