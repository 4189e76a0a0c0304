"""The ``tf.ragged`` functions: ``constant``, ``placeholder``, ``range``, ``map_flat_values``,
``boolean_mask``, ``stack``, ``row_splits_to_segment_ids``, ``segment_ids_to_row_splits``,
built as TF builds them (names included: ``RaggedConstant/values``,
``RaggedPlaceholder/row_splits_0``, ``RaggedRange``...)."""

from __future__ import annotations

import builtins

from scopeflow.framework import dtypes, tensor_shape, undo
from scopeflow.framework.constant import constant as dense_constant
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.graph_api import control_dependencies, name_scope
from scopeflow.framework.tensor import Tensor
from scopeflow.ops.array.basic import placeholder as dense_placeholder
from scopeflow.ops.array.basic import reshape, shape, zeros
from scopeflow.ops.array.basic import stack as dense_stack
from scopeflow.ops.array.cast import cast
from scopeflow.ops.array.gather import boolean_mask as dense_boolean_mask
from scopeflow.ops.array.gather import gather as dense_gather
from scopeflow.ops.array.gather import unsorted_segment_sum
from scopeflow.ops.array.join import concat
from scopeflow.ops.control.assertions import assert_equal, assert_less, assert_non_negative
from scopeflow.ops.core.infer import apply_op
from scopeflow.ops.math.reduction import cumsum
from scopeflow.ops.math.segment_extrema import bincount
from scopeflow.ops.math.selection import where
from scopeflow.ops.math.sequence import range as dense_range
from scopeflow.ops.nn.sort import argsort
from scopeflow.ragged import partition
from scopeflow.ragged.indexing import gather as ragged_gather
from scopeflow.ragged.tensor import RaggedTensor
from scopeflow.ragged.value import RaggedTensorValue, parse_nested


@undo.atomic
def constant(pylist, dtype=None, ragged_rank=None, inner_shape=None, name=None,
             row_splits_dtype=dtypes.int64):  # fmt: skip
    """A ragged tensor of constants from a nested list (a dense ``Const`` when no dimension
    is ragged).

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     rt = tf.ragged.constant([[1, 2], [3]])
    ...     print(rt.shape, tf.Session().run(rt).to_list())
    (2, ?) [[1, 2], [3]]
    """
    row_splits_dtype = dtypes.as_dtype(row_splits_dtype)
    if isinstance(pylist, RaggedTensorValue):
        pylist = pylist.to_list()
    with name_scope(name, "RaggedConstant"):
        rank, splits, values, inner = parse_nested(pylist, ragged_rank, inner_shape)
        if rank == 0:
            return convert_to_tensor(pylist, dtype=dtype)
        if values:
            result = dense_constant(values, dtype=dtype, name="values")
            if inner and tuple(result.shape.as_list()[1:]) != tuple(inner):
                raise ValueError(
                    f"inner values have shape {result.shape.as_list()[1:]}, not inner_shape "
                    f"{list(inner)}"
                )
        else:
            result = zeros((0, *inner), dtype or dtypes.float32, name="values")
        for s in reversed(splits):
            result = RaggedTensor(result, dense_constant(s, row_splits_dtype), internal=True)
        return result


def placeholder(dtype, ragged_rank, value_shape=None, name=None) -> RaggedTensor:
    """A ragged tensor whose flat values (``<name>/flat_values``) and row splits
    (``<name>/row_splits_<i>``, outermost 0) are fed: feed it a ``RaggedTensorValue``.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     x = tf.ragged.placeholder(tf.float32, 1, [])
    ...     v = tf.ragged.constant_value([[1.0, 2.0], [3.0]], dtype="float32")
    ...     print(tf.Session().run(x + 1, {x: v}).to_list())
    [[2.0, 3.0], [4.0]]
    """
    if not isinstance(ragged_rank, int) or ragged_rank < 0:
        raise ValueError(f"ragged_rank must be a non-negative int, got {ragged_rank!r}")
    inner = tensor_shape.as_shape(value_shape) if value_shape is not None else None
    with name_scope(name, "RaggedPlaceholder", []):
        flat_shape = tensor_shape.TensorShape([None])
        flat_shape = flat_shape.concatenate(inner) if inner is not None else None
        result = dense_placeholder(dtype, flat_shape, name="flat_values")
        for i in reversed(builtins.range(ragged_rank)):
            splits = dense_placeholder(dtypes.int64, [None], name=f"row_splits_{i}")
            result = RaggedTensor(result, splits, internal=True)
        return result


