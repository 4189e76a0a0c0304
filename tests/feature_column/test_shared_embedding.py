"""``tf.feature_column.shared_embedding_columns``: names, variables, values and errors as
TF 2.21 gives them (its ``tf.compat.v1`` graph, the same columns and features)."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf

fc = tf.feature_column
A = fc.categorical_column_with_identity("a", 4)
B = fc.categorical_column_with_identity("b", 4)
WEIGHTED = fc.weighted_categorical_column(fc.categorical_column_with_identity("c", 4), "cw")


def _features():
    return {
        "a": tf.SparseTensor([[0, 0], [1, 0], [1, 1]], np.int64([1, 2, 3]), [2, 2]),
        "b": tf.SparseTensor([[0, 0]], np.int64([3]), [2, 1]),
        "c": tf.SparseTensor([[0, 0], [1, 0]], np.int64([0, 1]), [2, 1]),
        "cw": tf.SparseTensor([[0, 0], [1, 0]], np.float32([2, 3]), [2, 1]),
    }


def test_one_table_for_all_columns_as_in_tf(graph, run):
    cols = fc.shared_embedding_columns(
        [B, A, WEIGHTED], 2, initializer=tf.ones_initializer(), combiner="sum"
    )
    assert [c.name for c in cols] == [
        "b_shared_embedding",
        "a_shared_embedding",
        "c_weighted_by_cw_shared_embedding",
    ]
    out = fc.input_layer(_features(), cols)
    again = fc.input_layer(_features(), cols)  # the second layer finds the table
    assert [v.name for v in tf.global_variables()] == [
        "input_layer/a_b_c_weighted_by_cw_shared_embedding/embedding_weights:0"
    ]
    scopes = {"/".join(op.name.split("/")[:3]) for op in graph.get_operations()}
    assert {
        "input_layer/a_b_c_weighted_by_cw_shared_embedding/a_shared_embedding",
        "input_layer/a_b_c_weighted_by_cw_shared_embedding_1/b_shared_embedding",
        "input_layer/a_b_c_weighted_by_cw_shared_embedding_2/c_weighted_by_cw_shared_embedding",
    } <= scopes
    run(tf.global_variables_initializer())
    expected = [[1, 1, 1, 1, 2, 2], [2, 2, 0, 0, 3, 3]]
    np.testing.assert_array_equal(run(out), expected)
    np.testing.assert_array_equal(run(again), expected)


def test_a_collection_holding_another_variable_is_refused(graph):
    tf.add_to_collection("x_shared", tf.get_variable("other", [3, 2]))
    cols = fc.shared_embedding_columns([A], 2, shared_embedding_collection_name="x_shared")
    with pytest.raises(ValueError, match="contains variable other:0 of unexpected shape"):
        fc.input_layer(_features(), cols)


@pytest.mark.parametrize(
    ("columns", "kwargs", "message"),
    [
        ([A, fc.categorical_column_with_hash_bucket("h", 4)], {}, "must have the same type"),
        ([A, fc.categorical_column_with_identity("c", 5)], {}, "same number of buckets"),
        ([fc.numeric_column("n")], {}, "must be subclasses of _CategoricalColumn"),
        ([A], {"initializer": 3}, "initializer must be callable if specified."),
        ([A], {"dimension": 0}, "Invalid dimension 0."),
    ],
)
def test_errors_as_in_tf(columns, kwargs, message):
    with pytest.raises(ValueError, match=message):
        fc.shared_embedding_columns(columns, **{"dimension": 2, **kwargs})
