"""The singular value decomposition: ``Svd`` (``tf.svd``, ``tf.linalg.svd``), which
``tf.norm`` uses for the matrix 2-norm, with TF's gradient (through ``u`` and ``v`` too), and
what TF builds on it: ``tf.linalg.pinv`` and ``tf.linalg.matrix_rank``.
"""

from __future__ import annotations

import numpy as np

from scopeflow.framework import dtypes, undo
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.graph_api import control_dependencies, name_scope
from scopeflow.framework.registry import register_op
from scopeflow.framework.tensor import Tensor
from scopeflow.framework.tensor_shape import TensorShape
from scopeflow.ops.array.basic import shape
from scopeflow.ops.array.cast import cast
from scopeflow.ops.array.shape import expand_dims, zeros_like
from scopeflow.ops.array.transpose import matrix_transpose
from scopeflow.ops.core.infer import apply_op, check_dtype_in
from scopeflow.ops.math.elementwise import maximum, reciprocal, square
from scopeflow.ops.math.linalg import check_matrix_rank, eye, matrix_diag, matrix_set_diag
from scopeflow.ops.math.linalg_solve import adjoint
from scopeflow.ops.math.matmul import matmul
from scopeflow.ops.math.reduction import reduce_max, reduce_sum
from scopeflow.ops.math.selection import where_v2

_SVD_DTYPES = (dtypes.float16, dtypes.float32, dtypes.float64, dtypes.complex64, dtypes.complex128)


def _svd_infer(inputs, attrs):
    (a,) = inputs
    dtype = check_dtype_in("Svd", "input", a, _SVD_DTYPES)
    real = dtype.real_dtype
    if a.shape.ndims is None:
        unknown = TensorShape(None)
        return [(real, unknown), (dtype, unknown), (dtype, unknown)]
    if a.shape.ndims < 2:
        raise ValueError(f"Shape must be at least rank 2 but is rank {a.shape.ndims}")
    *batch, m, n = a.shape.as_list()
    p = None if m is None or n is None else min(m, n)
    if not attrs["compute_uv"]:
        empty = TensorShape([0])
        return [(real, TensorShape([*batch, p])), (dtype, empty), (dtype, empty)]
    full = attrs["full_matrices"]
    u = TensorShape([*batch, m, m if full else p])
    v = TensorShape([*batch, n, n if full else p])
    return [(real, TensorShape([*batch, p])), (dtype, u), (dtype, v)]


def _svd_kernel(ctx, op, a):
    check_matrix_rank(a)
    if not op._attrs["compute_uv"]:
        s = np.linalg.svd(a, compute_uv=False)
        empty = np.zeros([0], a.dtype)
        return [s.astype(a.real.dtype, copy=False), empty, empty]
    u, s, vh = np.linalg.svd(a, full_matrices=op._attrs["full_matrices"])
    v = np.conj(np.swapaxes(vh, -1, -2))
    return [s.astype(a.real.dtype, copy=False), u.astype(a.dtype), v.astype(a.dtype)]


def _safe_reciprocal(x, epsilon=1e-20):
    return x * reciprocal(x * x + epsilon)


def _svd_grad(op, grad_s, grad_u, grad_v):
    """TF's: ``u diag(grad_s) v^H`` for the singular values alone; through ``u`` and ``v``,
    the terms of the (thin, or full for ``|m - n| <= 1``) decomposition of a wide matrix
    (a tall one as its adjoint), with ``1 / (s_j^2 - s_i^2)`` off the diagonal (infinite for
    repeated singular values)."""
    a = op.inputs[0]
    grad_s_mat = matrix_diag(cast(grad_s, a.dtype.base_dtype))
    if not op._attrs["compute_uv"]:
        _, u, v = svd(a, compute_uv=True)
        grad_a = matmul(u, matmul(grad_s_mat, v, adjoint_b=True))
        grad_a.set_shape(a.shape)
        return grad_a
    a_shape = a.shape.merge_with(
        grad_u.shape[:-1].concatenate(grad_v.shape[-2:-1])
        if grad_u.shape.ndims is not None and grad_v.shape.ndims is not None
        else a.shape
    )
    m, n = (None, None) if a_shape.ndims is None else a_shape.as_list()[-2:]
    if m is None or n is None:
        raise NotImplementedError(
            "SVD gradient has not been implemented for input with unknown inner matrix shape."
        )
    s, u, v = op.outputs
    s = cast(s, a.dtype.base_dtype)
    use_adjoint = m > n
    if use_adjoint:
        m, n, u, v, grad_u, grad_v = n, m, v, u, grad_v, grad_u
    with control_dependencies([grad_s, grad_u, grad_v]):
        full_matrices = op._attrs["full_matrices"]
        if full_matrices and abs(m - n) > 1:
            raise NotImplementedError(
                "svd gradient is not implemented for abs(m - n) > 1 when full_matrices is "
                f"True. Received: m={m} and n={n} from op input={a} with shape={a_shape}."
            )
        s_mat = matrix_diag(s)
        s2 = square(s)
        s_shape = shape(s)
        f = matrix_set_diag(
            _safe_reciprocal(expand_dims(s2, -2) - expand_dims(s2, -1)), zeros_like(s)
        )
        s_inv_mat = matrix_diag(_safe_reciprocal(s))
        v1, grad_v1 = v[..., :, :m], grad_v[..., :, :m]
        u_gu = matmul(u, grad_u, adjoint_a=True)
        v_gv = matmul(v1, grad_v1, adjoint_a=True)
        f_u, f_v = f * u_gu, f * v_gv
        term1_nouv = (
            grad_s_mat + matmul(f_u + adjoint(f_u), s_mat) + matmul(s_mat, f_v + adjoint(f_v))
        )
        grad_a = matmul(u, matmul(term1_nouv, v1, adjoint_b=True))
        if m != n:
            gv1t = matrix_transpose(grad_v1, conjugate=True)
            term2_nous = gv1t - matmul(matmul(gv1t, v1), v1, adjoint_b=True)
            if full_matrices:
                v2, grad_v2 = v[..., :, m:n], grad_v[..., :, m:n]
                term2_nous -= matmul(matmul(v1, grad_v2, adjoint_a=True), v2, adjoint_b=True)
            grad_a = grad_a + matmul(matmul(u, s_inv_mat), term2_nous)
        if a.dtype.is_complex:
            identity = eye(s_shape[-1], batch_shape=s_shape[:-1], dtype=a.dtype.base_dtype)
            lower = identity * v_gv
            term3_nouv = matmul(s_inv_mat, adjoint(lower) - lower)
            grad_a += 0.5 * matmul(u, matmul(term3_nouv, v1, adjoint_b=True))
        if use_adjoint:
            grad_a = matrix_transpose(grad_a, conjugate=True)
        grad_a.set_shape(a_shape)
        return grad_a


