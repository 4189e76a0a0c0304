"""Row partitions as TF builds them: row splits from row lengths, value row ids, row starts
or limits (and back), each with TF's optional run-time checks (``validate=True``) and its
messages ("do not form a valid RaggedTensor")."""

from __future__ import annotations

from scopeflow.framework import dtypes
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.graph_api import control_dependencies, name_scope
from scopeflow.framework.tensor import Tensor
from scopeflow.ops.array.basic import identity, shape
from scopeflow.ops.array.cast import cast
from scopeflow.ops.array.join import concat
from scopeflow.ops.control.assertions import assert_equal, assert_less, assert_non_negative
from scopeflow.ops.core.infer import constant_value
from scopeflow.ops.math.reduction import cumsum
from scopeflow.ops.math.repeat import repeat
from scopeflow.ops.math.segment_extrema import bincount
from scopeflow.ops.math.sequence import range as range_

_INVALID = "Arguments to {} do not form a valid RaggedTensor"


def partition_tensor(value, name: str, dtype=None) -> Tensor:
    """``value`` as a 1-D int32/int64 tensor (Python values become int64, as in TF)."""
    t = convert_to_tensor(value, dtype=dtype, name=name, dtype_hint=dtypes.int64)
    if t.dtype.base_dtype not in (dtypes.int32, dtypes.int64):
        raise ValueError(f"{name} must have dtype int32 or int64")
    t.set_shape(t.shape.with_rank(1))
    return t


def _checked(t: Tensor, checks: list) -> Tensor:
    with control_dependencies(checks):
        return identity(t, name="control_dependency")


def _diffs(splits: Tensor) -> Tensor:
    return splits[1:] - splits[:-1]


def from_row_splits(row_splits, validate: bool, dtype=None) -> Tensor:
    """Checked row splits (``RowPartitionFromRowSplits``)."""
    with name_scope(None, "RowPartitionFromRowSplits", [row_splits]):
        splits = partition_tensor(row_splits, "row_splits", dtype)
        if splits.shape[0].value == 0:
            raise ValueError("row_splits tensor may not be empty.")
        if not validate:
            return splits
        message = _INVALID.format("from_row_splits")
        checks = [
            assert_equal(splits[0], cast(0, splits.dtype), message=message + ":zero"),
            assert_non_negative(_diffs(splits), message=message + ":monotonic"),
        ]
        return _checked(splits, checks)


def from_row_lengths(row_lengths, validate: bool) -> Tensor:
    """Row splits ``[0, cumsum(row_lengths)...]`` (``RowPartitionFromRowLengths``)."""
    with name_scope(None, "RowPartitionFromRowLengths", [row_lengths]):
        lengths = partition_tensor(row_lengths, "row_lengths")
        if validate:
            message = "Arguments to from_row_lengths do not form a valid RowPartition"
            lengths = _checked(lengths, [assert_non_negative(lengths, message=message)])
        zero = convert_to_tensor([0], dtype=lengths.dtype)
        return concat([zero, cumsum(lengths, axis=0)], axis=0)


def from_row_starts(row_starts, nvals: Tensor, validate: bool) -> Tensor:
    with name_scope(None, "RowPartitionFromRowStarts", [row_starts]):
        starts = partition_tensor(row_starts, "row_starts")
        if validate:
            message = _INVALID.format("from_row_starts")
            checks = []
            if starts.shape[0].value != 0:
                checks.append(assert_equal(starts[:1], cast([0], starts.dtype), message=message))
            checks.append(assert_non_negative(_diffs(starts), message=message))
            starts = _checked(starts, checks)
        return concat([starts, cast(nvals, starts.dtype)[None]], axis=0)


def from_row_limits(row_limits, validate: bool) -> Tensor:
    with name_scope(None, "RowPartitionFromRowLimits", [row_limits]):
        limits = partition_tensor(row_limits, "row_limits")
        if validate:
            message = _INVALID.format("from_row_limits")
            checks = [assert_non_negative(limits[:1], message=message)]
            checks.append(assert_non_negative(_diffs(limits), message=message))
            limits = _checked(limits, checks)
        zero = convert_to_tensor([0], dtype=limits.dtype)
        return concat([zero, limits], axis=0)


