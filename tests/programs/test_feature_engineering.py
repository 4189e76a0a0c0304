"""Feature engineering of a TF1 recommender input layer: a vocabulary file column
with out-of-vocabulary buckets, weighted_categorical_column from a weights feature,
shared_embedding_columns over a query and a weighted clicked-item column (sqrtn, max_norm), an
identity column into an indicator, a numeric column with normalizer_fn,
make_parse_example_spec over all of them, parse_example of serialized Examples, input_layer
with cols_to_vars, linear_model with sparse_combiner, trained a few steps with FTRL.

The expected names and numbers were printed by the same program under TensorFlow 2.21
(``tensorflow.compat.v1`` with v2 behaviour disabled).
"""

import os

import numpy as np

import scopeflow as tf
from tests.programs.compare import close


def _example(tf, query, item, weights, user, age):
    f = tf.train.Feature
    return tf.train.Example(
        features=tf.train.Features(
            feature={
                "query": f(bytes_list=tf.train.BytesList(value=[q.encode() for q in query])),
                "item": f(bytes_list=tf.train.BytesList(value=[i.encode() for i in item])),
                "item_weight": f(float_list=tf.train.FloatList(value=weights)),
                "user": f(int64_list=tf.train.Int64List(value=[user])),
                "age": f(float_list=tf.train.FloatList(value=[age])),
                "label": f(float_list=tf.train.FloatList(value=[float(user % 2)])),
            }
        )
    ).SerializeToString()


def program(tf, workdir):
    vocab = os.path.join(str(workdir), "items.txt")
    with open(vocab, "w") as f:
        f.write("shoe\nhat\nbag\nsock\n")
    fc = tf.feature_column
    query = fc.categorical_column_with_vocabulary_file("query", vocab, num_oov_buckets=2)
    item = fc.categorical_column_with_vocabulary_file(
        "item", vocab, vocabulary_size=4, num_oov_buckets=2
    )
    weighted = fc.weighted_categorical_column(item, "item_weight")
    shared = fc.shared_embedding_columns(
        [query, weighted],
        3,
        combiner="sqrtn",
        max_norm=0.3,
        initializer=tf.truncated_normal_initializer(0.0, 0.5, seed=4),
    )
    user = fc.categorical_column_with_identity("user", 5)
    age = fc.numeric_column("age", normalizer_fn=lambda a: (a - 30.0) / 10.0)
    columns = shared + [fc.indicator_column(user), age]
    spec = fc.make_parse_example_spec(columns + [fc.numeric_column("label")])
    out = {
        "spec": {k: type(v).__name__ for k, v in sorted(spec.items())},
        "names": [c.name for c in columns],
    }
    serialized = [
        _example(tf, ["shoe", "hat"], ["bag"], [2.0], 1, 25.0),
        _example(tf, ["zzz"], ["hat", "sock"], [1.0, 0.5], 4, 41.0),
        _example(tf, ["bag", "bag", "hat"], ["shoe"], [1.5], 2, 33.0),
    ]
    g = tf.Graph()
    with g.as_default():
        feats = tf.parse_example(tf.constant(serialized), spec)
        cols_to_vars = {}
        net = fc.input_layer(feats, columns, cols_to_vars=cols_to_vars)
        out["cols_to_vars"] = sorted(
            [c.name, [v.op.name for v in vs]] for c, vs in cols_to_vars.items()
        )
        logit = fc.linear_model(feats, [query, weighted, user, age], sparse_combiner="mean")
        dense = tf.layers.dense(
            net, 1, kernel_initializer=tf.constant_initializer(0.1), name="deep"
        )
        loss = tf.reduce_mean(
            tf.nn.sigmoid_cross_entropy_with_logits(labels=feats["label"], logits=logit + dense)
        )
        train = tf.train.FtrlOptimizer(0.5, l2_regularization_strength=0.01).minimize(loss)
        out["net_shape"] = net.shape.as_list()
        out["vars"] = sorted([v.op.name, v.shape.as_list()] for v in tf.global_variables())
        with tf.Session() as sess:
            sess.run([tf.global_variables_initializer(), tf.tables_initializer()])
            out["net"] = np.round(sess.run(net), 5).tolist()
            losses = []
            for _ in range(3):
                lv, _ = sess.run([loss, train])
                losses.append(float(lv))
            out["losses"] = losses
            out["logit"] = np.round(sess.run(logit), 5).ravel().tolist()
    return out


