"""``tf.contrib.seq2seq``'s decoding loop: the ``Decoder`` interface, ``dynamic_decode`` (a
``tf.while_loop`` under the variable scope ``decoder``, as TF 1.15's, so a decoder's cell and
output layer make ``decoder/basic_lstm_cell/kernel`` and ``decoder/dense/kernel``) and
``BasicDecoder``, which runs a cell and asks a ``Helper`` for each step's sample and inputs.

>>> import numpy as np, scopeflow as tf
>>> with tf.Graph().as_default():
...     helper = tf.contrib.seq2seq.TrainingHelper(tf.ones([2, 4, 3]), [4, 2])
...     decoder = tf.contrib.seq2seq.BasicDecoder(
...         tf.nn.rnn_cell.BasicLSTMCell(5), helper,
...         tf.nn.rnn_cell.BasicLSTMCell(5).zero_state(2, tf.float32), tf.layers.Dense(7))
...     outputs, state, lengths = tf.contrib.seq2seq.dynamic_decode(decoder)
...     names = [v.op.name for v in tf.global_variables()]
...     with tf.Session() as sess:
...         sess.run(tf.global_variables_initializer())
...         out, n = sess.run([outputs.rnn_output, lengths])
>>> names[0], names[2], out.shape, n.tolist()
('decoder/basic_lstm_cell/kernel', 'decoder/dense/kernel', (2, 4, 7), [4, 2])
"""

from __future__ import annotations

import collections

from scopeflow.contrib.seq2seq_helper import Helper
from scopeflow.framework import dtypes, nest, tensor_shape
from scopeflow.framework.constant import constant, convert_to_tensor
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.tensor import Tensor
from scopeflow.layers.base import Layer
from scopeflow.ops.array.basic import fill, shape
from scopeflow.ops.array.shape import zeros_like
from scopeflow.ops.control.tensor_array import TensorArray
from scopeflow.ops.control.while_loop import while_loop
from scopeflow.ops.core.infer import constant_value
from scopeflow.ops.math.elementwise import logical_not, logical_or
from scopeflow.ops.math.reduction import reduce_all
from scopeflow.ops.math.selection import where
from scopeflow.rnn.cell_base import assert_like_rnncell, zero_state_tensors
from scopeflow.rnn.dynamic import transpose_batch_time
from scopeflow.variables.variable_scope import variable_scope


def static_batch_size(batch_size):
    """A batch size (an int or a scalar tensor) as an int when known while building: TF's
    ``constant_value`` folds ``tf.size`` of a fully defined shape too."""
    if not isinstance(batch_size, Tensor):
        return batch_size
    if batch_size.op.type == "Size" and batch_size.op.inputs[0].shape.is_fully_defined():
        return batch_size.op.inputs[0].shape.num_elements()
    value = constant_value(batch_size)
    return None if value is None else int(value)


class Decoder:
    """TF1's abstract decoder: ``batch_size``, ``output_size``, ``output_dtype``,
    ``initialize() -> (finished, inputs, state)``, ``step(time, inputs, state) -> (outputs,
    state, inputs, finished)`` and optionally ``finalize(outputs, state, lengths)``."""

    @property
    def batch_size(self):
        raise NotImplementedError

    @property
    def output_size(self):
        raise NotImplementedError

    @property
    def output_dtype(self):
        raise NotImplementedError

    def initialize(self, name=None):
        raise NotImplementedError

    def step(self, time, inputs, state, name=None):
        raise NotImplementedError

    def finalize(self, outputs, final_state, sequence_lengths):
        raise NotImplementedError

    @property
    def tracks_own_finished(self) -> bool:
        """Whether ``step`` reports finished rows itself (beam search reorders rows)."""
        return False


def _element_shape(batch_size, size):
    if not isinstance(size, tensor_shape.TensorShape) or size.ndims == 0:
        return tensor_shape.TensorShape(None)
    return tensor_shape.TensorShape([static_batch_size(batch_size)]).concatenate(size)


