"""Transposes: ``tf.transpose`` (``Transpose``, or ``ConjugateTranspose`` with
``conjugate=True`` on complex values), ``tf.linalg.matrix_transpose`` and
``tf.invert_permutation``."""

from __future__ import annotations

from scopeflow.framework import dtypes, tensor_shape, undo
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.indexed_slices import IndexedSlices
from scopeflow.framework.registry import NOT_DIFFERENTIABLE, register_op
from scopeflow.ops.array.shape import rank
from scopeflow.ops.core import build
from scopeflow.ops.core.infer import INDEX, apply_op, check_dtype_in, constant_value, int_operand

TensorShape = tensor_shape.TensorShape


def _transpose_infer(inputs, attrs):
    x, perm_t = inputs
    check_dtype_in("Transpose", "perm", perm_t, INDEX)
    rank = x.shape.ndims
    perm = constant_value(perm_t)
    if perm is None:
        if rank is None and perm_t.shape.ndims == 1:
            rank = perm_t.shape[0].value
        return [(x.dtype.base_dtype, tensor_shape.unknown_shape(rank))]
    perm = [int(p) for p in perm]
    if rank is None:
        return [(x.dtype.base_dtype, tensor_shape.unknown_shape(len(perm)))]
    if len(perm) != rank:
        raise ValueError(f"Dimension must be {rank} but is {len(perm)}")
    for p in perm:  # a repeated axis fails when the graph runs, as in TF
        if not -rank <= p < rank:
            raise ValueError(f"perm dim {p} is out of range of input rank {rank}")
    dims = x.shape.as_list()
    return [(x.dtype.base_dtype, TensorShape([dims[p] for p in perm]))]


def _transpose_kernel(ctx, op, x, perm):
    perm = perm.tolist()
    rank = ctx.xp.ndim(x)
    if len(perm) != rank:
        raise ValueError(
            f"transpose expects a vector of size {rank}. But input(1) is a vector of size "
            f"{len(perm)}"
        )
    missing = sorted(set(range(rank)) - {p % rank for p in perm if -rank <= p < rank})
    if missing:
        text = ",".join(str(p) for p in perm)
        raise ValueError(f"{missing[0]} is missing from {{{text}}}.")
    return ctx.xp.transpose(x, perm)


def _transpose_grad(op, grad):
    return [transpose(grad, invert_permutation(op.inputs[1])), None]


def _conjugate_transpose_kernel(ctx, op, x, perm):
    return ctx.xp.conj(_transpose_kernel(ctx, op, x, perm))


def _conjugate_transpose_grad(op, grad):
    return [transpose(grad, invert_permutation(op.inputs[1]), conjugate=True), None]


register_op(
    "Transpose",
    _transpose_infer,
    kernel=_transpose_kernel,
    grad=_transpose_grad,
    grad_takes_indexed_slices=True,
)
register_op(
    "ConjugateTranspose",
    _transpose_infer,
    kernel=_conjugate_transpose_kernel,
    grad=_conjugate_transpose_grad,
)


@undo.atomic
def transpose(a, perm=None, name="transpose", conjugate=False):
    """Permutes dimensions (reverses them when ``perm`` is ``None``); ``conjugate`` also
    conjugates complex values."""
    with name_scope(name, "transpose", [a]) as scope:
        # An IndexedSlices (a gradient) made dense as the op's argument ``x``, as TF
        a = convert_to_tensor(a, name="x" if isinstance(a, IndexedSlices) else "a")
        if perm is None and a.shape.ndims is None:  # TF: range(rank - 1, -1, -1) when run
            perm = build.range_of(rank(a) - 1, -1, -1, name="Range")
        elif perm is None:
            perm = list(range(a.shape.ndims - 1, -1, -1))
        perm = int_operand(perm, "perm")
        # As TF1: conjugate=True transposes a complex tensor with ConjugateTranspose.
        op_type = "ConjugateTranspose" if conjugate and a.dtype.is_complex else "Transpose"
        return apply_op(op_type, [a, perm], name=scope)


def _invert_permutation_infer(inputs, attrs):
    x = inputs[0]
    dtype = check_dtype_in("InvertPermutation", "x", x, INDEX)
    if x.shape.ndims not in (None, 1):
        raise ValueError(f"Shape must be rank 1 but is rank {x.shape.ndims}")
    return [(dtype, x.shape if x.shape.ndims == 1 else TensorShape([None]))]


def _invert_permutation_kernel(ctx, op, x):
    if ctx.xp.ndim(x) != 1:
        raise ValueError(f"invert_permutation expects a 1D vector, got shape {list(x.shape)}")
    n = x.shape[0]
    out = ctx.xp.full(n, -1, dtype=x.dtype)
    for i, v in enumerate(x.tolist()):
        if not 0 <= v < n:
            raise ValueError(f"{v} is not between 0 and {n}")
        if out[v] != -1:
            raise ValueError(f"{v} is duplicated in the input.")
        out[v] = i
    return out


register_op(
    "InvertPermutation",
    _invert_permutation_infer,
    kernel=_invert_permutation_kernel,
    grad=NOT_DIFFERENTIABLE,
)


@undo.atomic
def invert_permutation(x, name=None):
    """The inverse of the permutation ``x``: ``y[x[i]] = i``."""
    with name_scope(name, "InvertPermutation", [x]) as scope:
        return apply_op("InvertPermutation", [int_operand(x, "x")], name=scope)


def _last_two_swapped(a):
    """``concat([range(rank - 2), [rank - 1, rank - 2]], 0)`` from ``a``'s ``Rank`` op."""
    a_rank = apply_op("Rank", [a], name="Rank")
    leading = build.range_of(0, build.binary("Sub", a_rank, 2, default_name="sub"), 1, "Range")
    last = [build.binary("Sub", a_rank, k, default_name="sub") for k in (1, 2)]
    with name_scope("concat") as scope:
        pair = apply_op("Pack", last, {"axis": 0, "N": 2}, name="values_1")
        axis = convert_to_tensor(0, dtype=dtypes.int32, name="axis")
        return apply_op("ConcatV2", [leading, pair, axis], {"N": 2}, name=scope)


@undo.atomic
def matrix_transpose(a, name="matrix_transpose", conjugate=False):
    """Swaps the last two dimensions (a ``transpose`` op inside a ``matrix_transpose`` scope;
    for an unknown rank, with the permutation computed from ``Rank`` as TF1 builds it)."""
    with name_scope(name, "matrix_transpose", [a]):
        a = convert_to_tensor(a, name="a")
        rank = a.shape.ndims
        if rank is None:
            return transpose(a, _last_two_swapped(a), conjugate=conjugate)
        if rank < 2:
            raise ValueError(
                "Argument `a` should be a (batch) matrix with rank >= 2.  Received `a` = "
                f"{a} with shape: {a.shape}"
            )
        return transpose(a, [*range(rank - 2), rank - 1, rank - 2], conjugate=conjugate)


# The names ``import scopeflow as tf`` exports from this module.
__all__ = ["invert_permutation", "matrix_transpose", "transpose"]
