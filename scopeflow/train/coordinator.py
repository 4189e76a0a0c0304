"""``tf.train.Coordinator`` and ``tf.train.LooperThread``: stopping a group of threads
together, and carrying the first error one of them hit back to the thread that joins them.

As in TF1: a thread that fails calls ``request_stop(e)`` (or runs inside
``coord.stop_on_exception()``); the others see ``should_stop()`` and finish; ``join()`` waits
for them (``stop_grace_period_secs`` after the stop) and re-raises the first error reported.
Errors of the ``clean_stop_exception_types`` (``tf.errors.OutOfRangeError`` by default: an
input ran out) stop the threads without being re-raised.
"""

from __future__ import annotations

import contextlib
import logging
import sys
import threading
import time

from scopeflow.framework import errors

_log = logging.getLogger("tensorflow")


class Coordinator:
    """Stops threads together and re-raises the first exception one of them reported.

    >>> import threading, scopeflow as tf
    >>> coord = tf.train.Coordinator()
    >>> def work():
    ...     with coord.stop_on_exception():
    ...         raise ValueError("bad input")
    >>> threads = [threading.Thread(target=work) for _ in range(2)]
    >>> for t in threads:
    ...     t.start()
    >>> try:
    ...     coord.join(threads)
    ... except ValueError as e:
    ...     print(e)
    bad input
    """

    def __init__(self, clean_stop_exception_types=None):
        if clean_stop_exception_types is None:
            clean_stop_exception_types = (errors.OutOfRangeError,)
        self._clean_stop_exception_types = tuple(clean_stop_exception_types)
        self._lock = threading.Lock()
        self._stop_event = threading.Event()
        self._exc_info_to_raise = None
        self._joined = False
        self._registered_threads: set = set()

    def _filter_exception(self, ex):
        instance = ex[1] if isinstance(ex, tuple) else ex
        return None if isinstance(instance, self._clean_stop_exception_types) else ex

    def request_stop(self, ex=None) -> None:
        """Asks the threads to stop; ``should_stop()`` is true from now on.

        Args:
            ex: the exception that made a thread stop (an exception being handled, or a
                ``sys.exc_info()`` tuple), re-raised by ``join()``; only the first one
                reported is kept.

        Raises:
            The exception ``ex``, when the threads were already joined.
        """
        with self._lock:
            ex = self._filter_exception(ex)
            if self._joined:  # nobody is left to re-raise it
                if isinstance(ex, tuple):
                    raise ex[1]
                if ex is not None:  # TF1 raises sys.exc_info()'s: None outside a handler
                    raise ex
            if self._stop_event.is_set():
                return
            if ex and self._exc_info_to_raise is None:
                if isinstance(ex, tuple):
                    _log.info("Error reported to Coordinator: %s", ex[1], exc_info=ex)
                    self._exc_info_to_raise = ex
                else:
                    _log.info("Error reported to Coordinator: %s, %s", type(ex), ex)
                    self._exc_info_to_raise = sys.exc_info()
                info = self._exc_info_to_raise
                if len(info) != 3 or not info[0] or not info[1]:
                    try:
                        raise ValueError(
                            "ex must be a tuple or sys.exc_info must return the current "
                            f"exception: {info}"
                        )
                    except ValueError:
                        self._exc_info_to_raise = sys.exc_info()
            self._stop_event.set()

    def clear_stop(self) -> None:
        """Forgets a stop request and its exception, so the threads can run again."""
        with self._lock:
            self._joined = False
            self._exc_info_to_raise = None
            self._stop_event.clear()

    def should_stop(self) -> bool:
        """Whether a stop was requested."""
        return self._stop_event.is_set()

    @contextlib.contextmanager
    def stop_on_exception(self):
        """A context in which any exception requests a stop (and is reported) instead of
        propagating."""
        try:
            yield
        except:  # noqa: E722 - as TF1: any exception, SystemExit included, stops the threads
            self.request_stop(ex=sys.exc_info())

    def wait_for_stop(self, timeout: float | None = None) -> bool:
        """Waits up to ``timeout`` seconds (None: forever) for a stop; whether one came."""
        return self._stop_event.wait(timeout)

    def register_thread(self, thread: threading.Thread) -> None:
        """Adds ``thread`` to the threads ``join()`` waits for."""
        with self._lock:
            self._registered_threads.add(thread)

    def join(self, threads=None, stop_grace_period_secs=120, ignore_live_threads=False) -> None:
        """Waits for ``threads`` (and the registered ones) to finish: until they all end or a
        stop is requested, then up to ``stop_grace_period_secs`` more.

        Raises:
            The first exception passed to ``request_stop``.
            RuntimeError: threads still running after the grace period ("Coordinator stopped
                with threads still running"), unless ``ignore_live_threads``.
        """
        with self._lock:
            threads = list(self._registered_threads.union(threads or ()))
        while any(t.is_alive() for t in threads) and not self.wait_for_stop(1.0):
            pass
        wait = 0.001
        while any(t.is_alive() for t in threads) and stop_grace_period_secs >= 0.0:
            time.sleep(wait)
            stop_grace_period_secs -= wait
            wait = max(min(2 * wait, stop_grace_period_secs), 0.001)
        stragglers = [t.name for t in threads if t.is_alive()]
        with self._lock:
            self._joined = True
            self._registered_threads = set()
            if self._exc_info_to_raise:
                raise self._exc_info_to_raise[1]
            if stragglers:
                message = "Coordinator stopped with threads still running: " + " ".join(stragglers)
                if not ignore_live_threads:
                    raise RuntimeError(message)
                _log.info(message)

    @property
    def joined(self) -> bool:
        return self._joined

    def raise_requested_exception(self) -> None:
        """Raises the exception reported with the stop request, if any."""
        with self._lock:
            if self._exc_info_to_raise:
                raise self._exc_info_to_raise[1]


