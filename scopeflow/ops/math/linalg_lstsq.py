"""Linear least squares: ``tf.matrix_solve_ls`` (``tf.linalg.lstsq``) as TF1 builds it: for
``fast=True``, the normal equations solved through a Cholesky factor (``Cholesky`` and two
triangular solves); otherwise, and for large batches TF hands to it, the ``MatrixSolveLs`` op,
with TF's gradient (defined for ``fast=True`` only).
"""

from __future__ import annotations

import numpy as np

from scopeflow.framework import dtypes, undo
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.registry import register_op
from scopeflow.framework.tensor import Tensor
from scopeflow.ops.array.basic import shape
from scopeflow.ops.array.cast import cast
from scopeflow.ops.array.transpose import matrix_transpose
from scopeflow.ops.core.infer import apply_op
from scopeflow.ops.math.linalg import eye
from scopeflow.ops.math.linalg_solve import (
    check_rhs,
    cholesky,
    cholesky_solve,
    lapack_input,
    solve_shape,
)
from scopeflow.ops.math.matmul import matmul

# TF's guess of its L2 cache: a larger batch of small matrices goes to the MatrixSolveLs op.
_L2_CACHE_SIZE_GUESSTIMATE = 256000
_RANK_DEFICIENT = (
    "Input matrix was rank deficient or ill-conditioned. Try setting fast=False or provide a "
    "larger l2_regularizer > 0."
)


def _solve_ls_infer(inputs, attrs):
    a, b, l2 = inputs
    if l2.dtype.base_dtype != dtypes.float64:
        raise TypeError(
            f"Input 'l2_regularizer' of 'MatrixSolveLs' Op has type {l2.dtype.base_dtype.name} "
            "that does not match expected type of float64."
        )
    if l2.shape.ndims not in (None, 0):
        raise ValueError(f"Shape must be rank 0 but is rank {l2.shape.ndims}")
    dtype, out = solve_shape("MatrixSolveLs", [a, b], square=False)
    return [(dtype, out)]


def _solve_ls_kernel(ctx, op, a, b, l2):
    check_rhs(a, b)
    work_a, work_b = lapack_input(a), lapack_input(b)
    if not op._attrs["fast"]:  # the minimum-norm solution; l2_regularizer is ignored, as in TF
        return (np.linalg.pinv(work_a) @ work_b).astype(b.dtype, copy=False)
    a_h = np.conj(np.swapaxes(work_a, -1, -2))
    m, n = a.shape[-2:]
    gramian = a_h @ work_a if m >= n else work_a @ a_h
    gramian = gramian + float(l2) * np.eye(min(m, n), dtype=gramian.dtype)
    try:
        np.linalg.cholesky(gramian)
    except np.linalg.LinAlgError:
        raise ValueError(_RANK_DEFICIENT) from None
    if m >= n:
        x = np.linalg.solve(gramian, a_h @ work_b)
    else:
        x = a_h @ np.linalg.solve(gramian, work_b)
    return x.astype(b.dtype, copy=False)


def _regularized_gramian_cholesky(matrix, l2_regularizer, first_kind: bool):
    """The Cholesky factor of ``A^H A + l2 I`` (``first_kind``) or ``A A^H + l2 I``, as TF
    builds it."""
    gramian = matmul(matrix, matrix, adjoint_a=first_kind, adjoint_b=not first_kind)
    if isinstance(l2_regularizer, Tensor) or l2_regularizer != 0:
        matrix_shape = shape(matrix)
        batch_shape = matrix_shape[:-2]
        small_dim = matrix_shape[-1] if first_kind else matrix_shape[-2]
        identity = eye(small_dim, batch_shape=batch_shape, dtype=matrix.dtype.base_dtype)
        small_static = matrix.shape[-1 if first_kind else -2]
        identity.set_shape(matrix.shape[:-2].concatenate([small_static, small_static]))
        gramian += l2_regularizer * identity
    return cholesky(gramian)


