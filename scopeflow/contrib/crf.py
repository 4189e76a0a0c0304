"""``tf.contrib.crf``: a linear-chain conditional random field over per-step tag scores, as
TF 1.15 has it: the score of a tag sequence, the log partition function (a forward pass of
``CrfForwardRnnCell`` through ``dynamic_rnn``), the log-likelihood (its ``transitions``
variable made when none is given), Viterbi decoding in the graph (``crf_decode``) and in NumPy
(``viterbi_decode``).

>>> import numpy as np, scopeflow as tf
>>> with tf.Graph().as_default():
...     scores = tf.constant(np.log(np.float32([[[1, 2], [3, 1], [1, 1]]])))
...     ll, transitions = tf.contrib.crf.crf_log_likelihood(
...         scores, tf.constant([[1, 0, 0]]), tf.constant([2]), tf.zeros([2, 2]))
...     tags, best = tf.contrib.crf.crf_decode(scores, transitions, tf.constant([2]))
...     print(np.round(tf.Session().run(tf.exp(ll)), 4), tf.Session().run(tags))
[0.5] [[1 0 0]]
"""

from __future__ import annotations

import numpy as np

from scopeflow.framework import dtypes, tensor_shape
from scopeflow.framework.constant import constant
from scopeflow.layers.utils import smart_cond
from scopeflow.ops.array.basic import fill, reshape, shape, stack
from scopeflow.ops.array.cast import cast
from scopeflow.ops.array.gather import gather, gather_nd
from scopeflow.ops.array.join import concat
from scopeflow.ops.array.reverse_sequence import reverse_sequence
from scopeflow.ops.array.shape import expand_dims, squeeze, zeros_like
from scopeflow.ops.array.slicing import slice as slice_
from scopeflow.ops.math.elementwise import equal, less_equal, maximum
from scopeflow.ops.math.reduction import argmax, reduce_logsumexp, reduce_max, reduce_sum
from scopeflow.ops.math.selection import where
from scopeflow.ops.math.sequence import range as range_
from scopeflow.ops.math.sequence import sequence_mask
from scopeflow.rnn.cell_base import RNNCell
from scopeflow.rnn.dynamic import dynamic_rnn
from scopeflow.variables.variable_scope import get_variable


def _one_step(tensor):
    """Whether ``tensor`` has one time step: a Python bool when its shape says, else a
    tensor (TF1's ``smart_cond`` predicate)."""
    steps = tensor_shape.dimension_value(tensor.shape[1])
    return steps == 1 if steps is not None else equal(shape(tensor)[1], 1)


def _zero_where_empty(sequence_lengths, values):
    return where(less_equal(sequence_lengths, 0), zeros_like(values), values)


def crf_sequence_score(inputs, tag_indices, sequence_lengths, transition_params):
    """The unnormalized score of ``tag_indices`` ``[batch, time]`` under the unary scores
    ``inputs`` ``[batch, time, num_tags]`` and ``transition_params`` ``[num_tags, num_tags]``,
    each row counted up to its length: ``[batch]``.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     transitions = tf.constant([[0.0, 5.0], [5.0, 0.0]])
    ...     score = tf.contrib.crf.crf_sequence_score(
    ...         tf.ones([1, 3, 2]), tf.constant([[0, 1, 1]]), tf.constant([2]), transitions)
    ...     print(tf.Session().run(score))  # 1 + 1 + T[0, 1]
    [7.]
    """

    def single_seq_fn():
        batch_size = cast(shape(inputs)[0], tag_indices.dtype)
        example_inds = reshape(range_(batch_size, dtype=tag_indices.dtype), [-1, 1])
        scores = gather_nd(squeeze(inputs, [1]), concat([example_inds, tag_indices], axis=1))
        return _zero_where_empty(sequence_lengths, scores)

    def multi_seq_fn():
        unary = crf_unary_score(tag_indices, sequence_lengths, inputs)
        return unary + crf_binary_score(tag_indices, sequence_lengths, transition_params)

    return smart_cond(_one_step(inputs), single_seq_fn, multi_seq_fn)


def crf_multitag_sequence_score(inputs, tag_bitmap, sequence_lengths, transition_params):
    """The log-sum-exp of the scores of every tag sequence allowed by ``tag_bitmap``
    ``[batch, time, num_tags]`` (the tags each step may take): ``[batch]``."""
    tag_bitmap = cast(tag_bitmap, dtypes.bool)
    sequence_lengths = cast(sequence_lengths, dtypes.int32)
    filtered_inputs = where(tag_bitmap, inputs, fill(shape(inputs), float("-inf")))

    def single_seq_fn():
        return reduce_logsumexp(filtered_inputs, axis=[1, 2], keepdims=False)

    def multi_seq_fn():
        return crf_log_norm(filtered_inputs, sequence_lengths, transition_params)

    return smart_cond(_one_step(inputs), single_seq_fn, multi_seq_fn)


