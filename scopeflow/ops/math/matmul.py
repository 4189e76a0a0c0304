"""Matrix products: ``MatMul``, ``BatchMatMulV2`` (``tf.matmul``, ``@``) and ``tf.tensordot``."""

from __future__ import annotations

import numpy as np

from scopeflow.framework import dtypes, tensor_shape, undo
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.error_text import shape_str
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.registry import register_op
from scopeflow.framework.tensor import Tensor
from scopeflow.ops.array import basic as array_ops
from scopeflow.ops.array import gather as gather_ops
from scopeflow.ops.array import join as join_ops
from scopeflow.ops.array import shape as shape_ops
from scopeflow.ops.array import transpose as transpose_ops
from scopeflow.ops.array import unique as unique_ops
from scopeflow.ops.array.shape import expand_dims, squeeze
from scopeflow.ops.core.infer import (
    COMPLEX,
    FLOATS,
    UNSIGNED,
    apply_op,
    check_dtype_in,
    check_same_dtype,
)
from scopeflow.ops.kernels import gemm
from scopeflow.ops.math import selection as selection_ops
from scopeflow.ops.math import sequence as sequence_ops
from scopeflow.ops.math.broadcasting import broadcast, sum_to_inputs
from scopeflow.ops.math.elementwise import conj
from scopeflow.ops.math.operators import install_binary_operator
from scopeflow.ops.math.reduction import reduce_prod

_MATMUL_TYPES = FLOATS + (dtypes.int32, dtypes.int64) + UNSIGNED + COMPLEX


def _matmul_dims(a, b, ta: bool, tb: bool):
    a_dims, b_dims = a.shape.as_list(), b.shape.as_list()
    m, k = (a_dims[-1], a_dims[-2]) if ta else (a_dims[-2], a_dims[-1])
    k2, n = (b_dims[-1], b_dims[-2]) if tb else (b_dims[-2], b_dims[-1])
    if k is not None and k2 is not None and k != k2:
        raise ValueError(f"Dimensions must be equal, but are {k} and {k2}")
    return m, n


def _matmul_infer(inputs, attrs):
    a, b = inputs
    dtype = check_same_dtype("MatMul", ("a", "b"), inputs)
    check_dtype_in("MatMul", "a", a, _MATMUL_TYPES)
    for t in (a, b):  # (TF's message names the node, not the input)
        if t.shape.ndims is not None and t.shape.ndims != 2:
            raise ValueError(f"Shape must be rank 2 but is rank {t.shape.ndims}")
    if a.shape.ndims is None or b.shape.ndims is None:
        return [(dtype, tensor_shape.unknown_shape(2))]
    m, n = _matmul_dims(a, b, attrs["transpose_a"], attrs["transpose_b"])
    return [(dtype, tensor_shape.TensorShape([m, n]))]


def _matmul_kernel(ctx, op, a, b):
    attrs = op._attrs
    a = a.T if attrs["transpose_a"] else a
    b = b.T if attrs["transpose_b"] else b
    out = None
    if a.ndim == 2 and b.ndim == 2 and a.shape[1] == b.shape[0] and a.dtype == b.dtype:
        if a.dtype.char in "fd":  # (large ones: an array an earlier step or run freed)
            out = ctx.empty((a.shape[0], b.shape[1]), a.dtype)
    return gemm.matmul(ctx.threads, a, b, out).astype(a.dtype, copy=False)  # bfloat16: float32


def _batch_matmul_infer(inputs, attrs):
    a, b = inputs
    dtype = check_same_dtype("BatchMatMulV2", ("x", "y"), inputs)
    check_dtype_in("BatchMatMulV2", "x", a, _MATMUL_TYPES + (dtypes.int16,))
    if a.shape.ndims is None or b.shape.ndims is None:
        return [(dtype, tensor_shape.unknown_shape())]
    for t in (a, b):
        if t.shape.ndims < 2:
            raise ValueError(f"Shape must be at least rank 2 but is rank {t.shape.ndims}")
    m, n = _matmul_dims(a, b, attrs["adj_x"], attrs["adj_y"])
    batch = broadcast(
        tensor_shape.TensorShape(a.shape[:-2]), tensor_shape.TensorShape(b.shape[:-2])
    )
    return [(dtype, batch.concatenate([m, n]))]


def _adjoint(x):
    x = np.swapaxes(x, -1, -2)
    return np.conj(x) if x.dtype.kind == "c" else x