def from_value_rowids(value_rowids, nrows, validate: bool):
    """``(value_rowids, row splits)`` (``RowPartitionFromValueRowIds``): the splits count each
    row's ids (``DenseBincount``), for ``nrows`` rows (default: the last id + 1)."""
    with name_scope(None, "RowPartitionFromValueRowIds", [value_rowids, nrows]):
        rowids = partition_tensor(value_rowids, "value_rowids")
        if nrows is None:
            n = rowids.shape[0].value
            last = rowids[-1] + 1 if n != 0 else cast(0, rowids.dtype)
            nrows = last if n is not None else _last_plus_one(rowids)
        else:
            nrows = convert_to_tensor(nrows, dtype=rowids.dtype, name="nrows")
            nrows.shape.with_rank(0)
            _static_nrows_check(rowids, nrows)
        if validate:
            message = _INVALID.format("from_value_rowids")
            checks = [assert_non_negative(rowids[:1], message=message)]
            checks.append(assert_non_negative(_diffs(rowids), message=message))
            checks.append(assert_less(rowids[-1:], nrows[None], message=message))
            rowids = _checked(rowids, checks)
        counts = bincount(
            cast(rowids, dtypes.int32),
            minlength=cast(nrows, dtypes.int32),
            maxlength=cast(nrows, dtypes.int32),
            dtype=rowids.dtype,
        )
        zero = convert_to_tensor([0], dtype=rowids.dtype)
        return rowids, concat([zero, cumsum(counts, axis=0)], axis=0)


def _last_plus_one(rowids: Tensor) -> Tensor:
    from_shape = shape(rowids, out_type=rowids.dtype)[0]
    padded = concat([convert_to_tensor([-1], dtype=rowids.dtype), rowids], axis=0)
    return padded[from_shape] + 1


def _static_nrows_check(rowids: Tensor, nrows: Tensor) -> None:
    ids, n = constant_value(rowids), constant_value(nrows)
    if ids is not None and n is not None and ids.size and n < ids[-1] + 1:
        raise ValueError(
            f"Expected nrows >= value_rowids[-1] + 1; got nrows={n}, value_rowids[-1]={ids[-1]}"
        )


def splits_to_rowids(splits: Tensor, name=None) -> Tensor:
    """Each value's row (``tf.ragged.row_splits_to_segment_ids``)."""
    with name_scope(name, "RaggedSplitsToSegmentIds", [splits]):
        splits = partition_tensor(splits, "splits")
        nrows = shape(splits, out_type=splits.dtype)[0] - 1
        return repeat(range_(nrows), _diffs(splits), axis=0)


def rowids_to_splits(segment_ids, num_segments=None, out_type=None, name=None) -> Tensor:
    """Row splits for sorted ``segment_ids`` (``tf.ragged.segment_ids_to_row_splits``)."""
    with name_scope(name, "SegmentIdsToRaggedSplits", [segment_ids]):
        ids = convert_to_tensor(segment_ids, name="segment_ids", dtype_hint=dtypes.int64)
        out_type = dtypes.as_dtype(out_type) if out_type is not None else dtypes.int64
        if num_segments is not None:
            num_segments = cast(num_segments, dtypes.int32)
        counts = bincount(
            cast(ids, dtypes.int32), minlength=num_segments, maxlength=num_segments, dtype=out_type
        )
        return concat([convert_to_tensor([0], dtype=out_type), cumsum(counts, axis=0)], axis=0)


def nrows_of(splits: Tensor, out_type=None) -> Tensor:
    out_type = splits.dtype if out_type is None else dtypes.as_dtype(out_type)
    n = splits.shape[0].value
    if n is not None:
        return convert_to_tensor(n - 1, dtype=out_type)
    return shape(splits, out_type=out_type)[0] - 1
