"""The summary-writer ops of TF's v2 summaries (``tf.contrib.summary``): ``SummaryWriter`` (a
handle to a writer the session keeps), ``CreateSummaryFileWriter`` (opens its events file, once),
``WriteScalarSummary``, ``WriteHistogramSummary``, ``WriteImageSummary``,
``WriteAudioSummary``, ``WriteSummary`` (each writes one ``Event`` with the given step),
``FlushSummaryWriter`` and ``CloseSummaryWriter``.

The events file is the one ``tf.summary.FileWriter`` writes (``writer.EventFileWriter``); the
summary values are those of the ``tf.summary`` kernels (``summary_ops``). Writing before the
writer is initialized (or after it is closed) fails with ``NotFoundError``, as in TF; closing
the session closes its writers.
"""

from __future__ import annotations

import itertools
import os
import threading
import time

import numpy as np

from scopeflow.framework import dtypes, errors
from scopeflow.framework.registry import NOT_DIFFERENTIABLE, register_op
from scopeflow.framework.tensor_shape import TensorShape
from scopeflow.ops.control.assertions import node_note
from scopeflow.ops.core.infer import check_dtype_in
from scopeflow.summary import encode, summary_ops, wire
from scopeflow.summary.writer import EventFileWriter, _event_bytes

WRITER_INIT_KEY = "_SUMMARY_WRITER_V2"  # the collection of the file writers' init ops


def flush_writer(resource, name=None):
    """A ``FlushSummaryWriter`` op for the writer handle ``resource``."""
    return resource.graph.create_op("FlushSummaryWriter", [resource], {}, name)


# Numbers the files of this process, as TF's events writer does: two files opened in one second
# in one directory get different names (``...<host>.<pid>.<n><suffix>``).
_FILE_NUMBERS = itertools.count()


class RuntimeSummaryWriter:
    """What a ``SummaryWriter`` handle names in a session: an events file once created."""

    def __init__(self, name: str):
        self.name = name
        self.events: EventFileWriter | None = None
        self.lock = threading.Lock()

    def create(self, logdir: str, max_queue: int, flush_millis: int, suffix: str) -> None:
        with self.lock:
            if self.events is None:  # TF's LookupOrCreate: a second init changes nothing
                flush_secs = max(flush_millis, 1) / 1000.0
                unique = f".{os.getpid()}.{next(_FILE_NUMBERS)}{suffix}"
                self.events = EventFileWriter(logdir, max_queue, flush_secs, unique)

    def _opened(self, op) -> EventFileWriter:
        events = self.events
        if events is None:
            raise errors.NotFoundError(
                None,
                op,
                f"Resource localhost/{self.name} does not exist: the summary writer is not "
                "initialized (run tf.contrib.summary.summary_writer_initializer_op() or the "
                "writer's init() first)" + node_note(op),
            )
        return events

    def write(self, op, step, summary: bytes) -> None:
        event = _event_bytes(time.time(), int(step), wire.len_field(5, summary))
        self._opened(op).add_event(event)

    def flush(self, op) -> None:
        self._opened(op).flush()

    def close(self, op) -> None:
        with self.lock:
            events, self.events = self._opened(op), None
        events.close()

    def session_closed(self) -> None:
        with self.lock:
            events, self.events = self.events, None
        if events is not None:
            events.close()


def _writer(handle) -> RuntimeSummaryWriter:
    return handle.item() if isinstance(handle, np.ndarray) else handle


def _text(value) -> str:
    value = np.asarray(value, dtype=object).item() if isinstance(value, np.ndarray) else value
    return value.decode() if isinstance(value, bytes) else str(value)


def _summary_bytes(value) -> bytes:
    return bytes(np.asarray(value, dtype=object).item())


def _summary_writer_kernel(ctx, op):
    shared = op._attrs.get("shared_name") or ""
    key = ("summary writer", op._attrs.get("container") or "", shared) if shared else op
    return ctx.op_state(key, lambda: RuntimeSummaryWriter(shared or op.name))


def _create_kernel(ctx, op, handle, logdir, max_queue, flush_millis, suffix):
    _writer(handle).create(_text(logdir), int(max_queue), int(flush_millis), _text(suffix))
    return ()


