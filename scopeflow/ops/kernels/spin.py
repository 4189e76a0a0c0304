"""The kernel threads' pool and events, which wait a little while awake before they sleep.

Handing a span of work to a sleeping thread costs its wake-up: on the 2-core VM these
measurements come from, the two halves of a [128, 784] x [784, 512] product took 450 us each
on their own but 620-690 us side by side, where OpenBLAS's own threads, which stay awake
between calls, took 463 us for the whole product. A pool thread here, once its span is done,
watches for new work for :data:`SPIN_US` microseconds before it sleeps, and a thread waiting
for a span (:meth:`Event.wait`) watches its flag as long before it sleeps: during a run, whose
spans come every few hundred microseconds, both stay awake and a hand-off costs a few
microseconds.

They watch without the GIL, in a loop compiled by numba (an acquire load of a flag in a NumPy
array and the CPU's pause hint, the way spin locks wait), so the thread holding the GIL runs
on. ``SCOPEFLOW_SPIN_US=0``, or numba missing, turns the watching off: threads then sleep at
once, as :class:`threading.Event` and a plain pool do. A machine with more busy threads than
cores loses by watching (the watcher takes a core another process wanted), hence the short
limit; the threads never watch outside the spans of a run.

The pool's threads are daemons named ``scopeflow-kernel_<n>``, started as work needs them.
"""

from __future__ import annotations

import collections
import functools
import os
import platform
import threading
import time

import numpy as np

SPIN_US = float(os.environ.get("SCOPEFLOW_SPIN_US", "0"))
_CORES = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
_load = [-1.0, False]  # when the load average was last read, and whether it allows watching


def _watch(flag, seen, iterations):  # compiled by numba in _watcher (globals set there)
    """Whether ``flag[0]`` stopped being ``seen`` within ``iterations`` pauses."""
    for _ in range(iterations):
        if _load_acquire(flag) != seen:
            return True
        _pause()
    return False


_load_acquire = _pause = None  # numba intrinsics, made by _watcher


@functools.cache
def _watcher():
    """(the compiled :func:`_watch`, its iterations per microsecond), or None."""
    if SPIN_US <= 0:
        return None
    try:
        from llvmlite import ir
        from numba import njit, types
        from numba.extending import intrinsic
    except ImportError:
        return None
    x86 = platform.machine().lower() in ("x86_64", "amd64", "i686", "x86")

    @intrinsic
    def load_acquire(typingctx, flag):
        def codegen(context, builder, signature, args):
            data = context.make_array(signature.args[0])(context, builder, args[0]).data
            return builder.load_atomic(data, "acquire", 8)

        return types.int64(flag), codegen

    @intrinsic
    def pause(typingctx):
        def codegen(context, builder, signature, args):
            if x86:  # LLVM's own intrinsic for the instruction (inline assembly aborts)
                module = builder.module
                fnty = ir.FunctionType(ir.VoidType(), [])
                hint = module.globals.get("llvm.x86.sse2.pause")
                if hint is None:
                    hint = ir.Function(module, fnty, "llvm.x86.sse2.pause")
                builder.call(hint, [])
            return context.get_dummy_value()

        return types.void(), codegen

    global _load_acquire, _pause
    _load_acquire, _pause = load_acquire, pause
    try:
        watch = njit(nogil=True, cache=True)(_watch)
        flag = np.zeros(1, np.int64)
        watch(flag, 0, 10)  # compiles
        start = time.perf_counter()
        watch(flag, 0, 20_000)
        per_us = 20_000 / max((time.perf_counter() - start) * 1e6, 1.0)
    except Exception:  # noqa: BLE001 - a numba that cannot compile this: sleep at once
        return None
    _match_blas_threads()
    return watch, per_us


