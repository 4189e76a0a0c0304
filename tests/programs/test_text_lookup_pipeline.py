"""A text classification input pipeline as TF1 programs wrote it: "label<TAB>text" lines read by
tf.data.TextLineDataset, parsed in the map function with tf.strings.split of ``[line]`` and
tf.strings.to_number, words mapped to ids by a StaticVocabularyTable with OOV buckets captured
by the map function, bucket_by_sequence_length with padding; an embedding, masked conv1d max
pooling, softmax and cosine-distance losses, Adagrad, tf.print to a file; a StaticHashTable
and an id-to-word table looked up directly.

The expected names and numbers were printed by the same program under TensorFlow 2.21
(``tensorflow.compat.v1`` with v2 behaviour disabled).
"""

import numpy as np

import scopeflow as tf
from tests.programs.compare import close


def program(tf, workdir):
    lines = [
        "the cat sat",
        "a dog ran far away",
        "the dog",
        "cats and dogs sat down here",
        "far away",
        "the end",
        "a cat ran",
        "unknown words here too ok",
    ]
    labels = [0, 1, 0, 1, 1, 0, 0, 1]
    path = workdir + "/text.txt"
    with open(path, "w") as f:
        f.write("\n".join(f"{y}\t{s}" for s, y in zip(lines, labels, strict=True)) + "\n")
    vocab = ["<pad>", "the", "cat", "dog", "sat", "ran", "a", "far", "away"]
    g = tf.Graph()
    with g.as_default():
        tf.set_random_seed(2)
        table = tf.lookup.StaticVocabularyTable(
            tf.lookup.KeyValueTensorInitializer(vocab, np.arange(len(vocab), dtype=np.int64)),
            num_oov_buckets=2,
        )
        hash_table = tf.lookup.StaticHashTable(
            tf.lookup.KeyValueTensorInitializer(["the", "a"], [10, 20], tf.string, tf.int64),
            default_value=-1,
        )

        def parse(line):
            parts = tf.strings.split([line], "\t").values
            label = tf.strings.to_number(parts[0], out_type=tf.int32)
            words = tf.strings.split([parts[1]]).values
            return table.lookup(words), tf.size(words), label

        ds = tf.data.TextLineDataset(path).map(parse)
        ds = ds.apply(
            tf.data.experimental.bucket_by_sequence_length(
                lambda ids, n, y: n,
                bucket_boundaries=[3, 5],
                bucket_batch_sizes=[2, 2, 2],
                padded_shapes=([None], [], []),
                padding_values=(tf.constant(0, tf.int64), 0, 0),
            )
        )
        it = tf.data.make_initializable_iterator(ds)
        ids, lengths, y = it.get_next()
        emb = tf.get_variable("emb", [len(vocab) + 2, 4])
        x = tf.nn.embedding_lookup(emb, ids)
        mask = tf.sequence_mask(lengths, tf.shape(ids)[1], dtype=tf.float32)
        h = tf.layers.conv1d(x, 5, 2, padding="same", activation=tf.nn.relu, name="conv")
        pooled = tf.reduce_max(h * mask[:, :, None] - 1e4 * (1 - mask[:, :, None]), axis=1)
        logits = tf.layers.dense(pooled, 2, name="out")
        unit = tf.nn.l2_normalize(logits, axis=1)
        target = tf.one_hot(y, 2)
        cos = tf.losses.cosine_distance(target, unit, axis=1, reduction=tf.losses.Reduction.MEAN)
        xent = tf.losses.sparse_softmax_cross_entropy(y, logits)
        loss = tf.losses.get_total_loss()
        train = tf.train.AdagradOptimizer(0.5).minimize(loss)
        printed = tf.print("batch", tf.shape(ids), output_stream="file://" + workdir + "/log")
        words = tf.constant(["the", "a", "zzz"])
        hashed = hash_table.lookup(words)
        inv = tf.lookup.StaticHashTable(
            tf.lookup.KeyValueTensorInitializer(np.arange(len(vocab), dtype=np.int64), vocab),
            default_value="UNK",
        )
        back = inv.lookup(tf.constant([1, 2, 40], tf.int64))
        batches = []
        with tf.Session() as sess:
            sess.run([tf.global_variables_initializer(), tf.tables_initializer()])
            for _ in range(2):
                sess.run(it.initializer)
                while True:
                    try:
                        b_ids, b_y, a, c, _, _ = sess.run([ids, y, xent, cos, train, printed])
                    except tf.errors.OutOfRangeError:
                        break
                    batches.append([b_ids.tolist(), b_y.tolist(), float(a), float(c)])
            hv, bv, size = sess.run([hashed, back, table.size()])
        with open(workdir + "/log") as f:
            log = f.read().splitlines()
        return {
            "batches": batches,
            "hashed": hv.tolist(),
            "back": [s.decode() for s in bv],
            "size": int(size),
            "log": log,
            "names": [
                ids.name,
                cos.name,
                xent.name,
                loss.name,
                hashed.name,
                back.name,
                printed.name,
            ],
            "vars": [[v.name, v.shape.as_list()] for v in tf.global_variables()],
        }


