"""The op types TF builds for ragged tensors where no composite of ordinary ops does:
``RaggedTensorToTensor`` (``to_tensor``), ``RaggedTensorToSparse`` (``to_sparse``),
``RaggedRange`` (``tf.ragged.range``) and ``RaggedGather`` (``tf.gather`` of rows), with TF's
gradients (built from the ops themselves over the values' positions)."""

from __future__ import annotations

import numpy as np

from scopeflow.framework import dtypes, tensor_shape
from scopeflow.framework.registry import NOT_DIFFERENTIABLE, register_op
from scopeflow.ops.array.basic import reshape, shape
from scopeflow.ops.array.cast import cast
from scopeflow.ops.array.gather import unsorted_segment_sum
from scopeflow.ops.array.join import concat
from scopeflow.ops.core.infer import INDEX, apply_op, check_dtype_in, constant_value
from scopeflow.ops.math.elementwise import less, multiply
from scopeflow.ops.math.reduction import reduce_sum
from scopeflow.ops.math.sequence import range as range_

TensorShape = tensor_shape.TensorShape


def _splits_check(op_name: str, splits: list[np.ndarray], nvals: int) -> None:
    """TF's kernel checks of nested row splits: each starts at 0, never decreases, and ends at
    the size of the level below."""
    for level, s in enumerate(splits):
        below = splits[level + 1].shape[0] - 1 if level + 1 < len(splits) else nvals
        if s.shape[0] == 0 or s[0] != 0 or np.any(np.diff(s) < 0) or s[-1] != below:
            raise ValueError(f"{op_name}: Invalid ragged splits at level {level}: {s.tolist()}")


def _positions(splits: list[np.ndarray]):
    """For each value of a ragged tensor: its row at each ragged level (a list of arrays, outer
    first) and its index among the values."""
    nrows = splits[0].shape[0] - 1
    coords = [np.arange(nrows, dtype=np.int64)]
    ids = coords[0]
    for s in splits:
        s = s.astype(np.int64)
        starts = s[ids]
        lengths = s[ids + 1] - starts
        parent = np.repeat(np.arange(ids.shape[0]), lengths)
        first = np.cumsum(lengths) - lengths
        offset = np.arange(parent.shape[0], dtype=np.int64) - first[parent]
        coords = [c[parent] for c in coords] + [offset]
        ids = starts[parent] + offset
    return coords, ids


def _max_lengths(splits: list[np.ndarray]) -> list[int]:
    return [int(np.max(np.diff(s), initial=0)) for s in splits]


# -- RaggedTensorToTensor ---------------------------------------------------------------------


def _to_tensor_infer(inputs, attrs):
    shape_t, values, default = inputs[:3]
    check_dtype_in("RaggedTensorToTensor", "shape", shape_t, INDEX)
    if default.dtype.base_dtype != values.dtype.base_dtype:
        raise TypeError(
            "Input 'default_value' of 'RaggedTensorToTensor' Op has type "
            f"{default.dtype.name} that does not match type {values.dtype.name} of argument "
            "'values'."
        )
    types = list(attrs["row_partition_types"])
    levels = len(types) - (1 if types[0] == "FIRST_DIM_SIZE" else 0)
    inner = values.shape[1:] if values.shape.ndims is not None else None
    rank = None if inner is None else 1 + levels + inner.ndims
    known = constant_value(shape_t)
    if known is not None and np.ndim(known) == 1:
        dims = [None if d < 0 else int(d) for d in known]
        rank = len(dims)
    else:
        dims = None if rank is None else [None] * rank
    if dims is not None and inner is not None:
        if len(dims) != 1 + levels + inner.ndims:
            raise ValueError(
                f"rt_input.shape and shape={dims} are incompatible: rt_input.rank = "
                f"{1 + levels + inner.ndims} but shape.rank = {len(dims)}"
            )
        for i, d in enumerate(inner.as_list()):
            at = 1 + levels + i
            if dims[at] is None:
                dims[at] = d
            elif d is not None and d != dims[at]:
                wanted = ",".join(str(int(x)) for x in known)
                raise ValueError(
                    f"rt_input.shape and shape=[{wanted}] are incompatible: "
                    f"rt_input.shape[{at}] = {d} but shape[{at}] = {dims[at]}"
                )
        if types[0] == "ROW_SPLITS" and dims[0] is None and inputs[3].shape.ndims == 1:
            n = inputs[3].shape[0].value
            dims[0] = None if n is None else n - 1
    return [(values.dtype.base_dtype, TensorShape(dims))]


