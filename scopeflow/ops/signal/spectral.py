"""Windows and short-time Fourier transforms (``tf.signal.hann_window``, ``hamming_window``,
``stft``, ``inverse_stft``, ``inverse_stft_window_fn``), built from TF1's ops the way TF1
builds them: a frame, a window, an RFFT; and back through an IRFFT and an overlap-add."""

from __future__ import annotations

import numpy as np

from scopeflow.framework import dtypes, undo
from scopeflow.framework.constant import constant, convert_to_tensor
from scopeflow.framework.graph_api import name_scope
from scopeflow.ops.array.basic import ones, reshape, shape, zeros
from scopeflow.ops.array.cast import cast
from scopeflow.ops.array.join import concat, tile
from scopeflow.ops.array.pad import pad
from scopeflow.ops.array.shape import rank, zeros_like
from scopeflow.ops.control.cond import cond
from scopeflow.ops.core import build
from scopeflow.ops.core.infer import constant_value
from scopeflow.ops.math.elementwise import ceil, cos, equal, log, maximum, pow, square
from scopeflow.ops.math.reduction import reduce_sum
from scopeflow.ops.math.selection import where
from scopeflow.ops.math.sequence import range as range_
from scopeflow.ops.signal.fft import irfft, rfft
from scopeflow.ops.signal.shape_ops import frame, overlap_and_add


def _raised_cosine_window(name, default_name, window_length, periodic, dtype, a, b):
    dtype = dtypes.as_dtype(dtype)
    if not dtype.is_floating:
        raise ValueError(f"dtype must be a floating point type. Found <dtype: '{dtype.name}'>")
    with name_scope(name, default_name, [window_length, periodic]):
        window_length = convert_to_tensor(window_length, dtype=dtypes.int32, name="window_length")
        window_length.shape.assert_has_rank(0)
        known = constant_value(window_length)
        if known is not None and known == 1:
            return ones([1], dtype=dtype)
        periodic = cast(
            convert_to_tensor(periodic, dtype=dtypes.bool, name="periodic"), dtypes.int32
        )
        periodic.shape.assert_has_rank(0)
        even = 1 - build.binary("FloorMod", window_length, 2, default_name="mod")
        n = cast(window_length + periodic * even - 1, dtype=dtype)
        count = cast(range_(window_length), dtype)
        cos_arg = constant(2 * np.pi, dtype=dtype) * count / n
        if known is not None:
            return cast(a - b * cos(cos_arg), dtype=dtype)
        return cond(
            equal(window_length, 1),
            lambda: ones([window_length], dtype=dtype),
            lambda: cast(a - b * cos(cos_arg), dtype=dtype),
        )


@undo.atomic
def hann_window(window_length, periodic=True, dtype=dtypes.float32, name=None):
    """The Hann window ``0.5 - 0.5 cos(2 pi n / N)`` (``N`` the length, less one unless
    ``periodic``).

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     print(tf.Session().run(tf.signal.hann_window(4)).tolist())
    [0.0, 0.5, 1.0, 0.5]
    """
    return _raised_cosine_window(name, "hann_window", window_length, periodic, dtype, 0.5, 0.5)


@undo.atomic
def hamming_window(window_length, periodic=True, dtype=dtypes.float32, name=None):
    """The Hamming window ``0.54 - 0.46 cos(2 pi n / N)``, as :func:`hann_window`."""
    return _raised_cosine_window(name, "hamming_window", window_length, periodic, dtype, 0.54, 0.46)


def _enclosing_power_of_two(value):
    known = constant_value(value)
    if known is not None:
        return constant(int(2 ** np.ceil(np.log(known) / np.log(2.0))), value.dtype)
    exponent = ceil(log(cast(value, dtypes.float32)) / log(2.0))
    return cast(pow(2.0, exponent), value.dtype)