_RANGE_ORDER = (dtypes.int32, dtypes.int64, dtypes.float32, dtypes.float64)


@undo.atomic
def range(starts, limits=None, deltas=1, dtype=None, name=None,  # noqa: A001 - TF's name
          row_splits_dtype=dtypes.int64):  # fmt: skip
    """Row ``i`` is ``tf.range(starts[i], limits[i], deltas[i])`` (scalars broadcast): one
    ``RaggedRange`` op.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     print(tf.Session().run(tf.ragged.range([3, 1, 2])).to_list())
    [[0, 1, 2], [0], [0, 1]]
    """
    if limits is None:
        starts, limits = 0, starts
    with name_scope(name, "RaggedRange", [starts, limits, deltas]) as scope:
        args = [
            convert_to_tensor(v, dtype=dtype, name=n)
            for v, n in ((starts, "starts"), (limits, "limits"), (deltas, "deltas"))
        ]
        if dtype is None:
            common = max((a.dtype.base_dtype for a in args), key=_range_rank)
            args = [a if a.dtype == common else cast(a, common) for a in args]
        return _rt_from_outputs(
            apply_op("RaggedRange", args, {"Tsplits": dtypes.as_dtype(row_splits_dtype)}, scope)
        )


def _range_rank(dtype) -> int:
    return _RANGE_ORDER.index(dtype) if dtype in _RANGE_ORDER else -1


def _rt_from_outputs(outputs) -> RaggedTensor:
    splits, values = outputs
    return RaggedTensor(values, splits, internal=True)


def _ragged_args(args, kwargs) -> list:
    found = []
    for value in [*args, *kwargs.values()]:
        items = value if isinstance(value, (list, tuple)) else [value]
        found += [v for v in items if isinstance(v, RaggedTensor)]
    return found


def _flatten_arg(value):
    if isinstance(value, RaggedTensor):
        return value.flat_values
    if isinstance(value, (list, tuple)):
        return type(value)(_flatten_arg(v) for v in value)
    return value


def map_flat_values(op, *args, **kwargs):
    """``op`` applied to the flat values of the ragged arguments (same nested row splits),
    the result taking their row partition.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     rt = tf.ragged.constant([[1.0, 4.0], [9.0]])
    ...     print(tf.Session().run(tf.ragged.map_flat_values(tf.sqrt, rt)).to_list())
    [[1.0, 2.0], [3.0]]
    """
    ragged = _ragged_args(args, kwargs)
    if not ragged:
        return op(*args, **kwargs)
    first = ragged[0]
    splits = first.nested_row_splits
    checks = []
    for other in ragged[1:]:
        theirs = other.nested_row_splits
        if len(theirs) != len(splits):
            raise ValueError("All ragged inputs must have the same ragged_rank.")
        for mine, their in zip(splits, theirs, strict=True):
            if mine is not their:
                message = "Inputs must have identical ragged splits"
                checks.append(assert_equal(mine, their, message=message))
    flat_args = [_flatten_arg(a) for a in args]
    flat_kwargs = {k: _flatten_arg(v) for k, v in kwargs.items()}
    with control_dependencies(checks):  # the op's own ops wait for the checks
        result = op(*flat_args, **flat_kwargs)
    return first.with_flat_values(result)


def row_splits_to_segment_ids(splits, name=None, out_type=None) -> Tensor:
    """Each value's row: ``splits`` ``[0, 2, 3]`` gives ``[0, 0, 1]``."""
    ids = partition.splits_to_rowids(splits, name)
    return ids if out_type is None else cast(ids, out_type)


def segment_ids_to_row_splits(segment_ids, num_segments=None, out_type=None, name=None):
    """Row splits for sorted ``segment_ids``: ``[0, 0, 2]`` gives ``[0, 2, 2, 3]``."""
    return partition.rowids_to_splits(segment_ids, num_segments, out_type, name)


def _as_ragged(value, ragged_rank: int) -> RaggedTensor:
    if isinstance(value, RaggedTensor):
        return value
    value = convert_to_tensor(value)
    return RaggedTensor.from_tensor(value, ragged_rank=ragged_rank)


