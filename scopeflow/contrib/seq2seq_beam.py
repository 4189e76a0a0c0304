"""``tf.contrib.seq2seq``'s ``BeamSearchDecoder``, as TF 1.15's: ``beam_width`` hypotheses per
row, scored by log-probability with optional length and coverage penalties, read back with
``gather_tree`` at the end (``seq2seq_gather.py``).

>>> import numpy as np, scopeflow as tf
>>> with tf.Graph().as_default():
...     cell = tf.nn.rnn_cell.GRUCell(4)
...     decoder = tf.contrib.seq2seq.BeamSearchDecoder(
...         cell, tf.ones([5, 3]), start_tokens=[0, 0], end_token=1,
...         initial_state=cell.zero_state(2 * 3, tf.float32), beam_width=3,
...         output_layer=tf.layers.Dense(5))
...     outputs, state, lengths = tf.contrib.seq2seq.dynamic_decode(
...         decoder, maximum_iterations=4)
...     with tf.Session() as sess:
...         sess.run(tf.global_variables_initializer())
...         ids = sess.run(outputs.predicted_ids)
>>> outputs.predicted_ids.shape.as_list(), ids.shape[::2]
([2, None, 3], (2, 3))
"""

from __future__ import annotations

import collections

import numpy as np

from scopeflow.contrib.seq2seq_attention import AttentionWrapperState
from scopeflow.contrib.seq2seq_decoder import Decoder, output_layer_size, static_batch_size
from scopeflow.contrib.seq2seq_gather import gather_tree, gather_tree_from_array
from scopeflow.framework import dtypes, nest, tensor_shape
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.graph_api import control_dependencies, name_scope
from scopeflow.framework.tensor import Tensor
from scopeflow.layers.base import Layer
from scopeflow.ops.array.basic import fill, reshape, shape, stack, zeros
from scopeflow.ops.array.cast import cast
from scopeflow.ops.array.gather import gather, one_hot
from scopeflow.ops.array.join import concat, tile
from scopeflow.ops.array.shape import expand_dims, ones_like, size
from scopeflow.ops.control.assertions import Assert
from scopeflow.ops.control.cond import cond
from scopeflow.ops.control.tensor_array import TensorArray
from scopeflow.ops.core.infer import constant_value
from scopeflow.ops.math.elementwise import (
    equal,
    floordiv,
    floormod,
    log,
    logical_and,
    logical_not,
    logical_or,
    minimum,
)
from scopeflow.ops.math.reduction import reduce_all, reduce_max, reduce_mean, reduce_sum
from scopeflow.ops.math.selection import where
from scopeflow.ops.math.sequence import range as range_
from scopeflow.ops.nn.basic import log_softmax, top_k
from scopeflow.ops.nn.composite import embedding_lookup
from scopeflow.platform import tf_logging
from scopeflow.rnn.cell_base import assert_like_rnncell


class BeamSearchDecoderState(
    collections.namedtuple(
        "BeamSearchDecoderState",
        ("cell_state", "log_probs", "finished", "lengths", "accumulated_attention_probs"),
    )
):
    """The beams' cell states, total log-probabilities, finished flags and lengths."""

    __slots__ = ()


class BeamSearchDecoderOutput(
    collections.namedtuple("BeamSearchDecoderOutput", ("scores", "predicted_ids", "parent_ids"))
):
    """A step's beam scores, chosen ids and the beams they extend."""

    __slots__ = ()


class FinalBeamSearchDecoderOutput(
    collections.namedtuple(
        "FinalBeamDecoderOutput", ["predicted_ids", "beam_search_decoder_output"]
    )
):
    """The final ids ``[batch, time, beam_width]`` (read back along the parents) and every
    step's ``BeamSearchDecoderOutput``."""

    __slots__ = ()


def _check_maybe(t) -> None:
    if t.shape.ndims is None:
        raise ValueError(f"Expected tensor ({t.name}) to have known rank, but ndims == None.")


