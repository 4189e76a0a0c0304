"""Tridiagonal systems (``tf.linalg.tridiagonal_solve``, ``tf.linalg.tridiagonal_matmul``):
the ``TridiagonalSolve`` and ``TridiagonalMatMul`` ops with TF's gradients, and the wrappers
that take the diagonals in TF's "compact" (``[..., 3, M]``: superdiagonal, diagonal,
subdiagonal) or "sequence" formats.

``TridiagonalSolve`` runs TF's CPU algorithms: Gaussian elimination with partial pivoting (as
LAPACK's ``gtsv``) or, without pivoting, the Thomas algorithm; a singular system gives NaN
everywhere, as in TF 2.
"""

from __future__ import annotations

import numpy as np

from scopeflow.framework import dtypes, undo
from scopeflow.framework.constant import constant, convert_to_tensor
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.registry import register_op
from scopeflow.framework.tensor_shape import unknown_shape
from scopeflow.ops.array import basic as array_ops
from scopeflow.ops.array.basic import zeros
from scopeflow.ops.array.join import concat
from scopeflow.ops.array.pad import pad
from scopeflow.ops.array.shape import expand_dims, rank, squeeze
from scopeflow.ops.array.transpose import matrix_transpose
from scopeflow.ops.core.infer import apply_op, check_dtype_in, check_same_dtype
from scopeflow.ops.math.elementwise import conj
from scopeflow.ops.math.reduction import reduce_sum

_TYPES = (dtypes.float64, dtypes.float32, dtypes.complex64, dtypes.complex128)


def _solve_pivoting(d, rhs):
    """One system by Gaussian elimination with partial pivoting; ``None`` when singular."""
    superdiag, diag, subdiag = d
    n = diag.shape[0]
    u = np.zeros((n, 3), np.result_type(d, rhs))
    x = rhs.astype(u.dtype, copy=True)
    u[0, 0] = diag[0]
    if n > 1:
        u[0, 1] = superdiag[0]
    for i in range(n - 1):
        if abs(u[i, 0]) >= abs(subdiag[i + 1]):
            if u[i, 0] == 0:
                return None
            factor = subdiag[i + 1] / u[i, 0]
            u[i + 1, 0] = diag[i + 1] - factor * u[i, 1]
            x[i + 1] -= factor * x[i]
            if i != n - 2:
                u[i + 1, 1] = superdiag[i + 1]
        else:
            factor = u[i, 0] / subdiag[i + 1]
            u[i, 0] = subdiag[i + 1]
            u[i + 1, 0] = u[i, 1] - factor * diag[i + 1]
            u[i, 1] = diag[i + 1]
            x[[i, i + 1]] = x[[i + 1, i]]
            x[i + 1] -= factor * x[i]
            if i != n - 2:
                u[i, 2] = superdiag[i + 1]
                u[i + 1, 1] = -factor * superdiag[i + 1]
    if u[n - 1, 0] == 0:
        return None
    x[n - 1] /= u[n - 1, 0]
    if n > 1:
        x[n - 2] = (x[n - 2] - u[n - 2, 1] * x[n - 1]) / u[n - 2, 0]
    for i in range(n - 3, -1, -1):
        x[i] = (x[i] - u[i, 1] * x[i + 1] - u[i, 2] * x[i + 2]) / u[i, 0]
    return x


def _solve_thomas(d, rhs):
    """One system by the Thomas algorithm (no pivoting); ``None`` when a pivot is zero."""
    superdiag, diag, subdiag = d
    n = diag.shape[0]
    u = np.zeros(n, np.result_type(d, rhs))
    x = np.empty(rhs.shape, u.dtype)
    for i in range(n):
        denom = diag[i] - (subdiag[i] * u[i - 1] if i else 0)
        if denom == 0:
            return None
        u[i] = superdiag[i] / denom
        x[i] = (rhs[i] - (subdiag[i] * x[i - 1] if i else 0)) / denom
    for i in range(n - 2, -1, -1):
        x[i] -= u[i] * x[i + 1]
    return x


