"""TF1's readers as ops: ``TFRecordReaderV2``, ``TextLineReaderV2``, ``WholeFileReaderV2``,
``FixedLengthRecordReaderV2`` and ``IdentityReaderV2`` make a reader (kept in the session,
handed on as a resource handle) that ``ReaderReadV2``, ``ReaderReadUpToV2``,
``ReaderNumRecordsProducedV2``, ``ReaderNumWorkUnitsCompletedV2``, ``ReaderSerializeStateV2``,
``ReaderRestoreStateV2`` and ``ReaderResetV2`` use.

A reader turns work units (file names, dequeued from a queue of strings when it needs the next
one) into records (key, value), as TF's ``ReaderBase``: ``read`` dequeues until some work
gives a record, so a closed, empty queue ends it with the queue's ``OutOfRangeError``;
``read_up_to`` gives at most ``num_records`` and stops early at the end of a work unit once it
has some. A file that cannot be opened fails that read, and the next read takes the next file.
Only ``WholeFileReader`` and ``IdentityReader`` serialize their state (TF's
``ReaderBaseState`` message); the others raise ``UnimplementedError``, as TF's.
"""

from __future__ import annotations

import itertools
import threading

import numpy as np

from scopeflow.framework import dtypes, errors, tensor_shape
from scopeflow.framework.registry import NOT_DIFFERENTIABLE, register_op
from scopeflow.ops.data_flow.queue_ops import RuntimeQueue
from scopeflow.summary.record_options import decompress, open_records, read_file

_KINDS = {
    "TFRecordReaderV2": "TFRecordReader",
    "TextLineReaderV2": "TextLineReader",
    "WholeFileReaderV2": "WholeFileReader",
    "FixedLengthRecordReaderV2": "FixedLengthRecordReader",
    "IdentityReaderV2": "IdentityReader",
}


def _path(work: bytes) -> str:
    return work.decode("utf-8", "surrogateescape")


# Each opens a work unit (reading its file now, so a missing file fails before the work starts)
# and returns an iterator over its records (key, value).


def _text_lines(work: bytes, attrs: dict):
    lines = read_file(_path(work)).split(b"\n")
    if lines[-1] == b"":
        lines.pop()
    skip = attrs["skip_header_lines"]
    return (
        (b"%s:%d" % (work, number), line.removesuffix(b"\r"))
        for number, line in enumerate(lines, 1)
        if number > skip
    )


def _text_attr(value) -> str:
    return value.decode() if isinstance(value, bytes) else value  # str when imported


def _tf_records(work: bytes, attrs: dict):
    records = open_records(_path(work), _text_attr(attrs["compression_type"]))
    return ((b"%s:%d" % (work, offset), value) for offset, value in records)


def _fixed_length_records(work: bytes, attrs: dict):
    data = decompress(read_file(_path(work)), _text_attr(attrs["encoding"]))
    size, hop = attrs["record_bytes"], attrs["hop_bytes"] or attrs["record_bytes"]
    end, header = len(data) - attrs["footer_bytes"], attrs["header_bytes"]
    starts = itertools.count(header, hop) if hop else itertools.repeat(header)
    starts = itertools.takewhile(lambda start: start + size <= end, starts)
    # record_bytes 0 reads empty records forever, as TF's
    return ((b"%s:%d" % (work, i), data[start : start + size]) for i, start in enumerate(starts))


def _whole_file(work: bytes, attrs: dict):
    return iter([(work, read_file(_path(work)))])


def _identity(work: bytes, attrs: dict):
    return iter([(work, work)])


_RECORDS = {
    "TFRecordReader": _tf_records,
    "TextLineReader": _text_lines,
    "WholeFileReader": _whole_file,
    "FixedLengthRecordReader": _fixed_length_records,
    "IdentityReader": _identity,
}
# Readers whose one record ends their work unit at once (the others learn of the end on the
# read after their last record, as TF's).
_ONE_RECORD = {"WholeFileReader", "IdentityReader"}


def _varint(value: int) -> bytes:
    out = bytearray()
    while True:
        byte, value = value & 0x7F, value >> 7
        out.append(byte | (0x80 if value else 0))
        if not value:
            return bytes(out)


