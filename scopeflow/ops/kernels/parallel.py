"""Kernel threads: work cut into spans (of a batch, or of a result's first axis) and run on
one shared pool (NumPy, BLAS and pocketfft release the GIL while they compute).

How many threads a kernel may use is decided per session, not here: a ``Session`` makes a
:class:`Threads` from ``ConfigProto.intra_op_parallelism_threads`` and hands it to every
kernel as ``ctx.threads``; the algorithms in this package take it as an argument.
``Threads(1)`` runs every span on the calling thread and never touches the pool.

The pool (:class:`~scopeflow.ops.kernels.spin.Pool`, daemon threads) is made on first use,
kept, and shared by all sessions (its threads start as they are needed). Handing a span to a
pool thread costs tens of microseconds on an idle machine and up to milliseconds on a loaded
one, so only large work is split: batches (convolution
chunks, pooling) of a megabyte or more, elementwise ufuncs of 16 MB or more. Elementwise
ops are bound by memory traffic, which a second core barely speeds up: on the shared 2-core
VM (load average ~7) an add of two 4 MB arrays took 0.34 ms on one thread and 0.5-1.4 ms
split in two; from 16 MB on the split won (8 against 11 ms). Spans never wait on other spans
(work split again inside a span runs on its own thread), so kernels from several sessions
can share the pool without deadlock.
"""

from __future__ import annotations

import contextlib
import math
import os
import threading

import numpy as np

from scopeflow.ops.kernels import spin, workspace
from scopeflow.ops.kernels.quiet import inside_run, silenced

MAX_THREADS = 64  # the pool's size: a larger count is cut to it
_SPLIT_BYTES = 1 << 20  # below this, a thread hand-off costs more than it saves
_UFUNC_SPLIT_BYTES = 1 << 24  # the same for memory-bound elementwise ufuncs

_pool: spin.Pool | None = None
_lock = threading.Lock()
_worker = threading.local()


