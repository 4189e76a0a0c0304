"""Reading serialized ``tf.train.Example`` and ``SequenceExample`` messages, by hand.

The parsing kernels run once per record, so they read the protocol-buffer wire format
directly (TensorFlow's ``example.proto`` and ``feature.proto`` field numbers) into
``{key: Feature}``, without the ``protobuf`` library. A :class:`Feature` holds its kind
(``"bytes"``, ``"float"``, ``"int64"``, or ``None`` when no list is set) and its values
(``bytes`` objects, a float32 array, an int64 array). Unknown fields are skipped, as protobuf
does; every length is checked against the bytes present.

>>> data = bytes.fromhex("0a0e0a0c0a016e12071a050a0301ac02")  # features {n: int64 [1, 300]}
>>> features = example_features(data)
>>> features[b"n"].kind, features[b"n"].values.tolist()
('int64', [1, 300])
"""

from __future__ import annotations

import numpy as np

_VARINT, _FIXED64, _LEN, _FIXED32 = 0, 1, 2, 5
_KINDS = {1: "bytes", 2: "float", 3: "int64"}


class WireError(ValueError):
    """The bytes are not a well-formed message."""


class Feature:
    """One feature of an Example: its ``kind`` and ``values``."""

    __slots__ = ("kind", "values")

    def __init__(self, kind: str | None, values):
        self.kind = kind
        self.values = values

    def __len__(self) -> int:
        return len(self.values)


def _varint(data: bytes, pos: int, end: int) -> tuple[int, int]:
    if pos < end and data[pos] < 0x80:  # one byte: most keys and lengths
        return data[pos], pos + 1
    result = shift = 0
    while True:
        if pos >= end or shift > 63:
            raise WireError("truncated varint")
        byte = data[pos]
        pos += 1
        result |= (byte & 0x7F) << shift
        if byte < 0x80:
            return result, pos
        shift += 7


def fields(data: bytes, pos: int, end: int):
    """``(field number, wire type, value)`` of each field in ``data[pos:end]``: an int for
    varints, ``(start, stop)`` for length-delimited fields, the raw bytes for fixed ones."""
    while pos < end:
        number, wire_type, value, pos = _field(data, pos, end)
        yield number, wire_type, value


def int64(value: int) -> int:
    """A varint's value read as a signed int64."""
    return value - (1 << 64) if value >= 1 << 63 else value


def packed_varints(data: bytes) -> list[int]:
    """The varints of a packed repeated field's payload, as unsigned ints."""
    out, pos = [], 0
    while pos < len(data):
        value, pos = _varint(data, pos, len(data))
        out.append(value)
    return out


def _varint_bytes(value: int) -> bytes:
    value &= 0xFFFFFFFFFFFFFFFF  # a negative int64 as its 10-byte two's complement
    out = bytearray()
    while value >= 0x80:
        out.append((value & 0x7F) | 0x80)
        value >>= 7
    out.append(value)
    return bytes(out)


def varint_field(field: int, value: int) -> bytes:
    """A proto3 integer field: nothing when 0."""
    return _varint_bytes(field << 3 | _VARINT) + _varint_bytes(value) if value else b""


def len_field(field: int, payload: bytes) -> bytes:
    """A length-delimited field (bytes, string, message, packed repeated)."""
    return _varint_bytes(field << 3 | _LEN) + _varint_bytes(len(payload)) + payload


def _packed_int64(data: bytes, start: int, stop: int) -> np.ndarray:
    """The varints of ``data[start:stop]`` as int64, decoded by NumPy when there are many."""
    if stop - start < 256:  # NumPy costs more than it saves on a few values
        values = []
        while start < stop:
            item, start = _varint(data, start, stop)
            values.append(int64(item))
        return np.array(values, dtype=np.int64)
    raw = np.frombuffer(data, np.uint8, stop - start, start)
    ends = np.flatnonzero(raw < 0x80)
    if ends.size == 0 or ends[-1] != raw.size - 1:
        raise WireError("truncated varint")
    starts = np.concatenate([[0], ends[:-1] + 1])
    lengths = ends - starts + 1
    if lengths.max() > 10:
        raise WireError("a varint longer than 10 bytes")
    shifts = (np.arange(raw.size) - np.repeat(starts, lengths)).astype(np.uint64) * np.uint64(7)
    bits = (raw & 0x7F).astype(np.uint64) << shifts
    return np.add.reduceat(bits, starts).view(np.int64)