EXPECTED = {
    "spec": {
        "age": "FixedLenFeature",
        "item": "VarLenFeature",
        "item_weight": "VarLenFeature",
        "label": "FixedLenFeature",
        "query": "VarLenFeature",
        "user": "VarLenFeature",
    },
    "names": [
        "query_shared_embedding",
        "item_weighted_by_item_weight_shared_embedding",
        "user_indicator",
        "age",
    ],
    "cols_to_vars": [
        ["age", []],
        [
            "item_weighted_by_item_weight_shared_embedding",
            ["input_layer/item_weighted_by_item_weight_query_shared_embedding/embedding_weights"],
        ],
        ["query_shared_embedding", []],
        ["user_indicator", []],
    ],
    "net_shape": [3, 12],
    "vars": [
        ["deep/bias", [1]],
        ["deep/bias/Ftrl", [1]],
        ["deep/bias/Ftrl_1", [1]],
        ["deep/kernel", [12, 1]],
        ["deep/kernel/Ftrl", [12, 1]],
        ["deep/kernel/Ftrl_1", [12, 1]],
        [
            "input_layer/item_weighted_by_item_weight_query_shared_embedding/embedding_weights",
            [6, 3],
        ],
        [
            "input_layer/item_weighted_by_item_weight_query_shared_embedding/embedding_weights/Ftrl",
            [6, 3],
        ],
        [
            "input_layer/item_weighted_by_item_weight_query_shared_embedding/embedding_weights/Ftrl_1",
            [6, 3],
        ],
        ["linear_model/age/weights", [1, 1]],
        ["linear_model/age/weights/Ftrl", [1, 1]],
        ["linear_model/age/weights/Ftrl_1", [1, 1]],
        ["linear_model/bias_weights", [1]],
        ["linear_model/bias_weights/Ftrl", [1]],
        ["linear_model/bias_weights/Ftrl_1", [1]],
        ["linear_model/item_weighted_by_item_weight/weights", [6, 1]],
        ["linear_model/item_weighted_by_item_weight/weights/Ftrl", [6, 1]],
        ["linear_model/item_weighted_by_item_weight/weights/Ftrl_1", [6, 1]],
        ["linear_model/query/weights", [6, 1]],
        ["linear_model/query/weights/Ftrl", [6, 1]],
        ["linear_model/query/weights/Ftrl_1", [6, 1]],
        ["linear_model/user/weights", [5, 1]],
        ["linear_model/user/weights/Ftrl", [5, 1]],
        ["linear_model/user/weights/Ftrl_1", [5, 1]],
    ],
    "net": [
        [
            -0.5,
            0.030959999188780785,
            0.28192999958992004,
            0.09775000065565109,
            0.1117900013923645,
            -0.22310000658035278,
            -0.02230999991297722,
            0.0,
            1.0,
            0.0,
            0.0,
            0.0,
        ],
        [
            1.100000023841858,
            -0.02078999951481819,
            -0.20582999289035797,
            0.11129000037908554,
            -0.019619999453425407,
            0.028219999745488167,
            0.14914000034332275,
            0.0,
            0.0,
            0.0,
            0.0,
            1.0,
        ],
        [
            0.30000001192092896,
            0.1481499969959259,
            -0.015709999948740005,
            -0.02735999971628189,
            0.04148999974131584,
            0.15244999527931213,
            0.11044999957084656,
            0.0,
            0.0,
            1.0,
            0.0,
            0.0,
        ],
    ],
    "losses": [0.7477713227272034, 0.2516854703426361, 0.15663234889507294],
    "logit": [1.1748000383377075, -1.6859999895095825, -1.297760009765625],
}


def test_feature_engineering_matches_tensorflow(tmp_path):
    close(program(tf, tmp_path), EXPECTED)