def _partition_splits(types, partitions, nvals) -> list[np.ndarray]:
    """Row splits for each ragged level, from TF's ROW_SPLITS or FIRST_DIM_SIZE +
    VALUE_ROWIDS encodings."""
    if types[0] == "ROW_SPLITS":
        return [np.asarray(p, np.int64) for p in partitions]
    if types[0] != "FIRST_DIM_SIZE" or any(t != "VALUE_ROWIDS" for t in types[1:]):
        raise ValueError(f"RaggedTensorToTensor: unsupported row_partition_types {types}")
    nrows = int(partitions[0])
    splits = []
    for rowids in partitions[1:]:
        rowids = np.asarray(rowids, np.int64)
        if rowids.size and (rowids.min() < 0 or np.any(np.diff(rowids) < 0)):
            raise ValueError("RaggedTensorToTensor: value_rowids must be sorted and non-negative")
        counts = np.bincount(rowids[rowids < nrows], minlength=nrows)[:nrows]
        splits.append(np.concatenate([[0], np.cumsum(counts)]).astype(np.int64))
        nrows = rowids.shape[0]
    return splits


def _to_tensor_kernel(ctx, op, shape_value, values, default, *partitions):
    types = [t.decode() if isinstance(t, bytes) else t for t in op._attrs["row_partition_types"]]
    splits = _partition_splits(types, partitions, values.shape[0])
    _splits_check("RaggedTensorToTensor", splits, values.shape[0])
    inner = values.shape[1:]
    bounding = [splits[0].shape[0] - 1, *_max_lengths(splits), *inner]
    shape_value = np.asarray(shape_value)
    if shape_value.ndim == 0:
        dims = bounding
    else:
        if shape_value.shape[0] != len(bounding):
            raise ValueError(
                f"RaggedTensorToTensor: shape has {shape_value.shape[0]} dimensions, the "
                f"ragged tensor {len(bounding)}"
            )
        dims = [b if d < 0 else int(d) for d, b in zip(shape_value, bounding, strict=True)]
        for i, (d, b) in enumerate(zip(dims[len(splits) + 1 :], inner, strict=True)):
            if d != b:
                raise ValueError(
                    f"RaggedTensorToTensor: shape[{len(splits) + 1 + i}] = {d} does not "
                    f"match the values' dimension {b}"
                )
    try:
        out = np.broadcast_to(np.asarray(default, values.dtype), tuple(dims[1 + len(splits) :]))
    except ValueError:
        raise ValueError(
            f"RaggedTensorToTensor: default_value.shape={list(np.shape(default))} and "
            f"rt_input.flat_values.shape={list(values.shape)} are incompatible: "
            "default_value.rank must be less than rt_input.flat_values.rank"
        ) from None
    out = np.array(np.broadcast_to(out, tuple(dims)))
    coords, ids = _positions(splits)
    keep = np.ones(ids.shape[0], bool)
    for c, d in zip(coords, dims, strict=False):
        keep &= c < d
    out[tuple(c[keep] for c in coords)] = values[ids[keep]]
    return out


def _to_tensor_grad(op, grad):
    shape_t, values, default = op.inputs[:3]
    partitions = list(op.inputs[3:])
    nvals = cast(shape(values, out_type=dtypes.int64)[0], dtypes.int64)
    ids = apply_op(
        "RaggedTensorToTensor",
        [shape_t, range_(nvals), cast(-1, dtypes.int64), *partitions],
        dict(op._attrs),
    )
    inner = shape(values)[1:]
    flat_ids = reshape(ids, [-1])
    flat_grad = reshape(grad, concat([[-1], inner], 0))
    values_grad = unsorted_segment_sum(flat_grad, flat_ids, nvals)
    free = cast(less(flat_ids, 0), grad.dtype)
    default_grad = _default_grad(flat_grad, free, values, default)
    return [None, values_grad, default_grad] + [None] * len(partitions)


