"""``tf.audio``: WAV files to and from float32 samples."""

from __future__ import annotations

from scopeflow.ops.signal.wav import decode_wav, encode_wav

__all__ = ["decode_wav", "encode_wav"]
