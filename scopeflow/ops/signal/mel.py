"""Mel scales and cosine transforms (``tf.signal.linear_to_mel_weight_matrix``,
``mfccs_from_log_mel_spectrograms``, ``dct``, ``idct``), built from TF1's ops the way TF1
builds them: triangular filters from ``linspace`` and ``frame``; DCTs from an RFFT of twice the
length."""

from __future__ import annotations

import math

from scopeflow.framework import dtypes, tensor_shape, undo
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.tensor import Tensor
from scopeflow.ops.array.basic import reshape, shape
from scopeflow.ops.array.cast import cast
from scopeflow.ops.array.join import concat, split
from scopeflow.ops.array.pad import pad
from scopeflow.ops.array.shape import expand_dims
from scopeflow.ops.core.infer import constant_value
from scopeflow.ops.math.complex import complex, real
from scopeflow.ops.math.elementwise import exp, log, maximum, minimum, rsqrt, sqrt
from scopeflow.ops.math.linspace import lin_space
from scopeflow.ops.math.sequence import range as range_
from scopeflow.ops.signal.fft import irfft, rfft
from scopeflow.ops.signal.shape_ops import frame

_MEL_BREAK_FREQUENCY_HERTZ = 700.0
_MEL_HIGH_FREQUENCY_Q = 1127.0


def _hertz_to_mel(frequencies_hertz, name=None):
    with name_scope(name, "hertz_to_mel", [frequencies_hertz]):
        frequencies_hertz = convert_to_tensor(frequencies_hertz)
        return _MEL_HIGH_FREQUENCY_Q * log(1.0 + (frequencies_hertz / _MEL_BREAK_FREQUENCY_HERTZ))


def _validate_mel(num_mel_bins, sample_rate, lower_edge_hertz, upper_edge_hertz, dtype):
    if num_mel_bins <= 0:
        raise ValueError(f"num_mel_bins must be positive. Got: {num_mel_bins}")
    if lower_edge_hertz < 0.0:
        raise ValueError(f"lower_edge_hertz must be non-negative. Got: {lower_edge_hertz}")
    if lower_edge_hertz >= upper_edge_hertz:
        raise ValueError(
            f"lower_edge_hertz {lower_edge_hertz:.1f} >= upper_edge_hertz {upper_edge_hertz:.1f}"
        )
    if not isinstance(sample_rate, Tensor):
        if sample_rate <= 0.0:
            raise ValueError(f"sample_rate must be positive. Got: {sample_rate}")
        if upper_edge_hertz > sample_rate / 2:
            raise ValueError(
                "upper_edge_hertz must not be larger than the Nyquist frequency (sample_rate / "
                f"2). Got {upper_edge_hertz} for sample_rate: {sample_rate}"
            )
    if not dtype.is_floating:
        raise ValueError(f"dtype must be a floating point type. Got: <dtype: '{dtype.name}'>")


@undo.atomic
def linear_to_mel_weight_matrix(
    num_mel_bins=20,
    num_spectrogram_bins=129,
    sample_rate=8000,
    lower_edge_hertz=125.0,
    upper_edge_hertz=3800.0,
    dtype=dtypes.float32,
    name=None,
):
    """A ``[num_spectrogram_bins, num_mel_bins]`` matrix of triangular filters, equally
    spaced on the mel scale from ``lower_edge_hertz`` to ``upper_edge_hertz``: a linear
    spectrogram times it is a mel spectrogram (the zero frequency gets no weight)."""
    dtype = dtypes.as_dtype(dtype)
    with name_scope(name, "linear_to_mel_weight_matrix") as scope:
        if isinstance(sample_rate, Tensor):
            known = constant_value(sample_rate)
            sample_rate = sample_rate if known is None else known.item()
        _validate_mel(num_mel_bins, sample_rate, lower_edge_hertz, upper_edge_hertz, dtype)
        sample_rate = cast(sample_rate, dtype, name="sample_rate")
        lower_edge_hertz = convert_to_tensor(lower_edge_hertz, dtype, name="lower_edge_hertz")
        upper_edge_hertz = convert_to_tensor(upper_edge_hertz, dtype, name="upper_edge_hertz")
        zero = convert_to_tensor(0.0, dtype)
        bands_to_zero = 1
        nyquist_hertz = sample_rate / 2.0
        linear_frequencies = lin_space(zero, nyquist_hertz, num_spectrogram_bins)[bands_to_zero:]
        spectrogram_bins_mel = expand_dims(_hertz_to_mel(linear_frequencies), 1)
        edges = lin_space(
            _hertz_to_mel(lower_edge_hertz), _hertz_to_mel(upper_edge_hertz), num_mel_bins + 2
        )
        band_edges_mel = frame(edges, frame_length=3, frame_step=1)
        lower_edge_mel, center_mel, upper_edge_mel = (
            reshape(t, [1, num_mel_bins]) for t in split(band_edges_mel, 3, axis=1)
        )
        lower_slopes = (spectrogram_bins_mel - lower_edge_mel) / (center_mel - lower_edge_mel)
        upper_slopes = (upper_edge_mel - spectrogram_bins_mel) / (upper_edge_mel - center_mel)
        weights = maximum(zero, minimum(lower_slopes, upper_slopes))
        return pad(weights, [[bands_to_zero, 0], [0, 0]], name=scope)