def dynamic_decode(
    decoder,
    output_time_major=False,
    impute_finished=False,
    maximum_iterations=None,
    parallel_iterations=32,
    swap_memory=False,
    scope=None,
):
    """Runs ``decoder`` until every row is finished (or ``maximum_iterations`` steps):
    ``(final_outputs, final_state, final_sequence_lengths)``, the outputs ``[batch, time,
    ...]`` (``[time, batch, ...]`` with ``output_time_major``). With ``impute_finished``,
    finished rows output zeros and keep their state. ``final_sequence_lengths`` counts the
    steps each row (for a ``BeamSearchDecoder``, each beam slot, which its reordering does
    not follow) ran unfinished, as TF 1.15's loop does; a beam search's own lengths are in
    ``final_state.lengths``.

    Raises:
        TypeError: ``decoder`` is not a ``Decoder``.
        ValueError: ``maximum_iterations`` is not a scalar.
    """
    if not isinstance(decoder, Decoder):
        raise TypeError(f"Expected decoder to be type Decoder, but saw: {type(decoder)}")
    with variable_scope(scope, "decoder"):
        if maximum_iterations is not None:
            maximum_iterations = convert_to_tensor(
                maximum_iterations, dtype=dtypes.int32, name="maximum_iterations"
            )
            if maximum_iterations.shape.ndims != 0:
                raise ValueError("maximum_iterations must be a scalar")
        initial_finished, initial_inputs, initial_state = decoder.initialize()
        zero_outputs = nest.map_structure(
            lambda size, dtype: zero_state_tensors(size, decoder.batch_size, dtype),
            decoder.output_size,
            decoder.output_dtype,
        )
        if maximum_iterations is not None:
            initial_finished = logical_or(initial_finished, 0 >= maximum_iterations)
        initial_sequence_lengths = zeros_like(initial_finished, dtype=dtypes.int32)
        initial_time = constant(0, dtype=dtypes.int32)
        initial_outputs_ta = nest.map_structure(
            lambda size, dtype: TensorArray(
                dtype=dtype,
                size=0,
                dynamic_size=True,
                element_shape=_element_shape(decoder.batch_size, size),
            ),
            decoder.output_size,
            decoder.output_dtype,
        )

        def condition(time, outputs_ta, state, inputs, finished, sequence_lengths):
            return logical_not(reduce_all(finished))

        def body(time, outputs_ta, state, inputs, finished, sequence_lengths):
            next_outputs, decoder_state, next_inputs, decoder_finished = decoder.step(
                time, inputs, state
            )
            if decoder.tracks_own_finished:
                next_finished = decoder_finished
            else:
                next_finished = logical_or(decoder_finished, finished)
            next_sequence_lengths = where(
                logical_not(finished),
                fill(shape(sequence_lengths), time + 1),
                sequence_lengths,
            )
            nest.assert_same_structure(state, decoder_state)
            nest.assert_same_structure(outputs_ta, next_outputs)
            nest.assert_same_structure(inputs, next_inputs)
            emit = next_outputs
            next_state = decoder_state
            if impute_finished:
                emit = nest.map_structure(
                    lambda out, zero: where(finished, zero, out), next_outputs, zero_outputs
                )
                next_state = nest.map_structure(
                    lambda new, cur: _maybe_copy_state(finished, new, cur), decoder_state, state
                )
            outputs_ta = nest.map_structure(lambda ta, out: ta.write(time, out), outputs_ta, emit)
            return (time + 1, outputs_ta, next_state, next_inputs, next_finished,
                    next_sequence_lengths)  # fmt: skip

        res = while_loop(
            condition,
            body,
            loop_vars=(
                initial_time,
                initial_outputs_ta,
                initial_state,
                initial_inputs,
                initial_finished,
                initial_sequence_lengths,
            ),
            parallel_iterations=parallel_iterations,
            maximum_iterations=maximum_iterations,
            swap_memory=swap_memory,
        )
        final_state, final_sequence_lengths = res[2], res[5]
        final_outputs = nest.map_structure(lambda ta: ta.stack(), res[1])
        try:
            final_outputs, final_state = decoder.finalize(
                final_outputs, final_state, final_sequence_lengths
            )
        except NotImplementedError:
            pass
        if not output_time_major:
            final_outputs = nest.map_structure(transpose_batch_time, final_outputs)
    return final_outputs, final_state, final_sequence_lengths


