"""A fastText-style classifier on raw strings built entirely in the TF1 graph: text lowered
and split into words (tf.strings.lower, tf.strings.split to a SparseTensor), character
n-grams of each padded word from tf.strings.unicode_split and tf.strings.ngrams on ragged
tensors, hashed with tf.strings.to_hash_bucket_fast, summed by
tf.nn.embedding_lookup_sparse with a mean combiner and by ragged reductions, a softmax
classifier trained with Adagrad; plus tf.strings.unicode_decode code points, regex_replace and
reduce_join for a normalized echo of the input.

The expected names and numbers were printed by the same program under TensorFlow 2.21
(``tensorflow.compat.v1`` with v2 behaviour disabled).
"""

import numpy as np

import scopeflow as tf
from tests.programs.compare import close


def program(tf, workdir):
    texts = [
        "Great movie, loved it",
        "terrible plot and awful acting",
        "Loved the acting!",
        "awful, just awful",
        "a great great film",
        "plot was terrible",
    ]
    labels_v = np.array([1, 0, 1, 0, 1, 0], np.int32)
    buckets, dim = 64, 6
    g = tf.Graph()
    with g.as_default():
        tf.set_random_seed(73)
        text = tf.placeholder(tf.string, [None], name="text")
        labels = tf.placeholder(tf.int32, [None], name="labels")
        clean = tf.strings.regex_replace(tf.strings.lower(text), "[^a-z ]", "")
        words = tf.strings.split(clean, sep=" ")  # SparseTensor in TF1
        word_ids = tf.strings.to_hash_bucket_fast(words.values, buckets)
        sp_words = tf.SparseTensor(words.indices, word_ids, words.dense_shape)
        emb = tf.get_variable("embedding", [buckets, dim])
        word_vec = tf.nn.embedding_lookup_sparse(emb, sp_words, None, combiner="mean")

        padded = tf.strings.join(["<", words.values, ">"])
        chars = tf.strings.unicode_split(padded, "UTF-8")
        trigrams = tf.strings.ngrams(chars, 3, separator="")
        tri_ids = tf.strings.to_hash_bucket_fast(trigrams, buckets)
        tri_vec = tf.reduce_mean(
            tf.ragged.map_flat_values(tf.nn.embedding_lookup, emb, tri_ids), axis=1
        )
        per_text = tf.math.unsorted_segment_mean(
            tri_vec, tf.cast(words.indices[:, 0], tf.int32), tf.shape(text)[0]
        )
        features = tf.concat([word_vec, per_text], axis=1)
        logits = tf.layers.dense(features, 2, name="classifier")
        loss = tf.losses.sparse_softmax_cross_entropy(labels, logits)
        train = tf.train.AdagradOptimizer(0.5).minimize(loss)
        codes = tf.strings.unicode_decode(text[:1], "UTF-8")
        echo = tf.strings.reduce_join(words.values, separator="|")
        feed = {text: texts, labels: labels_v}
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            trace = [float(sess.run([loss, train], feed)[0]) for _ in range(10)]
            pred = sess.run(tf.argmax(logits, 1), feed)
            wv, tv, cv, ev, tri = sess.run(
                [word_ids, tri_ids.flat_values, codes.flat_values, echo, trigrams.flat_values],
                feed,
            )
    return {
        "names": [
            words.indices.name,
            word_ids.name,
            word_vec.name,
            trigrams.flat_values.name,
            per_text.name,
            logits.name,
            loss.name,
            codes.flat_values.name,
            echo.name,
        ],
        "trace": trace,
        "predictions": pred.tolist(),
        "word_ids": wv.tolist(),
        "trigram_ids": tv[:12].tolist(),
        "trigrams": [t.decode() for t in tri[:6]],
        "codes": cv.tolist()[:8],
        "echo": ev.decode(),
    }


EXPECTED = {
    "names": [
        "StringSplit/StringSplitV2:0",
        "StringToHashBucketFast:0",
        "embedding_lookup_sparse:0",
        "StringNGrams/StringNGrams:0",
        "UnsortedSegmentMean/truediv:0",
        "classifier/BiasAdd:0",
        "sparse_softmax_cross_entropy_loss/value:0",
        "UnicodeDecode/UnicodeDecode:1",
        "ReduceJoin/ReduceJoin:0",
    ],
    "trace": [
        0.7011957764625549,
        0.5813259482383728,
        0.48157230019569397,
        0.3868825137615204,
        0.30072999000549316,
        0.22917790710926056,
        0.1744641810655594,
        0.1346600502729416,
        0.10617867857217789,
        0.08567620068788528,
    ],
    "predictions": [1, 0, 1, 0, 1, 0],
    "word_ids": [
        46,
        17,
        14,
        38,
        24,
        19,
        13,
        40,
        25,
        14,
        42,
        25,
        40,
        21,
        40,
        35,
        46,
        46,
        24,
        19,
        37,
        24,
    ],
    "trigram_ids": [16, 5, 0, 7, 36, 52, 40, 60, 38, 57, 9, 20],
    "trigrams": ["<gr", "gre", "rea", "eat", "at>", "<mo"],
    "codes": [71, 114, 101, 97, 116, 32, 109, 111],
    "echo": (
        "great|movie|loved|it|terrible|plot|and|awful|acting|loved|the|acting|awful|just|"
        "awful|a|great|great|film|plot|was|terrible"
    ),
}


def test_subword_hash_text_matches_tensorflow(tmp_path):
    close(program(tf, tmp_path), EXPECTED)
