"""The ``tf.data.Dataset`` methods that are ``tf.data.experimental``'s transformations
(``group_by_window``, ``sparse_batch``, ``Dataset.random``, ``sample_from_datasets``...),
set on :class:`Dataset` here: those transformations are built on ``dataset.py``, which
therefore cannot import them itself. Each does what its ``tf.data.experimental`` twin does
(TF 2.21's ``DatasetV1`` has both).

>>> import scopeflow as tf
>>> with tf.Graph().as_default():
...     ds = tf.data.Dataset.range(5).group_by_window(lambda x: x % 2, lambda k, w: w.batch(3), 3)
...     [b.tolist() for b in ds.as_numpy_iterator()]
[[0, 2, 4], [1, 3]]
"""

from __future__ import annotations

from scopeflow.data import experimental_ops, grouping, resampling
from scopeflow.data.dataset import Dataset
from scopeflow.data.sources import RandomDataset, from_sparse_tensor_slices
from scopeflow.framework import dtypes


def group_by_window(
    self, key_func, reduce_func, window_size=None, window_size_func=None, name=None
):
    """``tf.data.experimental.group_by_window``."""
    return self.apply(
        experimental_ops.group_by_window(key_func, reduce_func, window_size, window_size_func)
    )


def bucket_by_sequence_length(
    self,
    element_length_func,
    bucket_boundaries,
    bucket_batch_sizes,
    padded_shapes=None,
    padding_values=None,
    pad_to_bucket_boundary=False,
    no_padding=False,
    drop_remainder=False,
    name=None,
):
    """``tf.data.experimental.bucket_by_sequence_length``."""
    return self.apply(
        experimental_ops.bucket_by_sequence_length(
            element_length_func,
            bucket_boundaries,
            bucket_batch_sizes,
            padded_shapes,
            padding_values,
            pad_to_bucket_boundary,
            no_padding,
            drop_remainder,
        )
    )


def ignore_errors(self, log_warning=False, name=None):
    """``tf.data.experimental.ignore_errors``."""
    return self.apply(experimental_ops.ignore_errors(log_warning))


def get_single_element(self, name=None):
    """``tf.data.experimental.get_single_element``: the only element, as tensors."""
    return experimental_ops.get_single_element(self)


def sparse_batch(self, batch_size, row_shape, name=None):
    """``tf.data.experimental.dense_to_sparse_batch``."""
    return self.apply(grouping.dense_to_sparse_batch(batch_size, row_shape))


def choose_from_datasets(datasets, choice_dataset, stop_on_empty_dataset=True):
    """``tf.data.experimental.choose_from_datasets`` (here ``stop_on_empty_dataset`` is true
    unless given, as TF's method)."""
    return experimental_ops.choose_from_datasets(datasets, choice_dataset, stop_on_empty_dataset)


def sample_from_datasets(
    datasets, weights=None, seed=None, stop_on_empty_dataset=False, rerandomize_each_iteration=None
):
    """``tf.data.experimental.sample_from_datasets``."""
    if rerandomize_each_iteration is not None:
        raise NotImplementedError(
            "sample_from_datasets(rerandomize_each_iteration=...) is not supported; leave it "
            "None (each pass draws anew from the same seeds' generator)."
        )
    return experimental_ops.sample_from_datasets(datasets, weights, seed, stop_on_empty_dataset)


def counter(start=0, step=1, dtype=dtypes.int64, name=None):
    """``tf.data.experimental.Counter``: ``start``, ``start + step``... forever."""
    return experimental_ops.Counter(start, step, dtype)


def random(seed=None, rerandomize_each_iteration=None, name=None):  # noqa: A001 - TF's name
    """``tf.data.experimental.RandomDataset``: endless random int64 scalars."""
    if rerandomize_each_iteration is not None:
        raise NotImplementedError(
            "Dataset.random(rerandomize_each_iteration=...) is not supported; leave it None."
        )
    return RandomDataset(seed)


def rejection_resample(self, class_func, target_dist, initial_dist=None, seed=None, name=None):
    """``tf.data.experimental.rejection_resample``: ``(class, element)`` pairs whose classes
    follow ``target_dist``."""
    return self.apply(resampling.rejection_resample(class_func, target_dist, initial_dist, seed))


def rebatch(self, batch_size, drop_remainder=False, name=None):
    """The rows of this dataset's batches batched again by ``batch_size`` (an int, or a list
    of sizes used in turn); a last, shorter batch unless ``drop_remainder``."""
    return grouping.rebatch(self, batch_size, drop_remainder)


def map_with_legacy_function(self, map_func, num_parallel_calls=None, deterministic=None, **_):
    """``map`` (TF1's function tracing, which scopeflow's ``map`` already is)."""
    return self.map(map_func, num_parallel_calls)


def filter_with_legacy_function(self, predicate):
    """``filter`` (TF1's function tracing, which scopeflow's ``filter`` already is)."""
    return self.filter(predicate)


for _method in (
    group_by_window,
    bucket_by_sequence_length,
    ignore_errors,
    get_single_element,
    sparse_batch,
    rejection_resample,
    rebatch,
    map_with_legacy_function,
    filter_with_legacy_function,
):
    setattr(Dataset, _method.__name__, _method)
for _static in (
    choose_from_datasets,
    sample_from_datasets,
    counter,
    random,
    from_sparse_tensor_slices,
):
    setattr(Dataset, _static.__name__, staticmethod(_static))
