"""Seq2seq programs of the TF 1.0-era tutorials on tf.contrib.legacy_seq2seq: a chatbot with
embedding_rnn_seq2seq over lists of per-step placeholders (an LSTM cell, an output projection
wrapper made for it, legacy sequence_loss with per-step weights, RMSProp), its inference copy
built with feed_previous=True under reuse, and a time-series forecaster with
basic_rnn_seq2seq (a GRU, "GO" zeros as the first decoder input) and tied_rnn_seq2seq with a
loop_function feeding back a projection of each output, both trained with Adam on an MSE.

The expected names and numbers were printed by the same program under TensorFlow 2.21
(``tensorflow.compat.v1`` with v2 behaviour disabled) running TF 1.15's
tf.contrib.legacy_seq2seq Python code (from the 1.15 wheel).
"""

import numpy as np

import scopeflow as tf
from tests.programs.compare import close


def program(tf):
    rng = np.random.RandomState(77)
    vocab, emb, units, batch, enc_len, dec_len = 7, 4, 5, 3, 4, 3
    questions = rng.randint(1, vocab, size=(enc_len, batch)).astype(np.int32)
    answers = rng.randint(1, vocab, size=(dec_len, batch)).astype(np.int32)
    series = np.sin(np.linspace(0, 3, 7 * batch)).reshape(batch, 7).T.astype(np.float32)
    result = {}
    g = tf.Graph()
    with g.as_default():
        tf.set_random_seed(78)
        enc = [tf.placeholder(tf.int32, [None], name=f"ei_{t}") for t in range(enc_len)]
        labels = [tf.placeholder(tf.int32, [None], name=f"ei_{t}") for t in range(dec_len)]
        dec = [tf.zeros_like(enc[0], dtype=tf.int32, name="GO")] + labels[:-1]
        weights = [tf.ones_like(lab, dtype=tf.float32) for lab in labels]
        with tf.variable_scope("decoder") as scope:
            outputs, states = tf.contrib.legacy_seq2seq.embedding_rnn_seq2seq(
                enc, dec, tf.nn.rnn_cell.BasicLSTMCell(units), vocab, vocab, emb
            )
            scope.reuse_variables()
            decode_outputs, _ = tf.contrib.legacy_seq2seq.embedding_rnn_seq2seq(
                enc,
                dec,
                tf.nn.rnn_cell.BasicLSTMCell(units),
                vocab,
                vocab,
                emb,
                feed_previous=True,
            )
        loss = tf.contrib.legacy_seq2seq.sequence_loss(outputs, labels, weights, vocab)
        train_op = tf.train.RMSPropOptimizer(0.05).minimize(loss)
        feed = {enc[t]: questions[t] for t in range(enc_len)}
        feed.update({labels[t]: answers[t] for t in range(dec_len)})
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            losses = [float(sess.run([loss, train_op], feed)[0]) for _ in range(4)]
            decoded = sess.run(decode_outputs, feed)
        result["chat_vars"] = [[v.name, v.shape.as_list()] for v in tf.trainable_variables()]
        result["chat_names"] = [outputs[-1].name, decode_outputs[-1].name, loss.name, states.c.name]
        result["chat_losses"] = losses
        result["chat_reply"] = [o.argmax(1).tolist() for o in decoded]
        result["chat_logits"] = decoded[1].tolist()
    g2 = tf.Graph()
    with g2.as_default():
        tf.set_random_seed(79)
        enc = [tf.placeholder(tf.float32, [None, 1], name=f"inp_{t}") for t in range(4)]
        target = [tf.placeholder(tf.float32, [None, 1], name=f"expected_{t}") for t in range(3)]
        dec = [tf.zeros_like(enc[0], name="GO")] + enc[:2]
        with tf.variable_scope("basic"):
            cell = tf.nn.rnn_cell.GRUCell(units)
            outs, _ = tf.contrib.legacy_seq2seq.basic_rnn_seq2seq(enc, dec, cell)
            w_out = tf.get_variable("w_out", [units, 1])
            b_out = tf.get_variable("b_out", [1], initializer=tf.zeros_initializer())
            preds = [tf.matmul(o, w_out) + b_out for o in outs]
        mse = tf.reduce_mean(
            [tf.reduce_mean(tf.square(p - t)) for p, t in zip(preds, target, strict=True)]
        )
        with tf.variable_scope("tied"):
            w_in = tf.get_variable("w_in", [units, 1])

            def loop(prev, i):
                return tf.matmul(prev, w_in)

            tcell = tf.nn.rnn_cell.GRUCell(units)
            touts, tstate = tf.contrib.legacy_seq2seq.tied_rnn_seq2seq(
                enc, dec, tcell, loop_function=loop
            )
            tpreds = [tf.matmul(o, w_in) for o in touts]
        tmse = tf.reduce_mean(
            [tf.reduce_mean(tf.square(p - t)) for p, t in zip(tpreds, target, strict=True)]
        )
        train = tf.train.AdamOptimizer(0.02).minimize(mse + tmse)
        feed = {enc[t]: series[t][:, None] for t in range(4)}
        feed.update({target[t]: series[4 + t][:, None] for t in range(3)})
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            ts_losses = [
                [float(v) for v in sess.run([mse, tmse, train], feed)[:2]] for _ in range(4)
            ]
            forecast = sess.run(tpreds, feed)
        result["ts_vars"] = [[v.name, v.shape.as_list()] for v in tf.trainable_variables()]
        result["ts_names"] = [outs[-1].name, touts[-1].name, tstate.name, mse.name]
        result["ts_losses"] = ts_losses
        result["forecast"] = [f[:, 0].tolist() for f in forecast]
    return result


