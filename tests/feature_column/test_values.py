"""Tests for scopeflow/feature_column/: input_layer and linear_model compute TF1's values (read
from TensorFlow 2.21 for the same inputs and variable values) and make TF1's variables."""

from __future__ import annotations

import pathlib

import numpy as np
import pytest

import scopeflow as tf

fc = tf.feature_column
VOCAB = str(pathlib.Path(__file__).with_name("vocab.txt"))  # r, g, b
COLOR = np.array([[b"g", b"b"], [b"zz", b""], [b"", b""]], dtype=object)
FEEDS = {
    "age": np.array([[30.0], [45.0], [12.0]], np.float32),
    "price": np.array([0.5, 5.0, 9.0], np.float32),
    "color": COLOR,
    "color2": COLOR,
    "color3": COLOR[::-1],
    "ids": np.array([[1, 3], [-1, 2], [7, -1]], np.int64),
}
# TF 2.21's input_layer and linear_model of the columns below, every variable set to
# arange(size) / 10 - 0.3 in its shape.
TF_INPUT_LAYER = [
    [30.0, 1.484924, 1.626346, 1.767767, 0, 0, 0, 0, 0, 0, 0.1, 0, 1, 0, 1, 1, 0, 0],
    [45.0, 0.9, 1.0, 1.1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1],
    [12.0, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1],
]
TF_LINEAR_MODEL = [[-7.6, -3.6], [-12.3, -7.2], [-3.3, -1.6]]
TF_VARIABLES = [
    "input_layer/color2_embedding/embedding_weights:0",
    "input_layer/color_embedding/embedding_weights:0",
    "linear_model/age/weights:0",
    "linear_model/color/weights:0",
    "linear_model/color2_X_ids/weights:0",
    "linear_model/ids/weights:0",
    "linear_model/price_bucketized/weights:0",
    "linear_model/bias_weights:0",
]


@pytest.fixture
def model(graph):
    holders = {
        "age": tf.placeholder(tf.float32, [None, 1]),
        "price": tf.placeholder(tf.float32, [None]),
        "ids": tf.placeholder(tf.int64, [None, 2]),
        **{k: tf.placeholder(tf.string, [None, 2]) for k in ("color", "color2", "color3")},
    }
    price = fc.bucketized_column(fc.numeric_column("price"), [1.0, 5.0])
    columns = [
        fc.numeric_column("age"),
        price,
        fc.embedding_column(
            fc.categorical_column_with_vocabulary_list("color", ["r", "g", "b"]), 2
        ),
        fc.embedding_column(fc.categorical_column_with_hash_bucket("color2", 6), 3, "sqrtn"),
        fc.indicator_column(fc.categorical_column_with_identity("ids", 4, default_value=0)),
        fc.indicator_column(
            fc.categorical_column_with_vocabulary_file("color3", VOCAB, num_oov_buckets=2)
        ),
    ]
    dense = fc.input_layer(holders, columns)
    linear = fc.linear_model(
        holders,
        [
            price,
            fc.categorical_column_with_hash_bucket("color", 6),
            fc.categorical_column_with_identity("ids", 8),
            fc.numeric_column("age"),
            fc.crossed_column(["color2", fc.categorical_column_with_identity("ids", 8)], 5),
        ],
        units=2,
    )
    sess = tf.Session(graph=graph)
    sess.run([tf.global_variables_initializer(), tf.tables_initializer()])
    for v in tf.global_variables():
        shape = v.shape.as_list()
        sess.run(v.assign(np.arange(np.prod(shape), dtype=np.float32).reshape(shape) / 10 - 0.3))
    feeds = {holders[k]: value for k, value in FEEDS.items()}
    yield sess.run([dense, linear], feeds)
    sess.close()


def test_input_layer_and_linear_model_give_tf_values(model):
    dense, linear = model
    np.testing.assert_allclose(dense, TF_INPUT_LAYER, atol=1e-5)
    np.testing.assert_allclose(linear, TF_LINEAR_MODEL, atol=1e-5)


def test_variables_have_tf_names_and_collections(model):
    assert [v.name for v in tf.global_variables()] == TF_VARIABLES
    assert [v.name for v in tf.model_variables()] == TF_VARIABLES
    assert [v.name for v in tf.trainable_variables()] == TF_VARIABLES


