"""``tf.data``: input pipelines as graph ops (TF1's graph-mode ``tf.compat.v1.data``).

Sources (``Dataset.from_tensor_slices``, ``from_tensors``, ``range``, ``zip``,
``from_generator``, ``TextLineDataset``, ``TFRecordDataset``), transformations (``map``,
``filter``, ``flat_map``, ``interleave``, ``batch``, ``padded_batch``, ``shuffle``, ``repeat``,
``take``, ``skip``, ``prefetch``, ``cache``, ``concatenate``, ``apply``) and iterators
(one-shot, initializable, reinitializable with ``Iterator.from_structure``); options
(``Options``, ``with_options``), sizes (``cardinality``), ``element_spec``, ``DatasetSpec``
and ``as_numpy_iterator``. See ``dataset.py``, ``readers.py`` (file datasets, compressed too)
and ``iterator.py``; the ops and their kernels are in ``dataset_ops.py``. ``list_files``,
``shard``, ``unbatch``, ``enumerate``, ``reduce``, ``scan``, ``take_while`` and ``unique`` are
in ``transforms.py``, ``tf.data.experimental``'s transformations (``map_and_batch``,
``parallel_interleave``, ``group_by_window``, ``TFRecordWriter``...) in
``experimental_ops.py``, their ops in ``transform_ops.py``.
"""

from __future__ import annotations

from scopeflow.data import experimental, methods, ragged_batching, saving
from scopeflow.data.cardinality import INFINITE_CARDINALITY, UNKNOWN_CARDINALITY
from scopeflow.data.dataset import AUTOTUNE, Dataset, DatasetV1
from scopeflow.data.element_specs import DatasetSpec, NumpyIterator
from scopeflow.data.iterator import Iterator
from scopeflow.data.options import Options, ThreadingOptions
from scopeflow.data.readers import FixedLengthRecordDataset, TextLineDataset, TFRecordDataset
from scopeflow.data.structure import classes, shapes, types


def make_one_shot_iterator(dataset) -> Iterator:
    """``dataset.make_one_shot_iterator()``."""
    return dataset.make_one_shot_iterator()


def make_initializable_iterator(dataset, shared_name=None) -> Iterator:
    """``dataset.make_initializable_iterator(shared_name)``."""
    return dataset.make_initializable_iterator(shared_name)


def get_output_types(dataset_or_iterator):
    """The element's dtypes, in its structure.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     tf.data.get_output_types(tf.data.Dataset.range(3))
    tf.int64
    """
    return types(dataset_or_iterator._specs)


def get_output_shapes(dataset_or_iterator):
    """The element's static shapes, in its structure."""
    return shapes(dataset_or_iterator._specs)


def get_output_classes(dataset_or_iterator):
    """The element's classes (``tf.Tensor`` for each component), in its structure."""
    return classes(dataset_or_iterator._specs)


_ = methods, ragged_batching, saving  # set Dataset's methods

__all__ = [
    "AUTOTUNE",
    "INFINITE_CARDINALITY",
    "UNKNOWN_CARDINALITY",
    "Dataset",
    "DatasetSpec",
    "DatasetV1",
    "FixedLengthRecordDataset",
    "Iterator",
    "NumpyIterator",
    "Options",
    "TFRecordDataset",
    "TextLineDataset",
    "ThreadingOptions",
    "experimental",
    "get_output_classes",
    "get_output_shapes",
    "get_output_types",
    "make_initializable_iterator",
    "make_one_shot_iterator",
]
