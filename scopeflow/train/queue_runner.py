"""``tf.train.QueueRunner``: threads that keep running a queue's enqueue ops, and
``tf.train.start_queue_runners`` that starts those of a graph's ``QUEUE_RUNNERS`` collection.

A runner thread stops when its coordinator asks it to, or when its enqueue op raises one of
``queue_closed_exception_types`` (the input ran out: ``OutOfRangeError``); the last of a
runner's threads to stop closes the queue, so a consumer empties it and then gets
``OutOfRangeError`` in its turn. With a coordinator, one more thread waits for the stop and
cancels the enqueues still waiting (``cancel_op``).
"""

from __future__ import annotations

import logging
import threading
import weakref

from scopeflow.framework import errors
from scopeflow.framework.defaults import get_default_graph, get_default_session
from scopeflow.framework.graph import GraphKeys
from scopeflow.framework.graph_api import add_to_collection, get_collection
from scopeflow.graph_io import meta_graph
from scopeflow.graph_io.protos import messages

_log = logging.getLogger("tensorflow")


class QueueRunner:
    """Holds a queue and the ops that fill it; ``create_threads`` runs them in threads.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     q = tf.FIFOQueue(4, tf.float32)
    ...     qr = tf.train.QueueRunner(q, [q.enqueue(1.0)])
    >>> qr.name, qr.close_op.name, qr.cancel_op.name
    ('fifo_queue', 'fifo_queue_Close', 'fifo_queue_Close_1')
    """

    def __init__(
        self,
        queue=None,
        enqueue_ops=None,
        close_op=None,
        cancel_op=None,
        queue_closed_exception_types=None,
        queue_runner_def=None,
        import_scope=None,
    ):
        if queue_runner_def is not None:
            if queue or enqueue_ops:
                raise ValueError("queue_runner_def and queue are mutually exclusive.")
            self._init_from_proto(queue_runner_def, import_scope)
            return
        if not queue or not enqueue_ops:
            raise ValueError("Must provide queue and enqueue_ops.")
        self._queue = queue
        self._enqueue_ops = enqueue_ops
        types = queue_closed_exception_types
        if types is not None and (
            not isinstance(types, tuple)
            or not types
            or not all(isinstance(t, type) and issubclass(t, errors.OpError) for t in types)
        ):
            raise TypeError(
                "queue_closed_exception_types, when provided, must be a tuple of tf.error "
                f"types, but saw: {types}"
            )
        self._queue_closed_exception_types = types or (errors.OutOfRangeError,)
        self._close_op = close_op if close_op is not None else queue.close()
        self._cancel_op = (
            cancel_op if cancel_op is not None else queue.close(cancel_pending_enqueues=True)
        )
        self._init_threading()

    def _init_threading(self) -> None:
        self._lock = threading.Lock()
        self._runs_per_session: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
        self._exceptions_raised: list = []

    def _init_from_proto(self, proto, import_scope) -> None:
        graph = get_default_graph()

        def element(name):
            return graph.as_graph_element(f"{import_scope}/{name}" if import_scope else name)

        self._queue = element(proto.queue_name)  # the queue's op, as in TF
        self._enqueue_ops = [element(name) for name in proto.enqueue_op_name]
        self._close_op = element(proto.close_op_name)
        self._cancel_op = element(proto.cancel_op_name)
        codes = proto.queue_closed_exception_types
        self._queue_closed_exception_types = tuple(
            errors.exception_type_from_error_code(code) for code in codes
        ) or (errors.OutOfRangeError,)
        self._init_threading()

    def to_proto(self, export_scope=None):
        """The runner as a ``QueueRunnerDef`` (None when its queue is outside
        ``export_scope``), as ``export_meta_graph`` stores the ``queue_runners`` collection."""
        prefix = f"{export_scope}/" if export_scope else ""
        if prefix and not self._queue.name.startswith(prefix):
            return None

        def strip(name):
            return name[len(prefix) :]

        return messages().QueueRunnerDef(
            queue_name=strip(self._queue.name),
            enqueue_op_name=[strip(op.name) for op in self._enqueue_ops],
            close_op_name=strip(self._close_op.name),
            cancel_op_name=strip(self._cancel_op.name),
            queue_closed_exception_types=[
                errors.error_code_from_exception_type(t) for t in self._queue_closed_exception_types
            ],
        )

    @staticmethod
    def from_proto(queue_runner_def, import_scope=None):
        """The ``QueueRunner`` a ``QueueRunnerDef`` describes, over the default graph's ops."""
        return QueueRunner(queue_runner_def=queue_runner_def, import_scope=import_scope)

    @property
    def queue(self):
        return self._queue

    @property
    def enqueue_ops(self):
        return self._enqueue_ops

    @property
    def close_op(self):
        return self._close_op

    @property
    def cancel_op(self):
        return self._cancel_op

    @property
    def queue_closed_exception_types(self):
        return self._queue_closed_exception_types

    @property
    def exceptions_raised(self) -> list:
        return self._exceptions_raised

    @property
    def name(self) -> str:
        return self._queue.name

    def _run_enqueue(self, sess, enqueue_op) -> None:
        """One run of ``enqueue_op`` (a subclass may split it: ``SyncReplicasOptimizer``)."""
        sess.run(enqueue_op)

    def _run(self, sess, enqueue_op, coord=None) -> None:
        decremented = False
        try:
            while not (coord and coord.should_stop()):
                try:
                    self._run_enqueue(sess, enqueue_op)
                except self._queue_closed_exception_types:
                    with self._lock:
                        self._runs_per_session[sess] -= 1
                        decremented = True
                        if self._runs_per_session[sess] == 0:
                            try:
                                sess.run(self._close_op)
                            except Exception as e:  # noqa: BLE001 - TF ignores it too
                                _log.debug("Ignored exception: %s", str(e))
                        return
        except Exception as e:
            if coord:
                coord.request_stop(e)
            else:
                _log.error("Exception in QueueRunner: %s", str(e))
                with self._lock:
                    self._exceptions_raised.append(e)
                raise
        finally:
            if not decremented:
                with self._lock:
                    self._runs_per_session[sess] -= 1

    def _close_on_stop(self, sess, cancel_op, coord) -> None:
        coord.wait_for_stop()
        try:
            sess.run(cancel_op)
        except Exception as e:  # noqa: BLE001 - the session may be closed already
            _log.debug("Ignored exception: %s", str(e))

    def create_threads(self, sess, coord=None, daemon=False, start=False) -> list:
        """Threads running the enqueue ops in ``sess`` (none when they already run there)."""
        with self._lock:
            if self._runs_per_session.get(sess, 0) > 0:
                return []
            self._runs_per_session[sess] = len(self._enqueue_ops)
            self._exceptions_raised = []
        threads = [
            threading.Thread(
                target=self._run,
                args=(sess, op, coord),
                name=f"QueueRunnerThread-{self.name}-{op.name}",
            )
            for op in self._enqueue_ops
        ]
        if coord:
            threads.append(
                threading.Thread(
                    target=self._close_on_stop,
                    args=(sess, self._cancel_op, coord),
                    name=f"QueueRunnerThread-{self.name}-close_on_stop",
                )
            )
        for t in threads:
            if coord:
                coord.register_thread(t)
            if daemon:
                t.daemon = True
            if start:
                t.start()
        return threads


