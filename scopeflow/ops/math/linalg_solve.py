"""Dense solvers and decompositions (``tf.linalg``): ``MatrixInverse``, ``MatrixDeterminant``,
``LogMatrixDeterminant``, ``Cholesky`` and ``MatrixSolve``, with TF1's gradients, and what TF1
builds from them: ``logdet``, ``cholesky_solve``, ``trace``, ``adjoint``.

Kernels run LAPACK through NumPy (float16 in float32, rounded back). As in TF1, a singular
matrix fails the run ("Input is not invertible.", "Input matrix is not invertible.") and so
does a matrix that is not positive definite ("Cholesky decomposition was not successful");
TensorFlow 2 instead fills a failed Cholesky with NaN.
"""

from __future__ import annotations

import collections

import numpy as np

from scopeflow.framework import dtypes, undo
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.registry import register_op
from scopeflow.framework.tensor import merge_shapes
from scopeflow.framework.tensor_shape import TensorShape, unknown_shape
from scopeflow.ops.array.basic import reshape, shape
from scopeflow.ops.array.join import concat
from scopeflow.ops.array.transpose import matrix_transpose
from scopeflow.ops.core.infer import apply_op, check_dtype_in, check_same_dtype
from scopeflow.ops.math.complex import real
from scopeflow.ops.math.elementwise import log
from scopeflow.ops.math.linalg import (
    check_matrix_rank,
    eye,
    matrix_band_part,
    matrix_diag_part,
    matrix_set_diag,
    matrix_triangular_solve,
)
from scopeflow.ops.math.matmul import matmul
from scopeflow.ops.math.reduction import reduce_sum

# TF's allowed dtypes, in the order its errors list them.
_SOLVE_TYPES = (dtypes.float64, dtypes.float32, dtypes.float16, dtypes.complex64, dtypes.complex128)
_DET_TYPES = (dtypes.float16, dtypes.float32, dtypes.float64, dtypes.complex64, dtypes.complex128)

_NOT_INVERTIBLE = "Input is not invertible."
_CHOLESKY_FAILED = "Cholesky decomposition was not successful. The input might not be valid."


# -- shapes and values of batches of square matrices ----------------------------------------


def square_dims(x, cols_first: bool = False) -> tuple[list, int | None] | None:
    """``(batch dims, n)`` of a batch of square ``[..., n, n]`` matrices, ``None`` for an unknown
    rank, with TF's shape errors (its square check names rows first, or columns first for the
    determinants)."""
    if x.shape.ndims is None:
        return None
    if x.shape.ndims < 2:
        raise ValueError(f"Shape must be at least rank 2 but is rank {x.shape.ndims}")
    *batch, rows, cols = x.shape.as_list()
    a, b = (cols, rows) if cols_first else (rows, cols)
    if a is not None and b is not None and a != b:
        raise ValueError(f"Dimensions must be equal, but are {a} and {b}")
    return batch, rows if rows is not None else cols


def check_square(x) -> None:
    """The run-time check of a batch of square matrices."""
    check_matrix_rank(x)
    if x.shape[-1] != x.shape[-2]:
        raise ValueError("Input matrix must be square.")


def square_shape(x, cols_first: bool = False) -> TensorShape:
    """The static shape of a batch of square matrices, its two last dims merged."""
    dims = square_dims(x, cols_first)
    return unknown_shape() if dims is None else TensorShape([*dims[0], dims[1], dims[1]])


def lapack_input(x, adjoint: bool = False) -> np.ndarray:
    """``x`` (or its adjoint) in a dtype NumPy's LAPACK takes: float16 as float32."""
    work = x.astype(np.float32) if x.dtype == np.float16 else x
    return np.conj(np.swapaxes(work, -1, -2)) if adjoint else work


# -- MatrixInverse --------------------------------------------------------------------------


def _inverse_infer(inputs, attrs):
    (x,) = inputs
    dtype = check_dtype_in("MatrixInverse", "input", x, _SOLVE_TYPES)
    return [(dtype, square_shape(x))]


def _inverse_kernel(ctx, op, x):
    check_square(x)
    try:
        out = np.linalg.inv(lapack_input(x, op._attrs["adjoint"]))
    except np.linalg.LinAlgError:
        raise ValueError(_NOT_INVERTIBLE) from None
    return out.astype(x.dtype, copy=False)


def _inverse_grad(op, grad):
    """TF's: ``-ainv^H grad ainv^H`` (with ``ainv`` the output), adjoints swapped for
    ``adjoint``."""
    ainv = op.outputs[0]
    adj = op._attrs["adjoint"]
    inner = matmul(grad, ainv, adjoint_a=adj, adjoint_b=not adj)
    return -matmul(ainv, inner, adjoint_a=not adj)


