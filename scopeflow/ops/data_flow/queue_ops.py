"""TF1's queues as ops: ``FIFOQueueV2``, ``RandomShuffleQueueV2``, ``PaddingFIFOQueueV2``,
``PriorityQueueV2`` make a queue (kept in the session for its lifetime, handed on as a
resource handle), and ``QueueEnqueueV2``, ``QueueEnqueueManyV2``, ``QueueDequeueV2``,
``QueueDequeueManyV2``, ``QueueDequeueUpToV2``, ``QueueCloseV2``, ``QueueSizeV2`` and
``QueueIsClosedV2`` use it. A ``PriorityQueue`` hands out the element of lowest int64 priority
(its first component) first, the earliest among equals.

Runs from several threads share a queue: enqueues wait in line while it is full; dequeues
wait in line, the first taking elements as they come (a ``RandomShuffleQueue`` keeps
``min_after_dequeue`` of them until it is closed). On a closed queue an enqueue fails with
``CancelledError`` and a dequeue that cannot be served with ``OutOfRangeError``, in TF's
words. The enqueues waiting for room when the queue closes still put their elements in as room
frees, as in TF (whose close waits for them: a close from the only consumer never returns
there; here it returns at once, and a dequeue waits for them rather than failing); closing
with ``cancel_pending_enqueues`` cancels them instead, and ``Session.close`` cancels every op
waiting (``session_closed``).
"""

from __future__ import annotations

import itertools
import threading
import time

import numpy as np

from scopeflow.framework import dtypes, errors, tensor_shape
from scopeflow.framework.registry import NOT_DIFFERENTIABLE, register_op
from scopeflow.ops.random.philox import PhiloxState, philox_words

_KINDS = {
    "FIFOQueueV2": "FIFOQueue",
    "RandomShuffleQueueV2": "RandomShuffleQueue",
    "PaddingFIFOQueueV2": "PaddingFIFOQueue",
    "PriorityQueueV2": "PriorityQueue",
}
_COUNTER = "queue resource counter"  # a session's op-state key: numbers its queues


