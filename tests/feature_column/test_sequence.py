"""Tests for scopeflow/feature_column/sequence.py (and dense.py's sequence paths): sequence
columns read through ``tf.contrib.feature_column.sequence_input_layer`` give the values and
sequence lengths TensorFlow 2.21 gives for the same columns and features (its
``SequenceFeatures`` layer, printed in ``tensorflow.compat.v1`` graph mode), and refuse what TF
refuses with TF's words. Variables are named under ``sequence_input_layer/`` as TF 1.x's
contrib layer named them."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf

fc = tf.feature_column
VOCAB = ["a", "b", "c"]


def features():
    ids = tf.SparseTensor(
        [[0, 0], [0, 1], [1, 0], [2, 0], [2, 1], [2, 2]],
        tf.constant([1, 2, 0, 3, 1, 0], tf.int64),
        [4, 3],
    )
    words = tf.SparseTensor([[0, 0], [1, 0], [1, 1]], ["b", "z", "c"], [4, 2])
    nums = tf.SparseTensor(
        [[0, 0], [0, 1], [0, 2], [0, 3], [1, 0], [1, 1]], [1.0, 2.0, 3.0, 4.0, 5.0, 6.0], [4, 4]
    )
    return {"ids": ids, "words": words, "nums": nums}


def embedding():
    table = tf.constant_initializer(np.arange(8).reshape(4, 2) / 10.0)
    return fc.embedding_column(fc.sequence_categorical_column_with_identity("ids", 4), 2,
                               initializer=table)  # fmt: skip


def read(columns):
    out, length = tf.contrib.feature_column.sequence_input_layer(features(), columns)
    with tf.Session() as sess:
        sess.run([tf.global_variables_initializer(), tf.tables_initializer()])
        got, lengths = sess.run([out, length])
    return np.round(got.astype(np.float64), 6).tolist(), lengths.tolist()


EMBEDDED = [
    [[0.2, 0.3], [0.4, 0.5], [0.0, 0.0]], [[0.0, 0.1], [0.0, 0.0], [0.0, 0.0]],
    [[0.6, 0.7], [0.2, 0.3], [0.0, 0.1]], [[0.0, 0.0], [0.0, 0.0], [0.0, 0.0]],
]  # fmt: skip


def test_embedding_of_a_sequence(graph):
    assert read([embedding()]) == (EMBEDDED, [2, 1, 3, 0])
    assert [v.name for v in tf.global_variables()] == [
        "sequence_input_layer/ids_embedding/embedding_weights:0"
    ]


def test_indicator_of_vocabulary_list_with_oov(graph):
    column = fc.sequence_categorical_column_with_vocabulary_list("words", VOCAB, num_oov_buckets=1)
    got, lengths = read([fc.indicator_column(column)])
    assert got == [
        [[0, 1, 0, 0], [0, 0, 0, 0]], [[0, 0, 0, 1], [0, 0, 1, 0]],
        [[0, 0, 0, 0], [0, 0, 0, 0]], [[0, 0, 0, 0], [0, 0, 0, 0]],
    ]  # fmt: skip
    assert lengths == [1, 2, 0, 0]


def test_indicator_of_vocabulary_file_and_hash_bucket(graph, tmp_path):
    path = tmp_path / "vocab.txt"
    path.write_text("a\nb\nc\n")
    column = fc.sequence_categorical_column_with_vocabulary_file(
        "words", str(path), default_value=0
    )
    got, _ = read([fc.indicator_column(column)])
    assert got[:2] == [[[0, 1, 0], [0, 0, 0]], [[1, 0, 0], [0, 0, 1]]]
    hashed = fc.sequence_categorical_column_with_hash_bucket("words", 5)
    got, lengths = read([fc.indicator_column(hashed)])
    assert got[:2] == [[[0, 0, 1, 0, 0], [0] * 5], [[0, 0, 1, 0, 0], [0, 0, 1, 0, 0]]]
    assert lengths == [1, 2, 0, 0]


def test_numeric_steps_and_defaults(graph):
    got, lengths = read([fc.sequence_numeric_column("nums", shape=(2,))])
    assert got[:2] == [[[1, 2], [3, 4]], [[5, 6], [0, 0]]] and lengths == [2, 1, 0, 0]
    got, lengths = read([fc.sequence_numeric_column("nums", default_value=-1.0)])
    assert got[1] == [[5], [6], [-1], [-1]] and lengths == [4, 2, 0, 0]
    spec = fc.make_parse_example_spec([fc.sequence_numeric_column("nums")])
    assert spec == {"nums": tf.io.VarLenFeature(tf.float32)}


def test_columns_are_concatenated_by_name(graph):
    ids5 = fc.indicator_column(fc.sequence_categorical_column_with_identity("ids", 5))
    got, lengths = read([ids5, embedding()])  # ids_embedding sorts before ids_indicator
    assert got[0][0] == [0.2, 0.3, 0.0, 1.0, 0.0, 0.0, 0.0]
    assert got[2][2] == [0.0, 0.1, 1.0, 0.0, 0.0, 0.0, 0.0] and lengths == [2, 1, 3, 0]


def test_unequal_sequence_lengths_fail_when_run(graph):
    words = fc.indicator_column(fc.sequence_categorical_column_with_identity("ids", 4))
    nums = fc.sequence_numeric_column("nums")
    out, length = tf.contrib.feature_column.sequence_input_layer(features(), [words, nums])
    with pytest.raises(tf.errors.InvalidArgumentError):
        tf.Session().run(length)


def test_errors(graph):
    with pytest.raises(ValueError, match="categorical_column must not be of type _Sequence"):
        fc.input_layer(features(), [embedding()])
    with pytest.raises(ValueError, match="must be of type _SequenceDenseColumn"):
        tf.contrib.feature_column.sequence_input_layer(features(), [fc.numeric_column("x")])
    plain = fc.indicator_column(fc.categorical_column_with_identity("ids", 4))
    with pytest.raises(ValueError, match="must be of type _SequenceCategoricalColumn to use"):
        tf.contrib.feature_column.sequence_input_layer(features(), [plain])
    with pytest.raises(ValueError, match=r"shape dimensions must be greater than 0. shape: \(0,\)"):
        fc.sequence_numeric_column("x", shape=(0,))
    with pytest.raises(
        ValueError, match="dtype must be convertible to float. dtype: <dtype: 'string'>"
    ):
        fc.sequence_numeric_column("x", dtype=tf.string)
    with pytest.raises(TypeError, match="normalizer_fn must be a callable. Given: 3"):
        fc.sequence_numeric_column("x", normalizer_fn=3)


def test_concatenate_context_input(graph):
    seq = tf.constant(np.arange(12, dtype=np.float32).reshape(2, 3, 2))
    out = tf.contrib.feature_column.concatenate_context_input(tf.constant([[10.0], [20.0]]), seq)
    assert out.shape.as_list() == [2, 3, 3] and out.name == "concat_1:0"
    assert tf.Session().run(out)[1].tolist() == [[6, 7, 20], [8, 9, 20], [10, 11, 20]]
    with pytest.raises(ValueError, match="sequence_input must have rank 3"):
        tf.contrib.feature_column.concatenate_context_input(seq[0], seq[0, 0])
    with pytest.raises(
        TypeError, match="context_input must have dtype float32; got <dtype: 'int32'>"
    ):
        tf.contrib.feature_column.concatenate_context_input(tf.constant([[1]]), seq)