def _read_varint(data: bytes, i: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        byte = data[i]  # IndexError: the message ends inside a varint
        value |= (byte & 0x7F) << shift
        i, shift = i + 1, shift + 7
        if not byte & 0x80:
            return value, i


def _parse_state(data: bytes) -> dict:
    """TF's ``ReaderBaseState`` message (work_started, work_finished, num_records_produced,
    current_work); unknown fields skipped. Raises ``ValueError`` on a malformed message."""
    fields = {1: 0, 2: 0, 3: 0, 4: b""}
    i = 0
    try:
        while i < len(data):
            key, i = _read_varint(data, i)
            number, wire = key >> 3, key & 7
            if wire == 0:
                value, i = _read_varint(data, i)
                value -= (value >> 63) << 64  # int64
            elif wire == 2:
                length, i = _read_varint(data, i)
                if i + length > len(data):
                    raise ValueError("truncated field")
                value, i = data[i : i + length], i + length
            elif wire in (1, 5):
                value, i = None, i + (8 if wire == 1 else 4)
            else:
                raise ValueError(f"wire type {wire}")
            if number in fields and isinstance(value, type(fields[number])):
                fields[number] = value
        if i > len(data):
            raise ValueError("truncated field")
    except IndexError:
        raise ValueError("truncated varint") from None
    return fields


class RuntimeReader:
    """What one reader op holds in one session: its counters, the work unit it reads and the
    records left in it."""

    def __init__(self, op):
        self.kind = _KINDS[op.type]
        self.name = f"{self.kind} '{op.name}'"
        self.attrs = op._attrs
        self.lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        self.work_started = self.work_finished = self.num_records_produced = 0
        self.work = b""
        self.records = None

    def _next_work(self, op, queue: RuntimeQueue) -> None:
        if len(queue.dtypes) != 1 or queue.dtypes[0] != dtypes.string:
            raise errors.InvalidArgumentError(
                None, op, "Expected queue with single string component"
            )
        (element,) = queue.dequeue(op, 1)
        work = element[0]
        work = work.item() if isinstance(work, np.ndarray) else work
        self.work = work.encode() if isinstance(work, str) else bytes(work)
        self.records = _RECORDS[self.kind](self.work, self.attrs)
        self.work_started += 1

    def _next_record(self):
        if self.records is None:  # restored in the middle of a work unit
            self.records = _RECORDS[self.kind](self.work, self.attrs)
        try:
            return next(self.records, None)
        except errors.OpError as e:  # the work stays unfinished: later reads fail alike
            self.records = _Failing(e)
            raise

    def read_up_to(self, op, queue: RuntimeQueue, n: int) -> list[tuple[bytes, bytes]]:
        """Up to ``n`` records (``read``: one), dequeuing work as TF's ReaderBase."""
        produced: list = []
        with self.lock:
            while len(produced) < n:
                if self.work_finished >= self.work_started:
                    self._next_work(op, queue)
                record = self._next_record()
                if record is not None:
                    produced.append(record)
                    self.num_records_produced += 1
                if record is None or self.kind in _ONE_RECORD:
                    self.records = None
                    self.work_finished = self.work_started
                    if produced:
                        break
        return produced

    def serialize(self, op) -> bytes:
        if self.kind not in _ONE_RECORD:
            raise errors.UnimplementedError(None, op, "Reader SerializeState")
        with self.lock:
            counters = [(8, self.work_started), (16, self.work_finished)]
            counters.append((24, self.num_records_produced))
            parts = [_varint(key) + _varint(value) for key, value in counters if value]
            if self.work:
                parts.append(b'"' + _varint(len(self.work)) + self.work)
            return b"".join(parts)

    def restore(self, op, state: bytes) -> None:
        if self.kind not in _ONE_RECORD:
            raise errors.UnimplementedError(None, op, "Reader RestoreState")
        try:
            fields = _parse_state(state)
        except ValueError:
            escaped = state.decode("latin-1").encode("unicode_escape").decode()
            raise errors.InvalidArgumentError(
                None, op, f"Could not parse state for {self.name}: {escaped}"
            ) from None
        started, finished, produced, work = fields[1], fields[2], fields[3], fields[4]
        problems = [
            (produced < 0, "negative num_records_produced"),
            (started < 0, "negative work_started"),
            (finished < 0, "negative work_finished"),
            (started < finished, "work_started < work_finished"),
            (started > finished + 1, "work_started > work_finished + 1"),
            (started > finished and not work, "empty current_work with work in progress"),
        ]
        for bad, what in problems:
            if bad:
                raise errors.InvalidArgumentError(None, op, f"Unexpected {what} for {self.name}")
        with self.lock:
            self.work_started, self.work_finished = started, finished
            self.num_records_produced, self.work, self.records = produced, work, None


class _Failing:
    """The records of a work unit whose reading failed: the same error again."""

    def __init__(self, error):
        self.error = error

    def __iter__(self):
        return self

    def __next__(self):
        raise self.error


def _reader(handle) -> RuntimeReader:
    """The reader or queue behind a handle (the JAX executor hands host steps 0-d arrays)."""
    return handle.item() if isinstance(handle, np.ndarray) else handle


def _reader_infer(inputs, attrs):
    return [(dtypes.resource, tensor_shape.TensorShape([]))]


def _reader_kernel(ctx, op):
    shared = op._attrs.get("shared_name") or b""
    key = ("shared reader", shared) if shared else op
    return ctx.op_state(key, lambda: RuntimeReader(op))


def _strings(values) -> np.ndarray:
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out


def _read_kernel(ctx, op, reader, queue):
    ((key, value),) = _reader(reader).read_up_to(op, _reader(queue), 1)
    return np.array(key, dtype=object), np.array(value, dtype=object)


def _read_up_to_kernel(ctx, op, reader, queue, num_records):
    n = int(num_records)
    if n < 0:  # TF's kernel aborts the process here
        raise errors.InvalidArgumentError(
            None, op, f"num_records must be non-negative, got {n} (op '{op.name}')"
        )
    records = _reader(reader).read_up_to(op, _reader(queue), n) if n else []
    return _strings([k for k, _ in records]), _strings([v for _, v in records])


def _counter_kernel(name):
    def kernel(ctx, op, reader):
        reader = _reader(reader)
        with reader.lock:
            return np.int64(getattr(reader, name))

    return kernel


def _serialize_kernel(ctx, op, reader):
    return np.array(_reader(reader).serialize(op), dtype=object)


def _restore_kernel(ctx, op, reader, state):
    state = state.item() if isinstance(state, np.ndarray) else state
    _reader(reader).restore(op, state.encode() if isinstance(state, str) else bytes(state))
    return ()


def _reset_kernel(ctx, op, reader):
    reader = _reader(reader)
    with reader.lock:
        reader.reset()
    return ()


def _read_infer(inputs, attrs):
    return [(dtypes.string, tensor_shape.TensorShape([]))] * 2


def _read_up_to_infer(inputs, attrs):
    if inputs[2].dtype.base_dtype != dtypes.int64:
        raise TypeError(
            f"Input 'num_records' of 'ReaderReadUpToV2' Op has type {inputs[2].dtype.name} "
            "that does not match expected type of int64."
        )
    inputs[2].shape.assert_is_compatible_with(tensor_shape.TensorShape([]))
    return [(dtypes.string, tensor_shape.TensorShape([None]))] * 2


def _scalar(dtype):
    return lambda inputs, attrs: [(dtype, tensor_shape.TensorShape([]))]


def _restore_infer(inputs, attrs):
    inputs[1].shape.assert_is_compatible_with(tensor_shape.TensorShape([]))
    return []


_FACTS = {"grad": NOT_DIFFERENTIABLE, "stateful": True}  # readers are state; no gradients

for _type in _KINDS:
    register_op(_type, _reader_infer, kernel=_reader_kernel, **_FACTS)
register_op("ReaderReadV2", _read_infer, kernel=_read_kernel, **_FACTS)
register_op("ReaderReadUpToV2", _read_up_to_infer, kernel=_read_up_to_kernel, **_FACTS)
register_op(
    "ReaderNumRecordsProducedV2",
    _scalar(dtypes.int64),
    kernel=_counter_kernel("num_records_produced"),
    **_FACTS,
)
register_op(
    "ReaderNumWorkUnitsCompletedV2",
    _scalar(dtypes.int64),
    kernel=_counter_kernel("work_finished"),
    **_FACTS,
)
register_op("ReaderSerializeStateV2", _scalar(dtypes.string), kernel=_serialize_kernel, **_FACTS)
register_op("ReaderRestoreStateV2", _restore_infer, kernel=_restore_kernel, **_FACTS)
register_op("ReaderResetV2", lambda i, a: [], kernel=_reset_kernel, **_FACTS)
