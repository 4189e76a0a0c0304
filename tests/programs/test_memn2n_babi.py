"""End-to-end memory networks on bAbI-style stories as the well-known TF1 implementation wrote
them: stories [batch, sentences, words] and queries embedded with position encoding, three hops
with adjacent weight tying (the output embedding of one hop is the input embedding of the next),
softmax attention over memories, a linear map H between hops, the answer from the last
embedding's transpose; gradients clipped by norm with added Gaussian noise, the nil word's
embedding rows zeroed after each step by scatter_update, SGD with a learning rate fed per epoch.

The expected names and numbers were printed by the same program under TensorFlow 2.21
(``tensorflow.compat.v1`` with v2 behaviour disabled).
"""

import numpy as np

import scopeflow as tf
from tests.programs.compare import close


def program(tf, workdir):
    vocab, emb, n_sent, n_words, hops, batch = 12, 8, 4, 3, 3, 6
    rng = np.random.RandomState(22)

    def position_encoding(sentence_size, embedding_size):
        enc = np.ones((embedding_size, sentence_size), dtype=np.float32)
        ls, le = sentence_size + 1, embedding_size + 1
        for i in range(1, le):
            for j in range(1, ls):
                enc[i - 1, j - 1] = (i - (embedding_size + 1) / 2) * (j - (sentence_size + 1) / 2)
        enc = 1 + 4 * enc / embedding_size / sentence_size
        return np.transpose(enc)

    stories_v = rng.randint(0, vocab, (batch, n_sent, n_words)).astype(np.int32)
    queries_v = rng.randint(1, vocab, (batch, n_words)).astype(np.int32)
    answers_v = stories_v[np.arange(batch), rng.randint(0, n_sent, batch), 0] % vocab
    g = tf.Graph()
    with g.as_default():
        tf.set_random_seed(53)
        stories = tf.placeholder(tf.int32, [None, n_sent, n_words], name="stories")
        queries = tf.placeholder(tf.int32, [None, n_words], name="queries")
        answers = tf.placeholder(tf.int32, [None], name="answers")
        lr = tf.placeholder(tf.float32, [], name="learning_rate")
        encoding = tf.constant(position_encoding(n_words, emb), name="encoding")
        init = tf.random_normal_initializer(stddev=0.1)
        with tf.variable_scope("MemN2N"):
            nil = tf.zeros([1, emb])
            a = tf.concat([nil, init([vocab - 1, emb])], 0)
            embeds = [tf.Variable(a, name="A")]
            for h in range(hops):
                c = tf.concat([nil, init([vocab - 1, emb])], 0)
                embeds.append(tf.Variable(c, name=f"C_{h}"))
            H = tf.Variable(init([emb, emb]), name="H")
        with tf.name_scope("MemN2N"):
            q_emb = tf.nn.embedding_lookup(embeds[0], queries)
            u = [tf.reduce_sum(q_emb * encoding, 1)]
            probs_all = []
            for hop in range(hops):
                m_emb = tf.nn.embedding_lookup(embeds[hop], stories)
                m = tf.reduce_sum(m_emb * encoding, 2)
                u_temp = tf.transpose(tf.expand_dims(u[-1], -1), [0, 2, 1])
                dotted = tf.reduce_sum(m * u_temp, 2)
                probs = tf.nn.softmax(dotted)
                probs_all.append(probs)
                c_emb = tf.nn.embedding_lookup(embeds[hop + 1], stories)
                c = tf.reduce_sum(c_emb * encoding, 2)
                o_k = tf.reduce_sum(tf.transpose(c, [0, 2, 1]) * tf.expand_dims(probs, 1), 2)
                u.append(tf.matmul(u[-1], H) + o_k)
            logits = tf.matmul(u[-1], tf.transpose(embeds[-1]), name="logits")
        loss = tf.reduce_sum(
            tf.nn.sparse_softmax_cross_entropy_with_logits(labels=answers, logits=logits),
            name="cross_entropy_sum",
        )
        opt = tf.train.GradientDescentOptimizer(lr)
        grads = opt.compute_gradients(loss)
        grads = [(tf.clip_by_norm(gr, 40.0), v) for gr, v in grads]
        grads = [(gr + tf.random_normal(tf.shape(gr), stddev=1e-3, seed=9), v) for gr, v in grads]
        with tf.control_dependencies([opt.apply_gradients(grads, name="train_op")]):
            nil_slots = [
                tf.scatter_update(v, [0], tf.zeros([1, emb]))
                for _, v in grads
                if v.name.startswith(("MemN2N/A", "MemN2N/C"))
            ]
            train = tf.group(*nil_slots, name="zero_nil")
        predict = tf.argmax(logits, 1, name="predict_op")
        feed = {stories: stories_v, queries: queries_v, answers: answers_v}
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            trace = []
            for epoch in range(12):
                feed[lr] = 0.05 if epoch < 6 else 0.025
                lv, _ = sess.run([loss, train], feed)
                trace.append(float(lv))
            pv, p0, a_nil = sess.run([predict, probs_all[0], embeds[0][0]], feed)
            h_v = sess.run(H)[0, :3]
    return {
        "vars": [[v.name, v.shape.as_list()] for v in g.get_collection("variables")],
        "grad_vars": [v.name for _, v in grads],
        "names": [
            logits.name,
            loss.name,
            train.name,
            predict.name,
            probs_all[2].name,
            grads[0][0].name,
        ],
        "trace": trace,
        "predict": pv.tolist(),
        "answers": answers_v.tolist(),
        "attention": p0[0].tolist(),
        "nil_row": a_nil.tolist(),
        "H": h_v.tolist(),
    }


EXPECTED = {
    "vars": [
        ["MemN2N/A:0", [12, 8]],
        ["MemN2N/C_0:0", [12, 8]],
        ["MemN2N/C_1:0", [12, 8]],
        ["MemN2N/C_2:0", [12, 8]],
        ["MemN2N/H:0", [8, 8]],
    ],
    "grad_vars": ["MemN2N/A:0", "MemN2N/C_0:0", "MemN2N/C_1:0", "MemN2N/C_2:0", "MemN2N/H:0"],
    "names": [
        "MemN2N_1/logits:0",
        "cross_entropy_sum:0",
        "zero_nil",
        "predict_op:0",
        "MemN2N_1/Softmax_2:0",
        "add:0",
    ],
    "trace": [
        14.789941787719727,
        14.734159469604492,
        14.670513153076172,
        14.59741497039795,
        14.512327194213867,
        14.413225173950195,
        14.297033309936523,
        14.230325698852539,
        14.158056259155273,
        14.079687118530273,
        13.995046615600586,
        13.903725624084473,
    ],
    "predict": [4, 4, 3, 11, 4, 4],
    "answers": [4, 5, 3, 11, 9, 2],
    "attention": [0.1868334710597992, 0.3162652552127838, 0.2258990854024887, 0.2710021436214447],
    "nil_row": [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0],
    "H": [-0.0009017986012622714, 0.04499930888414383, 0.08220317214727402],
}


def test_memn2n_babi_matches_tensorflow(tmp_path):
    close(program(tf, tmp_path), EXPECTED)
