"""``tf.audio.decode_wav`` (``DecodeWav``) and ``tf.audio.encode_wav`` (``EncodeWav``): 16-bit
PCM WAV files to and from float32 samples in [-1, 1), ``[samples, channels]``, as TF's
``wav_io`` reads and writes them (a sample is ``int16 / 32768``; encoding rounds half away
from zero and clamps to the int16 range). Neither has a gradient, as in TF."""

from __future__ import annotations

import collections
import struct

import numpy as np

from scopeflow.framework import dtypes, errors, tensor_shape
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.registry import NOT_DIFFERENTIABLE, register_op
from scopeflow.ops.core.infer import apply_op

DecodeWav = collections.namedtuple("DecodeWav", ["audio", "sample_rate"])

_SCALE = 32768.0


def _check_rank(op_type: str, inputs, ranks) -> None:
    for t, rank in zip(inputs, ranks, strict=True):
        if t.shape.ndims not in (None, rank):
            shapes = ", ".join(str(x.shape.as_list()).replace(" ", "") for x in inputs)
            raise ValueError(
                f"Shape must be rank {rank} but is rank {t.shape.ndims} for '{op_type}' with "
                f"input shapes: {shapes}."
            )


def _decode_wav_infer(inputs, attrs):
    _check_rank("DecodeWav", inputs, [0])
    samples, channels = attrs["desired_samples"], attrs["desired_channels"]
    shape = [samples if samples > 0 else None, channels if channels > 0 else None]
    return [
        (dtypes.float32, tensor_shape.TensorShape(shape)),
        (dtypes.int32, tensor_shape.TensorShape([])),
    ]


class _Reader:
    """Reads a WAV file's fields in order; running out is TF's "Data too short" error."""

    def __init__(self, op, data: bytes):
        self.op, self.data, self.at = op, data, 0

    def take(self, n: int) -> bytes:
        if self.at + n > len(self.data):
            raise errors.InvalidArgumentError(
                None, self.op, "Data too short when trying to read string"
            )
        self.at += n
        return self.data[self.at - n : self.at]

    def expect(self, tag: bytes) -> None:
        found = self.take(len(tag))
        if found != tag:
            raise errors.InvalidArgumentError(
                None,
                self.op,
                f"Header mismatch: Expected {tag.decode()} but found "
                f"{found.decode(errors='replace')}",
            )

    def uint(self, n: int) -> int:
        return int.from_bytes(self.take(n), "little")


def _decode_wav_samples(op, data: bytes):
    """(int16 samples ``[frames, channels]``, sample rate) of a WAV file's bytes."""
    r = _Reader(op, data)
    r.expect(b"RIFF")
    r.uint(4)
    r.expect(b"WAVE")
    channels = rate = None
    while True:
        tag, size = r.take(4), r.uint(4)
        if tag == b"fmt ":
            chunk = _Reader(op, r.take(size))
            if chunk.uint(2) != 1:
                raise errors.InvalidArgumentError(
                    None, op, "Bad audio format; only PCM (format 1) is supported"
                )
            channels, rate = chunk.uint(2), chunk.uint(4)
            chunk.take(6)  # byte rate, block align
            bits = chunk.uint(2)
            if bits != 16:
                raise errors.InvalidArgumentError(
                    None, op, f"Can only read 16-bit WAV files, but received {bits}"
                )
            if channels == 0:
                raise errors.InvalidArgumentError(None, op, "Bad number of channels: 0")
        elif tag == b"data":
            if channels is None:
                raise errors.InvalidArgumentError(None, op, "Found data chunk before fmt chunk")
            body = r.take(size)
            samples = np.frombuffer(body[: len(body) // 2 * 2], "<i2")
            return samples[: len(samples) // channels * channels].reshape(-1, channels), rate
        else:
            r.take(size + (size & 1))


def _decode_wav_kernel(ctx, op, contents):
    data = np.asarray(contents).item()
    samples, rate = _decode_wav_samples(op, data if isinstance(data, bytes) else data.encode())
    want_samples, want_channels = op._attrs["desired_samples"], op._attrs["desired_channels"]
    channels = samples.shape[1] if want_channels <= 0 else want_channels
    frames = samples.shape[0] if want_samples <= 0 else want_samples
    picked = samples[:, np.minimum(np.arange(channels), samples.shape[1] - 1)]
    audio = np.zeros((frames, channels), np.float32)
    n = min(frames, picked.shape[0])
    audio[:n] = picked[:n] / np.float32(_SCALE)
    return audio, np.int32(rate)


register_op(
    "DecodeWav",
    _decode_wav_infer,
    kernel=_decode_wav_kernel,
    grad=NOT_DIFFERENTIABLE,
    host_only=True,
)


def _encode_wav_infer(inputs, attrs):
    _check_rank("EncodeWav", inputs, [2, 0])
    return [(dtypes.string, tensor_shape.TensorShape([]))]


def _encode_wav_kernel(ctx, op, audio, sample_rate):
    scaled = np.asarray(audio, np.float32) * np.float32(_SCALE)
    rounded = np.sign(scaled) * np.floor(np.abs(scaled) + np.float32(0.5))  # C's roundf
    pcm = np.clip(rounded, -32768, 32767).astype("<i2")
    frames, channels = pcm.shape
    rate = int(sample_rate)
    body = pcm.tobytes()
    header = b"RIFF" + struct.pack("<I", 36 + len(body)) + b"WAVE"
    fmt = struct.pack("<HHIIHH", 1, channels, rate, rate * channels * 2, channels * 2, 16)
    data = header + b"fmt " + struct.pack("<I", 16) + fmt + b"data"
    return np.asarray(data + struct.pack("<I", len(body)) + body, dtype=object)


register_op(
    "EncodeWav",
    _encode_wav_infer,
    kernel=_encode_wav_kernel,
    grad=NOT_DIFFERENTIABLE,
    host_only=True,
)


def decode_wav(contents, desired_channels=-1, desired_samples=-1, name=None) -> DecodeWav:
    """``(audio, sample_rate)`` of a 16-bit PCM WAV file's bytes: float32 samples
    ``[samples, channels]`` in [-1, 1) and the rate (int32). ``desired_channels`` picks or
    repeats channels (the last one repeated), ``desired_samples`` cuts or pads with zeros.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     wav = tf.audio.encode_wav([[0.5], [-0.25]], 16000)
    ...     tf.Session().run(tf.audio.decode_wav(wav, desired_channels=2))
    DecodeWav(audio=array([[ 0.5 ,  0.5 ],
           [-0.25, -0.25]], dtype=float32), sample_rate=np.int32(16000))
    """
    with name_scope(name, "DecodeWav") as scope:
        contents = convert_to_tensor(contents, dtypes.string, name="contents")
        attrs = {"desired_channels": int(desired_channels), "desired_samples": int(desired_samples)}
        return DecodeWav(*apply_op("DecodeWav", [contents], attrs, name=scope))


def encode_wav(audio, sample_rate, name=None):
    """The bytes of a 16-bit PCM WAV file of float32 ``audio`` ``[samples, channels]``
    (clamped to [-1, 1]) at ``sample_rate`` (int32 scalar)."""
    with name_scope(name, "EncodeWav") as scope:
        audio = convert_to_tensor(audio, dtypes.float32, name="audio")
        rate = convert_to_tensor(sample_rate, dtypes.int32, name="sample_rate")
        return apply_op("EncodeWav", [audio, rate], {}, name=scope)
