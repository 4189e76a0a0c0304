"""``tf.linalg.eigh_tridiagonal``: eigenvalues (and eigenvectors) of a Hermitian tridiagonal
matrix given by its diagonal ``alpha`` and superdiagonal ``beta``.

TF builds a bisection (Sturm sequence) loop for the eigenvalues and inverse iteration for the
eigenvectors; scopeflow forms the ``n x n`` matrix and takes ``SelfAdjointEigV2`` of it (LAPACK,
so eigenvalues agree with TF's to its bisection tolerance, ``tol`` being met or bettered). Each
eigenvector is unique up to a sign (a phase for complex input), which can differ from TF's; TF's
own signs also change with ``select``. The eigenvalues' gradient is ``SelfAdjointEigV2``'s (TF's
loop has none).
"""

from __future__ import annotations

import numpy as np

from scopeflow.framework import undo
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.graph_api import name_scope
from scopeflow.ops.array.cast import cast
from scopeflow.ops.array.gather import boolean_mask
from scopeflow.ops.array.pad import pad
from scopeflow.ops.array.transpose import matrix_transpose
from scopeflow.ops.math.complex import complex as complex_
from scopeflow.ops.math.complex import real
from scopeflow.ops.math.elementwise import conj, greater, less_equal, logical_and
from scopeflow.ops.math.linalg import matrix_diag
from scopeflow.ops.math.linalg_eig import self_adjoint_eig, self_adjoint_eigvals


def _hermitian(alpha, beta):
    """The dense matrix: ``alpha`` on the diagonal, ``beta`` above it, ``conj(beta)`` below."""
    diag = real(alpha) if alpha.dtype.is_complex else alpha
    if alpha.dtype.is_complex:
        diag = complex_(diag, diag * 0)
    upper = pad(matrix_diag(beta), [[0, 1], [1, 0]])
    lower = pad(matrix_diag(conj(beta)), [[1, 0], [0, 1]])
    return matrix_diag(diag) + upper + lower


@undo.atomic
def eigh_tridiagonal(
    alpha, beta, eigvals_only=True, select="a", select_range=None, tol=None, name=None
):
    """Eigenvalues (ascending; with ``eigvals_only=False`` also the eigenvectors as columns)
    of the Hermitian tridiagonal matrix with diagonal ``alpha`` ``[n]`` and superdiagonal
    ``beta`` ``[n - 1]``. ``select``: ``'a'`` all, ``'i'`` those of indices
    ``select_range[0]..select_range[1]`` (inclusive), ``'v'`` those in
    ``(select_range[0], select_range[1]]``.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     e = tf.linalg.eigh_tridiagonal([2.0, 2.0], [1.0])
    ...     print(tf.Session().run(e))
    [1. 3.]
    """
    with name_scope(name or "eigh_tridiagonal"):
        if select not in ("a", "i", "v"):
            raise ValueError("'select must have a value in {'a', 'i', 'v'}.")
        alpha = convert_to_tensor(alpha, name="alpha")
        if not (alpha.dtype.is_floating or alpha.dtype.is_complex):
            raise ValueError(f"data type {alpha.dtype.as_numpy_dtype} not inexact")
        beta = convert_to_tensor(beta, dtype=alpha.dtype, name="beta")
        n = alpha.shape[0].value if alpha.shape.ndims else None
        if alpha.shape.ndims is not None and alpha.shape.ndims != 1:
            raise ValueError(f"alpha must be a vector, got shape {alpha.shape}")
        if n is not None and n <= 1:
            return real(alpha) if alpha.dtype.is_complex else alpha
        m = beta.shape[0].value if beta.shape.ndims else None
        if n is not None and m is not None and m != n - 1:
            raise ValueError(
                f"Dimensions must be equal, but are {n} and {m + 1}: beta must have one "
                "element fewer than alpha"
            )
        if tol is not None:
            tol = convert_to_tensor(tol)  # LAPACK's accuracy is at least as good
        matrix = _hermitian(alpha, beta)
        with name_scope("compute_eigenvalues"):
            if eigvals_only:
                values, vectors = self_adjoint_eigvals(matrix), None
            else:
                values, vectors = self_adjoint_eig(matrix)
            if values.dtype.is_complex:
                values = real(values)
        values, vectors = _select(values, vectors, select, select_range)
        if eigvals_only:
            return values
        with name_scope("compute_eigenvectors"):
            return values, vectors


def _select(values, vectors, select: str, select_range):
    if select == "a":
        return values, vectors
    if select_range is None:
        raise ValueError(f"select_range is required with select='{select}'")
    if select == "i":
        lo, hi = (int(v) for v in np.asarray(select_range).tolist())
        picked = values[lo : hi + 1]
        return picked, None if vectors is None else vectors[:, lo : hi + 1]
    lo, hi = _pair(select_range, values)
    mask = logical_and(greater(values, lo), less_equal(values, hi))
    picked = boolean_mask(values, mask)
    if vectors is None:
        return picked, None
    return picked, matrix_transpose(boolean_mask(matrix_transpose(vectors), mask))


def _pair(select_range, values):
    r = convert_to_tensor(select_range)
    return cast(r[0], values.dtype), cast(r[1], values.dtype)
