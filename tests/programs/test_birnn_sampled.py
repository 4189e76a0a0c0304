"""A bidirectional GRU over embedded words (bidirectional_dynamic_rnn with sequence lengths)
trained with sampled_softmax_loss (the log-uniform sampler's draws are TF's) next to the full
softmax cross-entropy, with Adam.

The expected names and numbers were printed by the same program under TensorFlow 2.21
(``tensorflow.compat.v1`` with v2 behaviour disabled).
"""

import numpy as np

import scopeflow as tf
from tests.programs.compare import close


def program(tf):
    g = tf.Graph()
    with g.as_default():
        tf.set_random_seed(31)
        batch, steps, vocab, hidden = 3, 4, 30, 5
        words = tf.placeholder(tf.int32, [batch, steps], name="words")
        lengths = tf.placeholder(tf.int32, [batch], name="lengths")
        targets = tf.placeholder(tf.int64, [batch * steps, 1], name="targets")
        emb = tf.get_variable("emb", [vocab, hidden])
        x = tf.nn.embedding_lookup(emb, words)
        fw = tf.nn.rnn_cell.GRUCell(hidden)
        bw = tf.nn.rnn_cell.GRUCell(hidden)
        (out_fw, out_bw), states = tf.nn.bidirectional_dynamic_rnn(
            fw, bw, x, sequence_length=lengths, dtype=tf.float32, scope="birnn"
        )
        out = tf.reshape(tf.concat([out_fw, out_bw], -1), [-1, 2 * hidden])
        proj_w = tf.get_variable("proj_w", [vocab, 2 * hidden])
        proj_b = tf.get_variable("proj_b", [vocab], initializer=tf.zeros_initializer())
        sampled = tf.reduce_mean(
            tf.nn.sampled_softmax_loss(
                proj_w, proj_b, targets, out, num_sampled=6, num_classes=vocab
            )
        )
        full = tf.losses.sparse_softmax_cross_entropy(
            tf.reshape(targets, [-1]), tf.matmul(out, proj_w, transpose_b=True) + proj_b
        )
        train = tf.train.AdamOptimizer(0.05).minimize(sampled)
        rng = np.random.RandomState(9)
        feed = {
            words: rng.randint(0, vocab, (batch, steps)).astype(np.int32),
            lengths: np.array([4, 2, 3], np.int32),
            targets: rng.randint(0, vocab, (batch * steps, 1)).astype(np.int64),
        }
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            res = []
            for _ in range(4):
                lf = sess.run(full, feed)
                ls, _ = sess.run([sampled, train], feed)
                res.append([float(ls), float(lf)])
            st = sess.run(states[1], feed)
        return {
            "vars": [[v.name, v.shape.as_list()] for v in tf.global_variables()],
            "names": [out_fw.name, out_bw.name, states[0].name, sampled.name, full.name],
            "losses": res,
            "bw_state": [float(v) for v in st[1]],
        }


EXPECTED = {
    "vars": [
        ["emb:0", [30, 5]],
        ["birnn/fw/gru_cell/gates/kernel:0", [10, 10]],
        ["birnn/fw/gru_cell/gates/bias:0", [10]],
        ["birnn/fw/gru_cell/candidate/kernel:0", [10, 5]],
        ["birnn/fw/gru_cell/candidate/bias:0", [5]],
        ["birnn/bw/gru_cell/gates/kernel:0", [10, 10]],
        ["birnn/bw/gru_cell/gates/bias:0", [10]],
        ["birnn/bw/gru_cell/candidate/kernel:0", [10, 5]],
        ["birnn/bw/gru_cell/candidate/bias:0", [5]],
        ["proj_w:0", [30, 10]],
        ["proj_b:0", [30]],
        ["beta1_power:0", []],
        ["beta2_power:0", []],
        ["emb/Adam:0", [30, 5]],
        ["emb/Adam_1:0", [30, 5]],
        ["birnn/fw/gru_cell/gates/kernel/Adam:0", [10, 10]],
        ["birnn/fw/gru_cell/gates/kernel/Adam_1:0", [10, 10]],
        ["birnn/fw/gru_cell/gates/bias/Adam:0", [10]],
        ["birnn/fw/gru_cell/gates/bias/Adam_1:0", [10]],
        ["birnn/fw/gru_cell/candidate/kernel/Adam:0", [10, 5]],
        ["birnn/fw/gru_cell/candidate/kernel/Adam_1:0", [10, 5]],
        ["birnn/fw/gru_cell/candidate/bias/Adam:0", [5]],
        ["birnn/fw/gru_cell/candidate/bias/Adam_1:0", [5]],
        ["birnn/bw/gru_cell/gates/kernel/Adam:0", [10, 10]],
        ["birnn/bw/gru_cell/gates/kernel/Adam_1:0", [10, 10]],
        ["birnn/bw/gru_cell/gates/bias/Adam:0", [10]],
        ["birnn/bw/gru_cell/gates/bias/Adam_1:0", [10]],
        ["birnn/bw/gru_cell/candidate/kernel/Adam:0", [10, 5]],
        ["birnn/bw/gru_cell/candidate/kernel/Adam_1:0", [10, 5]],
        ["birnn/bw/gru_cell/candidate/bias/Adam:0", [5]],
        ["birnn/bw/gru_cell/candidate/bias/Adam_1:0", [5]],
        ["proj_w/Adam:0", [30, 10]],
        ["proj_w/Adam_1:0", [30, 10]],
        ["proj_b/Adam:0", [30]],
        ["proj_b/Adam_1:0", [30]],
    ],
    "names": [
        "birnn/fw/fw/transpose_1:0",
        "ReverseSequence:0",
        "birnn/fw/fw/while/Exit_3:0",
        "Mean:0",
        "sparse_softmax_cross_entropy_loss/value:0",
    ],
    "losses": [
        [1.386031150817871, 3.40331768989563],
        [1.5811166763305664, 3.3121235370635986],
        [1.5616182088851929, 3.225419759750366],
        [1.50875985622406, 3.127671241760254],
    ],
    "bw_state": [
        -0.19375012814998627,
        0.0800817459821701,
        0.07053428888320923,
        -0.047406621277332306,
        -0.13017717003822327,
    ],
}


def test_birnn_sampled_matches_tensorflow():
    close(program(tf), EXPECTED)
