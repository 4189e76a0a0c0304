"""``tf.signal.frame`` and ``tf.signal.overlap_and_add``: a signal cut into (overlapping)
frames along an axis, and frames added back together, built from TF1's own ops the way TF1
builds them (reshapes, a gather of sub-frames, a pad, a sum), so they run and differentiate
with those ops."""

from __future__ import annotations

import math

import numpy as np

from scopeflow.framework import dtypes, tensor_shape, undo
from scopeflow.framework.constant import constant, convert_to_tensor
from scopeflow.framework.graph_api import name_scope
from scopeflow.ops.array.basic import reshape, shape, zeros
from scopeflow.ops.array.gather import gather
from scopeflow.ops.array.join import concat, split
from scopeflow.ops.array.pad import pad
from scopeflow.ops.array.shape import rank, size, zeros_like
from scopeflow.ops.array.slicing import strided_slice
from scopeflow.ops.array.transpose import transpose
from scopeflow.ops.control.while_loop import while_loop
from scopeflow.ops.core.infer import constant_value
from scopeflow.ops.math.elementwise import greater, maximum, mod
from scopeflow.ops.math.reduction import reduce_sum
from scopeflow.ops.math.sequence import range as range_


def _static(t):
    """``t``'s value when known while building (a Python scalar for a scalar), else None."""
    value = constant_value(t)
    return value.item() if value is not None and value.ndim == 0 else value


def gcd(a, b, name=None):
    """The greatest common divisor of two int scalars: a constant when both are known, else a
    ``tf.while_loop`` of Euclid's steps (TF1's ``util_ops.gcd``)."""
    with name_scope(name, "gcd", [a, b]):
        a, b = convert_to_tensor(a), convert_to_tensor(b)
        a.shape.assert_has_rank(0)
        b.shape.assert_has_rank(0)
        for arg, t in (("a", a), ("b", b)):
            if not t.dtype.is_integer:
                raise ValueError(f"{arg} must be an integer type. Got: <dtype: '{t.dtype.name}'>")
        const_a, const_b = _static(a), _static(b)
        if const_a is not None and const_b is not None:
            return convert_to_tensor(math.gcd(const_a, const_b))
        return while_loop(
            lambda _, b: greater(b, zeros_like(b)),
            lambda a, b: [b, mod(a, b)],
            [a, b],
            back_prop=False,
        )[0]