def _default_grad(flat_grad, free, values, default):
    """The gradient of the padding value: the output's gradient where no value landed, summed
    down to ``default``'s shape (it was broadcast to the values' inner shape)."""
    inner_rank = values.shape.ndims - 1
    free = reshape(free, [-1] + [1] * inner_rank)
    summed = reduce_sum(multiply(flat_grad, free), axis=0)
    rank = default.shape.ndims
    if rank == 0:
        return reduce_sum(summed)
    lead = list(range(inner_rank - rank))
    summed = reduce_sum(summed, axis=lead) if lead else summed
    ones = [i for i, d in enumerate(default.shape.as_list()) if d == 1]
    return reduce_sum(summed, axis=ones, keepdims=True) if ones else summed


register_op(
    "RaggedTensorToTensor", _to_tensor_infer, kernel=_to_tensor_kernel, grad=_to_tensor_grad
)


# -- RaggedTensorToSparse -----------------------------------------------------------------------


def _to_sparse_infer(inputs, attrs):
    *splits, values = inputs
    for s in splits:
        check_dtype_in("RaggedTensorToSparse", "rt_nested_splits", s, INDEX)
    rank = None if values.shape.ndims is None else len(splits) + values.shape.ndims
    return [
        (dtypes.int64, TensorShape([None, rank])),
        (values.dtype.base_dtype, TensorShape([None])),
        (dtypes.int64, TensorShape([rank])),
    ]


def _to_sparse_kernel(ctx, op, *inputs):
    *splits, values = inputs
    splits = [np.asarray(s, np.int64) for s in splits]
    _splits_check("RaggedTensorToSparse", splits, values.shape[0])
    coords, ids = _positions(splits)
    inner = values.shape[1:]
    per_value = int(np.prod(inner, dtype=np.int64))
    outer = np.stack(coords, axis=1) if coords[0].size else np.zeros((0, len(coords)), np.int64)
    inner_index = np.indices(inner).reshape(len(inner), per_value).T.astype(np.int64)
    indices = np.concatenate(
        [np.repeat(outer, per_value, axis=0), np.tile(inner_index, (outer.shape[0], 1))], axis=1
    )
    dense_shape = [splits[0].shape[0] - 1, *_max_lengths(splits), *inner]
    flat = values[ids].reshape(-1)
    return indices.astype(np.int64), flat, np.array(dense_shape, np.int64)


def _to_sparse_grad(op, indices_grad, values_grad, shape_grad):
    values = op.inputs[-1]
    return [None] * (len(op.inputs) - 1) + [reshape(values_grad, shape(values))]


register_op(
    "RaggedTensorToSparse", _to_sparse_infer, kernel=_to_sparse_kernel, grad=_to_sparse_grad
)


# -- RaggedRange --------------------------------------------------------------------------------


def _range_infer(inputs, attrs):
    sizes = []
    for t in inputs:
        if t.shape.ndims not in (None, 0, 1):
            raise ValueError(f"Shape must be at most rank 1 but is rank {t.shape.ndims}")
        if t.shape.ndims == 1:
            sizes.append(t.shape[0].value)
    n = None
    if sizes and all(s is not None for s in sizes):
        n = max(sizes)
    elif not sizes and all(t.shape.ndims == 0 for t in inputs):
        n = 1
    return [
        (attrs.get("Tsplits", dtypes.int64), TensorShape([None if n is None else n + 1])),
        (inputs[0].dtype.base_dtype, TensorShape([None])),
    ]


