"""Variables and shared resources of the sessions on one in-process ``tf.train.Server``.

In TF1 a variable lives in the resource manager of the server its device names, not in a
session: every session on a server's target (``tf.Session(server.target)``,
``MonitoredTrainingSession(master=server.target)``), whatever its graph, sees the value another
session gave a variable of the same name, closing a session keeps it, and
``tf.Session.reset(target)`` frees it. scopeflow serves no network requests, but the servers
a process makes keep such a :class:`Store`, one per cluster: a session on the target of one of
its servers keeps its variables' values there, under the variable's *resource key*: the task
its device names (``/job:ps/task:0``; a device without a job is the session's own server's
task), its ``container`` attribute (``tf.container``) and its ``shared_name`` or op name.
Queues, tables, readers and iterators are shared so only when they have a ``shared_name``, as
TF's are (without one each session has its own).

Sessions without a target keep everything to themselves, as before; ``Session.reset("")``
closes them all, as TF's does.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import MutableMapping

from scopeflow.framework import errors

_LOCK = threading.Lock()
_STORES: dict[str, Store] = {}  # "host:port" of each task of a cluster -> its store
_TARGETS: dict[str, tuple[Store, tuple[str, int]]] = {}  # "grpc://host:port" -> (store, task)
_DIRECT_SESSIONS: weakref.WeakSet = weakref.WeakSet()  # open sessions without a target


class Store:
    """What the sessions on a cluster's servers share: values, the lock their runs commit
    under, the in-place changes in flight (session/context.py), shared per-op states."""

    def __init__(self):
        self.lock = threading.RLock()
        self.values: dict = {}  # resource key -> (the op that last stored it, value)
        self.changing: dict = {}
        self.states: dict = {}
        self.sessions: weakref.WeakSet = weakref.WeakSet()


def register_server(addresses: list[str], address: str, task: tuple[str, int]) -> str:
    """Makes ``address`` (of ``task``, one of the cluster's ``addresses``) a target sessions
    may name; returns that target, ``grpc://<address>``. Servers of one cluster share one
    store; a second server on an address (which TF's could not bind) starts a fresh one, as a
    restarted cluster's."""
    with _LOCK:
        store = (
            None
            if address in _STORES
            else next((_STORES[a] for a in addresses if a in _STORES), None)
        )
        store = store or Store()
        for a in addresses:
            _STORES[a] = store
            known = _TARGETS.get(f"grpc://{a}")
            if known is not None and known[0] is not store:  # the cluster's other servers
                _TARGETS[f"grpc://{a}"] = (store, known[1])
        target = f"grpc://{address}"
        _TARGETS[target] = (store, task)
        return target


def _target_text(target) -> str:
    return target.decode() if isinstance(target, bytes) else str(target)


def connect(session, target) -> tuple[Store, tuple[str, int]]:
    """The store and task of the server whose target ``session`` names.

    Raises:
        NotImplementedError: no server of this process has that target.
    """
    entry = _TARGETS.get(_target_text(target))
    if entry is None:
        raise NotImplementedError(
            f"Session(target={target!r}): no tf.train.Server of this process has that target, "
            "and scopeflow does not connect to servers in other processes. Use the target of "
            "a tf.train.Server made in this process, or Session() with no target."
        )
    entry[0].sessions.add(session)
    return entry


def direct(session) -> None:
    """Notes an open session without a target (for ``Session.reset("")``)."""
    _DIRECT_SESSIONS.add(session)


def reset(target, containers=None) -> None:
    """``tf.Session.reset``: frees the variables in ``containers`` of the target's cluster,
    or (``containers`` None) everything, closing the sessions connected to it (their next run
    raises AbortedError, as TF's). ``""`` closes every session without a target
    (CancelledError, as TF's). Shared queues and tables go only with everything."""
    if not _target_text(target):
        for session in list(_DIRECT_SESSIONS):
            session._close_by_reset(errors.CancelledError(None, None, "Session has been closed."))
        return
    entry = _TARGETS.get(_target_text(target))
    if entry is None:
        raise NotImplementedError(
            f"tf.Session.reset({target!r}): no tf.train.Server of this process has that "
            "target, and scopeflow does not connect to servers in other processes."
        )
    store = entry[0]
    with store.lock:
        if containers is None:
            store.values.clear()
            store.states.clear()
            sessions = list(store.sessions)
        else:
            names = {_text(c) for c in containers}  # (variables only: see the docstring)
            for key in [k for k in store.values if k[1] in names]:
                del store.values[key]
            sessions = []
    for session in sessions:
        error = errors.AbortedError(
            None,
            None,
            f"Session {id(session):x} is not found. Possibly, this master has restarted.",
        )
        session._close_by_reset(error)


def _text(value) -> str:
    return value.decode() if isinstance(value, bytes) else str(value or "")


_TASKS: dict[tuple[str, tuple[str, int]], tuple[str, int]] = {}


def _device_task(device: str, own: tuple[str, int]) -> tuple[str, int]:
    """The (job, task) a device string names; ``own`` where it names no job."""
    found = _TASKS.get((device, own))
    if found is None:
        parts = dict(p.split(":", 1) for p in device.split("/") if p.startswith(("job:", "task:")))
        job = parts.get("job")
        found = own if job is None else (job, int(parts.get("task", 0)))
        _TASKS[(device, own)] = found
    return found


def resource_key(op, task: tuple[str, int]) -> tuple:
    """Where a stateful op's resource lives on a cluster: (its task, container, name)."""
    attrs = op._attrs
    name = _text(attrs.get("shared_name")) or op.name
    return (_device_task(op.device, task), _text(attrs.get("container")), name)


# The first items of the per-op state keys that kernels give resources with a ``shared_name``
# (ops/data_flow/queue_ops.py, lookup_ops.py, ...): such states are the cluster's.
_SHARED_KINDS = frozenset(
    {
        "shared queue",
        "shared accumulator",
        "shared table",
        "shared mutex",
        "shared reader",
        "summary writer",
        "iterator",
    }
)


def shares_state(key) -> bool:
    """Whether a per-op state key names a resource with a ``shared_name`` (a queue, table,
    reader, iterator...), which the sessions of a cluster share."""
    return type(key) is tuple and len(key) > 1 and key[0] in _SHARED_KINDS


class ByResource(MutableMapping):
    """One session's view of a store's table: keyed by ops, each kept under its resource
    key, so that another session's op of the same variable finds the same value."""

    __slots__ = ("_data", "_task")

    def __init__(self, data: dict, task: tuple[str, int]):
        self._data, self._task = data, task

    def __getitem__(self, op):
        return self._data[resource_key(op, self._task)][1]

    def get(self, op, default=None):
        entry = self._data.get(resource_key(op, self._task))
        return default if entry is None else entry[1]

    def __contains__(self, op) -> bool:
        return resource_key(op, self._task) in self._data

    def __setitem__(self, op, value) -> None:
        self._data[resource_key(op, self._task)] = (op, value)

    def __delitem__(self, op) -> None:
        del self._data[resource_key(op, self._task)]

    def __iter__(self):
        return iter([entry[0] for entry in list(self._data.values())])

    def __len__(self) -> int:
        return len(self._data)
