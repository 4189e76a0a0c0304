"""TF1's readers: ``tf.ReaderBase`` and ``tf.TFRecordReader``, ``tf.TextLineReader``,
``tf.WholeFileReader``, ``tf.FixedLengthRecordReader``, ``tf.IdentityReader``, graph builders
over the ops of ``reader_ops`` with TF's op names (``TextLineReaderV2``, ``ReaderReadV2``...).

>>> import os, tempfile
>>> import scopeflow as tf
>>> path = os.path.join(tempfile.mkdtemp(), "a.csv")
>>> _ = open(path, "w").write("x,y\\n1,2\\n")
>>> with tf.Graph().as_default():
...     files = tf.train.string_input_producer([path], num_epochs=1)
...     key, value = tf.TextLineReader(skip_header_lines=1).read(files)
...     with tf.Session() as sess:
...         sess.run(tf.local_variables_initializer())
...         coord = tf.train.Coordinator()
...         threads = tf.train.start_queue_runners(sess, coord)
...         print(sess.run(value))
...         coord.request_stop()
...         coord.join(threads)
b'1,2'
"""

from __future__ import annotations

import collections

from scopeflow.framework import dtypes, undo
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.defaults import get_default_graph
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.tensor import Tensor
from scopeflow.ops.core.infer import apply_op
from scopeflow.summary.record_options import TFRecordOptions
from scopeflow.train import reader_ops  # noqa: F401  (registers the op types)

ReaderReadV2 = collections.namedtuple("ReaderReadV2", ["key", "value"])
ReaderReadUpToV2 = collections.namedtuple("ReaderReadUpToV2", ["keys", "values"])


def _make_reader(op_type: str, attrs: dict, name):
    attrs = {**attrs, "container": b"", "shared_name": b""}
    return apply_op(op_type, [], attrs, name=name or op_type)


def _queue_ref(queue):
    return queue if isinstance(queue, Tensor) else queue.queue_ref


class ReaderBase:
    """A reader: turns work units (file names) dequeued from a queue into records, one
    ``(key, value)`` per ``read``; its state lives in the session."""

    def __init__(self, reader_ref, supports_serialize=False):
        self._reader_ref = reader_ref
        self._supports_serialize = supports_serialize

    @property
    def reader_ref(self):
        """The reader's resource handle."""
        return self._reader_ref

    @property
    def supports_serialize(self) -> bool:
        """Whether ``serialize_state`` works for this reader."""
        return self._supports_serialize

    @undo.atomic
    def read(self, queue, name=None):
        """The next record ``(key, value)`` (string scalars), dequeuing a work unit from
        ``queue`` (a queue or its handle) when the last one is used up."""
        inputs = [self._reader_ref, _queue_ref(queue)]
        return ReaderReadV2(*apply_op("ReaderReadV2", inputs, {}, name=name or "ReaderReadV2"))

    @undo.atomic
    def read_up_to(self, queue, num_records, name=None):
        """Up to ``num_records`` records ``(keys, values)`` (string vectors): fewer when a
        work unit ends on the way."""
        with name_scope(name, "ReaderReadUpToV2") as scope:
            if isinstance(num_records, Tensor):
                n = num_records
            else:
                n = convert_to_tensor(num_records, dtype=dtypes.int64, name="num_records")
            inputs = [self._reader_ref, _queue_ref(queue), n]
            graph = get_default_graph()
            op = graph.create_op("ReaderReadUpToV2", inputs, {}, name=scope)
        return ReaderReadUpToV2(*op.outputs)

    @undo.atomic
    def num_records_produced(self, name=None):
        """An int64 scalar: the records read so far."""
        op_type = "ReaderNumRecordsProducedV2"
        return apply_op(op_type, [self._reader_ref], {}, name=name or op_type)

    @undo.atomic
    def num_work_units_completed(self, name=None):
        """An int64 scalar: the work units finished so far."""
        op_type = "ReaderNumWorkUnitsCompletedV2"
        return apply_op(op_type, [self._reader_ref], {}, name=name or op_type)

    @undo.atomic
    def serialize_state(self, name=None):
        """A string scalar holding the reader's state (``UnimplementedError`` when run for a
        reader that cannot serialize it)."""
        op_type = "ReaderSerializeStateV2"
        return apply_op(op_type, [self._reader_ref], {}, name=name or op_type)

    @undo.atomic
    def restore_state(self, state, name=None):
        """An op setting the reader's state to ``state`` (from ``serialize_state``)."""
        with name_scope(name, "ReaderRestoreStateV2") as scope:
            state = convert_to_tensor(state, dtype=dtypes.string, name="state")
            return get_default_graph().create_op(
                "ReaderRestoreStateV2", [self._reader_ref, state], {}, name=scope
            )

    @undo.atomic
    def reset(self, name=None):
        """An op returning the reader to its first state (no work, no records read)."""
        return get_default_graph().create_op(
            "ReaderResetV2", [self._reader_ref], {}, name=name or "ReaderResetV2"
        )


