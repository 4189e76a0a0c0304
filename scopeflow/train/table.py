"""The sorted string table (SSTable) that holds a checkpoint's ``.index``: LevelDB's table
format as TensorFlow's ``tensorflow/core/lib/io/table`` writes it, uncompressed, no filter.

A table is a run of blocks, each followed by a 5-byte trailer (a compression byte, 0, and the
masked CRC-32C of the block and that byte), then a 48-byte footer pointing at the index block.
A block holds key/value entries, each key stored as the length it shares with the previous key
plus the rest; every ``restart_interval``-th entry stores its whole key, and the offsets of
those "restart points" end the block. The index block has one entry per data block: a key
between that block's last key and the next block's first, and the block's offset and size.

No maintained Python package writes this format byte-for-byte as TensorFlow does (LevelDB
bindings write their own files, with Snappy and filters), so it is written here; it is small.
Reading checks every length and offset against the bytes actually present and every checksum,
and raises :class:`TableError` - never an exception from deeper down, and never an allocation
larger than the file.

>>> data = write_table([(b"", b"header"), (b"a", b"1"), (b"ab", b"2")])
>>> read_table(data)
[(b'', b'header'), (b'a', b'1'), (b'ab', b'2')]
"""

from __future__ import annotations

import struct

from scopeflow.ops.kernels.crc import crc32c, mask_crc

_MAGIC = 0xDB4775248B80FB57
_FOOTER_SIZE = 48  # two block handles padded to 40 bytes, then the 8-byte magic number
_TRAILER_SIZE = 5
_BLOCK_SIZE = 256 * 1024  # TensorFlow's table::Options defaults
_RESTART_INTERVAL = 16


class TableError(ValueError):
    """The bytes are not a well-formed table; the message says what is wrong."""


# -- varints ----------------------------------------------------------------------------------


def put_varint(out: bytearray, value: int) -> None:
    while value >= 0x80:
        out.append((value & 0x7F) | 0x80)
        value >>= 7
    out.append(value)


def get_varint(data, pos: int, end: int, max_bytes: int = 10) -> tuple[int, int]:
    """The varint at ``data[pos:]`` (no byte at or past ``end``) and the position after it."""
    value = shift = 0
    for i in range(pos, min(end, pos + max_bytes)):
        byte = data[i]
        value |= (byte & 0x7F) << shift
        if byte < 0x80:
            return value, i + 1
        shift += 7
    raise TableError(f"truncated or overlong varint at byte {pos}")


# -- writing ----------------------------------------------------------------------------------


class _BlockBuilder:
    def __init__(self, restart_interval: int):
        self.interval = restart_interval
        self.reset()

    def reset(self) -> None:
        self.buffer = bytearray()
        self.restarts = [0]
        self.counter = 0
        self.last_key = b""
        self.empty = True

    def add(self, key: bytes, value: bytes) -> None:
        shared = 0
        if self.counter < self.interval:
            limit = min(len(key), len(self.last_key))
            while shared < limit and key[shared] == self.last_key[shared]:
                shared += 1
        else:
            self.restarts.append(len(self.buffer))
            self.counter = 0
        for n in (shared, len(key) - shared, len(value)):
            put_varint(self.buffer, n)
        self.buffer += key[shared:]
        self.buffer += value
        self.last_key = key
        self.counter += 1
        self.empty = False

    def size_estimate(self) -> int:
        return len(self.buffer) + 4 * len(self.restarts) + 4

    def finish(self) -> bytes:
        tail = struct.pack(f"<{len(self.restarts) + 1}I", *self.restarts, len(self.restarts))
        return bytes(self.buffer) + tail


def _shortest_separator(start: bytes, limit: bytes) -> bytes:
    """A short key ``k`` with ``start <= k < limit`` (LevelDB's bytewise comparator rule)."""
    n = min(len(start), len(limit))
    i = 0
    while i < n and start[i] == limit[i]:
        i += 1
    if i < n and start[i] < 0xFF and start[i] + 1 < limit[i]:
        return start[:i] + bytes([start[i] + 1])
    return start


def _short_successor(key: bytes) -> bytes:
    """A short key ``k >= key``: the first byte that can grow, grown, and nothing after it."""
    for i, byte in enumerate(key):
        if byte != 0xFF:
            return key[:i] + bytes([byte + 1])
    return key


def _encode_handle(offset: int, size: int) -> bytes:
    out = bytearray()
    put_varint(out, offset)
    put_varint(out, size)
    return bytes(out)


