"""Segment sums over sorted segment ids: ``SegmentSum``, ``SparseSegmentSum``/``Mean``/
``SqrtN`` (rows picked by ``indices``, with or without ``num_segments``) and their gradient
ops, and ``tf.nn.embedding_lookup_sparse`` built from them as TF1 builds it."""

from __future__ import annotations

import numpy as np

from scopeflow.framework import dtypes, tensor_shape, undo
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.graph_api import colocate_with, name_scope
from scopeflow.framework.indexed_slices import IndexedSlices
from scopeflow.framework.registry import NOT_DIFFERENTIABLE, register_op
from scopeflow.ops.array.basic import identity, ones, reshape, shape
from scopeflow.ops.array.cast import cast
from scopeflow.ops.array.gather import gather
from scopeflow.ops.array.join import concat
from scopeflow.ops.array.shape import expand_dims, rank
from scopeflow.ops.array.unique import unique
from scopeflow.ops.core.infer import INDEX, REALS, apply_op, check_dtype_in, int_operand
from scopeflow.ops.math.division import div_no_nan
from scopeflow.ops.math.elementwise import pow as pow_
from scopeflow.ops.math.elementwise import sqrt
from scopeflow.ops.sparse.rows import sums_at
from scopeflow.ops.sparse.sharded import clip_rows, sharded_lookup, shards
from scopeflow.ops.sparse.tensor import SparseTensor, shaped_like_inputs, with_rank

TensorShape = tensor_shape.TensorShape


def _check_sorted(ids: np.ndarray, count: int) -> None:
    """TF's checks of sorted segment ids for an output of ``count`` segments."""
    if (np.diff(ids) < 0).any():
        raise ValueError("segment ids are not increasing")
    if len(ids) and ids[0] < 0:
        raise ValueError(
            f"Segment id {int(ids[0])} out of range [0, {count}), possibly because "
            "'segment_ids' input is not sorted."
        )


# -- SegmentSum ---------------------------------------------------------------------------


def _segment_sum_infer(inputs, attrs):
    data, ids = inputs
    check_dtype_in("SegmentSum", "segment_ids", ids, INDEX)
    with_rank(ids, 1)  # (unequal sizes fail when the graph runs, as in TF)
    if data.shape.ndims == 0:
        raise ValueError("Shape must be at least rank 1 but is rank 0")
    if data.shape.ndims is None:
        return [(data.dtype.base_dtype, tensor_shape.unknown_shape())]
    return [(data.dtype.base_dtype, TensorShape([None]).concatenate(data.shape[1:]))]


def _segment_sum_kernel(ctx, op, data, ids):
    if data.ndim == 0 or len(ids) != data.shape[0]:
        raise ValueError("segment_ids should be the same size as dimension 0 of input.")
    count = int(ids[-1]) + 1 if len(ids) else 0
    _check_sorted(ids, count)
    return sums_at(ids, data, count)


@shaped_like_inputs
def _segment_sum_grad(op, grad):
    return [gather(grad, op.inputs[1]), None]


register_op(
    "SegmentSum",
    _segment_sum_infer,
    kernel=_segment_sum_kernel,
    grad=_segment_sum_grad,
    grad_takes_indexed_slices=True,  # made dense as the gather's params, as TF
)


@undo.atomic
def segment_sum(data, segment_ids, name=None):
    """``out[i]`` = the sum of the rows ``data[j]`` with ``segment_ids[j] == i`` (ids sorted).

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     print(tf.Session().run(tf.segment_sum([1.0, 2.0, 3.0, 4.0], [0, 0, 2, 2])))
    [3. 0. 7.]
    """
    with name_scope(name, "SegmentSum", [data, segment_ids]) as scope:
        data = convert_to_tensor(data, name="data")
        ids = int_operand(segment_ids, "segment_ids")
        return apply_op("SegmentSum", [data, ids], name=scope)


# -- SparseSegmentSum / Mean / SqrtN ----------------------------------------------------

# Each reduction's per-segment scale of the sum, from the number of rows in each segment.
_SCALES = {
    "Sum": None,
    "Mean": lambda counts: 1.0 / np.maximum(counts, 1),
    "SqrtN": lambda counts: 1.0 / np.sqrt(np.maximum(counts, 1)),
}


def _sparse_segment_infer(op_type: str):
    def infer(inputs, attrs):
        data, indices, ids = inputs[:3]
        dtype = check_dtype_in(op_type, "data", data, REALS)
        check_dtype_in(op_type, "indices", indices, INDEX)
        check_dtype_in(op_type, "segment_ids", ids, INDEX)
        with_rank(indices, 1)[0].assert_is_compatible_with(with_rank(ids, 1)[0])
        if data.shape.ndims is None:
            return [(dtype, tensor_shape.unknown_shape())]
        num = None
        if len(inputs) == 4:
            with_rank(inputs[3], 0)
            num = _known_int(inputs[3])
        return [(dtype, TensorShape([num]).concatenate(data.shape[1:]))]

    return infer


