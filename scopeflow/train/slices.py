"""Tensors saved in slices: how TensorFlow's checkpoints store a partitioned variable.

The index holds one entry under the variable's full name (dtype, full shape and the list of
slices, no data) and, for each slice, an entry with the slice's bytes under a key that TF
builds with its ``OrderedCode`` (``checkpoint::EncodeTensorNameSlice``): the number 0, the
name, the rank, then each dimension's start and length (``-1``: the whole dimension).

>>> slice_key("w", [(4, 3), (0, 4)])
b'\\x00w\\x00\\x01\\x01\\x02\\x84\\x83\\x80\\x84'
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class SlicedValue:
    """A tensor given as slices: its full shape and ``(offset, array)`` per slice."""

    full_shape: tuple[int, ...]
    slices: tuple[tuple[tuple[int, ...], np.ndarray], ...]


def _write_num_increasing(out: bytearray, value: int) -> None:
    """OrderedCode's unsigned numbers: a length byte, then the big-endian bytes."""
    data = value.to_bytes((value.bit_length() + 7) // 8, "big") if value else b""
    out.append(len(data))
    out += data


def _write_signed_num_increasing(out: bytearray, value: int) -> None:
    """OrderedCode's signed numbers: the length in unary in the leading bits, then the
    two's-complement bits, so that byte order is numeric order."""
    x = ~value if value < 0 else value
    if x < 64:
        out.append((0x80 ^ value) & 0xFF)
        return
    length = x.bit_length() // 7 + 1
    data = bytearray(value.to_bytes(10, "big", signed=True)[10 - length :])
    header = {2: (0xC0, 0), 3: (0xE0, 0), 4: (0xF0, 0), 5: (0xF8, 0), 6: (0xFC, 0)}
    header.update({7: (0xFE, 0), 8: (0xFF, 0), 9: (0xFF, 0x80), 10: (0xFF, 0xC0)})
    first, second = header[length]
    data[0] ^= first
    data[1] ^= second
    out += data


def _write_string(out: bytearray, text: bytes) -> None:
    out += text.replace(b"\xff", b"\xff\x00").replace(b"\x00", b"\x00\xff") + b"\x00\x01"


def slice_key(name: str, extents) -> bytes:
    """The index key of the slice ``extents`` (``(start, length)`` per dimension, length
    ``-1`` for a whole dimension) of tensor ``name``."""
    out = bytearray()
    _write_num_increasing(out, 0)
    _write_string(out, name.encode())
    _write_num_increasing(out, len(extents))
    for start, length in extents:
        _write_signed_num_increasing(out, start)
        _write_signed_num_increasing(out, length)
    return bytes(out)


def extents_of(offset, shape) -> list[tuple[int, int]]:
    """``(start, length)`` per dimension of the slice at ``offset`` of size ``shape``."""
    return [(int(o), int(s)) for o, s in zip(offset, shape, strict=True)]


def parse_spec(spec: str) -> tuple[list[int], list[tuple[int, int]]]:
    """The full shape and ``(start, length)`` extents of TF's slice spec
    ``"<full shape> <start>,<length>:..."`` (``-``: a whole dimension, length ``-1``).

    >>> parse_spec("10 4 4,3:-")
    ([10, 4], [(4, 3), (0, -1)])
    """
    try:
        full, pieces = spec.strip().rsplit(" ", 1)
        shape = [int(d) for d in full.split()]
        extents = [
            (0, -1) if p == "-" else tuple(map(int, p.split(","))) for p in pieces.split(":")
        ]
    except ValueError:
        raise ValueError(
            f"Spec string must be '<full shape> <start>,<length>:...', got {spec!r}"
        ) from None
    if len(extents) != len(shape) or any(len(e) != 2 for e in extents):
        raise ValueError(f"Slice spec {spec!r} does not give one extent per dimension")
    return shape, [(int(a), int(b)) for a, b in extents]


def place(full: np.ndarray, extents, value: np.ndarray) -> None:
    """Writes ``value`` into ``full`` at ``extents`` (length ``-1``: the whole dimension)."""
    index = tuple(
        slice(None) if length < 0 else slice(start, start + length) for start, length in extents
    )
    full[index] = value