def test_embedding_weights_train(graph):
    ids = tf.placeholder(tf.int64, [None, 1])
    column = fc.embedding_column(fc.categorical_column_with_identity("ids", 3), 2)
    loss = tf.reduce_sum(fc.input_layer({"ids": ids}, [column]))
    step = tf.train.GradientDescentOptimizer(1.0).minimize(loss)
    (table,) = tf.global_variables()
    with tf.Session(graph=graph) as sess:
        sess.run(tf.global_variables_initializer())
        before = sess.run(table)
        sess.run(step, {ids: [[2], [2]]})
        np.testing.assert_allclose(sess.run(table) - before, [[0, 0], [0, 0], [-2, -2]])


def test_a_sparse_feature_and_a_reused_transformation(graph, run):
    color = fc.categorical_column_with_vocabulary_list("color", ["r", "g"])
    sparse = tf.SparseTensor([[0, 0], [1, 0], [1, 1]], ["g", "r", "g"], [3, 2])
    out = fc.input_layer({"color": sparse}, [fc.indicator_column(color)])
    assert len(tf.get_collection(tf.GraphKeys.TABLE_INITIALIZERS)) == 1
    run(tf.tables_initializer())
    np.testing.assert_array_equal(run(out), [[0, 1], [1, 1], [0, 0]])


def test_parse_example_spec_reads_what_the_columns_need():
    spec = fc.make_parse_example_spec(
        [
            fc.bucketized_column(fc.numeric_column("price", default_value=0.0), [1.0]),
            fc.embedding_column(fc.categorical_column_with_hash_bucket("color", 5), 2),
        ]
    )
    assert spec == {
        "price": tf.FixedLenFeature((1,), tf.float32, (0.0,)),
        "color": tf.VarLenFeature(tf.string),
    }


def test_weighted_columns_give_tf_values(graph, run):
    color = tf.placeholder(tf.string, [None, 2])
    w = tf.placeholder(tf.float32, [None, 2])
    features = {"color": color, "w": w}
    vocabulary = fc.categorical_column_with_vocabulary_list("color", ["r", "g", "b"])
    weighted = fc.weighted_categorical_column(vocabulary, "w")
    dense = fc.input_layer(
        features, [fc.embedding_column(weighted, 2), fc.indicator_column(weighted)]
    )
    sqrtn = fc.input_layer(features, [fc.embedding_column(weighted, 2, combiner="sqrtn")])
    hashed = fc.weighted_categorical_column(fc.categorical_column_with_hash_bucket("color", 5), "w")
    linear = fc.linear_model(features, [hashed], units=2, sparse_combiner="mean")
    run([tf.global_variables_initializer(), tf.tables_initializer()])
    for v in tf.global_variables():
        shape = v.shape.as_list()
        run(v.assign(np.arange(np.prod(shape), dtype=np.float32).reshape(shape) / 10 - 0.3))
    feeds = {
        color: np.array([[b"g", b"b"], [b"r", b"zz"], [b"", b"g"]], dtype=object),
        w: np.array([[2.0, 0.5], [-1.0, 3.0], [0.0, 4.0]], np.float32),
    }
    got = run([dense, sqrtn, linear], feeds)
    # TF 2.21's values: weights <= 0 dropped before a mean, kept in the indicator's sums
    want = [
        [[-0.06, 0.04, 0.0, 2.0, 0.5], [0.0, 0.0, -1.0, 0.0, 0.0], [-0.1, 0.0, 0.0, 4.0, 0.0]],
        [[-0.07276, 0.04851], [0.0, 0.0], [-0.1, 0.0]],
        [[0.12, 0.32], [-0.2, 0.0], [0.2, 0.4]],
    ]
    for value, expected in zip(got, want, strict=True):
        np.testing.assert_allclose(value, expected, atol=1e-5)
    assert [v.name for v in tf.global_variables()] == [
        "input_layer/color_weighted_by_w_embedding/embedding_weights:0",
        "input_layer_1/color_weighted_by_w_embedding/embedding_weights:0",
        "linear_model/color_weighted_by_w/weights:0",
        "linear_model/bias_weights:0",
    ]
