"""TensorFlow's V2 checkpoint files ("tensor bundles"), read and written without TensorFlow.

A checkpoint ``prefix`` is two files: ``prefix.data-00000-of-00001`` holds the tensors' bytes
one after another (little-endian, C order; a string tensor is its elements' varint lengths, a
masked CRC-32C of those lengths, then the bytes), and ``prefix.index`` is a table
(:mod:`scopeflow.train.table`) mapping ``""`` to a ``BundleHeaderProto`` and each tensor name
to a ``BundleEntryProto``: dtype, shape, data shard, offset, size and the masked CRC-32C of its
bytes.

Writing goes to temporary files that are renamed into place, data first, so a reader never sees
an index whose data is missing or incomplete. Reading validates every field of every entry
against the files before allocating anything - dtype codes, dimensions, element counts against
byte sizes, shards, offsets and sizes against the data files' sizes - and verifies every
checksum; anything wrong raises ``tf.errors.DataLossError`` naming the file.

>>> import os, tempfile, numpy as np
>>> prefix = os.path.join(tempfile.mkdtemp(), "ckpt")
>>> write_bundle(prefix, {"w": np.arange(3.0)})
>>> BundleReader(prefix).read("w")
array([0., 1., 2.])
"""

from __future__ import annotations

import math
import os
import re
import struct
from dataclasses import dataclass

import numpy as np

from scopeflow.framework import dtypes, errors
from scopeflow.framework.graph import closest_names
from scopeflow.train import table
from scopeflow.train.files import atomic_files
from scopeflow.train.protos import messages
from scopeflow.train.slices import SlicedValue, extents_of, place, slice_key

STRING = 7
# Codes of TF's DataType enum that scopeflow does not read (quantized, resource, variant, 8-bit
# floats, 4- and 2-bit ints); any other code not in dtypes is not a DataType at all.
_UNSUPPORTED_CODES = {11, 12, 13, 15, 16, 20, 21, *range(24, 34)}
_MAX_RANK = 254  # TensorFlow's limit
_VERSION = 1  # kTensorBundleVersion: what this code writes and the newest it reads


def data_filename(prefix: str, shard: int = 0, num_shards: int = 1) -> str:
    return f"{prefix}.data-{shard:05d}-of-{num_shards:05d}"


def index_filename(prefix: str) -> str:
    return prefix + ".index"


def _data_loss(message: str) -> errors.DataLossError:
    return errors.DataLossError(None, None, message)


def _supported(code: int) -> bool:
    return code in dtypes._SPECS and dtypes._SPECS[code].kind not in "hq"  # no quantized reads


def _numpy_dtype(code: int) -> np.dtype:
    dtype = np.dtype(dtypes.as_dtype(code).as_numpy_dtype)
    return dtype if dtype.kind == "V" or dtype.itemsize == 1 else dtype.newbyteorder("<")


def dtype_code(array: np.ndarray) -> int:
    """The DataType code of a NumPy array (object, bytes and str arrays are strings)."""
    if array.dtype.kind in "OSU":
        return STRING
    if array.dtype.name == "bfloat16":
        return dtypes.bfloat16.as_datatype_enum
    try:
        return dtypes.as_dtype(array.dtype).as_datatype_enum
    except TypeError:
        raise TypeError(f"cannot save an array of dtype {array.dtype} in a checkpoint") from None


# -- writing ----------------------------------------------------------------------------------


def _string_bytes(item) -> bytes:
    if isinstance(item, bytes):
        return item
    if isinstance(item, str):
        return item.encode()
    raise TypeError(f"a string tensor holds {type(item).__name__} {item!r}, not bytes or str")