def _match_blas_threads() -> None:
    """Gives the BLAS libraries numba's first compilation loaded (SciPy's OpenBLAS) the
    thread count NumPy's BLAS has (one, as the first Session set it: session/tuning.py)."""
    try:
        import threadpoolctl
    except ImportError:
        return
    pools = [i for i in threadpoolctl.threadpool_info() if i["user_api"] == "blas"]
    numpy_pool = [i for i in pools if "numpy" in i["filepath"]]
    if numpy_pool and any(i["num_threads"] != numpy_pool[0]["num_threads"] for i in pools):
        threadpoolctl.threadpool_limits(numpy_pool[0]["num_threads"], user_api="blas")


def watch(flag: np.ndarray, seen: int) -> None:
    """Returns when ``flag[0]`` is no longer ``seen`` or after :data:`SPIN_US`; at once
    without numba, or while the machine's load average is above its cores (read twice a
    second), where a watching thread would take a core others wait for. The GIL is free
    meanwhile."""
    if SPIN_US <= 0 or not _quiet():
        return
    watcher = _watcher()
    if watcher is not None:
        fn, per_us = watcher
        fn(flag, seen, int(SPIN_US * per_us))


def _quiet() -> bool:
    now = time.monotonic()
    if now - _load[0] > 0.5:
        _load[0] = now
        try:
            _load[1] = os.getloadavg()[0] <= _CORES + 0.5
        except OSError:
            _load[1] = False
    return _load[1]


class Event:
    """A :class:`threading.Event` whose :meth:`wait` watches first (see the module)."""

    __slots__ = ("_flag", "_event")

    def __init__(self):
        self._flag = np.zeros(1, np.int64)
        self._event = threading.Event()

    def set(self) -> None:
        self._flag[0] = 1
        self._event.set()

    def is_set(self) -> bool:
        return self._event.is_set()

    def wait(self) -> None:
        if not self._flag[0]:
            watch(self._flag, 0)
        self._event.wait()


class Task:
    """One call submitted to the :class:`Pool`: :meth:`result` waits for it."""

    __slots__ = ("fn", "args", "value", "failure", "done")

    def __init__(self, fn, args: tuple):
        self.fn, self.args = fn, args
        self.value = self.failure = None
        self.done = Event()

    def run(self) -> None:
        try:
            self.value = self.fn(*self.args)
        except BaseException as e:  # noqa: BLE001 - re-raised by result()
            self.failure = e
        finally:
            self.fn = self.args = None
            self.done.set()

    def result(self):
        self.done.wait()
        if self.failure is not None:
            raise self.failure
        return self.value


class Pool:
    """Up to ``size`` daemon threads running submitted calls in order; an idle thread
    watches for work (:func:`watch`) before it sleeps."""

    def __init__(self, size: int, name: str, initializer=None):
        self._size, self._name, self._initializer = size, name, initializer
        self._queue: collections.deque = collections.deque()
        self._submitted = np.zeros(1, np.int64)  # counts submissions: what idle threads watch
        self._wake = threading.Condition()
        self._sleeping = 0
        self._idle = 0  # threads not running a call
        self._threads: list[threading.Thread] = []

    def submit(self, fn, *args) -> Task:
        task = Task(fn, args)
        self._queue.append(task)
        self._submitted[0] += 1
        if self._idle < len(self._queue) and len(self._threads) < self._size:
            self._start()
        if self._sleeping:
            with self._wake:
                self._wake.notify()
        return task

    def _start(self) -> None:
        with self._wake:
            if len(self._threads) >= self._size:
                return
            thread = threading.Thread(
                target=self._work, name=f"{self._name}_{len(self._threads)}", daemon=True
            )
            self._threads.append(thread)
            self._idle += 1
        thread.start()

    def _work(self) -> None:
        if self._initializer is not None:
            self._initializer()
        queue = self._queue
        while True:
            try:
                task = queue.popleft()
            except IndexError:
                self._rest()
                continue
            self._idle -= 1
            task.run()
            task = None
            self._idle += 1

    def _rest(self) -> None:
        """Watches for a submission, then sleeps until one comes."""
        seen = int(self._submitted[0])
        if self._queue:
            return
        watch(self._submitted, seen)
        if self._queue:
            return
        with self._wake:
            self._sleeping += 1
            try:
                while not self._queue:
                    self._wake.wait()
            finally:
                self._sleeping -= 1