class RuntimeQueue:
    """The elements (tuples of arrays) one queue op holds in one session."""

    def __init__(self, op, name: str, rng=None):
        attrs = op._attrs
        self.kind = _KINDS[op.type]
        self.name = name
        capacity = int(attrs["capacity"])  # -1: unbounded
        self.capacity = capacity if capacity >= 0 else np.iinfo(np.int64).max
        self.min_after_dequeue = int(attrs.get("min_after_dequeue", 0))
        self.dtypes = list(attrs["component_types"])
        self.shapes = list(attrs["shapes"]) or None
        if self.kind == "PriorityQueue":  # an int64 priority comes first in each element
            self.dtypes.insert(0, dtypes.int64)
            self.shapes = [tensor_shape.TensorShape([]), *(self.shapes or [])]
        self.rng = rng
        self.items: list[tuple] = []
        self.closed = False
        self.cancel_enqueues = False
        self.session_closed_flag = False
        self.cond = threading.Condition()
        self.waiting_enqueues = 0  # enqueues waiting for room (still admitted once closed)
        self.tickets = itertools.count()  # enqueues and dequeues are served in order
        self.line: list[int] = []  # the dequeues waiting, first first
        self.enqueue_line: list[int] = []

    def _check_live(self, op, enqueue: bool, admitted: bool = False) -> None:
        if self.session_closed_flag:
            raise errors.CancelledError(None, op, f"Session has been closed (op '{op.name}').")
        if enqueue and (self.cancel_enqueues or (self.closed and not admitted)):
            raise errors.CancelledError(None, op, f"{self.kind} '{self.name}' is closed.")

    def _check_element(self, op, element: tuple) -> None:
        if self.shapes is None:
            return
        for i, (value, shape) in enumerate(zip(element, self.shapes, strict=True)):
            if not shape.is_compatible_with(np.shape(value)):
                expected = [-1 if d is None else d for d in shape.as_list()]
                raise errors.InvalidArgumentError(
                    None,
                    op,
                    f"Shape mismatch in tuple component {i}. Expected {expected}, got "
                    f"{list(np.shape(value))} (queue '{self.name}', op '{op.name}')",
                )

    def _wait(self, deadline: float | None) -> None:
        """Waits for a change (holding ``cond``), until ``deadline`` (``time.monotonic()``)
        at most: then TF's ``DeadlineExceededError`` (``RunOptions.timeout_in_ms``)."""
        if deadline is None:
            self.cond.wait()
            return
        remaining = deadline - time.monotonic()
        if remaining <= 0 or not self.cond.wait(remaining):
            raise errors.DeadlineExceededError(None, None, "Timed out waiting for notification")

    def enqueue(self, op, elements: list[tuple], deadline: float | None = None) -> None:
        """Adds ``elements`` one by one, waiting for room while the queue is full (until
        ``deadline`` at most: the elements not in by then are not added). As TF's queues,
        enqueues are served in the order they came: one ``enqueue_many`` puts all its
        elements in before the next enqueue puts any."""
        for element in elements:
            self._check_element(op, element)
        with self.cond:
            self._check_live(op, enqueue=True)
            ticket = next(self.tickets)
            self.enqueue_line.append(ticket)
            try:
                for element in elements:  # all admitted once the first is (one enqueue, as TF)
                    self._check_live(op, enqueue=True, admitted=True)
                    while self.enqueue_line[0] != ticket or len(self.items) >= self.capacity:
                        self.waiting_enqueues += 1
                        try:
                            self._wait(deadline)
                        finally:
                            self.waiting_enqueues -= 1
                        self._check_live(op, enqueue=True, admitted=True)
                    self.items.append(element)
                    self.cond.notify_all()
            finally:
                self.enqueue_line.remove(ticket)
                self.cond.notify_all()

    def dequeue(
        self, op, n: int, up_to: bool = False, deadline: float | None = None
    ) -> list[tuple]:
        """Takes ``n`` elements (fewer, at least one, from a closed queue when ``up_to``).

        As TF's queues, dequeues are served in the order they came, the first taking elements
        as they arrive (so ``n`` may exceed the capacity); when the queue closes short, those
        it took go back to the front. At ``deadline`` it gives up and, as TF, loses them (an
        interrupt or a closed session puts them back).
        """
        if n < 0:
            raise errors.InvalidArgumentError(
                None, op, f"DequeueManyOp requested {n} < 0 elements (op '{op.name}')"
            )
        with self.cond:
            self._check_live(op, enqueue=False)
            ticket = next(self.tickets)
            self.line.append(ticket)
            taken: list[tuple] = []
            try:
                return self._serve(op, n, up_to, deadline, ticket, taken)
            except errors.DeadlineExceededError:
                raise
            except BaseException:  # Ctrl-C, a closed session: the queue as it was
                self.items[:0] = taken
                raise
            finally:
                self.line.remove(ticket)
                self.cond.notify_all()

    def _serve(self, op, n, up_to, deadline, ticket, taken: list[tuple]) -> list[tuple]:
        while True:
            self._check_live(op, enqueue=False)
            if self.line[0] == ticket:
                # enqueues waiting when the queue closed still come in: closed after them
                closed = self.closed and not self.waiting_enqueues
                wanted, size = n - len(taken), len(self.items)
                if closed and size < wanted:
                    self.items[:0] = taken
                    taken.clear()
                    if up_to and self.items:
                        return [self._take() for _ in range(len(self.items))]
                    raise errors.OutOfRangeError(
                        None,
                        op,
                        f"{self.kind} '{self.name}' is closed and has insufficient elements "
                        f"(requested {wanted}, current size {size})",
                    )
                ready = size - (0 if closed else self.min_after_dequeue)
                taken.extend(self._take() for _ in range(max(0, min(wanted, ready))))
                if len(taken) == n:
                    return taken
                if taken:
                    self.cond.notify_all()  # room for waiting enqueues
            self._wait(deadline)

    def _take(self) -> tuple:
        if self.kind == "PriorityQueue":  # the lowest priority, the earliest among equals
            first = min(range(len(self.items)), key=lambda i: int(self.items[i][0]))
            return self.items.pop(first)
        if self.rng is None:
            return self.items.pop(0)
        i = self.rng() % len(self.items)  # TF's pick: a Philox word modulo the size
        self.items[i], self.items[-1] = self.items[-1], self.items[i]
        return self.items.pop()

    def close(self, cancel_pending_enqueues: bool) -> None:
        with self.cond:
            self.closed = True
            self.cancel_enqueues = self.cancel_enqueues or cancel_pending_enqueues
            self.cond.notify_all()

    def session_closed(self) -> None:
        """Cancels every op waiting on this queue (``Session.close``)."""
        with self.cond:
            self.session_closed_flag = True
            self.cond.notify_all()

    def stack(self, op, elements: list[tuple]) -> tuple:
        """Each component of ``elements`` stacked along a new first dimension (padded with
        zeros to the largest shape in a ``PaddingFIFOQueue``)."""
        out = []
        for i, dtype in enumerate(self.dtypes):
            np_dtype = dtype.as_numpy_dtype
            parts = [np.asarray(e[i], dtype=np_dtype) for e in elements]
            if not parts:
                shape = self.shapes[i].as_list() if self.shapes else None
                if shape is None or None in shape:
                    raise errors.InvalidArgumentError(
                        None,
                        op,
                        f"{op.type} with n = 0 needs fully defined component shapes, got "
                        f"{shape} for component {i} (queue '{self.name}')",
                    )
                out.append(np.zeros([0, *shape], dtype=np_dtype))
                continue
            if self.kind == "PaddingFIFOQueue":
                biggest = np.max([p.shape for p in parts], axis=0) if parts[0].ndim else ()
                fill = b"" if dtype == dtypes.string else 0
                padded = np.full((len(parts), *biggest), fill, dtype=np_dtype)
                for j, part in enumerate(parts):  # scalars too: padded[(j,)]
                    padded[(j, *(slice(0, d) for d in part.shape))] = part
                out.append(padded)
            else:
                out.append(np.stack(parts))
        return tuple(out)


