"""tf.contrib.seq2seq's monotonic attention: monotonic_attention's three modes against a NumPy
recurrence, safe_cumprod, and Bahdanau/Luong monotonic mechanisms in an AttentionWrapper
(their variables under TF 1.15's names, read from its source; alignments against NumPy)."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf

s2s = tf.contrib.seq2seq
RNG = np.random.default_rng(17)


def _np_monotonic(p, previous):
    """q[i] = (1 - p[i-1]) q[i-1] + previous[i]; attention[i] = p[i] q[i]."""
    q = np.zeros(p.shape[0])
    out = np.zeros_like(p)
    for i in range(p.shape[1]):
        q = (1 - p[:, i - 1]) * q + previous[:, i] if i else previous[:, 0]
        out[:, i] = p[:, i] * q
    return out


@pytest.mark.parametrize("mode", ["recursive", "parallel"])
def test_soft_modes_match_the_recurrence(mode):
    p = RNG.uniform(0.05, 0.95, size=[3, 6]).astype(np.float32)
    previous = RNG.dirichlet(np.ones(6), size=3).astype(np.float32)
    with tf.Graph().as_default():
        got = tf.Session().run(s2s.monotonic_attention(p, previous, mode))
    np.testing.assert_allclose(got, _np_monotonic(p, previous), rtol=1e-4, atol=1e-6)


def test_hard_mode_picks_the_first_choice_at_or_after_the_last():
    p = np.array([[1, 0, 1, 1, 0], [0, 0, 0, 1, 1]], np.float32)
    previous = np.array([[0, 0, 1, 0, 0], [0, 1, 0, 0, 0]], np.float32)
    with tf.Graph().as_default():
        got = tf.Session().run(s2s.monotonic_attention(p, previous, "hard"))
        with pytest.raises(ValueError, match="mode must be 'recursive', 'parallel', or 'hard'"):
            s2s.monotonic_attention(p, previous, "soft")
    assert got.tolist() == [[0, 0, 1, 0, 0], [0, 0, 0, 1, 0]]


def test_safe_cumprod_matches_cumprod():
    x = RNG.uniform(0.1, 1, size=[2, 5]).astype(np.float32)
    with tf.Graph().as_default():
        got = tf.Session().run(s2s.safe_cumprod(x, axis=1, exclusive=True))
    expected = np.concatenate([np.ones([2, 1]), np.cumprod(x, 1)[:, :-1]], 1)
    np.testing.assert_allclose(got, expected, rtol=1e-5)


@pytest.mark.parametrize("kind", ["bahdanau", "luong"])
def test_monotonic_mechanisms_in_a_wrapper(kind):
    memory = RNG.normal(size=[2, 5, 3]).astype(np.float32)
    x = RNG.normal(size=[2, 3, 2]).astype(np.float32)
    with tf.Graph().as_default():
        if kind == "bahdanau":
            mechanism = s2s.BahdanauMonotonicAttention(
                3, tf.constant(memory), [5, 3], normalize=True, score_bias_init=-1.0
            )
        else:
            mechanism = s2s.LuongMonotonicAttention(
                3, tf.constant(memory), [5, 3], scale=True, score_bias_init=-1.0
            )
        cell = s2s.AttentionWrapper(
            tf.nn.rnn_cell.BasicRNNCell(3), mechanism, alignment_history=True
        )
        zero = cell.zero_state(2, tf.float32)
        _, state = tf.nn.dynamic_rnn(cell, tf.constant(x), initial_state=zero, dtype=tf.float32)
        history = state.alignment_history.stack()
        variables = tf.global_variables()
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            first, hist, values = sess.run([zero.alignments, history, variables])
    w = {
        v.op.name.replace("rnn/attention_wrapper/", ""): x
        for v, x in zip(variables, values, strict=True)
    }
    scope = f"{kind}_monotonic_attention/"
    expected_names = {
        "bahdanau": ["query_layer/kernel", "attention_v", "attention_g", "attention_b"],
        "luong": ["attention_g"],
    }[kind] + ["attention_score_bias"]
    assert [n for n in w if n.startswith(scope)] == [scope + n for n in expected_names]
    assert w[scope + "attention_score_bias"] == -1.0
    assert first.tolist() == [[1, 0, 0, 0, 0]] * 2
    mask = np.arange(5)[None, :, None] < np.array([5, 3])[:, None, None]
    masked = memory * mask
    keys = masked @ w["memory_layer/kernel"]
    h = np.zeros([2, 3], np.float32)
    attention = np.zeros([2, 3], np.float32)
    alignments = first
    for t in range(3):
        cell_in = np.concatenate([x[:, t], attention, h], 1)
        h = np.tanh(cell_in @ w["basic_rnn_cell/kernel"] + w["basic_rnn_cell/bias"])
        if kind == "bahdanau":
            v = w[scope + "attention_v"]
            v = w[scope + "attention_g"] * v / np.sqrt((v**2).sum())
            processed = h @ w[scope + "query_layer/kernel"] + w[scope + "attention_b"]
            score = (v * np.tanh(keys + processed[:, None])).sum(2)
        else:
            score = np.einsum("bd,btd->bt", h, keys) * w[scope + "attention_g"]
        score = np.where(mask[..., 0], score + w[scope + "attention_score_bias"], -np.inf)
        alignments = _np_monotonic(1 / (1 + np.exp(-score)), alignments)
        attention = np.einsum("bt,btd->bd", alignments, masked)
        np.testing.assert_allclose(hist[t], alignments, rtol=1e-4, atol=1e-5)
