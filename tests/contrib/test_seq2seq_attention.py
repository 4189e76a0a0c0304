"""tf.contrib.seq2seq's attention: BahdanauAttention (plain and normalized), LuongAttention
(plain and scaled) and AttentionWrapper, step by step against NumPy over the same weights;
TF 1.15's variable names (read from TF 1.15's source: TF 2.21 has no tf.contrib); errors."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf

s2s = tf.contrib.seq2seq
RNG = np.random.default_rng(5)
MEMORY = RNG.normal(size=[2, 5, 4]).astype(np.float32)
MEMORY_LENGTHS = np.array([5, 3], np.int32)
X = RNG.normal(size=[2, 3, 2]).astype(np.float32)


def _softmax_masked(score, lengths):
    score = np.where(np.arange(score.shape[1])[None] < lengths[:, None], score, -np.inf)
    e = np.exp(score - score.max(1, keepdims=True))
    return e / e.sum(1, keepdims=True)


def _np_score(kind, options, query, keys, w):
    if kind == "bahdanau":
        processed = query @ w["bahdanau_attention/query_layer/kernel"]
        v = w["bahdanau_attention/attention_v"]
        if options.get("normalize"):
            v = w["bahdanau_attention/attention_g"] * v / np.sqrt((v**2).sum())
            processed = processed + w["bahdanau_attention/attention_b"]
        return (v * np.tanh(keys + processed[:, None])).sum(2)
    score = np.einsum("bd,btd->bt", query, keys)
    return score * w["luong_attention/attention_g"] if options.get("scale") else score


CASES = [
    ("bahdanau", {}, 6, True),
    ("bahdanau", {"normalize": True}, None, True),
    ("luong", {}, 3, False),
    ("luong", {"scale": True}, None, True),
]


@pytest.mark.parametrize("kind, options, layer_size, output_attention", CASES)
def test_attention_wrapper_steps_match_numpy(kind, options, layer_size, output_attention):
    with tf.Graph().as_default():
        mechanism_class = s2s.BahdanauAttention if kind == "bahdanau" else s2s.LuongAttention
        mechanism = mechanism_class(3, tf.constant(MEMORY), MEMORY_LENGTHS, **options)
        cell = s2s.AttentionWrapper(
            tf.nn.rnn_cell.BasicRNNCell(3),
            mechanism,
            attention_layer_size=layer_size,
            alignment_history=True,
            output_attention=output_attention,
        )
        outputs, state = tf.nn.dynamic_rnn(cell, tf.constant(X), dtype=tf.float32)
        history = state.alignment_history.stack()
        variables = tf.global_variables()
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            out, hist, values = sess.run([outputs, history, variables])
    names = [v.op.name.replace("rnn/attention_wrapper/", "") for v in variables]
    w = dict(zip(names, values, strict=True))
    masked = MEMORY * (np.arange(5)[None, :, None] < MEMORY_LENGTHS[:, None, None])
    keys = masked @ w["memory_layer/kernel"]
    h = np.zeros([2, 3], np.float32)
    attention = np.zeros([2, layer_size or 4], np.float32)
    for t in range(3):
        cell_in = np.concatenate([X[:, t], attention], 1)
        h = np.tanh(np.concatenate([cell_in, h], 1) @ w["basic_rnn_cell/kernel"]
                    + w["basic_rnn_cell/bias"])  # fmt: skip
        alignments = _softmax_masked(_np_score(kind, options, h, keys, w), MEMORY_LENGTHS)
        context = np.einsum("bt,btd->bd", alignments, masked)
        attention = context
        if layer_size:
            attention = np.concatenate([h, context], 1) @ w["attention_layer/kernel"]
        np.testing.assert_allclose(hist[t], alignments, rtol=1e-5, atol=1e-6)
        expected = attention if output_attention else h
        np.testing.assert_allclose(out[:, t], expected, rtol=1e-4, atol=1e-5)
    assert not hist[:, 1, 3:].any()  # past the memory's length


def test_variable_names_in_a_decoder():
    with tf.Graph().as_default():
        memory = tf.constant(MEMORY)
        with tf.variable_scope("decoder"):
            bahdanau = s2s.BahdanauAttention(3, memory, MEMORY_LENGTHS, normalize=True)
            luong = s2s.LuongAttention(4, memory, scale=True)
        cell = s2s.AttentionWrapper(
            tf.nn.rnn_cell.BasicLSTMCell(4), [bahdanau, luong], attention_layer_size=[5, 2]
        )
        helper = s2s.TrainingHelper(tf.constant(X), [3, 2])
        decoder = s2s.BasicDecoder(cell, helper, cell.zero_state(2, tf.float32), tf.layers.Dense(7))
        outputs, state, _ = s2s.dynamic_decode(decoder, scope="decoder")
        assert outputs.rnn_output.shape.as_list() == [2, None, 7]
        assert [(v.op.name, v.shape.as_list()) for v in tf.global_variables()] == [
            ("decoder/memory_layer/kernel", [4, 3]),
            ("decoder/memory_layer_1/kernel", [4, 4]),
            ("decoder/attention_wrapper/basic_lstm_cell/kernel", [13, 16]),
            ("decoder/attention_wrapper/basic_lstm_cell/bias", [16]),
            ("decoder/attention_wrapper/bahdanau_attention/query_layer/kernel", [4, 3]),
            ("decoder/attention_wrapper/bahdanau_attention/attention_v", [3]),
            ("decoder/attention_wrapper/bahdanau_attention/attention_g", []),
            ("decoder/attention_wrapper/bahdanau_attention/attention_b", [3]),
            ("decoder/attention_wrapper/attention_layer/kernel", [8, 5]),
            ("decoder/attention_wrapper/luong_attention/attention_g", []),
            ("decoder/attention_wrapper/attention_layer_1/kernel", [8, 2]),
            ("decoder/dense/kernel", [7, 7]),
            ("decoder/dense/bias", [7]),
        ]
        assert isinstance(state, s2s.AttentionWrapperState)
        assert len(state.alignments) == 2 and state.alignment_history == ((), ())
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            g = sess.run("decoder/attention_wrapper/bahdanau_attention/attention_g:0")
    assert np.isclose(g, np.sqrt(1 / 3))


def test_initial_cell_state_and_clone():
    with tf.Graph().as_default():
        mechanism = s2s.LuongAttention(3, tf.constant(MEMORY))
        inner = tf.nn.rnn_cell.GRUCell(3)
        start = tf.fill([2, 3], 0.5)
        cell = s2s.AttentionWrapper(inner, mechanism, initial_cell_state=start)
        zero = cell.zero_state(2, tf.float32)
        assert cell.output_size == 4 and cell.state_size.attention == 4
        cloned = cell.zero_state(2, tf.float32).clone(cell_state=tf.ones([2, 3]))
        assert cloned.cell_state.shape.as_list() == [2, 3]
        with tf.Session() as sess:
            got, ones = sess.run([zero.cell_state, cloned.cell_state])
    assert (got == 0.5).all() and (ones == 1).all()


def test_errors():
    with tf.Graph().as_default():
        memory = tf.constant(MEMORY)
        cell = tf.nn.rnn_cell.GRUCell(3)
        mechanism = s2s.LuongAttention(4, memory)
        with pytest.raises(TypeError, match="must be an AttentionMechanism"):
            s2s.AttentionWrapper(cell, object())
        with pytest.raises(TypeError, match="must contain only instances of AttentionMechanism"):
            s2s.AttentionWrapper(cell, [mechanism, 3])
        with pytest.raises(ValueError, match="exactly one integer per attention_mechanism"):
            s2s.AttentionWrapper(cell, [mechanism], attention_layer_size=[2, 3])
        with pytest.raises(ValueError, match="Only one of attention_layer_size"):
            s2s.AttentionWrapper(cell, mechanism, 2, attention_layer=tf.layers.Dense(2))
        with pytest.raises(TypeError, match="cell_input_fn must be callable"):
            s2s.AttentionWrapper(cell, mechanism, cell_input_fn=3)
        with pytest.raises(ValueError, match="fully defined inner dims"):
            s2s.BahdanauAttention(3, tf.placeholder(tf.float32, [2, 5, None]))
        wrapper = s2s.AttentionWrapper(cell, mechanism)
        with pytest.raises(ValueError, match="Incompatible or unknown inner dimensions"):
            tf.nn.dynamic_rnn(wrapper, tf.constant(X), dtype=tf.float32)
        with pytest.raises(TypeError, match="Expected state to be instance of"):
            s2s.AttentionWrapper(cell, s2s.LuongAttention(3, memory))(
                tf.constant(X[:, 0]), tf.zeros([2, 3])
            )
        bad = s2s.AttentionWrapper(cell, s2s.LuongAttention(3, memory))
        # known sizes: TF1's assert_equal raises while building
        with pytest.raises(tf.errors.InvalidArgumentError, match="Non-matching batch sizes"):
            bad.zero_state(3, tf.float32)
        batch = tf.placeholder(tf.int32, [])
        state = bad.zero_state(batch, tf.float32)
        with tf.Session() as sess:
            with pytest.raises(tf.errors.InvalidArgumentError, match="tile_batch"):
                sess.run(state.cell_state, {batch: 3})


def test_gradients_through_attention_by_finite_differences():
    with tf.Graph().as_default():
        memory = tf.Variable(MEMORY, name="memory")
        mechanism = s2s.BahdanauAttention(3, memory, MEMORY_LENGTHS, normalize=True)
        cell = s2s.AttentionWrapper(tf.nn.rnn_cell.GRUCell(3), mechanism, attention_layer_size=2)
        helper = s2s.TrainingHelper(tf.constant(X), [3, 2])
        decoder = s2s.BasicDecoder(cell, helper, cell.zero_state(2, tf.float32))
        outputs, _, _ = s2s.dynamic_decode(decoder, impute_finished=True)
        loss = tf.reduce_sum(tf.square(outputs.rnn_output))
        variables = tf.global_variables()
        grads = tf.gradients(loss, variables)
        assert all(g is not None for g in grads)
        by_name = {v.op.name: (v, g) for v, g in zip(variables, grads, strict=True)}
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            for name, index in [
                ("memory", (0, 1, 2)),
                ("decoder/attention_wrapper/bahdanau_attention/attention_v", (1,)),
                ("decoder/attention_wrapper/bahdanau_attention/attention_g", ()),
                ("memory_layer/kernel", (2, 0)),
            ]:
                variable, grad = by_name[name]
                analytic = sess.run(grad)[index]
                base = variable.eval(sess)
                values = []
                for sign in (1, -1):
                    bumped = np.array(base, copy=True)
                    bumped[index] += sign * 1e-2
                    variable.load(bumped, sess)
                    values.append(sess.run(loss))
                variable.load(base, sess)
                numeric = (values[0] - values[1]) / 2e-2
                np.testing.assert_allclose(analytic, numeric, rtol=2e-2, atol=2e-3, err_msg=name)
            memory_grad = sess.run(by_name["memory"][1])
    assert not memory_grad[1, 3:].any()  # masked memory steps get no gradient


def test_hardmax_as_a_probability_fn():
    memory = RNG.normal(size=[2, 4, 2]).astype(np.float32)
    with tf.Graph().as_default():
        mechanism = s2s.LuongAttention(2, tf.constant(memory), probability_fn=s2s.hardmax)
        alignments, _ = mechanism(tf.constant(X[:, 0]), None)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            got, keys = sess.run([alignments, mechanism.keys])
    expected = np.eye(4)[np.einsum("bd,btd->bt", X[:, 0], keys).argmax(1)]
    np.testing.assert_array_equal(got, expected)
