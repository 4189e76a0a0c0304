"""TFRecord framing, as events files store their events: each record is its length (uint64,
little-endian), the masked CRC-32C of those 8 bytes, the data, and the masked CRC-32C of the
data. ``tf.train.summary_iterator`` reads events files record by record.

Reading streams the file and checks each length's checksum before trusting it, and each length
against the bytes left, so a corrupt or truncated file raises ``DataLossError`` naming the file
(TF1's words: "corrupted record at", "truncated record at") and never allocates more than the
file holds. As in TensorFlow, a tail shorter than a record header ends the file quietly: a
writer killed mid-header leaves a readable file.

>>> data = encode_record(b"abc")
>>> len(data), data[12:15]
(19, b'abc')
"""

from __future__ import annotations

import os
import struct

from scopeflow.framework import errors
from scopeflow.ops.kernels.crc import crc32c, mask_crc
from scopeflow.summary import protos

_HEADER = 12  # length (8) and its masked CRC (4)


def record_pieces(pieces) -> list[bytes]:
    """The pieces of one TFRecord whose data is the bytes ``pieces`` joined (not joined here:
    a writer joins a whole batch of records once)."""
    length = struct.pack("<Q", sum(len(p) for p in pieces))
    crc = 0
    for piece in pieces:
        crc = crc32c(piece, crc)
    return [
        length,
        struct.pack("<I", mask_crc(crc32c(length))),
        *pieces,
        struct.pack("<I", mask_crc(crc)),
    ]


def encode_record(data: bytes) -> bytes:
    """``data`` framed as one TFRecord."""
    return b"".join(record_pieces((data,)))


def _data_loss(message: str):
    return errors.DataLossError(None, None, message)


def read_records(path):
    """The data of each record of the file at ``path``, in order.

    Raises:
        NotFoundError: no file at ``path``.
        DataLossError: a record's checksum does not match, or the file ends inside a record.
    """
    path = os.fspath(path)
    with open_binary(path) as f:
        for _, data in records_in(f, os.fstat(f.fileno()).st_size, path):
            yield data


def open_binary(path: str):
    """The file ``path`` opened for reading bytes, or TF's error in TF's words: NotFoundError
    ("<path>; No such file or directory"), FailedPreconditionError ("<path>; Is a
    directory")."""
    try:
        return open(path, "rb")  # noqa: SIM115 - the caller closes it
    except FileNotFoundError:
        raise errors.NotFoundError(None, None, f"{path}; No such file or directory") from None
    except IsADirectoryError:
        raise errors.FailedPreconditionError(None, None, f"{path}; Is a directory") from None


def records_in(f, size: int, path: str):
    """``(offset, data)`` of each record of the open binary file ``f`` of ``size`` bytes
    (``path`` names it in errors), as ``read_records``."""
    offset = 0
    while True:
        header = f.read(_HEADER)
        if len(header) < _HEADER:
            return
        (length,) = struct.unpack_from("<Q", header)
        if struct.unpack_from("<I", header, 8)[0] != mask_crc(crc32c(header[:8])):
            hint = " (Is this even a TFRecord file?)" if offset == 0 else ""
            raise _data_loss(f"corrupted record at {offset} in '{path}'{hint}")
        if length + 4 > size - offset - _HEADER:
            raise _data_loss(
                f"truncated record at {offset} in '{path}': the record claims {length} "
                f"bytes, {max(size - offset - _HEADER - 4, 0)} are left"
            )
        body = f.read(length + 4)
        if len(body) < length + 4:  # the file shrank while we read it
            raise _data_loss(f"truncated record at {offset} in '{path}'")
        data = body[:length]
        if struct.unpack_from("<I", body, length)[0] != mask_crc(crc32c(data)):
            raise _data_loss(f"corrupted record at {offset + _HEADER} in '{path}'")
        yield offset, data
        offset += _HEADER + length + 4


def summary_iterator(path):
    """The ``tf.Event`` protos of the events file at ``path``, in order (needs the
    ``tensorboard`` package for the ``Event`` class).

    >>> import scopeflow as tf
    >>> import glob, tempfile
    >>> writer = tf.summary.FileWriter(tempfile.mkdtemp())
    >>> writer.add_summary(tf.Summary(value=[tf.Summary.Value(tag="x", simple_value=2.0)]), 7)
    >>> writer.close()
    >>> [path] = glob.glob(writer.get_logdir() + "/events.out.tfevents.*")
    >>> events = list(tf.train.summary_iterator(path))
    >>> events[0].file_version, events[1].step, events[1].summary.value[0].simple_value
    ('brain.Event:2', 7, 2.0)

    Raises:
        DataLossError: a record is corrupt or cut short, or holds no ``Event``.
    """
    event_class = protos.proto_module("event_pb2").Event
    from google.protobuf.message import DecodeError

    for data in read_records(path):
        try:
            yield event_class.FromString(data)
        except DecodeError:
            raise _data_loss(f"a record of '{os.fspath(path)}' is not an Event") from None
