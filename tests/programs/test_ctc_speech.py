"""A speech-recognition style model: a MultiRNNCell of LSTMCells over variable-length frames,
time-major logits, ctc_loss, Momentum, the greedy and beam-search CTC decoders and the label
error rate through edit_distance.

The expected names and numbers were printed by the same program under TensorFlow 2.21
(``tensorflow.compat.v1`` with v2 behaviour disabled).
"""

import numpy as np

import scopeflow as tf
from tests.programs.compare import close


def program(tf):
    rng = np.random.RandomState(19)
    batch, frames, feats, classes = 2, 6, 3, 4
    xs = rng.randn(batch, frames, feats).astype(np.float32)
    seq_len = np.array([6, 5], np.int32)
    label_idx = [[0, 0], [0, 1], [1, 0], [1, 1], [1, 2]]
    label_val = [1, 2, 2, 1, 2]
    g = tf.Graph()
    with g.as_default():
        tf.set_random_seed(29)
        inputs = tf.placeholder(tf.float32, [None, None, feats], name="inputs")
        lengths = tf.placeholder(tf.int32, [None], name="seq_len")
        targets = tf.sparse_placeholder(tf.int32, name="targets")
        cells = [tf.nn.rnn_cell.LSTMCell(4, state_is_tuple=True) for _ in range(2)]
        stack = tf.nn.rnn_cell.MultiRNNCell(cells, state_is_tuple=True)
        outputs, _ = tf.nn.dynamic_rnn(stack, inputs, lengths, dtype=tf.float32)
        shape = tf.shape(inputs)
        flat = tf.reshape(outputs, [-1, 4])
        W = tf.Variable(tf.truncated_normal([4, classes], stddev=0.1), name="W")
        b = tf.Variable(tf.constant(0.0, shape=[classes]), name="b")
        logits = tf.reshape(tf.matmul(flat, W) + b, [shape[0], -1, classes])
        logits = tf.transpose(logits, (1, 0, 2))
        loss = tf.reduce_mean(tf.nn.ctc_loss(targets, logits, lengths))
        train = tf.train.MomentumOptimizer(0.1, 0.9).minimize(loss)
        decoded, log_prob = tf.nn.ctc_greedy_decoder(logits, lengths)
        beam, beam_prob = tf.nn.ctc_beam_search_decoder(logits, lengths, beam_width=3, top_paths=1)
        ler = tf.reduce_mean(tf.edit_distance(tf.cast(decoded[0], tf.int32), targets))
        feed = {
            inputs: xs,
            lengths: seq_len,
            targets: tf.SparseTensorValue(label_idx, label_val, [2, 3]),
        }
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            out = []
            for _ in range(3):
                lv, _, er = sess.run([loss, train, ler], feed)
                out.append([float(lv), float(er)])
            d, lp, bd, bp = sess.run([decoded[0], log_prob, beam[0], beam_prob], feed)
        return {
            "vars": [[v.name, v.shape.as_list()] for v in tf.global_variables()],
            "names": [
                outputs.name,
                loss.name,
                decoded[0].values.name,
                log_prob.name,
                beam[0].indices.name,
                ler.name,
            ],
            "steps": out,
            "greedy": [d.indices.tolist(), d.values.tolist()],
            "greedy_prob": [float(v) for v in lp.ravel()],
            "beam": [bd.indices.tolist(), bd.values.tolist()],
            "beam_prob": [float(v) for v in bp.ravel()],
        }


EXPECTED = {
    "vars": [
        ["rnn/multi_rnn_cell/cell_0/lstm_cell/kernel:0", [7, 16]],
        ["rnn/multi_rnn_cell/cell_0/lstm_cell/bias:0", [16]],
        ["rnn/multi_rnn_cell/cell_1/lstm_cell/kernel:0", [8, 16]],
        ["rnn/multi_rnn_cell/cell_1/lstm_cell/bias:0", [16]],
        ["W:0", [4, 4]],
        ["b:0", [4]],
        ["rnn/multi_rnn_cell/cell_0/lstm_cell/kernel/Momentum:0", [7, 16]],
        ["rnn/multi_rnn_cell/cell_0/lstm_cell/bias/Momentum:0", [16]],
        ["rnn/multi_rnn_cell/cell_1/lstm_cell/kernel/Momentum:0", [8, 16]],
        ["rnn/multi_rnn_cell/cell_1/lstm_cell/bias/Momentum:0", [16]],
        ["W/Momentum:0", [4, 4]],
        ["b/Momentum:0", [4]],
    ],
    "names": [
        "rnn/transpose_1:0",
        "Mean:0",
        "CTCGreedyDecoder:1",
        "CTCGreedyDecoder:3",
        "CTCBeamSearchDecoder:0",
        "Mean_1:0",
    ],
    "steps": [
        [3.843154191970825, 0.5833333730697632],
        [3.5817227363586426, 0.5833333730697632],
        [3.1997480392456055, 0.5833333730697632],
    ],
    "greedy": [[[0, 0], [1, 0]], [2, 2]],
    "greedy_prob": [-2.5372438430786133, -2.0958433151245117],
    "beam": [[[0, 0], [0, 1], [1, 0], [1, 1]], [2, 1, 1, 2]],
    "beam_prob": [-3.6155505180358887, -2.921766996383667],
}


def test_ctc_speech_matches_tensorflow():
    close(program(tf), EXPECTED)
