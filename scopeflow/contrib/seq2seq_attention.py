"""``tf.contrib.seq2seq``'s attention: ``BahdanauAttention`` (additive) and ``LuongAttention``
(multiplicative) over a memory, and ``AttentionWrapper``, a cell that attends after each step
of the cell it wraps, with TF 1.15's variables: ``memory_layer/kernel`` where the mechanism is
made; ``attention_wrapper/<cell>/...``, ``attention_wrapper/bahdanau_attention/query_layer/
kernel``, ``.../attention_v`` and ``attention_wrapper/attention_layer/kernel`` where the
wrapper runs.

>>> import numpy as np, scopeflow as tf
>>> with tf.Graph().as_default():
...     memory = tf.ones([2, 6, 4])
...     attention = tf.contrib.seq2seq.BahdanauAttention(3, memory, [6, 2])
...     cell = tf.contrib.seq2seq.AttentionWrapper(
...         tf.nn.rnn_cell.GRUCell(5), attention, attention_layer_size=8)
...     out, state = tf.nn.dynamic_rnn(cell, tf.ones([2, 7, 3]), dtype=tf.float32)
...     with tf.Session() as sess:
...         sess.run(tf.global_variables_initializer())
...         alignments = sess.run(state.alignments)
...     names = [v.op.name for v in tf.global_variables()]
>>> names[:3]
['memory_layer/kernel', 'rnn/attention_wrapper/gru_cell/gates/kernel', \
'rnn/attention_wrapper/gru_cell/gates/bias']
>>> out.shape.as_list(), alignments.round(2).tolist()[1]
([2, 7, 8], [0.5, 0.5, 0.0, 0.0, 0.0, 0.0])
"""

from __future__ import annotations

import collections
import math

import numpy as np

from scopeflow.framework import dtypes, nest, tensor_shape
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.graph_api import control_dependencies, name_scope
from scopeflow.framework.tensor import Tensor
from scopeflow.layers.base import Layer
from scopeflow.layers.core import Dense
from scopeflow.ops.array.basic import identity, ones, reshape, shape, zeros
from scopeflow.ops.array.gather import one_hot
from scopeflow.ops.array.join import concat
from scopeflow.ops.array.shape import expand_dims, ones_like, rank, squeeze
from scopeflow.ops.control.assertions import assert_equal, assert_positive
from scopeflow.ops.control.tensor_array import TensorArray
from scopeflow.ops.math.elementwise import rsqrt, square, tanh
from scopeflow.ops.math.matmul import matmul
from scopeflow.ops.math.reduction import argmax, reduce_sum
from scopeflow.ops.math.selection import where
from scopeflow.ops.math.sequence import sequence_mask
from scopeflow.ops.nn.basic import softmax
from scopeflow.rnn.cell_base import RNNCell, assert_like_rnncell, zero_state_tensors
from scopeflow.variables.initializers import (
    constant_initializer,
    ones_initializer,
    zeros_initializer,
)
from scopeflow.variables.variable_scope import get_variable, variable_scope


def _dim(tensor, axis: int):
    """A dimension of ``tensor``: static when known, else from ``tf.shape``."""
    static = tensor_shape.dimension_value(tensor.shape[axis])
    return static if static is not None else shape(tensor)[axis]


