"""``tf.contrib.data``: TF 1.x's first home of the dataset transformations, which TF1.15 kept as
aliases of ``tf.data.experimental`` (``map_and_batch``, ``shuffle_and_repeat``,
``parallel_interleave``, ``CsvDataset``, ``group_by_reducer``...), plus its own older
``batch_and_drop_remainder``, ``padded_batch_and_drop_remainder`` and ``sloppy_interleave``.

>>> import scopeflow as tf
>>> with tf.Graph().as_default():
...     ds = tf.data.Dataset.range(5).apply(tf.contrib.data.batch_and_drop_remainder(2))
...     batch = ds.make_one_shot_iterator().get_next()
...     with tf.Session() as sess:
...         print(sess.run(batch), sess.run(batch))
[0 1] [2 3]
"""

from __future__ import annotations

from scopeflow.data.experimental import (
    AUTOTUNE,
    CsvDataset,
    Optional,
    RandomDataset,
    Reducer,
    SqlDataset,
    TFRecordWriter,
    bucket_by_sequence_length,
    choose_from_datasets,
    copy_to_device,
    dense_to_sparse_batch,
    enumerate_dataset,
    get_next_as_optional,
    get_single_element,
    group_by_reducer,
    group_by_window,
    ignore_errors,
    make_batched_features_dataset,
    make_csv_dataset,
    map_and_batch,
    parallel_interleave,
    parse_example_dataset,
    prefetch_to_device,
    rejection_resample,
    sample_from_datasets,
    scan,
    shuffle_and_repeat,
    unbatch,
    unique,
)


def batch_and_drop_remainder(batch_size):
    """A transformation (for ``Dataset.apply``) batching ``batch_size`` elements and
    dropping a last, smaller batch."""
    return lambda dataset: dataset.batch(batch_size, drop_remainder=True)


def padded_batch_and_drop_remainder(batch_size, padded_shapes, padding_values=None):
    """``padded_batch`` as a transformation, dropping a last, smaller batch."""
    return lambda dataset: dataset.padded_batch(
        batch_size, padded_shapes, padding_values, drop_remainder=True
    )


def sloppy_interleave(map_func, cycle_length, block_length=1):
    """``parallel_interleave`` with ``sloppy=True``."""
    return parallel_interleave(map_func, cycle_length, block_length, sloppy=True)


__all__ = [
    "AUTOTUNE",
    "CsvDataset",
    "Optional",
    "RandomDataset",
    "Reducer",
    "SqlDataset",
    "TFRecordWriter",
    "batch_and_drop_remainder",
    "bucket_by_sequence_length",
    "choose_from_datasets",
    "copy_to_device",
    "dense_to_sparse_batch",
    "enumerate_dataset",
    "get_next_as_optional",
    "get_single_element",
    "group_by_reducer",
    "group_by_window",
    "ignore_errors",
    "make_batched_features_dataset",
    "make_csv_dataset",
    "map_and_batch",
    "padded_batch_and_drop_remainder",
    "parallel_interleave",
    "parse_example_dataset",
    "prefetch_to_device",
    "rejection_resample",
    "sample_from_datasets",
    "scan",
    "shuffle_and_repeat",
    "sloppy_interleave",
    "unbatch",
    "unique",
]
