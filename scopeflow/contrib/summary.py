"""``tf.contrib.summary``: TF 1.x's v2-style summaries (TPUEstimator ``host_call``s, TF's
official models), built in the graph as TF 1.15 builds them.

A writer from ``create_file_writer`` is a ``SummaryWriter`` handle whose events file opens when
its ``init()`` op (also in ``summary_writer_initializer_op()``) runs. Inside
``writer.as_default()`` and a recording context (``always_record_summaries``,
``record_summaries_every_n_global_steps``), ``scalar``/``histogram``/``image``/``audio``/
``generic`` make a write op and return a bool tensor (``True``, after the write); not recording,
``False``; with no default writer, a ``NoOp``. The ops are in ``all_summary_ops()``; run them
with the training step. Tags and values are those of ``tf.summary`` (``family`` and name
scopes included); each event has the given ``step`` (the global step by default). Events files
are ``tf.summary.FileWriter``'s (suffix ``.v2``), read by ``tf.train.summary_iterator`` and
TensorBoard.

>>> import os, tempfile
>>> import scopeflow as tf
>>> tmp = tempfile.TemporaryDirectory()
>>> logdir = tmp.name
>>> with tf.Graph().as_default():
...     writer = tf.contrib.summary.create_file_writer(logdir)
...     with writer.as_default(), tf.contrib.summary.always_record_summaries():
...         wrote = tf.contrib.summary.scalar("loss", 0.25, step=7)
...     with tf.Session() as sess:
...         _ = sess.run(tf.contrib.summary.summary_writer_initializer_op())
...         print(sess.run(wrote))
...         _ = sess.run(writer.close())
True
>>> path = os.path.join(logdir, os.listdir(logdir)[0])
>>> [(e.step, v.tag, v.simple_value) for e in tf.train.summary_iterator(path)
...  for v in e.summary.value]
[(7, 'loss', 0.25)]
>>> tmp.cleanup()
"""

from __future__ import annotations

import contextlib
import logging
import os

from scopeflow.framework import dtypes
from scopeflow.framework.constant import constant, convert_to_tensor
from scopeflow.framework.defaults import get_default_graph
from scopeflow.framework.graph_api import (
    add_to_collection,
    control_dependencies,
    device,
    get_name_scope,
    name_scope,
)
from scopeflow.framework.tensor import Tensor
from scopeflow.ops.array.basic import identity
from scopeflow.ops.control.cond import cond
from scopeflow.ops.control.grouping import no_op
from scopeflow.ops.core.infer import apply_op
from scopeflow.ops.math.elementwise import equal, floormod
from scopeflow.summary import default_writer, summary_ops, writer_ops
from scopeflow.summary.default_writer import all_v2_summary_ops as all_summary_ops
from scopeflow.summary.default_writer import initialize, summary_writer_initializer_op
from scopeflow.train import training_util

_log = logging.getLogger("tensorflow")
_SUMMARY_KEY = default_writer.SUMMARY_V2_KEY  # the summary ops made with a default writer
_state = default_writer.state  # this thread's default writer and recording condition


class SummaryWriter:
    """A handle to a summary writer the session keeps (``create_file_writer`` makes them)."""

    def __init__(self, resource, init_op):
        self._resource = resource
        self._init_op = init_op

    def set_as_default(self) -> None:
        """Makes this the default writer of this thread from now on."""
        _state.writer = self

    @contextlib.contextmanager
    def as_default(self):
        """Makes this the default writer inside the ``with`` block."""
        old = _state.writer
        _state.writer = self
        try:
            yield self
        finally:
            _state.writer = old

    def init(self):
        """The op opening this writer's events file (running it again changes nothing)."""
        return self._init_op

    def flush(self):
        """An op writing what this writer holds to its file."""
        return flush(writer=self)

    def close(self):
        """An op flushing and closing this writer; writes fail until ``init`` runs again
        (into a new file)."""
        with control_dependencies([self.flush()]), device("cpu:0"):
            return get_default_graph().create_op("CloseSummaryWriter", [self._resource], {})


class _NoopSummaryWriter(SummaryWriter):
    """``create_file_writer(None)``: acts as a writer and writes nothing."""

    def __init__(self):
        super().__init__(None, None)

    def set_as_default(self) -> None:
        pass

    @contextlib.contextmanager
    def as_default(self):
        yield self

    def init(self):
        return no_op()

    def flush(self):
        return no_op()

    def close(self):
        return no_op()


