"""``tf.CriticalSection``: runs of a subgraph one at a time, across the runs of many threads.

A critical section is a ``MutexV2`` op (a mutex kept in the session, shared by ops with the
same ``shared_name``). ``execute(fn)`` builds TF1's graph: a ``MutexLock`` that the ops ``fn``
makes wait on, a ``ConsumeMutexLock`` that waits on ``fn``'s results, and identities of those
results that wait on it. TF releases the lock once nothing holds the lock's tensor; scopeflow
holds it until the run that took it ends (commits its variable writes, or puts them back when
it fails), so a run never reads a variable another run holding the lock may yet put back.
Within one run the lock is taken again freely (two ``execute`` results fetched together).
"""

from __future__ import annotations

import collections
import threading

import numpy as np

from scopeflow.framework import dtypes, errors, nest, tensor_shape, undo
from scopeflow.framework.defaults import get_default_graph
from scopeflow.framework.graph_api import add_to_collections, control_dependencies, name_scope
from scopeflow.framework.operation import Operation
from scopeflow.framework.registry import NOT_DIFFERENTIABLE, register_op
from scopeflow.ops.array.basic import identity
from scopeflow.ops.control.grouping import group
from scopeflow.ops.control.grouping import tuple as tuple_
from scopeflow.ops.control.tensor_array import TensorArray

CRITICAL_SECTIONS = "critical_sections"
CRITICAL_SECTION_EXECUTIONS = "critical_section_executions"


class _ExecutionSignature(
    collections.namedtuple(
        "_ExecutionSignature", ("op", "handle", "resources", "exclusive_resource_access")
    )
):
    """One ``execute``: its ``MutexLock`` op, the section's handle, the resource tensors its
    ops use and whether it asked for them alone (the ``critical_section_executions``
    collection's items, as TF's)."""


# -- the ops and their kernels -------------------------------------------------------------


class _Mutex:
    """One session's mutex: the run (its ``ctx``) holding it, released when that run ends."""

    def __init__(self):
        self.cond = threading.Condition()
        self.owner = None
        self.closed = False
        self.waiting = 0  # runs waiting for it

    def acquire(self, ctx, op) -> None:
        with self.cond:
            while self.owner is not None and self.owner is not ctx and not self.closed:
                self.waiting += 1
                try:
                    self.cond.wait()
                finally:
                    self.waiting -= 1
            if self.closed:
                raise errors.CancelledError(None, op, f"Session has been closed (op '{op.name}').")
            if self.owner is None:
                self.owner = ctx
                ctx.at_run_end(self.release)

    def release(self) -> None:
        with self.cond:
            self.owner = None
            self.cond.notify_all()

    def session_closed(self) -> None:  # Session.close cancels the runs waiting
        with self.cond:
            self.closed = True
            self.cond.notify_all()


def _mutex_kernel(ctx, op):
    shared = op._attrs.get("shared_name") or b""
    key = ("shared mutex", op._attrs.get("container") or b"", shared) if shared else op
    return ctx.op_state(key, _Mutex)


def _mutex_of(handle) -> _Mutex:
    """The mutex behind a handle (the JAX executor hands host steps a 0-d object array)."""
    return handle.item() if isinstance(handle, np.ndarray) else handle


def _lock_kernel(ctx, op, handle):
    if not hasattr(ctx, "at_run_end"):
        raise errors.UnimplementedError(
            None,
            op,
            f"MutexLock '{op.name}': tf.CriticalSection runs on the NumPy executor only; use "
            "tf.Session(executor='numpy') for graphs with critical sections.",
        )
    mutex = _mutex_of(handle)
    mutex.acquire(ctx, op)
    return mutex


def _consume_kernel(ctx, op, lock):
    return ()


_SCALAR = tensor_shape.TensorShape([])
_FACTS = {"grad": NOT_DIFFERENTIABLE, "stateful": True}
register_op("MutexV2", lambda i, a: [(dtypes.resource, _SCALAR)], kernel=_mutex_kernel, **_FACTS)
register_op("MutexLock", lambda i, a: [(dtypes.variant, _SCALAR)], kernel=_lock_kernel, **_FACTS)
register_op("ConsumeMutexLock", lambda i, a: [], kernel=_consume_kernel, **_FACTS)


# -- CriticalSection -----------------------------------------------------------------------

_STACK = threading.local()  # the signatures of the sections this thread is executing in


def _stack() -> list:
    if not hasattr(_STACK, "value"):
        _STACK.value = []
    return _STACK.value


def _colocation(op: Operation):
    return op._attrs.get("_class")


def _identity(x):
    if isinstance(x, TensorArray):
        return x.identity()
    if isinstance(x, Operation):
        return group(x)
    return identity(x)


