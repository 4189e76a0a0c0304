"""Linear-algebra ops (``tf.linalg``): diagonals, band parts, triangular solves, QR and cross
products."""

from __future__ import annotations

import numpy as np

from scopeflow.framework import dtypes, tensor_shape, undo
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.error_text import shape_str
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.registry import register_op
from scopeflow.framework.tensor import Tensor, merge_shapes
from scopeflow.ops.array.basic import ones, zeros
from scopeflow.ops.array.join import concat
from scopeflow.ops.array.shape import zeros_like
from scopeflow.ops.array.transpose import matrix_transpose
from scopeflow.ops.core.infer import INDEX, apply_op, check_dtype_in, check_same_dtype, int_operand
from scopeflow.ops.math import matrix_diag_v3  # noqa: F401 - registers TF 2's V3 diag ops
from scopeflow.ops.math.broadcasting import broadcast, sum_to_inputs
from scopeflow.ops.math.elementwise import conj, minimum
from scopeflow.ops.math.matmul import matmul

TensorShape = tensor_shape.TensorShape

_QR_TYPES = (dtypes.float64, dtypes.float32, dtypes.float16, dtypes.complex64, dtypes.complex128)


def _matrix_dims(x) -> list | None:
    """The static dims of a batch of matrices (``None`` when the rank is unknown)."""
    if x.shape.ndims is None:
        return None
    if x.shape.ndims < 2:
        raise ValueError(f"Shape must be at least rank 2 but is rank {x.shape.ndims}")
    return x.shape.as_list()


def _check_matrix(x) -> None:
    if np.ndim(x) < 2:
        raise ValueError(f"input must be at least 2-dim, received shape: {list(np.shape(x))}")


def _tf1_diag(*pairs) -> bool:
    """Whether each (argument, default) pair holds its default: TF1's op then, else TF 2's
    ``...V3`` op (as TF builds it for those arguments)."""
    return all(type(value) is type(default) and value == default for value, default in pairs)


# -- tensor diagonals: Diag and DiagPart --------------------------------------------------


def _diag_infer(inputs, attrs):
    x = inputs[0]
    dtype = x.dtype.base_dtype
    if x.shape.ndims is None:
        return [(dtype, tensor_shape.unknown_shape())]
    if x.shape.ndims == 0:
        raise ValueError("Shape must be at least rank 1 but is rank 0")
    return [(dtype, x.shape.concatenate(x.shape))]


def _diag_kernel(ctx, op, x):
    if ctx.xp.ndim(x) == 0:
        raise ValueError("Input must be at least rank 1, got a scalar")
    dims = ctx.xp.shape(x)
    return ctx.xp.diag(ctx.xp.reshape(x, -1)).reshape(dims + dims)


def _diag_grad(op, grad):
    return diag_part(grad)


register_op("Diag", _diag_infer, kernel=_diag_kernel, grad=_diag_grad)


@undo.atomic
def diag(diagonal, name=None):
    """The ``[D1..Dk, D1..Dk]`` tensor with ``diagonal`` (``[D1..Dk]``) on its diagonal."""
    with name_scope(name, "Diag", [diagonal]) as scope:
        x = convert_to_tensor(diagonal, name="diagonal")
        return apply_op("Diag", [x], name=scope)


def _diag_part_infer(inputs, attrs):
    x = inputs[0]
    dtype = x.dtype.base_dtype
    if x.shape.ndims is None:
        return [(dtype, tensor_shape.unknown_shape())]
    rank = x.shape.ndims
    if rank == 0 or rank % 2:
        raise ValueError(f"Input must have even and non-zero rank, input rank is {rank}")
    half = rank // 2
    dims = x.shape.as_list()
    out = []
    for i in range(half):
        a, b = dims[i], dims[i + half]
        if a is not None and b is not None and a != b:
            raise ValueError(f"Dimensions must be equal, but are {a} and {b}")
        out.append(a if a is not None else b)
    return [(dtype, TensorShape(out))]


def _diag_part_kernel(ctx, op, x):
    xp = ctx.xp
    dims = xp.shape(x)
    half = len(dims) // 2
    if not dims or len(dims) % 2 or dims[:half] != dims[half:]:
        raise ValueError(
            f"The rank of the tensor should be even and positive, and its first half of "
            f"dimensions equal to the second, got shape {list(dims)}"
        )
    n = int(np.prod(dims[:half], dtype=np.int64))
    return xp.diagonal(xp.reshape(x, (n, n))).reshape(dims[:half]).copy()


