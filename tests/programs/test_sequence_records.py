"""Sequence data through TFRecords as TF1 speech/NLP pipelines stored it: tf.train.SequenceExample
protos (context features, feature_lists of tokens and per-step float frames, a raw-bytes image
in the context) written with tf.data.experimental.TFRecordWriter, read back with
parse_single_sequence_example in a map (decode_raw, padded_batch over the ragged steps) and
with parse_sequence_example on a batch; Examples through make_batched_features_dataset
(shuffle off, label_key) and parse_example_dataset; a GRU over the padded frames trained a few
steps.

The expected names and numbers were printed by the same program under TensorFlow 2.21
(``tensorflow.compat.v1`` with v2 behaviour disabled).
"""

import os

import numpy as np

import scopeflow as tf
from tests.programs.compare import close


def _seq_example(tf, i, rng):
    steps = 2 + i % 3
    f = tf.train.Feature
    tokens = [f(int64_list=tf.train.Int64List(value=[int(t)])) for t in rng.randint(0, 9, steps)]
    frames = [f(float_list=tf.train.FloatList(value=rng.rand(2).tolist())) for _ in range(steps)]
    pixels = (np.arange(6, dtype=np.uint8) * (i + 1)).tobytes()
    return tf.train.SequenceExample(
        context=tf.train.Features(
            feature={
                "id": f(int64_list=tf.train.Int64List(value=[i])),
                "speaker": f(bytes_list=tf.train.BytesList(value=[b"spk%d" % (i % 2)])),
                "thumb": f(bytes_list=tf.train.BytesList(value=[pixels])),
            }
        ),
        feature_lists=tf.train.FeatureLists(
            feature_list={
                "tokens": tf.train.FeatureList(feature=tokens),
                "frames": tf.train.FeatureList(feature=frames),
            }
        ),
    ).SerializeToString()


def _example(tf, i):
    f = tf.train.Feature
    return tf.train.Example(
        features=tf.train.Features(
            feature={
                "x": f(float_list=tf.train.FloatList(value=[i * 0.5, -i * 0.25])),
                "tag": f(bytes_list=tf.train.BytesList(value=[b"t%d" % j for j in range(i % 3)])),
                "y": f(int64_list=tf.train.Int64List(value=[i % 2])),
            }
        )
    ).SerializeToString()


