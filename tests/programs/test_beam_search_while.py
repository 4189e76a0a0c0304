"""A GRU encoder-decoder with beam search written as a tf.while_loop, the way TF1 code built it
without tf.contrib.seq2seq (tensor2tensor's style): the encoder a dynamic_rnn with lengths; the
decoder trained by teacher forcing with a length mask as tf.losses weights; then the same GRU
cell and Dense layer objects reused inside a while_loop whose loop variables are the growing
beams (shape_invariants with an unknown time dimension), their log-probabilities and the
flattened cell state; log_softmax, top_k over beam x vocabulary, the parent beams gathered with
gather_nd, and a greedy decode as a second loop with a TensorArray.

The expected names and numbers were printed by the same program under TensorFlow 2.21
(``tensorflow.compat.v1`` with v2 behaviour disabled).
"""

import numpy as np

import scopeflow as tf
from tests.programs.compare import close


def program(tf, workdir):
    vocab, hid, emb_dim, beam, max_len, go = 7, 8, 5, 2, 4, 1
    rng = np.random.RandomState(15)
    src_v = rng.randint(3, vocab, (4, 5)).astype(np.int32)
    src_len_v = np.array([5, 4, 3, 5], np.int32)
    tgt_v = np.sort(src_v[:, :max_len], axis=1).astype(np.int32)
    g = tf.Graph()
    with g.as_default():
        tf.set_random_seed(23)
        src = tf.placeholder(tf.int32, [None, None], name="src")
        src_len = tf.placeholder(tf.int32, [None], name="src_len")
        tgt = tf.placeholder(tf.int32, [None, max_len], name="tgt")
        batch = tf.shape(src)[0]
        with tf.variable_scope("encoder"):
            enc_emb = tf.get_variable("embedding", [vocab, emb_dim])
            enc_cell = tf.nn.rnn_cell.GRUCell(hid)
            _, enc_state = tf.nn.dynamic_rnn(
                enc_cell, tf.nn.embedding_lookup(enc_emb, src), src_len, dtype=tf.float32
            )
        with tf.variable_scope("decoder"):
            dec_emb = tf.get_variable("embedding", [vocab, emb_dim])
            dec_cell = tf.nn.rnn_cell.GRUCell(hid)
            proj = tf.layers.Dense(vocab, name="proj")
            dec_in = tf.concat([tf.fill([batch, 1], go), tgt[:, :-1]], axis=1)
            dec_out, _ = tf.nn.dynamic_rnn(
                dec_cell, tf.nn.embedding_lookup(dec_emb, dec_in), initial_state=enc_state
            )
            logits = proj(dec_out)
        weights = tf.sequence_mask(tf.fill([batch], max_len - 1), max_len, tf.float32)
        loss = tf.losses.sparse_softmax_cross_entropy(tgt, logits, weights=weights)
        train = tf.train.AdamOptimizer(0.05).minimize(loss)

        with tf.name_scope("beam_search"):
            state0 = tf.reshape(tf.tile(enc_state[:, None, :], [1, beam, 1]), [batch * beam, hid])
            seq0 = tf.fill([batch, beam, 1], go)
            logp0 = tf.tile(tf.constant([[0.0] + [-1e9] * (beam - 1)]), [batch, 1])

            def step(t, seq, logp, state):
                last = tf.reshape(seq[:, :, -1], [-1])
                with tf.variable_scope("decoder", reuse=True):
                    out, new_state = dec_cell(tf.nn.embedding_lookup(dec_emb, last), state)
                    step_logp = tf.nn.log_softmax(proj(out))
                total = tf.reshape(step_logp, [batch, beam, vocab]) + logp[:, :, None]
                top_logp, top_idx = tf.nn.top_k(tf.reshape(total, [batch, beam * vocab]), beam)
                parent = top_idx // vocab
                token = top_idx % vocab
                b_idx = tf.tile(tf.range(batch)[:, None], [1, beam])
                picks = tf.stack([b_idx, parent], axis=2)
                seq = tf.concat([tf.gather_nd(seq, picks), token[:, :, None]], axis=2)
                flat_parent = tf.reshape(b_idx * beam + parent, [-1])
                return t + 1, seq, top_logp, tf.gather(new_state, flat_parent)

            _, seqs, scores, _ = tf.while_loop(
                lambda t, *_: t < max_len,
                step,
                [tf.constant(0), seq0, logp0, state0],
                shape_invariants=[
                    tf.TensorShape([]),
                    tf.TensorShape([None, beam, None]),
                    tf.TensorShape([None, beam]),
                    tf.TensorShape([None, hid]),
                ],
            )
        with tf.name_scope("greedy"):

            def greedy(t, tok, state, ta):
                with tf.variable_scope("decoder", reuse=True):
                    out, state = dec_cell(tf.nn.embedding_lookup(dec_emb, tok), state)
                    nxt = tf.argmax(proj(out), axis=1, output_type=tf.int32)
                return t + 1, nxt, state, ta.write(t, nxt)

            ta = tf.TensorArray(tf.int32, size=max_len)
            _, _, _, ta = tf.while_loop(
                lambda t, *_: t < max_len, greedy, [0, tf.fill([batch], go), enc_state, ta]
            )
            greedy_ids = tf.transpose(ta.stack(), name="ids")
        feed = {src: src_v, src_len: src_len_v, tgt: tgt_v}
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            trace = [float(sess.run([loss, train], feed)[0]) for _ in range(25)]
            sq, sc, gi = sess.run([seqs, scores, greedy_ids], feed)
    return {
        "vars": [[v.name, v.shape.as_list()] for v in g.get_collection("trainable_variables")],
        "names": [enc_state.name, logits.name, loss.name, seqs.name, scores.name, greedy_ids.name],
        "shapes": [seqs.shape.as_list(), scores.shape.as_list(), greedy_ids.shape.as_list()],
        "trace": trace,
        "beams": sq.tolist(),
        "scores": sc.tolist(),
        "greedy": gi.tolist(),
        "target": tgt_v.tolist(),
    }


