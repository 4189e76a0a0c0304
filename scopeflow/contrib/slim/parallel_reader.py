"""``tf.contrib.slim.parallel_reader``: several readers of one filename queue feeding a
common queue (``ParallelReader``), ``parallel_read`` building the whole (a filename queue,
a shuffling or FIFO common queue, its fraction-full summary), ``single_pass_read`` and
``get_data_files``."""

from __future__ import annotations

from scopeflow.framework import dtypes as tf_dtypes
from scopeflow.framework.graph_api import name_scope
from scopeflow.ops.array.cast import cast
from scopeflow.ops.data_flow.queues import FIFOQueue, RandomShuffleQueue
from scopeflow.ops.math.elementwise import add_n
from scopeflow.platform.file_io import glob
from scopeflow.summary.summary_ops import scalar
from scopeflow.train.input import string_input_producer
from scopeflow.train.queue_runner import QueueRunner, add_queue_runner
from scopeflow.train.readers import ReaderBase

__all__ = ["ParallelReader", "get_data_files", "parallel_read", "single_pass_read"]


class ParallelReader(ReaderBase):
    """``num_readers`` readers of ``reader_class`` reading the same filename queue into
    ``common_queue`` (of (key, value) string pairs), through one queue runner.

    Raises:
        TypeError: ``common_queue`` does not hold two strings.
    """

    def __init__(self, reader_class, common_queue, num_readers=4, reader_kwargs=None):
        if len(common_queue.dtypes) != 2:
            raise TypeError("common_queue.dtypes must be [tf.string, tf.string]")
        for dtype in common_queue.dtypes:
            if not dtype.is_compatible_with(tf_dtypes.string):
                raise TypeError("common_queue.dtypes must be [tf.string, tf.string]")
        reader_kwargs = reader_kwargs or {}
        self._readers = [reader_class(**reader_kwargs) for _ in range(num_readers)]
        self._common_queue = common_queue

    @property
    def num_readers(self) -> int:
        return len(self._readers)

    @property
    def common_queue(self):
        return self._common_queue

    def read(self, queue, name=None):
        self._configure_readers_by(queue)
        return self._common_queue.dequeue(name=name)

    def read_up_to(self, queue, num_records, name=None):
        self._configure_readers_by(queue)
        return self._common_queue.dequeue_up_to(num_records, name)

    def _configure_readers_by(self, queue) -> None:
        enqueue_ops = [self._common_queue.enqueue(r.read(queue)) for r in self._readers]
        add_queue_runner(QueueRunner(self._common_queue, enqueue_ops))

    def num_records_produced(self, name=None):
        return add_n([r.num_records_produced() for r in self._readers], name=name)

    def num_work_units_completed(self, name=None):
        return add_n([r.num_work_units_completed() for r in self._readers], name=name)


def parallel_read(
    data_sources,
    reader_class,
    num_epochs=None,
    num_readers=4,
    reader_kwargs=None,
    shuffle=True,
    dtypes=None,
    capacity=256,
    min_after_dequeue=128,
    seed=None,
    scope=None,
):
    """``(key, value)`` of the records of ``data_sources`` (files or patterns), read by
    ``num_readers`` readers into a ``common_queue`` (shuffling with ``shuffle``)."""
    data_files = get_data_files(data_sources)
    with name_scope(scope, "parallel_read"):
        filename_queue = string_input_producer(
            data_files, num_epochs=num_epochs, shuffle=shuffle, seed=seed, name="filenames"
        )
        dtypes = dtypes or [tf_dtypes.string, tf_dtypes.string]
        if shuffle:
            common_queue = RandomShuffleQueue(
                capacity=capacity,
                min_after_dequeue=min_after_dequeue,
                dtypes=dtypes,
                seed=seed,
                name="common_queue",
            )
        else:
            common_queue = FIFOQueue(capacity=capacity, dtypes=dtypes, name="common_queue")
        scalar(
            f"fraction_of_{capacity}_full",
            cast(common_queue.size(), tf_dtypes.float32) * (1.0 / capacity),
        )
        reader = ParallelReader(
            reader_class, common_queue, num_readers=num_readers, reader_kwargs=reader_kwargs
        )
        return reader.read(filename_queue)


def single_pass_read(data_sources, reader_class, reader_kwargs=None, scope=None):
    """``(key, value)`` of one reader going once through ``data_sources`` in order."""
    data_files = get_data_files(data_sources)
    with name_scope(scope, "single_pass_read"):
        filename_queue = string_input_producer(
            data_files, num_epochs=1, shuffle=False, capacity=1, name="filenames"
        )
        return reader_class(**(reader_kwargs or {})).read(filename_queue)


def get_data_files(data_sources) -> list:
    """The files of ``data_sources`` (a path, a glob pattern, or a list of them).

    Raises:
        ValueError: no file found.
    """
    if isinstance(data_sources, (list, tuple)):
        data_files = []
        for source in data_sources:
            data_files += get_data_files(source)
    elif "*" in data_sources or "?" in data_sources or "[" in data_sources:
        data_files = glob(data_sources)
    else:
        data_files = [data_sources]
    if not data_files:
        raise ValueError(f"No data files found in {data_sources}")
    return data_files
