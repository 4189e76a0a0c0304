"""tf.contrib.seq2seq's beam search: BeamSearchDecoder against a NumPy beam search over the
same weights (with and without a length penalty), gather_tree against NumPy backtracking,
tile_batch, an attention decoder's beams and history, errors."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf

s2s = tf.contrib.seq2seq
RNG = np.random.default_rng(13)
VOCAB, BEAM, END = 5, 3, 1


def _np_gather_tree(step_ids, parent_ids, lengths, end_token):
    out = np.full_like(step_ids, end_token)
    for b in range(step_ids.shape[1]):
        n = min(lengths[b], step_ids.shape[0])
        for k in range(step_ids.shape[2]):
            parent = k
            for t in range(n - 1, -1, -1):
                out[t, b, k] = step_ids[t, b, parent]
                parent = parent_ids[t, b, parent]
            seen = False
            for t in range(n):
                if seen:
                    out[t, b, k] = end_token
                seen = seen or out[t, b, k] == end_token
    return out


def test_gather_tree_matches_backtracking():
    steps, batch = 6, 3
    step_ids = RNG.integers(0, 4, size=[steps, batch, BEAM]).astype(np.int32)
    parent_ids = RNG.integers(0, BEAM, size=[steps, batch, BEAM]).astype(np.int32)
    lengths = np.array([6, 3, 0], np.int32)
    with tf.Graph().as_default():
        got = tf.Session().run(s2s.gather_tree(step_ids, parent_ids, lengths, 2))
    np.testing.assert_array_equal(got, _np_gather_tree(step_ids, parent_ids, lengths, 2))
    assert (got[:, 2] == 2).all()


def test_tile_batch_repeats_each_row():
    x = RNG.normal(size=[2, 3]).astype(np.float32)
    with tf.Graph().as_default():
        nested = s2s.tile_batch((tf.constant(x), tf.placeholder(tf.float32, [None, 4])), 3)
        assert nested[0].shape.as_list() == [6, 3] and nested[1].shape.as_list() == [None, 4]
        assert nested[0].op.name.startswith("tile_batch/")
        got = tf.Session().run(nested[0])
        with pytest.raises(ValueError, match="statically known rank"):
            s2s.tile_batch(tf.placeholder(tf.float32), 2)
    np.testing.assert_array_equal(got, np.repeat(x, 3, axis=0))


def _np_beam_search(w, embedding, batch, max_iterations, length_penalty):
    kernel, bias, dense_k, dense_b = w
    hidden = bias.shape[0]
    h = np.zeros([batch, BEAM, hidden], np.float32)
    log_probs = np.full([batch, BEAM], -np.inf, np.float32)
    log_probs[:, 0] = 0
    finished = np.ones([batch, BEAM], bool)
    finished[:, 0] = False
    lengths = np.zeros([batch, BEAM], np.int64)
    steps = np.zeros([batch, BEAM], np.int64)  # dynamic_decode's count, per beam slot
    ids = np.zeros([batch, BEAM], np.int64)
    trace = {"scores": [], "predicted_ids": [], "parent_ids": []}
    for time in range(max_iterations):
        steps = np.where(finished, steps, time + 1)
        x = embedding[ids]
        h = np.tanh(np.concatenate([x, h], 2) @ kernel + bias)
        logits = h @ dense_k + dense_b
        shifted = logits - logits.max(2, keepdims=True)
        lp = shifted - np.log(np.exp(shifted).sum(2, keepdims=True))
        eos_row = np.full(VOCAB, np.finfo(np.float32).min, np.float32)
        eos_row[END] = 0
        lp = np.where(finished[..., None], eos_row, lp)
        total = log_probs[..., None] + lp
        add = (np.arange(VOCAB) != END)[None, None] * ~finished[..., None]
        new_lengths = lengths[..., None] + add
        penalty = ((5.0 + new_lengths) / 6.0) ** length_penalty if length_penalty else 1.0
        scores = (total / penalty).reshape(batch, -1)
        best = np.argsort(-scores, axis=1, kind="stable")[:, :BEAM]
        words, parents = best % VOCAB, best // VOCAB
        rows = np.arange(batch)[:, None]
        log_probs = total.reshape(batch, -1)[rows, best]
        prev_finished = finished[rows, parents]
        finished = prev_finished | (words == END)
        lengths = lengths[rows, parents] + ~prev_finished
        h = h[rows, parents]
        ids = words
        for key, value in zip(trace, (scores[rows, best], words, parents), strict=True):
            trace[key].append(value)
        if finished.all():
            break
    trace = {k: np.stack(v, 0) for k, v in trace.items()}
    predicted = _np_gather_tree(trace["predicted_ids"], trace["parent_ids"], lengths.max(1), END)
    return trace, predicted, lengths, log_probs, steps


@pytest.mark.parametrize("length_penalty", [0.0, 0.6])
def test_beam_search_matches_numpy(length_penalty):
    batch = 2
    embedding = RNG.normal(size=[VOCAB, 3]).astype(np.float32)
    with tf.Graph().as_default():
        cell = tf.nn.rnn_cell.BasicRNNCell(4)
        decoder = s2s.BeamSearchDecoder(
            cell, tf.constant(embedding), tf.fill([batch], 0), END,
            cell.zero_state(batch * BEAM, tf.float32), BEAM, output_layer=tf.layers.Dense(VOCAB),
            length_penalty_weight=length_penalty,
        )  # fmt: skip
        outputs, state, lengths = s2s.dynamic_decode(decoder, maximum_iterations=7)
        assert isinstance(outputs, s2s.FinalBeamSearchDecoderOutput)
        assert outputs.predicted_ids.shape.as_list() == [batch, None, BEAM]
        assert [v.op.name for v in tf.global_variables()] == [
            "decoder/basic_rnn_cell/kernel",
            "decoder/basic_rnn_cell/bias",
            "decoder/dense/kernel",
            "decoder/dense/bias",
        ]
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            got, got_state, got_lengths, w = sess.run(
                [outputs, state, lengths, tf.global_variables()]
            )
    trace, predicted, np_lengths, np_log_probs, np_steps = _np_beam_search(
        w, embedding, batch, 7, length_penalty
    )
    steps = got.beam_search_decoder_output
    for key in trace:
        np.testing.assert_allclose(
            getattr(steps, key).transpose(1, 0, 2), trace[key], rtol=1e-4, atol=1e-4
        )
    np.testing.assert_array_equal(got.predicted_ids.transpose(1, 0, 2), predicted)
    np.testing.assert_array_equal(got_state.lengths, np_lengths)
    np.testing.assert_allclose(got_state.log_probs, np_log_probs, rtol=1e-4, atol=1e-4)
    # TF 1.15's dynamic_decode counts each beam slot's unfinished steps, not the state's lengths
    np.testing.assert_array_equal(got_lengths, np_steps)


@pytest.mark.parametrize("static_batch", [True, False])
def test_attention_decoder_with_tiled_memory_and_history(static_batch):
    """The alignment history of an attention decoder's beams: reordered along the final beams
    when the batch size is dynamic; with a static one TF 1.15's shape check refuses the
    ``[batch * beam, max_time]`` elements and leaves the TensorArray as it is."""
    batch = 2
    # Fixed inputs and weights: with others a beam may finish early (seen once in a full run).
    memory = np.random.default_rng(3).normal(size=[batch, 4, 3]).astype(np.float32)
    with tf.Graph().as_default():
        tf.set_random_seed(3)
        fed = tf.placeholder(tf.float32, [batch if static_batch else None, 4, 3])
        starts = tf.placeholder(tf.int32, [batch if static_batch else None])
        tiled = s2s.tile_batch(fed, BEAM)
        tiled_lengths = s2s.tile_batch(tf.constant([4, 2]), BEAM)
        mechanism = s2s.LuongAttention(3, tiled, tiled_lengths)
        cell = s2s.AttentionWrapper(
            tf.nn.rnn_cell.GRUCell(3), mechanism, attention_layer_size=3, alignment_history=True
        )
        start = cell.zero_state(tf.size(starts) * BEAM, tf.float32)
        decoder = s2s.BeamSearchDecoder(
            cell, tf.ones([VOCAB, 2]), starts, END, start, BEAM, tf.layers.Dense(VOCAB)
        )
        outputs, state, _ = s2s.dynamic_decode(decoder, maximum_iterations=3)
        history = state.cell_state.alignment_history
        if static_batch:
            assert isinstance(history, tf.TensorArray)
            history = history.stack()
        else:
            assert isinstance(history, tf.Tensor)  # stacked and reordered
        names = [v.op.name for v in tf.global_variables()]
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            got = sess.run(history, {fed: memory, starts: [0, 0]})
    assert names[0] == "memory_layer/kernel"
    assert "decoder/attention_wrapper/gru_cell/gates/kernel" in names
    assert "decoder/attention_wrapper/attention_layer/kernel" in names
    assert got.shape == (3, batch * BEAM, 4)
    np.testing.assert_allclose(got.sum(-1), 1, rtol=1e-5)
    assert not got[:, BEAM:, 2:].any()  # the second row's memory has 2 steps


def test_errors():
    with tf.Graph().as_default():
        cell = tf.nn.rnn_cell.GRUCell(3)
        state = cell.zero_state(6, tf.float32)
        with pytest.raises(ValueError, match="start_tokens must be a vector"):
            s2s.BeamSearchDecoder(cell, tf.ones([5, 2]), 0, END, state, BEAM)
        with pytest.raises(ValueError, match="end_token must be a scalar"):
            s2s.BeamSearchDecoder(cell, tf.ones([5, 2]), [0, 0], [END], state, BEAM)
        with pytest.raises(TypeError, match="output_layer must be a Layer"):
            s2s.BeamSearchDecoder(cell, tf.ones([5, 2]), [0, 0], END, state, BEAM, max)
        with pytest.raises(ValueError, match="Perhaps you forgot to create a zero_state"):
            s2s.BeamSearchDecoder(
                cell, tf.ones([5, 2]), [0, 0], END, cell.zero_state(5, tf.float32), BEAM
            )
        decoder = s2s.BeamSearchDecoder(
            cell, tf.ones([5, 2]), [0, 0], END, state, BEAM, coverage_penalty_weight=0.5
        )
        with pytest.raises(ValueError, match="coverage_penalty_weight must be 0.0 if no cell"):
            s2s.dynamic_decode(decoder)


def test_inference_decoder_reuses_the_training_decoders_variables():
    """The NMT pattern: a training decoder, then a beam search decoder built again under the
    same scope with reuse=True makes no variable and runs on the trained ones."""
    with tf.Graph().as_default():
        memory = tf.constant(RNG.normal(size=[2, 4, 3]).astype(np.float32))
        embedding = tf.get_variable("embedding", [VOCAB, 2])
        projection = tf.layers.Dense(VOCAB, use_bias=False, name="output_projection")

        def attention_cell(memory, batch_size):
            mechanism = s2s.BahdanauAttention(3, memory, None)
            layers = [tf.nn.rnn_cell.GRUCell(3) for _ in range(2)]
            cell = s2s.AttentionWrapper(
                tf.nn.rnn_cell.MultiRNNCell(layers), mechanism, attention_layer_size=3
            )
            return cell, cell.zero_state(batch_size, tf.float32)

        with tf.variable_scope("decoder") as scope:
            cell, start = attention_cell(memory, 2)
            helper = s2s.TrainingHelper(tf.nn.embedding_lookup(embedding, [[0, 2], [0, 3]]), [2, 2])
            decoder = s2s.BasicDecoder(cell, helper, start, projection)
            s2s.dynamic_decode(decoder, scope=scope)
        names = [v.op.name for v in tf.global_variables()]
        with tf.variable_scope("decoder", reuse=True) as scope:
            cell, start = attention_cell(s2s.tile_batch(memory, BEAM), 2 * BEAM)
            beam = s2s.BeamSearchDecoder(cell, embedding, [0, 0], END, start, BEAM, projection)
            outputs, _, _ = s2s.dynamic_decode(beam, maximum_iterations=3, scope=scope)
        assert [v.op.name for v in tf.global_variables()] == names
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            ids = sess.run(outputs.predicted_ids)
    assert names[1:4] == [
        "decoder/memory_layer/kernel",
        "decoder/attention_wrapper/multi_rnn_cell/cell_0/gru_cell/gates/kernel",
        "decoder/attention_wrapper/multi_rnn_cell/cell_0/gru_cell/gates/bias",
    ]
    assert names[-1] == "decoder/output_projection/kernel"
    assert ids.shape[0] == 2 and ids.shape[2] == BEAM and ids.shape[1] <= 3


def test_reordered_history_follows_each_final_beams_ancestry():
    rng = np.random.default_rng(3)  # (its own: the module's RNG state depends on test order)
    memory = rng.normal(size=[2, 4, 3]).astype(np.float32)
    with tf.Graph().as_default():
        tf.set_random_seed(4)  # initial weights whose beams do get reordered
        fed = tf.placeholder(tf.float32, [None, 4, 3])
        starts = tf.placeholder(tf.int32, [None])
        mechanism = s2s.BahdanauAttention(3, s2s.tile_batch(fed, BEAM))
        cell = s2s.AttentionWrapper(tf.nn.rnn_cell.GRUCell(3), mechanism, alignment_history=True)
        projection = tf.layers.Dense(VOCAB)
        embedding = tf.constant(rng.normal(size=[VOCAB, 2]).astype(np.float32))
        results = []
        for reorder in (False, True):  # one cell and layer: the same variables
            decoder = s2s.BeamSearchDecoder(
                cell, embedding, starts, END,
                cell.zero_state(tf.size(starts) * BEAM, tf.float32), BEAM, projection,
                reorder_tensor_arrays=reorder,
            )  # fmt: skip
            outputs, state, _ = s2s.dynamic_decode(decoder, maximum_iterations=5)
            history = state.cell_state.alignment_history
            results.append(
                [history if reorder else history.stack(), outputs.beam_search_decoder_output,
                 state.lengths]
            )  # fmt: skip
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            (raw, steps, lengths), (got, _, _) = sess.run(results, {fed: memory, starts: [0, 0]})
    parents = steps.parent_ids.transpose(1, 0, 2)  # [time, batch, beam]
    time = parents.shape[0]
    beams = np.broadcast_to(np.arange(BEAM), parents.shape)
    ancestry = _np_gather_tree(beams, parents, lengths.max(1), BEAM + 1)
    ancestry = np.where(np.arange(time)[:, None, None] < lengths[None], ancestry, beams)
    rows = np.arange(2)[None, :, None] * BEAM + ancestry
    expected = raw[np.arange(time)[:, None, None], rows].reshape(raw.shape)
    np.testing.assert_allclose(got, expected, rtol=1e-6)
    assert not np.allclose(got, raw)  # the beams were reordered