def _range_kernel(ctx, op, starts, limits, deltas):
    sizes = {np.size(x) for x in (starts, limits, deltas) if np.ndim(x) == 1}
    if len(sizes) > 1:
        raise ValueError("RaggedRange: starts, limits, and deltas must have the same shape")
    n = sizes.pop() if sizes else 1
    starts, limits, deltas = (np.broadcast_to(x, (n,)) for x in (starts, limits, deltas))
    pieces, lengths = [], []
    for start, limit, delta in zip(starts, limits, deltas, strict=True):
        if delta == 0:
            raise ValueError("RaggedRange: Requires delta != 0")
        if np.issubdtype(starts.dtype, np.integer):
            count = max(
                0, -((start - limit) // delta) if delta > 0 else -((limit - start) // -delta)
            )
        else:
            count = max(0, int(np.ceil((float(limit) - float(start)) / float(delta))))
        pieces.append(start + delta * np.arange(count, dtype=starts.dtype))
        lengths.append(count)
    splits_dtype = op._attrs.get("Tsplits", dtypes.int64).as_numpy_dtype
    splits = np.concatenate([[0], np.cumsum(lengths, dtype=np.int64)]).astype(splits_dtype)
    values = np.concatenate(pieces).astype(starts.dtype) if pieces else starts[:0]
    return splits, values


register_op("RaggedRange", _range_infer, kernel=_range_kernel, grad=NOT_DIFFERENTIABLE)


# -- RaggedGather -------------------------------------------------------------------------------


def _gather_infer(inputs, attrs):
    k = attrs["PARAMS_RAGGED_RANK"]
    splits, values, indices = inputs[:k], inputs[k], inputs[k + 1]
    check_dtype_in("RaggedGather", "indices", indices, INDEX)
    out_rank = attrs["OUTPUT_RAGGED_RANK"]
    if indices.shape.ndims is not None and out_rank != k + indices.shape.ndims - 1:
        raise ValueError(
            f"Invalid indices: OUTPUT_RAGGED_RANK = {out_rank} but indices.rank = "
            f"{indices.shape.ndims} (expected {k + indices.shape.ndims - 1})"
        )
    dtype = splits[0].dtype.base_dtype  # TF's shape function leaves every size unknown
    outs = [(dtype, TensorShape([None]))] * out_rank
    inner = values.shape[1:] if values.shape.ndims is not None else tensor_shape.unknown_shape()
    return outs + [(values.dtype.base_dtype, TensorShape([None]).concatenate(inner))]


def _gather_kernel(ctx, op, *inputs):
    k = op._attrs["PARAMS_RAGGED_RANK"]
    splits = [np.asarray(s, np.int64) for s in inputs[:k]]
    values, indices = inputs[k], np.asarray(inputs[k + 1])
    nrows = splits[0].shape[0] - 1
    flat = indices.reshape(-1)
    bad = (flat < 0) | (flat >= nrows)
    if np.any(bad):
        i = int(np.argmax(bad))
        raise ValueError(f"RaggedGather: indices[{i}] = {flat[i]} is not in [0, {nrows})")
    out_splits, ids = [], flat.astype(np.int64)
    for s in splits:
        starts, lengths = s[ids], s[ids + 1] - s[ids]
        out_splits.append(np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64))
        parent = np.repeat(np.arange(ids.shape[0]), lengths)
        first = np.cumsum(lengths) - lengths
        ids = starts[parent] + np.arange(parent.shape[0], dtype=np.int64) - first[parent]
    dims = indices.shape
    uniform = [
        np.arange(int(np.prod(dims[: j + 1])) + 1, dtype=np.int64) * dims[j + 1]
        for j in range(len(dims) - 1)
    ]
    if indices.ndim == 0:
        out_splits = out_splits[1:]
    dtype = inputs[0].dtype
    return [s.astype(dtype) for s in uniform + out_splits] + [values[ids]]


def _gather_grad(op, *grads):
    k = op._attrs["PARAMS_RAGGED_RANK"]
    splits, values, indices = list(op.inputs[:k]), op.inputs[k], op.inputs[k + 1]
    nvals = shape(values, out_type=dtypes.int64)[0]
    ids = apply_op("RaggedGather", [*splits, range_(nvals), indices], dict(op._attrs))[-1]
    values_grad = unsorted_segment_sum(grads[-1], ids, nvals)
    return [None] * k + [values_grad, None]


register_op("RaggedGather", _gather_infer, kernel=_gather_kernel, grad=_gather_grad)
