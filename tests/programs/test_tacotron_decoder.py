"""A Tacotron-style spectrogram decoder on tf.contrib.seq2seq (keithito's TF1 code shape): a
prenet of dense+dropout layers, an AttentionWrapper over a GRU with a normalized
BahdanauMonotonicAttention (sigmoid noise 0 in training) and a LuongAttention together
(two mechanisms, alignment_history, output_attention=False), a MultiRNNCell of ResidualWrapper'd
GRUs behind an OutputProjectionWrapper emitting r frames per step, a custom Helper subclass
that feeds the ground-truth frame (teacher forcing) in training and an InferenceHelper-style
one feeding back its own output with a stop threshold at inference, dynamic_decode with
maximum_iterations, an L1 loss, Adam with exponential decay; then a decoding pass.

The expected names and numbers were printed by the same program under TensorFlow 2.21
(``tensorflow.compat.v1`` with v2 behaviour disabled) running TF 1.15's tf.contrib.seq2seq and
tf.contrib.rnn Python code (from the 1.15 wheel).
"""

import numpy as np

import scopeflow as tf
from tests.programs.compare import close


def program(tf):
    rng = np.random.RandomState(808)
    batch, text_len, n_mels, r, units, steps = 2, 5, 3, 2, 6, 3
    text = rng.randint(1, 10, size=(batch, text_len)).astype(np.int32)
    text_lengths = np.array([5, 3], np.int32)
    mels = rng.rand(batch, steps * r, n_mels).astype(np.float32)

    class TacoTrainingHelper(tf.contrib.seq2seq.Helper):
        def __init__(self, inputs, targets, output_dim, r):
            with tf.name_scope("TacoTrainingHelper"):
                self._batch_size = tf.shape(inputs)[0]
                self._output_dim = output_dim
                self._targets = targets[:, r - 1 :: r, :]
                self._lengths = tf.tile([tf.shape(self._targets)[1]], [self._batch_size])

        @property
        def batch_size(self):
            return self._batch_size

        @property
        def sample_ids_shape(self):
            return tf.TensorShape([])

        @property
        def sample_ids_dtype(self):
            return np.int32

        def initialize(self, name=None):
            return (
                tf.tile([False], [self._batch_size]),
                tf.tile([[0.0]], [self._batch_size, self._output_dim]),
            )

        def sample(self, time, outputs, state, name=None):
            return tf.tile([0], [self._batch_size])

        def next_inputs(self, time, outputs, state, sample_ids, name=None):
            with tf.name_scope(name or "TacoTrainingHelper"):
                finished = time + 1 >= self._lengths
                next_inputs = self._targets[:, time, :]
                return finished, next_inputs, state

    class TacoTestHelper(TacoTrainingHelper):
        def __init__(self, batch_size, output_dim, r):
            with tf.name_scope("TacoTestHelper"):
                self._batch_size = batch_size
                self._output_dim = output_dim

        def next_inputs(self, time, outputs, state, sample_ids, name=None):
            with tf.name_scope("TacoTestHelper"):
                finished = tf.reduce_all(tf.equal(outputs, 0.0), axis=1)
                next_inputs = outputs[:, -self._output_dim :]
                return finished, next_inputs, state

    def build(mode, reuse):
        with tf.variable_scope("inference", reuse=reuse):
            is_training = mode == "train"
            embedding_table = tf.get_variable("embedding", [10, units])
            embedded = tf.nn.embedding_lookup(embedding_table, text_ph)
            memory = tf.layers.dense(embedded, units, tf.nn.tanh, name="encoder")

            def prenet(x, scope):
                with tf.variable_scope(scope):
                    for i, size in enumerate([units, units // 2]):
                        x = tf.layers.dense(x, size, tf.nn.relu, name=f"dense_{i + 1}")
                        x = tf.layers.dropout(x, rate=0.5, training=False, name=f"dropout_{i + 1}")
                return x

            monotonic = tf.contrib.seq2seq.BahdanauMonotonicAttention(
                units,
                memory,
                memory_sequence_length=lengths_ph,
                normalize=True,
                sigmoid_noise=0.0,
                score_bias_init=-1.0,
            )
            luong = tf.contrib.seq2seq.LuongAttention(units, memory, lengths_ph, scale=True)
            attention_cell = tf.contrib.seq2seq.AttentionWrapper(
                tf.nn.rnn_cell.GRUCell(units),
                [monotonic, luong],
                alignment_history=True,
                output_attention=False,
                cell_input_fn=lambda inputs, attention: tf.concat(
                    [prenet(inputs, "decoder_prenet"), attention], -1
                ),
            )
            concat_cell = tf.contrib.rnn.OutputProjectionWrapper(
                tf.nn.rnn_cell.MultiRNNCell(
                    [
                        attention_cell,
                        tf.nn.rnn_cell.ResidualWrapper(tf.nn.rnn_cell.GRUCell(units)),
                    ]
                ),
                n_mels * r,
            )
            init = concat_cell.zero_state(tf.shape(text_ph)[0], tf.float32)
            if is_training:
                helper = TacoTrainingHelper(text_ph, mel_ph, n_mels, r)
            else:
                helper = TacoTestHelper(tf.shape(text_ph)[0], n_mels, r)
            (outputs, _), final_state, _ = tf.contrib.seq2seq.dynamic_decode(
                tf.contrib.seq2seq.BasicDecoder(concat_cell, helper, init),
                maximum_iterations=steps,
            )
            mel_out = tf.reshape(outputs, [tf.shape(text_ph)[0], -1, n_mels])
            alignments = tf.transpose(final_state[0].alignment_history[0].stack(), [1, 2, 0])
            return mel_out, alignments

    g = tf.Graph()
    with g.as_default():
        tf.set_random_seed(809)
        text_ph = tf.placeholder(tf.int32, [None, None], "inputs")
        lengths_ph = tf.placeholder(tf.int32, [None], "input_lengths")
        mel_ph = tf.placeholder(tf.float32, [None, None, n_mels], "mel_targets")
        mel_out, alignments = build("train", None)
        loss = tf.reduce_mean(tf.abs(mel_ph - mel_out))
        step = tf.Variable(0, name="global_step", trainable=False)
        lr = tf.train.exponential_decay(0.01, step, 2, 0.5)
        opt = tf.train.AdamOptimizer(lr, 0.9, 0.999)
        gradients, variables = zip(*opt.compute_gradients(loss), strict=True)
        clipped, _ = tf.clip_by_global_norm(gradients, 1.0)
        train = opt.apply_gradients(zip(clipped, variables, strict=True), global_step=step)
        test_mel, test_align = build("eval", True)
        feed = {text_ph: text, lengths_ph: text_lengths, mel_ph: mels}
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            losses = [float(sess.run([loss, train], feed)[0]) for _ in range(3)]
            align = sess.run(alignments, feed)
            generated, test_a = sess.run([test_mel, test_align], feed)
        return {
            "vars": [[v.name, v.shape.as_list()] for v in tf.trainable_variables()],
            "names": [mel_out.name, alignments.name, loss.name, test_mel.name, train.name],
            "losses": losses,
            "alignment": align[0].tolist(),
            "generated": generated[1].tolist(),
            "test_alignment": test_a[1, :, -1].tolist(),
        }


EXPECTED = {
    "vars": [
        ["inference/embedding:0", [10, 6]],
        ["inference/encoder/kernel:0", [6, 6]],
        ["inference/encoder/bias:0", [6]],
        ["inference/memory_layer/kernel:0", [6, 6]],
        ["inference/memory_layer_1/kernel:0", [6, 6]],
        [
            "inference/decoder/output_projection_wrapper/multi_rnn_cell/cell_0/attention_wrapper/decoder_prenet/dense_1/kernel:0",
            [3, 6],
        ],
        [
            "inference/decoder/output_projection_wrapper/multi_rnn_cell/cell_0/attention_wrapper/decoder_prenet/dense_1/bias:0",
            [6],
        ],
        [
            "inference/decoder/output_projection_wrapper/multi_rnn_cell/cell_0/attention_wrapper/decoder_prenet/dense_2/kernel:0",
            [6, 3],
        ],
        [
            "inference/decoder/output_projection_wrapper/multi_rnn_cell/cell_0/attention_wrapper/decoder_prenet/dense_2/bias:0",
            [3],
        ],
        [
            "inference/decoder/output_projection_wrapper/multi_rnn_cell/cell_0/attention_wrapper/gru_cell/gates/kernel:0",
            [21, 12],
        ],
        [
            "inference/decoder/output_projection_wrapper/multi_rnn_cell/cell_0/attention_wrapper/gru_cell/gates/bias:0",
            [12],
        ],
        [
            "inference/decoder/output_projection_wrapper/multi_rnn_cell/cell_0/attention_wrapper/gru_cell/candidate/kernel:0",
            [21, 6],
        ],
        [
            "inference/decoder/output_projection_wrapper/multi_rnn_cell/cell_0/attention_wrapper/gru_cell/candidate/bias:0",
            [6],
        ],
        [
            "inference/decoder/output_projection_wrapper/multi_rnn_cell/cell_0/attention_wrapper/bahdanau_monotonic_attention/query_layer/kernel:0",
            [6, 6],
        ],
        [
            "inference/decoder/output_projection_wrapper/multi_rnn_cell/cell_0/attention_wrapper/bahdanau_monotonic_attention/attention_v:0",
            [6],
        ],
        [
            "inference/decoder/output_projection_wrapper/multi_rnn_cell/cell_0/attention_wrapper/bahdanau_monotonic_attention/attention_g:0",
            [],
        ],
        [
            "inference/decoder/output_projection_wrapper/multi_rnn_cell/cell_0/attention_wrapper/bahdanau_monotonic_attention/attention_b:0",
            [6],
        ],
        [
            "inference/decoder/output_projection_wrapper/multi_rnn_cell/cell_0/attention_wrapper/bahdanau_monotonic_attention/attention_score_bias:0",
            [],
        ],
        [
            "inference/decoder/output_projection_wrapper/multi_rnn_cell/cell_0/attention_wrapper/luong_attention/attention_g:0",
            [],
        ],
        [
            "inference/decoder/output_projection_wrapper/multi_rnn_cell/cell_1/gru_cell/gates/kernel:0",
            [12, 12],
        ],
        [
            "inference/decoder/output_projection_wrapper/multi_rnn_cell/cell_1/gru_cell/gates/bias:0",
            [12],
        ],
        [
            "inference/decoder/output_projection_wrapper/multi_rnn_cell/cell_1/gru_cell/candidate/kernel:0",
            [12, 6],
        ],
        [
            "inference/decoder/output_projection_wrapper/multi_rnn_cell/cell_1/gru_cell/candidate/bias:0",
            [6],
        ],
        ["inference/decoder/output_projection_wrapper/kernel:0", [6, 6]],
        ["inference/decoder/output_projection_wrapper/bias:0", [6]],
    ],
    "names": [
        "inference/Reshape:0",
        "inference/transpose:0",
        "Mean:0",
        "inference_1/Reshape:0",
        "Adam",
    ],
    "losses": [0.4535773694515228, 0.4179036319255829, 0.3925372362136841],
    "alignment": [
        [0.34323689341545105, 0.11843975633382797, 0.041203856468200684],
        [0.21016229689121246, 0.14039497077465057, 0.07093777507543564],
        [0.15328985452651978, 0.1545397937297821, 0.10479553043842316],
        [0.08468345552682877, 0.1102394163608551, 0.09046235680580139],
        [0.0723412036895752, 0.11832895874977112, 0.11719618737697601],
    ],
    "generated": [
        [0.035231851041316986, 0.03646743670105934, 0.03265167772769928],
        [0.032229676842689514, 0.0411013662815094, 0.03478824719786644],
        [0.13755154609680176, 0.048602525144815445, 0.06274740397930145],
        [0.11409876495599747, 0.07662096619606018, 0.04211732745170593],
        [0.19559964537620544, 0.038717031478881836, 0.10593028366565704],
        [0.17458733916282654, 0.09018225222826004, 0.04153622314333916],
    ],
    "test_alignment": [0.024713393300771713, 0.0743352621793747, 0.091926708817482, 0.0, 0.0],
}


def test_tacotron_decoder_matches_tensorflow():
    close(program(tf), EXPECTED)
