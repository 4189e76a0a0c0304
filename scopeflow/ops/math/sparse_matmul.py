"""``tf.sparse_matmul`` (``SparseMatMul``): a float32 matrix product whose inputs may be
float32 or bfloat16, with hints that one of them is mostly zeros (the NumPy kernel does not
need them; they are kept in the graph and in the gradient's ops as TF keeps them)."""

from __future__ import annotations

import numpy as np

from scopeflow.framework import dtypes, tensor_shape, undo
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.registry import register_op
from scopeflow.ops.array.cast import cast
from scopeflow.ops.core.infer import apply_op, check_dtype_in

_TYPES = (dtypes.float32, dtypes.bfloat16)


def _dim(t, index: int, transposed: bool):
    if t.shape.ndims is None:
        return None
    return t.shape.as_list()[1 - index if transposed else index]


def _sparse_matmul_infer(inputs, attrs):
    a, b = inputs
    check_dtype_in("SparseMatMul", "a", a, _TYPES)
    check_dtype_in("SparseMatMul", "b", b, _TYPES)
    for t in (a, b):
        if t.shape.ndims is not None and t.shape.ndims != 2:
            raise ValueError(f"Shape must be rank 2 but is rank {t.shape.ndims}")
    inner_a = _dim(a, 1, attrs["transpose_a"])
    inner_b = _dim(b, 0, attrs["transpose_b"])
    if None not in (inner_a, inner_b) and inner_a != inner_b:
        raise ValueError(f"Dimensions must be equal, but are {inner_a} and {inner_b}")
    m, n = _dim(a, 0, attrs["transpose_a"]), _dim(b, 1, attrs["transpose_b"])
    return [(dtypes.float32, tensor_shape.TensorShape([m, n]))]


def _sparse_matmul_kernel(ctx, op, a, b):
    a = np.asarray(a, np.float32)
    b = np.asarray(b, np.float32)
    a = a.T if op._attrs["transpose_a"] else a
    b = b.T if op._attrs["transpose_b"] else b
    if a.shape[1] != b.shape[0]:
        raise ValueError(
            f"Matrix size-incompatible: In[0]: {list(a.shape)}, In[1]: {list(b.shape)}"
        )
    return np.matmul(a, b)


def _sparse_matmul_grad(op, grad):
    """For ``c = op(a) @ op(b)``: products of ``grad`` with the other input, each a
    ``SparseMatMul`` carrying its inputs' sparsity hints, cast back to the inputs' types."""
    ta, tb = op._attrs["transpose_a"], op._attrs["transpose_b"]
    a, b = op.inputs
    sparse = {id(a): op._attrs["a_is_sparse"], id(b): op._attrs["b_is_sparse"], id(grad): False}

    def product(x, y, dtype, transpose_x=False, transpose_y=False):
        out = sparse_matmul(
            x, y, transpose_x, transpose_y, a_is_sparse=sparse[id(x)], b_is_sparse=sparse[id(y)]
        )
        return out if dtype == dtypes.float32 else cast(out, dtype)

    da, db = a.dtype.base_dtype, b.dtype.base_dtype
    if not ta and not tb:
        return product(grad, b, da, transpose_y=True), product(a, grad, db, transpose_x=True)
    if not ta:
        return product(grad, b, da), product(grad, a, db, transpose_x=True)
    if not tb:
        return product(b, grad, da, transpose_y=True), product(a, grad, db)
    return (
        product(b, grad, da, transpose_x=True, transpose_y=True),
        product(grad, a, db, transpose_x=True, transpose_y=True),
    )


register_op(
    "SparseMatMul", _sparse_matmul_infer, kernel=_sparse_matmul_kernel, grad=_sparse_matmul_grad
)


@undo.atomic
def sparse_matmul(
    a, b, transpose_a=False, transpose_b=False, a_is_sparse=False, b_is_sparse=False, name=None
):
    """``tf.sparse_matmul``: ``a @ b`` (each optionally transposed) as float32, for float32
    or bfloat16 matrices; ``a_is_sparse``/``b_is_sparse`` are hints.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     print(tf.Session().run(tf.sparse_matmul([[1.0, 0.0]], [[2.0], [3.0]])))
    [[2.]]
    """
    with name_scope(name, "SparseMatMul", [a, b]) as scope:
        a = convert_to_tensor(a, name="a")
        b = convert_to_tensor(b, name="b")
        attrs = {
            "transpose_a": bool(transpose_a),
            "transpose_b": bool(transpose_b),
            "a_is_sparse": bool(a_is_sparse),
            "b_is_sparse": bool(b_is_sparse),
            "Ta": a.dtype.base_dtype,
            "Tb": b.dtype.base_dtype,
        }
        return apply_op("SparseMatMul", [a, b], attrs, name=scope)


__all__ = ["sparse_matmul"]
