"""``tf.nn.static_rnn``, ``tf.nn.static_bidirectional_rnn`` and
``tf.nn.static_state_saving_rnn``: a cell unrolled over a Python list of per-step inputs,
one copy of its ops per step (``rnn/gru_cell/MatMul``, then ``rnn/gru_cell/MatMul_2``...),
its variables made at the first step and reused after.

With ``sequence_length`` each step is TF1's ``_rnn_step``: two ``tf.cond``s skip the cell
past the longest sequence and the copying before the shortest one ends.

>>> import scopeflow as tf
>>> with tf.Graph().as_default():
...     steps = [tf.ones([2, 3])] * 4
...     outputs, state = tf.nn.static_rnn(tf.nn.rnn_cell.GRUCell(5), steps, dtype=tf.float32)
>>> len(outputs), outputs[-1].name, state.shape.as_list()
(4, 'rnn/gru_cell/add_3:0', [2, 5])
"""

from __future__ import annotations

from scopeflow.framework import dtypes, nest, tensor_shape
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.graph_api import control_dependencies
from scopeflow.ops.array.basic import identity, shape, stack, zeros
from scopeflow.ops.array.cast import cast
from scopeflow.ops.array.join import concat, unstack
from scopeflow.ops.array.reverse_sequence import reverse_sequence
from scopeflow.ops.control.cond import cond
from scopeflow.ops.math.reduction import reduce_max, reduce_min
from scopeflow.rnn.cell_base import assert_like_rnncell, cache_reads_in_place, concat_sizes
from scopeflow.rnn.dynamic import copy_some_through, infer_state_dtype, pack_step
from scopeflow.variables.variable_scope import variable_scope


def _rnn_step(time, sequence_length, min_length, max_length, zero_output, state, call_cell):
    """One step of a static RNN with ``sequence_length``: zeros and the old state past
    ``max_length``, the cell's values before ``min_length``, else row by row."""
    flat_zero, flat_state = nest.flatten(zero_output), nest.flatten(state)
    copy_cond = time >= sequence_length

    def maybe_copy_some_through():
        new_output, new_state = call_cell()
        nest.assert_same_structure(zero_output, new_output)
        nest.assert_same_structure(state, new_state)
        flat_new_state, flat_new_output = nest.flatten(new_state), nest.flatten(new_output)
        return cond(
            time < min_length,
            lambda: flat_new_output + flat_new_state,
            lambda: copy_some_through(
                copy_cond, flat_zero, flat_state, flat_new_output, flat_new_state
            ),
        )

    final = cond(time >= max_length, lambda: flat_zero + flat_state, maybe_copy_some_through)
    return pack_step(list(final), zero_output, state)


def _check_inputs(inputs) -> None:
    if not nest.is_sequence(inputs):
        raise TypeError(f"Argument `inputs` must be a sequence. Received: {inputs}")
    if not inputs:
        raise ValueError("Argument `inputs` must not be empty.")


def static_rnn(cell, inputs, initial_state=None, dtype=None, sequence_length=None, scope=None):
    """Runs ``cell`` over ``inputs``, a list of ``[batch, depth]`` tensors (one per step):
    ``(outputs, final_state)``, ``outputs`` a list of one output per step. Variables under
    ``scope`` (default ``rnn``); with ``sequence_length``, outputs past a row's length are
    zeros and its state is copied through."""
    assert_like_rnncell("cell", cell)
    _check_inputs(inputs)
    outputs = []
    with variable_scope(scope or "rnn") as varscope:
        cache_reads_in_place(varscope)
        first_input = inputs
        while nest.is_sequence(first_input):
            first_input = first_input[0]
        if first_input.shape.ndims != 1:
            fixed_batch_size = first_input.shape.with_rank_at_least(2)[0]
            for flat_input in nest.flatten(inputs):
                input_shape = flat_input.shape.with_rank_at_least(2)
                fixed_batch_size.assert_is_compatible_with(input_shape[0])
                for i, size in enumerate(input_shape[1:].dims):
                    if tensor_shape.dimension_value(size) is None:
                        raise ValueError(
                            f"Input size (dimension {i} of input {flat_input}) must be "
                            "accessible via shape inference, but saw value None."
                        )
        else:
            fixed_batch_size = first_input.shape.with_rank_at_least(1)[0]
        static_batch = tensor_shape.dimension_value(fixed_batch_size)
        batch_size = static_batch if static_batch else shape(first_input)[0]
        if initial_state is not None:
            state = initial_state
        else:
            if not dtype:
                raise ValueError(
                    "If no initial_state is provided, argument `dtype` must be specified"
                )
            if getattr(cell, "get_initial_state", None) is not None:
                state = cell.get_initial_state(inputs=None, batch_size=batch_size, dtype=dtype)
            else:
                state = cell.zero_state(batch_size, dtype)
        if sequence_length is not None:
            sequence_length = convert_to_tensor(sequence_length, name="sequence_length")
            if sequence_length.shape.ndims not in (None, 1):
                raise ValueError(
                    f"Argument `sequence_length` must be a vector of length {batch_size}. "
                    f"Received sequence_length={sequence_length}."
                )
            state_dtype = infer_state_dtype(dtype, state)

            def zero_output_of(size):
                output = zeros(concat_sizes(batch_size, size), state_dtype)
                output.set_shape(concat_sizes(static_batch, size, static=True))
                return output

            zero_output = nest.pack_sequence_as(
                cell.output_size, [zero_output_of(s) for s in nest.flatten(cell.output_size)]
            )
            sequence_length = cast(sequence_length, dtypes.int32)
            min_length = reduce_min(sequence_length)
            max_length = reduce_max(sequence_length)
        for time, input_ in enumerate(inputs):
            if time > 0:
                varscope.reuse_variables()

            def call_cell(input_=input_, state=state):
                return cell(input_, state)

            if sequence_length is not None:
                output, state = _rnn_step(
                    time, sequence_length, min_length, max_length, zero_output, state, call_cell
                )
            else:
                output, state = call_cell()
            outputs.append(output)
        return outputs, state