def _maybe_copy_state(finished, new, cur):
    """A finished row's state kept (TensorArrays and scalars pass through)."""
    if isinstance(cur, TensorArray):
        return new
    new.set_shape(cur.shape)
    return new if new.shape.ndims == 0 else where(finished, cur, new)


class BasicDecoderOutput(collections.namedtuple("BasicDecoderOutput", ("rnn_output", "sample_id"))):
    """A ``BasicDecoder`` step's outputs: the cell's (or output layer's) output and the
    helper's sample."""

    __slots__ = ()


class BasicDecoder(Decoder):
    """Runs ``cell`` (from ``initial_state``) on the inputs ``helper`` gives, its outputs
    through ``output_layer`` (a ``tf.layers`` layer) when given; each step's outputs are a
    ``BasicDecoderOutput``.

    Raises:
        TypeError: ``cell`` is not a cell, ``helper`` not a ``Helper``, ``output_layer`` not a
            layer.
    """

    def __init__(self, cell, helper, initial_state, output_layer=None):
        assert_like_rnncell("cell", cell)
        if not isinstance(helper, Helper):
            raise TypeError(f"helper must be a Helper, received: {type(helper)}")
        if output_layer is not None and not isinstance(output_layer, Layer):
            raise TypeError(f"output_layer must be a Layer, received: {type(output_layer)}")
        self._cell = cell
        self._helper = helper
        self._initial_state = initial_state
        self._output_layer = output_layer

    @property
    def batch_size(self):
        return self._helper.batch_size

    def _rnn_output_size(self):
        size = self._cell.output_size
        if self._output_layer is None:
            return size
        return nest.map_structure(
            lambda s: output_layer_size(self._output_layer, tensor_shape.as_shape(s)), size
        )

    @property
    def output_size(self):
        return BasicDecoderOutput(
            rnn_output=self._rnn_output_size(), sample_id=self._helper.sample_ids_shape
        )

    @property
    def output_dtype(self):
        dtype = nest.flatten(self._initial_state)[0].dtype
        return BasicDecoderOutput(
            nest.map_structure(lambda _: dtype, self._rnn_output_size()),
            self._helper.sample_ids_dtype,
        )

    def initialize(self, name=None):
        """``(finished, first inputs, initial state)``."""
        return self._helper.initialize() + (self._initial_state,)

    def step(self, time, inputs, state, name=None):
        """One step: ``(BasicDecoderOutput, next_state, next_inputs, finished)``."""
        with name_scope(name, "BasicDecoderStep", (time, inputs, state)):
            cell_outputs, cell_state = self._cell(inputs, state)
            if self._output_layer is not None:
                cell_outputs = self._output_layer(cell_outputs)
            sample_ids = self._helper.sample(time=time, outputs=cell_outputs, state=cell_state)
            finished, next_inputs, next_state = self._helper.next_inputs(
                time=time, outputs=cell_outputs, state=cell_state, sample_ids=sample_ids
            )
        return BasicDecoderOutput(cell_outputs, sample_ids), next_state, next_inputs, finished


def output_layer_size(layer, size: tensor_shape.TensorShape) -> tensor_shape.TensorShape:
    """The per-row output shape of ``layer`` for per-row inputs of ``size`` (TF1's
    ``compute_output_shape`` without the batch dimension)."""
    units = getattr(layer, "units", None)
    if units is None:
        raise NotImplementedError(
            f"output_layer {type(layer).__name__} has no `units`: use a tf.layers.Dense as the "
            "decoder's output layer"
        )
    return size[:-1].concatenate([units])
