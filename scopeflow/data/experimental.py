"""``tf.data.experimental``: the names TF1 programs use from it."""

from __future__ import annotations

from scopeflow.data import experimental_ops
from scopeflow.data.cardinality import INFINITE_CARDINALITY, UNKNOWN_CARDINALITY
from scopeflow.data.csv_dataset import CsvDataset
from scopeflow.data.csv_pipeline import make_csv_dataset
from scopeflow.data.dataset import AUTOTUNE, DatasetV1
from scopeflow.data.element_specs import DatasetSpec
from scopeflow.data.experimental_ops import *  # noqa: F403 - the transformations
from scopeflow.data.grouping import (
    Reducer,
    assert_cardinality,
    dense_to_sparse_batch,
    group_by_reducer,
    pad_to_cardinality,
)
from scopeflow.data.optional import Optional, OptionalSpec, get_next_as_optional
from scopeflow.data.options import (
    AutoShardPolicy,
    AutotuneAlgorithm,
    AutotuneOptions,
    DistributeOptions,
    ExternalStatePolicy,
    OptimizationOptions,
    ServiceOptions,
    ThreadingOptions,
)
from scopeflow.data.parsing import make_batched_features_dataset, parse_example_dataset
from scopeflow.data.ragged_batching import dense_to_ragged_batch
from scopeflow.data.resampling import rejection_resample
from scopeflow.data.saving import experimental_snapshot as snapshot
from scopeflow.data.sources import (
    RandomDataset,
    SqlDataset,
    from_list,
    from_variant,
    get_structure,
    to_variant,
)
from scopeflow.data.tables import DatasetInitializer, index_table_from_dataset, table_from_dataset
from scopeflow.framework.tensor_spec import TensorSpec
from scopeflow.framework.type_spec import TypeSpec
from scopeflow.ops.control.tensor_array_spec import TensorArraySpec
from scopeflow.ops.sparse.spec import SparseTensorSpec
from scopeflow.ragged.spec import RaggedTensorSpec

OptionalStructure = OptionalSpec
DatasetStructure = DatasetSpec
SHARD_HINT = -1  # a shard count that tf.data service's auto-sharding fills in


Structure = TypeSpec


def TensorStructure(dtype, shape):  # noqa: N802 - TF's name
    """``tf.TensorSpec(shape, dtype)`` (TF's deprecated spelling: dtype first)."""
    return TensorSpec(shape, dtype)


def RaggedTensorStructure(dtype, shape, ragged_rank):  # noqa: N802 - TF's name
    """``tf.RaggedTensorSpec(shape, dtype, ragged_rank)`` (TF's deprecated spelling)."""
    return RaggedTensorSpec(shape, dtype, ragged_rank)


def SparseTensorStructure(dtype, shape):  # noqa: N802 - TF's name
    """``tf.SparseTensorSpec(shape, dtype)`` (TF's deprecated spelling)."""
    return SparseTensorSpec(shape, dtype)


def TensorArrayStructure(dtype, element_shape, dynamic_size, infer_shape):  # noqa: N802
    """``tf.TensorArraySpec(element_shape, dtype, dynamic_size, infer_shape)`` (TF's deprecated
    spelling)."""
    return TensorArraySpec(element_shape, dtype, dynamic_size, infer_shape)


def map_and_batch_with_legacy_function(
    map_func, batch_size, num_parallel_batches=None, drop_remainder=False, num_parallel_calls=None
):
    """``map_and_batch`` (TF1's function tracing, which scopeflow's already is)."""
    return experimental_ops.map_and_batch(
        map_func, batch_size, num_parallel_batches, drop_remainder, num_parallel_calls
    )


def enable_debug_mode():
    """Refused, as TF1's graph mode refuses it (scopeflow is always in graph mode)."""
    raise ValueError("`enable_debug_mode() is only supported in eager mode.")


def get_model_proto(iterator):
    """Refused, as for TF1's graph-mode iterators (the only kind scopeflow has)."""
    raise ValueError("Only supports `tf.data.Iterator`-typed `iterator`.")


def save(dataset, path, compression=None, shard_func=None, checkpoint_args=None):
    """``dataset.save(...)`` (TF 2's ``tf.data.experimental.save``; ``tf.compat.v1`` has no
    such name): the op that writes the dataset under ``path``."""
    return dataset.save(path, compression, shard_func, checkpoint_args)


def load(path, element_spec=None, compression=None, reader_func=None):
    """``tf.data.Dataset.load(...)`` (TF 2's ``tf.data.experimental.load``; ``tf.compat.v1``
    has no such name)."""
    return DatasetV1.load(path, element_spec, compression, reader_func)


def cardinality(dataset):
    """``dataset.cardinality()``: its number of elements, -1 infinite, -2 unknown.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     n = tf.data.experimental.cardinality(tf.data.Dataset.range(10).batch(3))
    ...     tf.Session().run(n)
    np.int64(4)
    """
    return dataset.cardinality()


__all__ = [
    "AUTOTUNE",
    "INFINITE_CARDINALITY",
    "UNKNOWN_CARDINALITY",
    "AutoShardPolicy",
    "AutotuneAlgorithm",
    "AutotuneOptions",
    "CsvDataset",
    "DatasetInitializer",
    "DatasetStructure",
    "DistributeOptions",
    "ExternalStatePolicy",
    "OptimizationOptions",
    "Optional",
    "OptionalStructure",
    "RaggedTensorStructure",
    "RandomDataset",
    "Reducer",
    "SHARD_HINT",
    "SparseTensorStructure",
    "ServiceOptions",
    "SqlDataset",
    "Structure",
    "TensorArrayStructure",
    "TensorStructure",
    "ThreadingOptions",
    "assert_cardinality",
    "cardinality",
    "dense_to_ragged_batch",
    "dense_to_sparse_batch",
    "enable_debug_mode",
    "from_list",
    "from_variant",
    "get_model_proto",
    "get_next_as_optional",
    "get_structure",
    "group_by_reducer",
    "index_table_from_dataset",
    "load",
    "make_batched_features_dataset",
    "make_csv_dataset",
    "map_and_batch_with_legacy_function",
    "pad_to_cardinality",
    "parse_example_dataset",
    "rejection_resample",
    "save",
    "snapshot",
    "table_from_dataset",
    "to_variant",
]
__all__ += experimental_ops.__all__
