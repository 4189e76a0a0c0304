"""tf.contrib.crf against a brute-force enumeration of every tag sequence: sequence scores, log
partition functions, log-likelihoods (and their gradients, by finite differences), Viterbi
decoding in the graph and in NumPy, rows of length 0 and 1, and the ``transitions``
variable."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

import scopeflow as tf

crf = tf.contrib.crf
RNG = np.random.default_rng(11)
NUM_TAGS = 3
INPUTS = RNG.normal(size=[4, 4, NUM_TAGS]).astype(np.float32)
TAGS = RNG.integers(0, NUM_TAGS, size=[4, 4]).astype(np.int32)
LENGTHS = np.array([4, 2, 1, 0], np.int32)
TRANSITIONS = RNG.normal(size=[NUM_TAGS, NUM_TAGS]).astype(np.float32)


def _score(inputs, tags, transitions):
    return sum(inputs[t, tag] for t, tag in enumerate(tags)) + sum(
        transitions[a, b] for a, b in itertools.pairwise(tags)
    )


def _all_sequences(length):
    return itertools.product(range(NUM_TAGS), repeat=length)


def _brute_force(inputs, length, transitions):
    """(log partition, best tags, best score) of one row by enumeration."""
    if length == 0:
        return 0.0, [], 0.0
    scores = {seq: _score(inputs, seq, transitions) for seq in _all_sequences(length)}
    best = max(scores, key=scores.get)
    log_z = np.log(np.sum(np.exp(list(scores.values()))))
    return log_z, list(best), scores[best]


def _run(*fetches, feed=None):
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        return sess.run(list(fetches), feed)


def test_scores_norms_and_likelihoods_match_enumeration():
    with tf.Graph().as_default():
        args = tf.constant(INPUTS), tf.constant(TAGS), tf.constant(LENGTHS)
        transitions = tf.constant(TRANSITIONS)
        score = crf.crf_sequence_score(*args, transitions)
        norm = crf.crf_log_norm(args[0], args[2], transitions)
        ll, same = crf.crf_log_likelihood(*args, transitions)
        assert same is transitions
        got_score, got_norm, got_ll = _run(score, norm, ll)
    for b, length in enumerate(LENGTHS):
        log_z, _, _ = _brute_force(INPUTS[b], length, TRANSITIONS)
        expected = _score(INPUTS[b], TAGS[b, :length], TRANSITIONS) if length else 0.0
        np.testing.assert_allclose(got_score[b], expected, rtol=1e-5, atol=1e-5)
        np.testing.assert_allclose(got_norm[b], log_z, rtol=1e-5, atol=1e-5)
        np.testing.assert_allclose(got_ll[b], expected - log_z, rtol=1e-5, atol=1e-5)


def test_single_step_inputs_take_the_single_sequence_branch():
    with tf.Graph().as_default():
        inputs = tf.constant(INPUTS[:, :1])
        lengths = tf.constant([1, 1, 0, 1])
        score = crf.crf_sequence_score(inputs, tf.constant(TAGS[:, :1]), lengths, TRANSITIONS)
        norm = crf.crf_log_norm(inputs, lengths, tf.constant(TRANSITIONS))
        tags, best = crf.crf_decode(inputs, tf.constant(TRANSITIONS), lengths)
        got_score, got_norm, got_tags, got_best = _run(score, norm, tags, best)
    row = INPUTS[:, 0]
    expected = row[np.arange(4), TAGS[:, 0]] * [1, 1, 0, 1]
    np.testing.assert_allclose(got_score, expected, rtol=1e-6)
    log_z = np.log(np.exp(row).sum(1)) * [1, 1, 0, 1]
    np.testing.assert_allclose(got_norm, log_z, rtol=1e-5)
    assert got_tags.tolist() == row.argmax(1)[:, None].tolist()
    np.testing.assert_allclose(got_best, row.max(1))


def test_crf_decode_and_viterbi_decode_match_enumeration():
    with tf.Graph().as_default():
        lengths = np.array([4, 2, 1, 3], np.int32)
        tags, best = crf.crf_decode(
            tf.constant(INPUTS), tf.constant(TRANSITIONS), tf.constant(lengths)
        )
        assert tags.dtype == tf.int32
        got_tags, got_best = _run(tags, best)
    for b, length in enumerate(lengths):
        _, best_tags, best_score = _brute_force(INPUTS[b], length, TRANSITIONS)
        assert got_tags[b].tolist() == best_tags + [0] * (4 - length)
        np.testing.assert_allclose(got_best[b], best_score, rtol=1e-5)
        viterbi, viterbi_score = crf.viterbi_decode(INPUTS[b, :length], TRANSITIONS)
        assert [int(t) for t in viterbi] == best_tags
        np.testing.assert_allclose(viterbi_score, best_score, rtol=1e-5)


def test_transitions_variable_and_gradients_by_finite_differences():
    with tf.Graph().as_default():
        inputs = tf.Variable(INPUTS, name="unary")
        with tf.variable_scope("crf"):
            ll, transitions = crf.crf_log_likelihood(
                inputs, tf.constant(TAGS), tf.constant(LENGTHS)
            )
        assert transitions.op.name == "crf/transitions"
        assert transitions.shape.as_list() == [NUM_TAGS, NUM_TAGS]
        loss = -tf.reduce_sum(ll)
        grads = tf.gradients(loss, [inputs, transitions])
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            got = sess.run(grads)
            for variable, grad in zip([inputs, transitions], got, strict=True):
                base = variable.eval(sess)
                for index in [(0, 0), (1, 2)] if base.ndim == 2 else [(0, 3, 1), (1, 1, 0)]:
                    values = []
                    for sign in (1, -1):
                        bumped = base.copy()
                        bumped[index] += sign * 1e-2
                        variable.load(bumped, sess)
                        values.append(sess.run(loss))
                    variable.load(base, sess)
                    numeric = (values[0] - values[1]) / 2e-2
                    np.testing.assert_allclose(grad[index], numeric, rtol=2e-2, atol=2e-3)
    assert not got[0][1, 2:].any() and not got[0][3].any()  # past each row's length


def test_forward_cell_is_one_logsumexp_step():
    with tf.Graph().as_default():
        cell = crf.CrfForwardRnnCell(tf.constant(TRANSITIONS))
        assert cell.state_size == cell.output_size == NUM_TAGS
        alphas = INPUTS[:, 0]
        out, state = cell(tf.constant(INPUTS[:, 1]), tf.constant(alphas))
        got = _run(out)[0]
    expected = INPUTS[:, 1] + np.log(np.exp(alphas[:, :, None] + TRANSITIONS[None]).sum(1))
    np.testing.assert_allclose(got, expected, rtol=1e-5)
    assert state is out


@pytest.mark.parametrize("dtype", [np.int32, np.int64])
def test_int64_tags(dtype):
    with tf.Graph().as_default():
        score = crf.crf_unary_score(
            tf.constant(TAGS.astype(dtype)), tf.constant(LENGTHS), tf.constant(INPUTS)
        )
        got = _run(score)[0]
    expected = [INPUTS[b, np.arange(n), TAGS[b, :n]].sum() for b, n in enumerate(LENGTHS)]
    np.testing.assert_allclose(got, expected, rtol=1e-5)


def test_multitag_sequence_score_matches_enumeration():
    bitmap = RNG.random(size=INPUTS.shape) < 0.6
    bitmap[..., 0] = True  # every step allows at least one tag
    lengths = np.array([4, 3, 2, 1], np.int32)
    with tf.Graph().as_default():
        score = crf.crf_multitag_sequence_score(
            tf.constant(INPUTS), tf.constant(bitmap), tf.constant(lengths), TRANSITIONS
        )
        got = _run(score)[0]
    for b, length in enumerate(lengths):
        allowed = [
            _score(INPUTS[b], seq, TRANSITIONS)
            for seq in _all_sequences(length)
            if all(bitmap[b, t, tag] for t, tag in enumerate(seq))
        ]
        np.testing.assert_allclose(got[b], np.log(np.sum(np.exp(allowed))), rtol=1e-5)
