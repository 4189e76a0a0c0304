"""tf.contrib.seq2seq's BasicDecoder, helpers and dynamic_decode: TF 1.15's variable and
output names (read from TF 1.15's source: TF 2.21 has no tf.contrib), and each step's values
against a NumPy loop over the same weights."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf

s2s = tf.contrib.seq2seq
RNG = np.random.default_rng(3)
X = RNG.normal(size=[2, 4, 3]).astype(np.float32)
LENGTHS = np.array([4, 2], np.int32)


def _rnn_decoder(helper_fn, impute_finished=False, **kwargs):
    """A BasicRNNCell(5) + Dense(6) decoder: its outputs and weights, run once."""
    with tf.Graph().as_default():
        cell = tf.nn.rnn_cell.BasicRNNCell(5)
        helper = helper_fn()
        decoder = s2s.BasicDecoder(cell, helper, cell.zero_state(2, tf.float32), tf.layers.Dense(6))
        outputs, state, lengths = s2s.dynamic_decode(
            decoder, impute_finished=impute_finished, **kwargs
        )
        names = [v.op.name for v in tf.global_variables()]
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            got = sess.run([outputs, state, lengths, tf.global_variables()])
    return names, got


def _np_cell(x, h, kernel, bias):
    return np.tanh(np.concatenate([x, h], 1) @ kernel + bias)


def test_training_helper_names_and_values():
    names, (outputs, state, lengths, weights) = _rnn_decoder(
        lambda: s2s.TrainingHelper(tf.constant(X), LENGTHS)
    )
    assert names == [
        "decoder/basic_rnn_cell/kernel",
        "decoder/basic_rnn_cell/bias",
        "decoder/dense/kernel",
        "decoder/dense/bias",
    ]
    kernel, bias, dense_k, dense_b = weights
    h = np.zeros([2, 5], np.float32)
    for t in range(4):
        h = _np_cell(X[:, t], h, kernel, bias)
        logits = h @ dense_k + dense_b
        np.testing.assert_allclose(outputs.rnn_output[:, t], logits, rtol=1e-5, atol=1e-6)
        np.testing.assert_array_equal(outputs.sample_id[:, t], logits.argmax(1))
    np.testing.assert_allclose(state, h, rtol=1e-5, atol=1e-6)  # no impute: row 1 runs on
    assert lengths.tolist() == [4, 2]
    assert outputs.rnn_output.shape == (2, 4, 6) and outputs.sample_id.dtype == np.int32


def test_impute_finished_zeros_outputs_and_keeps_state():
    _, (outputs, state, _, weights) = _rnn_decoder(
        lambda: s2s.TrainingHelper(tf.constant(X), LENGTHS), impute_finished=True
    )
    kernel, bias, _, _ = weights
    h = np.zeros([2, 5], np.float32)
    for t in range(2):
        h = _np_cell(X[:, t], h, kernel, bias)
    np.testing.assert_allclose(state[1], h[1], rtol=1e-5, atol=1e-6)
    assert not outputs.rnn_output[1, 2:].any() and not outputs.sample_id[1, 2:].any()
    assert outputs.rnn_output[0, 3].any()


def test_time_major_inputs_and_outputs():
    with tf.Graph().as_default():
        cell = tf.nn.rnn_cell.GRUCell(3)
        helper = s2s.TrainingHelper(tf.constant(X.transpose(1, 0, 2)), LENGTHS, time_major=True)
        decoder = s2s.BasicDecoder(cell, helper, cell.zero_state(2, tf.float32))
        outputs, _, lengths = s2s.dynamic_decode(decoder, output_time_major=True)
        assert outputs.rnn_output.shape.as_list() == [None, 2, 3]
        assert decoder.output_size == s2s.BasicDecoderOutput(3, tf.TensorShape([]))
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            out, n = sess.run([outputs.rnn_output, lengths])
    assert out.shape == (4, 2, 3) and n.tolist() == [4, 2]


def test_graph_names():
    with tf.Graph().as_default():
        cell = tf.nn.rnn_cell.BasicLSTMCell(4)
        helper = s2s.TrainingHelper(tf.constant(X), LENGTHS)
        decoder = s2s.BasicDecoder(cell, helper, cell.zero_state(2, tf.float32))
        outputs, state, lengths = s2s.dynamic_decode(decoder)
        assert outputs.rnn_output.name == "decoder/transpose:0"
        assert state.h.name.startswith("decoder/while/Exit")
        assert lengths.op.name.startswith("decoder/while/Exit")
        graph = tf.get_default_graph()
        assert graph.get_operation_by_name("decoder/while/BasicDecoderStep/basic_lstm_cell/MatMul")
        s2s.dynamic_decode(s2s.BasicDecoder(cell, helper, cell.zero_state(2, tf.float32)))
        assert [v.op.name for v in tf.global_variables()] == [
            "decoder/basic_lstm_cell/kernel",
            "decoder/basic_lstm_cell/bias",
        ]  # the second decode reuses the cell's variables, as TF1's cell objects do


def _greedy_decode(embedding, max_iterations, end_token=0):
    """Greedy decoding with a BasicRNNCell(4) over 3 tokens embedded in 2 dimensions."""
    with tf.Graph().as_default():
        cell = tf.nn.rnn_cell.BasicRNNCell(3)
        helper = s2s.GreedyEmbeddingHelper(tf.constant(embedding), [1, 2], end_token)
        decoder = s2s.BasicDecoder(cell, helper, cell.zero_state(2, tf.float32))
        outputs, _, lengths = s2s.dynamic_decode(decoder, maximum_iterations=max_iterations)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            return sess.run([outputs, lengths, tf.global_variables()])


def test_greedy_embedding_helper_feeds_the_argmax_back():
    embedding = RNG.normal(size=[3, 2]).astype(np.float32)
    outputs, lengths, (kernel, bias) = _greedy_decode(embedding, 6)
    h = np.zeros([2, 3], np.float32)
    ids = np.array([1, 2])
    finished = np.zeros(2, bool)
    np_lengths = np.zeros(2, np.int32)
    for t in range(outputs.sample_id.shape[1]):
        h = _np_cell(embedding[ids], h, kernel, bias)
        np.testing.assert_allclose(outputs.rnn_output[:, t], h, rtol=1e-5, atol=1e-6)
        ids = h.argmax(1)
        np.testing.assert_array_equal(outputs.sample_id[:, t], ids)
        np_lengths[~finished] = t + 1
        finished |= ids == 0
        if finished.all():
            break
    assert outputs.sample_id.shape[1] == t + 1
    np.testing.assert_array_equal(lengths, np_lengths)


def test_maximum_iterations_stops_decoding():
    embedding = np.eye(3, dtype=np.float32)
    outputs, lengths, _ = _greedy_decode(embedding, 3, end_token=5)  # never emitted
    assert outputs.sample_id.shape == (2, 3) and lengths.tolist() == [3, 3]
    # no step at all: the output TensorArrays are empty; their element shapes are fully
    # known (the batch of 2 is static), so they stack to empty outputs, as TF's gather does
    outputs, lengths, _ = _greedy_decode(embedding, 0, end_token=5)
    assert outputs.sample_id.shape == (2, 0) and outputs.rnn_output.shape == (2, 0, 3)
    assert lengths.tolist() == [0, 0]


def test_sample_embedding_helper_samples_valid_ids():
    with tf.Graph().as_default():
        embedding = tf.constant(np.eye(4, dtype=np.float32))
        helper = s2s.SampleEmbeddingHelper(embedding, [0, 1, 2], 3, softmax_temperature=0.5)
        ids = helper.sample(0, tf.constant(np.log(np.eye(4)[[1, 2, 0]] + 1e-12), tf.float32), None)
        assert helper.sample_ids_dtype == tf.int32
        with tf.Session() as sess:
            assert sess.run(ids).tolist() == [1, 2, 0]  # the only class with mass


def test_scheduled_embedding_helper_with_probability_one_and_zero():
    logits = np.array([[0, 0, 30.0], [30.0, 0, 0]], np.float32)
    embedding = np.arange(6, dtype=np.float32).reshape(3, 2) * 10
    for probability, expected_ids in ((1.0, [2, 0]), (0.0, [-1, -1])):
        with tf.Graph().as_default():
            helper = s2s.ScheduledEmbeddingTrainingHelper(
                tf.constant(X[:, :, :2]), [3, 3], tf.constant(embedding), probability, seed=1
            )
            ids = helper.sample(0, tf.constant(logits), None)
            _, nxt, _ = helper.next_inputs(0, tf.constant(logits), None, ids)
            with tf.Session() as sess:
                got_ids, got_next = sess.run([ids, nxt])
        assert got_ids.tolist() == expected_ids
        expected = embedding[expected_ids] if probability else X[:, 1, :2]
        np.testing.assert_allclose(got_next, expected)


def test_gradients_flow_to_every_variable_and_the_inputs():
    with tf.Graph().as_default():
        tf.set_random_seed(7)  # one initial kernel: a float32 difference quotient of a random
        x = tf.constant(X)  # one could fall outside the tolerance (it did once under load)
        cell = tf.nn.rnn_cell.BasicRNNCell(5)
        helper = s2s.TrainingHelper(x, LENGTHS)
        decoder = s2s.BasicDecoder(cell, helper, cell.zero_state(2, tf.float32), tf.layers.Dense(2))
        outputs, _, _ = s2s.dynamic_decode(decoder, impute_finished=True)
        loss = tf.reduce_sum(tf.square(outputs.rnn_output))
        grads = tf.gradients(loss, tf.trainable_variables() + [x])
        assert all(g is not None for g in grads)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            got = sess.run(grads)
            kernel = tf.trainable_variables()[0]
            base = kernel.eval(sess)
            eps = 1e-2
            bumped = base.copy()
            bumped[0, 0] += eps
            kernel.load(bumped, sess)
            up = sess.run(loss)
            bumped[0, 0] -= 2 * eps
            kernel.load(bumped, sess)
            down = sess.run(loss)
    np.testing.assert_allclose(got[0][0, 0], (up - down) / (2 * eps), rtol=2e-2, atol=1e-4)
    assert not got[-1][1, 2:].any()  # past row 1's length its inputs reach nothing


def test_errors():
    with tf.Graph().as_default():
        cell = tf.nn.rnn_cell.BasicRNNCell(3)
        helper = s2s.TrainingHelper(tf.constant(X), LENGTHS)
        state = cell.zero_state(2, tf.float32)
        with pytest.raises(TypeError, match="Expected decoder to be type Decoder"):
            s2s.dynamic_decode(cell)
        with pytest.raises(TypeError, match="helper must be a Helper"):
            s2s.BasicDecoder(cell, object(), state)
        with pytest.raises(TypeError, match="output_layer must be a Layer"):
            s2s.BasicDecoder(cell, helper, state, output_layer=lambda x: x)
        with pytest.raises(ValueError, match="maximum_iterations must be a scalar"):
            s2s.dynamic_decode(s2s.BasicDecoder(cell, helper, state), maximum_iterations=[3])
        with pytest.raises(ValueError, match="Expected sequence_length to be a vector"):
            s2s.TrainingHelper(tf.constant(X), 4)
        with pytest.raises(ValueError, match="start_tokens must be a vector"):
            s2s.GreedyEmbeddingHelper(tf.constant(np.eye(3, dtype=np.float32)), 1, 0)
        with pytest.raises(ValueError, match="end_token must be a scalar"):
            s2s.GreedyEmbeddingHelper(tf.constant(np.eye(3, dtype=np.float32)), [1], [0])
        with pytest.raises(ValueError, match="sampling_probability must be either a scalar"):
            s2s.ScheduledEmbeddingTrainingHelper(tf.constant(X), LENGTHS, tf.ones([3, 3]), [[0.5]])
        with pytest.raises(ValueError, match="batch_size accessed before initialize"):
            s2s.CustomHelper(None, None, None).batch_size  # noqa: B018


def _scheduled_output_inputs(probability, next_inputs_fn=None, auxiliary=None):
    with tf.Graph().as_default():
        helper = s2s.ScheduledOutputTrainingHelper(
            tf.constant(X), LENGTHS, probability, seed=3, next_inputs_fn=next_inputs_fn,
            auxiliary_inputs=None if auxiliary is None else tf.constant(auxiliary),
        )  # fmt: skip
        outputs = tf.constant(np.full([2, 3], 7.0, np.float32))
        ids = helper.sample(0, outputs, None)
        assert helper.sample_ids_dtype == tf.int32
        _, nxt, _ = helper.next_inputs(0, outputs, None, ids)
        with tf.Session() as sess:
            return sess.run([ids, nxt])


def test_scheduled_output_training_helper():
    ids, nxt = _scheduled_output_inputs(0.0)
    assert ids.tolist() == [0, 0]
    np.testing.assert_allclose(nxt, X[:, 1])
    ids, nxt = _scheduled_output_inputs(1.0)
    assert ids.tolist() == [1, 1] and (nxt == 7).all()
    _, nxt = _scheduled_output_inputs(1.0, next_inputs_fn=lambda out: out * 2)
    assert (nxt == 14).all()
    aux = np.arange(2 * 4, dtype=np.float32).reshape(2, 4, 1)
    _, nxt = _scheduled_output_inputs(1.0, lambda out: out * 2, aux)
    np.testing.assert_allclose(nxt, np.concatenate([np.full([2, 3], 14.0), aux[:, 1]], 1))
    _, nxt = _scheduled_output_inputs(0.0, None, aux)
    np.testing.assert_allclose(nxt, np.concatenate([X[:, 1], aux[:, 1]], 1))


def test_inference_helper_decodes_continuous_outputs():
    with tf.Graph().as_default():
        cell = tf.nn.rnn_cell.BasicRNNCell(3)
        helper = s2s.InferenceHelper(
            sample_fn=lambda out: out, sample_shape=[3], sample_dtype=tf.float32,
            start_inputs=tf.zeros([2, 3]), end_fn=lambda s: tf.reduce_all(s > 2.0, axis=1),
        )  # fmt: skip
        decoder = s2s.BasicDecoder(cell, helper, cell.zero_state(2, tf.float32))
        outputs, _, lengths = s2s.dynamic_decode(decoder, maximum_iterations=4)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            out, ids, n = sess.run([outputs.rnn_output, outputs.sample_id, lengths])
    assert out.shape == (2, 4, 3) and n.tolist() == [4, 4]  # tanh never exceeds 2
    np.testing.assert_allclose(ids, out)
