"""``tf.train.Supervisor``: TF1's older training loop manager (the PTB language model's).

It picks the init, ready and local-init ops, the ``Saver``, the summary op and the global
step from the graph's collections (making the defaults TF makes), finalizes the graph, and
``managed_session`` yields a session that is restored from ``logdir`` or initialized, with
the queue runners started and, with a ``logdir``, threads saving summaries, steps per second
and checkpoints every ``save_summaries_secs``/``save_model_secs``. Leaving the block stops
them; an ``OutOfRangeError`` inside it ends it quietly, as in TF1.
"""

from __future__ import annotations

import contextlib
import logging
import os
import time

from scopeflow.framework import dtypes
from scopeflow.framework.defaults import get_default_graph
from scopeflow.framework.graph import GraphKeys
from scopeflow.graph_io import write_graph
from scopeflow.ops.control.grouping import group, no_op
from scopeflow.summary.protos import SessionLog, Summary
from scopeflow.summary.summary_ops import merge_all
from scopeflow.summary.writer import FileWriter
from scopeflow.train.coordinator import Coordinator, LooperThread
from scopeflow.train.saver import Saver
from scopeflow.train.session_manager import SessionManager
from scopeflow.train.training_util import global_step as read_global_step
from scopeflow.variables.collections import (
    global_variables,
    global_variables_initializer,
    local_variables_initializer,
    report_uninitialized_variables,
)

_log = logging.getLogger("tensorflow")


