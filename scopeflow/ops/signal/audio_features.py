"""TF's speech features, ``tf.raw_ops.AudioSpectrogram`` and ``tf.raw_ops.Mfcc`` (TF 1.x's
``contrib_audio.audio_spectrogram``/``mfcc``, as the speech commands example builds them):

- ``AudioSpectrogram``: float32 samples ``[samples, channels]`` cut into frames of
  ``window_size`` every ``stride`` samples, each multiplied by a periodic Hann window,
  zero-padded to the next power of two and Fourier transformed; the output
  ``[channels, frames, fft_length / 2 + 1]`` holds each bin's magnitude (squared with
  ``magnitude_squared``).
- ``Mfcc``: a squared-magnitude spectrogram ``[channels, frames, bins]`` through TF's mel
  filterbank (``filterbank_channel_count`` triangles evenly spaced in mel, ``1127 *
  ln(1 + f / 700)``, between the frequency limits, each bin's magnitude split between the
  two triangles around it), the log of each channel (floored at 1e-12), and the first
  ``dct_coefficient_count`` coefficients of an orthonormal-scaled DCT-II. An upper limit
  past the last bin gives zeros, as TF's (which logs an error).

Neither has a gradient, as in TF.
"""

from __future__ import annotations

import numpy as np

from scopeflow.framework import dtypes, errors, tensor_shape
from scopeflow.framework.registry import NOT_DIFFERENTIABLE, register_op

_FLOOR = 1e-12  # the smallest filterbank energy whose log is taken


def _check_ranks(inputs, ranks) -> None:
    for t, rank in zip(inputs, ranks, strict=True):
        if t.shape.ndims not in (None, rank):
            raise ValueError(f"Shape must be rank {rank} but is rank {t.shape.ndims}")


def _fft_length(window_size: int) -> int:
    return 1 << max(int(window_size) - 1, 0).bit_length()


def _frames(samples: int, window_size: int, stride: int) -> int:
    return 0 if samples < window_size else 1 + (samples - window_size) // stride


def _spectrogram_infer(inputs, attrs):
    _check_ranks(inputs, [2])
    window, stride = attrs["window_size"], attrs["stride"]
    if window <= 1:
        raise ValueError(f"window size must be > 1, got {window}")
    if stride <= 0:
        raise ValueError(f"stride must be strictly positive, got {stride}")
    samples, channels = inputs[0].shape.as_list() if inputs[0].shape.ndims else (None, None)
    frames = None if samples is None else _frames(samples, window, stride)
    bins = _fft_length(window) // 2 + 1
    return [(dtypes.float32, tensor_shape.TensorShape([channels, frames, bins]))]


def _spectrogram_kernel(ctx, op, samples):
    window, stride = op._attrs["window_size"], op._attrs["stride"]
    count = _frames(samples.shape[0], window, stride)
    starts = np.arange(count)[:, None] * stride + np.arange(window)
    hann = 0.5 - 0.5 * np.cos(2.0 * np.pi * np.arange(window) / window)
    frames = samples.T.astype(np.float64)[:, starts] * hann  # [channels, frames, window]
    power = np.abs(np.fft.rfft(frames, _fft_length(window), axis=-1)) ** 2
    out = power if op._attrs["magnitude_squared"] else np.sqrt(power)
    return out.astype(np.float32)


register_op(
    "AudioSpectrogram", _spectrogram_infer, kernel=_spectrogram_kernel, grad=NOT_DIFFERENTIABLE
)


def _mel(hz):
    return 1127.0 * np.log1p(np.asarray(hz, np.float64) / 700.0)


def _filterbank(bins: int, rate: int, channels: int, lower: float, upper: float):
    """Each bin's (first channel, weight) and the bins used: a bin between the centers of
    channels ``c`` and ``c + 1`` gives ``weight`` of its magnitude to ``c`` and the rest to
    ``c + 1`` (``c`` is -1 below the first center, where only the rest counts)."""
    low, high = _mel(lower), _mel(upper)
    centers = low + (high - low) / (channels + 1) * np.arange(1, channels + 2)
    hz_per_bin = 0.5 * rate / (bins - 1)
    first, last = int(1.5 + lower / hz_per_bin), int(upper / hz_per_bin)
    used = np.arange(first, last + 1)
    mels = _mel(used * hz_per_bin)
    above = np.minimum(np.searchsorted(centers, mels, side="left"), channels)
    below = np.concatenate([[low], centers])[above]  # the center under each bin (or low)
    weight = (centers[above] - mels) / (centers[above] - below)
    return used, above - 1, weight


def _dct_matrix(channels: int, count: int) -> np.ndarray:
    """``count`` rows of the DCT-II of ``channels`` values, scaled by ``sqrt(2 / channels)``."""
    grid = np.outer(np.arange(count), np.arange(channels) + 0.5)
    return np.cos(np.pi / channels * grid) * np.sqrt(2.0 / channels)


def _mfcc_infer(inputs, attrs):
    _check_ranks(inputs, [3, 0])
    spectrogram = inputs[0].shape
    batch = spectrogram[:2] if spectrogram.ndims else tensor_shape.TensorShape([None, None])
    return [(dtypes.float32, batch.concatenate([attrs["dct_coefficient_count"]]))]


def _mfcc_kernel(ctx, op, spectrogram, sample_rate):
    attrs = op._attrs
    channels, count = attrs["filterbank_channel_count"], attrs["dct_coefficient_count"]
    lower, upper = attrs["lower_frequency_limit"], attrs["upper_frequency_limit"]
    bins, rate = spectrogram.shape[-1], int(sample_rate)
    if (
        min(channels, count, rate) < 1
        or bins < 2
        or lower < 0
        or lower >= upper
        or (count > channels)
    ):
        raise errors.InvalidArgumentError(
            None,
            op,
            f"Mfcc initialization failed for channel count {bins}, sample rate {rate} and "
            f"filterbank_channel_count {channels}",
        )
    shape = (*spectrogram.shape[:-1], count)
    if int(upper / (0.5 * rate / (bins - 1))) >= bins:  # TF: past the last bin, all zeros
        return np.zeros(shape, np.float32)
    used, below, weight = _filterbank(bins, rate, channels, lower, upper)
    # bins to channels, with a column before the first channel and one after the last
    split = np.zeros((len(used), channels + 2))
    np.add.at(split, (np.arange(len(used)), below + 1), weight)
    np.add.at(split, (np.arange(len(used)), below + 2), 1.0 - weight)
    energy = np.sqrt(spectrogram[..., used].astype(np.float64)) @ split[:, 1 : channels + 1]
    logs = np.log(np.maximum(energy, _FLOOR))
    return (logs @ _dct_matrix(channels, count).T).astype(np.float32)


register_op("Mfcc", _mfcc_infer, kernel=_mfcc_kernel, grad=NOT_DIFFERENTIABLE)