def _infer_frame_shape(signal, frame_length, frame_step, pad_end: bool, axis):
    frame_length, frame_step, axis = _static(frame_length), _static(frame_step), _static(axis)
    if signal.shape.ndims is None:
        return None
    if axis is None:
        return [None] * (signal.shape.ndims + 1)
    dims = signal.shape.as_list()
    num_frames = None
    frame_axis = dims[axis]
    outer, inner = dims[:axis], dims[axis:][1:]
    if dims and frame_axis is not None:
        if frame_step is not None and pad_end:
            num_frames = max(0, -(-frame_axis // frame_step))
        elif frame_step is not None and frame_length is not None:
            num_frames = max(0, (frame_axis - frame_length + frame_step) // frame_step)
    return outer + [num_frames, frame_length] + inner


def _padded_shape(signal, static_shape, axis, frame_length, frame_step):
    """The static shape of a signal padded to whole frames, when it is known."""
    length, step = _static(frame_length), _static(frame_step)
    if static_shape is None or not isinstance(axis, int) or length is None or step is None:
        return None
    dims = [int(d) for d in static_shape]
    count = -(-dims[axis] // step)
    dims[axis] += max(0, length + step * (count - 1) - dims[axis])
    return dims


@undo.atomic
def frame(signal, frame_length, frame_step, pad_end=False, pad_value=0, axis=-1, name=None):
    """``signal`` cut into frames of ``frame_length`` samples every ``frame_step`` along
    ``axis`` (the frames axis inserted before it); with ``pad_end``, the last frames padded
    with ``pad_value`` rather than dropped.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     print(tf.Session().run(tf.signal.frame([1, 2, 3, 4, 5], 3, 2)).tolist())
    [[1, 2, 3], [3, 4, 5]]
    """
    with name_scope(name, "frame", [signal, frame_length, frame_step, pad_value]):
        signal = convert_to_tensor(signal, name="signal")
        frame_length = convert_to_tensor(frame_length, name="frame_length")
        frame_step = convert_to_tensor(frame_step, name="frame_step")
        axis = convert_to_tensor(axis, name="axis")
        signal.shape.with_rank_at_least(1)
        frame_length.shape.assert_has_rank(0)
        frame_step.shape.assert_has_rank(0)
        axis.shape.assert_has_rank(0)
        result_shape = _infer_frame_shape(signal, frame_length, frame_step, pad_end, axis)
        signal_shape = shape(signal)
        static_shape, static_axis = constant_value(signal_shape), _static(axis)
        if static_shape is not None and static_axis is not None:
            axis = range(len(static_shape))[static_axis]
            outer, length_samples, inner = np.split(static_shape, [axis, axis + 1])
            length_samples = length_samples.item()
            signal_shape = static_shape
        else:
            signal_rank = rank(signal)
            axis = range_(signal_rank)[axis]
            outer, length_samples, inner = split(signal_shape, [axis, 1, signal_rank - 1 - axis])
            length_samples = reshape(length_samples, [])
        num_outer, num_inner = size(outer), size(inner)
        if pad_end:
            pad_value = convert_to_tensor(pad_value, signal.dtype)
            pad_value.shape.assert_has_rank(0)
            num_frames = -(-length_samples // frame_step)
            pad_samples = maximum(0, frame_length + frame_step * (num_frames - 1) - length_samples)
            paddings = concat(
                [
                    zeros([num_outer, 2], dtype=pad_samples.dtype),
                    convert_to_tensor([[0, pad_samples]]),
                    zeros([num_inner, 2], dtype=pad_samples.dtype),
                ],
                0,
            )
            signal = pad(signal, paddings, constant_values=pad_value)
            padded = _padded_shape(signal, static_shape, axis, frame_length, frame_step)
            if padded is not None:  # as TF1's shape inference folds the paddings
                signal.set_shape(padded)
            signal_shape = shape(signal)
            length_samples = signal_shape[axis]
        else:
            num_frames = maximum(
                constant(0, dtype=frame_length.dtype),
                1 + (length_samples - frame_length) // frame_step,
            )
        subframe_length = gcd(frame_length, frame_step)
        known = _static(subframe_length)
        subframe_length = subframe_length if known is None else known
        subframes_per_frame = frame_length // subframe_length
        subframes_per_hop = frame_step // subframe_length
        num_subframes = length_samples // subframe_length
        slice_shape = concat([outer, [num_subframes * subframe_length], inner], 0)
        subframe_shape = concat([outer, [num_subframes, subframe_length], inner], 0)
        subframes = reshape(
            strided_slice(signal, zeros_like(signal_shape), slice_shape), subframe_shape
        )
        frame_selector = reshape(
            range_(num_frames, dtype=frame_length.dtype) * subframes_per_hop, [num_frames, 1]
        )
        subframe_selector = reshape(
            range_(subframes_per_frame, dtype=frame_length.dtype), [1, subframes_per_frame]
        )
        selector = frame_selector + subframe_selector
        outer = convert_to_tensor(outer)
        inner = convert_to_tensor(inner, dtype=outer.dtype)
        middle = convert_to_tensor([num_frames, frame_length], dtype=outer.dtype)
        frames = reshape(gather(subframes, selector, axis=axis), concat([outer, middle, inner], 0))
        if result_shape:
            frames.set_shape(result_shape)
        return frames


@undo.atomic
def overlap_and_add(signal, frame_step, name=None):
    """Frames (``[..., frames, frame_length]``) added together ``frame_step`` samples apart:
    the inverse of :func:`frame` up to the window, ``[..., output_length]``.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     out = tf.signal.overlap_and_add([[1.0, 1.0, 1.0], [2.0, 2.0, 2.0]], 2)
    ...     print(tf.Session().run(out).tolist())
    [1.0, 1.0, 3.0, 2.0, 2.0]
    """
    with name_scope(name, "overlap_and_add", [signal, frame_step]):
        signal = convert_to_tensor(signal, name="signal")
        input_shape = signal.shape.with_rank_at_least(2)
        frame_step = convert_to_tensor(frame_step, name="frame_step")
        frame_step.shape.assert_has_rank(0)
        if not frame_step.dtype.is_integer:
            raise ValueError(
                f"frame_step must be an integer. Got <dtype: '{frame_step.dtype.name}'>"
            )
        static_step = _static(frame_step)
        frame_step = frame_step if static_step is None else static_step
        signal_shape = shape(signal)
        static_shape = constant_value(signal_shape)
        if static_shape is not None:
            signal_shape = static_shape
        outer_dimensions = signal_shape[:-2]
        outer_rank = size(outer_dimensions)
        static_rank = _static(outer_rank)
        if static_rank is not None:
            outer_rank = static_rank

        def full_shape(inner_shape):
            return concat([outer_dimensions, inner_shape], 0)

        frame_length = signal_shape[-1]
        frames = signal_shape[-2]
        output_length = frame_length + frame_step * (frames - 1)
        last = tensor_shape.dimension_value(signal.shape[-1])
        if static_step is not None and signal.shape.ndims is not None and static_step == last:
            return reshape(signal, full_shape([output_length]), name="fast_path")
        segments = -(-frame_length // frame_step)
        paddings = [[0, segments], [0, segments * frame_step - frame_length]]
        outer_paddings = zeros([outer_rank, 2], dtypes.int32)
        signal = pad(signal, concat([outer_paddings, paddings], 0))
        signal = reshape(signal, full_shape([frames + segments, segments, frame_step]))
        perm = concat([range_(outer_rank), outer_rank + np.array([1, 0, 2])], 0)
        if static_rank is not None:  # TF1 folds the permutation to a constant
            perm = np.concatenate([np.arange(static_rank), static_rank + np.array([1, 0, 2])])
            perm = perm.astype(np.int32)
        signal = transpose(signal, perm)
        signal = reshape(signal, full_shape([(frames + segments) * segments, frame_step]))
        signal = signal[..., : (frames + segments - 1) * segments, :]
        signal = reshape(signal, full_shape([segments, (frames + segments - 1), frame_step]))
        signal = reduce_sum(signal, -3)
        signal = reshape(signal, full_shape([(frames + segments - 1) * frame_step]))
        result = signal[..., :output_length]
        # TF's shape inference reads the frames and their length from the input's static
        # shape even when an outer dimension is unknown.
        known = [None] if input_shape.ndims is None else input_shape.as_list()[-2:]
        if static_step is not None and None not in known:
            outer = input_shape[:-2]
            result.set_shape(outer.concatenate([known[1] + static_step * (known[0] - 1)]))
        return result