class Supervisor:
    """Initializes or restores a model, runs its queue runners and saves it as it trains.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     step = tf.train.get_or_create_global_step()
    ...     train = tf.assign_add(step, 1)
    ...     sv = tf.train.Supervisor()
    ...     with sv.managed_session() as sess:
    ...         print(sess.run(train))
    1
    """

    USE_DEFAULT = 0

    def __init__(
        self,
        graph=None,
        ready_op=USE_DEFAULT,
        ready_for_local_init_op=USE_DEFAULT,
        is_chief=True,
        init_op=USE_DEFAULT,
        init_feed_dict=None,
        local_init_op=USE_DEFAULT,
        logdir=None,
        summary_op=USE_DEFAULT,
        saver=USE_DEFAULT,
        global_step=USE_DEFAULT,
        save_summaries_secs=120,
        save_model_secs=600,
        recovery_wait_secs=30,
        stop_grace_secs=120,
        checkpoint_basename="model.ckpt",
        session_manager=None,
        summary_writer=USE_DEFAULT,
        init_fn=None,
        local_init_run_options=None,
    ):
        graph = graph if graph is not None else get_default_graph()
        use_default = Supervisor.USE_DEFAULT
        with graph.as_default():
            if ready_op is use_default:
                ready_op = _first_or_add(graph, GraphKeys.READY_OP, report_uninitialized_variables)
            if ready_for_local_init_op is use_default:
                ready_for_local_init_op = _first(graph, GraphKeys.READY_FOR_LOCAL_INIT_OP)
            if init_op is use_default:
                init_op = _first_or_add(graph, GraphKeys.INIT_OP, global_variables_initializer)
            if local_init_op is use_default:
                local_init_op = _first_or_add(graph, GraphKeys.LOCAL_INIT_OP, _local_init_op)
            if saver is use_default:
                saver = _first(graph, GraphKeys.SAVERS)
                if saver is None and global_variables():
                    saver = Saver()
                    graph.add_to_collection(GraphKeys.SAVERS, saver)
            if summary_op is use_default:
                summary_op = _first_or_add(graph, GraphKeys.SUMMARY_OP, merge_all)
            if global_step is use_default:
                global_step = _first_or_add(graph, GraphKeys.GLOBAL_STEP, _global_step_tensor)
        self._graph = graph
        self._ready_op, self._ready_for_local_init_op = ready_op, ready_for_local_init_op
        self._init_op, self._init_feed_dict = init_op, init_feed_dict
        self._local_init_op = local_init_op
        self._saver, self._summary_op, self._global_step = saver, summary_op, global_step
        self._is_chief = is_chief
        self._coord = Coordinator()
        self._stop_grace_secs = stop_grace_secs
        self._init_fn = init_fn
        self._logdir = logdir if is_chief else None
        self._save_summaries_secs = save_summaries_secs if is_chief else None
        self._save_model_secs = save_model_secs if is_chief else None
        self._save_path = os.path.join(logdir, checkpoint_basename) if self._logdir else None
        self._summary_writer = None
        if is_chief:
            if summary_writer is use_default:
                self._summary_writer = FileWriter(logdir) if logdir else None
            else:
                self._summary_writer = summary_writer
        self._graph_added_to_summary = False
        self._session_manager = session_manager or SessionManager(
            local_init_op=local_init_op,
            ready_op=ready_op,
            ready_for_local_init_op=ready_for_local_init_op,
            graph=graph,
            recovery_wait_secs=recovery_wait_secs,
            local_init_run_options=local_init_run_options,
        )
        graph.finalize()

    is_chief = property(lambda self: self._is_chief)
    session_manager = property(lambda self: self._session_manager)
    coord = property(lambda self: self._coord)
    init_op = property(lambda self: self._init_op)
    init_feed_dict = property(lambda self: self._init_feed_dict)
    ready_op = property(lambda self: self._ready_op)
    ready_for_local_init_op = property(lambda self: self._ready_for_local_init_op)
    summary_writer = property(lambda self: self._summary_writer)
    summary_op = property(lambda self: self._summary_op)
    save_summaries_secs = property(lambda self: self._save_summaries_secs)
    global_step = property(lambda self: self._global_step)
    saver = property(lambda self: self._saver)
    save_model_secs = property(lambda self: self._save_model_secs)
    save_path = property(lambda self: self._save_path)

    def _write_graph(self) -> None:
        if self._logdir:
            write_graph(self._graph, self._logdir, "graph.pbtxt")
        if self._summary_writer and not self._graph_added_to_summary:
            self._summary_writer.add_graph(self._graph)
            self._graph_added_to_summary = True

    def start_standard_services(self, sess) -> list:
        """Starts the summary, step-counter and checkpoint threads (chief with a logdir)."""
        if not self._is_chief:
            raise RuntimeError(
                "Only chief supervisor can start standard services. Because only chief "
                "supervisors can write events."
            )
        if not self._logdir:
            _log.warning("Standard services need a 'logdir' passed to the SessionManager")
            return []
        if self._global_step is not None and self._summary_writer:
            step = read_global_step(sess, self._global_step)
            self._summary_writer.add_session_log(SessionLog(status=SessionLog.START), step)
        threads = []
        if self._save_summaries_secs and self._summary_writer:
            if self._summary_op is not None:
                threads.append(_SummaryThread(self, sess))
            if self._global_step is not None:
                threads.append(_StepCounterThread(self, sess))
        if self._saver and self._save_model_secs:
            threads.append(_CheckpointThread(self, sess))
        for t in threads:
            t.start()
        return threads

    def prepare_or_wait_for_session(
        self,
        master="",
        config=None,
        wait_for_checkpoint=False,
        max_wait_secs=7200,
        start_standard_services=True,
    ):
        """A session restored from ``logdir`` or initialized, with the services started."""
        self._coord.clear_stop()
        if self._summary_writer:
            self._summary_writer.reopen()
        if self._is_chief:
            sess = self._session_manager.prepare_session(
                master,
                init_op=self._init_op,
                saver=self._saver,
                checkpoint_dir=self._logdir,
                wait_for_checkpoint=wait_for_checkpoint,
                max_wait_secs=max_wait_secs,
                config=config,
                init_feed_dict=self._init_feed_dict,
                init_fn=self._init_fn,
            )
            self._write_graph()
            if start_standard_services:
                self.start_standard_services(sess)
        else:
            sess = self._session_manager.wait_for_session(
                master, config=config, max_wait_secs=max_wait_secs
            )
        if start_standard_services:
            self.start_queue_runners(sess)
        return sess

    def start_queue_runners(self, sess, queue_runners=None) -> list:
        """Starts the threads of ``queue_runners`` (the graph's ``QUEUE_RUNNERS``)."""
        if queue_runners is None:
            queue_runners = self._graph.get_collection(GraphKeys.QUEUE_RUNNERS)
        threads = []
        for qr in queue_runners:
            threads.extend(qr.create_threads(sess, coord=self._coord, daemon=True, start=True))
        return threads

    def loop(self, timer_interval_secs, target, args=None, kwargs=None) -> LooperThread:
        """Starts a thread calling ``target`` every ``timer_interval_secs`` until stopped."""
        looper = LooperThread(self._coord, timer_interval_secs, target, args, kwargs)
        looper.start()
        return looper

    def stop(self, threads=None, close_summary_writer=True, ignore_live_threads=False) -> None:
        """Stops the threads, re-raising what one reported; closes the summary writer."""
        self._coord.request_stop()
        try:
            self._coord.join(
                threads,
                stop_grace_period_secs=self._stop_grace_secs,
                ignore_live_threads=ignore_live_threads,
            )
        finally:
            if close_summary_writer and self._summary_writer:
                self._summary_writer.add_session_log(SessionLog(status=SessionLog.STOP))
                self._summary_writer.close()
                self._graph_added_to_summary = False

    def request_stop(self, ex=None) -> None:
        self._coord.request_stop(ex=ex)

    def should_stop(self) -> bool:
        return self._coord.should_stop()

    def stop_on_exception(self):
        return self._coord.stop_on_exception()

    def wait_for_stop(self) -> None:
        self._coord.wait_for_stop()

    def summary_computed(self, sess, summary, global_step=None) -> None:
        """Writes ``summary`` (a serialized ``Summary``) at the current global step."""
        if not self._summary_writer:
            raise RuntimeError("Writing a summary requires a summary writer.")
        if global_step is None and self._global_step is not None:
            global_step = read_global_step(sess, self._global_step)
        self._summary_writer.add_summary(summary, global_step)

    @contextlib.contextmanager
    def managed_session(
        self, master="", config=None, start_standard_services=True, close_summary_writer=True
    ):
        """A session for a ``with`` block; leaving it stops the services and closes it."""
        sess = None
        try:
            sess = self.prepare_or_wait_for_session(
                master=master, config=config, start_standard_services=start_standard_services
            )
            yield sess
        except Exception as e:  # reported to the coordinator: stop() re-raises it
            self.request_stop(e)
        finally:
            try:
                self.stop(close_summary_writer=close_summary_writer)
            finally:
                if sess is not None:
                    sess.close()

    PrepareSession = prepare_or_wait_for_session  # noqa: N815 - TF1's CamelCase aliases
    StartQueueRunners = start_queue_runners  # noqa: N815
    StartStandardServices = start_standard_services  # noqa: N815
    Stop = stop  # noqa: N815
    RequestStop = request_stop  # noqa: N815
    Loop = loop  # noqa: N815
    ShouldStop = should_stop  # noqa: N815
    StopOnException = stop_on_exception  # noqa: N815
    WaitForStop = wait_for_stop  # noqa: N815
    SummaryComputed = summary_computed  # noqa: N815