def _batch_matmul_kernel(ctx, op, x, y):
    if x.ndim < 2 or y.ndim < 2:
        which, rank = (0, x.ndim) if x.ndim < 2 else (1, y.ndim)
        raise ValueError(f"In[{which}] ndims must be >= 2: {rank}")
    attrs = op._attrs
    adj_x, adj_y = bool(attrs["adj_x"]), bool(attrs["adj_y"])
    if x.shape[-2 if adj_x else -1] != y.shape[-1 if adj_y else -2]:
        raise ValueError(
            f"Matrix size-incompatible: In[0]: {shape_str(x.shape)}, In[1]: "
            f"{shape_str(y.shape)} {int(adj_x)} {int(adj_y)}"
        )
    batch_x, batch_y = x.shape[:-2][::-1], y.shape[:-2][::-1]
    if any(p != q and 1 not in (p, q) for p, q in zip(batch_x, batch_y, strict=False)):
        raise ValueError(
            "In[0] and In[1] must have compatible batch dimensions: "
            f"{shape_str(x.shape)} vs. {shape_str(y.shape)}"
        )
    out = gemm.batch_matmul(ctx.threads, _adjoint(x) if adj_x else x, _adjoint(y) if adj_y else y)
    return out.astype(x.dtype, copy=False)  # NumPy multiplies bfloat16 into float32


def _matmul_grad(op, grad):
    """For ``y = a @ b``: ``grad @ b^H`` and ``a^H @ grad``, with the products arranged (as
    TF1 does) so that the transpose flags do the transposing."""
    ta, tb = op._attrs["transpose_a"], op._attrs["transpose_b"]
    a, b = (conj(t) for t in op.inputs)
    if not ta and not tb:
        return matmul(grad, b, transpose_b=True), matmul(a, grad, transpose_a=True)
    if not ta:
        return matmul(grad, b), matmul(grad, a, transpose_a=True)
    if not tb:
        return matmul(b, grad, transpose_b=True), matmul(a, grad)
    return (
        matmul(b, grad, transpose_a=True, transpose_b=True),
        matmul(grad, a, transpose_a=True, transpose_b=True),
    )


def _batch_matmul_grad(op, grad):
    """As for ``MatMul`` with adjoints, then summed over the broadcast batch dimensions."""
    adj_x, adj_y = op._attrs["adj_x"], op._attrs["adj_y"]
    x, y = op.inputs
    if not adj_x and not adj_y:
        gx, gy = matmul(grad, y, adjoint_b=True), matmul(x, grad, adjoint_a=True)
    elif not adj_x:
        gx, gy = matmul(grad, y), matmul(grad, x, adjoint_a=True)
    elif not adj_y:
        gx, gy = matmul(y, grad, adjoint_b=True), matmul(x, grad)
    else:
        gx = matmul(y, grad, adjoint_a=True, adjoint_b=True)
        gy = matmul(grad, x, adjoint_a=True, adjoint_b=True)
    return sum_to_inputs(x, y, gx, gy, core=2)


# An IndexedSlices gradient is made dense in each product (MatMul/a, MatMul_1/b), as TF's.
register_op(
    "MatMul",
    _matmul_infer,
    kernel=_matmul_kernel,
    grad=_matmul_grad,
    grad_takes_indexed_slices=True,
)
register_op(
    "BatchMatMulV2",
    _batch_matmul_infer,
    kernel=_batch_matmul_kernel,
    grad=_batch_matmul_grad,
    grad_takes_indexed_slices=True,
)


