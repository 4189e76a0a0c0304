"""``tf.contrib.slim.queues``: ``QueueRunners(session)``, a context that starts the graph's
queue runners for its body and stops and joins them after (not nestable)."""

from __future__ import annotations

import contextlib
import threading

from scopeflow.framework.graph import GraphKeys
from scopeflow.framework.graph_api import get_collection
from scopeflow.train.coordinator import Coordinator

__all__ = ["NestedQueueRunnerError", "QueueRunners"]

_LOCK = threading.Lock()


class NestedQueueRunnerError(Exception):
    """``QueueRunners`` entered inside another."""


@contextlib.contextmanager
def QueueRunners(session):  # noqa: N802 - TF-Slim's name
    """Runs the ``QUEUE_RUNNERS`` collection's threads in ``session`` while the body runs.

    Raises:
        NestedQueueRunnerError: already inside a ``QueueRunners``.
    """
    if not _LOCK.acquire(False):
        raise NestedQueueRunnerError("QueueRunners cannot be nested")
    coord = Coordinator()
    threads = []
    for runner in get_collection(GraphKeys.QUEUE_RUNNERS):
        threads.extend(runner.create_threads(session, coord=coord, daemon=True, start=True))
    try:
        yield
    finally:
        coord.request_stop()
        try:
            coord.join(threads, stop_grace_period_secs=120)
        except RuntimeError:
            session.close()
        _LOCK.release()
