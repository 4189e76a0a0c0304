"""``tf.data.experimental``: the names TF1 programs use from it."""

from __future__ import annotations

from scopeflow.data import experimental_ops
from scopeflow.data.cardinality import INFINITE_CARDINALITY, UNKNOWN_CARDINALITY
from scopeflow.data.csv_dataset import CsvDataset
from scopeflow.data.csv_pipeline import make_csv_dataset
from scopeflow.data.dataset import AUTOTUNE
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

OptionalStructure = OptionalSpec
DatasetStructure = DatasetSpec
TensorStructure = TensorSpec


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
    "RandomDataset",
    "Reducer",
    "ServiceOptions",
    "SqlDataset",
    "TensorStructure",
    "ThreadingOptions",
    "assert_cardinality",
    "cardinality",
    "dense_to_sparse_batch",
    "from_list",
    "from_variant",
    "get_next_as_optional",
    "get_structure",
    "group_by_reducer",
    "index_table_from_dataset",
    "make_batched_features_dataset",
    "make_csv_dataset",
    "pad_to_cardinality",
    "parse_example_dataset",
    "rejection_resample",
    "snapshot",
    "table_from_dataset",
    "to_variant",
]
__all__ += experimental_ops.__all__
