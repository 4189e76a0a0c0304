"""Recurrent models on tf.contrib.rnn as TF 1.x code wrote them: a tagger over
stack_bidirectional_dynamic_rnn of LayerNormBasicLSTMCells (recurrent dropout through a
keep-probability placeholder, fed 1.0), a language model on a MultiRNNCell of LSTMBlockCells
(forget_bias 0, cell clipping), an LSTMBlockFusedCell run time-major with lengths, and
GRUBlockCellV2, NASCell, CoupledInputForgetGateLSTMCell, UGRNNCell and IndyLSTMCell each under
dynamic_rnn; all trained together for three Adam steps.

The expected names and numbers were printed by the same program under TensorFlow 2.21
(``tensorflow.compat.v1`` with v2 behaviour disabled) running TF 1.15's tf.contrib.rnn Python
code (from the 1.15 wheel, its block cells on TF's own LSTMBlockCell/GRUBlockCell/BlockLSTM
kernels).
"""

import numpy as np

import scopeflow as tf
from tests.programs.compare import close


def program(tf):
    rng = np.random.RandomState(55)
    batch, steps, depth, units, vocab = 2, 4, 3, 4, 6
    xs = rng.randn(batch, steps, depth).astype(np.float32)
    lengths = np.array([4, 2], np.int32)
    ids = rng.randint(0, vocab, size=(batch, steps + 1)).astype(np.int32)
    g = tf.Graph()
    with g.as_default():
        tf.set_random_seed(56)
        x = tf.placeholder(tf.float32, [None, steps, depth], name="x")
        seq_len = tf.placeholder(tf.int32, [None], name="lengths")
        tokens = tf.placeholder(tf.int32, [None, steps + 1], name="tokens")
        keep = tf.placeholder_with_default(1.0, [], name="keep_prob")
        outs = {}
        with tf.variable_scope("tagger"):
            fw = [
                tf.contrib.rnn.LayerNormBasicLSTMCell(units, dropout_keep_prob=keep)
                for _ in range(2)
            ]
            bw = [
                tf.contrib.rnn.LayerNormBasicLSTMCell(units, dropout_keep_prob=keep)
                for _ in range(2)
            ]
            out, fw_states, bw_states = tf.contrib.rnn.stack_bidirectional_dynamic_rnn(
                fw, bw, x, sequence_length=seq_len, dtype=tf.float32
            )
            outs["tagger"] = out
        with tf.variable_scope("lm"):
            emb = tf.get_variable("embedding", [vocab, depth])
            inputs = tf.nn.embedding_lookup(emb, tokens[:, :-1])
            cell = tf.contrib.rnn.MultiRNNCell(
                [
                    tf.contrib.rnn.LSTMBlockCell(units, forget_bias=0.0, cell_clip=3.0)
                    for _ in range(2)
                ]
            )
            lm_out, lm_state = tf.nn.dynamic_rnn(cell, inputs, dtype=tf.float32)
            logits = tf.layers.dense(lm_out, vocab)
            lm_loss = tf.reduce_mean(
                tf.nn.sparse_softmax_cross_entropy_with_logits(labels=tokens[:, 1:], logits=logits)
            )
        with tf.variable_scope("fused"):
            fused = tf.contrib.rnn.LSTMBlockFusedCell(units)
            f_out, f_state = fused(
                tf.transpose(x, [1, 0, 2]), dtype=tf.float32, sequence_length=seq_len
            )
            outs["fused"] = f_out
        for name, make in [
            ("gru_block", lambda: tf.contrib.rnn.GRUBlockCellV2(units)),
            ("nas", lambda: tf.contrib.rnn.NASCell(units)),
            ("cifg", lambda: tf.contrib.rnn.CoupledInputForgetGateLSTMCell(units)),
            ("ugrnn", lambda: tf.contrib.rnn.UGRNNCell(units)),
            ("indy", lambda: tf.contrib.rnn.IndyLSTMCell(units)),
        ]:
            with tf.variable_scope(name):
                o, _ = tf.nn.dynamic_rnn(make(), x, sequence_length=seq_len, dtype=tf.float32)
                outs[name] = o
        total = lm_loss + tf.add_n([tf.reduce_mean(tf.square(o)) for o in outs.values()])
        train = tf.train.AdamOptimizer(0.05).minimize(total)
        feed = {x: xs, seq_len: lengths, tokens: ids}
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            losses = [float(sess.run([total, train], feed)[0]) for _ in range(3)]
            values = sess.run(outs, feed)
            lm_h = sess.run(lm_state[1].h, feed)
        return {
            "vars": [[v.name, v.shape.as_list()] for v in tf.trainable_variables()],
            # the fused cell's ops differ (a loop, not TF's one BlockLSTM op); its variables match
            "names": {k: v.name for k, v in sorted(outs.items()) if k != "fused"},
            "state_names": [fw_states[1].h.name, lm_state[1].c.name],
            "fused_shapes": [f_out.shape.as_list(), f_state.h.shape.as_list()],
            "losses": losses,
            "outputs": {k: v[0, 1].tolist() for k, v in sorted(values.items())},
            "lm_h": lm_h.tolist(),
        }


