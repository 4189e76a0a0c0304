"""``tf.nn.raw_rnn``: a cell run by a ``tf.while_loop`` whose every step a user's ``loop_fn``
steers (the next input, when each row is finished, what to emit, a loop state), as TF1's.

``loop_fn(time, cell_output, cell_state, loop_state)`` returns ``(elements_finished,
next_input, next_cell_state, emit_output, next_loop_state)``; at ``time`` 0 it is called with
``None``s and gives the initial state (and ``emit_output``'s structure, or ``None`` for the
cell's outputs). Rows already finished emit zeros and keep their state.

>>> import scopeflow as tf
>>> with tf.Graph().as_default():
...     inputs = tf.ones([4, 2, 3])  # [time, batch, depth]
...     cell = tf.nn.rnn_cell.GRUCell(5)
...     def loop_fn(time, cell_output, cell_state, loop_state):
...         state = cell.zero_state(2, tf.float32) if cell_output is None else cell_state
...         finished = time >= [4, 2]
...         next_input = tf.cond(tf.reduce_all(finished), lambda: tf.zeros([2, 3]),
...                              lambda: inputs[tf.minimum(time, 3)])
...         return finished, next_input, state, cell_output, loop_state
...     emit_ta, state, _ = tf.nn.raw_rnn(cell, loop_fn)
...     outputs = emit_ta.stack()
>>> outputs.name, state.name
('TensorArrayStack/TensorArrayGatherV3:0', 'rnn/while/Exit_4:0')
"""

from __future__ import annotations

from scopeflow.framework import dtypes, nest, tensor_shape
from scopeflow.framework.constant import constant, convert_to_tensor
from scopeflow.framework.graph_api import colocate_with
from scopeflow.ops.array.basic import shape, zeros
from scopeflow.ops.control.tensor_array import TensorArray
from scopeflow.ops.control.while_loop import while_loop
from scopeflow.ops.math.elementwise import logical_not, logical_or
from scopeflow.ops.math.reduction import reduce_all
from scopeflow.ops.math.selection import where
from scopeflow.rnn.cell_base import assert_like_rnncell, cache_reads_in_place, concat_sizes
from scopeflow.rnn.dynamic import as_shape
from scopeflow.variables.variable_scope import variable_scope


def raw_rnn(cell, loop_fn, parallel_iterations=None, swap_memory=False, scope=None):
    """Runs ``cell`` as ``loop_fn`` directs: ``(emit_ta, final_state, final_loop_state)``,
    ``emit_ta`` TensorArrays of the emitted outputs (``final_loop_state`` is ``None`` when
    ``loop_fn`` keeps none)."""
    assert_like_rnncell("cell", cell)
    if not callable(loop_fn):
        raise TypeError(f"Argument `loop_fn` must be a callable. Received: {loop_fn}.")
    parallel_iterations = parallel_iterations or 32
    with variable_scope(scope or "rnn") as varscope:
        cache_reads_in_place(varscope)
        time = constant(0, dtype=dtypes.int32)
        elements_finished, next_input, initial_state, emit_structure, init_loop_state = loop_fn(
            time, None, None, None
        )
        flat_input = nest.flatten(next_input)
        loop_state = (
            init_loop_state if init_loop_state is not None else constant(0, dtype=dtypes.int32)
        )
        input_shapes = [input_.shape for input_ in flat_input]
        static_batch_size = tensor_shape.dimension_at_index(input_shapes[0], 0)
        for input_shape in input_shapes:
            static_batch_size.assert_is_compatible_with(
                tensor_shape.dimension_at_index(input_shape, 0)
            )
        const_batch_size = batch_size = tensor_shape.dimension_value(static_batch_size)
        if batch_size is None:
            batch_size = shape(flat_input[0])[0]
        nest.assert_same_structure(initial_state, cell.state_size)
        flat_state = [convert_to_tensor(s) for s in nest.flatten(initial_state)]
        state = nest.pack_sequence_as(initial_state, flat_state)
        if emit_structure is not None:
            flat_emit_structure = nest.flatten(emit_structure)
            flat_emit_size = [
                emit.shape if emit.shape.is_fully_defined() else shape(emit)
                for emit in flat_emit_structure
            ]
            flat_emit_dtypes = [emit.dtype for emit in flat_emit_structure]
        else:
            emit_structure = cell.output_size
            flat_emit_size = nest.flatten(emit_structure)
            flat_emit_dtypes = [flat_state[0].dtype] * len(flat_emit_size)
        flat_emit_ta = [
            TensorArray(
                dtype=dtype_i,
                dynamic_size=True,
                element_shape=tensor_shape.TensorShape([const_batch_size]).concatenate(
                    as_shape(size_i)
                ),
                size=0,
                name=f"rnn_output_{i}",
            )
            for i, (dtype_i, size_i) in enumerate(
                zip(flat_emit_dtypes, flat_emit_size, strict=True)
            )
        ]
        emit_ta = nest.pack_sequence_as(emit_structure, flat_emit_ta)
        zero_emit = nest.pack_sequence_as(
            emit_structure,
            [
                zeros(concat_sizes(batch_size, size_i), dtype_i)
                for size_i, dtype_i in zip(flat_emit_size, flat_emit_dtypes, strict=True)
            ],
        )

        def condition(unused_time, elements_finished, *_):
            return logical_not(reduce_all(elements_finished))

        def body(time, elements_finished, current_input, emit_ta, state, loop_state):
            next_output, cell_state = cell(current_input, state)
            nest.assert_same_structure(state, cell_state)
            nest.assert_same_structure(cell.output_size, next_output)
            next_time = time + 1
            next_finished, next_input, next_state, emit_output, next_loop_state = loop_fn(
                next_time, next_output, cell_state, loop_state
            )
            nest.assert_same_structure(state, next_state)
            nest.assert_same_structure(current_input, next_input)
            nest.assert_same_structure(emit_ta, emit_output)
            loop_state = loop_state if next_loop_state is None else next_loop_state

            def copy_some_through(current, candidate):
                def copy_fn(cur_i, cand_i):
                    if isinstance(cur_i, TensorArray) or cur_i.shape.ndims == 0:
                        return cand_i
                    with colocate_with(cand_i):
                        return where(elements_finished, cur_i, cand_i)

                return nest.map_structure(copy_fn, current, candidate)

            emit_output = copy_some_through(zero_emit, emit_output)
            next_state = copy_some_through(state, next_state)
            emit_ta = nest.map_structure(
                lambda ta, emit: ta.write(time, emit), emit_ta, emit_output
            )
            elements_finished = logical_or(elements_finished, next_finished)
            return next_time, elements_finished, next_input, emit_ta, next_state, loop_state

        returned = while_loop(
            condition,
            body,
            loop_vars=[time, elements_finished, next_input, emit_ta, state, loop_state],
            parallel_iterations=parallel_iterations,
            swap_memory=swap_memory,
        )
        emit_ta, final_state, final_loop_state = returned[-3:]
        if init_loop_state is None:
            final_loop_state = None
        return emit_ta, final_state, final_loop_state
