"""A time-major bidirectional_dynamic_rnn of peephole LSTMCells (cell_clip, glorot initializer)
wrapped in ResidualWrapper and variational DropoutWrapper (keep probability through
placeholder_with_default), masked additive attention over time with tensordot, sequence_mask
and tf.where, trained with Adadelta.

The expected names and numbers were printed by the same program under TensorFlow 2.21
(``tensorflow.compat.v1`` with v2 behaviour disabled).
"""

import numpy as np

import scopeflow as tf
from tests.programs.compare import close


def program(tf, workdir):
    rng = np.random.RandomState(50)
    T, B, D = 5, 3, 4
    xs = rng.rand(T, B, D).astype(np.float32)
    lens = np.array([5, 2, 4], np.int32)
    labels = np.array([0, 2, 1], np.int32)
    g = tf.Graph()
    with g.as_default():
        tf.set_random_seed(12)
        x = tf.placeholder(tf.float32, [T, None, D], name="x_time_major")
        seq = tf.placeholder(tf.int32, [None], name="seq")
        y = tf.placeholder(tf.int32, [None], name="y")
        keep = tf.placeholder_with_default(1.0, [], name="keep")

        def make(name):
            cell = tf.nn.rnn_cell.LSTMCell(
                4,
                use_peepholes=True,
                cell_clip=3.0,
                initializer=tf.glorot_uniform_initializer(),
                name=name,
            )
            cell = tf.nn.rnn_cell.ResidualWrapper(cell)
            return tf.nn.rnn_cell.DropoutWrapper(
                cell,
                output_keep_prob=keep,
                state_keep_prob=keep,
                variational_recurrent=True,
                dtype=tf.float32,
                input_size=D,
                seed=4,
            )

        (fw, bw), (sf, sb) = tf.nn.bidirectional_dynamic_rnn(
            make("fw"), make("bw"), x, sequence_length=seq, time_major=True, dtype=tf.float32
        )
        both = tf.concat([fw, bw], 2)
        last = tf.concat([sf.h, sb.h], 1)
        attn_w = tf.get_variable("attn", [8, 1])
        scores = tf.squeeze(tf.tensordot(both, attn_w, axes=1), 2)
        mask = tf.transpose(tf.sequence_mask(seq, T))
        scores = tf.where(mask, scores, tf.fill(tf.shape(scores), -1e9))
        alpha = tf.nn.softmax(scores, axis=0)
        ctx = tf.reduce_sum(both * alpha[:, :, None], 0)
        logits = tf.layers.dense(tf.concat([ctx, last], 1), 3, name="cls")
        loss = tf.reduce_mean(
            tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits)
        )
        train = tf.train.AdadeltaOptimizer(1.0).minimize(loss)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            feed = {x: xs, seq: lens, y: labels}
            losses = [float(sess.run([train, loss], feed)[1]) for _ in range(4)]
            drop_loss = float(sess.run(loss, {**feed, keep: 0.7}))
            av, lv = sess.run([alpha, last], feed)
    return {
        "vars": [[v.name, v.shape.as_list()] for v in g.get_collection("trainable_variables")],
        "names": [
            fw.name,
            bw.name,
            sf.c.name,
            sb.h.name,
            scores.name,
            alpha.name,
            ctx.name,
            loss.name,
        ],
        "losses": losses,
        "drop_loss": drop_loss,
        "alpha": [round(float(v), 5) for v in av[:, 1]],
        "last": [round(float(v), 5) for v in lv[0]],
    }


EXPECTED = {
    "vars": [
        ["bidirectional_rnn/fw/fw/kernel:0", [8, 16]],
        ["bidirectional_rnn/fw/fw/bias:0", [16]],
        ["bidirectional_rnn/fw/fw/w_f_diag:0", [4]],
        ["bidirectional_rnn/fw/fw/w_i_diag:0", [4]],
        ["bidirectional_rnn/fw/fw/w_o_diag:0", [4]],
        ["bidirectional_rnn/bw/bw/kernel:0", [8, 16]],
        ["bidirectional_rnn/bw/bw/bias:0", [16]],
        ["bidirectional_rnn/bw/bw/w_f_diag:0", [4]],
        ["bidirectional_rnn/bw/bw/w_i_diag:0", [4]],
        ["bidirectional_rnn/bw/bw/w_o_diag:0", [4]],
        ["attn:0", [8, 1]],
        ["cls/kernel:0", [16, 3]],
        ["cls/bias:0", [3]],
    ],
    "names": [
        "bidirectional_rnn/fw/fw/TensorArrayStack/TensorArrayGatherV3:0",
        "ReverseSequence:0",
        "bidirectional_rnn/fw/fw/while/Exit_3:0",
        "bidirectional_rnn/bw/bw/while/Exit_4:0",
        "Select:0",
        "transpose_2:0",
        "Sum:0",
        "Mean:0",
    ],
    "losses": [1.253098487854004, 1.2504730224609375, 1.2478352785110474, 1.2451987266540527],
    "drop_loss": 1.1037958860397339,
    "alpha": [0.45278, 0.54722, 0.0, 0.0, 0.0],
    "last": [0.2215, -0.06614, -0.14968, -0.18406, 0.1671, -0.14113, -0.10199, -0.30321],
}


def test_attention_birnn_matches_tensorflow(tmp_path):
    close(program(tf, tmp_path), EXPECTED)
