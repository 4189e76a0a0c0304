"""``tf.io.SparseFeature`` in ``parse_example``/``parse_single_example``: indices, values,
shapes, op names and errors as TF 2.21 gives them for the same records."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf


def _example(**lists) -> bytes:
    feature = {}
    for key, values in lists.items():
        if isinstance(values[0], float):
            feature[key] = tf.train.Feature(float_list=tf.train.FloatList(value=values))
        else:
            feature[key] = tf.train.Feature(int64_list=tf.train.Int64List(value=values))
    return tf.train.Example(features=tf.train.Features(feature=feature)).SerializeToString()


DATA = [
    _example(ix=[3, 0], val=[0.5, 1.5], i0=[1], i1=[2], v2=[7.0]),
    _example(ix=[2], val=[2.5], i0=[0, 1], i1=[0, 0], v2=[8.0, 9.0]),
]
FEATURES = {
    "sp": tf.io.SparseFeature("ix", "val", tf.float32, 5),
    "sp2": tf.SparseFeature(["i0", "i1"], "v2", tf.float32, [2, 3]),
    "sorted": tf.io.SparseFeature("ix", "val", tf.float32, 5, already_sorted=True),
    "val": tf.io.VarLenFeature(tf.float32),
}
# TF 2.21: key -> (indices, values, dense_shape)
EXPECTED = {
    "sorted": ([[0, 3], [0, 0], [1, 2]], [0.5, 1.5, 2.5], [2, 5]),
    "sp": ([[0, 0], [0, 3], [1, 2]], [1.5, 0.5, 2.5], [2, 5]),
    "sp2": ([[0, 1, 2], [1, 0, 0], [1, 1, 0]], [7.0, 8.0, 9.0], [2, 2, 3]),
    "val": ([[0, 0], [0, 1], [1, 0]], [0.5, 1.5, 2.5], [2, 2]),
}


def test_parse_example_merges_index_and_value_features(run):
    parsed = tf.io.parse_example(DATA, FEATURES)
    assert sorted(parsed) == sorted(FEATURES)
    assert parsed["sp"].indices.name == "SparseMerge_1/SparseReorder:0"
    got = run(parsed)
    for key, (indices, values, shape) in EXPECTED.items():
        np.testing.assert_array_equal(got[key].indices, indices)
        np.testing.assert_array_equal(got[key].values, values)
        np.testing.assert_array_equal(got[key].dense_shape, shape)


def test_parse_single_example_has_no_batch_dimension(run):
    got = run(tf.io.parse_single_example(DATA[0], {"sp": FEATURES["sp"]}))["sp"]
    np.testing.assert_array_equal(got.indices, [[0], [3]])
    np.testing.assert_array_equal(got.values, [1.5, 0.5])
    np.testing.assert_array_equal(got.dense_shape, [5])


@pytest.mark.parametrize(
    ("features", "message"),
    [
        (
            {
                "a": tf.io.SparseFeature("ix", "val", tf.float32, 5),
                "b": tf.io.SparseFeature("val", "ix", tf.float32, 5),
            },
            "Conflicting type <dtype: 'float32'> vs <dtype: 'int64'> for feature val.",
        ),
        ({"a": tf.io.SparseFeature("", "val", tf.float32, 5)}, "Missing index_key for Sparse"),
        ({"a": tf.io.SparseFeature("ix", "val", None, 5)}, "Missing type for feature a."),
    ],
)
def test_errors_as_in_tf(graph, features, message):
    with pytest.raises(ValueError, match=message):
        tf.io.parse_example(DATA, features)