def _diag_part_grad(op, grad):
    return diag(grad)


register_op("DiagPart", _diag_part_infer, kernel=_diag_part_kernel, grad=_diag_part_grad)


@undo.atomic
def diag_part(input, name=None):  # noqa: A002 - TF1's argument name
    """The diagonal of a ``[D1..Dk, D1..Dk]`` tensor (``tf.diag_part``): shape ``[D1..Dk]``."""
    with name_scope(name, "DiagPart", [input]) as scope:
        x = convert_to_tensor(input, name="input")
        return apply_op("DiagPart", [x], name=scope)


# -- tf.eye: identity matrices from the diagonal ops ----------------------------------------


@undo.atomic
def eye(num_rows, num_columns=None, batch_shape=None, dtype=dtypes.float32, name=None):
    """Identity matrices (``batch_shape + [num_rows, num_columns]``), as TF1 builds them: a
    ``MatrixDiag`` of ones when square, ones set on the diagonal of zeros otherwise; sizes
    given as tensors are combined at run time.

    >>> import scopeflow as tf
    >>> with tf.Session() as sess:
    ...     print(sess.run(tf.eye(2, 3, dtype=tf.int32)))
    [[1 0 0]
     [0 1 0]]
    """
    values = [v for v in (num_rows, num_columns, batch_shape) if v is not None]
    with name_scope(name, "eye", values):
        square = num_columns is None
        num_columns = num_rows if num_columns is None else num_columns
        batch = [] if batch_shape is None else batch_shape
        dynamic = isinstance(num_rows, Tensor) or isinstance(num_columns, Tensor)
        if dynamic:
            size = minimum(num_rows, num_columns)
        else:
            for value in (num_rows, num_columns):
                if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
                    raise TypeError("num_rows and num_columns must be positive integer values.")
            square = num_rows == num_columns
            size = min(int(num_rows), int(num_columns))
        if dynamic or isinstance(batch, Tensor):
            batch = convert_to_tensor(batch, dtype=dtypes.int32, name="shape")
            diag_shape = concat([batch, [size]], axis=0)
            if not square:
                shape = concat([batch, [num_rows, num_columns]], axis=0)
        else:
            batch = [int(d) for d in batch]
            diag_shape = [*batch, size]
            shape = [*batch, num_rows, num_columns]
        ones_on_diagonal = ones(diag_shape, dtype=dtype)
        if square:
            return matrix_diag(ones_on_diagonal)
        return matrix_set_diag(zeros(shape, dtype=dtype), ones_on_diagonal)


# -- matrix diagonals: MatrixDiag, MatrixDiagPart, MatrixSetDiag --------------------------


def _matrix_diag_infer(inputs, attrs):
    x = inputs[0]
    dtype = x.dtype.base_dtype
    if x.shape.ndims is None:
        return [(dtype, tensor_shape.unknown_shape())]
    if x.shape.ndims == 0:
        raise ValueError("Shape must be at least rank 1 but is rank 0")
    return [(dtype, x.shape.concatenate(x.shape[-1:]))]


def _matrix_diag_kernel(ctx, op, d):
    if ctx.xp.ndim(d) == 0:
        raise ValueError("input must be at least 1-dim, received a scalar")
    n = ctx.xp.shape(d)[-1]
    out = ctx.xp.zeros((*ctx.xp.shape(d), n), dtype=d.dtype)
    out[..., np.arange(n), np.arange(n)] = d
    return out


def _matrix_diag_grad(op, grad):
    return matrix_diag_part(grad)


register_op("MatrixDiag", _matrix_diag_infer, kernel=_matrix_diag_kernel, grad=_matrix_diag_grad)