def crf_log_norm(inputs, sequence_lengths, transition_params):
    """The log partition function of each row: the log-sum-exp of the scores of every tag
    sequence of its length, ``[batch]`` (0 for rows of length 0)."""
    first_input = squeeze(slice_(inputs, [0, 0, 0], [-1, 1, -1]), [1])

    def single_seq_fn():
        return _zero_where_empty(sequence_lengths, reduce_logsumexp(first_input, [1]))

    def multi_seq_fn():
        rest_of_input = slice_(inputs, [0, 1, 0], [-1, -1, -1])
        lengths_less_one = maximum(constant(0, dtype=sequence_lengths.dtype), sequence_lengths - 1)
        _, alphas = dynamic_rnn(
            cell=CrfForwardRnnCell(transition_params),
            inputs=rest_of_input,
            sequence_length=lengths_less_one,
            initial_state=first_input,
            dtype=dtypes.float32,
        )
        return _zero_where_empty(sequence_lengths, reduce_logsumexp(alphas, [1]))

    return smart_cond(_one_step(inputs), single_seq_fn, multi_seq_fn)


def crf_log_likelihood(inputs, tag_indices, sequence_lengths, transition_params=None):
    """The log-likelihood of ``tag_indices`` under the CRF: ``(log_likelihood [batch],
    transition_params)``; without ``transition_params`` a ``[num_tags, num_tags]`` variable
    ``transitions`` is made in the current scope."""
    num_tags = tensor_shape.dimension_value(inputs.shape[2])
    if transition_params is None:
        transition_params = get_variable("transitions", [num_tags, num_tags])
    sequence_scores = crf_sequence_score(inputs, tag_indices, sequence_lengths, transition_params)
    log_norm = crf_log_norm(inputs, sequence_lengths, transition_params)
    return sequence_scores - log_norm, transition_params


def crf_unary_score(tag_indices, sequence_lengths, inputs):
    """The sum over each row's steps of the score of its tag: ``[batch]``."""
    batch_size, max_seq_len, num_tags = shape(inputs)[0], shape(inputs)[1], shape(inputs)[2]
    flattened_inputs = reshape(inputs, [-1])
    offsets = expand_dims(range_(batch_size) * max_seq_len * num_tags, 1)
    offsets += expand_dims(range_(max_seq_len) * num_tags, 0)
    if tag_indices.dtype == dtypes.int64:
        offsets = cast(offsets, dtypes.int64)
    flattened_tag_indices = reshape(offsets + tag_indices, [-1])
    unary_scores = reshape(
        gather(flattened_inputs, flattened_tag_indices), [batch_size, max_seq_len]
    )
    masks = sequence_mask(sequence_lengths, maxlen=shape(tag_indices)[1], dtype=dtypes.float32)
    return reduce_sum(unary_scores * masks, 1)


def crf_binary_score(tag_indices, sequence_lengths, transition_params):
    """The sum over each row's consecutive tag pairs of their transition score: ``[batch]``."""
    num_tags = tensor_shape.dimension_value(transition_params.shape[0])
    num_transitions = shape(tag_indices)[1] - 1
    start_tag_indices = slice_(tag_indices, [0, 0], stack([-1, num_transitions]))
    end_tag_indices = slice_(tag_indices, [0, 1], stack([-1, num_transitions]))
    flattened_indices = start_tag_indices * num_tags + end_tag_indices
    binary_scores = gather(reshape(transition_params, [-1]), flattened_indices)
    masks = sequence_mask(sequence_lengths, maxlen=shape(tag_indices)[1], dtype=dtypes.float32)
    truncated_masks = slice_(masks, [0, 1], [-1, -1])
    return reduce_sum(binary_scores * truncated_masks, 1)


class _TransitionCell(RNNCell):
    """A cell over the CRF's transitions, with no variables of its own."""

    def __init__(self, transition_params):
        super().__init__()
        self._transition_params = expand_dims(transition_params, 0)
        self._num_tags = tensor_shape.dimension_value(transition_params.shape[0])

    @property
    def state_size(self):
        return self._num_tags

    @property
    def output_size(self):
        return self._num_tags


class CrfForwardRnnCell(_TransitionCell):
    """The forward algorithm's step: ``alphas' = inputs + logsumexp_i(alphas_i + T_ij)``, the
    new alphas both output and state."""

    def __call__(self, inputs, state, scope=None):
        transition_scores = expand_dims(state, 2) + self._transition_params
        new_alphas = inputs + reduce_logsumexp(transition_scores, [1])
        return new_alphas, new_alphas