def _tensor_bytes(array: np.ndarray, code: int) -> tuple[list, int]:
    """The pieces of one tensor's bytes in the data file, and their masked CRC-32C."""
    if code == STRING:
        items = [_string_bytes(x) for x in array.reshape(-1)]
        lengths, crc = bytearray(), 0
        for item in items:
            table.put_varint(lengths, len(item))
            width = "<I" if len(item) <= 0xFFFFFFFF else "<Q"
            crc = table.crc32c(struct.pack(width, len(item)), crc)
        length_check = struct.pack("<I", table.mask_crc(crc))
        pieces = [bytes(lengths), length_check, *items]
        for piece in pieces[1:]:
            crc = table.crc32c(piece, crc)
        return pieces, table.mask_crc(crc)
    data = np.ascontiguousarray(array, dtype=_numpy_dtype(code)).reshape(-1).view(np.uint8)
    data.flags.writeable = False
    return [data], table.mask_crc(table.crc32c(data))


def _sliced_entry(msgs, value: SlicedValue, code: int):
    """The entry of a tensor saved in slices: dtype, full shape and the slices, no data."""
    entry = msgs.BundleEntryProto(dtype=code)
    entry.shape.SetInParent()
    for dim in value.full_shape:
        entry.shape.dim.add(size=dim)
    for offset, array in value.slices:
        proto = entry.slices.add()
        for start, length in extents_of(offset, array.shape):
            proto.extent.add(start=start, length=length)
    return entry


def write_bundle(prefix: str, tensors: dict, shards: dict | None = None) -> None:
    """Writes ``{name: array}`` as the checkpoint ``prefix``, replacing any there.

    A ``SlicedValue`` (a partitioned variable) is saved as TF saves it: an entry under its
    name listing the slices, and one entry per slice. Tensors are stored in key order; a
    name's dtype is its array's (``dtype_code``). ``shards`` (TF's sharded Saver: one data
    file per device) gives a name's data file number, or a sliced name's one per slice; the
    index then lists each tensor's shard. Every file is written in full before any is
    renamed into place, the index last.
    """
    prefix = os.fspath(prefix)
    shards = shards or {}
    msgs = _protos()
    tensors_by_key, shard_of, records = {}, {}, []
    for name, value in tensors.items():
        where = shards.get(name, 0)
        if isinstance(value, SlicedValue):
            code = dtype_code(np.asarray(value.slices[0][1]))
            entry = _sliced_entry(msgs, value, code)
            records.append((name.encode(), entry.SerializeToString()))
            for i, (offset, array) in enumerate(value.slices):
                key = slice_key(name, extents_of(offset, np.shape(array)))
                tensors_by_key[key] = np.asarray(array)
                shard_of[key] = where[i] if isinstance(where, (tuple, list)) else where
        else:
            tensors_by_key[name.encode()] = np.asarray(value)
            shard_of[name.encode()] = where
    num_shards = 1 + max(shard_of.values(), default=0)
    paths = [data_filename(prefix, k, num_shards) for k in range(num_shards)]
    with atomic_files(*paths, index_filename(prefix)) as files:
        offsets = [0] * num_shards
        for key in sorted(tensors_by_key):
            array, shard = tensors_by_key[key], shard_of[key]
            code = dtype_code(array)
            pieces, crc = _tensor_bytes(array, code)
            size = 0
            for piece in pieces:
                files[shard].write(piece)
                size += len(piece) if isinstance(piece, bytes) else piece.nbytes
            entry = msgs.BundleEntryProto(
                dtype=code, shard_id=shard, offset=offsets[shard], size=size, crc32c=crc
            )
            entry.shape.SetInParent()  # TF writes the shape even when it is a scalar's, empty
            for dim in array.shape:
                entry.shape.dim.add(size=dim)
            records.append((key, entry.SerializeToString()))
            offsets[shard] += size
        header = msgs.BundleHeaderProto(num_shards=num_shards)
        header.version.producer = _VERSION
        records.sort(key=lambda record: record[0])
        files[-1].write(table.write_table([(b"", header.SerializeToString()), *records]))


def _protos():
    return messages()


