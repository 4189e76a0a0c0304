"""A pointer network written by hand: an LSTM encoder (dynamic_rnn with sequence lengths), a
decoder in tf.while_loop writing attention scores and argmax pointers to TensorArrays, masking
with sequence_mask, einsum projections, teacher forcing through gather_nd, Adam.

The expected names and numbers were printed by the same program under TensorFlow 2.21
(``tensorflow.compat.v1`` with v2 behaviour disabled).
"""

import numpy as np

import scopeflow as tf
from tests.programs.compare import close


def program(tf, workdir):
    B, T, D, H = 3, 5, 4, 6
    rng = np.random.RandomState(1)
    xs = rng.rand(B, T, D).astype(np.float32)
    lens = np.array([5, 3, 4], np.int32)
    targets = np.stack([rng.permutation(T) for _ in range(B)]).astype(np.int32)
    g = tf.Graph()
    with g.as_default():
        tf.set_random_seed(5)
        x = tf.placeholder(tf.float32, [None, T, D], name="inputs")
        seq_len = tf.placeholder(tf.int32, [None], name="seq_len")
        tgt = tf.placeholder(tf.int32, [None, T], name="targets")
        cell = tf.nn.rnn_cell.LSTMCell(H, name="enc_cell")
        enc, enc_state = tf.nn.dynamic_rnn(
            cell, x, sequence_length=seq_len, dtype=tf.float32, scope="encoder"
        )
        with tf.variable_scope("pointer"):
            W1 = tf.get_variable("W1", [H, H])
            W2 = tf.get_variable("W2", [H, H])
            v = tf.get_variable("v", [H])
            dec_cell = tf.nn.rnn_cell.LSTMCell(H, name="dec_cell")
            enc_proj = tf.einsum("bth,hk->btk", enc, W1)
            mask = tf.sequence_mask(seq_len, T, dtype=tf.float32)
            batch = tf.shape(x)[0]
            ta_logits = tf.TensorArray(tf.float32, size=T, name="logits_ta")
            ta_ptr = tf.TensorArray(tf.int32, size=T, element_shape=[None])
            inp0 = tf.zeros([batch, D])

            def cond(t, *_):
                return t < T

            def body(t, inp, state, ta_l, ta_p):
                out, state = dec_cell(inp, state)
                dq = tf.expand_dims(tf.matmul(out, W2), 1)
                scores = tf.reduce_sum(v * tf.tanh(enc_proj + dq), axis=2)
                scores = scores + (1.0 - mask) * -1e9
                ptr = tf.argmax(scores, axis=1, output_type=tf.int32)
                teacher = tgt[:, t]
                nxt = tf.gather_nd(x, tf.stack([tf.range(batch), teacher], axis=1))
                return t + 1, nxt, state, ta_l.write(t, scores), ta_p.write(t, ptr)

            _, _, final_state, ta_l, ta_p = tf.while_loop(
                cond, body, [tf.constant(0), inp0, enc_state, ta_logits, ta_ptr], name="decode"
            )
            logits = tf.transpose(ta_l.stack(), [1, 0, 2], name="logits")
            pointers = tf.transpose(ta_p.stack(), name="pointers")
        loss = tf.reduce_mean(
            tf.nn.sparse_softmax_cross_entropy_with_logits(labels=tgt, logits=logits)
        )
        train = tf.train.AdamOptimizer(0.05).minimize(loss)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            feed = {x: xs, seq_len: lens, tgt: targets}
            losses = []
            for _ in range(4):
                _, lv = sess.run([train, loss], feed)
                losses.append(float(lv))
            ptrs, fs = sess.run([pointers, final_state.h], feed)
    return {
        "vars": [[v.name, v.shape.as_list()] for v in g.get_collection("trainable_variables")],
        "names": [
            enc.name,
            enc_proj.name,
            logits.name,
            pointers.name,
            loss.name,
            final_state.h.name,
            ta_l.flow.name,
        ],
        "losses": losses,
        "ptrs": ptrs.tolist(),
        "h": [round(float(v), 5) for v in fs[0]],
    }


EXPECTED = {
    "vars": [
        ["encoder/enc_cell/kernel:0", [10, 24]],
        ["encoder/enc_cell/bias:0", [24]],
        ["pointer/W1:0", [6, 6]],
        ["pointer/W2:0", [6, 6]],
        ["pointer/v:0", [6]],
        ["pointer/dec_cell/kernel:0", [10, 24]],
        ["pointer/dec_cell/bias:0", [24]],
    ],
    "names": [
        "encoder/transpose_1:0",
        "pointer/einsum/Einsum:0",
        "pointer/logits:0",
        "pointer/pointers:0",
        "Mean:0",
        "pointer/decode/Exit_3:0",
        "pointer/decode/Exit_4:0",
    ],
    "losses": [200000000.0, 200000000.0, 200000000.0, 200000000.0],
    "ptrs": [[0, 0, 0, 0, 0], [0, 0, 0, 0, 0], [0, 0, 0, 0, 0]],
    "h": [0.49927, -0.01048, 0.13763, -0.00107, 0.06163, -0.05634],
}


def test_pointer_network_matches_tensorflow(tmp_path):
    close(program(tf, tmp_path), EXPECTED)
