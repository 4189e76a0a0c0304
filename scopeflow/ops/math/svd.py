"""The singular value decomposition: ``Svd`` (``tf.svd``, ``tf.linalg.svd``), which
``tf.norm`` uses for the matrix 2-norm.

The gradient is TF's for ``compute_uv=False`` (the singular values alone: ``u diag(ds)
v^H``); the gradient through ``u`` and ``v`` raises NotImplementedError.
"""

from __future__ import annotations

import numpy as np

from scopeflow.framework import dtypes, undo
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.registry import register_op
from scopeflow.framework.tensor_shape import TensorShape
from scopeflow.ops.array.cast import cast
from scopeflow.ops.core.infer import apply_op, check_dtype_in
from scopeflow.ops.math.linalg import matrix_diag
from scopeflow.ops.math.matmul import matmul

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
    if not op._attrs["compute_uv"]:
        s = np.linalg.svd(a, compute_uv=False)
        empty = np.zeros([0], a.dtype)
        return [s.astype(a.real.dtype, copy=False), empty, empty]
    u, s, vh = np.linalg.svd(a, full_matrices=op._attrs["full_matrices"])
    v = np.conj(np.swapaxes(vh, -1, -2))
    return [s.astype(a.real.dtype, copy=False), u.astype(a.dtype), v.astype(a.dtype)]


def _svd_grad(op, grad_s, grad_u, grad_v):
    if op._attrs["compute_uv"] and (grad_u is not None or grad_v is not None):
        raise NotImplementedError(
            f"Svd '{op.name}': the gradient through u and v is not in scopeflow; only the "
            "singular values' (tf.svd(..., compute_uv=False)) is."
        )
    a = op.inputs[0]
    grad_s_mat = matrix_diag(cast(grad_s, a.dtype.base_dtype))
    _, u, v = svd(a, full_matrices=False, compute_uv=True)
    grad_a = matmul(u, matmul(grad_s_mat, v, adjoint_b=True))
    grad_a.set_shape(a.shape)
    return [grad_a]


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


__all__ = ["svd"]
