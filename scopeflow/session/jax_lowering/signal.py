"""JAX lowerings of the complex-part and signal ops: ``Complex``/``Real``/``Imag``/``Angle``,
the FFTs (``fft_length`` must be known while tracing, as XLA's FFT takes static lengths),
``Roll``, ``LinSpace``, ``LowerBound``/``UpperBound``, ``HistogramFixedWidth`` (its NaN check
is the NumPy kernel's only: XLA cannot fail), ``Bitcast`` and ``AudioSpectrogram``."""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np

from scopeflow.session.jax_lowering.common import out_dtype, static

_AXES = {"": (-1,), "2D": (-2, -1), "3D": (-3, -2, -1)}


def _complex(ctx, op, re, im):
    return jax.lax.complex(*jnp.broadcast_arrays(re, im)).astype(out_dtype(op))


def _fft(fn, axes):
    return lambda ctx, op, x: fn(x, axes=axes).astype(x.dtype)


def _rfft(fn, axes):
    def lower(ctx, op, x, fft_length):
        lengths = tuple(int(n) for n in static(fft_length).reshape(-1))
        return fn(x, s=lengths, axes=axes).astype(out_dtype(op))

    return lower


def _roll(ctx, op, x, shift, axis):
    shifts = tuple(int(s) for s in static(shift).reshape(-1))
    return jnp.roll(x, shifts, tuple(int(a) for a in static(axis).reshape(-1)))


def _bound(side: str):
    def lower(ctx, op, sorted_inputs, values):
        rows = jax.vmap(lambda s, v: jnp.searchsorted(s, v, side=side))(sorted_inputs, values)
        return rows.astype(out_dtype(op))

    return lower


def _histogram(ctx, op, values, value_range, nbins):
    nbins = int(static(nbins))
    low, high = value_range[0], value_range[1]
    scaled = (jnp.ravel(values).astype(jnp.float64) - low) / (high - low) * nbins
    index = jnp.clip(jnp.floor(scaled), 0, nbins - 1).astype(jnp.int32)
    return jnp.bincount(index, length=nbins).astype(out_dtype(op))


def _audio_spectrogram(ctx, op, samples):
    """Hann-windowed frames of each channel, their FFT magnitudes (as the NumPy kernel)."""
    window, stride = op._attrs["window_size"], op._attrs["stride"]
    count = 0 if samples.shape[0] < window else 1 + (samples.shape[0] - window) // stride
    starts = np.arange(count)[:, None] * stride + np.arange(window)
    hann = 0.5 - 0.5 * np.cos(2.0 * np.pi * np.arange(window) / window)
    frames = samples.T[:, starts] * hann.astype(np.float32)
    length = 1 << max(window - 1, 0).bit_length()
    power = jnp.abs(jnp.fft.rfft(frames, length, axis=-1)) ** 2
    out = power if op._attrs["magnitude_squared"] else jnp.sqrt(power)
    return out.astype(jnp.float32)


LOWERINGS: dict = {
    "AudioSpectrogram": _audio_spectrogram,
    "Complex": _complex,
    "Real": lambda ctx, op, x: jnp.real(x),
    "Imag": lambda ctx, op, x: jnp.imag(x),
    "Angle": lambda ctx, op, x: jnp.angle(x),
    "Roll": _roll,
    "LinSpace": lambda ctx, op, a, b, n: jnp.linspace(a, b, int(static(n)), dtype=a.dtype),
    "LowerBound": _bound("left"),
    "UpperBound": _bound("right"),
    "HistogramFixedWidth": _histogram,
    # as TF's: a narrower dtype adds a last axis, a wider one takes it
    "Bitcast": lambda ctx, op, x: jax.lax.bitcast_convert_type(x, out_dtype(op)),
}
for _suffix, _axes in _AXES.items():
    LOWERINGS["FFT" + _suffix] = _fft(jnp.fft.fftn, _axes)
    LOWERINGS["IFFT" + _suffix] = _fft(jnp.fft.ifftn, _axes)
    LOWERINGS["RFFT" + _suffix] = _rfft(jnp.fft.rfftn, _axes)
    LOWERINGS["IRFFT" + _suffix] = _rfft(jnp.fft.irfftn, _axes)