def _reverse_seq(input_seq, lengths):
    """The steps of ``input_seq`` reversed, each row within its length when ``lengths``."""
    if lengths is None:
        return list(reversed(input_seq))
    flat_input_seq = tuple(nest.flatten(input_) for input_ in input_seq)
    flat_results = [[] for _ in input_seq]
    for sequence in zip(*flat_input_seq, strict=True):
        input_shape = tensor_shape.unknown_shape(sequence[0].shape.ndims)
        for input_ in sequence:
            input_shape.assert_is_compatible_with(input_.shape)
            input_.set_shape(input_shape)
        s_reversed = reverse_sequence(stack(list(sequence)), lengths, 0, 1)
        for r, flat_result in zip(unstack(s_reversed), flat_results, strict=True):
            r.set_shape(input_shape)
            flat_result.append(r)
    return [
        nest.pack_sequence_as(input_, flat_result)
        for input_, flat_result in zip(input_seq, flat_results, strict=True)
    ]


def static_bidirectional_rnn(
    cell_fw,
    cell_bw,
    inputs,
    initial_state_fw=None,
    initial_state_bw=None,
    dtype=None,
    sequence_length=None,
    scope=None,
):
    """``static_rnn`` forward (``bidirectional_rnn/fw``) and over the reversed steps
    (``bidirectional_rnn/bw``): ``(outputs, state_fw, state_bw)``, each output the forward
    and backward outputs of its step concatenated."""
    assert_like_rnncell("cell_fw", cell_fw)
    assert_like_rnncell("cell_bw", cell_bw)
    _check_inputs(inputs)
    with variable_scope(scope or "bidirectional_rnn"):
        with variable_scope("fw") as fw_scope:
            output_fw, state_fw = static_rnn(
                cell_fw, inputs, initial_state_fw, dtype, sequence_length, scope=fw_scope
            )
        with variable_scope("bw") as bw_scope:
            reversed_inputs = _reverse_seq(inputs, sequence_length)
            tmp, state_bw = static_rnn(
                cell_bw, reversed_inputs, initial_state_bw, dtype, sequence_length, scope=bw_scope
            )
    output_bw = _reverse_seq(tmp, sequence_length)
    flat_outputs = tuple(
        concat([fw, bw], 1)
        for fw, bw in zip(nest.flatten(output_fw), nest.flatten(output_bw), strict=True)
    )
    return nest.pack_sequence_as(output_fw, list(flat_outputs)), state_fw, state_bw


def static_state_saving_rnn(
    cell, inputs, state_saver, state_name, sequence_length=None, scope=None
):
    """``static_rnn`` from the state ``state_saver.state(state_name)`` (a name per state tensor
    when the cell's state is a tuple), saving the final state back with
    ``state_saver.save_state(name, value)`` before the last output and the state are read.

    >>> import scopeflow as tf
    >>> class Saver:
    ...     def state(self, name):
    ...         self.saved = tf.Variable(tf.zeros([2, 3]), name=name)
    ...         return self.saved.value()
    ...     def save_state(self, name, value):
    ...         return tf.assign(self.saved, value)
    >>> with tf.Graph().as_default():
    ...     saver = Saver()
    ...     cell = tf.nn.rnn_cell.BasicRNNCell(3)
    ...     outputs, state = tf.nn.static_state_saving_rnn(cell, [tf.ones([2, 1])] * 2, saver, "h")
    ...     with tf.Session() as sess:
    ...         sess.run(tf.global_variables_initializer())
    ...         first = sess.run(state)
    ...         bool((sess.run(saver.saved) == first).all())
    True

    Raises:
        ValueError: ``state_name`` is not structured as ``cell.state_size``.
    """
    state_size = cell.state_size
    state_is_tuple = nest.is_sequence(state_size)
    if state_is_tuple != nest.is_sequence(state_name):
        raise ValueError(
            "state_name should be the same type as cell.state_size.  state_name: "
            f"{state_name}, cell.state_size: {state_size}"
        )
    if state_is_tuple:
        names, sizes = nest.flatten(state_name), nest.flatten(state_size)
        if len(names) != len(sizes):
            raise ValueError(
                f"#elems(state_name) != #elems(state_size): {len(names)} vs. {len(sizes)}"
            )
        initial_state = nest.pack_sequence_as(state_size, [state_saver.state(n) for n in names])
    else:
        names, initial_state = [state_name], state_saver.state(state_name)
    outputs, state = static_rnn(
        cell, inputs, initial_state=initial_state, sequence_length=sequence_length, scope=scope
    )
    flat_state = nest.flatten(state)
    save = [state_saver.save_state(n, s) for n, s in zip(names, flat_state, strict=True)]
    with control_dependencies(save):
        last = outputs[-1]
        outputs[-1] = nest.pack_sequence_as(last, [identity(o) for o in nest.flatten(last)])
        state = nest.pack_sequence_as(state, [identity(s) for s in flat_state])
    return outputs, state