register_op("MatrixInverse", _inverse_infer, kernel=_inverse_kernel, grad=_inverse_grad)


@undo.atomic
def matrix_inverse(input, adjoint=False, name=None):  # noqa: A002 - TF1's argument name
    """The inverses of the innermost square matrices of ``input`` (of their adjoints with
    ``adjoint``); a singular matrix fails the run with ``InvalidArgumentError``.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     print(tf.Session().run(tf.matrix_inverse([[2.0, 0.0], [0.0, 4.0]])))
    [[0.5  0.  ]
     [0.   0.25]]
    """
    with name_scope(name, "MatrixInverse", [input]) as scope:
        x = convert_to_tensor(input, name="input")
        return apply_op("MatrixInverse", [x], {"adjoint": bool(adjoint)}, name=scope)


# -- MatrixDeterminant and LogMatrixDeterminant ---------------------------------------------


def _determinant_infer(inputs, attrs):
    (x,) = inputs
    dtype = check_dtype_in("MatrixDeterminant", "input", x, _DET_TYPES)
    dims = square_dims(x, cols_first=True)
    return [(dtype, unknown_shape() if dims is None else TensorShape(dims[0]))]


def _determinant_kernel(ctx, op, x):
    check_square(x)
    return np.asarray(np.linalg.det(lapack_input(x))).astype(x.dtype, copy=False)


def _by_batch(op, t):
    """``t`` (one value per matrix, the shape of ``op``'s output) as ``[..., 1, 1]``."""
    return reshape(t, concat([shape(op.outputs[-1]), [1, 1]], 0))


def _determinant_grad(op, grad):
    """TF's: ``grad * det(a) * a^-H``."""
    a_adj_inv = matrix_inverse(op.inputs[0], adjoint=True)
    return _by_batch(op, grad * op.outputs[0]) * a_adj_inv


register_op(
    "MatrixDeterminant", _determinant_infer, kernel=_determinant_kernel, grad=_determinant_grad
)


@undo.atomic
def matrix_determinant(input, name=None):  # noqa: A002 - TF1's argument name
    """The determinants of the innermost square matrices of ``input`` (shape ``[...]``).

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     print(tf.Session().run(tf.matrix_determinant([[1.0, 2.0], [3.0, 4.0]])))
    -2.0
    """
    with name_scope(name, "MatrixDeterminant", [input]) as scope:
        x = convert_to_tensor(input, name="input")
        return apply_op("MatrixDeterminant", [x], name=scope)


def _log_determinant_infer(inputs, attrs):
    (x,) = inputs
    dtype = check_dtype_in("LogMatrixDeterminant", "input", x, _DET_TYPES)
    dims = square_dims(x, cols_first=True)
    batch = unknown_shape() if dims is None else TensorShape(dims[0])
    return [(dtype, batch), (dtype, batch)]


def _log_determinant_kernel(ctx, op, x):
    check_square(x)
    sign, log_abs = np.linalg.slogdet(lapack_input(x))
    return np.asarray(sign).astype(x.dtype), np.asarray(log_abs).astype(x.dtype)


def _log_determinant_grad(op, grad_sign, grad_log_abs):
    """TF's: ``grad * a^-H`` (the sign has no gradient)."""
    a_adj_inv = matrix_inverse(op.inputs[0], adjoint=True)
    return _by_batch(op, grad_log_abs) * a_adj_inv


register_op(
    "LogMatrixDeterminant",
    _log_determinant_infer,
    kernel=_log_determinant_kernel,
    grad=_log_determinant_grad,
)

LogMatrixDeterminant = collections.namedtuple(
    "LogMatrixDeterminant", ["sign", "log_abs_determinant"]
)


@undo.atomic
def slogdet(input, name=None):  # noqa: A002 - TF1's argument name
    """``(sign, log_abs_determinant)`` of the innermost square matrices of ``input``: the sign
    (0 for a singular matrix, whose log is ``-inf``) and the log of the absolute determinant.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     sign, log_abs = tf.linalg.slogdet([[1.0, 2.0], [3.0, 4.0]])
    ...     print(tf.Session().run([sign, log_abs]))
    [np.float32(-1.0), np.float32(0.6931472)]
    """
    with name_scope(name, "LogMatrixDeterminant", [input]) as scope:
        x = convert_to_tensor(input, name="input")
        return LogMatrixDeterminant(*apply_op("LogMatrixDeterminant", [x], name=scope))


# -- Cholesky -------------------------------------------------------------------------------


