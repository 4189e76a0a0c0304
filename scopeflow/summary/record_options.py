"""``tf.io.TFRecordOptions`` and ``tf.io.TFRecordCompressionType``: how a TFRecord file is
compressed (``"GZIP"``, ``"ZLIB"`` or ``""``), and the whole-file (de)compression that
``tf_record_iterator`` and ``tf.TFRecordReader`` share.

>>> TFRecordOptions.get_compression_type_string(TFRecordOptions(TFRecordCompressionType.GZIP))
'GZIP'
"""

from __future__ import annotations

import io
import os
import zlib

from scopeflow.framework import errors
from scopeflow.summary.records import open_binary, records_in


class TFRecordCompressionType:
    """The compression of a TFRecord file, as TF's integers."""

    NONE = 0
    ZLIB = 1
    GZIP = 2


class TFRecordOptions:
    """Options of a TFRecord file: its ``compression_type`` (``"GZIP"``, ``"ZLIB"``, ``""``
    or a ``TFRecordCompressionType``) and zlib's settings, kept as given."""

    compression_type_map = {
        TFRecordCompressionType.ZLIB: "ZLIB",
        TFRecordCompressionType.GZIP: "GZIP",
        TFRecordCompressionType.NONE: "",
    }

    def __init__(
        self,
        compression_type=None,
        flush_mode=None,
        input_buffer_size=None,
        output_buffer_size=None,
        window_bits=None,
        compression_level=None,
        compression_method=None,
        mem_level=None,
        compression_strategy=None,
    ):
        self.get_compression_type_string(compression_type)
        self.compression_type = compression_type
        self.flush_mode = flush_mode
        self.input_buffer_size = input_buffer_size
        self.output_buffer_size = output_buffer_size
        self.window_bits = window_bits
        self.compression_level = compression_level
        self.compression_method = compression_method
        self.mem_level = mem_level
        self.compression_strategy = compression_strategy

    @classmethod
    def get_compression_type_string(cls, options) -> str:
        """``options`` (``TFRecordOptions``, ``TFRecordCompressionType`` or a string) as
        ``"ZLIB"``, ``"GZIP"`` or ``""``; anything else raises TF's ``ValueError``."""
        if not options:
            return ""
        if isinstance(options, TFRecordOptions):
            return cls.get_compression_type_string(options.compression_type)
        if options in cls.compression_type_map:
            return cls.compression_type_map[options]
        if options in cls.compression_type_map.values():
            return options
        raise ValueError(f'Not a valid compression_type: "{options}"')


def inflate(data: bytes, kind: str) -> tuple[bytes, errors.DataLossError | None]:
    """A file's ``data`` decompressed as TF's ZlibInputStream does (``kind`` ``"GZIP"`` or
    ``"ZLIB"``), and the error that stopped it, if any. A stream cut short gives what it holds
    (the reader decides what a cut record means); GZIP members follow one another, bytes after
    a ZLIB stream are ignored; a bad stream drops its own output (zlib's words in the error)."""
    out, rest = [], data
    while rest:
        stream = zlib.decompressobj(zlib.MAX_WBITS | (16 if kind == "GZIP" else 0))
        try:
            piece = stream.decompress(rest)
        except zlib.error as e:
            code, _, reason = str(e).partition(" while decompressing data: ")
            return b"".join(out), errors.DataLossError(
                None, None, f"inflate() failed with {code.lower()}: {reason or e}"
            )
        out.append(piece)
        rest = stream.unused_data if kind == "GZIP" and stream.eof else b""
    return b"".join(out), None


def decompress(data: bytes, kind: str) -> bytes:
    """A whole file's ``data`` decompressed (``kind`` ``"GZIP"``, ``"ZLIB"`` or ``""``), as
    ``inflate``; a bad stream raises its ``DataLossError``."""
    if not kind:
        return data
    data, error = inflate(data, kind)
    if error is not None:
        raise error
    return data


def read_file(path) -> bytes:
    """The bytes of the file ``path`` (``NotFoundError`` in TF's words when there is none)."""
    path = os.fspath(path)
    with open_binary(path) as f:
        return f.read()


def open_records(path, compression: str):
    """``(offset, data)`` of each record of the TFRecord file ``path`` (offsets in the
    uncompressed stream); ``compression`` is ``"GZIP"``, ``"ZLIB"`` or ``""``."""
    path = os.fspath(path)
    if compression:
        data, error = inflate(read_file(path), compression)
        try:
            yield from records_in(io.BytesIO(data), len(data), path)
        except errors.DataLossError as e:
            # a record cut by the stream's error fails with that error, as in TF
            if error is None or not str(e).startswith("truncated record"):
                raise
        if error is not None:
            raise error
        return
    with open_binary(path) as f:
        yield from records_in(f, os.fstat(f.fileno()).st_size, path)
