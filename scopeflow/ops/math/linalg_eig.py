"""The eigen decomposition of self-adjoint matrices: ``SelfAdjointEigV2``
(``tf.self_adjoint_eig``, ``tf.self_adjoint_eigvals``, ``tf.linalg.eigh``/``eigvalsh``), with
TF's gradient.

As TF's kernel, only the lower triangle of each matrix is read, eigenvalues come in ascending
order, and a decomposition that does not converge fails the run.
"""

from __future__ import annotations

import numpy as np

from scopeflow.framework import dtypes, undo
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.graph_api import control_dependencies, name_scope
from scopeflow.framework.registry import register_op
from scopeflow.framework.tensor_shape import TensorShape, unknown_shape
from scopeflow.ops.array.shape import expand_dims, zeros_like
from scopeflow.ops.core.infer import apply_op, check_dtype_in
from scopeflow.ops.math.elementwise import reciprocal
from scopeflow.ops.math.linalg import (
    matrix_band_part,
    matrix_diag,
    matrix_diag_part,
    matrix_set_diag,
)
from scopeflow.ops.math.linalg_solve import adjoint, check_square, lapack_input, square_dims
from scopeflow.ops.math.matmul import matmul

_EIG_TYPES = (dtypes.float64, dtypes.float32, dtypes.float16, dtypes.complex64, dtypes.complex128)


def _eig_infer(inputs, attrs):
    (x,) = inputs
    dtype = check_dtype_in("SelfAdjointEigV2", "input", x, _EIG_TYPES)
    dims = square_dims(x)
    if dims is None:
        return [(dtype, unknown_shape()), (dtype, unknown_shape())]
    batch, n = dims
    v = TensorShape([*batch, n, n]) if attrs["compute_v"] else TensorShape([0])
    return [(dtype, TensorShape([*batch, n])), (dtype, v)]


def _eig_kernel(ctx, op, x):
    check_square(x)
    try:
        if op._attrs["compute_v"]:
            e, v = np.linalg.eigh(lapack_input(x), UPLO="L")
        else:
            e, v = np.linalg.eigvalsh(lapack_input(x), UPLO="L"), np.zeros([0], x.dtype)
    except np.linalg.LinAlgError:
        raise ValueError(
            "Self-adjoint eigen decomposition was not successful. The input might not be valid."
        ) from None
    return e.astype(x.dtype), v.astype(x.dtype, copy=False)


def _safe_reciprocal(x, epsilon=1e-20):
    return x * reciprocal(x * x + epsilon)


def _eig_grad(op, grad_e, grad_v):
    """TF's: ``v (diag(grad_e) + f * (v^H grad_v)) v^H`` with ``f[i, j] = 1 / (e_j - e_i)``
    off the diagonal (infinite for repeated eigenvalues), kept to the lower triangle that the
    op reads."""
    e = op.outputs[0]
    with control_dependencies([grad_e, grad_v]):
        if op._attrs["compute_v"]:
            v = op.outputs[1]
            f = matrix_set_diag(
                _safe_reciprocal(expand_dims(e, -2) - expand_dims(e, -1)), zeros_like(e)
            )
            inner = matrix_diag(grad_e) + f * matmul(v, grad_v, adjoint_a=True)
            grad_a = matmul(v, matmul(inner, v, adjoint_b=True))
        else:
            _, v = self_adjoint_eig(op.inputs[0])
            grad_a = matmul(v, matmul(matrix_diag(grad_e), v, adjoint_b=True))
        grad_a = matrix_band_part(grad_a + adjoint(grad_a), -1, 0)
        return matrix_set_diag(grad_a, 0.5 * matrix_diag_part(grad_a))


register_op("SelfAdjointEigV2", _eig_infer, kernel=_eig_kernel, grad=_eig_grad)


def _eig(tensor, compute_v: bool, name):
    with name_scope(name, "SelfAdjointEigV2", [tensor]) as scope:
        x = convert_to_tensor(tensor, name="input")
        return apply_op("SelfAdjointEigV2", [x], {"compute_v": compute_v}, name=scope)


@undo.atomic
def self_adjoint_eig(tensor, name=None):
    """``(e, v)``: the eigenvalues (ascending) and eigenvectors (columns of ``v``) of each
    innermost self-adjoint matrix of ``tensor``, of which only the lower triangle is read.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     e, v = tf.self_adjoint_eig([[2.0, 1.0], [1.0, 2.0]])
    ...     print(tf.Session().run(e))
    [1. 3.]
    """
    e, v = _eig(tensor, True, name)
    return e, v


@undo.atomic
def self_adjoint_eigvals(tensor, name=None):
    """The eigenvalues (ascending) of each innermost self-adjoint matrix of ``tensor``.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     print(tf.Session().run(tf.linalg.eigvalsh([[2.0, 1.0], [1.0, 2.0]])))
    [1. 3.]
    """
    e, _ = _eig(tensor, False, name)
    return e


__all__ = ["self_adjoint_eig", "self_adjoint_eigvals"]
