"""LU decomposition (``tf.linalg.lu``: the ``Lu`` op) and what TF builds on it:
``lu_solve``, ``lu_reconstruct``, ``lu_matrix_inverse``.

``Lu`` factors each ``[..., n, n]`` matrix with partial pivoting (LAPACK's ``getrf`` through
SciPy, as Eigen's ``PartialPivLU`` in TF: the largest pivot of each column, the first on
ties): ``lu`` holds the unit lower factor below the diagonal and the upper factor on and above
it, and ``p`` the permutation with ``a[..., p, :] == L @ U``. A singular matrix fails the run
("Input is not invertible."), as in TF. TF registers no gradient for ``Lu``.
"""

from __future__ import annotations

import warnings

import numpy as np

from scopeflow.framework import dtypes, undo
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.registry import register_op
from scopeflow.framework.tensor_shape import TensorShape, unknown_shape
from scopeflow.ops.array.basic import ones, reshape, shape, stack
from scopeflow.ops.array.gather import gather, gather_nd, scatter_nd
from scopeflow.ops.array.join import concat
from scopeflow.ops.core.infer import apply_op, check_dtype_in, no_gradient
from scopeflow.ops.math.broadcasting import broadcast_dynamic_shape, broadcast_to
from scopeflow.ops.math.linalg import (
    eye,
    matrix_band_part,
    matrix_set_diag,
    matrix_triangular_solve,
)
from scopeflow.ops.math.linalg_solve import check_square, square_dims
from scopeflow.ops.math.matmul import matmul
from scopeflow.ops.math.reduction import reduce_prod
from scopeflow.ops.math.sequence import range as range_

_LU_TYPES = (dtypes.float64, dtypes.float32, dtypes.float16, dtypes.complex64, dtypes.complex128)

# -- Lu -------------------------------------------------------------------------------------


def _lu_infer(inputs, attrs):
    (x,) = inputs
    dtype = check_dtype_in("Lu", "input", x, _LU_TYPES)
    dims = square_dims(x)
    index = attrs["output_idx_type"]
    if dims is None:
        return [(dtype, unknown_shape()), (index, unknown_shape())]
    batch, n = dims
    return [(dtype, TensorShape([*batch, n, n])), (index, TensorShape([*batch, n]))]


def _lu_kernel(ctx, op, x):
    from scipy.linalg import lu_factor

    check_square(x)
    n = x.shape[-1]
    work = x.astype(np.float32) if x.dtype == np.float16 else x
    flat = work.reshape(-1, n, n)
    lu = np.empty_like(flat)
    perm = np.empty(flat.shape[:-1], op._attrs["output_idx_type"].as_numpy_dtype)
    for b, matrix in enumerate(flat):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # SciPy's warning on a singular matrix
            factors, pivots = lu_factor(matrix, check_finite=False)
        if np.any(np.diagonal(factors) == 0):
            raise ValueError("Input is not invertible.")
        order = np.arange(n)
        for i, p in enumerate(pivots):  # LAPACK's row swaps, in order, as a permutation
            order[[i, p]] = order[[p, i]]
        lu[b], perm[b] = factors, order
    return lu.reshape(x.shape).astype(x.dtype, copy=False), perm.reshape(x.shape[:-1])


register_op("Lu", _lu_infer, kernel=_lu_kernel, grad=no_gradient)


@undo.atomic
def lu(input, output_idx_type=dtypes.int32, name=None):  # noqa: A002 - TF's argument name
    """The LU decomposition with partial pivoting of each square matrix of ``input``:
    ``(lu, p)`` with ``input[..., p, :] == L @ U``.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     lu, p = tf.linalg.lu([[1.0, 2.0], [3.0, 4.0]])
    ...     print(tf.Session().run(p))
    [1 0]
    """
    index = dtypes.as_dtype(output_idx_type)
    if index not in (dtypes.int32, dtypes.int64):
        raise TypeError(
            f"Value passed to parameter 'output_idx_type' has DataType {index.name} not in "
            "list of allowed values: int32, int64"
        )
    with name_scope(name, "Lu", [input]) as scope:
        x = convert_to_tensor(input, name="input")
        lu_, p = apply_op("Lu", [x], {"output_idx_type": index}, name=scope)
        return lu_, p


# -- built from Lu's outputs ------------------------------------------------------------------


def _convert(lower_upper, perm):
    lower_upper = convert_to_tensor(lower_upper, dtype_hint=dtypes.float32, name="lower_upper")
    perm = convert_to_tensor(perm, dtype_hint=dtypes.int32, name="perm")
    return lower_upper, perm


def _check(lower_upper, perm, validate_args: bool) -> None:
    """TF's ``lu_reconstruct_assertions``, for static shapes (the run-time checks that
    ``validate_args`` adds for unknown shapes are not built here)."""
    if validate_args and not (lower_upper.shape.is_fully_defined() and perm.shape.ndims):
        raise NotImplementedError(
            "validate_args=True needs static shapes here; set_shape the inputs, or check them "
            "with tf.debugging.assert_* yourself"
        )
    if lower_upper.shape.ndims is not None and lower_upper.shape.ndims < 2:
        raise ValueError("Input `lower_upper` must have at least 2 dimensions.")
    if lower_upper.shape.ndims is not None and perm.shape.ndims is not None:
        if lower_upper.shape.ndims != perm.shape.ndims + 1:
            raise ValueError("`rank(lower_upper)` must equal `rank(perm) + 1`")
    if lower_upper.shape.ndims is not None:
        rows, cols = lower_upper.shape.as_list()[-2:]
        if rows is not None and cols is not None and rows != cols:
            raise ValueError("`lower_upper` must be square.")


