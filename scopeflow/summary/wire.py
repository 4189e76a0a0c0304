"""The protocol-buffer wire format of ``Summary`` and ``Event``, written and read by hand.

Summary kernels and ``FileWriter.add_summary`` run every step, so they build these few
messages as bytes directly (what TensorFlow's C++ kernels serialize, field by field, in field
order), without the ``tensorboard`` package. Field numbers are those of TensorBoard's
``summary.proto`` and ``event.proto``. Reading checks every length against the bytes present.

>>> value = scalar_value("loss", 1.5)
>>> summary_bytes([value])
b'\\n\\x0b\\n\\x04loss\\x15\\x00\\x00\\xc0?'
>>> [tag for tag, _ in summary_values(summary_bytes([value]))]
[b'loss']
"""

from __future__ import annotations

import struct

import numpy as np

_VARINT, _FIXED64, _LEN, _FIXED32 = 0, 1, 2, 5


class WireError(ValueError):
    """The bytes are not a well-formed message."""


def varint(value: int) -> bytes:
    """An unsigned varint; a negative int64 as its 10-byte two's complement, as protobuf."""
    value &= 0xFFFFFFFFFFFFFFFF
    out = bytearray()
    while value >= 0x80:
        out.append((value & 0x7F) | 0x80)
        value >>= 7
    out.append(value)
    return bytes(out)


def _key(field: int, wire_type: int) -> bytes:
    return varint(field << 3 | wire_type)


def len_field(field: int, payload: bytes) -> bytes:
    """A length-delimited field (bytes, string, message, packed repeated)."""
    return _key(field, _LEN) + varint(len(payload)) + payload


def int_field(field: int, value: int) -> bytes:
    """A proto3 integer field: nothing when 0."""
    return _key(field, _VARINT) + varint(value) if value else b""


def double_field(field: int, value: float) -> bytes:
    """A proto3 double field: nothing when its bits are all zero (+0.0)."""
    raw = struct.pack("<d", value)
    return _key(field, _FIXED64) + raw if raw != bytes(8) else b""


def float_field(field: int, value: float, *, always: bool = False) -> bytes:
    """A float field: nothing when +0.0, unless ``always`` (a member of a oneof)."""
    raw = struct.pack("<f", value)
    return _key(field, _FIXED32) + raw if always or raw != bytes(4) else b""


def _text(value: str | bytes) -> bytes:
    return value.encode() if isinstance(value, str) else bytes(value)


# -- Summary.Value -----------------------------------------------------------------------------

# Summary.Value's fields: tag 1, simple_value 2, image 4, histo 5, audio 6, tensor 8, metadata 9.


def summary_bytes(values) -> bytes:
    """A ``Summary`` holding the serialized ``Summary.Value``s ``values``."""
    return b"".join(len_field(1, v) for v in values)


def scalar_value(tag: str | bytes, value: float) -> bytes:
    return len_field(1, _text(tag)) + float_field(2, value, always=True)


def histogram_value(tag: str | bytes, histo: bytes) -> bytes:
    return len_field(1, _text(tag)) + len_field(5, histo)


def image_value(tag: str, height: int, width: int, colorspace: int, png: bytes) -> bytes:
    image = int_field(1, height) + int_field(2, width) + int_field(3, colorspace)
    return len_field(1, _text(tag)) + len_field(4, image + len_field(4, png))


def audio_value(tag: str, rate: float, channels: int, frames: int, wav: bytes) -> bytes:
    audio = float_field(1, rate) + int_field(2, channels) + int_field(3, frames)
    audio += len_field(4, wav) + len_field(5, b"audio/wav")
    return len_field(1, _text(tag)) + len_field(6, audio)


def tensor_value(tag: bytes, tensor_proto: bytes, metadata: bytes) -> bytes:
    return len_field(1, tag) + len_field(8, tensor_proto) + len_field(9, metadata)


def histogram_proto(stats, limits: np.ndarray, counts: np.ndarray) -> bytes:
    """A ``HistogramProto``: ``stats`` is (min, max, num, sum, sum_squares); the bucket
    limits and counts are written packed, as proto3 repeated doubles."""
    head = b"".join(double_field(i + 1, v) for i, v in enumerate(stats))
    limits_raw = np.ascontiguousarray(limits, "<f8").tobytes()
    counts_raw = np.ascontiguousarray(counts, "<f8").tobytes()
    return head + len_field(6, limits_raw) + len_field(7, counts_raw)


def tensor_proto(type_enum: int, shape, content: bytes = b"", strings=None) -> bytes:
    """A ``TensorProto`` as ``Tensor::AsProtoTensorContent`` (``content``: the raw bytes) or,
    for strings, ``AsProtoField`` (``string_val``) writes it."""
    dims = b"".join(len_field(2, int_field(1, int(n))) for n in shape)
    out = int_field(1, type_enum) + len_field(2, dims)
    if content:
        out += len_field(4, content)
    if strings is not None:
        out += b"".join(len_field(8, s) for s in strings)
    return out


# -- reading -----------------------------------------------------------------------------------


def _read_varint(data, pos: int) -> tuple[int, int]:
    result = shift = 0
    end = len(data)
    while True:
        if pos >= end or shift > 63:
            raise WireError("truncated or overlong varint")
        byte = data[pos]
        pos += 1
        result |= (byte & 0x7F) << shift
        if byte < 0x80:
            return result, pos
        shift += 7


def fields(data):
    """``(field number, wire type, value)`` for each field of the message in ``data``: the
    value is an int for varints, the raw bytes for the other wire types."""
    pos, end = 0, len(data)
    while pos < end:
        key, pos = _read_varint(data, pos)
        field, wire_type = key >> 3, key & 7
        if field == 0:
            raise WireError("field number 0")
        if wire_type == _VARINT:
            value, pos = _read_varint(data, pos)
        elif wire_type in (_FIXED64, _FIXED32):
            size = 8 if wire_type == _FIXED64 else 4
            if pos + size > end:
                raise WireError("truncated fixed-width field")
            value, pos = bytes(data[pos : pos + size]), pos + size
        elif wire_type == _LEN:
            size, pos = _read_varint(data, pos)
            if size > end - pos:
                raise WireError("length past the end of the message")
            value, pos = bytes(data[pos : pos + size]), pos + size
        else:
            raise WireError(f"unsupported wire type {wire_type}")
        yield field, wire_type, value


def summary_values(data) -> list[tuple[bytes, bytes]]:
    """``(tag, serialized Summary.Value)`` for each value of a serialized ``Summary``, checking
    each is a well-formed ``Summary.Value``."""
    values = []
    for field, wire_type, value in fields(data):
        if field != 1:
            continue
        if wire_type != _LEN:
            raise WireError("Summary.value is not length-delimited")
        tag = b""
        for inner, inner_type, inner_value in fields(value):
            if inner == 1:
                if inner_type != _LEN:
                    raise WireError("Summary.Value.tag is not length-delimited")
                tag = inner_value
        values.append((tag, value))
    return values