# -- reading ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """One tensor of a checkpoint, as its index describes it (validated)."""

    prefix: str
    name: str
    code: int  # DataType enum number
    shape: tuple[int, ...]
    shard: int
    offset: int
    size: int
    crc: int
    # saved in slices (a partitioned variable): ((start, length) per dimension) per slice
    slices: tuple = ()

    @property
    def sliced(self) -> bool:
        return bool(self.slices)

    @property
    def dtype(self) -> dtypes.DType:
        if not _supported(self.code):
            raise errors.UnimplementedError(
                None,
                None,
                f"tensor '{self.name}' of checkpoint '{self.prefix}' has DataType {self.code}, "
                "which scopeflow does not support",
            )
        return dtypes.as_dtype(self.code)


class BundleReader:
    """A checkpoint's tensors, with every index field checked against the files on opening.

    Raises (on opening):
        tf.errors.NotFoundError: there is no ``prefix.index``.
        tf.errors.DataLossError: the index is truncated, corrupted, not a checkpoint, or
            describes tensors its data files cannot hold.
    """

    def __init__(self, prefix: str, data_files_at_open: bool = True):
        self._data_files_at_open = data_files_at_open  # False: a missing one fails on a read
        self.prefix = prefix = os.fspath(prefix)
        self.index_path = index_path = index_filename(prefix)
        if not os.path.isfile(index_path):
            if os.path.isfile(prefix):
                stem = re.sub(r"\.(index|data-\d{5}-of-\d{5})$", "", prefix)
                hint = f"; pass the prefix '{stem}'" if stem != prefix else ""
                raise _data_loss(
                    f"'{prefix}' is not a TensorFlow V2 checkpoint (no '{index_path}' beside "
                    f"it; V1 checkpoints are not supported){hint}"
                )
            raise errors.NotFoundError(
                None,
                None,
                "Unsuccessful TensorSliceReader constructor: Failed to find any "
                f"matching files for {prefix} (no checkpoint index '{index_path}')",
            )
        with open(index_path, "rb") as f:
            raw = f.read()
        try:
            records = table.read_table(raw)
        except table.TableError as e:
            raise _data_loss(f"checkpoint index '{index_path}' is corrupted: {e}") from None
        if not records or records[0][0] != b"":
            raise _data_loss(f"checkpoint index '{index_path}' has no header entry")
        self.num_shards = self._check_header(records[0][1])
        self._shard_sizes: dict[int, int] = {}
        self.entries: dict[str, Entry] = {}
        self._slice_records: dict[bytes, bytes] = {}
        for key, value in records[1:]:
            if key.startswith(b"\0"):  # the key of one slice of a sliced tensor
                self._slice_records[key] = value
                continue
            entry = self._check_entry(key, value)
            self.entries[entry.name] = entry

    # -- validation -------------------------------------------------------------------------

    def _parse(self, message_type, value: bytes, what: str):
        from google.protobuf.message import DecodeError

        try:
            return message_type.FromString(value)
        except DecodeError as e:
            raise _data_loss(f"checkpoint index '{self.index_path}': bad {what}: {e}") from None

    def _check_header(self, value: bytes) -> int:
        header = self._parse(_protos().BundleHeaderProto, value, "header")
        if header.num_shards < 1:
            raise _data_loss(f"checkpoint index '{self.index_path}': {header.num_shards} shards")
        if header.endianness not in (0, 1):
            raise _data_loss(
                f"checkpoint index '{self.index_path}': unknown endianness {header.endianness}"
            )
        if header.endianness == 1:
            raise errors.UnimplementedError(
                None,
                None,
                f"checkpoint '{self.prefix}' is big-endian; scopeflow reads "
                "little-endian checkpoints only",
            )
        version = header.version
        if version.min_consumer > _VERSION or _VERSION in version.bad_consumers:
            raise errors.UnimplementedError(
                None,
                None,
                f"checkpoint '{self.prefix}' needs a newer reader (bundle version "
                f"{version.producer}, min consumer {version.min_consumer}); scopeflow reads "
                f"version {_VERSION}",
            )
        return header.num_shards

    def _shard_size(self, shard: int) -> int:
        size = self._shard_sizes.get(shard)
        if size is None:
            path = data_filename(self.prefix, shard, self.num_shards)
            try:
                size = os.stat(path).st_size
            except OSError:  # TF's error and words for a missing data file
                raise errors.NotFoundError(
                    None, None, f"{path}; No such file or directory (checkpoint '{self.prefix}')"
                ) from None
            self._shard_sizes[shard] = size
        return size

    def _check_entry(self, key: bytes, value: bytes, name: str | None = None) -> Entry:
        where = f"checkpoint index '{self.index_path}'"
        try:
            name = key.decode("utf-8") if name is None else name
        except UnicodeDecodeError:
            raise _data_loss(f"{where}: tensor name {key!r} is not UTF-8") from None
        entry = self._parse(_protos().BundleEntryProto, value, f"entry for '{name}'")
        where = f"{where}, tensor '{name}'"
        code = entry.dtype
        if not (_supported(code) or code in _UNSUPPORTED_CODES):
            raise _data_loss(f"{where}: unknown dtype code {code}")
        if entry.shape.unknown_rank or len(entry.shape.dim) > _MAX_RANK:
            raise _data_loss(f"{where}: a saved tensor needs a known rank of at most {_MAX_RANK}")
        shape = tuple(d.size for d in entry.shape.dim)
        if any(d < 0 for d in shape):
            raise _data_loss(f"{where}: negative dimension in shape {list(shape)}")
        if not 0 <= entry.shard_id < self.num_shards:
            raise _data_loss(f"{where}: shard {entry.shard_id} of {self.num_shards}")
        if entry.offset < 0 or entry.size < 0:
            raise _data_loss(f"{where}: offset {entry.offset}, size {entry.size}")
        slices = tuple(
            tuple((e.start, e.length or -1) for e in piece.extent) for piece in entry.slices
        )
        if not slices and _supported(code):
            count = math.prod(shape)
            if code == STRING:
                # each element's length takes at least one byte, then a 4-byte checksum
                if count + 4 > entry.size:
                    raise _data_loss(f"{where}: {count} strings cannot fit in {entry.size} bytes")
            elif count * dtypes.as_dtype(code).size != entry.size:
                raise _data_loss(
                    f"{where}: shape {list(shape)} of {dtypes.as_dtype(code).name} needs "
                    f"{count * dtypes.as_dtype(code).size} bytes, the index says {entry.size}"
                )
        if self._data_files_at_open:
            self._shard_size(entry.shard_id)  # a missing data file: TF's NotFoundError at once
        return Entry(
            self.prefix,
            name,
            code,
            shape,
            entry.shard_id,
            entry.offset,
            entry.size,
            entry.crc32c,
            slices,
        )

    # -- reading ----------------------------------------------------------------------------

    def entry(self, name: str) -> Entry:
        """The entry of ``name``; ``tf.errors.NotFoundError`` as TF's when missing."""
        try:
            return self.entries[name]
        except KeyError:
            raise errors.NotFoundError(
                None,
                None,
                f"Key {name} not found in checkpoint '{self.prefix}'."
                + closest_names(name, self.entries),
            ) from None

    def read(self, name: str) -> np.ndarray:
        """The value of tensor ``name`` (a new array; strings as ``bytes`` objects).

        Raises:
            tf.errors.NotFoundError: no such tensor.
            tf.errors.DataLossError: the bytes are short or fail their checksum.
            tf.errors.UnimplementedError: a dtype scopeflow cannot read.
        """
        entry = self.entry(name)
        if entry.sliced:
            return self._read_sliced(entry)
        return self._read_entry(entry)

    def _read_sliced(self, entry: Entry) -> np.ndarray:
        """A tensor saved in slices (a partitioned variable), put together."""
        dtype = entry.dtype
        full = np.zeros(entry.shape, dtype=dtype.as_numpy_dtype)
        for extents in entry.slices:
            if len(extents) != len(entry.shape):
                raise _data_loss(
                    f"checkpoint index '{self.index_path}', tensor '{entry.name}': slice "
                    f"{extents} does not match shape {list(entry.shape)}"
                )
            key = slice_key(entry.name, extents)
            record = self._slice_records.get(key)
            where = f"{entry.name} slice {[list(e) for e in extents]}"
            if record is None:
                raise _data_loss(f"checkpoint '{self.prefix}': {where} is missing")
            part = self._check_entry(key, record, where)
            if part.code != entry.code:
                raise _data_loss(f"checkpoint '{self.prefix}': {where} has another dtype")
            want = [
                d if length < 0 else length
                for d, (_, length) in zip(entry.shape, extents, strict=True)
            ]
            if list(part.shape) != want or any(
                start < 0 or start + n > d
                for (start, _), n, d in zip(extents, want, entry.shape, strict=True)
            ):
                raise _data_loss(
                    f"checkpoint '{self.prefix}': {where} has shape {list(part.shape)} and lies "
                    f"outside {list(entry.shape)}"
                )
            place(full, extents, self._read_entry(part))
        return full

    def _read_entry(self, entry: Entry) -> np.ndarray:
        name = entry.name
        dtype = entry.dtype
        path = data_filename(self.prefix, entry.shard, self.num_shards)
        # Checked before allocating, when the tensor is read (as TF: restoring with another
        # checkpoint's index fails on the first tensor read, a checksum mismatch or this)
        data_size = self._shard_size(entry.shard)
        if entry.offset + entry.size > data_size:  # TF's error and words for a short read
            raise errors.OutOfRangeError(
                None,
                None,
                f"Read less bytes than requested: checkpoint index '{self.index_path}', "
                f"tensor '{name}': bytes {entry.offset}..{entry.offset + entry.size} lie past "
                f"the end of '{path}' ({data_size} bytes)",
            )
        raw = np.empty(entry.size, dtype=np.uint8)
        try:
            with open(path, "rb") as f:
                f.seek(entry.offset)
                got = f.readinto(memoryview(raw))
        except FileNotFoundError:  # TF's error and words for a missing data file
            raise errors.NotFoundError(None, None, f"{path}; No such file or directory") from None
        except OSError as e:
            raise _data_loss(f"cannot read '{path}': {e}") from None
        if got != entry.size:  # TF's error and words for a data file cut short
            raise errors.OutOfRangeError(
                None,
                None,
                f"Read less bytes than requested: '{path}' is truncated (tensor '{name}' needs "
                f"{entry.size} bytes at offset {entry.offset}, {got} there)",
            )
        where = f"tensor '{name}' in '{path}'"
        if entry.code == STRING:
            value = _decode_strings(raw.tobytes(), math.prod(entry.shape), entry.crc, where)
        else:
            view = raw.view()
            view.flags.writeable = False  # the checksum library takes read-only buffers
            if table.mask_crc(table.crc32c(view)) != entry.crc:
                raise _data_loss(f"{where}: checksum mismatch")
            value = raw.view(_numpy_dtype(dtype.as_datatype_enum)).astype(
                dtype.as_numpy_dtype, copy=False
            )
        return value.reshape(entry.shape)


def _decode_strings(data: bytes, count: int, stored_crc: int, where: str) -> np.ndarray:
    lengths, pos, crc = [], 0, 0
    end = len(data) - 4
    for _ in range(count):
        try:
            length, pos = table.get_varint(data, pos, end)
        except table.TableError:
            raise _data_loss(f"{where}: corrupt string lengths") from None
        lengths.append(length)
        width = "<I" if length <= 0xFFFFFFFF else "<Q"
        crc = table.crc32c(struct.pack(width, length), crc)
    if data[pos : pos + 4] != struct.pack("<I", table.mask_crc(crc)):
        raise _data_loss(f"{where}: checksum mismatch in string lengths")
    pos += 4
    if pos + sum(lengths) != len(data):
        raise _data_loss(f"{where}: string lengths do not add up to the tensor's size")
    if table.mask_crc(table.crc32c(data[pos - 4 :], crc)) != stored_crc:
        raise _data_loss(f"{where}: checksum mismatch")
    value = np.empty(count, dtype=object)
    for i, length in enumerate(lengths):
        value[i] = data[pos : pos + length]
        pos += length
    return value
