"""tf.contrib.seq2seq's sampling paths as TF1 chatbots and music models used them: scheduled
sampling in training (ScheduledEmbeddingTrainingHelper with a sampling probability fed from a
placeholder, seeds), a sampled decode (SampleEmbeddingHelper with a softmax temperature and a
seed), a continuous InferenceHelper with its own sample/end/next-input functions, an
AttentionWrapper given an attention_layer object, an initial_cell_state and hardmax as the
probability function, dynamic_decode with output_time_major and swap_memory, and
sequence_loss kept per step and per example (sum_over_timesteps, no batch averaging).

The expected names and numbers were printed by the same program under TensorFlow 2.21
(``tensorflow.compat.v1`` with v2 behaviour disabled) running TF 1.15's tf.contrib.seq2seq
Python code (from the 1.15 wheel).
"""

import numpy as np

import scopeflow as tf
from tests.programs.compare import close


def program(tf):
    rng = np.random.RandomState(909)
    batch, src_len, tgt_len, vocab, emb, units = 3, 4, 5, 8, 4, 6
    src = rng.randn(batch, src_len, units).astype(np.float32)
    src_lengths = np.array([4, 2, 3], np.int32)
    tgt = rng.randint(3, vocab, size=(batch, tgt_len)).astype(np.int32)
    tgt_lengths = np.array([5, 3, 4], np.int32)
    g = tf.Graph()
    with g.as_default():
        tf.set_random_seed(910)
        memory = tf.placeholder(tf.float32, [None, None, units], name="memory")
        memory_len = tf.placeholder(tf.int32, [None], name="memory_length")
        targets = tf.placeholder(tf.int32, [None, None], name="targets")
        target_len = tf.placeholder(tf.int32, [None], name="target_length")
        sampling_prob = tf.placeholder_with_default(0.0, [], name="sampling_probability")
        embedding = tf.get_variable("embedding", [vocab, emb])
        batch_size = tf.shape(memory)[0]
        projection = tf.layers.Dense(vocab, name="projection")

        def cell_and_state(scope_reuse):
            mechanism = tf.contrib.seq2seq.LuongAttention(
                units, memory, memory_len, probability_fn=tf.contrib.seq2seq.hardmax
            )
            cell = tf.contrib.seq2seq.AttentionWrapper(
                tf.nn.rnn_cell.GRUCell(units),
                mechanism,
                attention_layer=tf.layers.Dense(units, use_bias=False, name="attention_layer"),
                initial_cell_state=tf.reduce_mean(memory, 1),
            )
            return cell, cell.zero_state(batch_size, tf.float32)

        with tf.variable_scope("decoder"):
            cell, init = cell_and_state(None)
            start = tf.concat([tf.fill([batch_size, 1], 1), targets[:, :-1]], 1)
            helper = tf.contrib.seq2seq.ScheduledEmbeddingTrainingHelper(
                tf.nn.embedding_lookup(embedding, start),
                target_len,
                embedding,
                sampling_prob,
                seed=4,
                scheduling_seed=5,
            )
            decoder = tf.contrib.seq2seq.BasicDecoder(cell, helper, init, output_layer=projection)
            out, _, lengths = tf.contrib.seq2seq.dynamic_decode(
                decoder, output_time_major=True, swap_memory=True
            )
        logits = tf.transpose(out.rnn_output, [1, 0, 2])
        mask = tf.sequence_mask(target_len, tf.shape(logits)[1], dtype=tf.float32)
        per_example = tf.contrib.seq2seq.sequence_loss(
            logits,
            targets,
            mask,
            average_across_timesteps=False,
            average_across_batch=False,
            sum_over_timesteps=True,
        )
        per_step = tf.contrib.seq2seq.sequence_loss(
            logits, targets, mask, average_across_timesteps=False, average_across_batch=True
        )
        loss = tf.reduce_mean(per_example)
        train = tf.train.AdamOptimizer(0.05).minimize(loss)

        with tf.variable_scope("decoder", reuse=True):
            cell, init = cell_and_state(True)
            sampler = tf.contrib.seq2seq.SampleEmbeddingHelper(
                embedding, tf.fill([batch_size], 1), 2, softmax_temperature=0.5, seed=6
            )
            sampled, _, sampled_len = tf.contrib.seq2seq.dynamic_decode(
                tf.contrib.seq2seq.BasicDecoder(cell, sampler, init, output_layer=projection),
                maximum_iterations=4,
            )
        with tf.variable_scope("regressor"):
            reg_cell = tf.nn.rnn_cell.GRUCell(2)
            inference = tf.contrib.seq2seq.InferenceHelper(
                sample_fn=lambda outputs: outputs,
                sample_shape=[2],
                sample_dtype=tf.float32,
                start_inputs=tf.ones([batch_size, 2]),
                end_fn=lambda sample_ids: tf.reduce_all(sample_ids > 0.3, axis=1),
                next_inputs_fn=lambda sample_ids: tf.tanh(sample_ids * 3.0),
            )
            regressed, _, reg_len = tf.contrib.seq2seq.dynamic_decode(
                tf.contrib.seq2seq.BasicDecoder(
                    reg_cell, inference, reg_cell.zero_state(batch_size, tf.float32)
                ),
                maximum_iterations=5,
            )
        feed = {memory: src, memory_len: src_lengths, targets: tgt, target_len: tgt_lengths}
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            losses = [float(sess.run([loss, train], feed)[0]) for _ in range(3)]
            pe, ps = sess.run([per_example, per_step], feed)
            ids = sess.run(out.sample_id, feed)
            scheduled_ids = sess.run(out.sample_id, {**feed, sampling_prob: 1.0})
            s_ids, s_len = sess.run([sampled.sample_id, sampled_len], feed)
            r_out, r_len = sess.run([regressed.rnn_output, reg_len], feed)
        return {
            "vars": [[v.name, v.shape.as_list()] for v in tf.trainable_variables()],
            "names": [
                out.rnn_output.name,
                lengths.name,
                per_example.name,
                per_step.name,
                sampled.sample_id.name,
                regressed.sample_id.name,
            ],
            "losses": losses,
            "per_example": pe.tolist(),
            "per_step": ps.tolist(),
            "greedy_ids": ids.tolist(),
            "scheduled_ids": scheduled_ids.tolist(),
            "sampled_ids": s_ids.tolist(),
            "sampled_len": s_len.tolist(),
            "regressed": r_out[:, :, 0].tolist(),
            "regressed_len": r_len.tolist(),
        }


