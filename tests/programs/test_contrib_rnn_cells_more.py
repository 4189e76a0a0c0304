"""More of tf.contrib.rnn as TF 1.x code used it: AttentionCellWrapper (attn_length) over an
LSTMCell, HighwayWrapper, IntersectionRNNCell, SRUCell, IndRNNCell, IndyGRUCell,
LayerNormLSTMCell, GRUBlockCell, Conv2DLSTMCell over small frames, InputProjectionWrapper and
EmbeddingWrapper around core cells, stack_bidirectional_rnn over a list of steps, and
TimeReversedFusedRNN of a FusedRNNCellAdaptor; one Adam step over the sum of their outputs.

The expected names and numbers were printed by the same program under TensorFlow 2.21
(``tensorflow.compat.v1`` with v2 behaviour disabled) running TF 1.15's tf.contrib.rnn Python
code (from the 1.15 wheel).
"""

import numpy as np

import scopeflow as tf
from tests.programs.compare import close


def program(tf):
    rng = np.random.RandomState(1313)
    batch, steps, depth, units = 2, 3, 4, 4
    xs = rng.randn(batch, steps, depth).astype(np.float32)
    frames = rng.randn(batch, steps, 3, 3, 2).astype(np.float32)
    ids = rng.randint(0, 5, size=(batch, steps, 1)).astype(np.int32)
    lengths = np.array([3, 2], np.int32)
    g = tf.Graph()
    with g.as_default():
        tf.set_random_seed(1314)
        x = tf.constant(xs)
        outs = {}
        cells = {
            "attention": lambda: tf.contrib.rnn.AttentionCellWrapper(
                tf.nn.rnn_cell.LSTMCell(units), attn_length=2
            ),
            "highway": lambda: tf.contrib.rnn.HighwayWrapper(tf.nn.rnn_cell.GRUCell(depth)),
            "intersection": lambda: tf.contrib.rnn.IntersectionRNNCell(depth),
            "sru": lambda: tf.contrib.rnn.SRUCell(units),
            "indrnn": lambda: tf.contrib.rnn.IndRNNCell(units),
            "indygru": lambda: tf.contrib.rnn.IndyGRUCell(units),
            "layernorm_lstm": lambda: tf.contrib.rnn.LayerNormLSTMCell(units, use_peepholes=True),
            "gru_block": lambda: tf.contrib.rnn.GRUBlockCell(units),
            "input_projection": lambda: tf.contrib.rnn.InputProjectionWrapper(
                tf.nn.rnn_cell.GRUCell(units), 3
            ),
        }
        for name, make in cells.items():
            with tf.variable_scope(name):
                o, _ = tf.nn.dynamic_rnn(make(), x, sequence_length=lengths, dtype=tf.float32)
                outs[name] = o
        with tf.variable_scope("embedding_wrapper"):
            cell = tf.contrib.rnn.EmbeddingWrapper(tf.nn.rnn_cell.GRUCell(units), 5, 3)
            o, _ = tf.nn.dynamic_rnn(cell, tf.constant(ids), dtype=tf.float32)
            outs["embedding"] = o
        with tf.variable_scope("convlstm"):
            cell = tf.contrib.rnn.Conv2DLSTMCell(
                input_shape=[3, 3, 2], output_channels=2, kernel_shape=[2, 2]
            )
            o, _ = tf.nn.dynamic_rnn(cell, tf.constant(frames), dtype=tf.float32)
            outs["convlstm"] = o
        with tf.variable_scope("stacked"):
            steps_list = tf.unstack(x, axis=1)
            o, _, _ = tf.contrib.rnn.stack_bidirectional_rnn(
                [tf.nn.rnn_cell.GRUCell(3)],
                [tf.nn.rnn_cell.GRUCell(3)],
                steps_list,
                dtype=tf.float32,
                sequence_length=lengths,
            )
            outs["stack_static"] = tf.stack(o, 1)
        with tf.variable_scope("reversed"):
            fused = tf.contrib.rnn.TimeReversedFusedRNN(
                tf.contrib.rnn.FusedRNNCellAdaptor(
                    tf.nn.rnn_cell.GRUCell(units), use_dynamic_rnn=True
                )
            )
            o, _ = fused(tf.transpose(x, [1, 0, 2]), dtype=tf.float32, sequence_length=lengths)
            outs["reversed"] = o
        total = tf.add_n([tf.reduce_mean(tf.square(o)) for o in outs.values()])
        train = tf.train.AdamOptimizer(0.05).minimize(total)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            before = float(sess.run(total))
            sess.run(train)
            after = float(sess.run(total))
            values = sess.run(outs)
        return {
            "vars": [[v.name, v.shape.as_list()] for v in tf.trainable_variables()],
            "names": {k: v.name for k, v in sorted(outs.items())},
            "losses": [before, after],
            "outputs": {
                k: np.asarray(v).reshape(batch, steps, -1)[0, -1].tolist()
                for k, v in sorted(values.items())
                if k != "reversed"
            },
            "reversed": values["reversed"][:, 1].tolist(),
        }