@undo.atomic
def matrix_diag(
    diagonal, name="diag", k=0, num_rows=-1, num_cols=-1, padding_value=0, align="RIGHT_LEFT"
):
    """Square matrices with the innermost dimension of ``diagonal`` on their diagonals (or,
    with TF 2's arguments, on diagonal ``k`` of ``num_rows x num_cols`` matrices filled with
    ``padding_value``)."""
    pairs = (k, 0), (num_rows, -1), (num_cols, -1), (padding_value, 0), (align, "RIGHT_LEFT")
    if not _tf1_diag(*pairs):
        return matrix_diag_v3.diag_v3(diagonal, name, k, num_rows, num_cols, padding_value, align)
    with name_scope(name, "diag", [diagonal]) as scope:
        d = convert_to_tensor(diagonal, name="diagonal")
        return apply_op("MatrixDiag", [d], name=scope)


def _matrix_diag_part_infer(inputs, attrs):
    x = inputs[0]
    dims = _matrix_dims(x)
    if dims is None:
        return [(x.dtype.base_dtype, tensor_shape.unknown_shape())]
    rows, cols = dims[-2:]
    n = None if rows is None or cols is None else min(rows, cols)
    return [(x.dtype.base_dtype, TensorShape(dims[:-2] + [n]))]


def _matrix_diag_part_kernel(ctx, op, x):
    _check_matrix(x)
    return ctx.xp.diagonal(x, axis1=-2, axis2=-1).copy()


def _matrix_diag_part_grad(op, grad):
    x = op.inputs[0]
    if x.shape.is_fully_defined() and x.shape[-1] == x.shape[-2]:
        return matrix_diag(grad)
    return matrix_set_diag(zeros_like(x), grad)


register_op(
    "MatrixDiagPart",
    _matrix_diag_part_infer,
    kernel=_matrix_diag_part_kernel,
    grad=_matrix_diag_part_grad,
)


@undo.atomic
def matrix_diag_part(  # noqa: A002 - TF1's argument name
    input, name="diag_part", k=0, padding_value=0, align="RIGHT_LEFT"
):
    """The main diagonal (or diagonal ``k``) of the innermost matrices."""
    if not _tf1_diag((k, 0), (padding_value, 0), (align, "RIGHT_LEFT")):
        return matrix_diag_v3.diag_part_v3(input, name, k, padding_value, align)
    with name_scope(name, "diag_part", [input]) as scope:
        x = convert_to_tensor(input, name="input")
        return apply_op("MatrixDiagPart", [x], name=scope)


def _matrix_set_diag_infer(inputs, attrs):
    x, d = inputs
    dtype = check_same_dtype("MatrixSetDiag", ("input", "diagonal"), inputs)
    dims = _matrix_dims(x)
    if dims is None or d.shape.ndims is None:
        return [(dtype, x.shape)]
    rows, cols = dims[-2:]
    n = None if rows is None or cols is None else min(rows, cols)
    expected = TensorShape(dims[:-2] + [n])
    if not d.shape.is_compatible_with(expected):  # TF's MatrixSetDiagV3 finds it at run
        return [(dtype, x.shape)]
    batch = merge_shapes(x.shape[:-2], d.shape[:-1])
    return [(dtype, batch.concatenate(x.shape[-2:]))]


def _matrix_set_diag_kernel(ctx, op, x, d):
    _check_matrix(x)
    n = min(ctx.xp.shape(x)[-2:])
    expected = (*ctx.xp.shape(x)[:-2], n)
    if ctx.xp.shape(d) != expected:
        raise ValueError(
            "Either first dimensions of diagonal don't match input.shape[:-2], or "
            "diagonal.shape[:-1] is not equal to the longests diagonal in range "
            f"[lower_diag_index:upper_diag_index].\nInput shape: {shape_str(ctx.xp.shape(x))}"
            f"\nDiagonal shape: {shape_str(ctx.xp.shape(d))}\nExpected diagonal shape: "
            f"{shape_str(expected)}"
        )
    out = x.copy()
    out[..., np.arange(n), np.arange(n)] = d
    return out


def _matrix_set_diag_grad(op, grad):
    return [matrix_set_diag(grad, zeros_like(op.inputs[1])), matrix_diag_part(grad)]


register_op(
    "MatrixSetDiag",
    _matrix_set_diag_infer,
    kernel=_matrix_set_diag_kernel,
    grad=_matrix_set_diag_grad,
)