def _known_int(t) -> int | None:
    value = t.op._attrs.get("value") if t.op.type == "Const" else None
    return None if value is None else int(value)


def _segment_counts(data, indices, ids, num) -> tuple[np.ndarray, int]:
    """TF's checks of a sparse segment reduction; returns the rows per segment and their
    number."""
    if len(indices) != len(ids):
        raise ValueError("segment_ids and indices should have same size.")
    count = int(num) if num is not None else (int(ids[-1]) + 1 if len(ids) else 0)
    if num is not None and len(ids) and ids[-1] >= count:
        raise ValueError("segment ids must be < num_segments")
    _check_sorted(ids, count)
    bad = (indices < 0) | (indices >= data.shape[0])
    if bad.any():
        i = int(np.argmax(bad))
        raise ValueError(
            f"Bad: indices[{i}] == {int(indices[i])} out of range [0, {data.shape[0]})"
        )
    return np.bincount(ids, minlength=count), count


def _sparse_segment_kernel(kind: str):
    scale = _SCALES[kind]

    def kernel(ctx, op, data, indices, ids, num=None):
        counts, count = _segment_counts(data, indices, ids, num)
        out = sums_at(ids, data[indices], count)
        if scale is None:
            return out
        factor = scale(counts).astype(out.dtype)
        return out * factor.reshape(-1, *[1] * (out.ndim - 1))

    return kernel


def _sparse_segment_grad(kind: str):
    """TF1's: a ``SparseSegment<kind>Grad`` op scatters each segment's gradient (scaled) back
    to the rows it read; with the ``sparse_gradient`` attr, ``SparseSegment<kind>GradV2``
    sums it per row read instead, into an ``IndexedSlices`` of those rows."""

    @shaped_like_inputs
    def grad_fn(op, grad):
        data, indices, ids = op.inputs[:3]
        data_shape = shape(data)
        inputs = [grad, indices, ids, data_shape[0]]
        if op._attrs["sparse_gradient"]:
            values, rows = apply_op(f"SparseSegment{kind}GradV2", inputs)
            dx = IndexedSlices(values, rows, data_shape)
        else:
            dx = apply_op(f"SparseSegment{kind}Grad", inputs)
        return [dx] + [None] * (len(op.inputs) - 1)

    return grad_fn


def _segment_grad_infer(inputs, attrs):
    grad, _, _, rows = inputs
    return [(grad.dtype.base_dtype, TensorShape([_known_int(rows)]).concatenate(grad.shape[1:]))]


def _scaled_rows(scale, grad, ids) -> np.ndarray:
    """Each read row's gradient: its segment's, scaled by the segment's size."""
    picked = grad[ids]
    if scale is None:
        return picked
    factor = scale(np.bincount(ids, minlength=len(grad)))[ids].astype(grad.dtype)
    return picked * factor.reshape(-1, *[1] * (grad.ndim - 1))


def _segment_grad_kernel(kind: str):
    scale = _SCALES[kind]

    def kernel(ctx, op, grad, indices, ids, rows):
        return sums_at(indices, _scaled_rows(scale, grad, ids), int(rows))

    return kernel


def _segment_grad_v2_infer(inputs, attrs):
    grad, indices = inputs[:2]
    values = TensorShape([None]).concatenate(grad.shape[1:])
    return [(grad.dtype.base_dtype, values), (indices.dtype.base_dtype, TensorShape([None]))]


def _segment_grad_v2_kernel(kind: str):
    scale = _SCALES[kind]

    def kernel(ctx, op, grad, indices, ids, rows):
        unique, positions = np.unique(indices, return_inverse=True)
        values = sums_at(positions.reshape(-1), _scaled_rows(scale, grad, ids), len(unique))
        return values, unique.astype(indices.dtype)

    return kernel


for _kind in _SCALES:
    _grad = _sparse_segment_grad(_kind)
    for _suffix in ("", "WithNumSegments"):
        _type = f"SparseSegment{_kind}{_suffix}"
        register_op(
            _type, _sparse_segment_infer(_type), kernel=_sparse_segment_kernel(_kind), grad=_grad
        )
    register_op(
        f"SparseSegment{_kind}Grad",
        _segment_grad_infer,
        kernel=_segment_grad_kernel(_kind),
        grad=NOT_DIFFERENTIABLE,
    )
    register_op(
        f"SparseSegment{_kind}GradV2",
        _segment_grad_v2_infer,
        kernel=_segment_grad_v2_kernel(_kind),
        grad=NOT_DIFFERENTIABLE,
    )


