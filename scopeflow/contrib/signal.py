"""``tf.contrib.signal``: TF1's contrib home of framing, windows, STFTs and mel scales, the
same functions as ``tf.signal``."""

from __future__ import annotations

from scopeflow.ops.signal.mel import linear_to_mel_weight_matrix, mfccs_from_log_mel_spectrograms
from scopeflow.ops.signal.shape_ops import frame, overlap_and_add
from scopeflow.ops.signal.spectral import (
    hamming_window,
    hann_window,
    inverse_stft,
    inverse_stft_window_fn,
    stft,
)

__all__ = [
    "frame",
    "hamming_window",
    "hann_window",
    "inverse_stft",
    "inverse_stft_window_fn",
    "linear_to_mel_weight_matrix",
    "mfccs_from_log_mel_spectrograms",
    "overlap_and_add",
    "stft",
]
