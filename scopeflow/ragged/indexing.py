"""``RaggedTensor.__getitem__`` and ``tf.gather`` of ragged rows (``RaggedGather``), built as
TF builds them: rows by slicing the row splits, slices of the ragged dimension by
``RaggedRange`` over each row's values, the uniform inner dimensions by indexing the values."""

from __future__ import annotations

from scopeflow.framework import dtypes
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.tensor import Tensor
from scopeflow.ops.array.basic import stack
from scopeflow.ops.array.cast import cast
from scopeflow.ops.array.gather import gather as dense_gather
from scopeflow.ops.core.build import where_v2 as where
from scopeflow.ops.core.infer import apply_op
from scopeflow.ops.math.elementwise import maximum, minimum
from scopeflow.ops.math.sequence import range as range_
from scopeflow.ragged.conversions import is_ragged

_INNER = "Cannot index into an inner ragged dimension."


def gather(params, indices, name=None):
    """The rows ``indices`` (any rank) of the ragged ``params``: one ``RaggedGather`` op."""
    with name_scope(name, "RaggedGather", [params, indices]):
        if is_ragged(indices):
            raise NotImplementedError(
                "tf.gather with ragged indices: gather with indices.flat_values and rebuild "
                "the rows with indices.with_flat_values(...)"
            )
        indices = convert_to_tensor(indices, name="indices", dtype_hint=dtypes.int64)
        if indices.shape.ndims is None:
            raise ValueError("indices.shape.ndims must be known statically")
        splits = list(params.nested_row_splits)
        attrs = {
            "PARAMS_RAGGED_RANK": len(splits),
            "OUTPUT_RAGGED_RANK": len(splits) + indices.shape.ndims - 1,
        }
        *out_splits, values = apply_op(
            "RaggedGather", [*splits, params.flat_values, indices], attrs, "RaggedGather"
        )
        result = values
        for s in reversed(out_splits):
            result = type(params)(result, s, internal=True)
        return result


def getitem(rt, key):
    if not isinstance(key, tuple):
        key = (key,)
    with name_scope(None, "RaggedGetItem", [rt]):
        return _getitem(rt, key)


def _is_index(k) -> bool:
    return isinstance(k, (int, Tensor)) and not isinstance(k, bool) or hasattr(k, "__index__")


def _getitem(rt, key):
    if not key:
        return rt
    k0, rest = key[0], key[1:]
    if k0 is Ellipsis:
        if not rest:
            return rt
        raise ValueError(_INNER)
    if k0 is None:
        inner = _getitem(rt, rest)
        splits = stack([inner.nrows() * 0, inner.nrows()])
        return type(rt).from_row_splits(inner, splits, validate=False)
    if isinstance(k0, slice):
        rows = _slice_rows(rt, k0)
        return _inner(rows, rest) if rest else rows
    if _is_index(k0):
        row = _row(rt, k0)
        if not rest:
            return row
        return _getitem(row, rest) if is_ragged(row) else row[rest]
    raise TypeError(f"Ragged __getitem__ expects an int, slice, Ellipsis or newaxis; got {k0!r}")


def _row_range(rt, start, limit):
    """Rows ``start:limit`` (tensors, in range) of ``rt``'s values."""
    values = rt.values
    if is_ragged(values):
        splits = values.row_splits[start : limit + 1]
        inner = _row_range(values, splits[0], splits[-1])
        return type(rt)(inner, splits - splits[0], internal=True)
    return values[start:limit]


def _row(rt, index):
    splits = rt.row_splits
    if isinstance(index, Tensor):
        nrows = rt.nrows(out_type=index.dtype)
        index = where(index < 0, index + nrows, index)
        return _row_range(rt, splits[index], splits[index + 1])
    index = int(index)
    if index < 0:
        return _row_range(rt, splits[index - 1], splits[index])
    return _row_range(rt, splits[index], splits[index + 1])


def _slice_rows(rt, key: slice):
    if key.step not in (None, 1):
        n = rt.nrows(out_type=dtypes.int64)
        picked = gather(rt, range_(n)[key])
        known = rt.row_splits.shape[0].value
        if known is not None:  # as many rows as Python's slice of range(nrows) has
            picked.row_splits.set_shape([len(range(known - 1)[key]) + 1])
        return picked
    if key.start is None and key.stop is None:
        return rt
    splits = rt.row_splits
    n = splits.shape[0].value
    if n is not None and all(isinstance(k, (int, type(None))) for k in (key.start, key.stop)):
        start, stop, _ = key.indices(n - 1)
        stop = max(stop, start)
        sub = splits[start : stop + 1]
    else:
        nrows = rt.nrows()
        start = _bound(key.start, nrows, 0)
        stop = maximum(_bound(key.stop, nrows, nrows), start)
        sub = splits[start : stop + 1]
    values = _row_range(rt, sub[0], sub[-1])
    return type(rt)(values, sub - sub[0], internal=True)


def _as_index(k, dtype):
    """A slice bound as a tensor of ``dtype`` (an int32 tensor bound is cast, as TF does)."""
    if isinstance(k, Tensor):
        return k if k.dtype.base_dtype == dtype else cast(k, dtype)
    return convert_to_tensor(k, dtype=dtype)


def _bound(k, length, default):
    """A slice bound as a tensor in ``[0, length]`` (negative: from the end)."""
    if k is None:
        return default
    k = _as_index(k, length.dtype)
    k = where(k < 0, k + length, k)
    return minimum(maximum(k, k * 0), length)


def _bound_back(k, length, default):
    """A bound of a backward slice as a tensor in ``[-1, length - 1]``."""
    if k is None:
        return default
    k = _as_index(k, length.dtype)
    k = where(k < 0, k + length, k)
    return minimum(maximum(k, k * 0 - 1), length - 1)


def _inner(rt, rest):
    """``rest`` applied to dimensions 1... of ``rt`` (dimension 1 ragged)."""
    r0, more = rest[0], rest[1:]
    if r0 is Ellipsis and not more:
        return rt
    if not isinstance(r0, slice):
        if r0 is None:
            raise NotImplementedError(
                "tf.newaxis after the first dimension of a RaggedTensor: use tf.expand_dims "
                "on rt.flat_values with rt.with_flat_values instead"
            )
        raise ValueError(_INNER)
    values = rt.values
    if r0 == slice(None):
        return rt.with_values(_index_values(values, more))
    step = 1 if r0.step is None else r0.step
    if not isinstance(step, int) or step == 0:
        raise NotImplementedError(
            "a tensor (or zero) step in a ragged dimension: give a Python int step"
        )
    starts = rt.row_starts()
    lengths = rt.row_lengths()
    if step > 0:
        begin = _bound(r0.start, lengths, 0)
        end = maximum(_bound(r0.stop, lengths, lengths), begin)
    else:  # backwards, as Python slices each row: from len - 1 down to before 0
        last = lengths - 1
        begin = _bound_back(r0.start, lengths, last)
        end = _bound_back(r0.stop, lengths, lengths * 0 - 1)
    step = convert_to_tensor(step, dtype=starts.dtype)
    splits, ids = apply_op(
        "RaggedRange",
        [starts + begin, starts + end, step],
        {"Tsplits": starts.dtype},
        "RaggedRange",
    )
    taken = gather(values, ids) if is_ragged(values) else dense_gather(values, ids)
    return type(rt)(_index_values(taken, more), splits, internal=True)


def _index_values(values, more):
    if not more:
        return values
    if is_ragged(values):
        return _inner(values, more)
    return values[(slice(None), *more)]