class WholeFileReader(ReaderBase):
    """A reader whose record is a whole file: (its name, its contents)."""

    @undo.atomic
    def __init__(self, name=None):
        super().__init__(_make_reader("WholeFileReaderV2", {}, name), supports_serialize=True)


class TextLineReader(ReaderBase):
    """A reader of the lines of text files (``"<file>:<line number>"``, the line without its
    newline), skipping ``skip_header_lines`` at the start of each file."""

    @undo.atomic
    def __init__(self, skip_header_lines=None, name=None):
        attrs = {"skip_header_lines": int(skip_header_lines or 0)}
        super().__init__(_make_reader("TextLineReaderV2", attrs, name))


class FixedLengthRecordReader(ReaderBase):
    """A reader of ``record_bytes``-long records after ``header_bytes`` and before
    ``footer_bytes``, one every ``hop_bytes`` (0: back to back); ``encoding`` ``"GZIP"`` or
    ``"ZLIB"`` for compressed files."""

    @undo.atomic
    def __init__(
        self,
        record_bytes,
        header_bytes=None,
        footer_bytes=None,
        hop_bytes=None,
        name=None,
        encoding=None,
    ):
        encoding = encoding or ""
        if encoding not in ("", "GZIP", "ZLIB"):
            raise NotImplementedError(
                f"FixedLengthRecordReader(encoding={encoding!r}): use 'GZIP', 'ZLIB' or None."
            )
        attrs = {
            "header_bytes": int(header_bytes or 0),
            "record_bytes": int(record_bytes),
            "footer_bytes": int(footer_bytes or 0),
            "hop_bytes": int(hop_bytes or 0),
            "encoding": encoding.encode(),
        }
        super().__init__(_make_reader("FixedLengthRecordReaderV2", attrs, name))


class TFRecordReader(ReaderBase):
    """A reader of the records of TFRecord files (``"<file>:<offset>"``, the record),
    compressed as ``options`` say (``tf.io.TFRecordOptions``, ``"GZIP"``, ``"ZLIB"``)."""

    @undo.atomic
    def __init__(self, name=None, options=None):
        kind = TFRecordOptions.get_compression_type_string(options)
        attrs = {"compression_type": kind.encode()}
        super().__init__(_make_reader("TFRecordReaderV2", attrs, name))


class IdentityReader(ReaderBase):
    """A reader whose record is its work unit itself, as both key and value."""

    @undo.atomic
    def __init__(self, name=None):
        super().__init__(_make_reader("IdentityReaderV2", {}, name), supports_serialize=True)


__all__ = [
    "FixedLengthRecordReader",
    "IdentityReader",
    "ReaderBase",
    "TFRecordReader",
    "TextLineReader",
    "WholeFileReader",
]
