"""Linear-algebra ops (``tf.linalg``)."""

from __future__ import annotations

import numpy as np

from scopeflow.framework import dtypes, tensor_shape, undo
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.registry import register_op
from scopeflow.ops._infer import apply_op, check_dtype_in

_QR_TYPES = (dtypes.float64, dtypes.float32, dtypes.float16, dtypes.complex64, dtypes.complex128)


def _qr_infer(inputs, attrs):
    x = inputs[0]
    dtype = check_dtype_in("Qr", "input", x, _QR_TYPES)
    if x.shape.ndims is None:
        unknown = tensor_shape.unknown_shape()
        return [(dtype, unknown), (dtype, unknown)]
    dims = x.shape.as_list()
    if len(dims) < 2:
        raise ValueError(f"Shape must be at least rank 2 but is rank {len(dims)}")
    *batch, m, n = dims
    k = None if m is None or n is None else min(m, n)
    if attrs["full_matrices"]:
        q, r = [*batch, m, m], [*batch, m, n]
    else:
        q, r = [*batch, m, k], [*batch, k, n]
    return [(dtype, tensor_shape.TensorShape(q)), (dtype, tensor_shape.TensorShape(r))]


def _qr_kernel(ctx, op, x):
    xp = ctx.xp
    if xp.ndim(x) < 2:
        raise ValueError(f"input must have rank >= 2, got shape {list(xp.shape(x))}")
    # NumPy's LAPACK has no float16: decompose in float32 and round back.
    work = x.astype(xp.float32) if x.dtype == xp.float16 else x
    q, r = xp.linalg.qr(work, mode="complete" if op._attrs["full_matrices"] else "reduced")
    return q.astype(x.dtype, copy=False), r.astype(x.dtype, copy=False)


register_op("Qr", _qr_infer, kernel=_qr_kernel)


@undo.atomic
def qr(input, full_matrices=False, name=None):  # noqa: A002 - TF1's argument name
    """QR decomposition of the innermost matrices: returns ``(q, r)``."""
    with name_scope(name, "Qr", [input]) as scope:
        x = convert_to_tensor(input, name="input")
        q, r = apply_op("Qr", [x], {"full_matrices": bool(full_matrices)}, name=scope)
        return q, r


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
    return [(dtype, tensor_shape.TensorShape(out))]


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


register_op("DiagPart", _diag_part_infer, kernel=_diag_part_kernel)


@undo.atomic
def diag_part(input, name=None):  # noqa: A002 - TF1's argument name
    """The diagonal of a ``[D1..Dk, D1..Dk]`` tensor (``tf.diag_part``): shape ``[D1..Dk]``."""
    with name_scope(name, "DiagPart", [input]) as scope:
        x = convert_to_tensor(input, name="input")
        return apply_op("DiagPart", [x], name=scope)


# The names ``import scopeflow as tf`` exports from this module.
__all__ = [
    "diag_part",
    "qr",
]
