"""``tf.keras.backend.rnn``: runs a step function over the time axis of a tensor, as
Keras's ``K.rnn`` (a ``tf.while_loop`` over ``TensorArray``s; ``unroll`` gives the same
values).

>>> import numpy as np, scopeflow as tf
>>> def step(x, states):
...     total = states[0] + x
...     return total, [total]
>>> with tf.Graph().as_default(), tf.Session() as sess:
...     last, outputs, states = tf.keras.backend.rnn(step, tf.ones([1, 3, 2]), [tf.zeros([1, 2])])
...     print(sess.run(last), sess.run(outputs).shape)
[[3. 3.]] (1, 3, 2)
"""

from __future__ import annotations

from scopeflow.framework import dtypes, nest
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.ops.array import basic as array_ops
from scopeflow.ops.array.cast import cast
from scopeflow.ops.array.join import reverse
from scopeflow.ops.array.shape import expand_dims, zeros_like
from scopeflow.ops.array.transpose import transpose
from scopeflow.ops.control.tensor_array import TensorArray
from scopeflow.ops.control.while_loop import while_loop
from scopeflow.ops.math.selection import where_v2


def _swap_batch_time(x):
    rank = x.shape.ndims
    return transpose(x, [1, 0, *range(2, rank)])


def _expand_mask(mask, like):
    """``mask`` ``[batch]`` reshaped to broadcast against ``like`` ``[batch, ...]``."""
    for _ in range(like.shape.ndims - 1):
        mask = expand_dims(mask, -1)
    return mask


def rnn(
    step_function,
    inputs,
    initial_states,
    go_backwards=False,
    mask=None,
    constants=None,
    unroll=False,
    input_length=None,
    time_major=False,
    zero_output_for_mask=False,
    return_all_outputs=True,
):
    """Iterates ``step_function(input_t, states + constants) -> (output_t, new_states)``
    over the time steps of ``inputs``.

    Args:
        inputs: ``[batch, time, ...]`` (``[time, batch, ...]`` with ``time_major``).
        initial_states: the states before the first step (a list of tensors).
        go_backwards: from the last step to the first (outputs in that order).
        mask: ``[batch, time]`` booleans: where false, the states and output are carried
            over from the previous step (the output zeros with ``zero_output_for_mask``).
        constants: tensors given to every step after the states.
        unroll: a Python loop over a known number of steps (same values).
        return_all_outputs: accepted; ``outputs`` holds every step's output either way, as
            tf_keras's ``K.rnn`` gives in graph mode.

    Returns:
        ``(last_output, outputs, new_states)``: ``last_output`` ``[batch, ...]``,
        ``outputs`` ``[batch, time, ...]`` (time-major with ``time_major``).

    Raises:
        ValueError: ``inputs`` of rank below 3, or ``unroll`` without a known length.
    """
    inputs = convert_to_tensor(inputs)
    if len(nest.flatten(inputs)) != 1:
        raise NotImplementedError("K.rnn over nested inputs is not supported; pass one tensor.")
    if inputs.shape.ndims is not None and inputs.shape.ndims < 3:
        raise ValueError("Input should be at least 3D.")
    time_first = inputs if time_major else _swap_batch_time(inputs)
    states = list(nest.flatten(initial_states))
    constants = list(nest.flatten(constants)) if constants else []
    if mask is not None:
        mask = cast(convert_to_tensor(mask), dtypes.bool)
        if mask.shape.ndims == 2:
            mask = expand_dims(mask, -1)
        mask = mask if time_major else _swap_batch_time(mask)
        mask = mask[..., 0]
    if go_backwards:
        time_first = reverse(time_first, [0])
        mask = None if mask is None else reverse(mask, [0])
    if unroll:
        outputs, states = _unrolled(
            step_function, time_first, states, constants, mask, zero_output_for_mask
        )
    else:
        outputs, states = _looped(
            step_function, time_first, states, constants, mask, zero_output_for_mask
        )
    last_output = outputs[-1]
    if not time_major:
        outputs = _swap_batch_time(outputs)
    return last_output, outputs, states


def _masked(keep, new, old):
    return where_v2(_expand_mask(keep, new), new, old)


def _unrolled(step_function, time_first, states, constants, mask, zero_output):
    steps = time_first.shape[0].value
    if steps is None:
        raise ValueError("Unrolling requires a fixed number of timesteps.")
    outputs, previous = [], None
    for t in range(steps):
        output, new_states = step_function(time_first[t], states + constants)
        new_states = list(nest.flatten(new_states))
        if mask is not None:
            keep = mask[t]
            fallback = zeros_like(output) if zero_output or previous is None else previous
            output = _masked(keep, output, fallback)
            new_states = [_masked(keep, n, s) for n, s in zip(new_states, states, strict=True)]
        outputs.append(output)
        previous, states = output, new_states
    return array_ops.stack(outputs), states


def _looped(step_function, time_first, states, constants, mask, zero_output):
    steps = array_ops.shape(time_first)[0]
    dtype = time_first.dtype.base_dtype
    sequence = TensorArray(dtype, size=steps).unstack(time_first)
    # one step outside the loop gives the output's dtype and shape (its ops are pruned)
    probe, _ = step_function(time_first[0], states + constants)
    out_array = TensorArray(probe.dtype.base_dtype, size=steps, element_shape=probe.shape)
    masks = None if mask is None else TensorArray(dtypes.bool, size=steps).unstack(mask)
    count = len(states)

    def body(t, out, previous, *carried):
        output, new_states = step_function(sequence.read(t), list(carried) + constants)
        new_states = list(nest.flatten(new_states))
        if masks is not None:
            keep = masks.read(t)
            fallback = zeros_like(output) if zero_output else previous
            output = _masked(keep, output, fallback)
            new_states = [_masked(keep, n, s) for n, s in zip(new_states, carried, strict=True)]
        for new, old in zip(new_states, carried, strict=True):
            new.set_shape(old.shape)
        return (t + 1, out.write(t, output), output, *new_states)

    first = zeros_like(probe)
    loop = while_loop(lambda t, *_: t < steps, body, [0, out_array, first, *states])
    states = list(loop[3 : 3 + count])
    stacked = loop[1].stack()
    stacked.set_shape([time_first.shape[0].value, *probe.shape.as_list()])
    return stacked, states


__all__ = ["rnn"]
