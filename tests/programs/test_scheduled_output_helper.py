"""Continuous-output scheduled sampling on tf.contrib.seq2seq as TF1 motion and speech models
used it: ScheduledOutputTrainingHelper with a sampling probability fed from a placeholder, a
seed, a next_inputs_fn and auxiliary inputs concatenated to each step's input; CustomHelper
for free-running inference; an OutputProjectionWrapper'd LSTM under BasicDecoder and
dynamic_decode(impute_finished=True); an MSE trained two steps.

The expected names and numbers were printed by the same program under TensorFlow 2.21
(``tensorflow.compat.v1`` with v2 behaviour disabled) running TF 1.15's tf.contrib.seq2seq
Python code (from the 1.15 wheel).
"""

import numpy as np

import scopeflow as tf
from tests.programs.compare import close


def program(tf):
    rng = np.random.RandomState(1414)
    batch, steps, dim, aux_dim, units = 3, 4, 2, 1, 5
    frames = rng.randn(batch, steps, dim).astype(np.float32)
    aux = rng.randn(batch, steps, aux_dim).astype(np.float32)
    lengths = np.array([4, 3, 2], np.int32)
    g = tf.Graph()
    with g.as_default():
        tf.set_random_seed(1415)
        inputs = tf.placeholder(tf.float32, [None, None, dim], name="frames")
        aux_in = tf.placeholder(tf.float32, [None, None, aux_dim], name="aux")
        seq_len = tf.placeholder(tf.int32, [None], name="lengths")
        prob = tf.placeholder_with_default(0.0, [], name="sampling_probability")
        batch_size = tf.shape(inputs)[0]
        with tf.variable_scope("decoder"):
            cell = tf.contrib.rnn.OutputProjectionWrapper(tf.nn.rnn_cell.LSTMCell(units), dim)
            helper = tf.contrib.seq2seq.ScheduledOutputTrainingHelper(
                inputs,
                seq_len,
                prob,
                seed=7,
                next_inputs_fn=tf.tanh,
                auxiliary_inputs=aux_in,
            )
            out, _, out_len = tf.contrib.seq2seq.dynamic_decode(
                tf.contrib.seq2seq.BasicDecoder(
                    cell, helper, cell.zero_state(batch_size, tf.float32)
                ),
                impute_finished=True,
            )
        mask = tf.sequence_mask(seq_len, tf.shape(inputs)[1], dtype=tf.float32)[..., None]
        loss = tf.reduce_sum(tf.square(out.rnn_output - inputs) * mask) / tf.reduce_sum(mask)
        train = tf.train.AdamOptimizer(0.05).minimize(loss)
        with tf.variable_scope("decoder", reuse=True):
            free = tf.contrib.seq2seq.CustomHelper(
                initialize_fn=lambda: (
                    tf.tile([False], [batch_size]),
                    tf.zeros([batch_size, dim + aux_dim]),
                ),
                sample_fn=lambda time, outputs, state: tf.zeros([batch_size], tf.int32),
                next_inputs_fn=lambda time, outputs, state, sample_ids: (
                    tf.tile([False], [batch_size]),
                    tf.concat([outputs, tf.ones([batch_size, aux_dim])], 1),
                    state,
                ),
            )
            cell2 = tf.contrib.rnn.OutputProjectionWrapper(tf.nn.rnn_cell.LSTMCell(units), dim)
            gen, _, gen_len = tf.contrib.seq2seq.dynamic_decode(
                tf.contrib.seq2seq.BasicDecoder(
                    cell2, free, cell2.zero_state(batch_size, tf.float32)
                ),
                maximum_iterations=3,
            )
        feed = {inputs: frames, aux_in: aux, seq_len: lengths}
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            losses = [float(sess.run([loss, train], {**feed, prob: 0.5})[0]) for _ in range(2)]
            sampled = sess.run(out.sample_id, {**feed, prob: 0.5})
            teacher = sess.run(out.rnn_output, feed)
            generated, g_len = sess.run([gen.rnn_output, gen_len], feed)
        return {
            "vars": [[v.name, v.shape.as_list()] for v in tf.trainable_variables()],
            "names": [out.rnn_output.name, out.sample_id.name, loss.name, gen.rnn_output.name],
            "losses": losses,
            "sampled": sampled.astype(int).tolist(),
            "teacher": teacher[0].tolist(),
            "generated": generated[1].tolist(),
            "gen_len": g_len.tolist(),
        }


EXPECTED = {
    "vars": [
        ["decoder/decoder/output_projection_wrapper/lstm_cell/kernel:0", [8, 20]],
        ["decoder/decoder/output_projection_wrapper/lstm_cell/bias:0", [20]],
        ["decoder/decoder/output_projection_wrapper/kernel:0", [5, 2]],
        ["decoder/decoder/output_projection_wrapper/bias:0", [2]],
    ],
    "names": [
        "decoder/decoder/transpose:0",
        "decoder/decoder/transpose_1:0",
        "truediv:0",
        "decoder_1/decoder/transpose:0",
    ],
    "losses": [1.3305833339691162, 1.0648515224456787],
    "sampled": [[0, 1, 0, 1], [0, 1, 0, 0], [1, 1, 0, 0]],
    "teacher": [
        [-0.14728491008281708, -0.17672677338123322],
        [0.13915488123893738, -0.34301474690437317],
        [0.26813793182373047, -0.4170760214328766],
        [0.4512629806995392, -0.12461170554161072],
    ],
    "generated": [
        [-0.03549344837665558, -0.15244320034980774],
        [0.0039041340351104736, -0.25867632031440735],
        [0.04208484664559364, -0.29713767766952515],
    ],
    "gen_len": [3, 3, 3],
}


def test_scheduled_output_helper_matches_tensorflow():
    close(program(tf), EXPECTED)