def _solve_ls_grad(op, grad):
    """TF's: backprop through the normal equations of the first kind (``m >= n``) or of the
    second kind."""
    if not op._attrs["fast"]:
        raise ValueError("Gradient not defined for fast=False")
    a, b, l2 = op.inputs
    matrix_shape = a.shape[-2:] if a.shape.ndims is not None else None
    if matrix_shape is None or not matrix_shape.is_fully_defined():
        raise NotImplementedError(
            f"the gradient of MatrixSolveLs '{op.name}' needs the static shape of the "
            "matrices (TF picks a formula with tf.cond at run time); set_shape the matrix"
        )
    l2 = cast(l2, a.dtype.base_dtype)
    if matrix_shape[-2] >= matrix_shape[-1]:
        chol = _regularized_gramian_cholesky(a, l2, first_kind=True)
        z = cholesky_solve(chol, grad)
        xzt = matmul(op.outputs[0], z, adjoint_b=True)
        zx_sym = xzt + matrix_transpose(xzt)
        grad_a = -matmul(a, zx_sym) + matmul(b, z, adjoint_b=True)
        return [grad_a, matmul(a, z), None]
    chol = _regularized_gramian_cholesky(a, l2, first_kind=False)
    grad_b = cholesky_solve(chol, matmul(a, grad))
    tmp = cholesky_solve(chol, b)
    a1 = -matmul(grad_b, matmul(tmp, a, adjoint_a=True))
    a2 = matmul(tmp, grad - matmul(a, grad_b, adjoint_a=True), adjoint_b=True)
    return [a1 + a2, grad_b, None]


register_op("MatrixSolveLs", _solve_ls_infer, kernel=_solve_ls_kernel, grad=_solve_ls_grad)


def _use_composite(fast: bool, matrix) -> bool:
    """TF's choice: the Cholesky composition for ``fast``, unless the (static) batch is large
    and of small matrices."""
    if not fast:
        return False
    if not matrix.shape.is_fully_defined():
        return True
    dims = matrix.shape.as_list()
    size = int(np.prod(dims)) * matrix.dtype.base_dtype.size
    io_bound = int(np.prod(dims[:-2])) > min(dims[-2:])
    return not (size > _L2_CACHE_SIZE_GUESSTIMATE and io_bound)


@undo.atomic
def matrix_solve_ls(matrix, rhs, l2_regularizer=0.0, fast=True, name=None):
    """The ``x`` minimizing ``||matrix @ x - rhs||^2 + l2_regularizer * ||x||^2`` for each
    innermost matrix (the minimum-norm solution for an underdetermined system).

    With ``fast`` (TF's default) it solves the normal equations through a Cholesky factor;
    ``fast=False`` (``l2_regularizer`` ignored, as in TF) is the minimum-norm least-squares
    solution, with no gradient.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     x = tf.matrix_solve_ls([[2.0, 0.0], [0.0, 2.0], [0.0, 0.0]], [[2.0], [4.0], [1.0]])
    ...     print(tf.Session().run(x))
    [[1.]
     [2.]]
    """
    matrix = convert_to_tensor(matrix, name="matrix")
    if matrix.dtype.base_dtype == dtypes.complex128 and (
        isinstance(l2_regularizer, Tensor) or l2_regularizer != 0
    ):
        raise NotImplementedError(
            "matrix_solve_ls is currently disabled for complex128 and l2_regularizer != 0 due "
            "to poor accuracy."
        )
    dims = matrix.shape[-2:] if matrix.shape.ndims is not None else None
    if _use_composite(fast, matrix) and dims is not None and dims.is_fully_defined():
        with name_scope(name, "matrix_solve_ls", [matrix, rhs, l2_regularizer]):
            if dims[-2] >= dims[-1]:
                chol = _regularized_gramian_cholesky(matrix, l2_regularizer, first_kind=True)
                return cholesky_solve(chol, matmul(matrix, rhs, adjoint_a=True))
            chol = _regularized_gramian_cholesky(matrix, l2_regularizer, first_kind=False)
            return matmul(matrix, cholesky_solve(chol, rhs), adjoint_a=True)
    # Also where TF would build a tf.cond on the run-time shape (matrix dims unknown): the
    # MatrixSolveLs op picks the same formula at run time.
    with name_scope(name, "MatrixSolveLs", [matrix, rhs, l2_regularizer]) as scope:
        b = convert_to_tensor(rhs, dtype_hint=matrix.dtype.base_dtype, name="rhs")
        l2 = convert_to_tensor(l2_regularizer, dtype=dtypes.float64, name="l2_regularizer")
        return apply_op("MatrixSolveLs", [matrix, b, l2], {"fast": bool(fast)}, name=scope)


__all__ = ["matrix_solve_ls"]
