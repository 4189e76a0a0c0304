"""A BiLSTM-CRF sequence tagger with the CRF written by hand, as TF1 code without tf.contrib.crf
did it: embeddings, a bidirectional dynamic_rnn with LSTM cells over padded sequences with
lengths, emission scores from a dense layer, a transition matrix variable; the log partition
by the forward algorithm in tf.scan (reduce_logsumexp, masked by a sequence_mask so padding
carries the state through), the gold path score with gather_nd, Adam; Viterbi decoding by a
tf.scan of max/argmax back-pointers and a reversed tf.scan that follows them.

The expected names and numbers were printed by the same program under TensorFlow 2.21
(``tensorflow.compat.v1`` with v2 behaviour disabled).
"""

import numpy as np

import scopeflow as tf
from tests.programs.compare import close


def program(tf, workdir):
    vocab, n_tags, emb_dim, hid = 12, 3, 6, 5
    rng = np.random.RandomState(10)
    lengths_v = np.array([5, 3, 4, 2], np.int32)
    tokens_v = rng.randint(1, vocab, (4, 5)).astype(np.int32)
    tags_v = (tokens_v % n_tags).astype(np.int32)
    for i, n in enumerate(lengths_v):
        tokens_v[i, n:] = 0
        tags_v[i, n:] = 0
    g = tf.Graph()
    with g.as_default():
        tf.set_random_seed(13)
        tokens = tf.placeholder(tf.int32, [None, None], name="tokens")
        tags = tf.placeholder(tf.int32, [None, None], name="tags")
        lengths = tf.placeholder(tf.int32, [None], name="lengths")
        emb = tf.get_variable("embedding", [vocab, emb_dim])
        x = tf.nn.embedding_lookup(emb, tokens)
        fw = tf.nn.rnn_cell.LSTMCell(hid, name="fw")
        bw = tf.nn.rnn_cell.LSTMCell(hid, name="bw")
        (of, ob), _ = tf.nn.bidirectional_dynamic_rnn(
            fw, bw, x, sequence_length=lengths, dtype=tf.float32
        )
        h = tf.concat([of, ob], axis=-1)
        unary = tf.layers.dense(h, n_tags, name="emissions")
        trans = tf.get_variable("transitions", [n_tags, n_tags])
        mask = tf.sequence_mask(lengths, tf.shape(tokens)[1], dtype=tf.float32)

        with tf.name_scope("log_norm"):
            u_t = tf.transpose(unary, [1, 0, 2])
            m_t = tf.transpose(mask, [1, 0])

            def forward(alpha, elems):
                u, m = elems
                scores = tf.expand_dims(alpha, 2) + tf.expand_dims(trans, 0)
                new = tf.reduce_logsumexp(scores, axis=1) + u
                m = tf.expand_dims(m, 1)
                return m * new + (1.0 - m) * alpha

            alphas = tf.scan(forward, (u_t[1:], m_t[1:]), initializer=u_t[0])
            log_z = tf.reduce_logsumexp(alphas[-1], axis=1)
        with tf.name_scope("gold"):
            batch = tf.shape(tokens)[0]
            steps = tf.shape(tokens)[1]
            b_idx = tf.tile(tf.range(batch)[:, None], [1, steps])
            t_idx = tf.tile(tf.range(steps)[None, :], [batch, 1])
            u_score = tf.gather_nd(unary, tf.stack([b_idx, t_idx, tags], axis=2))
            u_score = tf.reduce_sum(u_score * mask, axis=1)
            pairs = tf.stack([tags[:, :-1], tags[:, 1:]], axis=2)
            t_score = tf.reduce_sum(tf.gather_nd(trans, pairs) * mask[:, 1:], axis=1)
            gold = u_score + t_score
        nll = tf.reduce_mean(log_z - gold, name="nll")
        train = tf.train.AdamOptimizer(0.05).minimize(nll)

        with tf.name_scope("viterbi"):

            def vstep(carry, u):
                score, _ = carry
                cand = tf.expand_dims(score, 2) + tf.expand_dims(trans, 0)
                return tf.reduce_max(cand, axis=1) + u, tf.argmax(
                    cand, axis=1, output_type=tf.int32
                )

            first = (u_t[0], tf.zeros_like(u_t[0], tf.int32))
            scores, back = tf.scan(vstep, u_t[1:], initializer=first)
            last = tf.argmax(scores[-1], axis=1, output_type=tf.int32)

            def follow(tag, bp):
                return tf.reduce_sum(tf.one_hot(tag, n_tags, dtype=tf.int32) * bp, axis=1)

            rest = tf.scan(follow, back, initializer=last, reverse=True)
            path = tf.transpose(tf.concat([rest, last[None]], axis=0), [1, 0], name="path")
        feed = {tokens: tokens_v, tags: tags_v, lengths: lengths_v}
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            trace = [float(sess.run([nll, train], feed)[0]) for _ in range(12)]
            full = {tokens: tokens_v[:1], tags: tags_v[:1], lengths: lengths_v[:1]}
            p, tv = sess.run([path, trans], full)
    return {
        "vars": [[v.name, v.shape.as_list()] for v in g.get_collection("trainable_variables")],
        "names": [
            of.name,
            ob.name,
            unary.name,
            alphas.name,
            log_z.name,
            gold.name,
            nll.name,
            back.name,
            rest.name,
            path.name,
        ],
        "types": [alphas.op.type, back.op.type, rest.op.type],
        "trace": trace,
        "path": p.tolist(),
        "tags": tags_v[:1].tolist(),
        "transitions": tv.tolist(),
    }


EXPECTED = {
    "vars": [
        ["embedding:0", [12, 6]],
        ["bidirectional_rnn/fw/fw/kernel:0", [11, 20]],
        ["bidirectional_rnn/fw/fw/bias:0", [20]],
        ["bidirectional_rnn/bw/bw/kernel:0", [11, 20]],
        ["bidirectional_rnn/bw/bw/bias:0", [20]],
        ["emissions/kernel:0", [10, 3]],
        ["emissions/bias:0", [3]],
        ["transitions:0", [3, 3]],
    ],
    "names": [
        "bidirectional_rnn/fw/fw/transpose_1:0",
        "ReverseSequence:0",
        "emissions/BiasAdd:0",
        "log_norm/scan/TensorArrayStack/TensorArrayGatherV3:0",
        "log_norm/ReduceLogSumExp:0",
        "gold/add:0",
        "nll:0",
        "viterbi/scan/TensorArrayStack_1/TensorArrayGatherV3:0",
        "viterbi/scan_1/TensorArrayStack/TensorArrayGatherV3:0",
        "viterbi/path:0",
    ],
    "types": ["TensorArrayGatherV3", "TensorArrayGatherV3", "TensorArrayGatherV3"],
    "trace": [
        3.5373425483703613,
        3.072000503540039,
        2.7272696495056152,
        2.426973819732666,
        2.141815423965454,
        1.844699501991272,
        1.529573678970337,
        1.218569278717041,
        0.9446045756340027,
        0.7247535586357117,
        0.5540288686752319,
        0.4197854995727539,
    ],
    "path": [[1, 2, 1, 2, 1]],
    "tags": [[1, 2, 1, 2, 1]],
    "transitions": [
        [0.04251013696193695, 0.12046033143997192, -0.7536556124687195],
        [-0.7360274195671082, -0.8630037903785706, 1.2925046682357788],
        [-0.14981552958488464, -0.09709170460700989, 0.036514971405267715],
    ],
}


def test_bilstm_crf_scan_matches_tensorflow(tmp_path):
    close(program(tf, tmp_path), EXPECTED)
