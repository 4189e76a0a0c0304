"""A word2vec skip-gram program as TF1 tutorials wrote it: embedding_lookup, nce_loss over the
log-uniform sampler, SGD, a merged summary and cosine similarities of normalized embeddings.

The expected names and numbers were printed by the same program under TensorFlow 2.21
(``tensorflow.compat.v1`` with v2 behaviour disabled).
"""

import numpy as np

import scopeflow as tf
from tests.programs.compare import close


def program(tf):
    g = tf.Graph()
    with g.as_default():
        tf.set_random_seed(7)
        vocab, dim, batch, nsamp = 20, 8, 6, 4
        train_inputs = tf.placeholder(tf.int32, shape=[batch], name="train_inputs")
        train_labels = tf.placeholder(tf.int32, shape=[batch, 1], name="train_labels")
        with tf.name_scope("embeddings"):
            embeddings = tf.Variable(tf.random_uniform([vocab, dim], -1.0, 1.0), name="embeddings")
            embed = tf.nn.embedding_lookup(embeddings, train_inputs)
        with tf.name_scope("weights"):
            nce_weights = tf.Variable(tf.truncated_normal([vocab, dim], stddev=1.0 / np.sqrt(dim)))
        with tf.name_scope("biases"):
            nce_biases = tf.Variable(tf.zeros([vocab]))
        with tf.name_scope("loss"):
            loss = tf.reduce_mean(
                tf.nn.nce_loss(
                    weights=nce_weights,
                    biases=nce_biases,
                    labels=train_labels,
                    inputs=embed,
                    num_sampled=nsamp,
                    num_classes=vocab,
                )
            )
        tf.summary.scalar("loss", loss)
        with tf.name_scope("optimizer"):
            optimizer = tf.train.GradientDescentOptimizer(1.0).minimize(loss)
        norm = tf.sqrt(tf.reduce_sum(tf.square(embeddings), 1, keepdims=True))
        normalized = embeddings / norm
        valid = tf.constant([1, 3, 5], dtype=tf.int32)
        valid_emb = tf.nn.embedding_lookup(normalized, valid)
        similarity = tf.matmul(valid_emb, normalized, transpose_b=True)
        merged = tf.summary.merge_all()
        init = tf.global_variables_initializer()
        rng = np.random.RandomState(0)
        with tf.Session() as sess:
            init.run()
            losses = []
            for _step in range(5):
                x = rng.randint(0, vocab, size=batch).astype(np.int32)
                y = ((x + 1) % vocab).reshape(batch, 1).astype(np.int32)
                _, lv, _s = sess.run([optimizer, loss, merged], {train_inputs: x, train_labels: y})
                losses.append(float(lv))
            sim = sess.run(similarity)
        return {
            "vars": [[v.name, v.shape.as_list()] for v in tf.global_variables()],
            "names": [
                loss.name,
                optimizer.name,
                embed.name,
                similarity.name,
                merged.name,
                norm.name,
            ],
            "losses": losses,
            "sim": [float(v) for v in sim[0, :5]],
        }


EXPECTED = {
    "vars": [
        ["embeddings/embeddings:0", [20, 8]],
        ["weights/Variable:0", [20, 8]],
        ["biases/Variable:0", [20]],
    ],
    "names": [
        "loss/Mean:0",
        "optimizer/GradientDescent",
        "embeddings/embedding_lookup/Identity:0",
        "MatMul:0",
        "Merge/MergeSummary:0",
        "Sqrt:0",
    ],
    "losses": [
        5.464595317840576,
        5.5874714851379395,
        5.635364532470703,
        5.421085834503174,
        4.42840576171875,
    ],
    "sim": [0.356830358505249, 1.0, 0.43786367774009705, -0.6960573196411133, 0.01232302188873291],
}


def test_word2vec_matches_tensorflow():
    close(program(tf), EXPECTED)