def add_queue_runner(qr, collection=GraphKeys.QUEUE_RUNNERS) -> None:
    """Adds ``qr`` to the graph's collection ``collection`` (``QUEUE_RUNNERS``)."""
    add_to_collection(collection, qr)


def start_queue_runners(
    sess=None, coord=None, daemon=True, start=True, collection=GraphKeys.QUEUE_RUNNERS
) -> list:
    """Starts the threads of every queue runner in the graph's ``collection``.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     q = tf.FIFOQueue(4, tf.float32)
    ...     tf.train.add_queue_runner(tf.train.QueueRunner(q, [q.enqueue(1.0)]))
    ...     with tf.Session() as sess:
    ...         coord = tf.train.Coordinator()
    ...         threads = tf.train.start_queue_runners(sess, coord)
    ...         print(sess.run(q.dequeue()))
    ...         coord.request_stop()
    ...         coord.join(threads)
    1.0
    """
    if sess is None:
        sess = get_default_session()
        if not sess:
            raise ValueError(
                "Cannot start queue runners: No default session is registered. Use `with "
                "sess.as_default()` or pass an explicit session to "
                "tf.start_queue_runners(sess=sess)"
            )
    if type(sess).__name__ in ("MonitoredSession", "SingularMonitoredSession"):
        return []  # they start the queue runners themselves, as in TF
    if not hasattr(sess, "graph") or not hasattr(sess, "run"):
        raise TypeError(f"sess must be a `tf.Session` object. Given class: {sess.__class__}")
    with sess.graph.as_default():
        runners = get_collection(collection)
        if not runners:
            _log.warning(
                "`tf.train.start_queue_runners()` was called when no queue runners were "
                "defined. You can safely remove the call to this deprecated function."
            )
        threads = []
        for qr in runners:
            threads.extend(qr.create_threads(sess, coord=coord, daemon=daemon, start=start))
    return threads


def _read_queue_runner(data: bytes, import_scope):
    return QueueRunner.from_proto(messages().QueueRunnerDef.FromString(data), import_scope)


meta_graph.PROTO_READERS[GraphKeys.QUEUE_RUNNERS] = _read_queue_runner

__all__ = ["QueueRunner", "add_queue_runner", "start_queue_runners"]
