"""``tf.nn.dynamic_rnn`` and ``tf.nn.bidirectional_dynamic_rnn``: a cell run over a sequence
by a ``tf.while_loop`` that reads each step's inputs from a TensorArray and writes each
step's outputs to another, built as TF1 builds it (``rnn/while/...``, ``rnn/transpose_1``).

With ``sequence_length``, a row's outputs past its length are zeros and its state is copied
through unchanged (a ``Select`` per output and state, TF1's ``_rnn_step``).

>>> import numpy as np
>>> import scopeflow as tf
>>> with tf.Graph().as_default():
...     x = tf.placeholder(tf.float32, [2, 5, 3])
...     cell = tf.nn.rnn_cell.BasicLSTMCell(4)
...     outputs, state = tf.nn.dynamic_rnn(cell, x, sequence_length=[5, 2], dtype=tf.float32)
...     with tf.Session() as sess:
...         sess.run(tf.global_variables_initializer())
...         out, h = sess.run([outputs, state.h], {x: np.ones([2, 5, 3])})
>>> outputs.name, state.h.name, out.shape, bool(np.all(out[1, 2:] == 0))
('rnn/transpose_1:0', 'rnn/while/Exit_4:0', (2, 5, 4), True)
>>> bool(np.all(h[1] == out[1, 1]))
True
"""

from __future__ import annotations

from scopeflow.framework import dtypes, nest, tensor_shape
from scopeflow.framework.constant import constant, convert_to_tensor
from scopeflow.framework.graph_api import colocate_with, control_dependencies, name_scope
from scopeflow.framework.tensor import Tensor
from scopeflow.ops.array.basic import identity, shape, stack, zeros
from scopeflow.ops.array.cast import cast
from scopeflow.ops.array.join import concat, reverse
from scopeflow.ops.array.reverse_sequence import reverse_sequence
from scopeflow.ops.array.shape import rank
from scopeflow.ops.array.transpose import transpose
from scopeflow.ops.control.assertions import Assert
from scopeflow.ops.control.tensor_array import TensorArray
from scopeflow.ops.control.while_loop import while_loop
from scopeflow.ops.core.infer import constant_value
from scopeflow.ops.math.elementwise import equal, greater_equal, maximum, minimum
from scopeflow.ops.math.reduction import reduce_all, reduce_max, reduce_min
from scopeflow.ops.math.selection import where
from scopeflow.ops.math.sequence import range as range_
from scopeflow.rnn.cell_base import assert_like_rnncell, cache_reads_in_place, concat_sizes
from scopeflow.variables.variable_scope import variable_scope


def transpose_batch_time(x):
    """``x`` with its first two dimensions swapped (as it is below rank 2), static shape kept."""
    static = x.shape
    if static.ndims is not None and static.ndims < 2:
        return x
    x_t = transpose(x, concat(([1, 0], range_(2, rank(x))), axis=0))
    dims = static.dims if static.ndims is not None else None
    if dims is not None:
        x_t.set_shape(tensor_shape.TensorShape([dims[1], dims[0]]).concatenate(static[2:]))
    return x_t


def best_effort_batch_size(flat_input):
    """The static batch size of time-major inputs, else the first input's dynamic one."""
    for input_ in flat_input:
        static = input_.shape
        if static.ndims is None:
            continue
        if static.ndims < 2:
            raise ValueError(
                f"Input tensor should have rank >= 2. Received input={input_} of rank "
                f"{static.ndims}"
            )
        batch_size = tensor_shape.dimension_value(static[1])
        if batch_size is not None:
            return batch_size
    return shape(flat_input[0])[1]


def infer_state_dtype(explicit_dtype, state):
    """``explicit_dtype``, else the one dtype of every tensor in ``state``."""
    if explicit_dtype is not None:
        return explicit_dtype
    if nest.is_sequence(state):
        inferred = [element.dtype for element in nest.flatten(state)]
        if not inferred:
            raise ValueError(f"Unable to infer dtype from argument state={state}.")
        if not all(d == inferred[0] for d in inferred):
            raise ValueError(
                f"Argument state={state} has tensors of different inferred dtypes. Unable to "
                f"infer a single representative dtype. Dtypes received: {inferred}"
            )
        return inferred[0]
    return state.dtype


def copy_some_through(copy_cond, flat_zero, flat_state, flat_new_output, flat_new_state):
    """TF1's ``_copy_some_through``: where ``copy_cond`` (``time >= sequence_length``) holds,
    a row outputs zeros and keeps its state (a ``Select`` per output and state tensor)."""

    def one(old, new):
        if old.shape.ndims == 0:
            return new
        with colocate_with(new):
            return where(copy_cond, old, new)

    outputs = [one(z, n) for z, n in zip(flat_zero, flat_new_output, strict=True)]
    return outputs + [one(s, n) for s, n in zip(flat_state, flat_new_state, strict=True)]