def _cholesky_infer(inputs, attrs):
    (x,) = inputs
    dtype = check_dtype_in("Cholesky", "input", x, _SOLVE_TYPES)
    return [(dtype, square_shape(x))]


def _cholesky_kernel(ctx, op, x):
    check_square(x)
    try:
        chol = np.linalg.cholesky(lapack_input(x))  # reads only the lower triangle, as TF
    except np.linalg.LinAlgError:
        raise ValueError(_CHOLESKY_FAILED) from None
    return chol.astype(x.dtype, copy=False)


def _cholesky_grad(op, grad):
    """TF's CholeskyGrad: ``l^-H ((l^H grad) * (tril(ones) - eye / 2)) l^-1``, symmetrized."""
    chol = op.outputs[0]
    num_rows, batch_shape = shape(chol)[-1], shape(chol)[:-2]
    l_inverse = matrix_triangular_solve(
        chol, eye(num_rows, batch_shape=batch_shape, dtype=chol.dtype.base_dtype)
    )
    l_inverse.set_shape(chol.shape)  # what TF's shape inference reads from the Shape ops
    middle = matmul(chol, grad, adjoint_a=True)
    middle = matrix_set_diag(middle, 0.5 * matrix_diag_part(middle))
    middle = matrix_band_part(middle, -1, 0)
    grad_a = matmul(matmul(l_inverse, middle, adjoint_a=True), l_inverse)
    grad_a += adjoint(grad_a)
    return grad_a * 0.5


register_op("Cholesky", _cholesky_infer, kernel=_cholesky_kernel, grad=_cholesky_grad)


@undo.atomic
def cholesky(input, name=None):  # noqa: A002 - TF1's argument name
    """The lower-triangular ``l`` with ``l @ l^H = input`` for each innermost matrix (only its
    lower triangle is read); a matrix that is not positive definite fails the run.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     print(tf.Session().run(tf.cholesky([[4.0, 2.0], [2.0, 5.0]])))
    [[2. 0.]
     [1. 2.]]
    """
    with name_scope(name, "Cholesky", [input]) as scope:
        x = convert_to_tensor(input, name="input")
        return apply_op("Cholesky", [x], name=scope)


# -- MatrixSolve ----------------------------------------------------------------------------


def _merge_dim(a, b):
    if a is not None and b is not None and a != b:
        raise ValueError(f"Dimensions must be equal, but are {a} and {b}")
    return a if a is not None else b


def _matrices(t) -> tuple[TensorShape, int | None, int | None]:
    """``(batch shape, rows, cols)`` of a batch of matrices, unknown where the rank is."""
    if t.shape.ndims is None:
        return unknown_shape(), None, None
    if t.shape.ndims < 2:
        raise ValueError(f"Shape must be at least rank 2 but is rank {t.shape.ndims}")
    *_, rows, cols = t.shape.as_list()
    return t.shape[:-2], rows, cols


def solve_shape(op_type: str, inputs, square: bool):
    """TF's shape rule of ``MatrixSolve`` (``square``) and ``MatrixSolveLs``: batch dims equal,
    rows equal; the result is ``batch + [a's columns, rhs's columns]``."""
    a, b = inputs
    dtype = check_same_dtype(op_type, ("matrix", "rhs"), inputs)
    check_dtype_in(op_type, "matrix", a, _SOLVE_TYPES)
    a_batch, a_rows, cols = _matrices(a)
    b_batch, b_rows, b_cols = _matrices(b)
    batch = merge_shapes(a_batch, b_batch)
    rows = _merge_dim(a_rows, b_rows)
    if square:
        cols = _merge_dim(rows, cols)
    if batch.ndims is None:
        return dtype, unknown_shape()
    return dtype, batch.concatenate([cols, b_cols])


def check_rhs(a, b) -> None:
    """The run-time check that ``rhs`` goes with ``matrix``."""
    if np.ndim(a) < 2 or np.ndim(b) < 2:
        raise ValueError(
            f"Input tensors must have rank >= 2, got shapes {list(np.shape(a))} and "
            f"{list(np.shape(b))}"
        )
    if a.shape[:-2] != b.shape[:-2] or a.shape[-2] != b.shape[-2]:
        raise ValueError(
            f"Input matrix and rhs are incompatible: shapes {list(a.shape)} and {list(b.shape)}"
        )


def _solve_infer(inputs, attrs):
    dtype, out = solve_shape("MatrixSolve", inputs, square=True)
    return [(dtype, out)]


def _solve_kernel(ctx, op, a, b):
    check_square(a)
    check_rhs(a, b)
    try:
        out = np.linalg.solve(lapack_input(a, op._attrs["adjoint"]), lapack_input(b))
    except np.linalg.LinAlgError:
        raise ValueError("Input matrix is not invertible.") from None
    return out.astype(b.dtype, copy=False)


