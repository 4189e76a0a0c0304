"""A TFRecord input pipeline as TF1 programs built it: tf.train.Example protos (int64, float and
bytes lists, a variable-length list) written with tf.python_io.TFRecordWriter (plain and GZIP),
read back with TFRecordDataset, parse_single_example in a map and parse_example after batch
(FixedLenFeature with defaults, VarLenFeature, FixedLenSequenceFeature), tf.python_io's
tf_record_iterator, then the features through feature columns (numeric, bucketized,
vocabulary list into embedding and indicator columns, hashed bucket, crossed column) into
input_layer and linear_model, trained a few steps.

The expected names and numbers were printed by the same program under TensorFlow 2.21
(``tensorflow.compat.v1`` with v2 behaviour disabled).
"""

import os

import numpy as np
import pytest

import scopeflow as tf
from tests.programs.compare import close


def _example(tf, i, rng):
    feats = {
        "age": tf.train.Feature(float_list=tf.train.FloatList(value=[20.0 + 7 * i])),
        "city": tf.train.Feature(
            bytes_list=tf.train.BytesList(value=[[b"paris", b"rome", b"oslo"][i % 3]])
        ),
        "tags": tf.train.Feature(
            bytes_list=tf.train.BytesList(value=[b"t%d" % k for k in range(i % 3)])
        ),
        "clicks": tf.train.Feature(
            int64_list=tf.train.Int64List(value=[i, 2 * i, 3 * i][: 1 + i % 3])
        ),
        "dense": tf.train.Feature(float_list=tf.train.FloatList(value=rng.rand(2).tolist())),
        "label": tf.train.Feature(int64_list=tf.train.Int64List(value=[i % 2])),
    }
    if i % 4:
        feats["score"] = tf.train.Feature(float_list=tf.train.FloatList(value=[0.5 * i]))
    return tf.train.Example(features=tf.train.Features(feature=feats))


def program(tf, workdir):
    rng = np.random.RandomState(8)
    path = os.path.join(str(workdir), "train.tfrecord")
    gz_path = os.path.join(str(workdir), "train.tfrecord.gz")
    examples = [_example(tf, i, rng) for i in range(8)]
    with tf.python_io.TFRecordWriter(path) as writer:
        for ex in examples:
            writer.write(ex.SerializeToString())
    opts = tf.python_io.TFRecordOptions(tf.python_io.TFRecordCompressionType.GZIP)
    with tf.python_io.TFRecordWriter(gz_path, opts) as writer:
        for ex in examples[:3]:
            writer.write(ex.SerializeToString())
    out = {
        "raw_count": len(list(tf.python_io.tf_record_iterator(path))),
        "gz_count": len(list(tf.python_io.tf_record_iterator(gz_path, opts))),
    }
    first = tf.train.Example.FromString(next(tf.python_io.tf_record_iterator(path)))
    out["first_city"] = first.features.feature["city"].bytes_list.value[0].decode()

    spec = {
        "age": tf.FixedLenFeature([], tf.float32),
        "city": tf.FixedLenFeature([], tf.string),
        "tags": tf.VarLenFeature(tf.string),
        "clicks": tf.VarLenFeature(tf.int64),
        "dense": tf.FixedLenFeature([2], tf.float32),
        "score": tf.FixedLenFeature([], tf.float32, default_value=-1.0),
        "label": tf.FixedLenFeature([], tf.int64),
    }
    g = tf.Graph()
    with g.as_default():
        tf.set_random_seed(12)
        single = tf.data.TFRecordDataset(path).map(lambda s: tf.parse_single_example(s, spec))
        one = single.make_one_shot_iterator().get_next()
        out["single_keys"] = sorted(one)
        out["single_shapes"] = {k: str(getattr(v, "shape", None)) for k, v in one.items()}
        ds = tf.data.TFRecordDataset([path]).batch(4).map(lambda s: tf.parse_example(s, spec))
        ds = ds.repeat(3)
        batch = ds.make_one_shot_iterator().get_next()
        gz = tf.data.TFRecordDataset(gz_path, compression_type="GZIP").batch(3)
        gz_batch = tf.parse_example(
            gz.make_one_shot_iterator().get_next(), {"age": tf.FixedLenFeature([], tf.float32)}
        )
        seq = tf.parse_example(
            tf.constant([ex.SerializeToString() for ex in examples[:3]]),
            {"clicks": tf.FixedLenSequenceFeature([], tf.int64, allow_missing=True)},
        )
        age = tf.feature_column.numeric_column("age")
        cols = [
            tf.feature_column.bucketized_column(age, [30.0, 50.0, 70.0]),
            tf.feature_column.numeric_column("dense", shape=[2]),
            tf.feature_column.embedding_column(
                tf.feature_column.categorical_column_with_vocabulary_list(
                    "city", ["paris", "rome", "oslo"]
                ),
                3,
            ),
            tf.feature_column.indicator_column(
                tf.feature_column.categorical_column_with_hash_bucket("tags", 5)
            ),
        ]
        labels = tf.cast(batch["label"], tf.float32)
        net = tf.feature_column.input_layer(batch, cols)
        crossed = tf.feature_column.crossed_column(["city", "tags"], 7)
        linear = tf.feature_column.linear_model(
            batch,
            [
                tf.feature_column.categorical_column_with_identity("label", 2),
                crossed,
                tf.feature_column.numeric_column("score"),
            ],
        )
        logits = tf.layers.dense(net, 1, name="head")[:, 0] + linear[:, 0]
        loss = tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(labels=labels, logits=logits))
        train = tf.train.AdagradOptimizer(0.3).minimize(loss)
        out["net_shape"] = net.shape.as_list()
        out["vars"] = [[v.op.name, v.shape.as_list()] for v in tf.global_variables()]
        out["tables"] = len(tf.get_collection(tf.GraphKeys.TABLE_INITIALIZERS))
        with tf.Session() as sess:
            sess.run([tf.global_variables_initializer(), tf.tables_initializer()])
            one_v = sess.run(one)
            out["single"] = [
                float(one_v["age"]),
                one_v["city"].decode(),
                one_v["tags"].values.tolist(),
                one_v["clicks"].dense_shape.tolist(),
            ]
            b = sess.run({k: batch[k] for k in ["tags", "clicks", "score", "city"]})
            out["batch"] = [
                b["tags"].indices.tolist(),
                [t.decode() for t in b["tags"].values],
                b["clicks"].dense_shape.tolist(),
                b["score"].tolist(),
            ]
            out["gz"] = sess.run(gz_batch["age"]).tolist()
            out["seq"] = sess.run(seq["clicks"]).tolist()
            out["net"] = np.round(sess.run(net), 5).tolist()
            losses = []
            for _ in range(3):
                lv, _ = sess.run([loss, train])
                losses.append(float(lv))
            out["losses"] = losses
    return out


