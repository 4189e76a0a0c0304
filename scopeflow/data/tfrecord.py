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

import os

from scopeflow.summary.records import encode_record, read_records


def _no_compression(options) -> None:
    kind = getattr(options, "compression_type", options)
    if kind not in (None, "", 0):
        raise NotImplementedError(
            f"TFRecord compression {kind!r} is not supported; write and read uncompressed "
            "records (options=None)."
        )


class TFRecordWriter:
    """Writes records (``bytes``) to the TFRecord file ``path``, replacing it."""

    def __init__(self, path, options=None):
        _no_compression(options)
        self._file = open(os.fspath(path), "wb")  # noqa: SIM115 - closed by close()

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
    _no_compression(options)
    return read_records(path)


__all__ = ["TFRecordWriter", "tf_record_iterator"]
