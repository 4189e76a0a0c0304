"""A bag-of-words text classifier of TF1 style: lower, regex_replace, string_split into a
SparseTensor, tf.contrib.lookup.index_table_from_tensor with OOV buckets and tables_initializer,
sparse_tensor_to_dense, embedding_lookup_sparse (sqrtn), Ftrl with L1; index_to_string_table,
reduce_join, string_to_hash_bucket_fast, ngrams over a ragged split, length, substr,
string_to_number and strings.format. (The reference ran TF's lookup_ops for tf.contrib.lookup.)

The expected names and numbers were printed by the same program under TensorFlow 2.21
(``tensorflow.compat.v1`` with v2 behaviour disabled).
"""

import numpy as np

import scopeflow as tf
from tests.programs.compare import close


def program(tf, workdir):
    sentences = ["The cat sat on the mat!", "a Dog barked, loudly", "cats and dogs", "the end"]
    vocab = ["the", "cat", "sat", "on", "mat", "a", "dog", "cats", "and", "dogs"]
    labels = np.array([0, 1, 1, 0], np.int64)
    g = tf.Graph()
    with g.as_default():
        tf.set_random_seed(8)
        text = tf.placeholder(tf.string, [None], name="text")
        clean = tf.regex_replace(tf.strings.lower(text), "[^a-z ]", "")
        tokens = tf.string_split(clean, delimiter=" ")
        table = tf.contrib.lookup.index_table_from_tensor(
            tf.constant(vocab), num_oov_buckets=2, default_value=-1
        )
        ids = table.lookup(tokens)
        dense_ids = tf.sparse_tensor_to_dense(ids, default_value=-1)
        lengths = tf.reduce_sum(tf.cast(dense_ids >= 0, tf.int32), 1)
        emb = tf.get_variable("emb", [12, 5], initializer=tf.random_uniform_initializer(-1, 1))
        bow = tf.nn.embedding_lookup_sparse(emb, ids, None, combiner="sqrtn")
        logits = tf.layers.dense(bow, 2, name="out")
        loss = tf.losses.sparse_softmax_cross_entropy(labels, logits)
        train = tf.train.FtrlOptimizer(0.5, l1_regularization_strength=0.01).minimize(loss)
        rev = tf.contrib.lookup.index_to_string_table_from_tensor(
            tf.constant(vocab), default_value="<unk>"
        )
        words = rev.lookup(tf.cast(dense_ids, tf.int64))
        joined = tf.strings.reduce_join(words, axis=1, separator="|")
        hashed = tf.string_to_hash_bucket_fast(tokens.values, 7)
        ngrams = tf.strings.ngrams(
            tf.strings.split(clean, result_type="RaggedTensor"), 2, separator="_"
        )
        lens = tf.strings.length(text)
        subs = tf.substr(text, 0, 3)
        num = tf.string_to_number(tf.constant(["1.5", "2e3"]))
        fmt = tf.strings.format("loss={} ids={}", (loss, lengths))
        with tf.Session() as sess:
            sess.run([tf.global_variables_initializer(), tf.tables_initializer()])
            fd = {text: sentences}
            d, ln, j, h, ng = sess.run([dense_ids, lengths, joined, hashed, ngrams], fd)
            losses = [float(sess.run([train, loss], fd)[1]) for _ in range(4)]
            ls, sb, nm, f = sess.run([lens, subs, num, fmt], fd)
        return {
            "ids": d.tolist(),
            "lengths": ln.tolist(),
            "joined": [s.decode() for s in j],
            "hashed": h.tolist(),
            "ngrams": [[s.decode() for s in row] for row in ng.to_list()],
            "losses": losses,
            "strings": [
                ls.tolist(),
                [s.decode() for s in sb],
                [float(v) for v in nm],
                f.decode().split(" ids=")[1],
            ],
            "names": [t.name for t in (clean, ids.values, dense_ids, bow, words, joined)],
        }


EXPECTED = {
    "ids": [
        [0, 1, 2, 3, 0, 4],
        [5, 6, 10, 10, -1, -1],
        [7, 8, 9, -1, -1, -1],
        [0, 10, -1, -1, -1, -1],
    ],
    "lengths": [6, 4, 3, 2],
    "joined": [
        "the|cat|sat|on|the|mat",
        "a|dog|<unk>|<unk>|<unk>|<unk>",
        "cats|and|dogs|<unk>|<unk>|<unk>",
        "the|<unk>|<unk>|<unk>|<unk>|<unk>",
    ],
    "hashed": [6, 0, 4, 4, 6, 3, 5, 5, 3, 0, 0, 6, 1, 6, 2],
    "ngrams": [
        ["the_cat", "cat_sat", "sat_on", "on_the", "the_mat"],
        ["a_dog", "dog_barked", "barked_loudly"],
        ["cats_and", "and_dogs"],
        ["the_end"],
    ],
    "losses": [1.017013669013977, 0.7925037145614624, 0.6963093280792236, 0.6314719915390015],
    "strings": [[23, 20, 13, 7], ["The", "a D", "cat", "the"], [1.5, 2000.0], "[6 4 3 2]"],
    "names": [
        "StaticRegexReplace:0",
        "hash_table_Lookup/SelectV2:0",
        "SparseToDense:0",
        "embedding_lookup_sparse:0",
        "hash_table_Lookup_1/LookupTableFindV2:0",
        "ReduceJoin/ReduceJoin:0",
    ],
}


def test_text_bow_matches_tensorflow(tmp_path):
    close(program(tf, tmp_path), EXPECTED)
