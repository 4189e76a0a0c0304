"""tf.contrib.seq2seq's monotonic attention as online speech and summarization models used it:
LuongMonotonicAttention (scale, sigmoid noise 0, score bias) and BahdanauMonotonicAttention
(normalize) in the "parallel", "recursive" and "hard" modes, two mechanisms in one
AttentionWrapper with an attention_layer_size per mechanism and their alignments' history,
tf.contrib.seq2seq.monotonic_attention and safe_cumprod called directly, a TrainingHelper
decode and sequence_loss with a softmax_loss_function; two SGD steps.

The expected names and numbers were printed by the same program under TensorFlow 2.21
(``tensorflow.compat.v1`` with v2 behaviour disabled) running TF 1.15's tf.contrib.seq2seq
Python code (from the 1.15 wheel).
"""

import numpy as np

import scopeflow as tf
from tests.programs.compare import close


def program(tf):
    rng = np.random.RandomState(1001)
    batch, mem_len, dec_len, units, vocab = 2, 5, 3, 4, 6
    memory_np = rng.randn(batch, mem_len, units).astype(np.float32)
    lengths_np = np.array([5, 3], np.int32)
    inputs_np = rng.randn(batch, dec_len, units).astype(np.float32)
    targets_np = rng.randint(0, vocab, size=(batch, dec_len)).astype(np.int32)
    probs_np = rng.rand(batch, mem_len).astype(np.float32)
    prev_np = np.eye(mem_len, dtype=np.float32)[[0, 1]]
    g = tf.Graph()
    with g.as_default():
        tf.set_random_seed(1002)
        memory = tf.constant(memory_np)
        lengths = tf.constant(lengths_np)
        direct = {
            mode: tf.contrib.seq2seq.monotonic_attention(
                tf.constant(probs_np), tf.constant(prev_np), mode
            )
            for mode in ("parallel", "recursive")
        }
        direct["hard"] = tf.contrib.seq2seq.monotonic_attention(
            tf.constant((probs_np > 0.5).astype(np.float32)), tf.constant(prev_np), "hard"
        )
        cumprod = tf.contrib.seq2seq.safe_cumprod(tf.constant(probs_np), axis=1, exclusive=True)
        losses = {}
        train_ops = []
        for mode in ("parallel", "recursive"):
            with tf.variable_scope(mode):
                luong = tf.contrib.seq2seq.LuongMonotonicAttention(
                    units,
                    memory,
                    lengths,
                    scale=True,
                    sigmoid_noise=0.0,
                    score_bias_init=-1.0,
                    mode=mode,
                )
                bahdanau = tf.contrib.seq2seq.BahdanauMonotonicAttention(
                    units,
                    memory,
                    lengths,
                    normalize=True,
                    sigmoid_noise=0.0,
                    mode=mode,
                )
                cell = tf.contrib.seq2seq.AttentionWrapper(
                    tf.nn.rnn_cell.GRUCell(units),
                    [luong, bahdanau],
                    attention_layer_size=[3, 2],
                    alignment_history=True,
                )
                helper = tf.contrib.seq2seq.TrainingHelper(
                    tf.constant(inputs_np), tf.constant([3, 2])
                )
                out, state, _ = tf.contrib.seq2seq.dynamic_decode(
                    tf.contrib.seq2seq.BasicDecoder(
                        cell,
                        helper,
                        cell.zero_state(batch, tf.float32),
                        output_layer=tf.layers.Dense(vocab, name="proj"),
                    )
                )
                mask = tf.sequence_mask([3, 2], dec_len, dtype=tf.float32)

                def loss_fn(labels, logits):
                    return tf.nn.sparse_softmax_cross_entropy_with_logits(
                        labels=labels, logits=logits
                    )

                loss = tf.contrib.seq2seq.sequence_loss(
                    out.rnn_output,
                    tf.constant(targets_np),
                    mask,
                    softmax_loss_function=loss_fn,
                )
                losses[mode] = (loss, state.alignment_history[1].stack(), out.rnn_output)
                train_ops.append(tf.train.GradientDescentOptimizer(0.5).minimize(loss))
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            history = []
            for _ in range(2):
                values = sess.run({k: v[0] for k, v in losses.items()})
                sess.run(train_ops)
                history.append({k: float(v) for k, v in sorted(values.items())})
            align = sess.run({k: v[1] for k, v in losses.items()})
            direct_v, cumprod_v = sess.run([direct, cumprod])
        return {
            "vars": [[v.name, v.shape.as_list()] for v in tf.trainable_variables()],
            "names": {k: [v[0].name, v[2].name] for k, v in sorted(losses.items())},
            "history": history,
            "alignments": {k: v[:, 0].tolist() for k, v in sorted(align.items())},
            "direct": {k: v.tolist() for k, v in sorted(direct_v.items())},
            "cumprod": cumprod_v.tolist(),
        }