@undo.atomic
def boolean_mask(data, mask, name=None):
    """The items of ``data`` where ``mask`` (rank <= data's, same row lengths) is true; a mask
    of rank above 1 gives ragged rows.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     rt = tf.ragged.constant([[1, 2], [3]])
    ...     m = tf.ragged.constant([[True, False], [True]])
    ...     print(tf.Session().run(tf.ragged.boolean_mask(rt, m)).to_list())
    [[1], [3]]
    """
    with name_scope(name, "RaggedMask", [data, mask]):
        if not isinstance(mask, RaggedTensor):
            mask = convert_to_tensor(mask, dtype=dtypes.bool, name="mask")
        elif mask.dtype != dtypes.bool:
            raise TypeError(f"mask must have dtype bool, got {mask.dtype.name}")
        mask_rank = mask.shape.ndims
        if mask_rank is None:
            raise ValueError("mask.shape.ndims must be known statically.")
        if mask_rank == 0:
            raise ValueError("mask cannot be scalar.")
        if mask_rank == 1 and not isinstance(mask, RaggedTensor):
            if isinstance(data, RaggedTensor):
                rows = where(mask)[:, 0]
                return ragged_gather(data, rows)
            return dense_boolean_mask(data, mask)
        depth = mask_rank - 1
        data = _as_ragged(data, depth)
        mask = _as_ragged(mask, depth)
        return _mask_levels(data, mask)


def _mask_levels(data: RaggedTensor, mask: RaggedTensor) -> RaggedTensor:
    if isinstance(mask.values, RaggedTensor):
        return data.with_values(_mask_levels(data.values, mask.values))
    if isinstance(data.values, RaggedTensor):  # the mask picks whole rows of the values
        kept = ragged_gather(data.values, where(mask.values)[:, 0])
    else:
        kept = dense_boolean_mask(data.values, mask.values)
    counts = unsorted_segment_sum(
        cast(mask.values, data.row_splits.dtype), mask.value_rowids(), mask.nrows()
    )
    zero = convert_to_tensor([0], dtype=data.row_splits.dtype)
    return RaggedTensor.from_row_splits(
        kept, concat([zero, cumsum(counts, axis=0)], axis=0), validate=False
    )


@undo.atomic
def stack(values, axis=0, name=None):
    """The ragged (or dense) tensors ``values`` stacked along a new dimension ``axis``
    (0 or 1): rows of different lengths are fine.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     a, b = tf.ragged.constant([[1, 2], [3]]), tf.ragged.constant([[4]])
    ...     print(tf.Session().run(tf.ragged.stack([a, b])).to_list())
    [[[1, 2], [3]], [[4]]]
    """
    if not isinstance(values, (list, tuple)) or not values:
        raise ValueError("values must be a non-empty list of tensors")
    if not any(isinstance(v, RaggedTensor) for v in values):
        return dense_stack(values, axis=axis, name=name)
    with name_scope(name, "RaggedConcat", values):
        rts = common_ragged(values)
        if axis == 0:
            joined = concat_rows(rts)
            nrows = [rt.nrows() for rt in rts]
            zero = convert_to_tensor([0], dtype=joined.row_splits.dtype)
            outer = concat([zero, cumsum(_stack_scalars(nrows), axis=0)], axis=0)
            outer.set_shape([len(rts) + 1])
            return RaggedTensor.from_row_splits(joined, outer, validate=False)
        if axis == 1:
            expanded = [_expand_rows(rt) for rt in rts]
            return concat_columns(expanded)
        raise NotImplementedError(
            f"tf.ragged.stack with axis={axis}: scopeflow stacks along axis 0 or 1; transpose "
            "the dense parts (rt.flat_values) instead"
        )


def _expand_rows(rt: RaggedTensor) -> RaggedTensor:
    """``rt`` with each row wrapped in a row of its own (a new dimension 1 of size 1)."""
    splits = dense_range(rt.nrows() + 1)
    splits.set_shape(rt.row_splits.shape)
    return RaggedTensor.from_row_splits(rt, splits, validate=False)


def _stack_scalars(scalars) -> Tensor:
    return concat([s[None] for s in scalars], axis=0)


