"""``tf.keras.utils``' enqueuers: batches of a ``Sequence`` (``OrderedEnqueuer``) or a
generator (``GeneratorEnqueuer``) prepared ahead by worker threads into a bounded queue, read
in order with ``get()``. Workers are threads, also with ``use_multiprocessing=True``: a
``Sequence``'s batches are the same, in the same order, as Keras's worker processes give
(random draws inside ``__getitem__`` come from the one process's state, not from copies of
it); a generator read by several processes, which Keras warns duplicates its data, raises
``NotImplementedError``.

>>> import scopeflow as tf
>>> class Squares(tf.keras.utils.Sequence):
...     def __len__(self):
...         return 3
...     def __getitem__(self, i):
...         return i * i
>>> enqueuer = tf.keras.utils.OrderedEnqueuer(Squares())
>>> enqueuer.start(workers=2, max_queue_size=4)
>>> batches = enqueuer.get()
>>> [next(batches) for _ in range(5)]
[0, 1, 4, 0, 1]
>>> enqueuer.stop()
"""

from __future__ import annotations

import queue
import random
import threading
from concurrent.futures import CancelledError


class SequenceEnqueuer:
    """The base of the enqueuers: ``start(workers, max_queue_size)``, ``get()`` (a generator
    of the batches), ``is_running()``, ``stop(timeout)``."""

    def __init__(self, sequence, use_multiprocessing=False):
        self.sequence = sequence
        self.use_multiprocessing = use_multiprocessing
        self.workers = 0
        self.queue = None
        self.executor = None
        self.run_thread = None
        self.stop_signal = None

    def is_running(self) -> bool:
        """Whether ``start`` was called and ``stop`` not yet."""
        return self.stop_signal is not None and not self.stop_signal.is_set()

    def start(self, workers=1, max_queue_size=10) -> None:
        """Starts ``workers`` threads filling a queue of at most ``max_queue_size``
        batches."""
        from concurrent.futures import ThreadPoolExecutor

        self.workers = max(1, workers)
        self.executor = ThreadPoolExecutor(max_workers=self.workers)
        self.queue = queue.Queue(max_queue_size)
        self.stop_signal = threading.Event()
        self.run_thread = threading.Thread(target=self._run, daemon=True)
        self.run_thread.start()

    def _put(self, future) -> bool:
        """Queues ``future`` unless ``stop`` comes first; returns whether it was queued."""
        while not self.stop_signal.is_set():
            try:
                self.queue.put(future, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def stop(self, timeout=None) -> None:
        """Stops the workers and waits up to ``timeout`` seconds for the filling thread."""
        if self.stop_signal is None:
            return
        self.stop_signal.set()
        while True:
            try:
                self.queue.get_nowait().cancel()
            except queue.Empty:
                break
        self.run_thread.join(timeout)
        self.executor.shutdown(wait=False, cancel_futures=True)
        self.run_thread = None

    def _run(self) -> None:
        raise NotImplementedError

    def get(self):
        """Yields the batches in order."""
        raise NotImplementedError


class OrderedEnqueuer(SequenceEnqueuer):
    """Batches ``sequence[0]``, ``sequence[1]``... in order (each epoch's order shuffled with
    Python's ``random`` when ``shuffle``), epoch after epoch, ``sequence.on_epoch_end()``
    called between epochs: once the epoch's batches are all taken and the next one is asked
    for (Keras calls it once they are taken, on a timer)."""

    def __init__(self, sequence, use_multiprocessing=False, shuffle=False):
        super().__init__(sequence, use_multiprocessing)
        self.shuffle = shuffle

    def start(self, workers=1, max_queue_size=10) -> None:
        self._asked = threading.Condition()
        self._requests = 0
        super().start(workers, max_queue_size)

    def _run(self) -> None:
        order = list(range(len(self.sequence)))
        queued = 0
        while not self.stop_signal.is_set():
            if self.shuffle:  # as Keras: the last epoch's order shuffled again
                random.shuffle(order)
            for i in order:
                if self.stop_signal.is_set() or not self._put(
                    self.executor.submit(self.sequence.__getitem__, i)
                ):
                    return
                queued += 1
            # the epoch ends once its batches are all taken and one more is asked for
            with self._asked:
                while self._requests <= queued and not self.stop_signal.is_set():
                    self._asked.wait(0.1)
            if self.stop_signal.is_set():
                return
            self.sequence.on_epoch_end()

    def get(self):
        while self.is_running():
            with self._asked:
                self._requests += 1
                self._asked.notify_all()
            while True:
                try:
                    future = self.queue.get(timeout=0.1)
                    break
                except queue.Empty:
                    if not self.is_running():
                        return
            try:
                batch = future.result()
            except Exception:
                self.stop()
                raise
            if batch is not None:
                yield batch


class GeneratorEnqueuer(SequenceEnqueuer):
    """The items of ``generator`` (read by the workers one at a time), until it is
    exhausted; its exceptions are raised by ``get()``. ``random_seed`` seeds Keras's worker
    processes; threads share the process's random state, as in Keras's thread mode."""

    def __init__(self, generator, use_multiprocessing=False, random_seed=None):
        super().__init__(generator, use_multiprocessing)
        self.random_seed = random_seed
        self._lock = threading.Lock()

    def start(self, workers=1, max_queue_size=10) -> None:
        if self.use_multiprocessing and workers > 1:
            raise NotImplementedError(
                "A generator with use_multiprocessing=True and several workers (a copy of it "
                "in each Keras worker process, duplicating its data) is not supported: pass "
                "use_multiprocessing=False, or a keras.utils.Sequence."
            )
        super().start(workers, max_queue_size)

    def _next_item(self):
        with self._lock:
            return next(self.sequence)

    def _run(self) -> None:
        while not self.stop_signal.is_set():
            future = self.executor.submit(self._next_item)
            if not self._put(future):
                return
            try:
                if future.exception() is not None:
                    return
            except CancelledError:  # stop() cancelled it
                return

    def get(self):
        while self.is_running():
            try:
                future = self.queue.get(timeout=0.1)
            except queue.Empty:
                continue
            try:
                item = future.result()
            except StopIteration:
                self.stop()
                return
            except Exception:
                self.stop()
                raise
            if item is not None:
                yield item


__all__ = ["GeneratorEnqueuer", "OrderedEnqueuer", "SequenceEnqueuer"]