@undo.atomic
def matmul(
    a,
    b,
    transpose_a=False,
    transpose_b=False,
    adjoint_a=False,
    adjoint_b=False,
    a_is_sparse=False,
    b_is_sparse=False,
    name=None,
):
    """Matrix product of the last two dimensions: ``MatMul`` for matrices, ``BatchMatMulV2``
    (broadcasting the leading dimensions) when either input has rank above 2 or unknown.

    As in TF1, a complex operand that ``MatMul`` should conjugate (``adjoint_*``), or that
    ``BatchMatMulV2`` should only transpose (``transpose_*``), goes through a ``Conj`` op.
    """
    for side in ("a", "b"):
        if (transpose_a, transpose_b)[side == "b"] and (adjoint_a, adjoint_b)[side == "b"]:
            raise ValueError(
                f"Only one of `transpose_{side}` and `adjoint_{side}` can be True. Received "
                f"`transpose_{side}`=True, `adjoint_{side}`=True."
            )
    with name_scope(name, "MatMul", [a, b]) as scope:
        a = convert_to_tensor(a, name="a")
        b = convert_to_tensor(b, dtype_hint=a.dtype.base_dtype, name="b")
        a_rank, b_rank = a.shape.ndims, b.shape.ndims
        batched = (a_rank is None or a_rank > 2) or (b_rank is None or b_rank > 2)
        # The flag the op does not have (MatMul: conjugation, BatchMatMulV2: a plain
        # transpose) becomes a Conj of the operand plus the flag it has.
        a_conj, b_conj = (transpose_a, transpose_b) if batched else (adjoint_a, adjoint_b)
        a = conj(a) if a_conj else a
        b = conj(b) if b_conj else b
        ta, tb = transpose_a or adjoint_a, transpose_b or adjoint_b
        if batched:
            return apply_op("BatchMatMulV2", [a, b], {"adj_x": ta, "adj_y": tb}, name=scope)
        return apply_op("MatMul", [a, b], {"transpose_a": ta, "transpose_b": tb}, name=scope)


install_binary_operator("matmul", matmul)


# -- tensordot ----------------------------------------------------------------------------


def _contraction_axes(a: Tensor, axes):
    """``axes`` as TF reads it: ``n`` (the last ``n`` axes of ``a`` with the first ``n`` of
    ``b``: lists when ``a``'s rank is known, else ``Range`` tensors), a pair of axis lists,
    or a tensor (its two rows)."""
    if isinstance(axes, (int, np.integer)):
        if axes < 0:
            raise ValueError(f"`axes` must be at least 0. Received: {axes}.")
        rank = a.shape.ndims
        if rank is None:
            rank_t = shape_ops.rank(a)
            a_range = sequence_ops.range(rank_t - axes, rank_t, dtype=dtypes.int32)
            return a_range, sequence_ops.range(axes, dtype=dtypes.int32)
        if axes > rank:
            raise ValueError(
                "`axes` must not be larger than the number of dimensions of tensor "
                f"{a}.  Received {axes}, vs tensor dimensions {rank}."
            )
        return list(range(rank - axes, rank)), list(range(axes))
    if isinstance(axes, (list, tuple)):
        if len(axes) != 2:
            raise ValueError(f"`axes` must be an integer or have length 2. Received {axes}.")
        a_axes, b_axes = ([x] if isinstance(x, (int, np.integer)) else x for x in axes)
        if len(a_axes) != len(b_axes):
            raise ValueError(
                f"Different number of contraction axes `a` and `b`, {len(a_axes)} != {len(b_axes)}."
            )
        return a_axes, b_axes
    axes = convert_to_tensor(axes, name="axes", dtype=dtypes.int32)
    return axes[0], axes[1]


def _static_axes(t: Tensor, axes) -> tuple[list[int], list[int]]:
    """``axes`` of ``t`` (known rank) made non-negative, and the other (free) axes."""
    rank = t.shape.ndims
    axes = [int(i) if i >= 0 else int(i) + rank for i in axes]
    for i in axes:
        if not 0 <= i < rank:  # TF's list lookup fails with the same IndexError
            raise IndexError(f"list index out of range: axis {i} of {t} of rank {rank}")
    return axes, [i for i in range(rank) if i not in axes]