def _prepare_memory(memory, memory_sequence_length, check_inner_dims_defined: bool):
    """The memory with the steps past each row's length zeroed (TF1's ``_prepare_memory``)."""
    memory = nest.map_structure(lambda m: convert_to_tensor(m, name="memory"), memory)
    if memory_sequence_length is not None:
        memory_sequence_length = convert_to_tensor(
            memory_sequence_length, name="memory_sequence_length"
        )
    if check_inner_dims_defined:
        for m in nest.flatten(memory):
            if not m.shape[2:].is_fully_defined():
                raise ValueError(
                    f"Expected memory {m.name} to have fully defined inner dims, but saw "
                    f"shape: {m.shape}"
                )
    if memory_sequence_length is None:
        return memory
    first = nest.flatten(memory)[0]
    seq_len_mask = sequence_mask(memory_sequence_length, maxlen=shape(first)[1], dtype=first.dtype)
    seq_len_batch_size = _dim(memory_sequence_length, 0)

    def mask(m):
        m_rank = m.shape.ndims if m.shape.ndims is not None else rank(m)
        extra_ones = ones(m_rank - 2, dtype=dtypes.int32)
        message = "memory_sequence_length and memory tensor batch sizes do not match."
        check = assert_equal(seq_len_batch_size, _dim(m, 0), message=message)
        with control_dependencies([check]):
            reshaped = reshape(seq_len_mask, concat((shape(seq_len_mask), extra_ones), 0))
            return m * reshaped

    return nest.map_structure(mask, memory)


def _maybe_mask_score(score, memory_sequence_length, score_mask_value):
    if memory_sequence_length is None:
        return score
    message = "All values in memory_sequence_length must greater than zero."
    with control_dependencies([assert_positive(memory_sequence_length, message=message)]):
        score_mask = sequence_mask(memory_sequence_length, maxlen=shape(score)[1])
        return where(score_mask, score, score_mask_value * ones_like(score))


class AttentionMechanism:
    """TF1's base of attention mechanisms (``alignments_size``, ``state_size``)."""

    @property
    def alignments_size(self):
        raise NotImplementedError

    @property
    def state_size(self):
        raise NotImplementedError


class _BaseAttentionMechanism(AttentionMechanism):
    """The memory (masked by ``memory_sequence_length``), its keys through ``memory_layer``,
    and scores turned into alignments by ``probability_fn`` after masking."""

    def __init__(
        self, query_layer, memory, probability_fn, memory_sequence_length=None,
        memory_layer=None, check_inner_dims_defined=True, score_mask_value=None,
        custom_key_value_fn=None, name=None,
    ):  # fmt: skip
        for what, layer in (("query_layer", query_layer), ("memory_layer", memory_layer)):
            if layer is not None and not isinstance(layer, Layer):
                raise TypeError(f"{what} is not a Layer: {type(layer).__name__}")
        if not callable(probability_fn):
            raise TypeError(
                f"probability_fn must be callable, saw type: {type(probability_fn).__name__}"
            )
        self._query_layer = query_layer
        self._memory_layer = memory_layer
        self.dtype = memory_layer.dtype if memory_layer is not None else None
        with name_scope(name, "BaseAttentionMechanismInit", nest.flatten(memory)):
            self._values = _prepare_memory(memory, memory_sequence_length, check_inner_dims_defined)
            self._keys = self._memory_layer(self._values) if self._memory_layer else self._values
            if custom_key_value_fn is not None:
                self._keys, self._values = custom_key_value_fn(self._keys, self._values)
            self._batch_size = _dim(self._keys, 0)
            self._alignments_size = _dim(self._keys, 1)
        if self.dtype is None:
            self.dtype = nest.flatten(self._values)[0].dtype
        if score_mask_value is None:
            score_mask_value = dtypes.as_dtype(self.dtype).as_numpy_dtype(-np.inf)
        self._probability_fn = lambda score, state: probability_fn(
            _maybe_mask_score(score, memory_sequence_length, score_mask_value), state
        )

    @property
    def memory_layer(self):
        return self._memory_layer

    @property
    def query_layer(self):
        return self._query_layer

    @property
    def values(self):
        return self._values

    @property
    def keys(self):
        return self._keys

    @property
    def batch_size(self):
        return self._batch_size

    @property
    def alignments_size(self):
        return self._alignments_size

    @property
    def state_size(self):
        return self._alignments_size

    def initial_alignments(self, batch_size, dtype):
        """Zeros ``[batch_size, max_time]``."""
        return zero_state_tensors(self._alignments_size, batch_size, dtype)

    def initial_state(self, batch_size, dtype):
        """The mechanism's first state: its initial alignments."""
        return self.initial_alignments(batch_size, dtype)


