"""``tf.audio.decode_wav``/``encode_wav``: bytes, samples, channel and sample counts and
errors as TF 2.21 gives them (the expected WAV bytes and values were printed by TF)."""

from __future__ import annotations

import io
import wave

import numpy as np
import pytest

import scopeflow as tf
from scopeflow.framework.registry import NOT_DIFFERENTIABLE, get_op_def
from tests.ops.kernel_table import Case, Raises, cases_by_mode, check_case

AUDIO = np.float32([[0.0, 0.5], [-0.5, 1.0], [1.2, -1.5], [0.25, -0.25], [1 / 32767, 0.7]])
# tf.audio.encode_wav(AUDIO, 16000) in TF 2.21
TF_WAV = (
    b"RIFF8\x00\x00\x00WAVEfmt \x10\x00\x00\x00\x01\x00\x02\x00\x80>\x00\x00\x00\xfa\x00\x00"
    b"\x04\x00\x10\x00data\x14\x00\x00\x00\x00\x00\x00@\x00\xc0\xff\x7f\xff\x7f\x00\x80\x00 "
    b"\x00\xe0\x01\x00\x9aY"
)
DECODED = np.float32(
    [
        [0.0, 0.5],
        [-0.5, 32767 / 32768],
        [32767 / 32768, -1.0],
        [0.25, -0.25],
        [1 / 32768, 0.70001220703125],
    ]
)


def _wav_of_width(width: int) -> bytes:
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(width)
        w.setframerate(8000)
        w.writeframes(bytes(width * 2))
    return out.getvalue()


def _s(data: bytes) -> np.ndarray:
    return np.array(data, dtype=object)


def _decode(**kwargs):
    return lambda contents: list(tf.audio.decode_wav(contents, **kwargs))


CASES = [
    Case("encode", "EncodeWav", tf.audio.encode_wav, (AUDIO, np.int32(16000)), _s(TF_WAV)),
    Case(
        "decode",
        "DecodeWav",
        _decode(),
        (_s(TF_WAV),),
        [DECODED, np.int32(16000)],
        exact_static=False,
    ),
    Case(
        "one-channel-3-samples",
        "DecodeWav",
        _decode(desired_channels=1, desired_samples=3),
        (_s(TF_WAV),),
        [DECODED[:3, :1], np.int32(16000)],
    ),
    Case(
        "three-channels-padded",
        "DecodeWav",
        _decode(desired_channels=3, desired_samples=6),
        (_s(TF_WAV),),
        [np.concatenate([DECODED[:, [0, 1, 1]], np.zeros((1, 3), np.float32)]), np.int32(16000)],
    ),
    Case(
        "not-a-wav",
        "DecodeWav",
        _decode(),
        (_s(b"hello world, not a wav file"),),
        Raises(tf.errors.InvalidArgumentError, "Header mismatch: Expected RIFF but found hell"),
    ),
    Case(
        "too-short",
        "DecodeWav",
        _decode(),
        (_s(b"RIFF"),),
        Raises(tf.errors.InvalidArgumentError, "Data too short when trying to read string"),
    ),
    Case(
        "8-bit",
        "DecodeWav",
        _decode(),
        (_s(_wav_of_width(1)),),
        Raises(tf.errors.InvalidArgumentError, "Can only read 16-bit WAV files, but received 8"),
    ),
]


@pytest.mark.parametrize(("case", "mode"), cases_by_mode(CASES))
def test_kernel_table(run, case, mode):
    check_case(run, case, mode)


def test_names_shapes_and_rank_errors_as_in_tf(graph):
    wav = tf.audio.encode_wav(AUDIO, 16000)
    assert [t.name for t in wav.op.inputs] == ["EncodeWav/audio:0", "EncodeWav/sample_rate:0"]
    decoded = tf.audio.decode_wav(wav)
    assert decoded.audio.name == "DecodeWav:0" and decoded.sample_rate.name == "DecodeWav:1"
    assert decoded.audio.shape.as_list() == [None, None]
    assert tf.audio.decode_wav(wav, desired_channels=2).audio.shape.as_list() == [None, 2]
    with pytest.raises(ValueError, match="Shape must be rank 2 but is rank 1"):
        tf.audio.encode_wav(AUDIO[:, 0], 1)
    with pytest.raises(ValueError, match="Shape must be rank 0 but is rank 1"):
        tf.audio.decode_wav([b"a"])
    assert get_op_def("DecodeWav").grad is NOT_DIFFERENTIABLE  # TF registers none