EXPECTED = {
    "vars": [
        [
            "tagger/stack_bidirectional_rnn/cell_0/bidirectional_rnn/fw/layer_norm_basic_lstm_cell/kernel:0",
            [7, 16],
        ],
        [
            "tagger/stack_bidirectional_rnn/cell_0/bidirectional_rnn/fw/layer_norm_basic_lstm_cell/input/gamma:0",
            [4],
        ],
        [
            "tagger/stack_bidirectional_rnn/cell_0/bidirectional_rnn/fw/layer_norm_basic_lstm_cell/input/beta:0",
            [4],
        ],
        [
            "tagger/stack_bidirectional_rnn/cell_0/bidirectional_rnn/fw/layer_norm_basic_lstm_cell/transform/gamma:0",
            [4],
        ],
        [
            "tagger/stack_bidirectional_rnn/cell_0/bidirectional_rnn/fw/layer_norm_basic_lstm_cell/transform/beta:0",
            [4],
        ],
        [
            "tagger/stack_bidirectional_rnn/cell_0/bidirectional_rnn/fw/layer_norm_basic_lstm_cell/forget/gamma:0",
            [4],
        ],
        [
            "tagger/stack_bidirectional_rnn/cell_0/bidirectional_rnn/fw/layer_norm_basic_lstm_cell/forget/beta:0",
            [4],
        ],
        [
            "tagger/stack_bidirectional_rnn/cell_0/bidirectional_rnn/fw/layer_norm_basic_lstm_cell/output/gamma:0",
            [4],
        ],
        [
            "tagger/stack_bidirectional_rnn/cell_0/bidirectional_rnn/fw/layer_norm_basic_lstm_cell/output/beta:0",
            [4],
        ],
        [
            "tagger/stack_bidirectional_rnn/cell_0/bidirectional_rnn/fw/layer_norm_basic_lstm_cell/state/gamma:0",
            [4],
        ],
        [
            "tagger/stack_bidirectional_rnn/cell_0/bidirectional_rnn/fw/layer_norm_basic_lstm_cell/state/beta:0",
            [4],
        ],
        [
            "tagger/stack_bidirectional_rnn/cell_0/bidirectional_rnn/bw/layer_norm_basic_lstm_cell/kernel:0",
            [7, 16],
        ],
        [
            "tagger/stack_bidirectional_rnn/cell_0/bidirectional_rnn/bw/layer_norm_basic_lstm_cell/input/gamma:0",
            [4],
        ],
        [
            "tagger/stack_bidirectional_rnn/cell_0/bidirectional_rnn/bw/layer_norm_basic_lstm_cell/input/beta:0",
            [4],
        ],
        [
            "tagger/stack_bidirectional_rnn/cell_0/bidirectional_rnn/bw/layer_norm_basic_lstm_cell/transform/gamma:0",
            [4],
        ],
        [
            "tagger/stack_bidirectional_rnn/cell_0/bidirectional_rnn/bw/layer_norm_basic_lstm_cell/transform/beta:0",
            [4],
        ],
        [
            "tagger/stack_bidirectional_rnn/cell_0/bidirectional_rnn/bw/layer_norm_basic_lstm_cell/forget/gamma:0",
            [4],
        ],
        [
            "tagger/stack_bidirectional_rnn/cell_0/bidirectional_rnn/bw/layer_norm_basic_lstm_cell/forget/beta:0",
            [4],
        ],
        [
            "tagger/stack_bidirectional_rnn/cell_0/bidirectional_rnn/bw/layer_norm_basic_lstm_cell/output/gamma:0",
            [4],
        ],
        [
            "tagger/stack_bidirectional_rnn/cell_0/bidirectional_rnn/bw/layer_norm_basic_lstm_cell/output/beta:0",
            [4],
        ],
        [
            "tagger/stack_bidirectional_rnn/cell_0/bidirectional_rnn/bw/layer_norm_basic_lstm_cell/state/gamma:0",
            [4],
        ],
        [
            "tagger/stack_bidirectional_rnn/cell_0/bidirectional_rnn/bw/layer_norm_basic_lstm_cell/state/beta:0",
            [4],
        ],
        [
            "tagger/stack_bidirectional_rnn/cell_1/bidirectional_rnn/fw/layer_norm_basic_lstm_cell/kernel:0",
            [12, 16],
        ],
        [
            "tagger/stack_bidirectional_rnn/cell_1/bidirectional_rnn/fw/layer_norm_basic_lstm_cell/input/gamma:0",
            [4],
        ],
        [
            "tagger/stack_bidirectional_rnn/cell_1/bidirectional_rnn/fw/layer_norm_basic_lstm_cell/input/beta:0",
            [4],
        ],
        [
            "tagger/stack_bidirectional_rnn/cell_1/bidirectional_rnn/fw/layer_norm_basic_lstm_cell/transform/gamma:0",
            [4],
        ],
        [
            "tagger/stack_bidirectional_rnn/cell_1/bidirectional_rnn/fw/layer_norm_basic_lstm_cell/transform/beta:0",
            [4],
        ],
        [
            "tagger/stack_bidirectional_rnn/cell_1/bidirectional_rnn/fw/layer_norm_basic_lstm_cell/forget/gamma:0",
            [4],
        ],
        [
            "tagger/stack_bidirectional_rnn/cell_1/bidirectional_rnn/fw/layer_norm_basic_lstm_cell/forget/beta:0",
            [4],
        ],
        [
            "tagger/stack_bidirectional_rnn/cell_1/bidirectional_rnn/fw/layer_norm_basic_lstm_cell/output/gamma:0",
            [4],
        ],
        [
            "tagger/stack_bidirectional_rnn/cell_1/bidirectional_rnn/fw/layer_norm_basic_lstm_cell/output/beta:0",
            [4],
        ],
        [
            "tagger/stack_bidirectional_rnn/cell_1/bidirectional_rnn/fw/layer_norm_basic_lstm_cell/state/gamma:0",
            [4],
        ],
        [
            "tagger/stack_bidirectional_rnn/cell_1/bidirectional_rnn/fw/layer_norm_basic_lstm_cell/state/beta:0",
            [4],
        ],
        [
            "tagger/stack_bidirectional_rnn/cell_1/bidirectional_rnn/bw/layer_norm_basic_lstm_cell/kernel:0",
            [12, 16],
        ],
        [
            "tagger/stack_bidirectional_rnn/cell_1/bidirectional_rnn/bw/layer_norm_basic_lstm_cell/input/gamma:0",
            [4],
        ],
        [
            "tagger/stack_bidirectional_rnn/cell_1/bidirectional_rnn/bw/layer_norm_basic_lstm_cell/input/beta:0",
            [4],
        ],
        [
            "tagger/stack_bidirectional_rnn/cell_1/bidirectional_rnn/bw/layer_norm_basic_lstm_cell/transform/gamma:0",
            [4],
        ],
        [
            "tagger/stack_bidirectional_rnn/cell_1/bidirectional_rnn/bw/layer_norm_basic_lstm_cell/transform/beta:0",
            [4],
        ],
        [
            "tagger/stack_bidirectional_rnn/cell_1/bidirectional_rnn/bw/layer_norm_basic_lstm_cell/forget/gamma:0",
            [4],
        ],
        [
            "tagger/stack_bidirectional_rnn/cell_1/bidirectional_rnn/bw/layer_norm_basic_lstm_cell/forget/beta:0",
            [4],
        ],
        [
            "tagger/stack_bidirectional_rnn/cell_1/bidirectional_rnn/bw/layer_norm_basic_lstm_cell/output/gamma:0",
            [4],
        ],
        [
            "tagger/stack_bidirectional_rnn/cell_1/bidirectional_rnn/bw/layer_norm_basic_lstm_cell/output/beta:0",
            [4],
        ],
        [
            "tagger/stack_bidirectional_rnn/cell_1/bidirectional_rnn/bw/layer_norm_basic_lstm_cell/state/gamma:0",
            [4],
        ],
        [
            "tagger/stack_bidirectional_rnn/cell_1/bidirectional_rnn/bw/layer_norm_basic_lstm_cell/state/beta:0",
            [4],
        ],
        ["lm/embedding:0", [6, 3]],
        ["lm/rnn/multi_rnn_cell/cell_0/lstm_cell/kernel:0", [7, 16]],
        ["lm/rnn/multi_rnn_cell/cell_0/lstm_cell/bias:0", [16]],
        ["lm/rnn/multi_rnn_cell/cell_1/lstm_cell/kernel:0", [8, 16]],
        ["lm/rnn/multi_rnn_cell/cell_1/lstm_cell/bias:0", [16]],
        ["lm/dense/kernel:0", [4, 6]],
        ["lm/dense/bias:0", [6]],
        ["fused/lstm_fused_cell/kernel:0", [7, 16]],
        ["fused/lstm_fused_cell/bias:0", [16]],
        ["gru_block/rnn/gru_cell/gates/kernel:0", [7, 8]],
        ["gru_block/rnn/gru_cell/gates/bias:0", [8]],
        ["gru_block/rnn/gru_cell/candidate/kernel:0", [7, 4]],
        ["gru_block/rnn/gru_cell/candidate/bias:0", [4]],
        ["nas/rnn/nas_cell/recurrent_kernel:0", [4, 32]],
        ["nas/rnn/nas_cell/kernel:0", [3, 32]],
        ["cifg/rnn/coupled_input_forget_gate_lstm_cell/W_0:0", [7, 12]],
        ["cifg/rnn/coupled_input_forget_gate_lstm_cell/B:0", [12]],
        ["ugrnn/rnn/ugrnn_cell/kernel:0", [7, 8]],
        ["ugrnn/rnn/ugrnn_cell/bias:0", [8]],
        ["indy/rnn/indy_lstm_cell/kernel_w:0", [3, 16]],
        ["indy/rnn/indy_lstm_cell/kernel_u:0", [1, 16]],
        ["indy/rnn/indy_lstm_cell/bias:0", [16]],
    ],
    "names": {
        "cifg": "cifg/rnn/transpose_1:0",
        "gru_block": "gru_block/rnn/transpose_1:0",
        "indy": "indy/rnn/transpose_1:0",
        "nas": "nas/rnn/transpose_1:0",
        "tagger": "tagger/stack_bidirectional_rnn/cell_1/concat:0",
        "ugrnn": "ugrnn/rnn/transpose_1:0",
    },
    "state_names": [
        "tagger/stack_bidirectional_rnn/cell_1/bidirectional_rnn/fw/fw/while/Exit_4:0",
        "lm/rnn/while/Exit_5:0",
    ],
    "fused_shapes": [[4, None, 4], [None, 4]],
    "losses": [1.998651385307312, 1.8863996267318726, 1.7936608791351318],
    "outputs": {
        "cifg": [
            -0.030623655766248703,
            0.007582455407828093,
            -0.0063756974413990974,
            0.04889626055955887,
        ],
        "fused": [
            -0.010685413144528866,
            -0.04142571613192558,
            -0.011139235459268093,
            -0.1067320927977562,
        ],
        "gru_block": [
            -0.025571584701538086,
            -0.04789985716342926,
            -0.05581912770867348,
            0.09934535622596741,
        ],
        "indy": [
            -0.04357185587286949,
            -0.006017537321895361,
            -0.01356005109846592,
            -0.05723969265818596,
        ],
        "nas": [
            0.018600981682538986,
            0.012790528126060963,
            0.004659129772335291,
            0.0221857912838459,
        ],
        "tagger": [
            0.1844269037246704,
            0.15585584938526154,
            0.03107987344264984,
            -0.21064352989196777,
            -0.15694795548915863,
            0.1006450429558754,
            -0.20438934862613678,
            0.20089711248874664,
        ],
        "ugrnn": [
            -0.1833997219800949,
            -0.07966002076864243,
            0.10547921806573868,
            0.09109733998775482,
        ],
    },
    "lm_h": [
        [0.13027307391166687, -0.19737188518047333, -0.12942825257778168, -0.010189349763095379],
        [0.11775962263345718, -0.14031817018985748, -0.09707332402467728, 0.0521569550037384],
    ],
}


def test_contrib_rnn_cells_match_tensorflow():
    close(program(tf), EXPECTED)