class CrfDecodeForwardRnnCell(_TransitionCell):
    """Viterbi's forward step: the best score of each tag as state, the best previous tag of
    each (int32) as output."""

    def __call__(self, inputs, state, scope=None):
        transition_scores = expand_dims(state, 2) + self._transition_params
        new_state = inputs + reduce_max(transition_scores, [1])
        backpointers = cast(argmax(transition_scores, 1), dtypes.int32)
        return backpointers, new_state


class CrfDecodeBackwardRnnCell(RNNCell):
    """Viterbi's backward step: follows the backpointers from the current tag ``[batch, 1]``."""

    def __init__(self, num_tags):
        super().__init__()
        self._num_tags = num_tags

    @property
    def state_size(self):
        return 1

    @property
    def output_size(self):
        return 1

    def __call__(self, inputs, state, scope=None):
        state = squeeze(state, axis=[1])
        indices = stack([range_(shape(inputs)[0]), state], axis=1)
        new_tags = expand_dims(gather_nd(inputs, indices), axis=-1)
        return new_tags, new_tags


def crf_decode(potentials, transition_params, sequence_length):
    """The highest-scoring tag sequences in the graph: ``(decode_tags [batch, time] int32,
    best_score [batch])``, tags past a row's length 0."""

    def single_seq_fn():
        squeezed = squeeze(potentials, [1])
        decode_tags = expand_dims(argmax(squeezed, axis=1), 1)
        return cast(decode_tags, dtype=dtypes.int32), reduce_max(squeezed, axis=1)

    def multi_seq_fn():
        num_tags = tensor_shape.dimension_value(potentials.shape[2])
        initial_state = squeeze(slice_(potentials, [0, 0, 0], [-1, 1, -1]), axis=[1])
        inputs = slice_(potentials, [0, 1, 0], [-1, -1, -1])
        lengths_less_one = maximum(constant(0, dtype=sequence_length.dtype), sequence_length - 1)
        backpointers, last_score = dynamic_rnn(
            CrfDecodeForwardRnnCell(transition_params),
            inputs=inputs,
            sequence_length=lengths_less_one,
            initial_state=initial_state,
            time_major=False,
            dtype=dtypes.int32,
        )
        backpointers = reverse_sequence(backpointers, lengths_less_one, seq_axis=1)
        initial_state = expand_dims(cast(argmax(last_score, axis=1), dtypes.int32), axis=-1)
        decode_tags, _ = dynamic_rnn(
            CrfDecodeBackwardRnnCell(num_tags),
            inputs=backpointers,
            sequence_length=lengths_less_one,
            initial_state=initial_state,
            time_major=False,
            dtype=dtypes.int32,
        )
        decode_tags = concat([initial_state, squeeze(decode_tags, axis=[2])], axis=1)
        decode_tags = reverse_sequence(decode_tags, sequence_length, seq_axis=1)
        return decode_tags, reduce_max(last_score, axis=1)

    return smart_cond(_one_step(potentials), single_seq_fn, multi_seq_fn)


def viterbi_decode(score, transition_params):
    """Viterbi decoding in NumPy of one sequence's ``score`` ``[time, num_tags]``:
    ``(viterbi, viterbi_score)``, the best tags (a list of NumPy ints) and their score.

    >>> import numpy as np, scopeflow as tf
    >>> tags, best = tf.contrib.crf.viterbi_decode(
    ...     np.array([[1.0, 0.0], [0.0, 1.0]]), np.array([[0.0, -5.0], [0.0, 0.0]]))
    >>> [int(t) for t in tags], float(best)
    ([0, 0], 1.0)"""
    trellis = np.zeros_like(score)
    backpointers = np.zeros_like(score, dtype=np.int32)
    trellis[0] = score[0]
    for t in range(1, score.shape[0]):
        v = np.expand_dims(trellis[t - 1], 1) + transition_params
        trellis[t] = score[t] + np.max(v, 0)
        backpointers[t] = np.argmax(v, 0)
    viterbi = [np.argmax(trellis[-1])]
    for bp in reversed(backpointers[1:]):
        viterbi.append(bp[viterbi[-1]])
    viterbi.reverse()
    return viterbi, np.max(trellis[-1])


__all__ = [
    "CrfDecodeBackwardRnnCell",
    "CrfDecodeForwardRnnCell",
    "CrfForwardRnnCell",
    "crf_binary_score",
    "crf_decode",
    "crf_log_likelihood",
    "crf_log_norm",
    "crf_multitag_sequence_score",
    "crf_sequence_score",
    "crf_unary_score",
    "viterbi_decode",
]