def default_count() -> int:
    """The thread count of ``intra_op_parallelism_threads=0``: the cores this process may
    run on, at most 8."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1
    return max(1, min(8, cores))


def _mark_worker() -> None:
    _worker.busy = True


def _shared_pool() -> spin.Pool:
    global _pool
    if _pool is None:
        with _lock:
            if _pool is None:
                _pool = spin.Pool(MAX_THREADS - 1, "scopeflow-kernel", _mark_worker)
    return _pool


def even_spans(n: int, pieces: int) -> list[tuple[int, int]]:
    """``range(n)`` cut into at most ``pieces`` contiguous spans of near-equal length."""
    pieces = max(1, min(pieces, n))
    step = -(-n // pieces)
    return [(a, min(a + step, n)) for a in range(0, n, step)]


class Threads:
    """At most ``count`` threads (the caller's among them) for each kernel call; batches under
    ``split_bytes`` and elementwise results under ``ufunc_bytes`` are not split.

    >>> Threads(2).batch_spans(5, 1 << 20)
    [(0, 3), (3, 5)]
    """

    __slots__ = ("count", "split_bytes", "ufunc_bytes")

    def __init__(
        self, count: int, split_bytes: int = _SPLIT_BYTES, ufunc_bytes: int = _UFUNC_SPLIT_BYTES
    ):
        self.count = max(1, min(count, MAX_THREADS))
        self.split_bytes = split_bytes
        self.ufunc_bytes = ufunc_bytes

    def __repr__(self) -> str:
        return f"Threads({self.count})"

    def run_spans(self, fn, spans) -> None:
        """Calls ``fn(start, stop)`` for each span: on ``count`` threads at most, the
        calling thread one of them, under the caller's NumPy error state (a
        ``Session.run`` silences overflow warnings; other threads would not); re-raises
        the first failure."""
        spans = list(spans)
        count = min(self.count, len(spans))
        if count <= 1 or getattr(_worker, "busy", False):
            for a, b in spans:
                fn(a, b)
            return
        errors = callers_state()

        def lane(part):
            with errors():
                for a, b in part:
                    fn(a, b)

        # Lane i takes spans i, i + count, ...; the last lane runs here.
        futures = [_shared_pool().submit(lane, spans[i::count]) for i in range(count - 1)]
        try:
            for a, b in spans[count - 1 :: count]:
                fn(a, b)
        finally:
            for future in futures:
                future.result()

    def batch_spans(self, n: int, nbytes: int) -> list[tuple[int, int]]:
        """Spans of a batch of ``n`` items totalling ``nbytes``: one per thread for large
        batches, a single span for small ones."""
        return even_spans(n, self.count if nbytes >= self.split_bytes else 1) if n else []

    def elementwise_spans(self, n: int, nbytes: int) -> list[tuple[int, int]]:
        """As :meth:`batch_spans`, for memory-bound elementwise work: split from
        ``ufunc_bytes`` on."""
        return even_spans(n, self.count if nbytes >= self.ufunc_bytes else 1) if n else []

    def split_ufunc(self, fn: np.ufunc, *args: np.ndarray) -> np.ndarray:
        """``fn(*args)`` for a one-output NumPy ufunc, computed in spans of the first axis of
        a large result (operands that broadcast along that axis are passed whole). Same
        values as one call: an elementwise op does not depend on order."""
        if self.count == 1:
            return fn(*args)
        limit = self.ufunc_bytes >> 3
        large = False
        for a in args:  # small operands, the common case, are decided before anything costly
            if type(a) is not np.ndarray:
                return fn(*args)  # (Python scalars take part in type promotion differently)
            large = large or a.nbytes >= limit
        if not large:
            return fn(*args)
        try:
            shape = np.broadcast_shapes(*(a.shape for a in args))
        except ValueError:  # NumPy's own call raises its usual message
            return fn(*args)
        if not shape or shape[0] < 2:
            return fn(*args)
        try:
            dtype = fn.resolve_dtypes(tuple(a.dtype for a in args) + (None,))[-1]
        except (TypeError, ValueError):  # object arrays, string dtypes...: NumPy decides
            return fn(*args)
        if math.prod(shape) * dtype.itemsize < self.ufunc_bytes:
            return fn(*args)
        out = np.empty(shape, dtype)
        ndim = len(shape)

        def span(a, b):
            parts = [x[a:b] if x.ndim == ndim and x.shape[0] != 1 else x for x in args]
            fn(*parts, out=out[a:b])

        self.run_spans(span, even_spans(shape[0], self.count))
        return out

    def copyto(self, dst: np.ndarray, src: np.ndarray) -> None:
        """``np.copyto(dst, src)`` for same-shape arrays (a layout change, say), in spans of
        the first axis when large."""
        if dst.ndim == 0:
            np.copyto(dst, src)
            return
        spans = self.batch_spans(len(dst), dst.nbytes)
        self.run_spans(lambda a, b: np.copyto(dst[a:b], src[a:b]), spans)


def callers_state():
    """A factory of contexts under which a pool thread works as the calling thread does: its
    floating-point errors handled as the caller's (a run's silence, :mod:`quiet`, or the
    caller's ``np.geterr()``), its large arrays from the caller's run (:mod:`workspace`)."""
    pool = workspace.callers_pool()
    if inside_run():
        errors = silenced
    else:
        state = np.geterr()

        def errors():
            return np.errstate(**state)

    @contextlib.contextmanager
    def state_of_caller():
        with errors(), pool():
            yield

    return state_of_caller


def run_claimed(threads: Threads, fn, spans) -> None:
    """As :meth:`Threads.run_spans`, but each span goes to whichever thread claims it first,
    the calling thread among them, and the caller waits for the spans, not for the pool
    threads: one that starts late (on a loaded machine, its core taken by another process)
    takes fewer spans or none, and is not waited for when it has none. For work whose every
    span is computed the same way on any thread (a BLAS call on its own slice of the
    result), so that only the timing depends on who runs it."""
    spans = list(spans)
    count = min(threads.count, len(spans))
    if count <= 1 or getattr(_worker, "busy", False):
        for a, b in spans:
            fn(a, b)
        return
    errors = callers_state()
    claims = iter(range(len(spans)))  # each index handed out once, under the lock
    lock = threading.Lock()
    finished = spin.Event()
    left = [len(spans)]
    failures: list[BaseException] = []

    def claim_and_run() -> None:
        while True:
            with lock:
                i = next(claims, None)
            if i is None:
                return
            try:
                fn(*spans[i])
            except BaseException as e:  # noqa: BLE001 - re-raised on the calling thread
                failures.append(e)
            with lock:
                left[0] -= 1
                if not left[0]:
                    finished.set()

    def lane() -> None:
        with errors():
            claim_and_run()

    for _ in range(count - 1):
        _shared_pool().submit(lane)
    claim_and_run()
    finished.wait()
    if failures:
        raise failures[0]