def _solve_infer(inputs, attrs):
    diagonals, rhs = inputs
    dtype = check_same_dtype("TridiagonalSolve", ("diagonals", "rhs"), inputs)
    check_dtype_in("TridiagonalSolve", "diagonals", diagonals, _TYPES)
    for t in (diagonals, rhs):
        if t.shape.ndims is not None and t.shape.ndims < 2:
            raise ValueError(f"Shape must be at least rank 2 but is rank {t.shape.ndims}")
    if diagonals.shape.ndims is not None and diagonals.shape[-2].value not in (None, 3):
        raise ValueError(f"Dimension must be 3 but is {diagonals.shape[-2].value}")
    return [(dtype, rhs.shape if rhs.shape.ndims is not None else unknown_shape())]


def _solve_kernel(ctx, op, diagonals, rhs):
    if op._attrs["perturb_singular"]:
        raise NotImplementedError("TridiagonalSolve(perturb_singular=True) is not supported")
    if diagonals.shape[:-2] != rhs.shape[:-2] or diagonals.shape[-1] != rhs.shape[-2]:
        raise ValueError(
            f"diagonals of shape {list(diagonals.shape)} and rhs of shape {list(rhs.shape)} "
            "must have the same batch shape and size M"
        )
    solve = _solve_pivoting if op._attrs["partial_pivoting"] else _solve_thomas
    out = np.empty(rhs.shape, rhs.dtype)
    m = diagonals.shape[-1]
    flat_d, flat_r = diagonals.reshape(-1, 3, m), rhs.reshape(-1, m, rhs.shape[-1])
    flat_out = out.reshape(flat_r.shape)
    with np.errstate(all="ignore"):
        for b in range(flat_d.shape[0]):
            x = solve(flat_d[b], flat_r[b]) if m else flat_r[b]
            flat_out[b] = np.nan if x is None else x
    return out


def _transposed(diags):
    """TF's ``_TransposeTridiagonalMatrix``: the diagonals of the transposed matrix."""
    diag = diags[..., 1, :]
    if diags.shape.is_fully_defined():
        pads = zeros(diags.shape.as_list()[:-2] + [1], dtype=diags.dtype)
        superdiag = concat((diags[..., 2, 1:], pads), axis=-1)
        subdiag = concat((pads, diags[..., 0, :-1]), axis=-1)
    else:
        padding = zeros((rank(diags) - 2, 2), dtype=dtypes.int32)
        up = concat((padding, constant([[0, 1]])), axis=0)
        superdiag = pad(diags[..., 2, 1:], up)
        down = concat((padding, constant([[1, 0]])), axis=0)
        subdiag = pad(diags[..., 0, :-1], down)
    return array_ops.stack([superdiag, diag, subdiag], axis=-2)


def _three_diagonals_of_matmul(x, y_tr):
    """TF's ``_MatmulExtractingThreeDiagonals``: the three diagonals of ``x @ y_tr^T``."""
    diag = reduce_sum(x * y_tr, axis=-1)
    if y_tr.shape.is_fully_defined():
        pads = zeros(x.shape.as_list()[:-2] + [1, x.shape[-1].value], dtype=x.dtype)
        superdiag = reduce_sum(x * concat((y_tr[..., 1:, :], pads), axis=-2), axis=-1)
        subdiag = reduce_sum(x * concat((pads, y_tr[..., :-1, :]), axis=-2), axis=-1)
    else:
        padding = zeros((rank(y_tr) - 2, 2), dtype=dtypes.int32)
        up = concat((padding, constant([[0, 1], [0, 0]])), axis=0)
        superdiag = reduce_sum(x * pad(y_tr[..., 1:, :], up), axis=-1)
        down = concat((padding, constant([[1, 0], [0, 0]])), axis=0)
        subdiag = reduce_sum(x * pad(y_tr[..., :-1, :], down), axis=-1)
    return array_ops.stack([superdiag, diag, subdiag], axis=-2)


def _solve_grad(op, grad):
    """TF's: ``rhs`` gets the solve with the transposed matrix; the diagonals the three
    diagonals of ``-grad_rhs @ x^T``."""
    diags, x = op.inputs[0], op.outputs[0]
    attrs = {k: op._attrs[k] for k in ("partial_pivoting", "perturb_singular")}
    grad_rhs = apply_op("TridiagonalSolve", [_transposed(diags), grad], attrs)
    return [-_three_diagonals_of_matmul(grad_rhs, x), grad_rhs]


register_op("TridiagonalSolve", _solve_infer, kernel=_solve_kernel, grad=_solve_grad)