def _validate_dct(input, dct_type, n, axis, norm):  # noqa: A002 - TF1's argument name
    if axis != -1:
        raise NotImplementedError(f"axis must be -1. Got: {axis}")
    if n is not None and n < 1:
        raise ValueError("n should be a positive integer or None")
    if dct_type not in (1, 2, 3, 4):
        raise ValueError("Types I, II, III and IV (I)DCT are supported.")
    if dct_type == 1:
        if norm == "ortho":
            raise ValueError("Normalization is not supported for the Type-I DCT.")
        last = tensor_shape.dimension_value(input.shape[-1])
        if last is not None and last < 2:
            raise ValueError("Type-I DCT requires the dimension to be greater than one.")
    if norm not in (None, "ortho"):
        raise ValueError(f"Unknown normalization. Expected None or 'ortho', got: {norm}")


def _dct_internal(input, dct_type=2, n=None, norm=None, name=None):  # noqa: A002, C901
    with name_scope(name, "dct", [input]):
        input = convert_to_tensor(input)  # noqa: A001
        zero = convert_to_tensor(0.0, dtype=input.dtype)
        seq_len = tensor_shape.dimension_value(input.shape[-1]) or shape(input)[-1]
        if n is not None:
            if isinstance(seq_len, int) and n <= seq_len:
                input = input[..., 0:n]  # noqa: A001
            elif isinstance(seq_len, int):
                padding = [[0, 0] for _ in range(input.shape.ndims)]
                padding[-1][1] = n - seq_len
                padding = convert_to_tensor(padding, dtype=dtypes.int32)
                input = pad(input, paddings=padding)  # noqa: A001
            else:
                raise NotImplementedError(
                    "dct with n needs the last dimension known while building; slice or pad "
                    "the input to n first"
                )
        axis_dim = tensor_shape.dimension_value(input.shape[-1]) or shape(input)[-1]
        axis_dim_float = cast(axis_dim, input.dtype)
        if dct_type == 1:
            dct1_input = concat([input, input[..., -2:0:-1]], axis=-1)
            return real(rfft(dct1_input))
        if dct_type == 2:
            scale = 2.0 * exp(
                complex(zero, -range_(axis_dim_float) * math.pi * 0.5 / axis_dim_float)
            )
            dct2 = real(rfft(input, fft_length=[2 * axis_dim])[..., :axis_dim] * scale)
            if norm == "ortho":
                n1 = 0.5 * rsqrt(axis_dim_float)
                n2 = n1 * math.sqrt(2.0)
                weights = pad(expand_dims(n1, 0), [[0, axis_dim - 1]], constant_values=n2)
                dct2 *= weights
            return dct2
        if dct_type == 3:
            if norm == "ortho":
                n1 = sqrt(axis_dim_float)
                n2 = n1 * math.sqrt(0.5)
                weights = pad(expand_dims(n1, 0), [[0, axis_dim - 1]], constant_values=n2)
                input *= weights  # noqa: A001
            else:
                input *= axis_dim_float  # noqa: A001
            scale = 2.0 * exp(
                complex(zero, range_(axis_dim_float) * math.pi * 0.5 / axis_dim_float)
            )
            spectrum = scale * complex(input, zero)
            return real(irfft(spectrum, fft_length=[2 * axis_dim]))[..., :axis_dim]
        dct2 = _dct_internal(input, dct_type=2, n=2 * axis_dim, norm=None)
        dct4 = dct2[..., 1::2]
        if norm == "ortho":
            dct4 *= math.sqrt(0.5) * rsqrt(axis_dim_float)
        return dct4


@undo.atomic
def dct(input, type=2, n=None, axis=-1, norm=None, name=None):  # noqa: A002
    """The DCT of ``type`` 1-4 over the last axis (``norm='ortho'``: orthonormal; ``n``:
    the input cut or zero-padded to that length first), as ``scipy.fft.dct``.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     x = tf.signal.dct(tf.constant([1.0, 2.0, 3.0, 4.0], tf.float64))
    ...     print(tf.Session().run(x).round(3).tolist())
    [20.0, -6.309, -0.0, -0.448]
    """
    input = convert_to_tensor(input)  # noqa: A001
    _validate_dct(input, type, n, axis, norm)
    return _dct_internal(input, type, n, norm, name)


@undo.atomic
def idct(input, type=2, n=None, axis=-1, norm=None, name=None):  # noqa: A002
    """The inverse of :func:`dct` of ``type`` (a DCT of type 3 for 2, 2 for 3; types 1 and 4
    are their own inverses up to a scale)."""
    input = convert_to_tensor(input)  # noqa: A001
    _validate_dct(input, type, n, axis, norm)
    return _dct_internal(input, {1: 1, 2: 3, 3: 2, 4: 4}[type], n, norm, name)


@undo.atomic
def mfccs_from_log_mel_spectrograms(log_mel_spectrograms, name=None):
    """Mel-frequency cepstral coefficients: an orthonormal-scaled DCT-II over the mel bins
    of log-magnitude mel spectrograms (``[..., num_mel_bins]``)."""
    with name_scope(name, "mfccs_from_log_mel_spectrograms", [log_mel_spectrograms]):
        log_mel_spectrograms = convert_to_tensor(log_mel_spectrograms)
        dims = log_mel_spectrograms.shape
        if dims.ndims and tensor_shape.dimension_value(dims[-1]) is not None:
            num_mel_bins = tensor_shape.dimension_value(dims[-1])
            if num_mel_bins == 0:
                raise ValueError(f"num_mel_bins must be positive. Got: {log_mel_spectrograms}")
        else:
            num_mel_bins = shape(log_mel_spectrograms)[-1]
        dct2 = _dct_internal(log_mel_spectrograms, dct_type=2)
        return dct2 * rsqrt(cast(num_mel_bins, dct2.dtype) * 2.0)