EXPECTED = {
    "vars": [
        ["encoder/embedding:0", [7, 5]],
        ["encoder/rnn/gru_cell/gates/kernel:0", [13, 16]],
        ["encoder/rnn/gru_cell/gates/bias:0", [16]],
        ["encoder/rnn/gru_cell/candidate/kernel:0", [13, 8]],
        ["encoder/rnn/gru_cell/candidate/bias:0", [8]],
        ["decoder/embedding:0", [7, 5]],
        ["decoder/rnn/gru_cell/gates/kernel:0", [13, 16]],
        ["decoder/rnn/gru_cell/gates/bias:0", [16]],
        ["decoder/rnn/gru_cell/candidate/kernel:0", [13, 8]],
        ["decoder/rnn/gru_cell/candidate/bias:0", [8]],
        ["decoder/proj/kernel:0", [8, 7]],
        ["decoder/proj/bias:0", [7]],
    ],
    "names": [
        "encoder/rnn/while/Exit_3:0",
        "decoder/proj/BiasAdd:0",
        "sparse_softmax_cross_entropy_loss/value:0",
        "beam_search/while/Exit_1:0",
        "beam_search/while/Exit_2:0",
        "greedy/ids:0",
    ],
    "shapes": [[None, 2, None], [None, 2], [None, 4]],
    "trace": [
        2.012486219406128,
        1.8244324922561646,
        1.6818879842758179,
        1.520571231842041,
        1.340915322303772,
        1.173916220664978,
        1.0488818883895874,
        0.9579839706420898,
        0.8762927055358887,
        0.792794406414032,
        0.7076408267021179,
        0.6267098784446716,
        0.5588933825492859,
        0.49886655807495117,
        0.45248404145240784,
        0.40858158469200134,
        0.3829623758792877,
        0.33501243591308594,
        0.3052544891834259,
        0.27947521209716797,
        0.24527524411678314,
        0.21817676723003387,
        0.17958897352218628,
        0.15271006524562836,
        0.12200180441141129,
    ],
    "beams": [
        [[1, 3, 3, 4, 6], [1, 3, 3, 3, 6]],
        [[1, 3, 3, 6, 6], [1, 3, 3, 4, 6]],
        [[1, 4, 4, 5, 5], [1, 4, 4, 5, 4]],
        [[1, 3, 4, 6, 6], [1, 3, 3, 6, 6]],
    ],
    "scores": [
        [-0.330020546913147, -1.9318009614944458],
        [-0.29728442430496216, -1.978677749633789],
        [-1.24188232421875, -1.3110061883926392],
        [-0.25761550664901733, -2.5978734493255615],
    ],
    "greedy": [[3, 3, 4, 6], [3, 3, 6, 6], [4, 4, 5, 5], [3, 4, 6, 6]],
    "target": [[3, 3, 4, 4], [3, 3, 6, 6], [4, 4, 5, 6], [3, 4, 6, 6]],
}


def test_beam_search_while_matches_tensorflow(tmp_path):
    close(program(tf, tmp_path), EXPECTED)
