"""``tf.audio``: WAV files to and from float32 samples."""

from __future__ import annotations

from scopeflow.ops.signal import audio_features as _audio_features  # noqa: F401 - registers
from scopeflow.ops.signal.wav import decode_wav, encode_wav

__all__ = ["decode_wav", "encode_wav"]
