"""``tf.contrib.seq2seq``'s monotonic attention, as TF 1.15's: ``BahdanauMonotonicAttention``
and ``LuongMonotonicAttention`` score the memory as their soft counterparts plus a learned
``attention_score_bias``, turn the scores into probabilities of stopping at each memory step
(``sigmoid``, with optional pre-sigmoid noise; a step function in ``"hard"`` mode), and move
the previous alignments forward with ``monotonic_attention``. Alignments start one-hot on
the first memory step.

>>> import numpy as np, scopeflow as tf
>>> with tf.Graph().as_default():
...     p = tf.constant([[0.5, 0.5, 0.5]])
...     start = tf.constant([[1.0, 0.0, 0.0]])
...     print(tf.Session().run(tf.contrib.seq2seq.monotonic_attention(p, start, "parallel")))
[[0.5   0.25  0.125]]
"""

from __future__ import annotations

import functools

import numpy as np

from scopeflow.contrib.seq2seq_attention import (
    _bahdanau_score,
    _BaseAttentionMechanism,
    _luong_score,
)
from scopeflow.framework import dtypes, tensor_shape
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.graph_api import name_scope
from scopeflow.layers.core import Dense
from scopeflow.ops.array.basic import ones, reshape, shape, zeros
from scopeflow.ops.array.cast import cast
from scopeflow.ops.array.gather import one_hot
from scopeflow.ops.array.join import concat
from scopeflow.ops.array.transpose import transpose
from scopeflow.ops.control.functional import scan
from scopeflow.ops.math.clip import clip_by_value
from scopeflow.ops.math.elementwise import exp, greater, log, sigmoid
from scopeflow.ops.math.reduction import cumprod, cumsum
from scopeflow.ops.random.sampling import random_normal
from scopeflow.variables.initializers import ones_initializer
from scopeflow.variables.variable_scope import get_variable, variable_scope


def safe_cumprod(x, *args, **kwargs):
    """``tf.cumprod(x, ...)`` computed in log space, ``x`` clipped to ``[tiny, 1]``.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     x = tf.constant([0.5, 0.5, 0.5])
    ...     print(tf.Session().run(tf.contrib.seq2seq.safe_cumprod(x, exclusive=True)))
    [1.   0.5  0.25]
    """
    with name_scope(None, "SafeCumprod", [x]):
        x = convert_to_tensor(x, name="x")
        tiny = np.finfo(x.dtype.as_numpy_dtype).tiny
        return exp(cumsum(log(clip_by_value(x, tiny, 1)), *args, **kwargs))


def monotonic_attention(p_choose_i, previous_attention, mode):
    """The alignments ``[batch, max_time]`` after one step of monotonic attention: each memory
    step is reached from the previous alignments by passing the steps before it (``1 -
    p_choose_i``) and chosen with ``p_choose_i``. ``mode``: ``"recursive"`` (a ``tf.scan``),
    ``"parallel"`` (cumulative products; can lose precision) or ``"hard"`` (0/1 choices).

    Raises:
        ValueError: another ``mode``.
    """
    p_choose_i = convert_to_tensor(p_choose_i, name="p_choose_i")
    previous_attention = convert_to_tensor(previous_attention, name="previous_attention")
    if mode == "recursive":
        batch_size = tensor_shape.dimension_value(p_choose_i.shape[0]) or shape(p_choose_i)[0]
        shifted_1mp_choose_i = concat([ones((batch_size, 1)), 1 - p_choose_i[:, :-1]], 1)
        q = scan(
            lambda x, yz: reshape(yz[0] * x + yz[1], (batch_size,)),
            [transpose(shifted_1mp_choose_i), transpose(previous_attention)],
            zeros((batch_size,)),
        )
        return p_choose_i * transpose(q)
    if mode == "parallel":
        cumprod_1mp_choose_i = safe_cumprod(1 - p_choose_i, axis=1, exclusive=True)
        return (
            p_choose_i
            * cumprod_1mp_choose_i
            * cumsum(previous_attention / clip_by_value(cumprod_1mp_choose_i, 1e-10, 1.0), axis=1)
        )
    if mode == "hard":
        p_choose_i *= cumsum(previous_attention, axis=1)
        return p_choose_i * cumprod(1 - p_choose_i, axis=1, exclusive=True)
    raise ValueError("mode must be 'recursive', 'parallel', or 'hard'.")