@undo.atomic
def matrix_set_diag(  # noqa: A002 - TF1's argument name
    input, diagonal, name="set_diag", k=0, align="RIGHT_LEFT"
):
    """``input`` with the main diagonals (or diagonals ``k``) of its innermost matrices
    replaced by ``diagonal``."""
    if not _tf1_diag((k, 0), (align, "RIGHT_LEFT")):
        return matrix_diag_v3.set_diag_v3(input, diagonal, name, k, align)
    with name_scope(name, "set_diag", [input, diagonal]) as scope:
        x = convert_to_tensor(input, name="input")
        d = convert_to_tensor(diagonal, dtype=x.dtype.base_dtype, name="diagonal")
        return apply_op("MatrixSetDiag", [x, d], name=scope)


# -- band parts and triangular solves -----------------------------------------------------


def _band_part_infer(inputs, attrs):
    x, lower, upper = inputs
    check_dtype_in("MatrixBandPart", "num_lower", lower, INDEX)
    check_same_dtype("MatrixBandPart", ("num_lower", "num_upper"), [lower, upper])
    for arg, t in (("num_lower", lower), ("num_upper", upper)):
        if t.shape.ndims not in (None, 0):
            raise ValueError(f"{arg} must be a scalar, got shape {t.shape}")
    _matrix_dims(x)
    return [(x.dtype.base_dtype, x.shape)]


def _band_part_kernel(ctx, op, x, lower, upper):
    _check_matrix(x)
    lower, upper = int(lower), int(upper)
    m, n = ctx.xp.shape(x)[-2:]
    if lower > m:
        raise ValueError(f"num_lower must be negative or less or equal to number of rows ({m})")
    if upper > n:
        raise ValueError(f"num_upper must be negative or less or equal to number of columns ({n})")
    below = np.arange(m)[:, None] - np.arange(n)[None, :]  # i - j
    keep = ((lower < 0) | (below <= lower)) & ((upper < 0) | (-below <= upper))
    return ctx.xp.where(keep, x, ctx.xp.zeros((), dtype=x.dtype))


def _band_part_grad(op, grad):
    return [matrix_band_part(grad, op.inputs[1], op.inputs[2]), None, None]


register_op(
    "MatrixBandPart",
    _band_part_infer,
    kernel=_band_part_kernel,
    grad=_band_part_grad,
    grad_takes_indexed_slices=True,  # made dense as the band part's input, as TF
)


@undo.atomic
def matrix_band_part(input, num_lower, num_upper, name=None):  # noqa: A002 - TF1's name
    """The innermost matrices with entries more than ``num_lower`` below or ``num_upper``
    above the diagonal zeroed (a negative count keeps that whole triangle)."""
    with name_scope(name, "MatrixBandPart", [input, num_lower, num_upper]) as scope:
        x = convert_to_tensor(input, name="input")
        lower = int_operand(num_lower, "num_lower")
        upper = int_operand(num_upper, "num_upper")
        return apply_op("MatrixBandPart", [x, lower, upper], name=scope)


def _triangular_solve_infer(inputs, attrs):
    a, b = inputs
    dtype = check_same_dtype("MatrixTriangularSolve", ("matrix", "rhs"), inputs)
    check_dtype_in("MatrixTriangularSolve", "matrix", a, _QR_TYPES)
    a_dims, b_dims = _matrix_dims(a), _matrix_dims(b)
    if a_dims is None or b_dims is None:
        return [(dtype, tensor_shape.unknown_shape())]
    square = merge_shapes(a.shape[-1:], a.shape[-2:-1])
    rows = merge_shapes(square, b.shape[-2:-1])
    batch = broadcast(a.shape[:-2], b.shape[:-2])  # TF 2's batch dimensions broadcast
    return [(dtype, batch.concatenate(rows).concatenate(b.shape[-1:]))]


def _triangular_solve_kernel(ctx, op, a, b):
    xp = ctx.xp
    _check_matrix(a)
    _check_matrix(b)
    batch = xp.broadcast_shapes(xp.shape(a)[:-2], xp.shape(b)[:-2])
    if xp.shape(a)[-1] != xp.shape(a)[-2] or xp.shape(a)[-1] != xp.shape(b)[-2]:
        raise ValueError(
            f"matrix must be a batch of square matrices matching rhs's rows, got shapes "
            f"{list(a.shape)} and {list(b.shape)}"
        )
    a = xp.broadcast_to(a, batch + xp.shape(a)[-2:])
    b = xp.broadcast_to(b, batch + xp.shape(b)[-2:])
    t = xp.tril(a) if op._attrs["lower"] else xp.triu(a)
    if (xp.diagonal(t, axis1=-2, axis2=-1) == 0).any():
        raise ValueError("Input matrix is not invertible.")
    if op._attrs["adjoint"]:
        t = xp.conj(xp.swapaxes(t, -1, -2))
    return xp.linalg.solve(t, b).astype(b.dtype, copy=False)