EXPECTED = {
    "vars": [
        ["embedding:0", [8, 4]],
        ["decoder/memory_layer/kernel:0", [6, 6]],
        ["decoder/decoder/attention_wrapper/gru_cell/gates/kernel:0", [16, 12]],
        ["decoder/decoder/attention_wrapper/gru_cell/gates/bias:0", [12]],
        ["decoder/decoder/attention_wrapper/gru_cell/candidate/kernel:0", [16, 6]],
        ["decoder/decoder/attention_wrapper/gru_cell/candidate/bias:0", [6]],
        ["decoder/decoder/attention_wrapper/attention_layer/kernel:0", [12, 6]],
        ["decoder/decoder/projection/kernel:0", [6, 8]],
        ["decoder/decoder/projection/bias:0", [8]],
        ["regressor/decoder/gru_cell/gates/kernel:0", [4, 4]],
        ["regressor/decoder/gru_cell/gates/bias:0", [4]],
        ["regressor/decoder/gru_cell/candidate/kernel:0", [4, 2]],
        ["regressor/decoder/gru_cell/candidate/bias:0", [2]],
    ],
    "names": [
        "decoder/decoder/TensorArrayStack/TensorArrayGatherV3:0",
        "decoder/decoder/while/Exit_10:0",
        "sequence_loss/div_no_nan:0",
        "sequence_loss_1/div_no_nan:0",
        "decoder_1/decoder/transpose_1:0",
        "regressor/decoder/transpose_1:0",
    ],
    "losses": [2.1845309734344482, 1.6594386100769043, 1.4960016012191772],
    "per_example": [1.6036503314971924, 1.2758623361587524, 1.06121027469635],
    "per_step": [
        1.1256824731826782,
        1.3163763284683228,
        1.2852483987808228,
        1.198399543762207,
        2.511958599090576,
    ],
    "greedy_ids": [[-1, -1, -1], [-1, -1, -1], [-1, -1, -1], [-1, -1, -1], [-1, -1, -1]],
    "scheduled_ids": [[3, 4, 4], [1, 3, 4], [7, 6, 1], [1, 3, 3], [1, 2, 3]],
    "sampled_ids": [[5, 3, 7, 3], [6, 0, 6, 3], [7, 3, 3, 3]],
    "sampled_len": [4, 4, 4],
    "regressed": [
        [
            -0.08671586215496063,
            -0.0981701910495758,
            -0.10396130383014679,
            -0.10728226602077484,
            -0.1093207448720932,
        ],
        [
            -0.08671586215496063,
            -0.0981701910495758,
            -0.10396130383014679,
            -0.10728226602077484,
            -0.1093207448720932,
        ],
        [
            -0.08671586215496063,
            -0.0981701910495758,
            -0.10396130383014679,
            -0.10728226602077484,
            -0.1093207448720932,
        ],
    ],
    "regressed_len": [5, 5, 5],
}


def test_seq2seq_sampling_helpers_match_tensorflow():
    close(program(tf), EXPECTED)