def _monotonic_probability_fn(score, previous_alignments, sigmoid_noise, mode, seed=None):
    if sigmoid_noise > 0:
        score += sigmoid_noise * random_normal(shape(score), dtype=score.dtype, seed=seed)
    if mode == "hard":
        p_choose_i = cast(greater(score, 0), score.dtype)
    else:
        p_choose_i = sigmoid(score)
    return monotonic_attention(p_choose_i, previous_alignments, mode)


class _BaseMonotonicAttentionMechanism(_BaseAttentionMechanism):
    """A mechanism whose alignments start on the first memory step."""

    def initial_alignments(self, batch_size, dtype):
        """One-hot ``[batch_size, max_time]`` on step 0."""
        return one_hot(zeros((batch_size,), dtype=dtypes.int32), self._alignments_size, dtype=dtype)


def _probability_fn(sigmoid_noise, mode, seed):
    return functools.partial(
        _monotonic_probability_fn, sigmoid_noise=sigmoid_noise, mode=mode, seed=seed
    )


class BahdanauMonotonicAttention(_BaseMonotonicAttentionMechanism):
    """Monotonic attention on Bahdanau's additive score (``normalize`` as
    ``BahdanauAttention``'s) plus ``attention_score_bias`` (initially ``score_bias_init``)."""

    def __init__(
        self, num_units, memory, memory_sequence_length=None, normalize=False,
        score_mask_value=None, sigmoid_noise=0.0, sigmoid_noise_seed=None, score_bias_init=0.0,
        mode="parallel", dtype=None, name="BahdanauMonotonicAttention",
    ):  # fmt: skip
        dtype = dtypes.float32 if dtype is None else dtype
        super().__init__(
            query_layer=Dense(num_units, name="query_layer", use_bias=False, dtype=dtype),
            memory_layer=Dense(num_units, name="memory_layer", use_bias=False, dtype=dtype),
            memory=memory,
            probability_fn=_probability_fn(sigmoid_noise, mode, sigmoid_noise_seed),
            memory_sequence_length=memory_sequence_length,
            score_mask_value=score_mask_value,
            name=name,
        )
        self._num_units = num_units
        self._normalize = normalize
        self._name = name
        self._score_bias_init = score_bias_init

    def __call__(self, query, state):
        """``(alignments, next_state)``: the previous alignments ``state`` moved forward."""
        with variable_scope(None, "bahdanau_monotonic_attention", [query]):
            processed_query = self.query_layer(query) if self.query_layer else query
            score = _bahdanau_score(processed_query, self._keys, self._normalize)
            score += get_variable(
                "attention_score_bias",
                dtype=processed_query.dtype,
                initializer=np.asarray(self._score_bias_init, processed_query.dtype.as_numpy_dtype),
            )
        alignments = self._probability_fn(score, state)
        return alignments, alignments


class LuongMonotonicAttention(_BaseMonotonicAttentionMechanism):
    """Monotonic attention on Luong's multiplicative score (``scale`` as
    ``LuongAttention``'s) plus ``attention_score_bias`` (initially ``score_bias_init``)."""

    def __init__(
        self, num_units, memory, memory_sequence_length=None, scale=False, score_mask_value=None,
        sigmoid_noise=0.0, sigmoid_noise_seed=None, score_bias_init=0.0, mode="parallel",
        dtype=None, name="LuongMonotonicAttention",
    ):  # fmt: skip
        dtype = dtypes.float32 if dtype is None else dtype
        super().__init__(
            query_layer=None,
            memory_layer=Dense(num_units, name="memory_layer", use_bias=False, dtype=dtype),
            memory=memory,
            probability_fn=_probability_fn(sigmoid_noise, mode, sigmoid_noise_seed),
            memory_sequence_length=memory_sequence_length,
            score_mask_value=score_mask_value,
            name=name,
        )
        self._num_units = num_units
        self._scale = scale
        self._score_bias_init = score_bias_init
        self._name = name

    def __call__(self, query, state):
        """``(alignments, next_state)``: the previous alignments ``state`` moved forward."""
        with variable_scope(None, "luong_monotonic_attention", [query]):
            attention_g = None
            if self._scale:
                attention_g = get_variable(
                    "attention_g", dtype=query.dtype, initializer=ones_initializer(), shape=()
                )
            score = _luong_score(query, self._keys, attention_g)
            score += get_variable(
                "attention_score_bias",
                dtype=query.dtype,
                initializer=np.asarray(self._score_bias_init, query.dtype.as_numpy_dtype),
            )
        alignments = self._probability_fn(score, state)
        return alignments, alignments