@undo.atomic
def stft(
    signals,
    frame_length,
    frame_step,
    fft_length=None,
    window_fn=hann_window,
    pad_end=False,
    name=None,
):
    """The short-time Fourier transform of ``signals`` (``[..., samples]``):
    ``[..., frames, fft_length // 2 + 1]`` complex, each frame windowed by
    ``window_fn(frame_length, dtype)`` (``fft_length``: the smallest power of 2 holding a
    frame, by default)."""
    with name_scope(name, "stft", [signals, frame_length, frame_step]):
        signals = convert_to_tensor(signals, name="signals")
        signals.shape.with_rank_at_least(1)
        frame_length = convert_to_tensor(frame_length, name="frame_length")
        frame_length.shape.assert_has_rank(0)
        frame_step = convert_to_tensor(frame_step, name="frame_step")
        frame_step.shape.assert_has_rank(0)
        if fft_length is None:
            fft_length = _enclosing_power_of_two(frame_length)
        else:
            fft_length = convert_to_tensor(fft_length, name="fft_length")
        framed = frame(signals, frame_length, frame_step, pad_end=pad_end)
        if window_fn is not None:
            framed *= window_fn(frame_length, dtype=framed.dtype)
        return rfft(framed, [fft_length])


def inverse_stft_window_fn(frame_step, forward_window_fn=hann_window, name=None):
    """A ``window_fn`` for :func:`inverse_stft` that undoes ``forward_window_fn``'s
    overlapping windows (the forward window over the sum of its squares ``frame_step``
    apart)."""

    def inverse_stft_window_fn_inner(frame_length, dtype):
        with name_scope(name, "inverse_stft_window_fn", [forward_window_fn]):
            step = convert_to_tensor(frame_step, name="frame_step")
            step.shape.assert_has_rank(0)
            frame_length = convert_to_tensor(frame_length, name="frame_length")
            frame_length.shape.assert_has_rank(0)
            forward_window = forward_window_fn(frame_length, dtype=dtype)
            denom = square(forward_window)
            overlaps = -(-frame_length // step)
            denom = pad(denom, [(0, overlaps * step - frame_length)])
            denom = reshape(denom, [overlaps, step])
            denom = reduce_sum(denom, 0, keepdims=True)
            denom = tile(denom, [overlaps, 1])
            denom = reshape(denom, [overlaps * step])
            denom = denom[:frame_length]
            return where(equal(denom, 0.0), zeros_like(forward_window), forward_window / denom)

    return inverse_stft_window_fn_inner


@undo.atomic
def inverse_stft(
    stfts, frame_length, frame_step, fft_length=None, window_fn=hann_window, name=None
):
    """Signals back from their :func:`stft`: each frame's IRFFT, cut or padded to
    ``frame_length``, windowed by ``window_fn`` and overlap-added ``frame_step`` apart (use
    :func:`inverse_stft_window_fn` for a perfect reconstruction)."""
    with name_scope(name, "inverse_stft", [stfts]):
        stfts = convert_to_tensor(stfts, name="stfts")
        stfts.shape.with_rank_at_least(2)
        frame_length = convert_to_tensor(frame_length, name="frame_length")
        frame_length.shape.assert_has_rank(0)
        frame_step = convert_to_tensor(frame_step, name="frame_step")
        frame_step.shape.assert_has_rank(0)
        if fft_length is None:
            fft_length = _enclosing_power_of_two(frame_length)
        else:
            fft_length = convert_to_tensor(fft_length, name="fft_length")
            fft_length.shape.assert_has_rank(0)
        real_frames = irfft(stfts, [fft_length])
        known = constant_value(frame_length)
        dims = None if real_frames.shape.ndims is None else real_frames.shape.as_list()
        if known is None or dims is None or dims[-1] is None:
            real_frames = real_frames[..., :frame_length]
            frames_rank = rank(real_frames)
            frames_shape = shape(real_frames)
            paddings = concat(
                [
                    zeros([frames_rank - 1, 2], dtype=frame_length.dtype),
                    [[0, maximum(0, frame_length - frames_shape[-1])]],
                ],
                0,
            )
            real_frames = pad(real_frames, paddings)
        elif dims[-1] > known:
            real_frames = real_frames[..., : int(known)]
        elif dims[-1] < known:
            pad_amount = int(known) - dims[-1]
            real_frames = pad(real_frames, [[0, 0]] * (len(dims) - 1) + [[0, pad_amount]])
        if known is not None and real_frames.shape.ndims is not None:
            real_frames.set_shape([None] * (real_frames.shape.ndims - 1) + [int(known)])
        if window_fn is not None:
            real_frames *= window_fn(frame_length, dtype=stfts.dtype.real_dtype)
        return overlap_and_add(real_frames, frame_step)