EXPECTED = {
    "raw_count": 8,
    "gz_count": 3,
    "first_city": "paris",
    "single_keys": ["age", "city", "clicks", "dense", "label", "score", "tags"],
    "single_shapes": {
        "clicks": "(?,)",
        "tags": "(?,)",
        "age": "()",
        "city": "()",
        "dense": "(2,)",
        "label": "()",
        "score": "()",
    },
    "net_shape": [None, 14],
    "vars": [
        ["input_layer/city_embedding/embedding_weights", [3, 3]],
        ["linear_model/city_X_tags/weights", [7, 1]],
        ["linear_model/label/weights", [2, 1]],
        ["linear_model/score/weights", [1, 1]],
        ["linear_model/bias_weights", [1]],
        ["head/kernel", [14, 1]],
        ["head/bias", [1]],
        ["input_layer/city_embedding/embedding_weights/Adagrad", [3, 3]],
        ["linear_model/city_X_tags/weights/Adagrad", [7, 1]],
        ["linear_model/label/weights/Adagrad", [2, 1]],
        ["linear_model/score/weights/Adagrad", [1, 1]],
        ["linear_model/bias_weights/Adagrad", [1]],
        ["head/kernel/Adagrad", [14, 1]],
        ["head/bias/Adagrad", [1]],
    ],
    "tables": 1,
    "single": [20.0, "paris", [], [1]],
    "batch": [[[1, 0], [2, 0], [2, 1]], ["t0", "t0", "t1"], [4, 3], [-1.0, 0.5, 1.0, 1.5]],
    "gz": [20.0, 27.0, 34.0],
    "seq": [[0, 0, 0], [1, 2, 0], [2, 4, 6]],
    "net": [
        [
            0.0,
            1.0,
            0.0,
            0.0,
            0.06078999862074852,
            -0.2399899959564209,
            0.5307300090789795,
            0.5226699709892273,
            0.47839000821113586,
            1.0,
            0.0,
            0.0,
            0.0,
            0.0,
        ],
        [
            0.0,
            0.0,
            1.0,
            0.0,
            0.6097599864006042,
            0.22025999426841736,
            0.41133999824523926,
            0.5553600192070007,
            0.5433899760246277,
            1.0,
            0.0,
            1.0,
            0.0,
            0.0,
        ],
        [
            0.0,
            0.0,
            1.0,
            0.0,
            0.9732999801635742,
            -0.14021000266075134,
            -0.18217000365257263,
            0.7609000205993652,
            0.712369978427887,
            0.0,
            0.0,
            0.0,
            0.0,
            0.0,
        ],
        [
            0.0,
            0.0,
            1.0,
            0.0,
            0.06078999862074852,
            -0.2399899959564209,
            0.5307300090789795,
            0.6196799874305725,
            0.4260900020599365,
            1.0,
            0.0,
            0.0,
            0.0,
            0.0,
        ],
    ],
    "losses": [0.8339375853538513, 0.5590604543685913, 0.5548269748687744],
}


def test_tfrecord_features_match_tensorflow(tmp_path):
    close(program(tf, tmp_path), EXPECTED)


def test_parse_example_errors_match_tensorflow():
    ex = tf.train.Example(
        features=tf.train.Features(
            feature={"a": tf.train.Feature(float_list=tf.train.FloatList(value=[1.0, 2.0]))}
        )
    ).SerializeToString()
    g = tf.Graph()
    with g.as_default():
        s = tf.constant([ex])
        with pytest.raises(ValueError, match="requires allow_missing to be True"):
            tf.parse_example(s, {"a": tf.FixedLenSequenceFeature([], tf.float32)})
        with pytest.raises(ValueError, match="cannot be None or falsy"):
            tf.parse_example(s, {})
        missing = tf.parse_example(s, {"b": tf.FixedLenFeature([], tf.int64)})["b"]
        too_few = tf.parse_example(s, {"a": tf.FixedLenFeature([3], tf.float32)})["a"]
        wrong_type = tf.parse_example(s, {"a": tf.FixedLenFeature([2], tf.int64)})["a"]
        assert too_few.name == "ParseExample_1/ParseExampleV2:0"
        with tf.Session() as sess:
            with pytest.raises(tf.errors.InvalidArgumentError, match="b .data type: int64. is"):
                sess.run(missing)
            with pytest.raises(tf.errors.InvalidArgumentError, match="Values size: 2 but output"):
                sess.run(too_few)
            with pytest.raises(tf.errors.InvalidArgumentError, match="Data types don't match"):
                sess.run(wrong_type)
