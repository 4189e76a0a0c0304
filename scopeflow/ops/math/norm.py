"""``tf.norm`` (``tf.linalg.norm``): vector and matrix norms, built as TF1 builds them from
``Abs``, ``Mul``/``Conj``, ``Sum``, ``Max``, ``Pow``, ``Sqrt`` and a final ``Squeeze``."""

from __future__ import annotations

import numbers

import numpy as np

from scopeflow.framework import undo
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.graph_api import name_scope
from scopeflow.ops.array.shape import expand_dims, squeeze
from scopeflow.ops.array.transpose import transpose
from scopeflow.ops.math import elementwise as math_ops
from scopeflow.ops.math.reduction import reduce_max, reduce_sum
from scopeflow.ops.math.svd import svd

_VECTOR_NORMS = ["euclidean", 1, 2, np.inf]
_MATRIX_NORMS = ["euclidean", "fro", 1, 2, np.inf]


def _is_int(value) -> bool:
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def _check_ord_and_axis(ord, axis) -> tuple[bool, tuple | None]:  # noqa: A002
    """``(is a matrix norm, axis as a tuple or None)``, or TF1's ValueError."""
    if isinstance(axis, (tuple, list)) and len(axis) == 2:
        axis = tuple(axis)
        if not _is_int(axis[0]) or not _is_int(axis[1]) or axis[0] == axis[1]:
            raise ValueError(
                f"'axis' must be None, an integer, or a tuple of 2 unique integers, got {axis}"
            )
        if ord not in _MATRIX_NORMS:
            raise ValueError(f"'ord' must be a supported matrix norm in {_MATRIX_NORMS}, got {ord}")
        return True, axis
    if not (axis is None or _is_int(axis)):
        raise ValueError(
            f"'axis' must be None, an integer, or a tuple of 2 unique integers, got {axis}"
        )
    positive = isinstance(ord, numbers.Real) and not isinstance(ord, bool) and ord > 0
    if not positive and ord not in _VECTOR_NORMS:
        raise ValueError(f"'ord' must be a supported vector norm, got {ord}")
    return False, None if axis is None else (axis,)


def _largest_singular_value(tensor, axis: tuple):
    """The matrix 2-norm over the pair ``axis``, keeping those dimensions with size 1: the
    largest singular value of the matrices moved to the last two dimensions."""
    rank = tensor.shape.ndims
    if rank is None:
        raise NotImplementedError(
            "tf.norm: the matrix 2-norm needs the tensor's rank while building; give the "
            "tensor a static rank (set_shape)."
        )
    axes = [a % rank for a in axis]
    perm_before = [i for i in range(rank) if i not in axes] + axes
    perm_after = [perm_before.index(i) for i in range(rank)]
    singular = svd(transpose(tensor, perm_before), compute_uv=False)
    largest = reduce_max(math_ops.abs(singular), axis=-1, keepdims=True)
    return transpose(expand_dims(largest, -1), perm_after)


@undo.atomic
def norm(tensor, ord="euclidean", axis=None, keepdims=None, name=None, keep_dims=None):  # noqa: A002
    """The norm of ``tensor``: of all its entries as one vector (``axis=None``), of the
    vectors along ``axis`` (an int), or of the matrices over ``axis`` (a pair of ints).

    ``ord``: ``'euclidean'`` (the default; ``'fro'`` for matrices), a positive number ``p``
    for vectors (``sum(|x|**p) ** (1/p)``, with ``1``, ``2`` and ``np.inf`` the usual
    norms), and for matrices ``1`` (largest column sum) or ``np.inf`` (largest row sum).
    ``keepdims`` keeps the reduced dimensions with size 1 (``keep_dims``: TF1's old name).
    The matrix 2-norm (``ord=2`` with a pair of axes, the largest singular value) is built
    from ``Transpose`` and ``Svd`` ops, not TF's ``map_fn`` of ``cond``s.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     n = tf.norm([[3.0, 4.0], [6.0, 8.0]], axis=1)
    ...     with tf.Session() as sess:
    ...         print(sess.run(n))
    [ 5. 10.]
    """
    if keep_dims is not None:
        if keepdims is not None:
            raise ValueError("Cannot specify both 'keep_dims' and 'keepdims'.")
        keepdims = keep_dims
    is_matrix, axis = _check_ord_and_axis(ord, axis)
    with name_scope(name, "norm", [tensor]):
        tensor = convert_to_tensor(tensor)
        if is_matrix and ord in (2, 2.0):
            result = _largest_singular_value(tensor, axis)
        elif ord in ("fro", "euclidean", 2, 2.0):
            result = math_ops.sqrt(reduce_sum(tensor * math_ops.conj(tensor), axis, keepdims=True))
        else:
            result = math_ops.abs(tensor)
            if ord == 1:
                result = reduce_sum(result, None if axis is None else axis[0], keepdims=True)
                if is_matrix:
                    result = reduce_max(result, axis[-1], keepdims=True)
            elif ord == np.inf:
                if is_matrix:
                    result = reduce_sum(result, axis[1], keepdims=True)
                result = reduce_max(result, None if axis is None else axis[0], keepdims=True)
            else:
                result = math_ops.pow(
                    reduce_sum(math_ops.pow(result, ord), axis, keepdims=True), 1.0 / ord
                )
        if not keepdims:
            result = squeeze(result, axis)
        return result


__all__ = ["norm"]