def pack_step(final, zero_output, state):
    """A step's flat ``final`` outputs and states, given their static shapes, as
    ``(output, state)`` in the structures of ``zero_output`` and ``state``."""
    flat_zero, flat_state = nest.flatten(zero_output), nest.flatten(state)
    for out, like in zip(final, flat_zero + flat_state, strict=True):
        out.set_shape(like.shape)
    return (
        nest.pack_sequence_as(zero_output, final[: len(flat_zero)]),
        nest.pack_sequence_as(state, final[len(flat_zero) :]),
    )


def dynamic_rnn(
    cell,
    inputs,
    sequence_length=None,
    initial_state=None,
    dtype=None,
    parallel_iterations=None,
    swap_memory=False,
    time_major=False,
    scope=None,
):
    """Runs ``cell`` over ``inputs`` (``[batch, time, ...]``, or ``[time, batch, ...]`` with
    ``time_major``; a nested structure of them for cells taking several inputs): ``(outputs,
    final_state)``, the outputs in the inputs' layout. Variables go under ``scope`` (default
    ``rnn``): ``rnn/basic_lstm_cell/kernel``. ``swap_memory`` is accepted (no device memory).

    Raises:
        ValueError: without ``initial_state`` nor ``dtype``; for inputs of rank < 3 or an
            unknown depth; for a ``sequence_length`` that is not a vector.
    """
    assert_like_rnncell("cell", cell)
    with variable_scope(scope or "rnn") as varscope:
        cache_reads_in_place(varscope)
        flat_input = nest.flatten(inputs)
        if not time_major:
            flat_input = [convert_to_tensor(input_) for input_ in flat_input]
            flat_input = tuple(transpose_batch_time(input_) for input_ in flat_input)
        else:
            flat_input = [convert_to_tensor(input_) for input_ in flat_input]
        parallel_iterations = parallel_iterations or 32
        if sequence_length is not None:
            sequence_length = cast(sequence_length, dtypes.int32)
            if sequence_length.shape.ndims not in (None, 1):
                raise ValueError(
                    "Argument sequence_length must be a vector of length batch_size. Received "
                    f"sequence_length={sequence_length} of shape: {sequence_length.shape}"
                )
            sequence_length = identity(sequence_length, name="sequence_length")
        batch_size = best_effort_batch_size(flat_input)
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
            with control_dependencies([_assert_has_shape(sequence_length, [batch_size])]):
                sequence_length = identity(sequence_length, name="CheckSeqLen")
        inputs = nest.pack_sequence_as(inputs, list(flat_input))
        outputs, final_state = _dynamic_rnn_loop(
            cell, inputs, state, parallel_iterations, swap_memory, sequence_length, dtype
        )
        if not time_major:
            outputs = nest.map_structure(transpose_batch_time, outputs)
        return outputs, final_state


def _assert_has_shape(x, expected):
    x_shape = shape(x)
    packed = stack(expected)
    return Assert(
        reduce_all(equal(x_shape, packed)),
        [f"Expected shape for Tensor {x.name} is ", packed, " but saw shape: ", x_shape],
    )


def _checked_input_shapes(flat_input) -> tuple:
    got = []
    for input_ in flat_input:
        static = input_.shape
        if static.ndims is not None and static.ndims < 3:
            raise ValueError(
                f"Shape {static} must have rank at least 3 (dynamic_rnn's inputs are "
                "[batch, time, depth], or [time, batch, depth] with time_major=True)"
            )
        got.append(static if static.ndims is not None else tensor_shape.unknown_shape(3))
    const_time, const_batch = got[0].as_list()[:2] if got[0].ndims else (None, None)
    for input_, static in zip(flat_input, got, strict=True):
        if not static[2:].is_fully_defined():
            raise ValueError(
                "Input size (depth of inputs) must be accessible via shape inference, but saw "
                f"value None for input={input_}."
            )
        if const_time != tensor_shape.dimension_value(static[0]):
            raise ValueError(
                "Time steps is not the same for all the elements in the input in a batch. "
                f"Received time steps={static.as_list()[0]} for input={input_}."
            )
        if const_batch != tensor_shape.dimension_value(static[1]):
            raise ValueError(
                "Batch_size is not the same for all the elements in the input. Received "
                f"batch size={static.as_list()[1]} for input={input_}."
            )
    return tuple(got), const_time, const_batch