def _static_batch_beam_ok(element_shape, batch_size, beam_width) -> bool:
    """TF 1.15's ``_check_static_batch_beam_maybe``, its condition kept as it is."""
    dims = [tensor_shape.dimension_value(d) for d in element_shape.dims]
    if (
        batch_size is not None
        and dims[0] is not None
        and (
            dims[0] != batch_size * beam_width
            or (len(dims) >= 2 and dims[1] is not None
                and (dims[0] != batch_size or dims[1] != beam_width))
        )
    ):  # fmt: skip
        tf_logging.warn(
            "TensorArray reordering expects elements to be reshapable to "
            f"{tensor_shape.TensorShape([batch_size, beam_width, None])} which is incompatible "
            f"with the current shape {element_shape}. Consider setting reorder_tensor_arrays "
            "to False to disable TensorArray reordering during the beam search."
        )
        return False
    return True


def _length_penalty(sequence_lengths, penalty_factor):
    """GNMT's ``((5 + length) / 6) ** penalty_factor`` (1 when the factor is 0)."""
    penalty_factor = convert_to_tensor(penalty_factor, name="penalty_factor")
    penalty_factor.set_shape(())
    static = constant_value(penalty_factor)
    if static is not None and static == 0:
        return 1.0
    return (5.0 + cast(sequence_lengths, dtypes.float32)) ** penalty_factor / (
        (5.0 + 1.0) ** penalty_factor
    )


def _attention_probs(next_cell_state, coverage_penalty_weight):
    """The attention wrappers' alignments in the cell state, averaged, for the coverage
    penalty (``None`` without it)."""
    if coverage_penalty_weight == 0.0:
        return None

    def from_state(state):
        probs = state.alignments
        if isinstance(probs, tuple):
            probs = reduce_mean(concat([expand_dims(p, -1) for p in probs], -1), -1)
        return probs

    if isinstance(next_cell_state, AttentionWrapperState):
        per_layer = [from_state(next_cell_state)]
    elif isinstance(next_cell_state, tuple):
        per_layer = [from_state(s) for s in next_cell_state if isinstance(s, AttentionWrapperState)]
    else:
        per_layer = []
    if not per_layer:
        raise ValueError("coverage_penalty_weight must be 0.0 if no cell is attentional.")
    if len(per_layer) == 1:
        return per_layer[0]
    return reduce_mean(concat([expand_dims(p, -1) for p in per_layer], -1), -1)


def _get_scores(log_probs, sequence_lengths, length_penalty_weight, coverage_penalty_weight,
                finished, accumulated_attention_probs):  # fmt: skip
    scores = log_probs / cast(
        _length_penalty(sequence_lengths, length_penalty_weight), log_probs.dtype
    )
    coverage_penalty_weight = convert_to_tensor(
        coverage_penalty_weight, name="coverage_penalty_weight"
    )
    if coverage_penalty_weight.shape.ndims != 0:
        raise ValueError(
            "coverage_penalty_weight should be a scalar, but saw shape: "
            f"{coverage_penalty_weight.shape}"
        )
    if constant_value(coverage_penalty_weight) == 0.0:
        return scores
    if accumulated_attention_probs is None:
        raise ValueError(
            "accumulated_attention_probs can be None only if coverage penalty is disabled."
        )
    probs = where(
        equal(accumulated_attention_probs, 0.0),
        ones_like(accumulated_attention_probs),
        accumulated_attention_probs,
    )
    coverage_penalty = reduce_sum(log(minimum(probs, 1.0)), 2)
    coverage_penalty *= cast(finished, dtypes.float32)
    return scores + expand_dims(coverage_penalty * coverage_penalty_weight, 2)


