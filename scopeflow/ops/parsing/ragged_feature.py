"""``tf.io.RaggedFeature``: a feature of any length parsed by ``ParseExampleV2`` into ragged
values and row splits (``example_ops.py`` builds the op; ``tf.io.parse_example`` wraps them in
a ``RaggedTensor``, ``scopeflow/ragged/parsing.py``)."""

from __future__ import annotations

import collections

import numpy as np

from scopeflow.framework import dtypes

__all__ = ["RaggedFeature", "ragged_params"]

_PARSED = (dtypes.float32, dtypes.int64, dtypes.string)


class RaggedFeature(
    collections.namedtuple(
        "RaggedFeature", ["dtype", "value_key", "partitions", "row_splits_dtype", "validate"]
    )
):
    """A feature of any length parsed into a ``RaggedTensor`` (one row per example; in
    ``parse_single_example`` its values), read from the feature ``value_key`` (default: the
    key it is given under). Nested rows (``partitions``) raise ``NotImplementedError`` when
    parsed.

    Raises:
        ValueError: ``dtype`` is not int64, float32 or string, or ``row_splits_dtype`` not
            int32 or int64.
    """

    RowSplits = collections.namedtuple("RowSplits", ["key"])
    RowLengths = collections.namedtuple("RowLengths", ["key"])
    RowStarts = collections.namedtuple("RowStarts", ["key"])
    RowLimits = collections.namedtuple("RowLimits", ["key"])
    ValueRowIds = collections.namedtuple("ValueRowIds", ["key"])
    UniformRowLength = collections.namedtuple("UniformRowLength", ["length"])

    def __new__(
        cls, dtype, value_key=None, partitions=(), row_splits_dtype=dtypes.int32, validate=False
    ):
        dtype = dtypes.as_dtype(dtype)
        if dtype not in _PARSED:
            raise ValueError(f"Argument `dtype` must be int64, float32, or bytes; got {dtype!r}")
        row_splits_dtype = dtypes.as_dtype(row_splits_dtype)
        if row_splits_dtype not in (dtypes.int32, dtypes.int64):
            raise ValueError(
                f"Argument `row_splits_dtype` must be int32 or int64; got{row_splits_dtype!r}"
            )
        return super().__new__(cls, dtype, value_key, tuple(partitions), row_splits_dtype,
                               validate)  # fmt: skip


def ragged_output(examples, key, dtype, split_dtype, scalar: bool):
    """A ragged feature's values (every example's, in order) and row splits (none for one
    scalar record, as TF's)."""
    rows = []
    for example in examples:
        found = example.values(key, dtype, sparse=True)
        rows.append(np.empty(0, dtype=dtype.as_numpy_dtype) if found is None else found)
    values = np.concatenate(rows) if rows else np.empty(0, dtype.as_numpy_dtype)
    if dtype == dtypes.string:
        values = values.astype(object)
    if scalar:
        return values, np.empty(0, split_dtype.as_numpy_dtype)
    counts = np.array([0, *(len(r) for r in rows)], dtype=split_dtype.as_numpy_dtype)
    return values, np.cumsum(counts, dtype=split_dtype.as_numpy_dtype)


def ragged_params(features: dict, make_ragged) -> list:
    """``[(key, value key, dtype, row splits dtype)]`` of the ``RaggedFeature``s of
    ``features``, in sorted key order.

    Raises:
        NotImplementedError: a feature with ``partitions``.
        ValueError: a ``RaggedFeature`` where the caller cannot make ragged tensors.
    """
    found = []
    for key in sorted(features):
        feature = features[key]
        if not isinstance(feature, RaggedFeature):
            continue
        if make_ragged is None:
            raise ValueError(
                f"Unsupported RaggedFeature {feature} for key '{key}': parse it with "
                "tf.io.parse_example or tf.io.parse_single_example"
            )
        if feature.partitions:
            raise NotImplementedError(
                f"RaggedFeature '{key}' with partitions {feature.partitions}: scopeflow parses "
                "ragged features of one ragged dimension; parse the partition keys as their "
                "own RaggedFeatures and build the nested RaggedTensor with "
                "tf.RaggedTensor.from_row_splits/from_row_lengths"
            )
        found.append((key, feature.value_key or key, feature.dtype, feature.row_splits_dtype))
    return found