def _field(data: bytes, pos: int, end: int) -> tuple:
    """``(field number, wire type, value, next position)`` of the field at ``pos``, the value
    as :func:`fields` gives it."""
    key, pos = _varint(data, pos, end)
    number, wire_type = key >> 3, key & 7
    if number == 0:
        raise WireError("field number 0")
    if wire_type == _LEN:
        length, pos = _varint(data, pos, end)
        if length > end - pos:
            raise WireError("truncated length-delimited field")
        return number, wire_type, (pos, pos + length), pos + length
    if wire_type == _VARINT:
        value, pos = _varint(data, pos, end)
        return number, wire_type, value, pos
    if wire_type in (_FIXED64, _FIXED32):
        size = 8 if wire_type == _FIXED64 else 4
        if size > end - pos:
            raise WireError("truncated fixed-size field")
        return number, wire_type, data[pos : pos + size], pos + size
    raise WireError(f"wire type {wire_type} is not allowed here")


def _list_values(kind: str, data: bytes, pos: int, end: int, into: list) -> None:
    while pos < end:
        number, wire_type, value, pos = _field(data, pos, end)
        if number != 1:
            continue
        if kind == "bytes":
            if wire_type != _LEN:
                raise WireError("a bytes value is not length-delimited")
            into.append(data[value[0] : value[1]])
        elif kind == "float":
            if wire_type == _LEN:
                if (value[1] - value[0]) % 4:
                    raise WireError("packed floats are not a multiple of 4 bytes")
                into.append(data[value[0] : value[1]])
            elif wire_type == _FIXED32:
                into.append(value)
            else:
                raise WireError("a float value has the wrong wire type")
        elif wire_type == _LEN:
            into.append(_packed_int64(data, *value))
        elif wire_type == _VARINT:
            into.append(np.array([int64(value)], dtype=np.int64))
        else:
            raise WireError("an int64 value has the wrong wire type")


def _feature(data: bytes, pos: int, end: int) -> Feature:
    kind, parts = None, []
    while pos < end:
        number, wire_type, value, pos = _field(data, pos, end)
        if number not in _KINDS:
            continue
        if wire_type != _LEN:
            raise WireError("a feature's list is not length-delimited")
        if _KINDS[number] != kind:  # the oneof: a later list replaces an earlier one
            kind, parts = _KINDS[number], []
        _list_values(kind, data, value[0], value[1], parts)
    if kind == "float":
        return Feature(kind, np.frombuffer(b"".join(parts), dtype="<f4").astype(np.float32))
    if kind == "int64":
        return Feature(kind, parts[0] if len(parts) == 1 else np.concatenate(parts or [[]]))
    return Feature(kind, parts)


def _map_entry(data: bytes, pos: int, end: int, read_value):
    key, value = b"", None
    while pos < end:
        number, wire_type, field, pos = _field(data, pos, end)
        if number in (1, 2) and wire_type != _LEN:
            raise WireError("a map entry's key or value is not length-delimited")
        if number == 1:
            key = data[field[0] : field[1]]
        elif number == 2:
            value = read_value(data, field[0], field[1])
    return key, (read_value(data, 0, 0) if value is None else value)


def _features(data: bytes, pos: int, end: int, into: dict) -> None:
    while pos < end:
        number, wire_type, value, pos = _field(data, pos, end)
        if number == 1:
            if wire_type != _LEN:
                raise WireError("a map entry is not length-delimited")
            key, feature = _map_entry(data, value[0], value[1], _feature)
            into[key] = feature


def _submessages(data: bytes, field: int):
    """The ``(start, stop)`` of each occurrence of message field ``field`` at the top level."""
    for number, wire_type, value in fields(data, 0, len(data)):
        if number == field:
            if wire_type != _LEN:
                raise WireError("a message field is not length-delimited")
            yield value


def example_features(data: bytes) -> dict[bytes, Feature]:
    """``{key: Feature}`` of a serialized ``Example`` (raises :class:`WireError`)."""
    features: dict[bytes, Feature] = {}
    for start, stop in _submessages(data, 1):
        _features(data, start, stop, features)
    return features


def _feature_list(data: bytes, pos: int, end: int) -> list[Feature]:
    out = []
    for number, wire_type, value in fields(data, pos, end):
        if number == 1:
            if wire_type != _LEN:
                raise WireError("a feature list's feature is not length-delimited")
            out.append(_feature(data, value[0], value[1]))
    return out


def sequence_example_features(data: bytes) -> tuple[dict, dict]:
    """``({key: Feature}, {key: [Feature, ...]})``: the context and the feature lists of a
    serialized ``SequenceExample`` (raises :class:`WireError`)."""
    context: dict[bytes, Feature] = {}
    for start, stop in _submessages(data, 1):
        _features(data, start, stop, context)
    lists: dict[bytes, list[Feature]] = {}
    for start, stop in _submessages(data, 2):
        for number, wire_type, value in fields(data, start, stop):
            if number == 1:
                if wire_type != _LEN:
                    raise WireError("a map entry is not length-delimited")
                key, features = _map_entry(data, value[0], value[1], _feature_list)
                lists[key] = features
    return context, lists


__all__ = [
    "Feature",
    "WireError",
    "example_features",
    "fields",
    "int64",
    "len_field",
    "packed_varints",
    "sequence_example_features",
    "varint_field",
]