def _dynamic_rnn_loop(cell, inputs, state, parallel_iterations, swap_memory, seq_len, dtype):
    """TF1's ``_dynamic_rnn_loop``: ``(time-major outputs, final state)``."""
    flat_input = nest.flatten(inputs)
    flat_output_size = nest.flatten(cell.output_size)
    time_steps = shape(flat_input[0])[0]
    batch_size = best_effort_batch_size(flat_input)
    got_shapes, const_time_steps, const_batch_size = _checked_input_shapes(flat_input)
    state_dtype = infer_state_dtype(dtype, state)

    def zero_array(size):
        return zeros(concat_sizes(batch_size, size), state_dtype)

    zero_output = nest.pack_sequence_as(
        cell.output_size, [zero_array(size) for size in flat_output_size]
    )
    if seq_len is not None:
        reduce_min(seq_len)  # made as TF1 makes it, unused: its steps skip conditionals
        max_sequence_length = reduce_max(seq_len)
    else:
        max_sequence_length = time_steps
    time = constant(0, dtype=dtypes.int32, name="time")
    with name_scope("dynamic_rnn") as base_name:
        pass

    def make_ta(name, element_shape, ta_dtype):
        return TensorArray(
            dtype=ta_dtype,
            size=time_steps,
            element_shape=element_shape,
            tensor_array_name=base_name + name,
        )

    output_ta = tuple(
        make_ta(
            f"output_{i}",
            tensor_shape.TensorShape([const_batch_size]).concatenate(as_shape(size)),
            state_dtype,
        )
        for i, size in enumerate(flat_output_size)
    )
    input_ta = tuple(make_ta(f"input_{i}", x.shape[1:], x.dtype) for i, x in enumerate(flat_input))
    input_ta = tuple(ta.unstack(x) for ta, x in zip(input_ta, flat_input, strict=True))

    def time_step(time, output_ta_t, state):
        input_t = tuple(ta.read(time) for ta in input_ta)
        for input_, static in zip(input_t, got_shapes, strict=True):
            input_.set_shape(static[1:])
        input_t = nest.pack_sequence_as(inputs, list(input_t))
        if seq_len is None:
            output, new_state = cell(input_t, state)
        else:
            copy_cond = greater_equal(time, seq_len)
            output, new_state = cell(input_t, state)
            nest.assert_same_structure(zero_output, output)
            nest.assert_same_structure(state, new_state)
            final = copy_some_through(
                copy_cond,
                nest.flatten(zero_output),
                nest.flatten(state),
                nest.flatten(output),
                nest.flatten(new_state),
            )
            output, new_state = pack_step(final, zero_output, state)
        output = nest.flatten(output)
        output_ta_t = tuple(
            ta.write(time, out) for ta, out in zip(output_ta_t, output, strict=True)
        )
        return time + 1, output_ta_t, new_state

    loop_bound = minimum(time_steps, maximum(1, max_sequence_length))
    _, output_final_ta, final_state = while_loop(
        cond=lambda time, *_: time < loop_bound,
        body=time_step,
        loop_vars=(time, output_ta, state),
        parallel_iterations=parallel_iterations,
        maximum_iterations=time_steps,
        swap_memory=swap_memory,
    )
    final_outputs = tuple(ta.stack() for ta in output_final_ta)
    for output, size in zip(final_outputs, flat_output_size, strict=True):
        output.set_shape(concat_sizes([const_time_steps, const_batch_size], size, static=True))
    return nest.pack_sequence_as(cell.output_size, list(final_outputs)), final_state


def as_shape(size):
    if isinstance(size, Tensor):
        value = constant_value(size)
        return tensor_shape.unknown_shape() if value is None else tensor_shape.as_shape(value)
    return tensor_shape.as_shape(size)


def bidirectional_dynamic_rnn(
    cell_fw,
    cell_bw,
    inputs,
    sequence_length=None,
    initial_state_fw=None,
    initial_state_bw=None,
    dtype=None,
    parallel_iterations=None,
    swap_memory=False,
    time_major=False,
    scope=None,
):
    """``dynamic_rnn`` forward (``cell_fw``, scope ``bidirectional_rnn/fw``) and over the
    reversed sequences (``cell_bw``, ``bidirectional_rnn/bw``; each row reversed within its
    ``sequence_length``): ``((output_fw, output_bw), (state_fw, state_bw))``, ``output_bw``
    reversed back into the inputs' order."""
    assert_like_rnncell("cell_fw", cell_fw)
    assert_like_rnncell("cell_bw", cell_bw)
    time_axis, batch_axis = (0, 1) if time_major else (1, 0)

    def reverse_(input_):
        if sequence_length is not None:
            return reverse_sequence(
                input=input_,
                seq_lengths=sequence_length,
                seq_axis=time_axis,
                batch_axis=batch_axis,
            )
        return reverse(input_, axis=[time_axis])

    with variable_scope(scope or "bidirectional_rnn"):
        with variable_scope("fw") as fw_scope:
            output_fw, state_fw = dynamic_rnn(
                cell_fw,
                inputs,
                sequence_length,
                initial_state_fw,
                dtype,
                parallel_iterations,
                swap_memory,
                time_major,
                scope=fw_scope,
            )
        with variable_scope("bw") as bw_scope:
            inputs_reverse = nest.map_structure(reverse_, inputs)
            tmp, state_bw = dynamic_rnn(
                cell_bw,
                inputs_reverse,
                sequence_length,
                initial_state_bw,
                dtype,
                parallel_iterations,
                swap_memory,
                time_major,
                scope=bw_scope,
            )
    output_bw = reverse_(tmp)
    return (output_fw, output_bw), (state_fw, state_bw)
