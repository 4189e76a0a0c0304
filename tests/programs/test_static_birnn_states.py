"""Older RNN building blocks: static_bidirectional_rnn over unstacked steps with sequence lengths,
a peephole LSTMCell with a projection and concatenated (non-tuple) state, a non-tuple
MultiRNNCell of BasicRNNCell and GRUCell (orthogonal kernel), reverse_sequence, a
DeviceWrapper'd LSTMCell with cell_clip in dynamic_rnn (swap_memory, parallel_iterations), and
RMSProp with momentum.

The expected names and numbers were printed by the same program under TensorFlow 2.21
(``tensorflow.compat.v1`` with v2 behaviour disabled).
"""

import numpy as np

import scopeflow as tf
from tests.programs.compare import close


def program(tf, workdir):
    rng = np.random.RandomState(7)
    xs = rng.randn(3, 5, 4).astype(np.float32)
    lens = np.array([5, 3, 2], np.int32)
    g = tf.Graph()
    with g.as_default():
        tf.set_random_seed(4)
        x = tf.constant(xs)
        seq = tf.constant(lens)
        inputs = tf.unstack(x, axis=1)
        fw = tf.nn.rnn_cell.LSTMCell(
            6, use_peepholes=True, num_proj=3, state_is_tuple=False, forget_bias=0.5
        )
        bw = tf.nn.rnn_cell.MultiRNNCell(
            [
                tf.nn.rnn_cell.BasicRNNCell(4),
                tf.nn.rnn_cell.GRUCell(3, kernel_initializer=tf.orthogonal_initializer()),
            ],
            state_is_tuple=False,
        )
        outs, st_fw, st_bw = tf.nn.static_bidirectional_rnn(
            fw, bw, inputs, dtype=tf.float32, sequence_length=seq
        )
        stacked = tf.stack(outs, 1)
        rev = tf.reverse_sequence(x, seq, seq_axis=1, batch_axis=0)
        cell = tf.nn.rnn_cell.DeviceWrapper(tf.nn.rnn_cell.LSTMCell(5, cell_clip=1.0), "/cpu:0")
        dyn, dstate = tf.nn.dynamic_rnn(
            cell,
            rev,
            sequence_length=seq,
            dtype=tf.float32,
            swap_memory=True,
            parallel_iterations=2,
            scope="dyn",
        )
        loss = tf.reduce_sum(tf.square(stacked)) + tf.reduce_sum(dstate.h)
        train = tf.train.RMSPropOptimizer(0.01, momentum=0.5).minimize(loss)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            o, f, b, d = sess.run([stacked, st_fw, st_bw, dyn])
            losses = [float(sess.run([train, loss])[1]) for _ in range(3)]
        return {
            "vars": [[v.name, v.shape.as_list()] for v in tf.trainable_variables()],
            "shapes": [t.shape.as_list() for t in (stacked, st_fw, st_bw, dyn, dstate.c)],
            "names": [outs[0].name, st_fw.name, st_bw.name, dyn.name, dstate.h.name],
            "out": [float(v) for v in o[1, 2]] + [float(np.abs(o).sum())],
            "states": [float(np.abs(f).sum()), float(np.abs(b).sum()), float(np.abs(d).sum())],
            "losses": losses,
        }


EXPECTED = {
    "vars": [
        ["bidirectional_rnn/fw/lstm_cell/kernel:0", [7, 24]],
        ["bidirectional_rnn/fw/lstm_cell/bias:0", [24]],
        ["bidirectional_rnn/fw/lstm_cell/w_f_diag:0", [6]],
        ["bidirectional_rnn/fw/lstm_cell/w_i_diag:0", [6]],
        ["bidirectional_rnn/fw/lstm_cell/w_o_diag:0", [6]],
        ["bidirectional_rnn/fw/lstm_cell/projection/kernel:0", [6, 3]],
        ["bidirectional_rnn/bw/multi_rnn_cell/cell_0/basic_rnn_cell/kernel:0", [8, 4]],
        ["bidirectional_rnn/bw/multi_rnn_cell/cell_0/basic_rnn_cell/bias:0", [4]],
        ["bidirectional_rnn/bw/multi_rnn_cell/cell_1/gru_cell/gates/kernel:0", [7, 6]],
        ["bidirectional_rnn/bw/multi_rnn_cell/cell_1/gru_cell/gates/bias:0", [6]],
        ["bidirectional_rnn/bw/multi_rnn_cell/cell_1/gru_cell/candidate/kernel:0", [7, 3]],
        ["bidirectional_rnn/bw/multi_rnn_cell/cell_1/gru_cell/candidate/bias:0", [3]],
        ["dyn/lstm_cell/kernel:0", [9, 20]],
        ["dyn/lstm_cell/bias:0", [20]],
    ],
    "shapes": [[3, 5, 6], [3, 9], [3, 7], [3, 5, 5], [3, 5]],
    "names": [
        "concat:0",
        "bidirectional_rnn/fw/fw/cond_4/Merge_1:0",
        "bidirectional_rnn/bw/bw/cond_4/Merge_1:0",
        "dyn/transpose_1:0",
        "dyn/while/Exit_4:0",
    ],
    "out": [
        0.35394272208213806,
        0.3426322042942047,
        -0.2469654679298401,
        0.06723019480705261,
        -0.07193058729171753,
        0.017709726467728615,
        6.63182258605957,
    ],
    "states": [6.508281230926514, 7.246101379394531, 6.610984802246094],
    "losses": [1.81816828250885, 1.5569324493408203, 1.1952035427093506],
}


def test_static_birnn_states_matches_tensorflow(tmp_path):
    close(program(tf, tmp_path), EXPECTED)
