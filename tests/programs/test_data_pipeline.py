"""A tf.data input pipeline of 2018-2019: TFRecord shards through list_files and interleave,
parse_single_example with a VarLenFeature, map, filter, padded_batch with padding values,
prefetch, an initializable iterator re-initialized each epoch, and from_generator.

The expected names and numbers were printed by the same program under TensorFlow 2.21
(``tensorflow.compat.v1`` with v2 behaviour disabled).
"""

import os

import scopeflow as tf
from tests.programs.compare import close


def program(tf, workdir):
    paths = []
    for shard in range(2):
        path = os.path.join(str(workdir), f"data-{shard}.tfrecord")
        with tf.python_io.TFRecordWriter(path) as w:
            for i in range(5):
                n = 1 + (i + shard) % 4
                ex = tf.train.Example(
                    features=tf.train.Features(
                        feature={
                            "tokens": tf.train.Feature(
                                int64_list=tf.train.Int64List(
                                    value=list(range(shard * 10 + i, shard * 10 + i + n))
                                )
                            ),
                            "label": tf.train.Feature(int64_list=tf.train.Int64List(value=[i % 2])),
                        }
                    )
                )
                w.write(ex.SerializeToString())
        paths.append(path)
    g = tf.Graph()
    with g.as_default():
        tf.set_random_seed(2)

        def parse(record):
            f = tf.parse_single_example(
                record,
                {"tokens": tf.VarLenFeature(tf.int64), "label": tf.FixedLenFeature([], tf.int64)},
            )
            tokens = tf.sparse_tensor_to_dense(f["tokens"])
            return {"tokens": tokens, "length": tf.size(tokens)}, f["label"]

        files = tf.data.Dataset.list_files(os.path.join(str(workdir), "*.tfrecord"), shuffle=False)
        ds = files.interleave(tf.data.TFRecordDataset, cycle_length=2, block_length=1)
        ds = ds.map(parse, num_parallel_calls=2)
        ds = ds.filter(lambda f, _label: f["length"] < 4)
        ds = ds.padded_batch(
            3,
            padded_shapes=({"tokens": [None], "length": []}, []),
            padding_values=(
                {"tokens": tf.constant(-1, tf.int64), "length": 0},
                tf.constant(0, tf.int64),
            ),
        )
        ds = ds.prefetch(1)
        iterator = ds.make_initializable_iterator()
        feats, labels = iterator.get_next()
        emb = tf.get_variable("emb", [30, 3])
        mask = tf.sequence_mask(feats["length"], tf.shape(feats["tokens"])[1], dtype=tf.float32)
        vecs = tf.nn.embedding_lookup(emb, tf.maximum(feats["tokens"], 0))
        pooled = tf.reduce_sum(vecs * mask[:, :, None], 1) / tf.to_float(feats["length"])[:, None]
        logits = tf.layers.dense(pooled, 2)
        loss = tf.reduce_mean(
            tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits)
        )
        train = tf.train.GradientDescentOptimizer(0.5).minimize(loss)
        gen = tf.data.Dataset.from_generator(
            lambda: iter([[1, 2], [3], [4, 5, 6]]), tf.int32, tf.TensorShape([None])
        )
        gen_next = gen.map(lambda t: tf.reduce_sum(t)).batch(2).make_one_shot_iterator().get_next()
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            out = []
            for _ in range(2):
                sess.run(iterator.initializer)
                while True:
                    try:
                        t, lv, _ = sess.run([feats["tokens"], loss, train])
                        out.append([t.tolist(), float(lv)])
                    except tf.errors.OutOfRangeError:
                        break
            gens = [sess.run(gen_next).tolist(), sess.run(gen_next).tolist()]
        return {
            "vars": [[v.name, v.shape.as_list()] for v in tf.global_variables()],
            "names": [feats["tokens"].name, labels.name, loss.name, gen_next.name],
            "shapes": [str(feats["tokens"].shape), str(labels.shape)],
            "steps": out,
            "gen": gens,
        }


EXPECTED = {
    "vars": [["emb:0", [30, 3]], ["dense/kernel:0", [3, 2]], ["dense/bias:0", [2]]],
    "names": ["IteratorGetNext:1", "IteratorGetNext:2", "Mean:0", "IteratorGetNext_1:0"],
    "shapes": ["(?, ?)", "(?,)"],
    "steps": [
        [[[0, -1], [10, 11], [1, 2]], 0.8197798132896423],
        [[[11, 12, 13], [2, 3, 4], [13, -1, -1]], 0.8945491909980774],
        [[[4, -1], [14, 15]], 0.7241039276123047],
        [[[0, -1], [10, 11], [1, 2]], 0.6725513339042664],
        [[[11, 12, 13], [2, 3, 4], [13, -1, -1]], 0.8630695343017578],
        [[[4, -1], [14, 15]], 0.4923929274082184],
    ],
    "gen": [[3, 3], [15]],
}


def test_data_pipeline_matches_tensorflow(tmp_path):
    close(program(tf, tmp_path), EXPECTED)