EXPECTED = {
    "batches": [
        [
            [[6, 3, 5, 7, 8, 0], [9, 10, 10, 4, 10, 10]],
            [1, 1],
            0.38645318150520325,
            0.935786247253418,
        ],
        [[[1, 3], [7, 8]], [0, 1], 1.4811205863952637, 0.7935994863510132],
        [[[1, 2, 4], [6, 2, 5]], [0, 0], 1.2250959873199463, 0.8042475581169128],
        [[[1, 9]], [0], 0.16722923517227173, 0.003097355365753174],
        [[[10, 10, 10, 10, 10]], [1], 0.5895169973373413, 0.24265694618225098],
        [
            [[6, 3, 5, 7, 8, 0], [9, 10, 10, 4, 10, 10]],
            [1, 1],
            0.24904927611351013,
            0.11562612652778625,
        ],
        [[[1, 3], [7, 8]], [0, 1], 0.3179960548877716, 0.12867608666419983],
        [[[1, 2, 4], [6, 2, 5]], [0, 0], 0.166098952293396, 0.007479488849639893],
        [[[1, 9]], [0], 0.05463277921080589, 0.0032758116722106934],
        [[[10, 10, 10, 10, 10]], [1], 0.00033778208307921886, 0.014741599559783936],
    ],
    "hashed": [10, 20, -1],
    "back": ["the", "cat", "UNK"],
    "size": 11,
    "log": [
        "batch [2 6]",
        "batch [2 2]",
        "batch [2 3]",
        "batch [1 2]",
        "batch [1 5]",
        "batch [2 6]",
        "batch [2 2]",
        "batch [2 3]",
        "batch [1 2]",
        "batch [1 5]",
    ],
    "names": [
        "IteratorGetNext:0",
        "cosine_distance_loss/value:0",
        "sparse_softmax_cross_entropy_loss/value:0",
        "total_loss:0",
        "hash_table_1_Lookup/LookupTableFindV2:0",
        "hash_table_2_Lookup/LookupTableFindV2:0",
        "PrintV2",
    ],
    "vars": [
        ["emb:0", [11, 4]],
        ["conv/kernel:0", [2, 4, 5]],
        ["conv/bias:0", [5]],
        ["out/kernel:0", [5, 2]],
        ["out/bias:0", [2]],
        ["emb/Adagrad:0", [11, 4]],
        ["conv/kernel/Adagrad:0", [2, 4, 5]],
        ["conv/bias/Adagrad:0", [5]],
        ["out/kernel/Adagrad:0", [5, 2]],
        ["out/bias/Adagrad:0", [2]],
    ],
}


def test_text_lookup_pipeline_matches_tensorflow(tmp_path):
    close(program(tf, str(tmp_path)), EXPECTED)