def _solve_grad(op, grad):
    """TF's: ``db = solve(a, grad, adjoint=not adjoint)``, ``da = -db c^H`` (``-c db^H`` for
    the adjoint solve), ``c`` the output."""
    a = op.inputs[0]
    adj = op._attrs["adjoint"]
    c = op.outputs[0]
    grad_b = matrix_solve(a, grad, adjoint=not adj)
    grad_a = -(matmul(c, grad_b, adjoint_b=True) if adj else matmul(grad_b, c, adjoint_b=True))
    return [grad_a, grad_b]


register_op("MatrixSolve", _solve_infer, kernel=_solve_kernel, grad=_solve_grad)


@undo.atomic
def matrix_solve(matrix, rhs, adjoint=False, name=None):
    """``x`` with ``matrix @ x = rhs`` (``adjoint(matrix) @ x = rhs`` with ``adjoint``) for
    each innermost square matrix; a singular matrix fails the run.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     print(tf.Session().run(tf.matrix_solve([[2.0, 0.0], [0.0, 4.0]], [[1.0], [1.0]])))
    [[0.5 ]
     [0.25]]
    """
    with name_scope(name, "MatrixSolve", [matrix, rhs]) as scope:
        a = convert_to_tensor(matrix, name="matrix")
        b = convert_to_tensor(rhs, dtype_hint=a.dtype.base_dtype, name="rhs")
        return apply_op("MatrixSolve", [a, b], {"adjoint": bool(adjoint)}, name=scope)


# -- what TF1 builds from these ops ---------------------------------------------------------


@undo.atomic
def cholesky_solve(chol, rhs, name=None):
    """``x`` with ``A @ x = rhs`` given ``chol``, the Cholesky factor of ``A``: two triangular
    solves, as TF1 builds it.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     x = tf.cholesky_solve(tf.cholesky([[4.0, 2.0], [2.0, 5.0]]), [[6.0], [7.0]])
    ...     print(tf.Session().run(x))
    [[1.]
     [1.]]
    """
    with name_scope(name, "cholesky_solve", [chol, rhs]):
        chol = convert_to_tensor(chol, name="chol")
        y = apply_op(
            "MatrixTriangularSolve",
            [chol, convert_to_tensor(rhs, dtype_hint=chol.dtype.base_dtype, name="rhs")],
            {"lower": True, "adjoint": False},
            name="MatrixTriangularSolve",
        )
        attrs = {"lower": True, "adjoint": True}
        return apply_op("MatrixTriangularSolve", [chol, y], attrs, name="MatrixTriangularSolve")


@undo.atomic
def logdet(matrix, name=None):
    """The log of the determinant of each innermost Hermitian positive-definite matrix, from
    its Cholesky factor: ``2 * sum(log(diag(cholesky(matrix))))``.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     print(tf.Session().run(tf.linalg.logdet([[4.0, 0.0], [0.0, 4.0]])))
    2.7725887
    """
    with name_scope(name, "logdet", [matrix]):
        chol = cholesky(matrix)
        diagonal = matrix_diag_part(chol)
        if diagonal.dtype.is_complex:  # a Hermitian matrix's factor has a real diagonal
            diagonal = real(diagonal)
        return 2.0 * reduce_sum(log(diagonal), axis=[-1])


@undo.atomic
def trace(x, name=None):
    """The sum of the main diagonal of each innermost matrix of ``x`` (shape ``[...]``).

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     print(tf.Session().run(tf.trace([[1, 2], [3, 4]])))
    5
    """
    with name_scope(name, "Trace", [x]) as scope:
        x = convert_to_tensor(x, name="x")
        return reduce_sum(matrix_diag_part(x), [-1], name=scope)


@undo.atomic
def adjoint(matrix, name=None):
    """The conjugate transpose of the innermost matrices of ``matrix``.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     print(tf.Session().run(tf.linalg.adjoint([[1.0, 2.0], [3.0, 4.0]])))
    [[1. 3.]
     [2. 4.]]
    """
    with name_scope(name, "adjoint", [matrix]):
        matrix = convert_to_tensor(matrix, name="matrix")
        return matrix_transpose(matrix, conjugate=True)


# The names ``import scopeflow as tf`` exports from this module (tf.linalg adds slogdet,
# logdet and adjoint, which TF1 has only there).
__all__ = [
    "cholesky",
    "cholesky_solve",
    "matrix_determinant",
    "matrix_inverse",
    "matrix_solve",
    "trace",
]
