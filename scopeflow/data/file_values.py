"""What the file datasets' kernels compute (``values.py``'s kind of objects): the lines of
text files (``TextLineDataset``), fixed-length records (``FixedLengthRecordDataset``) and
TFRecord records (``TFRecordDataset``), each file whole or decompressed (``"GZIP"``,
``"ZLIB"``)."""

from __future__ import annotations

import numpy as np

from scopeflow.data.values import DatasetValue, _invalid
from scopeflow.summary.record_options import decompress, open_records, read_file
from scopeflow.summary.records import open_binary

_COMPRESSIONS = ("", "ZLIB", "GZIP")


def _check_compression(compression: str) -> None:
    if compression not in _COMPRESSIONS:
        raise _invalid("Unsupported compression_type.")


def _whole_file(path: str, compression: str) -> bytes:
    return decompress(read_file(path), compression)


class TextLines(DatasetValue):
    """The lines of each file, without their line endings (``\\n``, ``\\r\\n``); a
    compressed file (``"GZIP"``, ``"ZLIB"``) is read whole and decompressed first."""

    def __init__(self, filenames, compression: str = ""):
        self.filenames = [_path(f) for f in np.reshape(filenames, [-1])]
        self.compression = compression

    def elements(self):
        _check_compression(self.compression)
        if self.compression:
            for path in self.filenames:
                lines = _whole_file(path, self.compression).split(b"\n")
                if lines[-1] == b"":
                    lines.pop()
                for line in lines:
                    yield [np.asarray(line.rstrip(b"\r"), dtype=object)]
            return
        for path in self.filenames:
            with open_binary(path) as f:  # kept open across runs while iterating
                for line in f:
                    yield [np.asarray(line.rstrip(b"\n").rstrip(b"\r"), dtype=object)]


def _path(name) -> str:
    return name.decode() if isinstance(name, bytes) else str(name)


class FixedLengthRecords(DatasetValue):
    """The ``record_bytes``-long records of each file between its ``header_bytes`` and
    ``footer_bytes`` (``tf.data.FixedLengthRecordDataset``)."""

    def __init__(self, filenames, record_bytes, header_bytes, footer_bytes, compression: str):
        self.filenames = [_path(f) for f in np.reshape(filenames, [-1])]
        self.record = int(record_bytes)
        self.header, self.footer = int(header_bytes), int(footer_bytes)
        self.compression = compression

    def elements(self):
        _check_compression(self.compression)
        if self.record <= 0:
            raise _invalid("record_bytes must be greater than zero.")
        for path in self.filenames:
            data = _whole_file(path, self.compression)
            body = data[self.header : max(self.header, len(data) - self.footer)]
            if len(body) % self.record:
                raise _invalid(
                    f"Excluding the header ({self.header} bytes) and footer ({self.footer} "
                    f'bytes), input file "{path}" has body length {len(body)} bytes, which is '
                    f"not an exact multiple of the record length ({self.record} bytes)."
                )
            for start in range(0, len(body), self.record):
                yield [np.asarray(body[start : start + self.record], dtype=object)]


class Records(DatasetValue):
    """The records of each TFRecord file, checksums checked (``compression``: ``"GZIP"``,
    ``"ZLIB"`` or ``""``)."""

    def __init__(self, filenames, compression: str = ""):
        self.filenames = [_path(f) for f in np.reshape(filenames, [-1])]
        self.compression = compression

    def elements(self):
        # TF's record reader reads a file of an unknown compression as uncompressed
        compression = self.compression if self.compression in _COMPRESSIONS else ""
        for path in self.filenames:
            for _, record in open_records(path, compression):
                yield [np.asarray(record, dtype=object)]