def program(tf, workdir):
    rng = np.random.RandomState(31)
    seq_path = os.path.join(str(workdir), "seq.tfrecord")
    ex_path = os.path.join(str(workdir), "ex.tfrecord")
    out = {}
    g = tf.Graph()
    with g.as_default():
        records = [_seq_example(tf, i, rng) for i in range(5)]
        write = tf.data.experimental.TFRecordWriter(seq_path).write(
            tf.data.Dataset.from_tensor_slices(records)
        )
        with tf.python_io.TFRecordWriter(ex_path) as w:
            for i in range(6):
                w.write(_example(tf, i))
        context_spec = {
            "id": tf.FixedLenFeature([], tf.int64),
            "speaker": tf.FixedLenFeature([], tf.string),
            "thumb": tf.FixedLenFeature([], tf.string),
        }
        seq_spec = {
            "tokens": tf.FixedLenSequenceFeature([], tf.int64),
            "frames": tf.FixedLenSequenceFeature([2], tf.float32),
        }

        def parse(record):
            ctx, seq = tf.parse_single_sequence_example(record, context_spec, seq_spec)
            thumb = tf.reshape(tf.decode_raw(ctx["thumb"], tf.uint8), [2, 3])
            return ctx["id"], thumb, seq["tokens"], seq["frames"], tf.shape(seq["tokens"])[0]

        ds = tf.data.TFRecordDataset(seq_path).map(parse)
        ds = ds.padded_batch(
            2,
            padded_shapes=([], [2, 3], [None], [None, 2], []),
            padding_values=(np.int64(0), np.uint8(0), np.int64(-1), 0.0, 0),
        )
        ids, thumbs, tokens, frames, lengths = tf.data.make_one_shot_iterator(ds).get_next()
        out["shapes"] = [t.shape.as_list() for t in (ids, thumbs, tokens, frames, lengths)]
        batch_ctx, batch_seq, batch_lens = tf.io.parse_sequence_example(
            tf.constant(records[:3]),
            context_features={"id": tf.FixedLenFeature([], tf.int64)},
            sequence_features={"tokens": tf.FixedLenSequenceFeature([], tf.int64)},
        )
        features = tf.data.experimental.make_batched_features_dataset(
            ex_path,
            4,
            {
                "x": tf.FixedLenFeature([2], tf.float32),
                "tag": tf.VarLenFeature(tf.string),
                "y": tf.FixedLenFeature([], tf.int64),
            },
            label_key="y",
            shuffle=False,
            num_epochs=1,
        )
        feat, label = tf.data.make_one_shot_iterator(features).get_next()
        parsed = (
            tf.data.TFRecordDataset(ex_path)
            .batch(3)
            .apply(
                tf.data.experimental.parse_example_dataset(
                    {"x": tf.FixedLenFeature([2], tf.float32)}
                )
            )
        )
        parsed_x = tf.data.make_one_shot_iterator(parsed).get_next()["x"]

        cell = tf.nn.rnn_cell.GRUCell(3, kernel_initializer=tf.constant_initializer(0.2))
        outputs, state = tf.nn.dynamic_rnn(cell, frames, sequence_length=lengths, dtype=tf.float32)
        target = tf.cast(ids % 2, tf.float32)
        logit = tf.layers.dense(
            state, 1, kernel_initializer=tf.constant_initializer(0.5), name="out"
        )[:, 0]
        loss = tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(labels=target, logits=logit))
        train = tf.train.GradientDescentOptimizer(0.5).minimize(loss)
        with tf.Session() as sess:
            sess.run(write)
            sess.run(tf.global_variables_initializer())
            first = sess.run([ids, thumbs, tokens, lengths, loss, train])
            out["first"] = [
                first[0].tolist(),
                first[1].tolist(),
                first[2].tolist(),
                first[3].tolist(),
                float(first[4]),
            ]
            out["second_loss"] = float(sess.run([loss, train])[0])
            c, s, n = sess.run([batch_ctx, batch_seq, batch_lens])
            out["batched"] = [c["id"].tolist(), s["tokens"].tolist(), n["tokens"].tolist()]
            f, lab = sess.run([feat, label])
            out["features"] = [
                f["x"].tolist(),
                f["tag"].indices.tolist(),
                [t.decode() for t in f["tag"].values],
                lab.tolist(),
            ]
            out["parsed"] = sess.run(parsed_x).tolist()
            out["outputs"] = outputs.shape.as_list()
    return out


EXPECTED = {
    "shapes": [[None], [None, 2, 3], [None, None], [None, None, 2], [None]],
    "first": [
        [0, 1],
        [[[0, 1, 2], [3, 4, 5]], [[0, 2, 4], [6, 8, 10]]],
        [[2, 7, -1], [6, 6, 2]],
        [2, 3],
        0.6997464299201965,
    ],
    "second_loss": 0.715580940246582,
    "batched": [[0, 1, 2], [[2, 7, 0, 0], [6, 6, 2, 0], [6, 3, 3, 2]], [2, 3, 4]],
    "features": [
        [[0.0, 0.0], [0.5, -0.25], [1.0, -0.5], [1.5, -0.75]],
        [[1, 0], [2, 0], [2, 1]],
        ["t0", "t0", "t1"],
        [0, 1, 0, 1],
    ],
    "parsed": [[0.0, 0.0], [0.5, -0.25], [1.0, -0.5]],
    "outputs": [None, None, 3],
}


def test_sequence_records_match_tensorflow(tmp_path):
    close(program(tf, tmp_path), EXPECTED)