def _sparse_segment(kind, data, indices, segment_ids, name, num_segments, sparse_gradient):
    op_type = f"SparseSegment{kind}" + ("" if num_segments is None else "WithNumSegments")
    with name_scope(name, op_type, [data, indices, segment_ids]) as scope:
        inputs = [
            convert_to_tensor(data, name="data"),
            int_operand(indices, "indices"),
            int_operand(segment_ids, "segment_ids"),
        ]
        if num_segments is not None:
            inputs.append(int_operand(num_segments, "num_segments"))
        attrs = {"sparse_gradient": bool(sparse_gradient)}
        return apply_op(op_type, inputs, attrs, name=scope)


@undo.atomic
def sparse_segment_sum(
    data, indices, segment_ids, name=None, num_segments=None, sparse_gradient=False
):
    """``out[i]`` = the sum of ``data[indices[j]]`` over the ``j`` with ``segment_ids[j] ==
    i`` (ids sorted; ``num_segments`` rows when given).

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     rows = tf.sparse_segment_sum([[1.0], [2.0], [4.0]], [0, 2, 1], [0, 0, 1])
    ...     print(tf.Session().run(rows))
    [[5.]
     [2.]]
    """
    return _sparse_segment("Sum", data, indices, segment_ids, name, num_segments, sparse_gradient)


@undo.atomic
def sparse_segment_mean(
    data, indices, segment_ids, name=None, num_segments=None, sparse_gradient=False
):
    """Like :func:`sparse_segment_sum`, each sum divided by its number of rows."""
    return _sparse_segment("Mean", data, indices, segment_ids, name, num_segments, sparse_gradient)


@undo.atomic
def sparse_segment_sqrt_n(
    data, indices, segment_ids, name=None, num_segments=None, sparse_gradient=False
):
    """Like :func:`sparse_segment_sum`, each sum divided by the square root of its number of
    rows."""
    return _sparse_segment("SqrtN", data, indices, segment_ids, name, num_segments, sparse_gradient)


# -- embedding_lookup_sparse --------------------------------------------------------------

_COMBINERS = ("mean", "sqrtn", "sum")


@undo.atomic
def embedding_lookup_sparse(
    params,
    sp_ids,
    sp_weights,
    partition_strategy="mod",
    name=None,
    combiner=None,
    max_norm=None,
    allow_fast_lookup=False,
):
    """For each row ``r`` of ``sp_ids`` (a ``[batch, ...]`` ``SparseTensor`` of int ids), the
    rows of ``params`` at its ids combined (``"mean"`` by default, ``"sum"``, ``"sqrtn"``),
    weighted by ``sp_weights``' values when given: a ``[batch, dim]`` tensor.

    Built as TF1 (``compat.v1`` in TF 2.21) builds it: without weights, one
    ``SparseSegmentSum``/``Mean``/``SqrtN`` of ``params``; with weights, ``Unique``, an
    ``embedding_lookup``, the weights multiplied in and ``SegmentSum``. ``params`` may be
    several shards (a list, or a partitioned variable): then, as in TF1, the distinct ids are
    looked up in the shards by ``partition_strategy`` ("mod" or "div") and combined.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     table = tf.constant([[1.0, 0.0], [0.0, 1.0], [2.0, 2.0]])
    ...     ids = tf.SparseTensor([[0, 0], [0, 1], [1, 0]], tf.constant([0, 2, 1], tf.int64),
    ...                           [2, 2])
    ...     print(tf.Session().run(tf.nn.embedding_lookup_sparse(table, ids, None)))
    [[1.5 1. ]
     [0.  1. ]]
    """
    combiner = "mean" if combiner is None else combiner
    if combiner not in _COMBINERS:
        raise ValueError(f"combiner must be one of 'mean', 'sqrtn' or 'sum', got {combiner}")
    params = shards(params)
    if not isinstance(sp_ids, SparseTensor):
        raise TypeError(f"sp_ids must be SparseTensor, got {type(sp_ids)}")
    if sp_weights is not None:
        if not isinstance(sp_weights, SparseTensor):
            raise TypeError(
                f"sp_weights must be either None or SparseTensor,got {type(sp_weights)}"
            )
        sp_ids.values.shape.assert_is_compatible_with(sp_weights.values.shape)
        sp_ids.indices.shape.assert_is_compatible_with(sp_weights.indices.shape)
        sp_ids.dense_shape.shape.assert_is_compatible_with(sp_weights.dense_shape.shape)
    with name_scope(name, "embedding_lookup_sparse", [*params, sp_ids.indices]) as scope:
        segment_ids = sp_ids.indices[:, 0]
        if len(params) > 1:  # TF1's general path: the distinct ids looked up in the shards
            if partition_strategy not in ("mod", "div"):
                raise ValueError(f"Unrecognized partition strategy: {partition_strategy}")
            ids, idx = unique(sp_ids.values)
            with name_scope(None, "embedding_lookup", [*params, ids]) as lookup_scope:
                embeddings = sharded_lookup(params, ids, partition_strategy, lookup_scope, max_norm)
            if sp_weights is not None:
                return _weighted(embeddings, idx, segment_ids, sp_weights, combiner, scope)
            if segment_ids.dtype.base_dtype not in (dtypes.int32, dtypes.int64):
                segment_ids = cast(segment_ids, dtypes.int32)
            sparse_segment = {
                "sum": sparse_segment_sum,
                "mean": sparse_segment_mean,
                "sqrtn": sparse_segment_sqrt_n,
            }[combiner]
            return sparse_segment(embeddings, idx, segment_ids, name=scope)
        if sp_weights is None:
            sparse_segment = {
                "sum": sparse_segment_sum,
                "mean": sparse_segment_mean,
                "sqrtn": sparse_segment_sqrt_n,
            }[combiner]
            if max_norm is not None:  # the distinct ids' rows looked up and clipped first
                ids, idx = unique(sp_ids.values)
                rows = _lookup_unique(params[0], ids, max_norm)
                return sparse_segment(rows, idx, segment_ids, name=scope)
            gradient = not allow_fast_lookup
            ids = sp_ids.values
            return sparse_segment(params[0], ids, segment_ids, name=scope, sparse_gradient=gradient)
        fast = allow_fast_lookup and max_norm is None
        return _weighted_lookup(
            params[0], sp_ids.values, segment_ids, sp_weights, combiner, scope, fast, max_norm
        )


