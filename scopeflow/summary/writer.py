"""``tf.summary.FileWriter``: events files TensorBoard reads, written as TF1 writes them.

A writer owns one events file, ``events.out.tfevents.<seconds>.<hostname><suffix>`` in its log
directory, which starts with a ``file_version: "brain.Event:2"`` event. ``add_summary`` and its
siblings stamp an ``Event`` (wall time, step) and put its bytes on a bounded queue
(``max_queue``, as TF1's ``EventFileWriter``: a full queue makes the caller wait); a
background thread frames each as a TFRecord (masked CRC-32C) and writes what is queued with
one ``write`` call, so a step never waits for the disk, and a process that dies leaves a file
of whole records. ``flush`` returns once everything queued is on disk (and synced, as TF's
``EventsWriter::Flush``); the thread also syncs every ``flush_secs``. ``close`` flushes and
stops the thread; ``reopen`` starts a new file for later events.
"""

from __future__ import annotations

import functools
import logging
import os
import socket
import struct
import threading
import time

import numpy as np

from scopeflow.framework import errors
from scopeflow.framework.defaults import get_default_graph
from scopeflow.graph_io import meta_graph
from scopeflow.summary import graph_export, protos, records, wire

_log = logging.getLogger("tensorflow")

_CLOSE = object()  # the queue item that stops the writer thread
_SOURCE = wire.len_field(10, wire.len_field(1, b"scopeflow"))  # source_metadata {writer}


def _event_head(wall_time: float, step) -> bytes:
    """The start of an ``Event``: wall_time (1) and step (2); its other fields follow."""
    return struct.pack("<Bd", 0x09, wall_time) + wire.int_field(2, int(step or 0))


def _event_bytes(wall_time: float, step, *fields: bytes) -> bytes:
    """An ``Event``: wall_time, step, then ``fields`` (already encoded)."""
    return _event_head(wall_time, step) + b"".join(fields)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