def _first(graph, key):
    items = graph.get_collection(key)
    if len(items) > 1:
        _log.info("Found %d %s operations. Returning the first one.", len(items), key)
    return items[0] if items else None


def _first_or_add(graph, key, make):
    item = _first(graph, key)
    if item is None:
        item = make()
        if item is not None:
            graph.add_to_collection(key, item)
    return item


def _local_init_op():
    tables = get_default_graph().get_collection(GraphKeys.TABLE_INITIALIZERS)
    tables_init = group(*tables, name="init_all_tables") if tables else no_op("init_all_tables")
    return group(local_variables_initializer(), tables_init)


def _global_step_tensor():
    try:
        step = get_default_graph().get_tensor_by_name("global_step:0")
    except (KeyError, ValueError):
        return None
    if step.dtype.base_dtype in (dtypes.int32, dtypes.int64):
        return step
    _log.warning("Found 'global_step' is not an int type: %s", step.dtype)
    return None


class _SummaryThread(LooperThread):
    def __init__(self, sv, sess):
        super().__init__(sv.coord, sv.save_summaries_secs)
        self._sv, self._sess = sv, sess

    def run_loop(self) -> None:
        sv = self._sv
        if sv.global_step is not None:
            summary, step = self._sess.run([sv.summary_op, sv.global_step])
        else:
            summary, step = self._sess.run(sv.summary_op), None
        if sv.summary_writer:
            sv.summary_writer.add_summary(summary, step)


class _StepCounterThread(LooperThread):
    def __init__(self, sv, sess):
        super().__init__(sv.coord, sv.save_summaries_secs)
        self._sv, self._sess = sv, sess
        self._last_time, self._last_step = 0.0, 0
        self._tag = f"{sv.global_step.op.name}/sec"

    def start_loop(self) -> None:
        self._last_time = time.time()
        self._last_step = read_global_step(self._sess, self._sv.global_step)

    def run_loop(self) -> None:
        step = read_global_step(self._sess, self._sv.global_step)
        now = time.time()
        elapsed = now - self._last_time
        rate = (step - self._last_step) / elapsed if elapsed > 0 else float("inf")
        self._last_step, self._last_time = step, now
        summary = Summary(value=[Summary.Value(tag=self._tag, simple_value=rate)])
        if self._sv.summary_writer:
            self._sv.summary_writer.add_summary(summary, step)


class _CheckpointThread(LooperThread):
    def __init__(self, sv, sess):
        super().__init__(sv.coord, sv.save_model_secs)
        self._sv, self._sess = sv, sess

    def run_loop(self) -> None:
        sv = self._sv
        sv.saver.save(self._sess, sv.save_path, global_step=sv.global_step)
        if sv.summary_writer and sv.global_step is not None:
            step = read_global_step(self._sess, sv.global_step)
            log = SessionLog(status=SessionLog.CHECKPOINT, checkpoint_path=sv.save_path)
            sv.summary_writer.add_session_log(log, step)