def _wrap_probability_fn(probability_fn):
    probability_fn = softmax if probability_fn is None else probability_fn
    return lambda score, _: probability_fn(score)


class BahdanauAttention(_BaseAttentionMechanism):
    """Additive attention: ``score = v . tanh(keys + query_layer(query))`` (with
    ``normalize``, ``v`` weight-normalized by ``attention_g`` and a bias ``attention_b``);
    ``num_units`` is the depth of the keys and the query projection."""

    def __init__(
        self, num_units, memory, memory_sequence_length=None, normalize=False,
        probability_fn=None, score_mask_value=None, dtype=None, custom_key_value_fn=None,
        name="BahdanauAttention",
    ):  # fmt: skip
        dtype = dtypes.float32 if dtype is None else dtype
        super().__init__(
            query_layer=Dense(num_units, name="query_layer", use_bias=False, dtype=dtype),
            memory_layer=Dense(num_units, name="memory_layer", use_bias=False, dtype=dtype),
            memory=memory,
            probability_fn=_wrap_probability_fn(probability_fn),
            memory_sequence_length=memory_sequence_length,
            score_mask_value=score_mask_value,
            custom_key_value_fn=custom_key_value_fn,
            name=name,
        )
        self._num_units = num_units
        self._normalize = normalize
        self._name = name

    def __call__(self, query, state):
        """``(alignments, next_state)`` for ``query`` ``[batch, query_depth]``: the
        alignments ``[batch, max_time]`` are also the next state."""
        with variable_scope(None, "bahdanau_attention", [query]):
            processed_query = self.query_layer(query) if self.query_layer else query
            score = _bahdanau_score(processed_query, self._keys, self._normalize)
        alignments = self._probability_fn(score, state)
        return alignments, alignments


def _bahdanau_score(processed_query, keys, normalize: bool):
    dtype = processed_query.dtype
    num_units = _dim(keys, 2)
    processed_query = expand_dims(processed_query, 1)
    v = get_variable("attention_v", [num_units], dtype=dtype)
    if not normalize:
        return reduce_sum(v * tanh(keys + processed_query), [2])
    g = get_variable(
        "attention_g", dtype=dtype, initializer=constant_initializer(math.sqrt(1.0 / num_units)),
        shape=(),
    )  # fmt: skip
    b = get_variable("attention_b", [num_units], dtype=dtype, initializer=zeros_initializer())
    normed_v = g * v * rsqrt(reduce_sum(square(v)))
    return reduce_sum(normed_v * tanh(keys + processed_query + b), [2])


class LuongAttention(_BaseAttentionMechanism):
    """Multiplicative attention: ``score = query . keys`` (times a learned scalar
    ``attention_g`` with ``scale``); the query's depth must equal ``num_units``.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     attention = tf.contrib.seq2seq.LuongAttention(4, tf.ones([2, 5, 3]), [5, 2])
    ...     alignments, _ = attention(tf.ones([2, 4]), None)
    ...     with tf.Session() as sess:
    ...         sess.run(tf.global_variables_initializer())
    ...         print(sess.run(alignments)[1])
    [0.5 0.5 0.  0.  0. ]
    """

    def __init__(
        self, num_units, memory, memory_sequence_length=None, scale=False, probability_fn=None,
        score_mask_value=None, dtype=None, custom_key_value_fn=None, name="LuongAttention",
    ):  # fmt: skip
        dtype = dtypes.float32 if dtype is None else dtype
        super().__init__(
            query_layer=None,
            memory_layer=Dense(num_units, name="memory_layer", use_bias=False, dtype=dtype),
            memory=memory,
            probability_fn=_wrap_probability_fn(probability_fn),
            memory_sequence_length=memory_sequence_length,
            score_mask_value=score_mask_value,
            custom_key_value_fn=custom_key_value_fn,
            name=name,
        )
        self._num_units = num_units
        self._scale = scale
        self._name = name

    def __call__(self, query, state):
        """``(alignments, next_state)`` for ``query`` ``[batch, num_units]``.

        Raises:
            ValueError: the query's depth is not the keys'.
        """
        with variable_scope(None, "luong_attention", [query]):
            attention_g = None
            if self._scale:
                attention_g = get_variable(
                    "attention_g", dtype=query.dtype, initializer=ones_initializer(), shape=()
                )
            score = _luong_score(query, self._keys, attention_g)
        alignments = self._probability_fn(score, state)
        return alignments, alignments