EXPECTED = {
    "vars": [
        ["parallel/memory_layer/kernel:0", [4, 4]],
        ["parallel/memory_layer_1/kernel:0", [4, 4]],
        ["parallel/decoder/attention_wrapper/gru_cell/gates/kernel:0", [13, 8]],
        ["parallel/decoder/attention_wrapper/gru_cell/gates/bias:0", [8]],
        ["parallel/decoder/attention_wrapper/gru_cell/candidate/kernel:0", [13, 4]],
        ["parallel/decoder/attention_wrapper/gru_cell/candidate/bias:0", [4]],
        ["parallel/decoder/attention_wrapper/luong_monotonic_attention/attention_g:0", []],
        ["parallel/decoder/attention_wrapper/luong_monotonic_attention/attention_score_bias:0", []],
        ["parallel/decoder/attention_wrapper/attention_layer/kernel:0", [8, 3]],
        [
            "parallel/decoder/attention_wrapper/bahdanau_monotonic_attention/query_layer/kernel:0",
            [4, 4],
        ],
        ["parallel/decoder/attention_wrapper/bahdanau_monotonic_attention/attention_v:0", [4]],
        ["parallel/decoder/attention_wrapper/bahdanau_monotonic_attention/attention_g:0", []],
        ["parallel/decoder/attention_wrapper/bahdanau_monotonic_attention/attention_b:0", [4]],
        [
            "parallel/decoder/attention_wrapper/bahdanau_monotonic_attention/attention_score_bias:0",
            [],
        ],
        ["parallel/decoder/attention_wrapper/attention_layer_1/kernel:0", [8, 2]],
        ["parallel/decoder/proj/kernel:0", [5, 6]],
        ["parallel/decoder/proj/bias:0", [6]],
        ["recursive/memory_layer/kernel:0", [4, 4]],
        ["recursive/memory_layer_1/kernel:0", [4, 4]],
        ["recursive/decoder/attention_wrapper/gru_cell/gates/kernel:0", [13, 8]],
        ["recursive/decoder/attention_wrapper/gru_cell/gates/bias:0", [8]],
        ["recursive/decoder/attention_wrapper/gru_cell/candidate/kernel:0", [13, 4]],
        ["recursive/decoder/attention_wrapper/gru_cell/candidate/bias:0", [4]],
        ["recursive/decoder/attention_wrapper/luong_monotonic_attention/attention_g:0", []],
        [
            "recursive/decoder/attention_wrapper/luong_monotonic_attention/attention_score_bias:0",
            [],
        ],
        ["recursive/decoder/attention_wrapper/attention_layer/kernel:0", [8, 3]],
        [
            "recursive/decoder/attention_wrapper/bahdanau_monotonic_attention/query_layer/kernel:0",
            [4, 4],
        ],
        ["recursive/decoder/attention_wrapper/bahdanau_monotonic_attention/attention_v:0", [4]],
        ["recursive/decoder/attention_wrapper/bahdanau_monotonic_attention/attention_g:0", []],
        ["recursive/decoder/attention_wrapper/bahdanau_monotonic_attention/attention_b:0", [4]],
        [
            "recursive/decoder/attention_wrapper/bahdanau_monotonic_attention/attention_score_bias:0",
            [],
        ],
        ["recursive/decoder/attention_wrapper/attention_layer_1/kernel:0", [8, 2]],
        ["recursive/decoder/proj/kernel:0", [5, 6]],
        ["recursive/decoder/proj/bias:0", [6]],
    ],
    "names": {
        "parallel": ["parallel/sequence_loss/div_no_nan:0", "parallel/decoder/transpose:0"],
        "recursive": ["recursive/sequence_loss/div_no_nan:0", "recursive/decoder/transpose:0"],
    },
    "history": [
        {"parallel": 1.7557653188705444, "recursive": 1.6947557926177979},
        {"parallel": 1.4554145336151123, "recursive": 1.4446474313735962},
    ],
    "alignments": {
        "parallel": [
            [
                0.7000453472137451,
                0.1362297534942627,
                0.09482559561729431,
                0.038197971880435944,
                0.010275251232087612,
            ],
            [
                0.48981383442878723,
                0.1571519523859024,
                0.16801133751869202,
                0.08752313256263733,
                0.026347845792770386,
            ],
            [
                0.34083423018455505,
                0.1400619000196457,
                0.19747285544872284,
                0.12562471628189087,
                0.04493124410510063,
            ],
        ],
        "recursive": [
            [
                0.5782525539398193,
                0.18795272707939148,
                0.11694113910198212,
                0.06114831194281578,
                0.02547760307788849,
            ],
            [
                0.3257368803024292,
                0.212239071726799,
                0.18228286504745483,
                0.12385869771242142,
                0.05725274235010147,
            ],
            [
                0.1820889562368393,
                0.17367613315582275,
                0.19348487257957458,
                0.16372054815292358,
                0.08572622388601303,
            ],
        ],
    },
    "direct": {
        "hard": [[0.0, 0.0, 0.0, 1.0, 0.0], [0.0, 0.0, 1.0, 0.0, 0.0]],
        "parallel": [
            [
                0.18448129296302795,
                0.2756314277648926,
                0.1757567822933197,
                0.2533600628376007,
                0.004315286409109831,
            ],
            [
                0.0,
                0.019735615700483322,
                0.5152554512023926,
                0.2853843569755554,
                0.046483106911182404,
            ],
        ],
        "recursive": [
            [
                0.18448129296302795,
                0.2756314277648926,
                0.1757567822933197,
                0.2533600628376007,
                0.004315286409109831,
            ],
            [0.0, 0.01973561756312847, 0.5152554512023926, 0.2853843867778778, 0.0464831218123436],
        ],
    },
    "cumprod": [
        [1.0, 0.18448129296302795, 0.062351521104574203, 0.02029813453555107, 0.014123329892754555],
        [1.0, 0.7656448483467102, 0.01511047501116991, 0.007942506112158298, 0.004874460864812136],
    ],
}


def test_monotonic_attention_modes_match_tensorflow():
    close(program(tf), EXPECTED)