def _lower(lower_upper):
    """The unit lower factor of ``lower_upper``."""
    return matrix_set_diag(
        matrix_band_part(lower_upper, -1, 0),
        ones(shape(lower_upper)[:-1], dtype=lower_upper.dtype),
    )


@undo.atomic
def lu_solve(lower_upper, perm, rhs, validate_args=False, name=None):
    """Solves ``A X = rhs`` given ``tf.linalg.lu(A)``'s ``lower_upper`` and ``perm``.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     a = tf.constant([[1.0, 2.0], [3.0, 4.0]], tf.float64)
    ...     x = tf.linalg.lu_solve(*tf.linalg.lu(a), rhs=[[5.0], [6.0]])
    ...     print(tf.Session().run(x)[:, 0].round(12))
    [-4.   4.5]
    """
    with name_scope(name or "lu_solve"):
        lower_upper, perm = _convert(lower_upper, perm)
        rhs = convert_to_tensor(rhs, dtype_hint=lower_upper.dtype, name="rhs")
        _check(lower_upper, perm, validate_args)
        if rhs.shape.ndims is not None and rhs.shape.ndims < 2:
            raise ValueError("Input `rhs` must have at least 2 dimensions.")
        if rhs.shape.ndims == 2 and perm.shape.ndims == 1:
            permuted_rhs = gather(rhs, perm, axis=-2)
        else:
            rhs_shape = shape(rhs)
            batch = broadcast_dynamic_shape(rhs_shape[:-2], shape(perm)[:-1])
            d, m = rhs_shape[-2], rhs_shape[-1]
            rhs_broadcast_shape = concat([batch, [d, m]], axis=0)
            broadcast_rhs = reshape(broadcast_to(rhs, rhs_broadcast_shape), [-1, d, m])
            broadcast_perm = reshape(broadcast_to(perm, rhs_broadcast_shape[:-1]), [-1, d])
            size = reduce_prod(batch)
            batch_indices = broadcast_to(range_(size)[:, None], [size, d])
            broadcast_perm = stack([batch_indices, broadcast_perm], axis=-1)
            permuted_rhs = reshape(gather_nd(broadcast_rhs, broadcast_perm), rhs_broadcast_shape)
        lower = _lower(lower_upper)
        return matrix_triangular_solve(
            lower_upper, matrix_triangular_solve(lower, permuted_rhs), lower=False
        )


@undo.atomic
def lu_reconstruct(lower_upper, perm, validate_args=False, name=None):
    """The matrices ``tf.linalg.lu`` factored: ``P^T @ L @ U``.

    Deliberate difference: the rows are put back in place with one ``ScatterNd`` by ``perm``
    where TF gathers them by ``invert_permutation(perm)`` (with a ``map_fn`` over a batch);
    the values are the same.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     a = tf.constant([[1.0, 2.0], [3.0, 4.0]])
    ...     print(tf.Session().run(tf.linalg.lu_reconstruct(*tf.linalg.lu(a))))
    [[1. 2.]
     [3. 4.]]
    """
    with name_scope(name or "lu_reconstruct"):
        lower_upper, perm = _convert(lower_upper, perm)
        _check(lower_upper, perm, validate_args)
        dims = shape(lower_upper)
        product = matmul(_lower(lower_upper), matrix_band_part(lower_upper, 0, -1))
        if lower_upper.shape.ndims == 2:
            x = scatter_nd(perm[:, None], product, dims)
        else:
            size = reduce_prod(dims[:-2])
            d = dims[-1]
            product = reshape(product, [size, d, d])
            perm = reshape(perm, [size, d])
            batch_indices = broadcast_to(range_(size)[:, None], [size, d])
            indices = stack([batch_indices, perm], axis=-1)
            x = reshape(scatter_nd(indices, product, [size, d, d]), dims)
        x.set_shape(lower_upper.shape)
        return x


@undo.atomic
def lu_matrix_inverse(lower_upper, perm, validate_args=False, name=None):
    """The inverses of the matrices ``tf.linalg.lu`` factored (``lu_solve`` with identity
    right-hand sides).

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     a = tf.constant([[2.0, 0.0], [0.0, 4.0]])
    ...     print(tf.Session().run(tf.linalg.lu_matrix_inverse(*tf.linalg.lu(a))))
    [[0.5  0.  ]
     [0.   0.25]]
    """
    with name_scope(name or "lu_matrix_inverse"):
        lower_upper, perm = _convert(lower_upper, perm)
        _check(lower_upper, perm, validate_args)
        dims = shape(lower_upper)
        identities = eye(dims[-1], batch_shape=dims[:-2], dtype=lower_upper.dtype)
        inverse = lu_solve(lower_upper, perm, rhs=identities, validate_args=False)
        inverse.set_shape(lower_upper.shape)  # TF folds the identities' shape while inferring
        return inverse


__all__ = ["lu", "lu_matrix_inverse", "lu_reconstruct", "lu_solve"]