class CriticalSection:
    """A mutex in the graph: the subgraphs given to :meth:`execute` run one at a time.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     v = tf.Variable(0.0, name="v")
    ...     cs = tf.CriticalSection(name="counter")
    ...     add = cs.execute(lambda: tf.assign_add(v, 1.0))
    ...     with tf.Session() as sess:
    ...         sess.run(v.initializer)
    ...         print(cs.name, add.name, [float(sess.run(add)) for _ in range(3)])
    counter critical_section_execute/Identity_1:0 [1.0, 2.0, 3.0]
    """

    @undo.atomic
    def __init__(self, name=None, shared_name=None, critical_section_def=None, import_scope=None):
        if critical_section_def and name is not None:
            raise ValueError(
                f"Arguments critical_section_def={critical_section_def} and "
                f"shared_name={shared_name} are mutually exclusive. Please only specify one "
                "of them."
            )
        if critical_section_def:
            raise ValueError("Argument `critical_section_def` is not supported.")
        graph = get_default_graph()
        with name_scope(name, "CriticalSection", []) as scope:
            with graph.control_dependencies(None):
                shared_name = scope if shared_name is None else shared_name
                attrs = {"container": b"", "shared_name": str(shared_name).encode()}
                self._handle = graph.create_op("MutexV2", [], attrs, name=scope)._outputs[0]
        op = self._handle.op
        self._signature = (
            op._attrs["container"].decode(),
            shared_name or id(self._handle),
            op.device or _colocation(op),
        )
        add_to_collections(CRITICAL_SECTIONS, self)

    @property
    def name(self) -> str:
        return self._handle.op.name

    @undo.atomic
    def execute(self, fn, exclusive_resource_access=True, name=None):
        """Runs ``fn()`` (ops made in it wait for the lock) and returns its results, each
        available once the lock is consumed.

        Raises:
            ValueError: ``fn`` executes in this section itself (a deadlock), or uses a
                resource (queue, table...) another section's executions use, with either of
                them asking for exclusive access.
        """
        graph = get_default_graph()
        with name_scope(name, "critical_section_execute", []):
            stack = _stack()
            if self._signature in stack:
                raise ValueError(
                    f"Attempting to lock a CriticalSection (signature={self._signature}) in "
                    "which we are already running. This is illegal and may cause deadlocks."
                )
            stack.append(self._signature)
            try:
                lock = graph.create_op("MutexLock", [self._handle], name="MutexLock")._outputs[0]
                with graph._lock:  # no op of another thread counts as fn's
                    first = len(graph._ops)
                    with control_dependencies([lock]):
                        result = fn()
                    created = graph._ops[first:]
            finally:
                stack.pop()
            self._lock_after_arguments(created, lock.op)
            resources = _resources(created)
            if any(self._is_self_handle(t) for t in resources):
                raise ValueError(
                    "Attempting to lock a CriticalSection in which we are already running "
                    f"(signature={self._signature}). This is illegal and may cause deadlocks."
                )
            self._check_exclusive(graph, resources, exclusive_resource_access)
            flat = [_identity(x) for x in nest.flatten(result)]
            with control_dependencies(flat):
                with graph.colocate_with(self._handle):
                    consumed = graph.create_op("ConsumeMutexLock", [lock], name="ConsumeMutexLock")
                result = nest.pack_sequence_as(result, tuple_(nest.flatten(result)))
            with control_dependencies([consumed]):
                outputs = nest.map_structure(_identity, result)
            signature = _ExecutionSignature(
                lock.op, self._handle, resources, exclusive_resource_access
            )
            add_to_collections(CRITICAL_SECTION_EXECUTIONS, signature)
            return outputs

    @staticmethod
    def _lock_after_arguments(created: list, lock_op: Operation) -> None:
        """Makes the lock wait for everything ``fn``'s ops take from outside it (a run never
        holds the lock while it computes the arguments), as TF's ``group_deps``."""
        inside = set(created)
        inside.add(lock_op)
        inside.update(lock_op.control_inputs)
        inside.update(t.op for t in lock_op.inputs)
        outside = {t.op for op in created for t in op.inputs}
        outside.update(c for op in created for c in op.control_inputs)
        outside -= inside
        if outside:
            lock_op._add_control_input(group(*sorted(outside, key=lambda op: op._id)))

    def _is_self_handle(self, t) -> bool:
        op, mine = t.op, self._handle.op
        shared = op._attrs.get("shared_name")
        return (
            op.type == "MutexV2"
            and bool(shared)
            and shared == mine._attrs["shared_name"]
            and (op.device == mine.device or _colocation(op) == _colocation(mine))
        )

    def _check_exclusive(self, graph, resources: list, exclusive: bool) -> None:
        for other in graph.get_collection(CRITICAL_SECTION_EXECUTIONS):
            if self._is_self_handle(other.handle):
                continue  # the same section's executions may share anything
            if not (exclusive or other.exclusive_resource_access):
                continue
            both = [t for t in resources if any(t is r for r in other.resources)]
            if both:
                raise ValueError(
                    f"This execution would access resources: {both}. Either this lock "
                    f"(CriticalSection: {self._handle}) or lock '{other}' (CriticalSection: "
                    f"{other.handle}) requested exclusive resource access of this resource. "
                    "Did you mean to call execute with keyword argument "
                    "exclusive_resource_access=False?"
                )


def _resources(ops: list) -> list:
    """The resource tensors (queues, tables, tensor arrays...) ``ops`` take, once each."""
    found: list = []
    for op in ops:
        for t in op.inputs:
            if t.dtype == dtypes.resource and not any(t is f for f in found):
                found.append(t)
    return found


__all__ = ["CriticalSection"]
