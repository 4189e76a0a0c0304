"""``tf.python_io.TFRecordWriter`` and ``tf.python_io.tf_record_iterator``: TFRecord files
(each record framed with its length and masked CRC-32C checksums, as the summary package
frames events), read back by ``tf.data.TFRecordDataset``.

>>> import os, tempfile
>>> import scopeflow as tf
>>> path = os.path.join(tempfile.mkdtemp(), "r.tfrecord")
>>> with tf.python_io.TFRecordWriter(path) as writer:
...     writer.write(b"first")
...     writer.write(b"second")
>>> list(tf.python_io.tf_record_iterator(path))
[b'first', b'second']
"""

from __future__ import annotations

import gzip
import os
import zlib

from scopeflow.summary.record_options import TFRecordOptions, open_records
from scopeflow.summary.records import encode_record


class _ZlibFile:
    """A binary file written through zlib (TF's "ZLIB" records: one zlib stream)."""

    def __init__(self, path: str, level: int):
        self._file = open(path, "wb")  # noqa: SIM115 - closed by close()
        self._zlib = zlib.compressobj(level)

    def write(self, data: bytes) -> None:
        self._file.write(self._zlib.compress(data))

    def flush(self) -> None:
        self._file.write(self._zlib.flush(zlib.Z_SYNC_FLUSH))
        self._file.flush()

    def close(self) -> None:
        self._file.write(self._zlib.flush())
        self._file.close()


class TFRecordWriter:
    """Writes records (``bytes``) to the TFRecord file ``path``, replacing it, compressed as
    ``options`` say (a ``tf.io.TFRecordOptions``, ``"GZIP"``, ``"ZLIB"`` or ``None``)."""

    def __init__(self, path, options=None):
        kind = TFRecordOptions.get_compression_type_string(options)
        level = getattr(options, "compression_level", None)
        level = -1 if level is None else int(level)
        path = os.fspath(path)
        if kind == "GZIP":
            self._file = gzip.open(path, "wb", compresslevel=9 if level < 0 else level)
        elif kind == "ZLIB":
            self._file = _ZlibFile(path, level)
        else:
            self._file = open(path, "wb")  # noqa: SIM115 - closed by close()

    def write(self, record) -> None:
        if isinstance(record, str):
            record = record.encode()
        self._file.write(encode_record(bytes(record)))

    def flush(self) -> None:
        self._file.flush()

    def close(self) -> None:
        self._file.close()

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        self.close()


def tf_record_iterator(path, options=None):
    """The records of the TFRecord file ``path``, in order (checksums checked: a mismatch
    raises ``tf.errors.DataLossError``)."""
    kind = TFRecordOptions.get_compression_type_string(options)
    return (data for _, data in open_records(path, kind))