def _mask_probs(probs, eos_token, finished):
    """Finished beams' log-probabilities: 0 for ``eos_token``, the dtype's minimum elsewhere."""
    vocab_size = shape(probs)[2]
    finished_row = one_hot(
        eos_token, vocab_size, dtype=probs.dtype,
        on_value=convert_to_tensor(0.0, dtype=probs.dtype),
        off_value=probs.dtype.as_numpy_dtype(np.finfo(probs.dtype.as_numpy_dtype).min),
    )  # fmt: skip
    finished_probs = tile(reshape(finished_row, [1, 1, -1]), concat([shape(finished)[:2], [1]], 0))
    finished_mask = tile(expand_dims(finished, 2), stack([1, 1, vocab_size]))
    return where(finished_mask, finished_probs, probs)


def _tensor_gather_helper(gather_indices, gather_from, batch_size, range_size, gather_shape,
                          name=None):  # fmt: skip
    """``gather_from``'s beams picked by ``gather_indices`` ``[batch, beam_width]`` per row."""
    with name_scope(name, "tensor_gather_helper"):
        offsets = expand_dims(range_(batch_size) * range_size, 1)
        gather_indices = reshape(gather_indices + offsets, [-1])
        output = gather(reshape(gather_from, gather_shape), gather_indices)
        final_shape = shape(gather_from)[: 1 + len(gather_shape)]
        final_static_shape = tensor_shape.TensorShape([static_batch_size(batch_size)]).concatenate(
            gather_from.shape[1 : 1 + len(gather_shape)]
        )
        output = reshape(output, final_shape, name="output")
        output.set_shape(final_static_shape)
        return output


def _maybe_tensor_gather_helper(gather_indices, gather_from, batch_size, range_size,
                                gather_shape):  # fmt: skip
    if isinstance(gather_from, TensorArray):
        return gather_from
    _check_maybe(gather_from)
    if gather_from.shape.ndims >= len(gather_shape):
        return _tensor_gather_helper(
            gather_indices, gather_from, batch_size, range_size, gather_shape
        )
    return gather_from


def _beam_search_step(time, logits, next_cell_state, beam_state, batch_size, beam_width,
                      end_token, length_penalty_weight, coverage_penalty_weight):  # fmt: skip
    """One step: each beam extended by every id, the ``beam_width`` best kept per row."""
    static_batch = static_batch_size(batch_size)
    prediction_lengths = beam_state.lengths
    previously_finished = beam_state.finished
    not_finished = logical_not(previously_finished)
    step_log_probs = _mask_probs(log_softmax(logits), end_token, previously_finished)
    total_probs = expand_dims(beam_state.log_probs, 2) + step_log_probs
    vocab_size = tensor_shape.dimension_value(logits.shape[-1]) or shape(logits)[-1]
    lengths_to_add = one_hot(
        indices=fill(stack([batch_size, beam_width]), end_token), depth=vocab_size,
        on_value=np.int64(0), off_value=np.int64(1), dtype=dtypes.int64,
    )  # fmt: skip
    lengths_to_add *= expand_dims(cast(not_finished, dtypes.int64), 2)
    new_prediction_lengths = lengths_to_add + expand_dims(prediction_lengths, 2)
    accumulated_attention_probs = None
    attention_probs = _attention_probs(next_cell_state, coverage_penalty_weight)
    if attention_probs is not None:
        attention_probs *= expand_dims(cast(not_finished, dtypes.float32), 2)
        accumulated_attention_probs = beam_state.accumulated_attention_probs + attention_probs
    scores = _get_scores(
        total_probs, new_prediction_lengths, length_penalty_weight, coverage_penalty_weight,
        previously_finished, accumulated_attention_probs,
    )  # fmt: skip
    scores_flat = reshape(scores, stack([batch_size, -1]))
    next_beam_scores, word_indices = top_k(scores_flat, k=beam_width)
    next_beam_scores.set_shape([static_batch, beam_width])
    word_indices.set_shape([static_batch, beam_width])
    next_beam_probs = _tensor_gather_helper(
        word_indices, total_probs, batch_size, beam_width * vocab_size, [-1],
        name="next_beam_probs",
    )  # fmt: skip
    next_word_ids = cast(
        floormod(word_indices, vocab_size, name="next_beam_word_ids"), dtypes.int32
    )
    next_beam_ids = cast(
        floordiv(word_indices, vocab_size), dtypes.int32, name="next_beam_parent_ids"
    )
    previously_finished = _tensor_gather_helper(
        next_beam_ids, previously_finished, batch_size, beam_width, [-1]
    )
    next_finished = logical_or(
        previously_finished, equal(next_word_ids, end_token), name="next_beam_finished"
    )
    next_prediction_len = _tensor_gather_helper(
        next_beam_ids, beam_state.lengths, batch_size, beam_width, [-1]
    )
    next_prediction_len += cast(logical_not(previously_finished), dtypes.int64)
    next_accumulated_attention_probs = ()
    if accumulated_attention_probs is not None:
        next_accumulated_attention_probs = _tensor_gather_helper(
            next_beam_ids, accumulated_attention_probs, batch_size, beam_width,
            [batch_size * beam_width, -1], name="next_accumulated_attention_probs",
        )  # fmt: skip
    next_cell_state = nest.map_structure(
        lambda gather_from: _maybe_tensor_gather_helper(
            next_beam_ids, gather_from, batch_size, beam_width, [batch_size * beam_width, -1]
        ),
        next_cell_state,
    )
    next_state = BeamSearchDecoderState(
        cell_state=next_cell_state, log_probs=next_beam_probs, lengths=next_prediction_len,
        finished=next_finished, accumulated_attention_probs=next_accumulated_attention_probs,
    )  # fmt: skip
    output = BeamSearchDecoderOutput(
        scores=next_beam_scores, predicted_ids=next_word_ids, parent_ids=next_beam_ids
    )
    return output, next_state


