"""Ragged tensors from dense and sparse tensors (``RaggedTensor.from_tensor``,
``from_sparse``), their bounding shape and ``merge_dims``, built from ordinary ops as TF
builds them. Each function takes the ragged class (or a ragged tensor) it works on, so this
module sits below ``tensor.py``."""

from __future__ import annotations

from scopeflow.framework import dtypes
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.graph_api import control_dependencies, name_scope
from scopeflow.ops.array.basic import reshape, shape, stack
from scopeflow.ops.array.cast import cast
from scopeflow.ops.array.gather import boolean_mask
from scopeflow.ops.array.gather import gather as dense_gather
from scopeflow.ops.array.join import concat
from scopeflow.ops.control.assertions import assert_equal
from scopeflow.ops.core.infer import constant_value
from scopeflow.ops.math.elementwise import equal, logical_not, maximum, minimum, multiply
from scopeflow.ops.math.reduction import reduce_any, reduce_max, reduce_prod
from scopeflow.ops.math.selection import where
from scopeflow.ops.math.sequence import range as range_
from scopeflow.ops.math.sequence import sequence_mask
from scopeflow.ops.sparse.tensor import SparseTensor
from scopeflow.ragged import partition


def is_ragged(x) -> bool:
    """Whether ``x`` is a ``RaggedTensor`` (without importing the class)."""
    return hasattr(x, "_session_fetches") and hasattr(x, "nested_row_splits")


def from_tensor(cls, tensor, lengths, padding, ragged_rank, name, row_splits_dtype):
    row_splits_dtype = dtypes.as_dtype(row_splits_dtype)
    with name_scope(name, "RaggedFromTensor", [tensor, lengths, padding]):
        tensor = convert_to_tensor(tensor, name="tensor")
        if lengths is not None and padding is not None:
            raise ValueError("Specify argument `lengths` or `padding`, but not both.")
        rank = tensor.shape.ndims
        if rank is None:
            raise ValueError("Rank of `tensor` must be statically known.")
        if rank <= 1:
            raise ValueError(
                "The rank of a RaggedTensor must be greater than 1, i.e., a list of scalars "
                f"won't have ragged dimensions. Received argument `tensor` with rank {rank}."
            )
        if not isinstance(ragged_rank, int) or not 0 < ragged_rank < rank:
            raise ValueError(
                f"Argument `ragged_rank` must be an int between 0 and {rank}; got {ragged_rank}."
            )
        dims = shape(tensor, out_type=row_splits_dtype)
        if ragged_rank > 1:
            merged = reshape(tensor, concat([[-1], shape(tensor)[2:]], axis=0))
            if lengths is not None:
                lengths = reshape(convert_to_tensor(lengths), [-1])
            inner = from_tensor(
                cls, merged, lengths, padding, ragged_rank - 1, None, row_splits_dtype
            )
            inner_rows = range_(dims[0] + 1) * dims[1]
            n = tensor.shape[0].value
            inner_rows.set_shape([None if n is None else n + 1])
            outer = cls.from_row_splits(inner, inner_rows, validate=False)
            return outer._with_uniform_row_length(tensor.shape[1].value)
        ncols = dims[1]
        if padding is not None:
            padding = convert_to_tensor(padding, dtype=tensor.dtype, name="padding")
            padding.shape.assert_is_compatible_with(tensor.shape[2:])
            nondefault = logical_not(equal(tensor, padding))
            if rank > 2:
                nondefault = reduce_any(nondefault, axis=list(range(2, rank)))
            position = cast(range_(1, ncols + 1), row_splits_dtype)
            lengths = reduce_max(multiply(cast(nondefault, row_splits_dtype), position), axis=1)
            lengths = maximum(lengths, cast(0, row_splits_dtype))
        if lengths is None:
            values = reshape(tensor, concat([[-1], shape(tensor)[2:]], axis=0))
            splits = range_(dims[0] + 1) * ncols
            n = tensor.shape[0].value
            splits.set_shape([None if n is None else n + 1])
            rows = cls.from_row_splits(values, splits, validate=False)
            return rows._with_uniform_row_length(tensor.shape[1].value)
        lengths = cast(convert_to_tensor(lengths, name="lengths"), row_splits_dtype)
        lengths = minimum(maximum(lengths, cast(0, row_splits_dtype)), ncols)
        lengths.set_shape(tensor.shape[:1])
        mask = sequence_mask(lengths, ncols)
        values = boolean_mask(tensor, mask)
        return cls.from_row_lengths(values, lengths, validate=False)