class EventFileWriter:
    """Writes serialized ``Event``s to one events file from a background thread.

    Events wait in a list of at most ``max_queue``; the thread takes the whole list when it is
    full (the adding thread then waits for it, as on TF1's full queue), when ``flush`` or
    ``close`` asks, and every ``flush_secs``, so a step pays no thread switch per event.
    """

    def __init__(self, logdir, max_queue: int = 10, flush_secs: float = 120, filename_suffix=None):
        self._logdir = os.fspath(logdir)
        if os.path.exists(self._logdir) and not os.path.isdir(self._logdir):  # TF's words
            raise errors.FailedPreconditionError(None, None, f"{self._logdir} is not a directory")
        os.makedirs(self._logdir, exist_ok=True)
        self._suffix = filename_suffix or ""
        self._flush_secs = flush_secs
        self._max_queue = max(int(max_queue), 1)
        self._cond = threading.Condition()
        self._pending: list[tuple[bytes, ...]] = []
        self._added = self._written = self._wanted = 0  # event counts: added, on disk, asked
        self._stop = False
        self._fd: int | None = None
        self._path = None
        self._error: BaseException | None = None
        self._closed = False
        self._open_file()
        self._thread = self._start()

    def _open_file(self) -> None:
        now = int(time.time())
        name = f"events.out.tfevents.{now:010d}.{socket.gethostname()}{self._suffix}"
        self._path = os.path.join(self._logdir, name)
        self._fd = os.open(self._path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        version = _event_bytes(float(now), None, wire.len_field(3, b"brain.Event:2"), _SOURCE)
        _write_all(self._fd, records.encode_record(version))

    def _start(self) -> threading.Thread:
        self._stop = False
        thread = threading.Thread(target=self._run, name="EventLoggerThread", daemon=True)
        thread.start()
        return thread

    def _take(self, deadline: float) -> tuple[list, bool]:
        """Waits (until ``deadline`` at most) for a batch to write: the pending events and
        whether to stop after it."""
        with self._cond:
            while not (
                self._stop
                or len(self._pending) >= self._max_queue
                or (self._pending and self._wanted > self._written)
            ):
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                self._cond.wait(left)
            batch, self._pending = self._pending, []
            self._cond.notify_all()  # room again for a waiting add_event
            return batch, self._stop

    def _run(self) -> None:
        next_sync = time.monotonic() + self._flush_secs
        while True:
            batch, stop = self._take(next_sync)
            try:
                if self._error is None:
                    parts = [piece for e in batch for piece in records.record_pieces(e)]
                    _write_all(self._fd, b"".join(parts))
                    if time.monotonic() >= next_sync and self._fd is not None:
                        os.fsync(self._fd)
            except OSError as e:  # reported by the next add_event, flush or close
                self._error = e
            if time.monotonic() >= next_sync:
                next_sync = time.monotonic() + self._flush_secs
            with self._cond:
                self._written += len(batch)
                self._cond.notify_all()
            if stop:
                return

    def _raise_error(self) -> None:
        if self._error is not None:
            error, self._error = self._error, None
            raise error

    def get_logdir(self) -> str:
        return self._logdir

    def add_event(self, event: bytes | tuple[bytes, ...]) -> None:
        """Queues a serialized ``Event``, or the pieces that joined are one (dropped once
        closed, as TF1)."""
        if isinstance(event, bytes):
            event = (event,)
        self._raise_error()
        with self._cond:
            if self._closed:
                return
            if self._fd is None:
                self._open_file()
            self._pending.append(event)
            self._added += 1
            if len(self._pending) >= self._max_queue:
                self._cond.notify_all()
                while len(self._pending) >= self._max_queue and self._thread.is_alive():
                    self._cond.wait(1.0)

    def _wait_written(self) -> None:
        with self._cond:
            self._wanted = max(self._wanted, self._added)
            self._cond.notify_all()
            while self._written < self._wanted and self._thread.is_alive():
                self._cond.wait(1.0)

    def flush(self) -> None:
        """Returns once every queued event is written to the file and synced."""
        self._wait_written()
        if self._fd is not None:
            os.fsync(self._fd)
        self._raise_error()

    def close(self) -> None:
        """Writes what is queued, syncs and closes the file; later events are dropped until
        ``reopen``."""
        if self._closed:
            return
        self._wait_written()
        with self._cond:
            self._stop = True
            self._closed = True
            self._cond.notify_all()
        self._thread.join()
        if self._fd is not None:
            os.fsync(self._fd)
            os.close(self._fd)
            self._fd = None
        self._raise_error()

    def reopen(self) -> None:
        """After ``close``: events go to a new file again (created on the first one)."""
        if self._closed:
            self._closed = False
            self._thread = self._start()


@functools.cache
def _probe_class():
    """A message reading a ``Summary`` as only its values' tags and metadata (as bytes), the
    rest of each value skipped by the C parser (proto2, so metadata's presence is known)."""
    from google.protobuf import descriptor_pb2, descriptor_pool, message_factory

    field = descriptor_pb2.FieldDescriptorProto
    file_proto = descriptor_pb2.FileDescriptorProto(
        name="scopeflow_summary_probe.proto", package="scopeflow_probe", syntax="proto2"
    )
    value = file_proto.message_type.add(name="Value")
    value.field.add(name="tag", number=1, type=field.TYPE_BYTES, label=field.LABEL_OPTIONAL)
    value.field.add(name="metadata", number=9, type=field.TYPE_BYTES, label=field.LABEL_OPTIONAL)
    summary = file_proto.message_type.add(name="Summary")
    summary.field.add(
        name="value",
        number=1,
        type=field.TYPE_MESSAGE,
        label=field.LABEL_REPEATED,
        type_name=".scopeflow_probe.Value",
    )
    pool = descriptor_pool.DescriptorPool()
    pool.Add(file_proto)
    return message_factory.GetMessageClass(pool.FindMessageTypeByName("scopeflow_probe.Summary"))


class _SeenTags:
    """TF1's rule for ``add_summary``: a value keeps its metadata only if no earlier value had
    its tag. Done without a Python loop over the values in the common case: the C parser
    reduces a summary to its tags and metadata; when that holds no byte 0x4A (metadata's
    field key, or a "J" in a tag) the summary is kept whole and its tags are remembered as
    that compact form, to be indexed only once some summary does carry metadata."""

    def __init__(self, summary_class):
        self._summary_class = summary_class
        self._seen: set[bytes] = set()
        self._pending: set[bytes] = set()  # compact forms of summaries not indexed yet
        self._lock = threading.Lock()

    def strip(self, raw: bytes) -> bytes:
        """``raw`` with the metadata of already seen tags removed."""
        with self._lock:  # writers are shared between threads (hooks, the training loop)
            return self._strip(raw)

    def _strip(self, raw: bytes) -> bytes:
        probe = _probe_class().FromString(raw)
        probe.DiscardUnknownFields()
        compact = probe.SerializeToString()
        if b"J" not in compact:
            self._pending.add(compact)
            return raw
        for pending in self._pending:
            self._seen.update(v.tag for v in _probe_class().FromString(pending).value)
        self._pending.clear()
        stripped = []
        for i, value in enumerate(probe.value):
            if value.tag not in self._seen:
                self._seen.add(value.tag)
            elif value.HasField("metadata"):
                stripped.append(i)
        if not stripped:
            return raw
        summary = self._summary_class.FromString(raw)
        for i in stripped:
            summary.value[i].ClearField("metadata")
        return summary.SerializeToString()


class FileWriter:
    """Writes summaries, the graph and session logs to an events file in ``logdir``, for
    TensorBoard (``tensorboard --logdir LOGDIR``), as TF1's ``tf.summary.FileWriter``.

    >>> import scopeflow as tf
    >>> import tempfile
    >>> loss = tf.placeholder(tf.float32, [], name="loss")
    >>> merged = tf.summary.merge([tf.summary.scalar("loss", loss)])
    >>> with tf.summary.FileWriter(tempfile.mkdtemp(), tf.get_default_graph()) as writer:
    ...     with tf.Session() as sess:
    ...         for step in range(3):
    ...             writer.add_summary(sess.run(merged, {loss: 1.0 / (step + 1)}), step)

    Args:
        logdir: the directory (made if missing).
        graph: a ``tf.Graph`` to show in TensorBoard's Graphs tab (``graph_def``: a
            ``GraphDef`` proto, deprecated in TF1 too).
        max_queue: events queued before ``add_*`` waits for the writer thread.
        flush_secs: how often the thread syncs the file to disk.
        filename_suffix: appended to the events file's name.
        session: TF2's summary writer resource: not supported.

    Raises:
        ImportError: the ``tensorboard`` package is missing (``pip install
            scopeflow[tensorboard]``).
    """

    def __init__(
        self,
        logdir,
        graph=None,
        max_queue=10,
        flush_secs=120,
        graph_def=None,
        filename_suffix=None,
        session=None,
    ):
        if session is not None:
            raise NotImplementedError(
                "FileWriter(session=...) writes through TF2's summary ops, which scopeflow "
                "does not have: leave session=None."
            )
        self._summary_class = protos.proto_module("summary_pb2").Summary
        self.event_writer = EventFileWriter(logdir, max_queue, flush_secs, filename_suffix)
        self._seen_tags = _SeenTags(self._summary_class)
        self._session_run_tags: set[str] = set()
        if graph is not None or graph_def is not None:
            self.add_graph(graph=graph, graph_def=graph_def)
            self._add_meta_graph_of(graph if graph is not None else graph_def)

    def __enter__(self):
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def get_logdir(self) -> str:
        """The directory this writer writes to."""
        return self.event_writer.get_logdir()

    def _add(self, global_step, *fields: bytes) -> None:
        self.event_writer.add_event((_event_head(time.time(), global_step), *fields))

    def add_summary(self, summary, global_step=None) -> None:
        """Adds a ``Summary`` (a proto, or the bytes a summary op returns) at ``global_step``.

        As TF1, only the first value with a given tag keeps its ``metadata``.
        """
        if isinstance(summary, np.ndarray):  # what Session.run returns for a summary op
            summary = summary.item()
        raw = summary if isinstance(summary, bytes) else summary.SerializeToString()
        raw = self._seen_tags.strip(raw)
        self._add(global_step, b"\x2a" + wire.varint(len(raw)), raw)  # Event.summary (5)

    def add_session_log(self, session_log, global_step=None) -> None:
        """Adds a ``tf.SessionLog`` (START, STOP, CHECKPOINT) at ``global_step``."""
        self._add(global_step, wire.len_field(7, session_log.SerializeToString()))

    def add_event(self, event) -> None:
        """Adds a ``tf.Event`` as it is (its wall time and step are the caller's)."""
        self.event_writer.add_event(event.SerializeToString())

    def add_graph(self, graph, global_step=None, graph_def=None) -> None:
        """Adds ``graph`` (a ``tf.Graph``; or a ``GraphDef`` proto, deprecated) for
        TensorBoard's Graphs tab, its name scopes shown as collapsible groups."""
        if graph is not None and graph_def is not None:
            raise ValueError("Please pass only graph, or graph_def (deprecated), but not both.")
        given = graph if graph is not None else graph_def
        if hasattr(given, "get_operations"):
            serialized = graph_export.graph_def_bytes(given)
        elif hasattr(given, "SerializeToString") and hasattr(given, "node"):
            serialized = given.SerializeToString()
        else:
            raise TypeError(
                "The passed graph must be an instance of `Graph` or the deprecated `GraphDef`"
            )
        self._add(global_step, wire.len_field(4, serialized))

    def _add_meta_graph_of(self, given) -> None:
        """As TF1's constructor: after the graph, its ``MetaGraphDef`` (the collections
        TensorBoard lists, of the default graph when only a ``GraphDef`` is given)."""
        is_graph = hasattr(given, "get_operations")
        try:
            meta = meta_graph.build_meta_graph(given if is_graph else get_default_graph())
        except (TypeError, ValueError) as e:  # an op TensorFlow has no encoding for
            _log.warning("FileWriter: the graph's MetaGraphDef is not written: %s", e)
            return
        if not is_graph:
            meta.graph_def.CopyFrom(given)
        self.add_meta_graph(meta)

    def add_meta_graph(self, meta_graph_def, global_step=None) -> None:
        """Adds a ``MetaGraphDef`` proto."""
        if not hasattr(meta_graph_def, "SerializeToString"):
            raise TypeError(
                f"meta_graph_def must be type MetaGraphDef, saw type: {type(meta_graph_def)}"
            )
        self._add(global_step, wire.len_field(9, meta_graph_def.SerializeToString()))

    def add_run_metadata(self, run_metadata, tag, global_step=None) -> None:
        """Adds a ``tf.RunMetadata`` under ``tag`` (each tag once, as TF1); scopeflow's
        sessions record no step statistics, so TensorBoard shows no compute times."""
        if tag in self._session_run_tags:
            raise ValueError("The provided tag was already used for this event type")
        self._session_run_tags.add(tag)
        serialize = getattr(run_metadata, "SerializeToString", None)
        metadata = serialize() if serialize is not None else b""
        tagged = wire.len_field(1, str(tag).encode()) + wire.len_field(2, metadata)
        self._add(global_step, wire.len_field(8, tagged))

    def flush(self) -> None:
        """Writes every event added so far to disk."""
        self.event_writer.flush()

    def close(self) -> None:
        """Flushes and closes the events file."""
        self.event_writer.close()

    def reopen(self) -> None:
        """After ``close``, writes later events to a new events file."""
        self.event_writer.reopen()


class FileWriterCache:
    """One ``FileWriter`` per log directory for the whole process, as TF1's."""

    _cache: dict = {}
    _lock = threading.RLock()

    @staticmethod
    def get(logdir) -> FileWriter:
        """The writer for ``logdir``, made (with the default graph) on first use."""
        with FileWriterCache._lock:
            if logdir not in FileWriterCache._cache:
                FileWriterCache._cache[logdir] = FileWriter(logdir, graph=get_default_graph())
            return FileWriterCache._cache[logdir]

    @staticmethod
    def clear() -> None:
        """Closes and forgets every cached writer."""
        with FileWriterCache._lock:
            for writer in FileWriterCache._cache.values():
                writer.close()
            FileWriterCache._cache = {}


__all__ = ["FileWriter", "FileWriterCache"]