def _triangular_solve_grad(op, grad):
    """With ``x = op(T)^-1 b``: ``db = op(T)^-H grad`` and ``dT = -db x^H`` (``-x db^H`` for
    the adjoint solve), kept to ``T``'s triangle."""
    a = op.inputs[0]
    x = op.outputs[0]
    lower, adjoint = op._attrs["lower"], op._attrs["adjoint"]
    db = matrix_triangular_solve(a, grad, lower=lower, adjoint=not adjoint)
    da = -(matmul(x, db, adjoint_b=True) if adjoint else matmul(db, x, adjoint_b=True))
    da = matrix_band_part(da, -1, 0) if lower else matrix_band_part(da, 0, -1)
    return list(sum_to_inputs(a, op.inputs[1], da, db, core=2))  # over broadcast batches


register_op(
    "MatrixTriangularSolve",
    _triangular_solve_infer,
    kernel=_triangular_solve_kernel,
    grad=_triangular_solve_grad,
)


@undo.atomic
def matrix_triangular_solve(matrix, rhs, lower=True, adjoint=False, name=None):
    """``x`` with ``T @ x = rhs`` (``adjoint(T) @ x = rhs`` with ``adjoint``), ``T`` the lower
    (or upper) triangle of ``matrix``; the other triangle is ignored."""
    with name_scope(name, "triangular_solve", [matrix, rhs]):
        a = convert_to_tensor(matrix, name="matrix")
        b = convert_to_tensor(rhs, dtype_hint=a.dtype.base_dtype, name="rhs")  # TF: TypeError
        attrs = {"lower": bool(lower), "adjoint": bool(adjoint)}
        return apply_op("MatrixTriangularSolve", [a, b], attrs, name="MatrixTriangularSolve")


# -- QR -----------------------------------------------------------------------------------


def _qr_infer(inputs, attrs):
    x = inputs[0]
    dtype = check_dtype_in("Qr", "input", x, _QR_TYPES)
    dims = _matrix_dims(x)
    if dims is None:
        unknown = tensor_shape.unknown_shape()
        return [(dtype, unknown), (dtype, unknown)]
    *batch, m, n = dims
    k = None if m is None or n is None else min(m, n)
    if attrs["full_matrices"]:
        q, r = [*batch, m, m], [*batch, m, n]
    else:
        q, r = [*batch, m, k], [*batch, k, n]
    return [(dtype, TensorShape(q)), (dtype, TensorShape(r))]


def check_matrix_rank(x) -> None:
    """TF's run-time check of a linear-algebra kernel's input (a batch of matrices)."""
    if np.ndim(x) < 2:
        raise ValueError(f"Input tensor 0 must have rank >= 2, got {np.ndim(x)}")


def _qr_kernel(ctx, op, x):
    xp = ctx.xp
    check_matrix_rank(x)
    # NumPy's LAPACK has no float16: decompose in float32 and round back.
    work = x.astype(xp.float32) if x.dtype == xp.float16 else x
    q, r = xp.linalg.qr(work, mode="complete" if op._attrs["full_matrices"] else "reduced")
    return q.astype(x.dtype, copy=False), r.astype(x.dtype, copy=False)


def _adjoint(x):
    return conj(matrix_transpose(x))


def _qr_grad(op, dq, dr):
    """Reverse mode of ``a = q @ r``. A wide ``a = [x | y]`` (``m < n``) is ``x = q @ u``
    with ``r = [u | q^H y]``: ``y`` gets ``q @ dv`` and ``x`` the square rule."""
    a = op.inputs[0]
    q, r = op.outputs
    if a.shape.ndims is None or not a.shape[-2:].is_fully_defined():
        raise NotImplementedError(
            f"the gradient of Qr '{op.name}' needs the static shape of the matrices; "
            "set_shape the input"
        )
    m, n = a.shape.as_list()[-2:]
    if m > n and op._attrs["full_matrices"]:
        raise NotImplementedError(
            f"the gradient of Qr '{op.name}' with full_matrices=True is only defined for "
            f"square or wide matrices, got {m}x{n}; use full_matrices=False"
        )
    if m >= n:
        return _qr_square_grad(q, r, dq, dr)
    y, u, du, dv = a[..., m:], r[..., :m], dr[..., :m], dr[..., m:]
    dx = _qr_square_grad(q, u, dq + matmul(y, dv, adjoint_b=True), du)
    return concat([dx, matmul(q, dv)], -1)