def from_sparse(cls, st_input, name, row_splits_dtype):
    row_splits_dtype = dtypes.as_dtype(row_splits_dtype)
    if not isinstance(st_input, SparseTensor):
        raise TypeError(f"Argument `st_input` must be of type SparseTensor, but is {st_input}.")
    with name_scope(name, "RaggedFromSparse", [st_input]):
        rank = st_input.dense_shape.shape[0].value
        if rank is None:
            raise ValueError("rank(st_input) must be known statically")
        if rank != 2:
            raise ValueError("rank(st_input) must be 2.")
        indices = st_input.indices
        rows, cols = cast(indices[:, 0], row_splits_dtype), cast(indices[:, 1], row_splits_dtype)
        minus_one = convert_to_tensor([-1], dtype=row_splits_dtype)
        previous_row = concat([minus_one, rows[:-1]], axis=0)
        previous_col = concat([minus_one, cols[:-1]], axis=0)
        expected = where(equal(rows, previous_row), previous_col + 1, previous_col * 0)
        check = assert_equal(cols, expected, message="SparseTensor is not right-ragged")
        nrows = cast(st_input.dense_shape[0], row_splits_dtype)
        with name_scope(None, "RaggedFromValueRowIds"):
            with control_dependencies([check]):
                _, splits = partition.from_value_rowids(rows, nrows, validate=False)
            known = constant_value(st_input.dense_shape)
            splits.set_shape([None if known is None else int(known[0]) + 1])
            return cls._from_partition(st_input.values, splits, validate=False)


def bounding_shape(rt, axis, out_type):
    lengths = []
    level = rt
    while is_ragged(level):
        lengths.append(level.row_lengths())
        level = level.values
    zero = convert_to_tensor([0], dtype=rt.row_splits.dtype)
    longest = [reduce_max(concat([zero, n], axis=0)) for n in lengths]
    nrows = rt.nrows()
    inner = shape(rt.flat_values, out_type=rt.row_splits.dtype)[1:]
    result = concat([stack([nrows, *longest]), inner], axis=0)
    result = cast(result, out_type) if out_type != result.dtype else result
    return result if axis is None else result[axis]


def _merge_dense(t, inner: int):
    """Dense ``t`` with dimensions ``0..inner`` merged."""
    return reshape(t, concat([[-1], shape(t)[inner + 1 :]], axis=0))


def merge_dims(rt, outer_axis, inner_axis):
    rank = rt.shape.ndims
    if rank is None:
        raise ValueError("merge_dims needs a ragged tensor of known rank")
    outer_axis = outer_axis + rank if outer_axis < 0 else outer_axis
    inner_axis = inner_axis + rank if inner_axis < 0 else inner_axis
    if not 0 <= outer_axis < rank or not 0 <= inner_axis < rank:
        raise ValueError(f"axis out of bounds for a ragged tensor of rank {rank}")
    if outer_axis > inner_axis:
        raise ValueError(
            f"Expected outer_axis ({outer_axis}) to be less than or equal to inner_axis "
            f"({inner_axis})"
        )
    with name_scope(None, "RaggedMergeDims", [rt]):
        return _merge(rt, outer_axis, inner_axis)


def _merge(rt, outer_axis: int, inner_axis: int):
    if outer_axis == inner_axis:
        return rt
    if not is_ragged(rt):
        if outer_axis == 0:
            return _merge_dense(rt, inner_axis)
        rank = rt.shape.ndims
        dims = shape(rt)
        merged = reduce_prod(dims[outer_axis : inner_axis + 1], keepdims=True)
        pieces = [dims[:outer_axis], merged, dims[inner_axis + 1 : rank]]
        return reshape(rt, concat(pieces, axis=0))
    if outer_axis > 1:
        return rt.with_values(_merge(rt.values, outer_axis - 1, inner_axis - 1))
    if outer_axis == 1:
        # Each row's items merged: its splits lead through the merged levels to the values.
        splits, level, remaining = rt.row_splits, rt.values, inner_axis - 1
        while remaining > 0 and is_ragged(level):
            splits = dense_gather(level.row_splits, splits)
            level, remaining = level.values, remaining - 1
        if remaining > 0:
            splits = splits * reduce_prod(shape(level, out_type=splits.dtype)[1 : remaining + 1])
            level = _merge_dense(level, remaining)
        return type(rt).from_row_splits(level, splits, validate=False)
    # Rows 0 and 1 merged: the values, then the rest of the range within them.
    return _merge(rt.values, 0, inner_axis - 1)