def create_file_writer(logdir, max_queue=None, flush_millis=None, filename_suffix=None, name=None):
    """A ``SummaryWriter`` writing to an events file in ``logdir`` (made when its init op
    runs): events wait in a queue of ``max_queue`` (10) and reach the disk at least every
    ``flush_millis`` (120000); the file name ends with ``filename_suffix`` (``.v2``). ``name``
    is the writer's shared name. ``logdir=None`` gives a writer that writes nothing."""
    if logdir is None:
        return _NoopSummaryWriter()
    logdir = str(logdir)
    with device("cpu:0"):
        if max_queue is None:
            max_queue = constant(10)
        if flush_millis is None:
            flush_millis = constant(2 * 60 * 1000)
        if filename_suffix is None:
            filename_suffix = constant(".v2")
        resource = apply_op("SummaryWriter", [], {"shared_name": name or "", "container": ""})
        with name_scope("CreateSummaryFileWriter") as scope:
            inputs = [
                convert_to_tensor(logdir, dtypes.string, name="logdir"),
                convert_to_tensor(max_queue, dtypes.int32, name="max_queue"),
                convert_to_tensor(flush_millis, dtypes.int32, name="flush_millis"),
                convert_to_tensor(filename_suffix, dtypes.string, name="filename_suffix"),
            ]
            init_op = resource.graph.create_op(
                "CreateSummaryFileWriter", [resource, *inputs], {}, scope
            )
    add_to_collection(writer_ops.WRITER_INIT_KEY, init_op)
    return SummaryWriter(resource, init_op)


def create_summary_file_writer(*args, **kwargs):
    """``create_file_writer``'s old name (logs a deprecation warning, as TF)."""
    _log.warning(
        "Deprecation Warning: create_summary_file_writer was renamed to create_file_writer"
    )
    return create_file_writer(*args, **kwargs)


@contextlib.contextmanager
def _recording(condition):
    old = _state.is_recording
    _state.is_recording = condition
    try:
        yield
    finally:
        _state.is_recording = old


def always_record_summaries():
    """Summaries made inside are written whenever their ops run."""
    return _recording(True)


def never_record_summaries():
    """Summaries made inside are never written."""
    return _recording(False)


def record_summaries_every_n_global_steps(n, global_step=None):
    """Summaries made inside are written when ``global_step % n == 0`` (the global step is
    created if missing)."""
    if global_step is None:
        global_step = training_util.get_or_create_global_step()
    with device("cpu:0"):
        should = equal(floormod(global_step, n), 0)
    return _recording(should)


def should_record_summaries():
    """A bool tensor: whether summaries made here are written (``False`` without a default
    writer or recording context)."""
    if _state.writer is None or _state.is_recording is None:
        return constant(False)
    condition = _state.is_recording
    return condition if isinstance(condition, Tensor) else constant(bool(condition))


def _choose_step(step):
    if step is None:
        return convert_to_tensor(training_util.get_or_create_global_step())
    return convert_to_tensor(step, None if isinstance(step, Tensor) else dtypes.int64)


def _summary_op(name, tensor, write, family=None):
    """The write op ``write(tag, scope)`` makes, as TF's ``summary_writer_function``: a bool
    tensor true after writing (a ``cond`` on a tensor condition), or a ``NoOp`` without a
    default writer; added to ``all_summary_ops()``."""
    if _state.writer is None:
        return no_op()
    outer = get_name_scope()

    def record():
        with name_scope(outer + "/" if outer else ""):
            with summary_ops._summary_scope(name, family, [tensor]) as (tag, scope):
                with control_dependencies([write(tag, scope)]):
                    return constant(True)

    with device("cpu:0"):
        condition = _state.is_recording
        if isinstance(condition, Tensor):
            op = cond(condition, record, lambda: constant(False))
        else:
            op = record() if condition else constant(False)
    add_to_collection(_SUMMARY_KEY, op)
    return op


def _write(op_type: str, inputs: list, attrs: dict, step, scope: str):
    writer = _state.writer._resource
    step = _choose_step(step)
    return get_default_graph().create_op(op_type, [writer, step, *inputs], attrs, scope)


def scalar(name, tensor, family=None, step=None):
    """Writes the number ``tensor`` (``simple_value``), tagged as ``tf.summary.scalar``."""

    def write(tag, scope):
        value = identity(tensor)
        tag_t = convert_to_tensor(tag, name="tag")
        attrs = {"T": value.dtype.base_dtype}
        return _write("WriteScalarSummary", [tag_t, value], attrs, step, scope)

    return _summary_op(name, tensor, write, family)


