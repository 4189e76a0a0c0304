"""Beam search with attention as summarization models ran it on tf.contrib.seq2seq:
tile_batch of memory, lengths and an LSTM encoder state, an AttentionWrapper with
alignment_history whose TensorArrays the BeamSearchDecoder reorders with the beams
(reorder_tensor_arrays), a coverage penalty and a length penalty, an embedding given as a
callable, dynamic_decode with maximum_iterations; the predicted ids, parent ids, scores,
final log-probabilities, state lengths and the reordered alignment history.

The expected names and numbers were printed by the same program under TensorFlow 2.21
(``tensorflow.compat.v1`` with v2 behaviour disabled) running TF 1.15's tf.contrib.seq2seq
Python code (from the 1.15 wheel; GatherTree by a NumPy py_func).
"""

import numpy as np

import scopeflow as tf
from tests.programs.compare import close


def program(tf):
    rng = np.random.RandomState(1212)
    batch, src_len, vocab, units, beam = 2, 4, 7, 5, 3
    src = rng.randint(3, vocab, size=(batch, src_len)).astype(np.int32)
    src_lengths = np.array([4, 2], np.int32)
    g = tf.Graph()
    with g.as_default():
        tf.set_random_seed(1213)
        source = tf.placeholder(tf.int32, [None, None], name="source")
        source_len = tf.placeholder(tf.int32, [None], name="source_length")
        embedding = tf.get_variable("embedding", [vocab, units])
        with tf.variable_scope("encoder"):
            enc_out, enc_state = tf.nn.dynamic_rnn(
                tf.nn.rnn_cell.LSTMCell(units),
                tf.nn.embedding_lookup(embedding, source),
                sequence_length=source_len,
                dtype=tf.float32,
            )
        batch_size = tf.shape(source)[0]
        with tf.variable_scope("decoder"):
            memory = tf.contrib.seq2seq.tile_batch(enc_out, beam)
            memory_len = tf.contrib.seq2seq.tile_batch(source_len, beam)
            state = tf.contrib.seq2seq.tile_batch(enc_state, beam)
            mechanism = tf.contrib.seq2seq.BahdanauAttention(units, memory, memory_len)
            cell = tf.contrib.seq2seq.AttentionWrapper(
                tf.nn.rnn_cell.LSTMCell(units),
                mechanism,
                attention_layer_size=units,
                alignment_history=True,
            )
            init = cell.zero_state(batch_size * beam, tf.float32).clone(cell_state=state)
            decoder = tf.contrib.seq2seq.BeamSearchDecoder(
                cell,
                lambda ids: tf.nn.embedding_lookup(embedding, ids),
                tf.fill([batch_size], 1),
                2,
                init,
                beam,
                output_layer=tf.layers.Dense(vocab, name="projection"),
                length_penalty_weight=0.5,
                coverage_penalty_weight=0.2,
                reorder_tensor_arrays=True,
            )
            out, final, lengths = tf.contrib.seq2seq.dynamic_decode(decoder, maximum_iterations=5)
        history = final.cell_state.alignment_history  # a tensor: the beams reordered
        feed = {source: src, source_len: src_lengths}
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            ids, parents, scores, log_probs, state_len, hist, steps = sess.run(
                [
                    out.predicted_ids,
                    out.beam_search_decoder_output.parent_ids,
                    out.beam_search_decoder_output.scores,
                    final.log_probs,
                    final.lengths,
                    history,
                    lengths,
                ],
                feed,
            )
        return {
            "vars": [[v.name, v.shape.as_list()] for v in tf.trainable_variables()],
            "names": [
                out.beam_search_decoder_output.scores.name,
                final.log_probs.name,
                history.name,
                lengths.name,
            ],
            "static": [out.predicted_ids.shape.as_list(), history.shape.as_list()],
            "ids": ids.tolist(),
            "parents": parents.tolist(),
            "scores": scores[:, :, 0].tolist(),
            "log_probs": log_probs.tolist(),
            "state_lengths": state_len.tolist(),
            "steps": steps.tolist(),
            "history": hist[:, 0].tolist(),
        }


EXPECTED = {
    "vars": [
        ["embedding:0", [7, 5]],
        ["encoder/rnn/lstm_cell/kernel:0", [10, 20]],
        ["encoder/rnn/lstm_cell/bias:0", [20]],
        ["decoder/memory_layer/kernel:0", [5, 5]],
        ["decoder/decoder/attention_wrapper/lstm_cell/kernel:0", [15, 20]],
        ["decoder/decoder/attention_wrapper/lstm_cell/bias:0", [20]],
        ["decoder/decoder/attention_wrapper/bahdanau_attention/query_layer/kernel:0", [5, 5]],
        ["decoder/decoder/attention_wrapper/bahdanau_attention/attention_v:0", [5]],
        ["decoder/decoder/attention_wrapper/attention_layer/kernel:0", [10, 5]],
        ["decoder/decoder/projection/kernel:0", [5, 7]],
        ["decoder/decoder/projection/bias:0", [7]],
    ],
    "names": [
        "decoder/decoder/transpose_3:0",
        "decoder/decoder/while/Exit_12:0",
        "decoder/decoder/Reshape_3:0",
        "decoder/decoder/while/Exit_18:0",
    ],
    "static": [[None, None, 3], [None, None, None]],
    "ids": [
        [[5, 5, 5], [5, 5, 5], [5, 5, 5], [1, 5, 5], [5, 6, 1]],
        [[0, 4, 0], [0, 0, 0], [0, 0, 4], [0, 0, 0], [0, 0, 0]],
    ],
    "parents": [
        [[0, 0, 0], [0, 0, 0], [0, 0, 1], [0, 0, 0], [2, 0, 0]],
        [[0, 0, 0], [0, 0, 1], [0, 2, 0], [0, 1, 2], [0, 1, 2]],
    ],
    "scores": [
        [
            -1.814489483833313,
            -3.407465934753418,
            -4.8291168212890625,
            -6.122641086578369,
            -7.279836654663086,
        ],
        [
            -1.826396107673645,
            -3.3814399242401123,
            -4.752285003662109,
            -5.986201763153076,
            -7.1138811111450195,
        ],
    ],
    "log_probs": [
        [-9.398228645324707, -9.410232543945312, -9.422099113464355],
        [-9.183980941772461, -9.187186241149902, -9.19162368774414],
    ],
    "state_lengths": [[5, 5, 5], [5, 5, 5]],
    "steps": [[5, 5, 5], [5, 5, 5]],
    "history": [
        [0.20184192061424255, 0.24053612351417542, 0.27009323239326477, 0.28752872347831726],
        [0.20151877403259277, 0.24033106863498688, 0.2702035903930664, 0.28794652223587036],
        [0.2014005184173584, 0.24017156660556793, 0.270228773355484, 0.2881990969181061],
        [0.20151495933532715, 0.24028262495994568, 0.2702002227306366, 0.2880021929740906],
        [0.2015000432729721, 0.23994652926921844, 0.27014032006263733, 0.2884131371974945],
    ],
}


def test_beam_coverage_alignments_match_tensorflow():
    close(program(tf), EXPECTED)