class LooperThread(threading.Thread):
    """A daemon thread calling ``target(*args, **kwargs)`` (or its ``run_loop()``) until its
    coordinator stops: every ``timer_interval_secs`` seconds, or back to back when that is
    ``None``. Registered with the coordinator; an exception stops the coordinator."""

    def __init__(self, coord, timer_interval_secs, target=None, args=None, kwargs=None):
        if not isinstance(coord, Coordinator):
            raise ValueError(f"'coord' argument must be a Coordinator: {coord}")
        super().__init__()
        self.daemon = True
        self._coord = coord
        self._timer_interval_secs = timer_interval_secs
        self._target = target
        if self._target:
            self._args = args or ()
            self._kwargs = kwargs or {}
        elif args or kwargs:
            raise ValueError("'args' and 'kwargs' argument require that you also pass 'target'")
        self._coord.register_thread(self)

    @staticmethod
    def loop(coord, timer_interval_secs, target, args=None, kwargs=None) -> LooperThread:
        """Starts and returns a ``LooperThread`` calling ``target``."""
        looper = LooperThread(coord, timer_interval_secs, target=target, args=args, kwargs=kwargs)
        looper.start()
        return looper

    def run(self) -> None:
        with self._coord.stop_on_exception():
            self.start_loop()
            if self._timer_interval_secs is None:
                while not self._coord.should_stop():
                    self.run_loop()
            else:
                next_time = time.time()
                while not self._coord.wait_for_stop(next_time - time.time()):
                    next_time += self._timer_interval_secs
                    self.run_loop()
            self.stop_loop()

    def start_loop(self) -> None:
        """Called once in the thread before the loop."""

    def stop_loop(self) -> None:
        """Called once in the thread after the loop."""

    def run_loop(self) -> None:
        """One iteration: calls ``target``."""
        if self._target:
            self._target(*self._args, **self._kwargs)