def _scalar_kernel(ctx, op, handle, step, tag, value):
    if np.size(value) == 0:
        raise errors.InvalidArgumentError(
            None, op, "The value of a scalar summary must hold one number" + node_note(op)
        )
    tag = summary_ops._as_bytes(np.asarray(tag, dtype=object).item())
    summary = wire.summary_bytes([wire.scalar_value(tag, float(np.ravel(value)[0]))])
    _writer(handle).write(op, step, summary)
    return ()


def _histogram_kernel(ctx, op, handle, step, tag, values):
    tag = summary_ops._scalar_tag(op, tag, "tag")
    x = np.asarray(values, dtype=np.float64).ravel()
    bad = ~np.isfinite(x)
    if bad.any():  # TF's words here name the tag, and say "summary histogram" for both
        what = "Nan" if np.isnan(x[np.argmax(bad)]) else "Infinity"
        raise errors.InvalidArgumentError(
            None,
            op,
            f"{what} in summary histogram for: {tag.decode(errors='replace')}" + node_note(op),
        )
    stats, limits, counts = encode.histogram(x)
    histo = wire.histogram_proto(stats, limits, counts)
    _writer(handle).write(op, step, wire.summary_bytes([wire.histogram_value(tag, histo)]))
    return ()


def _image_kernel(ctx, op, handle, step, tag, tensor, bad_color):
    summary = summary_ops.image_summary(op, tag, tensor, op._attrs["max_images"], bad_color)
    _writer(handle).write(op, step, _summary_bytes(summary))
    return ()


def _audio_kernel(ctx, op, handle, step, tag, tensor, sample_rate):
    summary = summary_ops.audio_summary(op, tag, tensor, sample_rate, op._attrs["max_outputs"])
    _writer(handle).write(op, step, _summary_bytes(summary))
    return ()


_EMPTY_METADATA = wire.len_field(9, b"")


def _generic_kernel(ctx, op, handle, step, tensor, tag, metadata):
    summary = _summary_bytes(summary_ops._tensor_summary_kernel(ctx, op, tag, tensor, metadata))
    [(_, value)] = wire.summary_values(summary)
    if value.endswith(_EMPTY_METADATA):  # TF leaves out empty metadata here
        summary = wire.summary_bytes([value[: -len(_EMPTY_METADATA)]])
    _writer(handle).write(op, step, summary)
    return ()


def _flush_kernel(ctx, op, handle):
    _writer(handle).flush(op)
    return ()


def _close_kernel(ctx, op, handle):
    _writer(handle).close(op)
    return ()


def _write_infer(op_type: str, arg: str | None = None, allowed=()):
    def infer(inputs, attrs):
        if inputs[1].dtype.base_dtype != dtypes.int64:
            raise TypeError(
                f"Input 'step' of '{op_type}' Op has type {inputs[1].dtype.base_dtype.name} "
                "that does not match expected type of int64."
            )
        if arg is not None:
            check_dtype_in(op_type, arg, inputs[3], allowed)
        return []

    return infer


_FACTS = {"grad": NOT_DIFFERENTIABLE, "stateful": True}  # a writer is state; no gradients
_REAL = summary_ops._REAL

register_op(
    "SummaryWriter",
    lambda inputs, attrs: [(dtypes.resource, TensorShape([]))],
    kernel=_summary_writer_kernel,
    **_FACTS,
)
register_op("CreateSummaryFileWriter", lambda i, a: [], kernel=_create_kernel, **_FACTS)
register_op(
    "WriteScalarSummary",
    _write_infer("WriteScalarSummary", "value", _REAL),
    kernel=_scalar_kernel,
    **_FACTS,
)
register_op(
    "WriteHistogramSummary",
    _write_infer("WriteHistogramSummary", "values", _REAL),
    kernel=_histogram_kernel,
    **_FACTS,
)
register_op(
    "WriteImageSummary",
    _write_infer("WriteImageSummary", "tensor", (dtypes.uint8, dtypes.float32, dtypes.float16)),
    kernel=_image_kernel,
    **_FACTS,
)
register_op(
    "WriteAudioSummary",
    _write_infer("WriteAudioSummary", "tensor", (dtypes.float32,)),
    kernel=_audio_kernel,
    **_FACTS,
)
register_op("WriteSummary", _write_infer("WriteSummary"), kernel=_generic_kernel, **_FACTS)
register_op("FlushSummaryWriter", lambda i, a: [], kernel=_flush_kernel, **_FACTS)
register_op("CloseSummaryWriter", lambda i, a: [], kernel=_close_kernel, **_FACTS)