def _qr_square_grad(q, r, dq, dr):
    """``(dq + q C) r^-H`` with ``M = r dr^H - dq^H q`` and ``C = L + L^H``, ``L`` the lower
    triangle of ``M`` with its diagonal halved (a Hermitian copy of the lower triangle, whose
    diagonal is real as ``r``'s is)."""
    m = matmul(r, dr, adjoint_b=True) - matmul(dq, q, adjoint_a=True)
    lower = matrix_band_part(m, -1, 0) - 0.5 * matrix_band_part(m, 0, 0)
    b = dq + matmul(q, lower + _adjoint(lower))
    return _adjoint(matrix_triangular_solve(r, _adjoint(b), lower=False))


register_op("Qr", _qr_infer, kernel=_qr_kernel, grad=_qr_grad)


@undo.atomic
def qr(input, full_matrices=False, name=None):  # noqa: A002 - TF1's argument name
    """QR decomposition of the innermost matrices: returns ``(q, r)``."""
    with name_scope(name, "Qr", [input]) as scope:
        x = convert_to_tensor(input, name="input")
        q, r = apply_op("Qr", [x], {"full_matrices": bool(full_matrices)}, name=scope)
        return q, r


# -- Cross --------------------------------------------------------------------------------

_CROSS_TYPES = (
    dtypes.float32, dtypes.float64, dtypes.int32, dtypes.uint8, dtypes.int16, dtypes.int8,
    dtypes.int64, dtypes.bfloat16, dtypes.uint16, dtypes.float16, dtypes.uint32, dtypes.uint64,
)  # fmt: skip


def _cross_infer(inputs, attrs):
    a, b = inputs
    dtype = check_same_dtype("Cross", ("a", "b"), inputs)
    check_dtype_in("Cross", "a", a, _CROSS_TYPES)
    for t in inputs:
        if t.shape.ndims == 0:
            raise ValueError("Shape must be at least rank 1 but is rank 0")
    out = merge_shapes(a.shape, b.shape)
    if out.ndims is not None and out[-1].value not in (None, 3):
        raise ValueError(f"Dimension must be 3 but is {out[-1].value}")
    return [(dtype, out)]


def _cross_kernel(ctx, op, a, b):
    if np.shape(a) != np.shape(b) or np.ndim(a) == 0 or np.shape(a)[-1] != 3:
        raise ValueError(
            "Both inputs must be of the same shape with an innermost dimension of size 3, got "
            f"shapes {list(np.shape(a))} and {list(np.shape(b))}"
        )
    return np.cross(a, b).astype(a.dtype, copy=False)


def _cross_grad(op, grad):
    u, v = op.inputs
    return [cross(v, grad), cross(grad, u)]


register_op("Cross", _cross_infer, kernel=_cross_kernel, grad=_cross_grad)


@undo.atomic
def cross(a, b, name=None):
    """The cross products of the 3-element vectors along the innermost dimension of ``a``
    and ``b`` (same shape).

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     print(tf.Session().run(tf.cross([1.0, 0.0, 0.0], [0.0, 1.0, 0.0])))
    [0. 0. 1.]
    """
    with name_scope(name, "Cross", [a, b]) as scope:
        a = convert_to_tensor(a, name="a")
        b = convert_to_tensor(b, dtype_hint=a.dtype.base_dtype, name="b")
        return apply_op("Cross", [a, b], name=scope)


# The names ``import scopeflow as tf`` exports from this module.
__all__ = [
    "cross",
    "diag",
    "diag_part",
    "eye",
    "matrix_band_part",
    "matrix_diag",
    "matrix_diag_part",
    "matrix_set_diag",
    "matrix_triangular_solve",
    "qr",
]