def _luong_score(query, keys, scale):
    depth = tensor_shape.dimension_value(query.shape[-1])
    key_units = tensor_shape.dimension_value(keys.shape[-1])
    if depth != key_units:
        raise ValueError(
            "Incompatible or unknown inner dimensions between query and keys.  Query "
            f"({query.name}) has units: {depth}.  Keys ({keys.name}) have units: {key_units}.  "
            f"Perhaps you need to set num_units to the keys' dimension ({key_units})?"
        )
    score = squeeze(matmul(expand_dims(query, 1), keys, transpose_b=True), [1])
    return score if scale is None else scale * score


def hardmax(logits, name=None):
    """One-hot of the argmax of ``logits`` along the last axis, in ``logits``' dtype (a
    ``probability_fn`` for hard attention).

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     print(tf.Session().run(tf.contrib.seq2seq.hardmax([[1.0, 3.0, 2.0]])))
    [[0. 1. 0.]]
    """
    with name_scope(name, "Hardmax", [logits]):
        logits = convert_to_tensor(logits, name="logits")
        depth = tensor_shape.dimension_value(logits.shape[-1])
        if depth is None:
            depth = shape(logits)[-1]
        return one_hot(argmax(logits, -1), depth, dtype=logits.dtype)


_STATE_FIELDS = ("cell_state", "attention", "time", "alignments", "alignment_history",
                 "attention_state")  # fmt: skip


class AttentionWrapperState(collections.namedtuple("AttentionWrapperState", _STATE_FIELDS)):
    """An ``AttentionWrapper``'s state: the wrapped cell's state, the last attention, the step,
    the alignments (and their history when kept) and the mechanisms' states."""

    __slots__ = ()

    def clone(self, **kwargs):
        """This state with some fields replaced, their static shapes kept:
        ``state.clone(cell_state=encoder_state)``."""

        def with_same_shape(old, new):
            if isinstance(old, Tensor) and isinstance(new, Tensor):
                new.set_shape(old.shape)
            return new

        return nest.map_structure(with_same_shape, self, self._replace(**kwargs))


def _compute_attention(attention_mechanism, cell_output, attention_state, attention_layer):
    alignments, next_attention_state = attention_mechanism(cell_output, state=attention_state)
    context = matmul(expand_dims(alignments, 1), attention_mechanism.values)
    context = squeeze(context, [1])
    if attention_layer is not None:
        attention = attention_layer(concat([cell_output, context], 1))
    else:
        attention = context
    return attention, alignments, next_attention_state