def histogram(name, tensor, family=None, step=None):
    """Writes a histogram of ``tensor`` in TF's default buckets (a NaN or Inf fails)."""

    def write(tag, scope):
        value = identity(tensor)
        tag_t = convert_to_tensor(tag, name="tag")
        attrs = {"T": value.dtype.base_dtype}
        return _write("WriteHistogramSummary", [tag_t, value], attrs, step, scope)

    return _summary_op(name, tensor, write, family)


def image(name, tensor, bad_color=None, max_images=3, family=None, step=None):
    """Writes up to ``max_images`` PNGs of ``tensor`` ``[batch, h, w, 1|3|4]`` (tags
    ``<tag>/image/<i>``, ``<tag>/image`` for one); non-finite pixels get ``bad_color`` (red)."""

    def write(tag, scope):
        color = [255, 0, 0, 255] if bad_color is None else bad_color
        color_t = convert_to_tensor(color, dtypes.uint8)
        value = identity(tensor)
        tag_t = convert_to_tensor(tag, name="tag")
        attrs = {"T": value.dtype.base_dtype, "max_images": int(max_images)}
        return _write("WriteImageSummary", [tag_t, value, color_t], attrs, step, scope)

    return _summary_op(name, tensor, write, family)


def audio(name, tensor, sample_rate, max_outputs, family=None, step=None):
    """Writes up to ``max_outputs`` WAV clips of float32 ``tensor`` ``[batch, frames(,
    channels)]`` at ``sample_rate`` Hz."""

    def write(tag, scope):
        value = identity(tensor)
        tag_t = convert_to_tensor(tag, name="tag")
        rate = convert_to_tensor(sample_rate, dtypes.float32, name="sample_rate")
        attrs = {"max_outputs": int(max_outputs)}
        return _write("WriteAudioSummary", [tag_t, value, rate], attrs, step, scope)

    return _summary_op(name, tensor, write, family)


def generic(name, tensor, metadata=None, family=None, step=None):
    """Writes ``tensor`` itself (a ``TensorProto``) with ``metadata`` (a ``SummaryMetadata``
    or its bytes)."""

    def write(tag, scope):
        meta = metadata if metadata is not None else b""
        if hasattr(meta, "SerializeToString"):
            meta = meta.SerializeToString()
        value = identity(tensor)
        tag_t = convert_to_tensor(tag, name="tag")
        meta_t = convert_to_tensor(meta, dtypes.string)
        attrs = {"T": value.dtype.base_dtype}
        return _write("WriteSummary", [value, tag_t, meta_t], attrs, step, scope)

    return _summary_op(name, tensor, write, family)


def flush(writer=None, name=None):
    """An op writing what ``writer`` (default: the default writer; a ``NoOp`` without one)
    holds to its file."""
    if writer is None:
        writer = _state.writer
        if writer is None:
            return no_op()
    if isinstance(writer, _NoopSummaryWriter):
        return no_op()
    resource = writer._resource if isinstance(writer, SummaryWriter) else writer
    with device("cpu:0"):
        return writer_ops.flush_writer(resource, name)


def eval_dir(model_dir, name=None) -> str:
    """``model_dir/eval`` (``eval_<name>``), where evaluation summaries go."""
    return os.path.join(model_dir, "eval" if not name else "eval_" + name)


def _not_provided(what: str, instead: str):
    def refuse(*args, **kwargs):
        raise NotImplementedError(
            f"tf.contrib.summary.{what} is not supported by scopeflow: {instead}"
        )

    refuse.__name__ = what
    return refuse


create_db_writer = _not_provided("create_db_writer", "use create_file_writer (events files)")
graph = _not_provided("graph", "write the graph with tf.summary.FileWriter(logdir).add_graph")
import_event = _not_provided("import_event", "write events with tf.summary.FileWriter")

__all__ = [
    "SummaryWriter",
    "all_summary_ops",
    "always_record_summaries",
    "audio",
    "create_db_writer",
    "create_file_writer",
    "create_summary_file_writer",
    "eval_dir",
    "flush",
    "generic",
    "graph",
    "histogram",
    "image",
    "import_event",
    "initialize",
    "never_record_summaries",
    "record_summaries_every_n_global_steps",
    "scalar",
    "should_record_summaries",
    "summary_writer_initializer_op",
]
