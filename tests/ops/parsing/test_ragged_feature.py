"""Tests for ``tf.io.RaggedFeature`` (scopeflow/ops/parsing/ragged_feature.py, example_ops.py,
scopeflow/ragged/parsing.py): TF 2.21's ParseExampleV2 inputs, attrs, output names, shapes,
values and errors, recorded from the reference."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf


def _example(**features):
    feature = {}
    for key, values in features.items():
        if values and isinstance(values[0], float):
            feature[key] = tf.train.Feature(float_list=tf.train.FloatList(value=values))
        elif values and isinstance(values[0], bytes):
            feature[key] = tf.train.Feature(bytes_list=tf.train.BytesList(value=values))
        else:
            feature[key] = tf.train.Feature(int64_list=tf.train.Int64List(value=values))
    return tf.train.Example(features=tf.train.Features(feature=feature)).SerializeToString()


RECORDS = [_example(v=[1, 2, 3], w=[b"a"]), _example(w=[b"b", b"c"]), _example(v=[4])]


def test_ragged_features_beside_the_others_as_tf(graph, run):
    features = {
        "v": tf.io.RaggedFeature(tf.int64, row_splits_dtype=tf.int64),
        "w": tf.io.RaggedFeature(tf.string),
        "d": tf.io.FixedLenFeature([], tf.int64, default_value=0),
        "vv": tf.io.VarLenFeature(tf.int64),
        "z": tf.io.RaggedFeature(tf.float32, value_key="v2"),
    }
    out = tf.io.parse_example(tf.constant(RECORDS), features)
    assert list(out) == ["vv", "d", "v", "w", "z"]
    op = graph.get_operation_by_name("ParseExample/ParseExampleV2")
    assert op.get_attr("ragged_value_types") == [tf.int64, tf.string, tf.float32]
    assert op.get_attr("ragged_split_types") == [tf.int64, tf.int32, tf.int32]
    keys = graph.get_operation_by_name("ParseExample/ParseExampleV2/ragged_keys")
    assert keys.get_attr("value").tolist() == [b"v", b"w", b"v2"]
    assert (out["v"].values.name, out["v"].row_splits.name) == (
        "ParseExample/ParseExampleV2:4", "ParseExample/ParseExampleV2:7",
    )  # fmt: skip
    assert [o.shape.as_list() for o in op.outputs[4:]] == [[None]] * 3 + [[4]] * 3
    values = run(out)
    assert values["v"].to_list() == [[1, 2, 3], [], [4]]
    assert values["v"].row_splits.dtype == np.int64
    assert values["w"].to_list() == [[b"a"], [b"b", b"c"], []]
    assert values["z"].row_splits.tolist() == [0, 0, 0, 0]
    assert values["d"].tolist() == [0, 0, 0]


def test_one_record_gives_the_values(graph, run):
    one = tf.io.parse_single_example(_example(v=[5, 6]), {"v": tf.io.RaggedFeature(tf.int64)})
    assert one["v"].name == "ParseSingleExample/ParseExample/ParseExampleV2:0"
    assert run(one["v"]).tolist() == [5, 6]
    splits = graph.get_tensor_by_name("ParseSingleExample/ParseExample/ParseExampleV2:1")
    assert run(splits).tolist() == []  # TF gives no row splits for one record


def test_errors_are_tfs(graph, run):
    with pytest.raises(ValueError, match=r"Argument `dtype` must be int64, float32, or bytes; got"):
        tf.io.RaggedFeature(tf.int32)
    with pytest.raises(ValueError, match="Argument `row_splits_dtype` must be int32 or int64"):
        tf.io.RaggedFeature(tf.int64, row_splits_dtype=tf.int16)
    bad = tf.io.parse_example(tf.constant(RECORDS), {"v": tf.io.RaggedFeature(tf.float32)})
    message = "Name: <unknown>, Key: v, Index: 0.  Data types don't match. Expected type: float"
    with pytest.raises(tf.errors.InvalidArgumentError, match=message):
        run(bad)
    nested = tf.io.RaggedFeature(tf.int64, partitions=[tf.io.RaggedFeature.RowLengths("k")])
    with pytest.raises(NotImplementedError, match="partitions"):
        tf.io.parse_example(tf.constant(RECORDS), {"v": nested})
    assert repr(tf.io.RaggedFeature(tf.int64)) == (
        "RaggedFeature(dtype=tf.int64, value_key=None, partitions=(), "
        "row_splits_dtype=tf.int32, validate=False)"
    )