def _as_matrix(t: Tensor, axes, flipped: bool):
    """``t`` transposed and reshaped to ``[free, contracted]`` (``[contracted, free]`` when
    ``flipped``), as TF builds it; with its free dimensions (a list when static, else a
    tensor) and their static sizes (``None``: unknown rank)."""
    if t.shape.is_fully_defined() and isinstance(axes, (list, tuple)):
        axes, free = _static_axes(t, axes)
        dims = t.shape.as_list()
        free_dims = [dims[i] for i in free]
        sizes = [_product(dims[i] for i in free), _product(dims[i] for i in axes)]
        perm = axes + free if flipped else free + axes
        if perm != list(range(len(dims))):
            t = transpose_ops.transpose(t, perm)
        new_shape = sizes[::-1] if flipped else sizes
        if t.shape.as_list() != new_shape:
            t = array_ops.reshape(t, new_shape)
        return t, free_dims, free_dims
    if t.shape.ndims is not None and isinstance(axes, (list, tuple)):
        axes, free = _static_axes(t, axes)
        free_static = [t.shape[i].value for i in free]
        static_perm = axes + free if flipped else free + axes
        axes = convert_to_tensor(axes, dtype=dtypes.int32, name="axes")
        free = convert_to_tensor(free, dtype=dtypes.int32, name="free")
        shape = array_ops.shape(t)
    else:
        free_static = static_perm = None
        shape = array_ops.shape(t)
        rank = shape_ops.rank(t)
        axes = convert_to_tensor(axes, dtype=dtypes.int32, name="axes")
        axes = selection_ops.where(axes >= 0, axes, axes + rank)
        free = unique_ops.setdiff1d(sequence_ops.range(rank), axes, dtypes.int32)[0]
    free_dims = gather_ops.gather(shape, free)
    axes_dims = gather_ops.gather(shape, axes)
    sizes = [reduce_prod(free_dims), reduce_prod(axes_dims)]
    perm = join_ops.concat([axes, free] if flipped else [free, axes], 0)
    new_shape = array_ops.stack(sizes[::-1] if flipped else sizes)
    moved = transpose_ops.transpose(t, perm)
    if static_perm is not None:  # TF infers it from the constant perm
        moved.set_shape([t.shape[i].value for i in static_perm])
    return array_ops.reshape(moved, new_shape), free_dims, free_static


def _product(dims) -> int:
    return int(np.prod(list(dims), dtype=np.int64))


@undo.atomic
def tensordot(a, b, axes, name=None):
    """Sums the products of ``a`` and ``b`` over ``axes``, as TF builds it: each input is
    transposed and reshaped to a matrix (with ``Shape``/``GatherV2``/``Prod``/``ConcatV2``
    ops where its shape is not fully known), one ``MatMul``, and a ``Reshape`` named
    ``Tensordot`` to the free dimensions of ``a`` then ``b``.

    ``axes`` is an int ``n`` (the last ``n`` axes of ``a`` against the first ``n`` of ``b``),
    a pair ``[a_axes, b_axes]``, or a tensor of that pair.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     t = tf.tensordot(tf.ones([2, 3, 4]), tf.ones([4, 5]), 1)
    >>> t.op.name, t.shape.as_list()
    ('Tensordot', [2, 3, 5])
    """
    with name_scope(name, "Tensordot", [a, b]) as scope:
        a = convert_to_tensor(a, name="a")
        b = convert_to_tensor(b, name="b")
        a_axes, b_axes = _contraction_axes(a, axes)
        a_matrix, a_free, a_static = _as_matrix(a, a_axes, False)
        b_matrix, b_free, b_static = _as_matrix(b, b_axes, True)
        product = matmul(a_matrix, b_matrix)
        if isinstance(a_free, list) and isinstance(b_free, list):
            dims = a_free + b_free
            if product.shape.is_fully_defined() and product.shape.as_list() == dims:
                return product
            return array_ops.reshape(product, dims, name=scope)
        a_free = convert_to_tensor(a_free, dtype=dtypes.int32)
        b_free = convert_to_tensor(b_free, dtype=dtypes.int32)
        result = array_ops.reshape(product, join_ops.concat([a_free, b_free], 0), name=scope)
        if a_static is not None and b_static is not None:
            result.set_shape(a_static + b_static)
        return result


# The names ``import scopeflow as tf`` exports from this module.
@undo.atomic
def matvec(
    a, b, transpose_a=False, adjoint_a=False, a_is_sparse=False, b_is_sparse=False, name=None
):
    """``tf.linalg.matvec``: the matrix (or batch of matrices) ``a`` times the vector ``b``
    along its last dimension, as TF1 builds it (``expand_dims``, ``matmul``, ``squeeze``).

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default(), tf.Session() as sess:
    ...     print(sess.run(tf.linalg.matvec([[1.0, 2.0], [3.0, 4.0]], [1.0, -1.0])))
    [-1. -1.]
    """
    with name_scope(name, "MatVec", [a, b]):
        product = matmul(
            a,
            expand_dims(b, -1),
            transpose_a=transpose_a,
            adjoint_a=adjoint_a,
            a_is_sparse=a_is_sparse,
            b_is_sparse=b_is_sparse,
        )
        return squeeze(product, axis=-1)


__all__ = ["matmul", "tensordot"]
