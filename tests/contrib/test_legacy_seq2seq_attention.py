"""tf.contrib.legacy_seq2seq's attention models and model_with_buckets: TF 1.15's build-time
errors (their texts read from TF 1.15's seq2seq.py), the refusal of a tensor feed_previous,
and the attention decoder's reading of its states (one head, NumPy beside it). Whole models
are checked against TF 1.15's code in tests/programs/test_translate_buckets.py."""

import numpy as np
import pytest

import scopeflow as tf

s2s = tf.contrib.legacy_seq2seq


def test_attention_decoder_refuses_what_tf_refuses(graph):
    cell = tf.nn.rnn_cell.GRUCell(3)
    states = tf.zeros([2, 4, 3])
    state = tf.zeros([2, 3])
    with pytest.raises(ValueError, match="Must provide at least 1 input to attention decoder"):
        s2s.attention_decoder([], state, states, cell)
    with pytest.raises(ValueError, match="With less than 1 heads, use a non-attention decoder"):
        s2s.attention_decoder([tf.zeros([2, 3])], state, states, cell, num_heads=0)
    unknown = tf.placeholder(tf.float32, [2, 4, None])
    with pytest.raises(ValueError, match=r"Shape\[2\] of attention_states must be known"):
        s2s.attention_decoder([tf.zeros([2, 3])], state, unknown, cell)


def test_model_with_buckets_checks_lengths(graph):
    ints = [tf.zeros([2], tf.int32)] * 3
    floats = [tf.ones([2])] * 3

    def seq2seq(enc, dec):
        return s2s.embedding_attention_seq2seq(enc, dec, tf.nn.rnn_cell.GRUCell(2), 5, 5, 2)

    with pytest.raises(ValueError, match=r"Length of encoder_inputs \(3\) must be at least"):
        s2s.model_with_buckets(ints, ints, ints, floats, [(4, 2)], seq2seq)
    with pytest.raises(ValueError, match=r"Length of targets \(2\) must be at least that of"):
        s2s.model_with_buckets(ints, ints, ints[:2], floats, [(3, 3)], seq2seq)
    with pytest.raises(ValueError, match=r"Length of weights \(1\) must be at least that of"):
        s2s.model_with_buckets(ints, ints, ints, floats[:1], [(3, 2)], seq2seq)


def test_tensor_feed_previous_is_refused(graph):
    ints = [tf.zeros([2], tf.int32)] * 2
    flag = tf.placeholder(tf.bool, [])
    with pytest.raises(NotImplementedError, match="one model per value"):
        s2s.embedding_attention_seq2seq(
            ints, ints, tf.nn.rnn_cell.GRUCell(2), 5, 5, 2, feed_previous=flag
        )
    with pytest.raises(TypeError, match="feed_previous must be a Python bool"):
        s2s.embedding_attention_decoder(
            ints,
            tf.zeros([2, 2]),
            tf.zeros([2, 2, 2]),
            tf.nn.rnn_cell.GRUCell(2),
            5,
            2,
            feed_previous=flag,
        )


def test_one_step_reads_the_attention_states_as_numpy_does(graph):
    rng = np.random.RandomState(0)
    states_np = rng.randn(2, 3, 4).astype(np.float32)
    inp_np = rng.randn(2, 4).astype(np.float32)
    cell = tf.nn.rnn_cell.BasicRNNCell(4)
    outputs, state = s2s.attention_decoder(
        [tf.constant(inp_np)], tf.zeros([2, 4]), tf.constant(states_np), cell, output_size=5
    )
    assert outputs[0].shape.as_list() == [2, 5]
    names = [v.op.name for v in tf.global_variables()]
    assert names == [
        "attention_decoder/AttnW_0",
        "attention_decoder/AttnV_0",
        "attention_decoder/kernel",
        "attention_decoder/bias",
        "attention_decoder/basic_rnn_cell/kernel",
        "attention_decoder/basic_rnn_cell/bias",
        "attention_decoder/Attention_0/kernel",
        "attention_decoder/Attention_0/bias",
        "attention_decoder/AttnOutputProjection/kernel",
        "attention_decoder/AttnOutputProjection/bias",
    ]
    with tf.Session(graph=graph) as sess:
        sess.run(tf.global_variables_initializer())
        got, w = sess.run(
            [outputs[0], {v.op.name.split("/", 1)[1]: v for v in tf.global_variables()}]
        )
    x = np.concatenate([inp_np, np.zeros([2, 4], np.float32)], 1) @ w["kernel"] + w["bias"]
    h = np.tanh(
        np.concatenate([x, np.zeros([2, 4])], 1) @ w["basic_rnn_cell/kernel"]
        + w["basic_rnn_cell/bias"]
    )
    features = states_np @ w["AttnW_0"][0, 0]
    y = h @ w["Attention_0/kernel"] + w["Attention_0/bias"]
    scores = (w["AttnV_0"] * np.tanh(features + y[:, None, :])).sum(-1)
    weights = np.exp(scores - scores.max(1, keepdims=True))
    weights /= weights.sum(1, keepdims=True)
    read = (weights[..., None] * states_np).sum(1)
    want = (
        np.concatenate([h, read], 1) @ w["AttnOutputProjection/kernel"]
        + w["AttnOutputProjection/bias"]
    )
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-5)


def test_rnn_seq2seq_models_name_their_variables_as_tf(graph):
    steps = [tf.zeros([2, 1])] * 3
    with tf.variable_scope("basic"):
        tf.contrib.legacy_seq2seq.basic_rnn_seq2seq(steps, steps, tf.nn.rnn_cell.GRUCell(2))
    with tf.variable_scope("tied"):
        tf.contrib.legacy_seq2seq.tied_rnn_seq2seq(steps, steps, tf.nn.rnn_cell.GRUCell(2))
    # TF 1.15: the encoder's copy under rnn/, the decoder under rnn_decoder/; tied shares one
    assert [v.op.name for v in tf.global_variables() if "gates/kernel" in v.op.name] == [
        "basic/basic_rnn_seq2seq/rnn/gru_cell/gates/kernel",
        "basic/basic_rnn_seq2seq/rnn_decoder/gru_cell/gates/kernel",
        "tied/combined_tied_rnn_seq2seq/tied_rnn_seq2seq/gru_cell/gates/kernel",
    ]
    flag = tf.placeholder(tf.bool, [])
    ints = [tf.zeros([2], tf.int32)] * 2
    with pytest.raises(NotImplementedError, match="one model per value"):
        tf.contrib.legacy_seq2seq.embedding_rnn_seq2seq(
            ints, ints, tf.nn.rnn_cell.GRUCell(2), 5, 5, 2, feed_previous=flag
        )