class AttentionWrapper(RNNCell):
    """Wraps ``cell`` with one attention mechanism (or a list of them): the cell's input is
    ``cell_input_fn(inputs, previous attention)`` (default: concatenated), and after each step
    the cell's output queries the memory; the attention is the context vector, or
    ``attention_layer(concat(cell_output, context))`` (a bias-free ``Dense`` of
    ``attention_layer_size``). Outputs the attention (the cell's output without
    ``output_attention``); ``alignment_history`` keeps each step's alignments in a
    TensorArray.

    Raises:
        TypeError: a mechanism that is not an ``AttentionMechanism``, a ``cell_input_fn`` that
            is not callable.
        ValueError: both ``attention_layer_size`` and ``attention_layer``, or sizes not one per
            mechanism.
    """

    def __init__(
        self, cell, attention_mechanism, attention_layer_size=None, alignment_history=False,
        cell_input_fn=None, output_attention=True, initial_cell_state=None, name=None,
        attention_layer=None, attention_fn=None,
    ):  # fmt: skip
        super().__init__(name=name)
        assert_like_rnncell("cell", cell)
        self._is_multi = isinstance(attention_mechanism, (list, tuple))
        mechanisms = tuple(attention_mechanism) if self._is_multi else (attention_mechanism,)
        for mechanism in mechanisms:
            if not isinstance(mechanism, AttentionMechanism):
                raise TypeError(
                    ("attention_mechanism must contain only instances of AttentionMechanism, "
                     if self._is_multi else "attention_mechanism must be an AttentionMechanism "
                     "or list of multiple AttentionMechanism instances, ")
                    + f"saw type: {type(mechanism).__name__}"
                )  # fmt: skip
        if cell_input_fn is None:
            cell_input_fn = lambda inputs, attention: concat([inputs, attention], -1)  # noqa: E731
        elif not callable(cell_input_fn):
            raise TypeError(f"cell_input_fn must be callable, saw type: {type(cell_input_fn)}")
        if attention_layer_size is not None and attention_layer is not None:
            raise ValueError("Only one of attention_layer_size and attention_layer should be set")
        if attention_layer_size is not None:
            sizes = tuple(attention_layer_size if self._is_multi else (attention_layer_size,))
            if len(sizes) != len(mechanisms):
                raise ValueError(
                    "If provided, attention_layer_size must contain exactly one integer per "
                    f"attention_mechanism, saw: {len(sizes)} vs {len(mechanisms)}"
                )
            self._attention_layers = tuple(
                Dense(size, name="attention_layer", use_bias=False, dtype=mechanisms[i].dtype)
                for i, size in enumerate(sizes)
            )
            self._attention_layer_size = sum(sizes)
        elif attention_layer is not None:
            layers = tuple(attention_layer if self._is_multi else (attention_layer,))
            if len(layers) != len(mechanisms):
                raise ValueError(
                    "If provided, attention_layer must contain exactly one layer per "
                    f"attention_mechanism, saw: {len(layers)} vs {len(mechanisms)}"
                )
            self._attention_layers = layers
            self._attention_layer_size = sum(layer.units for layer in layers)
        else:
            self._attention_layers = None
            self._attention_layer_size = sum(
                tensor_shape.dimension_value(m.values.shape[-1]) for m in mechanisms
            )
        self._attention_fn = attention_fn or _compute_attention
        self._cell = cell
        self._attention_mechanisms = mechanisms
        self._cell_input_fn = cell_input_fn
        self._output_attention = output_attention
        self._alignment_history = alignment_history
        with name_scope(name, "AttentionWrapperInit"):
            self._initial_cell_state = None
            if initial_cell_state is not None:
                final = nest.flatten(initial_cell_state)[-1]
                message = (
                    f"When constructing AttentionWrapper {self._base_name}: Non-matching batch "
                    "sizes between the memory (encoder output) and initial_cell_state.  Are you "
                    "using the BeamSearchDecoder?  You may need to tile your initial state via "
                    "the tf.contrib.seq2seq.tile_batch function with argument "
                    "multiple=beam_width."
                )
                with control_dependencies(self._batch_size_checks(_dim(final, 0), message)):
                    self._initial_cell_state = nest.map_structure(
                        lambda s: identity(s, name="check_initial_cell_state"),
                        initial_cell_state,
                    )

    def _batch_size_checks(self, batch_size, message):
        return [
            assert_equal(batch_size, m.batch_size, message=message)
            for m in self._attention_mechanisms
        ]

    def _item_or_tuple(self, seq):
        t = tuple(seq)
        return t if self._is_multi else t[0]

    @property
    def output_size(self):
        return self._attention_layer_size if self._output_attention else self._cell.output_size

    @property
    def state_size(self):
        mechanisms = self._attention_mechanisms
        return AttentionWrapperState(
            cell_state=self._cell.state_size,
            time=tensor_shape.TensorShape([]),
            attention=self._attention_layer_size,
            alignments=self._item_or_tuple(a.alignments_size for a in mechanisms),
            attention_state=self._item_or_tuple(a.state_size for a in mechanisms),
            alignment_history=self._item_or_tuple(
                a.alignments_size if self._alignment_history else () for a in mechanisms
            ),
        )

    def zero_state(self, batch_size, dtype):
        """The first state: the wrapped cell's (``initial_cell_state`` when given), zero
        attention and alignments, time 0, empty alignment histories."""
        with name_scope(type(self).__name__ + "ZeroState", values=[batch_size]):
            if self._initial_cell_state is not None:
                cell_state = self._initial_cell_state
            else:
                cell_state = self._cell.get_initial_state(batch_size=batch_size, dtype=dtype)
            message = (
                f"When calling zero_state of AttentionWrapper {self._base_name}: Non-matching "
                "batch sizes between the memory (encoder output) and the requested batch size. "
                " Are you using the BeamSearchDecoder?  If so, make sure your encoder output "
                "has been tiled to beam_width via tf.contrib.seq2seq.tile_batch, and the "
                "batch_size= argument passed to zero_state is batch_size * beam_width."
            )
            with control_dependencies(self._batch_size_checks(batch_size, message)):
                cell_state = nest.map_structure(
                    lambda s: identity(s, name="checked_cell_state"), cell_state
                )
            mechanisms = self._attention_mechanisms
            initial_alignments = [m.initial_alignments(batch_size, dtype) for m in mechanisms]
            return AttentionWrapperState(
                cell_state=cell_state,
                time=zeros([], dtype=dtypes.int32),
                attention=zero_state_tensors(self._attention_layer_size, batch_size, dtype),
                alignments=self._item_or_tuple(initial_alignments),
                attention_state=self._item_or_tuple(
                    m.initial_state(batch_size, dtype) for m in mechanisms
                ),
                alignment_history=self._item_or_tuple(
                    TensorArray(dtype, size=0, dynamic_size=True, element_shape=a.shape)
                    if self._alignment_history
                    else ()
                    for a in initial_alignments
                ),
            )

    def call(self, inputs, state):
        """One step of the cell on ``cell_input_fn(inputs, state.attention)``, then attention:
        ``(output, next AttentionWrapperState)``."""
        if not isinstance(state, AttentionWrapperState):
            raise TypeError(
                "Expected state to be instance of AttentionWrapperState. Received type "
                f"{type(state)} instead."
            )
        cell_inputs = self._cell_input_fn(inputs, state.attention)
        cell_output, next_cell_state = self._cell(cell_inputs, state.cell_state)
        message = (
            f"When applying AttentionWrapper {self.name}: Non-matching batch sizes between the "
            "memory (encoder output) and the query (decoder output).  Are you using the "
            "BeamSearchDecoder?  You may need to tile your memory input via the "
            "tf.contrib.seq2seq.tile_batch function with argument multiple=beam_width."
        )
        with control_dependencies(self._batch_size_checks(_dim(cell_output, 0), message)):
            cell_output = identity(cell_output, name="checked_cell_output")
        if self._is_multi:
            previous_states, previous_histories = state.attention_state, state.alignment_history
        else:
            previous_states, previous_histories = [state.attention_state], [state.alignment_history]
        alignments_all, attentions, attention_states, histories = [], [], [], []
        for i, mechanism in enumerate(self._attention_mechanisms):
            attention, alignments, next_attention_state = self._attention_fn(
                mechanism,
                cell_output,
                previous_states[i],
                self._attention_layers[i] if self._attention_layers else None,
            )
            history = (
                previous_histories[i].write(state.time, alignments)
                if self._alignment_history
                else ()
            )
            alignments_all.append(alignments)
            attentions.append(attention)
            attention_states.append(next_attention_state)
            histories.append(history)
        attention = concat(attentions, 1)
        next_state = AttentionWrapperState(
            time=state.time + 1,
            cell_state=next_cell_state,
            attention=attention,
            attention_state=self._item_or_tuple(attention_states),
            alignments=self._item_or_tuple(alignments_all),
            alignment_history=self._item_or_tuple(histories),
        )
        return (attention if self._output_attention else cell_output), next_state