def common_ragged(values) -> list[RaggedTensor]:
    rank = max((v.ragged_rank for v in values if isinstance(v, RaggedTensor)), default=1)
    rts = [_as_ragged(v, rank) for v in values]
    if any(rt.ragged_rank != rank for rt in rts):
        raise ValueError("all inputs of a ragged stack or concat must have the same ragged_rank")
    dtype = rts[0].row_splits.dtype
    return [rt.with_row_splits_dtype(dtype) for rt in rts]


def concat_rows(rts: list[RaggedTensor]) -> RaggedTensor:
    """The rows of each of ``rts`` one after another (concat along axis 0)."""
    if len(rts) == 1:
        return rts[0]
    values = [rt.values for rt in rts]
    if isinstance(values[0], RaggedTensor):
        joined_values = concat_rows(values)
    else:
        joined_values = concat(values, axis=0)
    pieces, offset = [rts[0].row_splits], rts[0].row_splits[-1]
    for rt in rts[1:]:
        pieces.append(rt.row_splits[1:] + offset)
        offset = offset + rt.row_splits[-1]
    return RaggedTensor(joined_values, concat(pieces, axis=0), internal=True)


def concat_columns(rts: list[RaggedTensor]) -> RaggedTensor:
    """Row ``i`` of the result: row ``i`` of each of ``rts`` joined (concat along axis 1)."""
    k = len(rts)
    nrows = rts[0].nrows()
    checks = [assert_equal(rt.nrows(), nrows, message="Input tensors have incompatible shapes")
              for rt in rts[1:]]  # fmt: skip
    joined = concat_rows(rts)
    with control_dependencies(checks):
        order = dense_range(nrows * k)
    order = (order % k) * nrows + order // k
    interleaved = ragged_gather(joined, order)
    outer = dense_range(nrows + 1) * k
    outer.set_shape(rts[0].row_splits.shape)
    grouped = RaggedTensor.from_row_splits(interleaved, outer, validate=False)
    return grouped.merge_dims(1, 2)


@undo.atomic
def stack_dynamic_partitions(data, partitions, num_partitions, name=None) -> RaggedTensor:
    """Row ``p`` of the result: the items of ``data`` whose partition is ``p``, in order.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     rt = tf.ragged.stack_dynamic_partitions([10, 20, 30], [1, 0, 1], 3)
    ...     print(tf.Session().run(rt).to_list())
    [[20], [10, 30], []]
    """
    with name_scope(name, "SegmentStack", [data, partitions, num_partitions]):
        partitions = convert_to_tensor(partitions, name="partitions", dtype_hint=dtypes.int32)
        if partitions.dtype.base_dtype not in (dtypes.int32, dtypes.int64):
            raise TypeError(f"partitions must be int32 or int64, got {partitions.dtype.name}")
        static_count = num_partitions if isinstance(num_partitions, int) else None
        num_partitions = convert_to_tensor(
            num_partitions, dtype=partitions.dtype, name="num_partitions"
        )
        rank = partitions.shape.ndims
        if rank is None:
            raise ValueError("partitions must have known rank.")
        if not isinstance(data, RaggedTensor):
            data = convert_to_tensor(data, name="data")
            partitions.shape.assert_is_compatible_with(data.shape[:rank])
        if rank > 1:
            data = data.merge_dims(0, rank - 1) if isinstance(data, RaggedTensor) else (
                reshape(data, concat([[-1], shape(data)[rank:]], axis=0))
            )  # fmt: skip
            partitions = reshape(partitions, [-1])
        checks = [
            assert_non_negative(partitions, message="partitions must be non-negative."),
            assert_less(
                partitions, num_partitions, message="partitions must be less than num_partitions"
            ),
        ]
        with control_dependencies(checks):
            order = argsort(partitions, stable=True)
        values = ragged_gather(data, order) if isinstance(data, RaggedTensor) else (
            dense_gather(data, order)
        )  # fmt: skip
        count = cast(num_partitions, dtypes.int32)
        lengths = bincount(
            cast(partitions, dtypes.int32), minlength=count, maxlength=count, dtype=dtypes.int64
        )
        lengths.set_shape([static_count])
        return RaggedTensor.from_row_lengths(values, lengths, validate=False)
