"""One shared thread pool for kernels that split their work into chunks (NumPy, BLAS and
pocketfft release the GIL while they compute).

A pool made per call costs more than a small kernel; this one is made on first use and
kept. Handing a span to a pool thread costs tens of microseconds on a busy machine, so only
work on arrays of a megabyte or more is split. Spans never wait on other spans (work split
again inside a span runs on its own thread), so kernels from several sessions can share
the pool without deadlock.
"""

from __future__ import annotations

import math
import os
import threading
from concurrent.futures import ThreadPoolExecutor

import numpy as np

THREADS = max(1, min(8, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1))

_pool: ThreadPoolExecutor | None = None
_lock = threading.Lock()


_worker = threading.local()


def _mark_worker() -> None:
    _worker.busy = True


def _shared_pool() -> ThreadPoolExecutor:
    global _pool
    if _pool is None:
        with _lock:
            if _pool is None:
                _pool = ThreadPoolExecutor(
                    THREADS, thread_name_prefix="scopeflow-kernel", initializer=_mark_worker
                )
    return _pool


def run_spans(fn, spans) -> None:
    """Calls ``fn(start, stop)`` for each span, on the shared pool when there are several
    (the last one on the calling thread), under the caller's NumPy error state (a
    ``Session.run`` silences overflow warnings; other threads would not); re-raises the
    first failure."""
    spans = list(spans)
    if THREADS == 1 or len(spans) <= 1 or getattr(_worker, "busy", False):
        for a, b in spans:
            fn(a, b)
        return
    state = np.geterr()

    def in_state(a, b):
        with np.errstate(**state):
            fn(a, b)

    futures = [_shared_pool().submit(in_state, a, b) for a, b in spans[:-1]]
    try:
        fn(*spans[-1])
    finally:
        for future in futures:
            future.result()


def even_spans(n: int, pieces: int) -> list[tuple[int, int]]:
    """``range(n)`` cut into at most ``pieces`` contiguous spans of near-equal length."""
    pieces = max(1, min(pieces, n))
    step = -(-n // pieces)
    return [(a, min(a + step, n)) for a in range(0, n, step)]


_SPLIT_BYTES = 1 << 20  # below this, a thread hand-off costs more than it saves


def batch_spans(n: int, nbytes: int) -> list[tuple[int, int]]:
    """Spans of a batch of ``n`` items totalling ``nbytes``: one per kernel thread for
    large batches, a single span for small ones."""
    return even_spans(n, THREADS if nbytes >= _SPLIT_BYTES else 1) if n else []


def split_ufunc(fn: np.ufunc, *args: np.ndarray) -> np.ndarray:
    """``fn(*args)`` for a one-output NumPy ufunc, computed in spans of the first axis of a
    large result over the kernel threads (operands that broadcast along that axis are
    passed whole). Same values as one call: an elementwise op does not depend on order."""
    if THREADS == 1 or not all(type(a) is np.ndarray for a in args):
        return fn(*args)  # (Python scalars take part in type promotion differently)
    if max(a.nbytes for a in args) * 8 < _SPLIT_BYTES:
        return fn(*args)  # small operands: the common case, decided before anything costly
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
    if math.prod(shape) * dtype.itemsize < _SPLIT_BYTES:
        return fn(*args)
    out = np.empty(shape, dtype)
    ndim = len(shape)

    def span(a, b):
        parts = [x[a:b] if x.ndim == ndim and x.shape[0] != 1 else x for x in args]
        fn(*parts, out=out[a:b])

    run_spans(span, even_spans(shape[0], THREADS))
    return out


def copyto(dst: np.ndarray, src: np.ndarray) -> None:
    """``np.copyto(dst, src)`` for same-shape arrays (a layout change, say), in spans of the
    first axis over the kernel threads when large."""
    if dst.ndim == 0:
        np.copyto(dst, src)
        return
    run_spans(lambda a, b: np.copyto(dst[a:b], src[a:b]), batch_spans(len(dst), dst.nbytes))