register_op("Svd", _svd_infer, kernel=_svd_kernel, grad=_svd_grad)


@undo.atomic
def svd(tensor, full_matrices=False, compute_uv=True, name=None):
    """The singular values ``s`` of the inner-most matrices of ``tensor`` (descending) and,
    with ``compute_uv``, the singular vectors: ``(s, u, v)`` with ``tensor = u diag(s) v^H``.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     s = tf.svd([[3.0, 0.0], [0.0, -4.0]], compute_uv=False)
    ...     print(tf.Session().run(s))
    [4. 3.]
    """
    with name_scope(name, "Svd", [tensor]) as scope:
        a = convert_to_tensor(tensor, name="input")
        attrs = {"compute_uv": bool(compute_uv), "full_matrices": bool(full_matrices)}
        s, u, v = apply_op("Svd", [a], attrs, name=scope)
        return (s, u, v) if compute_uv else s


def _check_matrix(a) -> None:
    if not a.dtype.is_floating:
        raise TypeError(f"Input `a` must have `float`-like `dtype` (saw {a.dtype.name}).")
    if a.shape.ndims is not None and a.shape.ndims < 2:
        raise ValueError(f"Input `a` must have at least 2 dimensions (saw: {a.shape.ndims}).")


def _dim_size(a, i: int):
    """A dim of ``a``: static when known, else from ``Shape`` at run time."""
    size = a.shape[i].value if a.shape.ndims is not None else None
    return shape(a)[i] if size is None else size


def _no_validate_args(validate_args) -> None:
    if validate_args:
        raise NotImplementedError(
            "validate_args=True (a run-time rank assertion) is not supported; give `a` a "
            "static rank of at least 2 instead"
        )


@undo.atomic
def matrix_rank(a, tol=None, validate_args=False, name=None):
    """The number of singular values of each innermost matrix of ``a`` above ``tol`` (by
    default ``eps * max(rows, cols) * max(singular values)``), as int32.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     print(tf.Session().run(tf.linalg.matrix_rank([[1.0, 2.0], [2.0, 4.0]])))
    1
    """
    _no_validate_args(validate_args)
    with name_scope(name or "matrix_rank"):
        a = convert_to_tensor(a, dtype_hint=dtypes.float32, name="a")
        _check_matrix(a)
        s = svd(a, compute_uv=False)
        if tol is None:
            if a.shape.ndims is not None and a.shape[-2:].is_fully_defined():
                m = np.max(a.shape[-2:].as_list())
            else:
                m = reduce_max(shape(a)[-2:])
            eps = np.finfo(a.dtype.as_numpy_dtype).eps
            tol = eps * cast(m, a.dtype.base_dtype) * reduce_max(s, axis=-1, keepdims=True)
        return reduce_sum(cast(s > tol, dtypes.int32), axis=-1)


@undo.atomic
def pinv(a, rcond=None, validate_args=False, name=None):
    """The Moore-Penrose pseudo-inverse of each innermost matrix of ``a``, from its singular
    value decomposition: singular values below ``rcond`` times the largest (by default
    ``10 * max(rows, cols) * eps``) count as zero.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     print(tf.Session().run(tf.linalg.pinv([[2.0, 0.0], [0.0, 0.0]])))
    [[0.5 0. ]
     [0.  0. ]]
    """
    _no_validate_args(validate_args)
    with name_scope(name or "pinv"):
        a = convert_to_tensor(a, name="a")
        _check_matrix(a)
        dtype = a.dtype.as_numpy_dtype
        if rcond is None:
            num_rows, num_cols = _dim_size(a, -2), _dim_size(a, -1)
            if not isinstance(num_rows, Tensor) and not isinstance(num_cols, Tensor):
                max_rows_cols = float(max(num_rows, num_cols))
            else:
                max_rows_cols = cast(maximum(num_rows, num_cols), a.dtype.base_dtype)
            rcond = 10.0 * max_rows_cols * np.finfo(dtype).eps
        rcond = convert_to_tensor(rcond, dtype=a.dtype.base_dtype, name="rcond")
        singular_values, left, right = svd(a, full_matrices=False, compute_uv=True)
        cutoff = rcond * reduce_max(singular_values, axis=-1)
        singular_values = where_v2(
            singular_values > expand_dims(cutoff, -1), singular_values, np.array(np.inf, dtype)
        )
        a_pinv = matmul(right / expand_dims(singular_values, -2), left, adjoint_b=True)
        if a.shape.ndims is not None:
            a_pinv.set_shape(a.shape[:-2].concatenate([a.shape[-1], a.shape[-2]]))
        return a_pinv


__all__ = ["svd"]
