"""A seq2seq model: a static_rnn BasicLSTMCell encoder over unstacked embeddings and a GRUCell
decoder written with tf.nn.raw_rnn's loop_fn, built twice in one graph (teacher forcing, then
greedy feedback with reuse=True sharing the decoder's variables), trained with Adam.

The expected names and numbers were printed by the same program under TensorFlow 2.21
(``tensorflow.compat.v1`` with v2 behaviour disabled).
"""

import numpy as np

import scopeflow as tf
from tests.programs.compare import close


def program(tf, workdir):
    rng = np.random.RandomState(70)
    V, E, H, T, B = 6, 5, 7, 4, 2
    src = rng.randint(1, V, (B, T)).astype(np.int32)
    tgt = rng.randint(1, V, (B, T)).astype(np.int32)
    g = tf.Graph()
    with g.as_default():
        tf.set_random_seed(9)
        s = tf.placeholder(tf.int32, [None, T], name="src")
        y = tf.placeholder(tf.int32, [None, T], name="tgt")
        emb = tf.get_variable("emb", [V, E])
        enc_in = tf.unstack(tf.nn.embedding_lookup(emb, s), axis=1)
        enc_cell = tf.nn.rnn_cell.BasicLSTMCell(H, name="enc")
        enc_outs, enc_state = tf.nn.static_rnn(enc_cell, enc_in, dtype=tf.float32)

        def decoder(teacher, reuse):
            with tf.variable_scope("decoder", reuse=reuse):
                cell = tf.nn.rnn_cell.GRUCell(H, name="dec")
                proj = tf.layers.Dense(V, name="proj")
                batch = tf.shape(s)[0]

                def loop_fn(time, cell_output, cell_state, loop_state):
                    finished = time >= T
                    if cell_output is None:
                        nxt = tf.zeros([batch, E])
                        return finished, nxt, enc_state.h, None, None
                    logits = proj(cell_output)
                    if teacher:
                        prev = y[:, tf.minimum(time - 1, T - 1)]
                    else:
                        prev = tf.argmax(logits, 1, output_type=tf.int32)
                    nxt = tf.nn.embedding_lookup(emb, prev)
                    return finished, nxt, cell_state, cell_output, None

                outs_ta, final, _ = tf.nn.raw_rnn(cell, loop_fn)
                outs = tf.transpose(outs_ta.stack(), [1, 0, 2])
                return proj(outs), final

        train_logits, _ = decoder(True, False)
        infer_logits, infer_state = decoder(False, True)
        loss = tf.reduce_mean(
            tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=train_logits)
        )
        train = tf.train.AdamOptimizer(0.05).minimize(loss)
        greedy = tf.argmax(infer_logits, 2)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            losses = [float(sess.run([train, loss], {s: src, y: tgt})[1]) for _ in range(4)]
            gv, iv = sess.run([greedy, infer_state], {s: src})
    return {
        "vars": [[v.name, v.shape.as_list()] for v in g.get_collection("trainable_variables")],
        "names": [
            enc_outs[-1].name,
            enc_state.h.name,
            train_logits.name,
            infer_logits.name,
            infer_state.name,
            loss.name,
        ],
        "losses": losses,
        "greedy": gv.tolist(),
        "state": [round(float(v), 5) for v in iv[0]],
    }


EXPECTED = {
    "vars": [
        ["emb:0", [6, 5]],
        ["rnn/enc/kernel:0", [12, 28]],
        ["rnn/enc/bias:0", [28]],
        ["decoder/rnn/dec/gates/kernel:0", [12, 14]],
        ["decoder/rnn/dec/gates/bias:0", [14]],
        ["decoder/rnn/dec/candidate/kernel:0", [12, 7]],
        ["decoder/rnn/dec/candidate/bias:0", [7]],
        ["decoder/rnn/proj/kernel:0", [7, 6]],
        ["decoder/rnn/proj/bias:0", [6]],
    ],
    "names": [
        "rnn/enc/Mul_11:0",
        "rnn/enc/Mul_11:0",
        "decoder/rnn/while/proj/BiasAdd_1:0",
        "decoder_1/rnn/while/proj/BiasAdd_1:0",
        "decoder_1/rnn/while/Exit_4:0",
        "Mean:0",
    ],
    "losses": [1.7616831064224243, 1.6301395893096924, 1.4950718879699707, 1.351661205291748],
    "greedy": [[1, 5, 5, 5], [1, 5, 5, 5]],
    "state": [-0.07989, 0.27514, 0.18594, -0.45472, 0.15034, 0.32303, -0.09565],
}


def test_raw_rnn_seq2seq_matches_tensorflow(tmp_path):
    close(program(tf, tmp_path), EXPECTED)