EXPECTED = {
    "chat_vars": [
        ["decoder/embedding_rnn_seq2seq/rnn/embedding_wrapper/embedding:0", [7, 4]],
        ["decoder/embedding_rnn_seq2seq/rnn/embedding_wrapper/basic_lstm_cell/kernel:0", [9, 20]],
        ["decoder/embedding_rnn_seq2seq/rnn/embedding_wrapper/basic_lstm_cell/bias:0", [20]],
        ["decoder/embedding_rnn_seq2seq/embedding_rnn_decoder/embedding:0", [7, 4]],
        [
            "decoder/embedding_rnn_seq2seq/embedding_rnn_decoder/rnn_decoder/output_projection_wrapper/basic_lstm_cell/kernel:0",
            [9, 20],
        ],
        [
            "decoder/embedding_rnn_seq2seq/embedding_rnn_decoder/rnn_decoder/output_projection_wrapper/basic_lstm_cell/bias:0",
            [20],
        ],
        [
            "decoder/embedding_rnn_seq2seq/embedding_rnn_decoder/rnn_decoder/output_projection_wrapper/kernel:0",
            [5, 7],
        ],
        [
            "decoder/embedding_rnn_seq2seq/embedding_rnn_decoder/rnn_decoder/output_projection_wrapper/bias:0",
            [7],
        ],
    ],
    "chat_names": [
        "decoder/embedding_rnn_seq2seq/embedding_rnn_decoder/rnn_decoder/rnn_decoder/output_projection_wrapper/BiasAdd_2:0",
        "decoder/embedding_rnn_seq2seq_1/embedding_rnn_decoder/rnn_decoder/rnn_decoder/output_projection_wrapper/BiasAdd_2:0",
        "sequence_loss/truediv:0",
        "decoder/embedding_rnn_seq2seq/embedding_rnn_decoder/rnn_decoder/rnn_decoder/output_projection_wrapper/basic_lstm_cell/Add_5:0",
    ],
    "chat_losses": [1.963314414024353, 1.9564653635025024, 1.9493993520736694, 1.942117691040039],
    "chat_reply": [[4, 4, 4], [4, 4, 4], [4, 4, 4]],
    "chat_logits": [
        [
            -0.07272147387266159,
            -0.06871294975280762,
            -0.004785759374499321,
            -0.1656796932220459,
            0.15207019448280334,
            -0.047579072415828705,
            0.09668127447366714,
        ],
        [
            -0.026930268853902817,
            -0.0296033825725317,
            -0.012550026178359985,
            0.00027319276705384254,
            0.062487661838531494,
            0.015475288033485413,
            0.005454591475427151,
        ],
        [
            -0.011351343244314194,
            -0.047748155891895294,
            -0.08721666783094406,
            -0.11769556999206543,
            0.13174057006835938,
            -0.04967207461595535,
            -0.03220982477068901,
        ],
    ],
    "ts_vars": [
        ["basic/basic_rnn_seq2seq/rnn/gru_cell/gates/kernel:0", [6, 10]],
        ["basic/basic_rnn_seq2seq/rnn/gru_cell/gates/bias:0", [10]],
        ["basic/basic_rnn_seq2seq/rnn/gru_cell/candidate/kernel:0", [6, 5]],
        ["basic/basic_rnn_seq2seq/rnn/gru_cell/candidate/bias:0", [5]],
        ["basic/basic_rnn_seq2seq/rnn_decoder/gru_cell/gates/kernel:0", [6, 10]],
        ["basic/basic_rnn_seq2seq/rnn_decoder/gru_cell/gates/bias:0", [10]],
        ["basic/basic_rnn_seq2seq/rnn_decoder/gru_cell/candidate/kernel:0", [6, 5]],
        ["basic/basic_rnn_seq2seq/rnn_decoder/gru_cell/candidate/bias:0", [5]],
        ["basic/w_out:0", [5, 1]],
        ["basic/b_out:0", [1]],
        ["tied/w_in:0", [5, 1]],
        ["tied/combined_tied_rnn_seq2seq/tied_rnn_seq2seq/gru_cell/gates/kernel:0", [6, 10]],
        ["tied/combined_tied_rnn_seq2seq/tied_rnn_seq2seq/gru_cell/gates/bias:0", [10]],
        ["tied/combined_tied_rnn_seq2seq/tied_rnn_seq2seq/gru_cell/candidate/kernel:0", [6, 5]],
        ["tied/combined_tied_rnn_seq2seq/tied_rnn_seq2seq/gru_cell/candidate/bias:0", [5]],
    ],
    "ts_names": [
        "basic/basic_rnn_seq2seq/rnn_decoder/gru_cell/add_2:0",
        "tied/combined_tied_rnn_seq2seq/tied_rnn_seq2seq/gru_cell/add_6:0",
        "tied/combined_tied_rnn_seq2seq/tied_rnn_seq2seq/gru_cell/add_6:0",
        "Mean_3:0",
    ],
    "ts_losses": [
        [0.3441258668899536, 0.6979660987854004],
        [0.1893191784620285, 0.6003994941711426],
        [0.09941240400075912, 0.5099427103996277],
        [0.0795949175953865, 0.4224781095981598],
    ],
    "forecast": [
        [0.12556993961334229, 0.10449820756912231, 0.12224745750427246],
        [0.14001643657684326, 0.15306034684181213, 0.15581157803535461],
        [0.14802846312522888, 0.17689037322998047, 0.1716618835926056],
    ],
}


def test_legacy_seq2seq_chatbot_matches_tensorflow():
    close(program(tf), EXPECTED)