class BeamSearchDecoder(Decoder):
    """Beam search over ``cell`` from ``initial_state`` (``[batch * beam_width, ...]``: tile
    the encoder's state and memory with ``tile_batch``), feeding back the embedding of each
    beam's last id; a beam ends at ``end_token``. With ``dynamic_decode`` the outputs are a
    ``FinalBeamSearchDecoderOutput``; ``length_penalty_weight`` divides the scores by GNMT's
    length penalty, ``coverage_penalty_weight`` adds its coverage penalty (attention cells).

    Raises:
        TypeError: ``output_layer`` is not a layer.
        ValueError: ``start_tokens`` is not a vector, ``end_token`` not a scalar.
    """

    def __init__(
        self, cell, embedding, start_tokens, end_token, initial_state, beam_width,
        output_layer=None, length_penalty_weight=0.0, coverage_penalty_weight=0.0,
        reorder_tensor_arrays=True,
    ):  # fmt: skip
        assert_like_rnncell("cell", cell)
        if output_layer is not None and not isinstance(output_layer, Layer):
            raise TypeError(f"output_layer must be a Layer, received: {type(output_layer)}")
        self._cell = cell
        self._output_layer = output_layer
        self._reorder_tensor_arrays = reorder_tensor_arrays
        self._embedding_fn = (
            embedding if callable(embedding) else lambda ids: embedding_lookup(embedding, ids)
        )
        self._start_tokens = convert_to_tensor(
            start_tokens, dtype=dtypes.int32, name="start_tokens"
        )
        if self._start_tokens.shape.ndims != 1:
            raise ValueError("start_tokens must be a vector")
        self._end_token = convert_to_tensor(end_token, dtype=dtypes.int32, name="end_token")
        if self._end_token.shape.ndims != 0:
            raise ValueError("end_token must be a scalar")
        self._batch_size = size(start_tokens)
        self._beam_width = beam_width
        self._length_penalty_weight = length_penalty_weight
        self._coverage_penalty_weight = coverage_penalty_weight
        self._initial_cell_state = nest.map_structure(
            self._maybe_split_batch_beams, initial_state, self._cell.state_size
        )
        self._start_tokens = tile(expand_dims(self._start_tokens, 1), [1, self._beam_width])
        self._start_inputs = self._embedding_fn(self._start_tokens)
        self._finished = one_hot(
            zeros([self._batch_size], dtype=dtypes.int32), depth=self._beam_width,
            on_value=False, off_value=True, dtype=dtypes.bool,
        )  # fmt: skip

    @property
    def batch_size(self):
        return self._batch_size

    @property
    def tracks_own_finished(self) -> bool:
        return True

    def _rnn_output_size(self):
        size = self._cell.output_size
        if self._output_layer is None:
            return size
        return nest.map_structure(
            lambda s: output_layer_size(self._output_layer, tensor_shape.as_shape(s)), size
        )

    @property
    def output_size(self):
        beams = tensor_shape.TensorShape([self._beam_width])
        return BeamSearchDecoderOutput(scores=beams, predicted_ids=beams, parent_ids=beams)

    @property
    def output_dtype(self):
        dtype = nest.flatten(self._initial_cell_state)[0].dtype
        return BeamSearchDecoderOutput(
            scores=nest.map_structure(lambda _: dtype, self._rnn_output_size()),
            predicted_ids=dtypes.int32,
            parent_ids=dtypes.int32,
        )

    def _merge_batch_beams(self, t, s):
        s = tensor_shape.as_shape(constant_value(s) if isinstance(s, Tensor) else s)
        static = static_batch_size(self._batch_size)
        reshaped = reshape(t, concat(([self._batch_size * self._beam_width], shape(t)[2:]), 0))
        reshaped.set_shape(
            tensor_shape.TensorShape([None if static is None else static * self._beam_width])
            .concatenate(s)
        )  # fmt: skip
        return reshaped

    def _split_batch_beams(self, t, s):
        s = tensor_shape.as_shape(constant_value(s) if isinstance(s, Tensor) else s)
        reshaped = reshape(t, concat(([self._batch_size, self._beam_width], shape(t)[1:]), 0))
        expected = tensor_shape.TensorShape(
            [static_batch_size(self._batch_size), self._beam_width]
        ).concatenate(s)
        rows = tensor_shape.dimension_value(t.shape[0])
        merged = expected[0] * self._beam_width
        if not reshaped.shape.is_compatible_with(expected) or not merged.is_compatible_with(rows):
            raise ValueError(
                "Unexpected behavior when reshaping between beam width and batch size.  The "
                f"reshaped tensor has shape: {reshaped.shape}.  We expected it to have shape "
                f"(batch_size, beam_width, depth) == {expected}.  Perhaps you forgot to create "
                "a zero_state with batch_size=encoder_batch_size * beam_width?"
            )
        reshaped.set_shape(expected)
        return reshaped

    def _maybe_split_batch_beams(self, t, s):
        if isinstance(t, TensorArray):
            return t
        _check_maybe(t)
        return self._split_batch_beams(t, s) if t.shape.ndims >= 1 else t

    def _maybe_merge_batch_beams(self, t, s):
        if isinstance(t, TensorArray):
            return t
        _check_maybe(t)
        return self._merge_batch_beams(t, s) if t.shape.ndims >= 2 else t

    def _maybe_sort_array_beams(self, t, parent_ids, sequence_length):
        """A TensorArray of ``[batch * beam_width, ...]`` elements in the cell state (an
        attention history), stacked and reordered along the final beams. As TF 1.15's, a
        TensorArray whose elements' static shape fails its check (which a ``[batch * beam,
        max_time]`` history with a static batch size does) is left as it is, with a warning."""
        if not isinstance(t, TensorArray):
            return t
        element = t.element_shape
        if element.ndims is None or element.ndims < 1:
            tf_logging.warn(
                f"The TensorArray {t.handle.name} in the cell state is not amenable to sorting "
                "based on the beam search result. For a TensorArray to be sorted, its elements "
                f"shape must be defined and have at least a rank of 1, but saw shape: {element}"
            )
            return t
        if not _static_batch_beam_ok(
            element, static_batch_size(self._batch_size), self._beam_width
        ):
            return t
        t = t.stack()
        rank = t.shape.ndims
        dims = shape(t)
        merged = equal(dims[1], self._batch_size * self._beam_width)
        if rank != 2:
            merged = logical_or(
                merged,
                logical_and(equal(dims[1], self._batch_size), equal(dims[2], self._beam_width)),
            )
        message = (
            "TensorArray reordering expects elements to be reshapable to [batch_size, "
            f"beam_size, -1] which is incompatible with the dynamic shape of {t.name} elements. "
            "Consider setting reorder_tensor_arrays to False to disable TensorArray reordering "
            "during the beam search."
        )
        with control_dependencies([Assert(merged, [message])]):
            return gather_tree_from_array(t, parent_ids, sequence_length)

    def initialize(self, name=None):
        """``(finished, start inputs, BeamSearchDecoderState)``: only the first beam of each
        row is live (log-probability 0, the others -inf)."""
        dtype = nest.flatten(self._initial_cell_state)[0].dtype
        log_probs = one_hot(
            zeros([self._batch_size], dtype=dtypes.int32), depth=self._beam_width,
            on_value=convert_to_tensor(0.0, dtype=dtype),
            off_value=convert_to_tensor(-np.inf, dtype=dtype), dtype=dtype,
        )  # fmt: skip
        attention_probs = _attention_probs(self._initial_cell_state, self._coverage_penalty_weight)
        initial_state = BeamSearchDecoderState(
            cell_state=self._initial_cell_state,
            log_probs=log_probs,
            finished=self._finished,
            lengths=zeros([self._batch_size, self._beam_width], dtype=dtypes.int64),
            accumulated_attention_probs=() if attention_probs is None else attention_probs,
        )
        return self._finished, self._start_inputs, initial_state

    def step(self, time, inputs, state, name=None):
        """One step of every beam: ``(BeamSearchDecoderOutput, state, inputs, finished)``."""
        with name_scope(name, "BeamSearchDecoderStep", (time, inputs, state)):
            inputs = nest.map_structure(lambda x: self._merge_batch_beams(x, x.shape[2:]), inputs)
            cell_state = nest.map_structure(
                self._maybe_merge_batch_beams, state.cell_state, self._cell.state_size
            )
            cell_outputs, next_cell_state = self._cell(inputs, cell_state)
            cell_outputs = nest.map_structure(
                lambda out: self._split_batch_beams(out, out.shape[1:]), cell_outputs
            )
            next_cell_state = nest.map_structure(
                self._maybe_split_batch_beams, next_cell_state, self._cell.state_size
            )
            if self._output_layer is not None:
                cell_outputs = self._output_layer(cell_outputs)
            output, beam_state = _beam_search_step(
                time, cell_outputs, next_cell_state, state, self._batch_size, self._beam_width,
                self._end_token, self._length_penalty_weight, self._coverage_penalty_weight,
            )  # fmt: skip
            finished = beam_state.finished
            next_inputs = cond(
                reduce_all(finished),
                lambda: self._start_inputs,
                lambda: self._embedding_fn(output.predicted_ids),
            )
        return output, beam_state, next_inputs, finished

    def finalize(self, outputs, final_state, sequence_lengths):
        """The ids read back along the parents (``FinalBeamSearchDecoderOutput``) and, with
        ``reorder_tensor_arrays``, the cell state's TensorArrays reordered likewise."""
        del sequence_lengths
        max_sequence_lengths = cast(reduce_max(final_state.lengths, axis=1), dtypes.int32)
        predicted_ids = gather_tree(
            outputs.predicted_ids, outputs.parent_ids, max_sequence_lengths, self._end_token
        )
        if self._reorder_tensor_arrays:
            final_state = final_state._replace(
                cell_state=nest.map_structure(
                    lambda t: self._maybe_sort_array_beams(
                        t, outputs.parent_ids, final_state.lengths
                    ),
                    final_state.cell_state,
                )
            )
        final = FinalBeamSearchDecoderOutput(
            beam_search_decoder_output=outputs, predicted_ids=predicted_ids
        )
        return final, final_state
