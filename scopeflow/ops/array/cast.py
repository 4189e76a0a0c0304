"""``Cast`` (``tf.cast``): converting a tensor to another dtype, as TF1 does it (the real
part of complex values, NaN and out-of-range floats to integers as TF on x86), with the
gradient passed back between float and complex types."""

from __future__ import annotations

import numpy as np

from scopeflow.framework import dtypes, errors, undo
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.error_text import kernel_type_name
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.indexed_slices import IndexedSlices
from scopeflow.framework.registry import register_op
from scopeflow.framework.tensor import Tensor
from scopeflow.ops.core.infer import COMPLEX, FLOATS, apply_op
from scopeflow.ops.kernels.quiet import quiet

_INEXACT = FLOATS + COMPLEX


def _cast_infer(inputs, attrs):
    return [(attrs["DstT"], inputs[0].shape)]


def _cast_kernel(ctx, op, x):
    src, dst_type = op.inputs[0].dtype.base_dtype, op._attrs["DstT"]
    if (src == dtypes.string) != (dst_type == dtypes.string):
        raise errors.UnimplementedError(  # TF has no string <-> number Cast kernel
            None,
            op,
            f"Cast {kernel_type_name(src)} to {kernel_type_name(dst_type)} is not supported",
        )
    dst = dst_type.as_numpy_dtype
    if x.dtype.kind == "c" and not op._attrs["DstT"].is_complex:
        x = np.real(x)  # TF keeps the real part
    with quiet():  # nan and out-of-range floats to ints: as TF on x86
        return x.astype(dst)


def _cast_grad(op, grad):
    """Casts between float and complex types pass the gradient back (cast to the source
    type); casts from or to other types have none, as in TF1."""
    src, dst = op.inputs[0].dtype.base_dtype, op._attrs["DstT"]
    if src in _INEXACT and dst in _INEXACT:
        return cast(grad, src)
    return None


register_op(
    "Cast", _cast_infer, kernel=_cast_kernel, grad=_cast_grad, grad_takes_indexed_slices=True
)


def _is_sparse_tensor(x) -> bool:
    """Whether ``x`` is a ``SparseTensor`` (defined in ops/sparse/, above this package)."""
    return not isinstance(x, (Tensor, IndexedSlices)) and hasattr(x, "with_values")


@undo.atomic
def cast(x, dtype, name=None):
    """Casts ``x`` to ``dtype``; returns ``x`` itself (no op, no scope) when it already has
    that dtype. An ``IndexedSlices`` keeps its indices and gets its values cast; so does a
    ``SparseTensor`` (always under a ``Cast`` scope, as in TF1)."""
    dtype = dtypes.as_dtype(dtype).base_dtype
    if isinstance(x, (Tensor, IndexedSlices)) and x.dtype.base_dtype == dtype:
        return x
    if _is_sparse_tensor(x):
        with name_scope(name, "Cast", [x.indices, x.values, x.dense_shape]) as scope:
            return x.with_values(cast(x.values, dtype, name=scope))
    if isinstance(x, IndexedSlices):
        with name_scope(name, "Cast", [x.values, x.indices]) as scope:
            values = cast(x.values, dtype, name=scope)
        return IndexedSlices(values, x.indices, x.dense_shape)
    with name_scope(name, "Cast", [x]) as scope:
        x = convert_to_tensor(x, name="x")
        if x.dtype.base_dtype == dtype:
            return x
        return apply_op("Cast", [x], {"SrcT": x.dtype.base_dtype, "DstT": dtype}, name=scope)


__all__ = ["cast"]