def _lookup_unique(table, ids, max_norm):
    """``embedding_lookup(table, ids, max_norm=max_norm)`` as TF1 builds it there."""
    with name_scope(None, "embedding_lookup", [table, ids]) as lookup_scope:
        with colocate_with(table):
            rows = clip_rows(gather(table, ids, name=lookup_scope), ids, max_norm)
        return identity(rows)


def _weighted_lookup(
    table, ids, segment_ids, sp_weights, combiner: str, scope: str, fast: bool, max_norm=None
):
    """The weighted path of ``embedding_lookup_sparse``, inside its scope: the rows of the
    distinct ids looked up once (``fast``: the table itself), then gathered per id."""
    if fast:
        embeddings, idx = table, ids
    else:
        ids, idx = unique(ids)
        embeddings = _lookup_unique(table, ids, max_norm)
    return _weighted(embeddings, idx, segment_ids, sp_weights, combiner, scope)


def _weighted(embeddings, idx, segment_ids, sp_weights, combiner: str, scope: str):
    """The looked-up rows ``embeddings`` gathered per id (``idx``), weighted and combined."""
    if segment_ids.dtype.base_dtype != dtypes.int32:
        segment_ids = cast(segment_ids, dtypes.int32)
    embeddings = gather(embeddings, idx)
    original_dtype = embeddings.dtype.base_dtype
    if original_dtype in (dtypes.float16, dtypes.bfloat16):
        embeddings = cast(embeddings, dtypes.float32)
    weights = sp_weights.values
    if weights.dtype.base_dtype != embeddings.dtype.base_dtype:
        weights = cast(weights, embeddings.dtype.base_dtype)
    ones_shape = expand_dims(rank(embeddings) - 1, 0)
    weights_shape = shape(weights)
    bcast_shape = concat([weights_shape, ones(ones_shape, dtype=weights_shape.dtype)], 0)
    known = weights.shape
    weights = reshape(weights, bcast_shape)
    if embeddings.shape.ndims is not None:
        weights.set_shape(known.concatenate([1] * (embeddings.shape.ndims - 1)))
    embeddings = embeddings * weights
    if combiner == "sum":
        embeddings = segment_sum(embeddings, segment_ids, name=scope)
    elif combiner == "mean":
        embeddings = segment_sum(embeddings, segment_ids)
        embeddings = div_no_nan(embeddings, segment_sum(weights, segment_ids), name=scope)
    else:
        embeddings = segment_sum(embeddings, segment_ids)
        weight_sum = segment_sum(pow_(weights, 2), segment_ids)
        embeddings = div_no_nan(embeddings, sqrt(weight_sum), name=scope)
    if embeddings.dtype.base_dtype != original_dtype:
        embeddings = cast(embeddings, original_dtype)
    return embeddings


# The names ``import scopeflow as tf`` exports from this module.
__all__ = [
    "segment_sum",
    "sparse_segment_mean",
    "sparse_segment_sqrt_n",
    "sparse_segment_sum",
]