EXPECTED = {
    "vars": [
        ["attention/rnn/attention_cell_wrapper/kernel:0", [8, 4]],
        ["attention/rnn/attention_cell_wrapper/bias:0", [4]],
        ["attention/rnn/attention_cell_wrapper/lstm_cell/kernel:0", [8, 16]],
        ["attention/rnn/attention_cell_wrapper/lstm_cell/bias:0", [16]],
        ["attention/rnn/attention_cell_wrapper/attention/attn_w:0", [1, 1, 4, 4]],
        ["attention/rnn/attention_cell_wrapper/attention/attn_v:0", [4]],
        ["attention/rnn/attention_cell_wrapper/attention/kernel:0", [8, 4]],
        ["attention/rnn/attention_cell_wrapper/attention/bias:0", [4]],
        ["attention/rnn/attention_cell_wrapper/attn_output_projection/kernel:0", [8, 4]],
        ["attention/rnn/attention_cell_wrapper/attn_output_projection/bias:0", [4]],
        ["highway/rnn/gru_cell/gates/kernel:0", [8, 8]],
        ["highway/rnn/gru_cell/gates/bias:0", [8]],
        ["highway/rnn/gru_cell/candidate/kernel:0", [8, 4]],
        ["highway/rnn/gru_cell/candidate/bias:0", [4]],
        ["highway/rnn/carry_w:0", [4, 4]],
        ["highway/rnn/carry_b:0", [4]],
        ["intersection/rnn/intersection_rnn_cell/kernel:0", [8, 16]],
        ["intersection/rnn/intersection_rnn_cell/bias:0", [16]],
        ["sru/rnn/sru_cell/kernel:0", [4, 16]],
        ["sru/rnn/sru_cell/bias:0", [8]],
        ["indrnn/rnn/ind_rnn_cell/kernel_w:0", [4, 4]],
        ["indrnn/rnn/ind_rnn_cell/kernel_u:0", [1, 4]],
        ["indrnn/rnn/ind_rnn_cell/bias:0", [4]],
        ["indygru/rnn/indy_gru_cell/gates/kernel_w:0", [4, 8]],
        ["indygru/rnn/indy_gru_cell/gates/kernel_u:0", [1, 8]],
        ["indygru/rnn/indy_gru_cell/gates/bias:0", [8]],
        ["indygru/rnn/indy_gru_cell/candidate/kernel:0", [4, 4]],
        ["indygru/rnn/indy_gru_cell/candidate/kernel_u:0", [1, 4]],
        ["indygru/rnn/indy_gru_cell/candidate/bias:0", [4]],
        ["layernorm_lstm/rnn/layer_norm_lstm_cell/kernel:0", [8, 16]],
        ["layernorm_lstm/rnn/layer_norm_lstm_cell/bias:0", [16]],
        ["layernorm_lstm/rnn/layer_norm_lstm_cell/w_f_diag:0", [4]],
        ["layernorm_lstm/rnn/layer_norm_lstm_cell/w_i_diag:0", [4]],
        ["layernorm_lstm/rnn/layer_norm_lstm_cell/w_o_diag:0", [4]],
        ["gru_block/rnn/gru_cell/w_ru:0", [8, 8]],
        ["gru_block/rnn/gru_cell/b_ru:0", [8]],
        ["gru_block/rnn/gru_cell/w_c:0", [8, 4]],
        ["gru_block/rnn/gru_cell/b_c:0", [4]],
        ["input_projection/rnn/input_projection_wrapper/kernel:0", [4, 3]],
        ["input_projection/rnn/input_projection_wrapper/bias:0", [3]],
        ["input_projection/rnn/input_projection_wrapper/gru_cell/gates/kernel:0", [7, 8]],
        ["input_projection/rnn/input_projection_wrapper/gru_cell/gates/bias:0", [8]],
        ["input_projection/rnn/input_projection_wrapper/gru_cell/candidate/kernel:0", [7, 4]],
        ["input_projection/rnn/input_projection_wrapper/gru_cell/candidate/bias:0", [4]],
        ["embedding_wrapper/rnn/embedding_wrapper/embedding:0", [5, 3]],
        ["embedding_wrapper/rnn/embedding_wrapper/gru_cell/gates/kernel:0", [7, 8]],
        ["embedding_wrapper/rnn/embedding_wrapper/gru_cell/gates/bias:0", [8]],
        ["embedding_wrapper/rnn/embedding_wrapper/gru_cell/candidate/kernel:0", [7, 4]],
        ["embedding_wrapper/rnn/embedding_wrapper/gru_cell/candidate/bias:0", [4]],
        ["convlstm/rnn/conv_2d_lstm_cell/kernel:0", [2, 2, 4, 8]],
        ["convlstm/rnn/conv_2d_lstm_cell/biases:0", [8]],
        ["stacked/stack_bidirectional_rnn/cell_0/fw/gru_cell/gates/kernel:0", [7, 6]],
        ["stacked/stack_bidirectional_rnn/cell_0/fw/gru_cell/gates/bias:0", [6]],
        ["stacked/stack_bidirectional_rnn/cell_0/fw/gru_cell/candidate/kernel:0", [7, 3]],
        ["stacked/stack_bidirectional_rnn/cell_0/fw/gru_cell/candidate/bias:0", [3]],
        ["stacked/stack_bidirectional_rnn/cell_0/bw/gru_cell/gates/kernel:0", [7, 6]],
        ["stacked/stack_bidirectional_rnn/cell_0/bw/gru_cell/gates/bias:0", [6]],
        ["stacked/stack_bidirectional_rnn/cell_0/bw/gru_cell/candidate/kernel:0", [7, 3]],
        ["stacked/stack_bidirectional_rnn/cell_0/bw/gru_cell/candidate/bias:0", [3]],
        ["reversed/rnn/gru_cell/gates/kernel:0", [8, 8]],
        ["reversed/rnn/gru_cell/gates/bias:0", [8]],
        ["reversed/rnn/gru_cell/candidate/kernel:0", [8, 4]],
        ["reversed/rnn/gru_cell/candidate/bias:0", [4]],
    ],
    "names": {
        "attention": "attention/rnn/transpose_1:0",
        "convlstm": "convlstm/rnn/transpose_1:0",
        "embedding": "embedding_wrapper/rnn/transpose_1:0",
        "gru_block": "gru_block/rnn/transpose_1:0",
        "highway": "highway/rnn/transpose_1:0",
        "indrnn": "indrnn/rnn/transpose_1:0",
        "indygru": "indygru/rnn/transpose_1:0",
        "input_projection": "input_projection/rnn/transpose_1:0",
        "intersection": "intersection/rnn/transpose_1:0",
        "layernorm_lstm": "layernorm_lstm/rnn/transpose_1:0",
        "reversed": "reversed/ReverseSequence_1:0",
        "sru": "sru/rnn/transpose_1:0",
        "stack_static": "stacked/stack:0",
    },
    "losses": [1.1403571367263794, 0.8858392834663391],
    "outputs": {
        "attention": [
            0.11976862698793411,
            -0.023955315351486206,
            -0.04166144132614136,
            0.1035672277212143,
        ],
        "convlstm": [
            0.08156175911426544,
            -0.055817410349845886,
            0.07909385859966278,
            -0.0111185098066926,
            -0.0287148579955101,
            0.05587323009967804,
            -0.16686443984508514,
            0.071445532143116,
            -0.01657121814787388,
            -0.023461269214749336,
            -0.08628182858228683,
            0.021961744874715805,
            -0.09112296253442764,
            0.15860892832279205,
            -0.05544253811240196,
            -0.012717836536467075,
            -0.05336664989590645,
            0.02932698465883732,
        ],
        "embedding": [
            0.24872785806655884,
            -0.05384589359164238,
            0.02535191923379898,
            0.1205608993768692,
        ],
        "gru_block": [
            0.015702977776527405,
            0.15852734446525574,
            -0.007983967661857605,
            -0.1383378505706787,
        ],
        "highway": [
            0.5789980888366699,
            -0.12271171063184738,
            0.24317163228988647,
            0.9757978916168213,
        ],
        "indrnn": [
            -0.06190367788076401,
            0.5451355576515198,
            0.8676877617835999,
            -0.9221305847167969,
        ],
        "indygru": [
            0.40735259652137756,
            -0.04720248281955719,
            -0.3050869107246399,
            -0.20115971565246582,
        ],
        "input_projection": [
            -0.1740560382604599,
            0.1957036852836609,
            -0.20881541073322296,
            0.010164417326450348,
        ],
        "intersection": [
            0.8806576728820801,
            -0.30508536100387573,
            0.32045218348503113,
            0.6419665813446045,
        ],
        "layernorm_lstm": [
            -0.004613671917468309,
            -0.09404435008764267,
            -0.07770593464374542,
            0.030664537101984024,
        ],
        "sru": [
            -0.004686292260885239,
            -0.5317662954330444,
            -0.33185145258903503,
            0.10266637802124023,
        ],
        "stack_static": [
            0.03963324800133705,
            0.00500183692201972,
            -0.23791782557964325,
            0.0013854317367076874,
            0.07787840068340302,
            -0.30904853343963623,
        ],
    },
    "reversed": [
        [0.1157643049955368, 0.11805079877376556, 0.15977883338928223, 0.1410449594259262],
        [0.06768514961004257, 0.14276526868343353, 0.09447459876537323, 0.01594713144004345],
        [0.0, 0.0, 0.0, 0.0],
    ],
}


def test_contrib_rnn_cells_more_match_tensorflow():
    close(program(tf), EXPECTED)