def write_table(entries) -> bytes:
    """The table holding ``entries``, ``(key, value)`` byte pairs in strictly increasing order."""
    out = bytearray()

    def write_block(block: _BlockBuilder) -> bytes:
        contents = block.finish()
        handle = _encode_handle(len(out), len(contents))
        trailer = struct.pack("<BI", 0, mask_crc(crc32c(contents + b"\0")))
        out.extend(contents + trailer)
        block.reset()
        return handle

    data = _BlockBuilder(_RESTART_INTERVAL)
    index = _BlockBuilder(1)
    last_key, pending = None, None
    for key, value in entries:
        if last_key is not None and key <= last_key:
            raise ValueError(f"table keys must be strictly increasing: {key!r} after {last_key!r}")
        if pending is not None:
            index.add(_shortest_separator(last_key, key), pending)
            pending = None
        data.add(key, value)
        last_key = key
        if data.size_estimate() >= _BLOCK_SIZE:
            pending = write_block(data)
    if not data.empty:
        pending = write_block(data)
    if pending is not None:
        index.add(_short_successor(last_key), pending)
    metaindex_handle = write_block(_BlockBuilder(_RESTART_INTERVAL))
    index_handle = write_block(index)
    handles = metaindex_handle + index_handle
    out += handles + bytes(_FOOTER_SIZE - 8 - len(handles)) + struct.pack("<Q", _MAGIC)
    return bytes(out)


# -- reading ----------------------------------------------------------------------------------


def _decode_handle(data, pos: int, end: int) -> tuple[tuple[int, int], int]:
    offset, pos = get_varint(data, pos, end)
    size, pos = get_varint(data, pos, end)
    return (offset, size), pos


def _read_block(data, handle: tuple[int, int], limit: int, what: str) -> memoryview:
    offset, size = handle
    if offset + size + _TRAILER_SIZE > limit:
        raise TableError(
            f"{what} block at bytes {offset}..{offset + size} runs past the end of the table "
            f"({limit} bytes before the footer)"
        )
    contents = data[offset : offset + size]
    kind, stored = struct.unpack_from("<BI", data, offset + size)
    if mask_crc(crc32c(bytes(data[offset : offset + size + 1]))) != stored:
        raise TableError(f"{what} block at byte {offset}: checksum mismatch")
    if kind != 0:
        raise TableError(f"{what} block at byte {offset}: compression type {kind} is not supported")
    return contents


def _block_entries(block: memoryview, what: str):
    """Yields the ``(key, value)`` pairs of one block, checking every length."""
    if len(block) < 4:
        raise TableError(f"{what} block of {len(block)} bytes is too short")
    (num_restarts,) = struct.unpack_from("<I", block, len(block) - 4)
    if num_restarts == 0 or num_restarts > (len(block) - 4) // 4:
        raise TableError(f"{what} block claims {num_restarts} restart points")
    end = len(block) - 4 - 4 * num_restarts
    pos, key = 0, b""
    while pos < end:
        shared, pos = get_varint(block, pos, end, 5)
        unshared, pos = get_varint(block, pos, end, 5)
        value_size, pos = get_varint(block, pos, end, 5)
        if shared > len(key) or pos + unshared + value_size > end:
            raise TableError(f"{what} block: corrupt entry at byte {pos}")
        key = key[:shared] + bytes(block[pos : pos + unshared])
        pos += unshared
        yield key, bytes(block[pos : pos + value_size])
        pos += value_size


def read_table(data) -> list[tuple[bytes, bytes]]:
    """All ``(key, value)`` pairs of a table, in order.

    Raises:
        TableError: bad magic number, lengths or offsets past the data, a checksum mismatch,
            keys out of order.
    """
    data = memoryview(data)
    if len(data) < _FOOTER_SIZE:
        raise TableError(f"{len(data)} bytes is too short to be a table (the footer is 48)")
    footer = len(data) - _FOOTER_SIZE
    if struct.unpack_from("<Q", data, len(data) - 8)[0] != _MAGIC:
        raise TableError("not a table: bad magic number")
    metaindex, pos = _decode_handle(data, footer, footer + 40)
    index_handle, _ = _decode_handle(data, pos, footer + 40)
    _read_block(data, metaindex, footer, "metaindex")
    index = _read_block(data, index_handle, footer, "index")
    entries: list[tuple[bytes, bytes]] = []
    for _, handle_bytes in _block_entries(index, "index"):
        handle, _ = _decode_handle(handle_bytes, 0, len(handle_bytes))
        block = _read_block(data, handle, footer, "data")
        for key, value in _block_entries(block, "data"):
            if entries and key <= entries[-1][0]:
                raise TableError(f"keys out of order: {key!r} after {entries[-1][0]!r}")
            entries.append((key, value))
    return entries
