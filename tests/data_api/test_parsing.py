"""Tests for scopeflow/data/parsing.py: ``parse_example_dataset`` and
``make_batched_features_dataset`` build TF's graphs and give TensorFlow 2.21's elements and
errors (printed by ``tensorflow.compat.v1`` in graph mode for the same records)."""

from __future__ import annotations

import pytest

import scopeflow as tf

D = tf.data.Dataset
E = tf.data.experimental


def example(x, w) -> bytes:
    feature = {
        "x": tf.train.Feature(float_list=tf.train.FloatList(value=x)),
        "w": tf.train.Feature(bytes_list=tf.train.BytesList(value=w)),
    }
    return tf.train.Example(features=tf.train.Features(feature=feature)).SerializeToString()


RECORDS = [example([1.0, 2.0], [b"a"]), example([3.0, 4.0], []), example([5.0, 6.0], [b"b", b"c"])]
FEATURES = {
    "x": tf.io.FixedLenFeature([2], tf.float32),
    "w": tf.io.VarLenFeature(tf.string),
    "y": tf.io.FixedLenFeature([], tf.int64, default_value=7),
}


def everything(ds) -> list:
    element = ds.make_one_shot_iterator().get_next()
    out = []
    with tf.Session() as sess:
        while True:
            try:
                out.append(sess.run(element))
            except tf.errors.OutOfRangeError:
                return out


def test_parse_example_dataset(graph):
    ds = D.from_tensor_slices(RECORDS).batch(2).apply(E.parse_example_dataset(FEATURES))
    assert ds.output_types == {"w": tf.string, "x": tf.float32, "y": tf.int64}
    assert {k: s.as_list() for k, s in ds.output_shapes.items()} == {
        "w": [None, None], "x": [None, 2], "y": [None],
    }  # fmt: skip
    assert ds.output_classes["w"] == tf.SparseTensor
    assert [(op.name, op.type) for op in graph.get_operations()][5:] == [
        ("Const", "Const"), ("key_y", "Const"), ("Reshape/shape", "Const"),
        ("Reshape", "Reshape"), ("ParseExampleDatasetV2/num_parallel_calls", "Const"),
        ("ParseExampleDatasetV2", "ParseExampleDatasetV2"),
    ]  # fmt: skip
    op = graph.get_operation_by_name("ParseExampleDatasetV2")
    assert op.get_attr("sparse_keys") == [b"w"] and op.get_attr("dense_keys") == [b"x", b"y"]
    first, second = everything(ds)
    assert first["w"].indices.tolist() == [[0, 0]] and first["w"].dense_shape.tolist() == [2, 1]
    assert first["x"].tolist() == [[1, 2], [3, 4]] and first["y"].tolist() == [7, 7]
    assert second["w"].values.tolist() == [b"b", b"c"] and second["x"].tolist() == [[5, 6]]


def test_parse_errors(graph):
    wrong = {"x": tf.io.FixedLenFeature([2], tf.int64)}
    ds = D.from_tensor_slices(RECORDS).batch(2).apply(E.parse_example_dataset(wrong))
    with pytest.raises(tf.errors.InvalidArgumentError, match="Data type: float but expected"):
        everything(ds)
    with pytest.raises(TypeError, match=r"vectors of strings. Instead it is `TensorSpec\(shape"):
        D.from_tensors(RECORDS[0]).apply(E.parse_example_dataset(wrong))


def test_sparse_feature_is_merged(graph):
    records = [
        tf.train.Example(features=tf.train.Features(feature={
            "i": tf.train.Feature(int64_list=tf.train.Int64List(value=[2, 0])),
            "v": tf.train.Feature(float_list=tf.train.FloatList(value=[0.5, 1.5])),
        })).SerializeToString()
    ]  # fmt: skip
    spec = {"s": tf.io.SparseFeature("i", "v", tf.float32, 4)}
    (got,) = everything(D.from_tensors(records).apply(E.parse_example_dataset(spec)))
    assert got["s"].indices.tolist() == [[0, 0], [0, 2]]
    assert got["s"].values.tolist() == [1.5, 0.5] and got["s"].dense_shape.tolist() == [1, 4]


def test_make_batched_features_dataset(graph, tmp_path):
    for i, records in enumerate([RECORDS[:2], RECORDS[2:]]):
        with tf.io.TFRecordWriter(str(tmp_path / f"r{i}.tfrecord")) as writer:
            for r in records:
                writer.write(r)
    features = {"x": FEATURES["x"], "w": FEATURES["w"]}
    pattern = str(tmp_path / "r*.tfrecord")
    ds = E.make_batched_features_dataset(
        pattern, 2, features, label_key="x", num_epochs=1, shuffle=False
    )
    types = [op.type for op in graph.get_operations()]
    assert types[-7:] == [
        "BatchDatasetV2", "Const", "Const", "ParseExampleDatasetV2", "MapDataset", "Const",
        "PrefetchDataset",
    ]  # fmt: skip
    (w1, x1), (w2, x2) = everything(ds)
    assert x1.tolist() == [[1, 2], [3, 4]] and x2.tolist() == [[5, 6]]
    assert w1["w"].values.tolist() == [b"a"] and w2["w"].dense_shape.tolist() == [1, 2]
    forever = E.make_batched_features_dataset(pattern, 2, {"x": FEATURES["x"]}, shuffle=False)
    assert forever.output_shapes["x"].as_list() == [2, 2]
    with pytest.raises(ValueError, match=r"label_key` provided \(q\) must be one of"):
        E.make_batched_features_dataset(pattern, 2, {"x": FEATURES["x"]}, label_key="q")


def test_batches_keep_trailing_nuls(graph):
    strings = D.from_tensor_slices([b"a\x00", b"b"])
    assert [list(b) for b in everything(strings.batch(2))] == [[b"a\x00", b"b"]]
    assert [list(b) for b in everything(strings.padded_batch(2, []))] == [[b"a\x00", b"b"]]