def _matmul_infer(inputs, attrs):
    names = ("superdiag", "maindiag", "subdiag", "rhs")
    dtype = check_same_dtype("TridiagonalMatMul", names, inputs)
    check_dtype_in("TridiagonalMatMul", "superdiag", inputs[0], _TYPES)
    rhs = inputs[3]
    return [(dtype, rhs.shape if rhs.shape.ndims is not None else unknown_shape())]


def _matmul_kernel(ctx, op, superdiag, maindiag, subdiag, rhs):
    m = rhs.shape[-2]
    for arg, d in (("superdiag", superdiag), ("maindiag", maindiag), ("subdiag", subdiag)):
        if d.shape[-2:] != (1, m) or d.shape[:-2] != rhs.shape[:-2]:
            raise ValueError(
                f"{arg} of shape {list(d.shape)} must be [..., 1, {m}] with the batch shape of "
                f"rhs {list(rhs.shape)}"
            )
    out = np.swapaxes(maindiag, -1, -2) * rhs
    out[..., :-1, :] += np.swapaxes(superdiag, -1, -2)[..., :-1, :] * rhs[..., 1:, :]
    out[..., 1:, :] += np.swapaxes(subdiag, -1, -2)[..., 1:, :] * rhs[..., :-1, :]
    return out.astype(rhs.dtype, copy=False)


def _shift(x, up: bool):
    """TF's ``_LeftShift``/``_RightShift`` of the next-to-last dimension, zero-filled."""
    padding = zeros((rank(x) - 2, 2), dtype=dtypes.int32)
    if up:
        paddings = concat([padding, constant([[0, 1], [0, 0]])], axis=0)
        return pad(x[..., 1:, :], paddings)
    paddings = concat([padding, constant([[1, 0], [0, 0]])], axis=0)
    return pad(x[..., :-1, :], paddings)


def _matmul_grad(op, grad):
    superdiag_conj = matrix_transpose(op.inputs[0], conjugate=True)
    maindiag_conj = matrix_transpose(op.inputs[1], conjugate=True)
    subdiag_conj = matrix_transpose(op.inputs[2], conjugate=True)
    rhs_conj = conj(op.inputs[3])
    superdiag_grad = reduce_sum(_shift(rhs_conj, True) * grad, axis=-1)
    maindiag_grad = reduce_sum(rhs_conj * grad, axis=-1)
    subdiag_grad = reduce_sum(_shift(rhs_conj, False) * grad, axis=-1)
    rhs_grad = (
        _shift(superdiag_conj * grad, False)
        + maindiag_conj * grad
        + _shift(subdiag_conj * grad, True)
    )
    return [
        expand_dims(superdiag_grad, -2),
        expand_dims(maindiag_grad, -2),
        expand_dims(subdiag_grad, -2),
        rhs_grad,
    ]


register_op("TridiagonalMatMul", _matmul_infer, kernel=_matmul_kernel, grad=_matmul_grad)


def _matrix_format(what: str):
    return NotImplementedError(
        f"{what}(diagonals_format='matrix') is not supported; pass the diagonals in the "
        "'compact' format: tf.stack([superdiag, diag, subdiag], axis=-2)"
    )


