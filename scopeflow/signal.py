"""``tf.signal``: FFTs, framing, short-time Fourier transforms, windows, mel scales and
DCTs, as TF1.15 exposes them."""

from __future__ import annotations

from scopeflow.ops.signal.fft import (
    fft,
    fft2d,
    fft3d,
    fftshift,
    ifft,
    ifft2d,
    ifft3d,
    ifftshift,
    irfft,
    irfft2d,
    irfft3d,
    rfft,
    rfft2d,
    rfft3d,
)
from scopeflow.ops.signal.fftnd import fftnd, ifftnd, irfftnd, rfftnd
from scopeflow.ops.signal.mdct import inverse_mdct, mdct
from scopeflow.ops.signal.mel import (
    dct,
    idct,
    linear_to_mel_weight_matrix,
    mfccs_from_log_mel_spectrograms,
)
from scopeflow.ops.signal.shape_ops import frame, overlap_and_add
from scopeflow.ops.signal.spectral import (
    hamming_window,
    hann_window,
    inverse_stft,
    inverse_stft_window_fn,
    stft,
)
from scopeflow.ops.signal.windows import (
    kaiser_bessel_derived_window,
    kaiser_window,
    vorbis_window,
)

__all__ = [
    "dct",
    "fft",
    "fft2d",
    "fft3d",
    "fftnd",
    "fftshift",
    "frame",
    "hamming_window",
    "hann_window",
    "idct",
    "ifft",
    "ifft2d",
    "ifft3d",
    "ifftnd",
    "ifftshift",
    "inverse_mdct",
    "inverse_stft",
    "inverse_stft_window_fn",
    "irfft",
    "irfft2d",
    "irfft3d",
    "irfftnd",
    "kaiser_bessel_derived_window",
    "kaiser_window",
    "linear_to_mel_weight_matrix",
    "mdct",
    "mfccs_from_log_mel_spectrograms",
    "overlap_and_add",
    "rfft",
    "rfft2d",
    "rfft3d",
    "rfftnd",
    "stft",
    "vorbis_window",
]