class _PhiloxWords:
    """A shuffle queue's generator, as TF's: 32-bit Philox4x32-10 words one at a time from
    ``(seed, seed2)`` (fresh entropy for both zero), read on from run to run."""

    def __init__(self, op):
        state = PhiloxState(int(op._attrs["seed"]), int(op._attrs["seed2"]))
        self._key, self._next = state.key, state.counter
        self._words: list[int] = []

    def __call__(self) -> int:
        if not self._words:
            self._words = philox_words(self._key, self._next, 16).ravel().tolist()[::-1]
            self._next += 16
        return self._words.pop()


def _queue_infer(inputs, attrs):
    return [(dtypes.resource, tensor_shape.TensorShape([]))]


def _queue_kernel(ctx, op):
    def make():
        number = next(ctx.op_state(_COUNTER, itertools.count))
        rng = _PhiloxWords(op) if op.type == "RandomShuffleQueueV2" else None
        return RuntimeQueue(op, f"_{number}_{op.name}", rng)

    shared = op._attrs.get("shared_name") or b""
    key = ("shared queue", shared) if shared else op
    return ctx.op_state(key, make)


def _queue(handle) -> RuntimeQueue:
    """The queue behind a handle (the JAX executor hands host steps a 0-d object array)."""
    return handle.item() if isinstance(handle, np.ndarray) else handle


def _deadline(ctx) -> float | None:
    return getattr(ctx, "deadline", None)


def _enqueue_kernel(ctx, op, handle, *components):
    _queue(handle).enqueue(op, [tuple(components)], _deadline(ctx))
    return ()


def _enqueue_many_kernel(ctx, op, handle, *components):
    sizes = {np.shape(c)[0] if np.ndim(c) else None for c in components}
    if None in sizes or len(sizes) != 1:
        shapes = [list(np.shape(c)) for c in components]
        raise errors.InvalidArgumentError(
            None,
            op,
            f"QueueEnqueueMany requires all components to have the same size in the 0th "
            f"dimension, got shapes {shapes} (op '{op.name}')",
        )
    _queue(handle).enqueue(op, list(zip(*components, strict=True)), _deadline(ctx))
    return ()


def _outputs(values: tuple):
    return values[0] if len(values) == 1 else values


def _dequeue_kernel(ctx, op, handle):
    queue = _queue(handle)
    (element,) = queue.dequeue(op, 1, deadline=_deadline(ctx))
    types = [t.as_numpy_dtype for t in queue.dtypes]
    return _outputs(tuple(np.asarray(v, dtype=t) for v, t in zip(element, types, strict=True)))


def _dequeue_many_kernel(ctx, op, handle, n):
    queue = _queue(handle)
    return _outputs(queue.stack(op, queue.dequeue(op, int(n), deadline=_deadline(ctx))))


def _dequeue_up_to_kernel(ctx, op, handle, n):
    queue = _queue(handle)
    elements = queue.dequeue(op, int(n), up_to=True, deadline=_deadline(ctx))
    return _outputs(queue.stack(op, elements))


def _close_kernel(ctx, op, handle):
    _queue(handle).close(bool(op._attrs.get("cancel_pending_enqueues", False)))
    return ()


def _size_kernel(ctx, op, handle):
    queue = _queue(handle)
    with queue.cond:
        return np.int32(len(queue.items))


def _is_closed_kernel(ctx, op, handle):
    return np.bool_(_queue(handle).closed)


def _dequeue_infer(batch):
    def infer(inputs, attrs):
        if batch and inputs[1].dtype.base_dtype != dtypes.int32:
            raise TypeError(f"n must be an int32 scalar, got {inputs[1].dtype.name}")
        return [(t, tensor_shape.unknown_shape()) for t in attrs["component_types"]]

    return infer


_FACTS = {"grad": NOT_DIFFERENTIABLE, "stateful": True}  # queues are state; no gradients

for _type in _KINDS:
    register_op(_type, _queue_infer, kernel=_queue_kernel, **_FACTS)
register_op("QueueEnqueueV2", lambda i, a: [], kernel=_enqueue_kernel, **_FACTS)
register_op("QueueEnqueueManyV2", lambda i, a: [], kernel=_enqueue_many_kernel, **_FACTS)
register_op("QueueDequeueV2", _dequeue_infer(False), kernel=_dequeue_kernel, **_FACTS)
register_op("QueueDequeueManyV2", _dequeue_infer(True), kernel=_dequeue_many_kernel, **_FACTS)
register_op("QueueDequeueUpToV2", _dequeue_infer(True), kernel=_dequeue_up_to_kernel, **_FACTS)
register_op("QueueCloseV2", lambda i, a: [], kernel=_close_kernel, **_FACTS)
register_op(
    "QueueSizeV2",
    lambda i, a: [(dtypes.int32, tensor_shape.TensorShape([]))],
    kernel=_size_kernel,
    **_FACTS,
)
register_op(
    "QueueIsClosedV2",
    lambda i, a: [(dtypes.bool, tensor_shape.TensorShape([]))],
    kernel=_is_closed_kernel,
    **_FACTS,
)