@undo.atomic
def tridiagonal_solve(
    diagonals,
    rhs,
    diagonals_format="compact",
    transpose_rhs=False,
    conjugate_rhs=False,
    name=None,
    partial_pivoting=True,
    perturb_singular=False,
):
    """Solves tridiagonal systems ``A x = rhs`` (``rhs`` ``[..., M, K]`` or ``[..., M]``),
    ``A`` given by its three diagonals.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     d = tf.constant([[1.0, 2.0, 0.0], [4.0, 5.0, 6.0], [0.0, 7.0, 8.0]], tf.float64)
    ...     x = tf.linalg.tridiagonal_solve(d, tf.constant([1.0, 2.0, 3.0], tf.float64))
    ...     print(tf.Session().run(x).round(6))
    [ 0.571429 -1.285714  2.214286]
    """
    if perturb_singular:
        if not partial_pivoting:
            raise ValueError("partial_pivoting must be True if perturb_singular is.")
        raise NotImplementedError(
            "tridiagonal_solve(perturb_singular=True) is not supported; a singular system gives NaN"
        )
    if diagonals_format == "matrix":
        raise _matrix_format("tridiagonal_solve")
    if diagonals_format == "sequence":
        if not isinstance(diagonals, (tuple, list)) or len(diagonals) != 3:
            raise ValueError("Expected diagonals to be a sequence of length 3.")
        superdiag, maindiag, subdiag = (convert_to_tensor(d) for d in diagonals)
        m = maindiag.shape[-1].value

        def pad_if_necessary(t, what, padding):
            n = t.shape[-1].value
            if not n or n == m:
                return t
            if n == m - 1:
                return pad(t, [[0, 0]] * (t.shape.ndims - 1) + [padding])
            raise ValueError(f"Expected {what} to be have length {m} or {m - 1}, got {n}.")

        subdiag = pad_if_necessary(subdiag, "subdiagonal", [1, 0])
        superdiag = pad_if_necessary(superdiag, "superdiagonal", [0, 1])
        diagonals = array_ops.stack((superdiag, maindiag, subdiag), axis=-2)
    elif diagonals_format != "compact":
        raise ValueError(f"Unrecognized diagonals_format: {diagonals_format}")
    diagonals, rhs = convert_to_tensor(diagonals), convert_to_tensor(rhs)
    diags_rank, rhs_rank = diagonals.shape.ndims, rhs.shape.ndims
    if diags_rank:
        if diags_rank < 2:
            raise ValueError(f"Expected diagonals to have rank at least 2, got {diags_rank}")
        if rhs_rank and rhs_rank not in (diags_rank, diags_rank - 1):
            raise ValueError(
                f"Expected the rank of rhs to be {diags_rank - 1} or {diags_rank}, got {rhs_rank}"
            )
    if diags_rank and diagonals.shape[-2].value not in (None, 3):
        raise ValueError(f"Expected 3 diagonals got {diagonals.shape[-2].value}")
    attrs = {"partial_pivoting": bool(partial_pivoting), "perturb_singular": False}
    if rhs_rank and diags_rank and rhs_rank == diags_rank - 1:
        if conjugate_rhs:
            rhs = conj(rhs)
        rhs = expand_dims(rhs, -1)
        with name_scope(name, "TridiagonalSolve", [diagonals, rhs]) as scope:
            solved = apply_op("TridiagonalSolve", [diagonals, rhs], attrs, name=scope)
        return squeeze(solved, -1)
    if transpose_rhs:
        rhs = matrix_transpose(rhs, conjugate=conjugate_rhs)
    elif conjugate_rhs:
        rhs = conj(rhs)
    with name_scope(name, "TridiagonalSolve", [diagonals, rhs]) as scope:
        return apply_op("TridiagonalSolve", [diagonals, rhs], attrs, name=scope)


@undo.atomic
def tridiagonal_matmul(diagonals, rhs, diagonals_format="compact", name=None):
    """``A @ rhs`` for tridiagonal ``A`` given by its three diagonals.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     d = tf.constant([[1.0, 2.0, 0.0], [4.0, 5.0, 6.0], [0.0, 7.0, 8.0]])
    ...     y = tf.linalg.tridiagonal_matmul(d, tf.ones([3, 1]))
    ...     print(tf.Session().run(y)[:, 0])
    [ 5. 14. 14.]
    """
    if diagonals_format == "compact":
        diagonals = convert_to_tensor(diagonals)
        superdiag, maindiag, subdiag = (diagonals[..., i, :] for i in range(3))
    elif diagonals_format == "sequence":
        superdiag, maindiag, subdiag = diagonals
    elif diagonals_format == "matrix":
        raise _matrix_format("tridiagonal_matmul")
    else:
        raise ValueError(f"Unrecognized diagonals_format: {diagonals_format}")
    superdiag = expand_dims(superdiag, -2)
    maindiag = expand_dims(maindiag, -2)
    subdiag = expand_dims(subdiag, -2)
    with name_scope(name, "TridiagonalMatMul", [superdiag, maindiag, subdiag, rhs]) as scope:
        rhs = convert_to_tensor(rhs, name="rhs")
        return apply_op("TridiagonalMatMul", [superdiag, maindiag, subdiag, rhs], {}, name=scope)


__all__ = ["tridiagonal_matmul", "tridiagonal_solve"]
