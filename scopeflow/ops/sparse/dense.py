"""Sparse with dense: ``SparseToDense`` (``sparse_to_dense``, ``tf.sparse.to_dense``),
``tf.sparse.from_dense``, the product ``SparseTensorDenseMatMul``, the sum
``SparseTensorDenseAdd`` and the element-wise ``SparseDenseCwiseMul``/``Div`` behind a
``SparseTensor``'s ``*`` and ``/``."""

from __future__ import annotations

import numpy as np

from scopeflow.framework import dtypes, tensor_shape, undo
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.registry import NOT_DIFFERENTIABLE, register_op
from scopeflow.framework.tensor import Tensor
from scopeflow.ops.array.basic import ones, shape, zeros
from scopeflow.ops.array.cast import cast
from scopeflow.ops.array.gather import gather, gather_nd
from scopeflow.ops.array.join import concat
from scopeflow.ops.array.shape import expand_dims, size, squeeze, zeros_like
from scopeflow.ops.array.slicing import slice as slice_
from scopeflow.ops.array.transpose import matrix_transpose, transpose
from scopeflow.ops.core.infer import (
    INDEX,
    apply_op,
    check_dtype_in,
    check_same_dtype,
    int_operand,
    shape_value,
)
from scopeflow.ops.math.elementwise import conj, negative, not_equal, square
from scopeflow.ops.math.matmul import matmul
from scopeflow.ops.math.reduction import reduce_sum
from scopeflow.ops.math.selection import where_v2
from scopeflow.ops.sparse.rows import check_valid_order, index_text, out_of_bounds
from scopeflow.ops.sparse.tensor import (
    SparseTensor,
    as_sparse,
    is_sparse,
    shaped_like_inputs,
    with_rank,
)

TensorShape = tensor_shape.TensorShape


# -- SparseToDense ------------------------------------------------------------------------


def _to_dense_infer(inputs, attrs):
    indices, output_shape, values, default = inputs
    check_dtype_in("SparseToDense", "sparse_indices", indices, INDEX)
    check_same_dtype("SparseToDense", ("sparse_indices", "output_shape"), [indices, output_shape])
    dtype = check_same_dtype("SparseToDense", ("sparse_values", "default_value"), [values, default])
    with_rank(indices, 0, 2)
    with_rank(values, 0, 1)
    with_rank(default, 0, 0)
    return [(dtype, shape_value(output_shape))]


def _to_dense_kernel(ctx, op, indices, output_shape, values, default):
    if indices.ndim > 2:
        raise ValueError(
            "sparse_indices should be a scalar, vector, or matrix, got shape "
            f"{index_text(indices.shape)}"
        )
    if output_shape.ndim != 1:
        raise ValueError(f"output_shape must be rank 1, got shape {index_text(output_shape.shape)}")
    count = indices.shape[0] if indices.ndim else 1
    rank = indices.shape[1] if indices.ndim == 2 else 1
    if values.ndim > 1 or (values.ndim == 1 and len(values) != count):
        raise ValueError(
            f"sparse_values has incorrect shape {index_text(values.shape)}, should be [] or "
            f"[{count}]"
        )
    if default.ndim:
        raise ValueError("default_value should be a scalar.")
    if len(output_shape) != rank:
        raise ValueError(
            f"output_shape has incorrect number of elements: {len(output_shape)} should be: {rank}"
        )
    if (output_shape < 0).any():
        raise ValueError(f"Dimension {int(output_shape[output_shape < 0][0])} must be >= 0")
    rows = indices.reshape(count, rank).astype(np.int64, copy=False)
    dims = tuple(int(d) for d in output_shape)
    if op._attrs["validate_indices"]:
        check_valid_order(rows, dims)
    elif out_of_bounds(rows, dims).any():
        raise ValueError(f"Indices are not valid (out of bounds).  Shape: {index_text(dims)}")
    out = np.full(dims, default, dtype=values.dtype)
    out[tuple(rows.T)] = values
    return out


@shaped_like_inputs
def _to_dense_grad(op, grad):
    indices, output_shape, _, _ = op.inputs
    values_grad = gather_nd(grad, indices)
    default_grad = reduce_sum(grad) - reduce_sum(values_grad)
    return [zeros_like(indices), zeros_like(output_shape), values_grad, default_grad]


register_op("SparseToDense", _to_dense_infer, kernel=_to_dense_kernel, grad=_to_dense_grad)


def _to_dense(indices, output_shape, values, default_value, validate_indices, name):
    with name_scope(name, "SparseToDense", [indices, output_shape, values]) as scope:
        indices = int_operand(indices, "sparse_indices")
        output_shape = _convert_like(output_shape, indices.dtype, "output_shape")
        values = convert_to_tensor(values, name="sparse_values")
        default = _convert_like(default_value, values.dtype, "default_value")
        attrs = {"validate_indices": bool(validate_indices)}
        return apply_op("SparseToDense", [indices, output_shape, values, default], attrs, scope)


def _convert_like(value, dtype, name: str) -> Tensor:
    """A tensor as it is (the op checks its dtype), anything else as ``dtype``."""
    if isinstance(value, Tensor):
        return value
    return convert_to_tensor(value, dtype=dtype.base_dtype, name=name)


@undo.atomic
def sparse_to_dense(
    sparse_indices, output_shape, sparse_values, default_value=0, validate_indices=True, name=None
):
    """A dense tensor of ``output_shape`` holding ``sparse_values`` (one per row of
    ``sparse_indices``, or one for all) and ``default_value`` elsewhere.

    With ``validate_indices``, indices must be in bounds, sorted and unique (else the run
    fails with ``InvalidArgumentError``); without it, only in bounds.
    """
    return _to_dense(
        sparse_indices, output_shape, sparse_values, default_value, validate_indices, name
    )


@undo.atomic
def sparse_tensor_to_dense(sp_input, default_value=None, validate_indices=True, name=None):
    """The dense value of ``sp_input`` (``default_value``, else 0, where it has no value).

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     sp = tf.SparseTensor([[0, 1], [1, 0]], [5, 7], [2, 2])
    ...     print(tf.Session().run(tf.sparse.to_dense(sp, default_value=-1)))
    [[-1  5]
     [ 7 -1]]
    """
    sp = as_sparse(sp_input)
    if default_value is None:
        default_value = zeros([], dtype=sp.dtype)
    return _to_dense(sp.indices, sp.dense_shape, sp.values, default_value, validate_indices, name)


@undo.atomic
def from_dense(tensor, name=None) -> SparseTensor:
    """The non-zero elements of ``tensor`` as a ``SparseTensor`` (row-major order)."""
    with name_scope(name, "dense_to_sparse", [tensor]):
        tensor = convert_to_tensor(tensor)
        indices = where_v2(not_equal(tensor, zeros_like(tensor)))
        values = gather_nd(tensor, indices)
        return SparseTensor(indices, values, shape(tensor, out_type=dtypes.int64))


# -- SparseTensorDenseMatMul --------------------------------------------------------------


def _matmul_infer(inputs, attrs):
    a_indices, a_values, a_shape, b = inputs
    check_dtype_in("SparseTensorDenseMatMul", "a_indices", a_indices, INDEX)
    dtype = check_same_dtype("SparseTensorDenseMatMul", ("a_values", "b"), [a_values, b])
    with_rank(a_indices, 2)
    with_rank(a_values, 1)
    b_dims = with_rank(b, 2).as_list()
    a_dims = shape_value(a_shape).with_rank(2).as_list()
    rows, inner = a_dims[::-1] if attrs["adjoint_a"] else a_dims
    b_inner, cols = b_dims[::-1] if attrs["adjoint_b"] else b_dims
    if inner is not None and b_inner is not None and inner != b_inner:
        raise ValueError(f"Dimensions must be equal, but are {inner} and {b_inner}")
    return [(dtype, TensorShape([rows, cols]))]


def _matmul_kernel(ctx, op, indices, values, a_shape, b):
    adjoint_a, adjoint_b = op._attrs["adjoint_a"], op._attrs["adjoint_b"]
    if b.ndim != 2:
        raise ValueError("Tensor 'b' is not a matrix")
    if a_shape.shape != (2,):
        raise ValueError("Tensor 'a_shape' must have 2 elements")
    if indices.ndim != 2 or indices.shape[1] != 2:
        raise ValueError(f"Tensor 'a_indices' is not a matrix of 2 columns: {indices.shape}")
    if values.shape != (len(indices),):
        raise ValueError("Number of rows of a_indices does not match number of entries in a_values")
    row_col, inner_col = (1, 0) if adjoint_a else (0, 1)
    rows, inner = int(a_shape[row_col]), int(a_shape[inner_col])
    b = b.T.conj() if adjoint_b else b
    if inner != b.shape[0]:
        raise ValueError(
            f"Cannot multiply A and B because inner dimension does not match: {inner} vs. "
            f"{b.shape[0]}.  Did you forget a transpose?  Dimensions of A: [{rows}, {inner}).  "
            f"Dimensions of B: {index_text(b.shape)}"
        )
    m, k = indices[:, row_col], indices[:, inner_col]
    bad_k, bad_m = (k < 0) | (k >= inner), (m < 0) | (m >= rows)
    if (bad_k | bad_m).any():
        i = int(np.argmax(bad_k | bad_m))
        what, value, col, limit = (
            ("k", k, inner_col, inner) if bad_k[i] else ("m", m, row_col, rows)
        )
        raise ValueError(
            f"{what} ({int(value[i])}) from index[{i},{col}] out of bounds (>={limit})"
        )
    return _sparse_matmul(m, k, values.conj() if adjoint_a else values, b, rows)


def _sparse_matmul(rows, cols, values, b, m: int) -> np.ndarray:
    """``A @ b`` for the ``m``-row matrix ``A`` holding ``values`` at ``(rows, cols)``
    (repeated positions add up): SciPy's CSR product for float32/64 and complex values."""
    if values.dtype.kind in "fc" and values.dtype.itemsize >= 4:
        from scipy import sparse

        a = sparse.csr_matrix((values, (rows, cols)), shape=(m, b.shape[0]))
        return np.asarray(a @ b, dtype=b.dtype)
    out = np.zeros((m, b.shape[1]), b.dtype)
    np.add.at(out, rows, values[:, None] * b[cols])
    return out


@shaped_like_inputs
def _matmul_grad(op, grad):
    """TF1's: ``b``'s gradient is the adjoint product with ``grad``; each value's is the dot
    product of ``grad``'s and ``b``'s rows (or columns) at its position."""
    a_indices, a_values, a_shape, b = op.inputs
    adjoint_a, adjoint_b = op._attrs["adjoint_a"], op._attrs["adjoint_b"]
    b_grad = apply_op(
        "SparseTensorDenseMatMul",
        [a_indices, a_values, a_shape, grad],
        {"adjoint_a": not adjoint_a, "adjoint_b": False},
        name="SparseTensorDenseMatMul",
    )
    if adjoint_b:  # the conjugate transpose
        b_grad = matrix_transpose(conj(b_grad) if b_grad.dtype.is_complex else b_grad)
    rows, cols = a_indices[:, 0], a_indices[:, 1]
    parts_a = gather(grad, cols if adjoint_a else rows)
    parts_b = gather(transpose(b) if adjoint_b else b, rows if adjoint_a else cols)
    a_axis, b_axis = (-1 if adjoint_a else -2), (-1 if adjoint_a != adjoint_b else -2)
    values_grad = matmul(
        expand_dims(parts_a, a_axis),
        expand_dims(parts_b, b_axis),
        adjoint_a=adjoint_a,
        adjoint_b=adjoint_a == adjoint_b,
    )
    return [None, squeeze(values_grad, axis=[-2, -1]), None, b_grad]


register_op("SparseTensorDenseMatMul", _matmul_infer, kernel=_matmul_kernel, grad=_matmul_grad)


@undo.atomic
def sparse_tensor_dense_matmul(sp_a, b, adjoint_a=False, adjoint_b=False, name=None):
    """The matrix product of the 2-D ``SparseTensor`` ``sp_a`` and the dense matrix ``b``
    (each optionally conjugate-transposed); with ``b`` sparse and ``sp_a`` dense, the same
    product through transposes, as TF1 does.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     adjacency = tf.SparseTensor([[0, 1], [1, 0]], [1.0, 2.0], [2, 2])
    ...     print(tf.Session().run(tf.sparse_tensor_dense_matmul(adjacency, [[1.0], [3.0]])))
    [[3.]
     [2.]]
    """
    if is_sparse(b):  # (A @ B)^T = B^T @ A^T: the sparse one goes first
        if adjoint_a != adjoint_b:
            return transpose(sparse_tensor_dense_matmul(b, sp_a, adjoint_a, adjoint_b))
        return transpose(sparse_tensor_dense_matmul(b, sp_a, not adjoint_a, not adjoint_b))
    sp_a = as_sparse(sp_a)
    with name_scope(name, "SparseTensorDenseMatMul", [sp_a.indices, sp_a.values, b]):
        b = convert_to_tensor(b, name="b")
        inputs = [sp_a.indices, sp_a.values, sp_a.dense_shape, b]
        attrs = {"adjoint_a": bool(adjoint_a), "adjoint_b": bool(adjoint_b)}
        return apply_op("SparseTensorDenseMatMul", inputs, attrs, "SparseTensorDenseMatMul")


# -- SparseTensorDenseAdd -----------------------------------------------------------------


def _dense_add_infer(inputs, attrs):
    a_indices, a_values, a_shape, b = inputs
    check_dtype_in("SparseTensorDenseAdd", "a_indices", a_indices, INDEX)
    dtype = check_same_dtype("SparseTensorDenseAdd", ("a_values", "b"), [a_values, b])
    with_rank(a_indices, 2)
    with_rank(a_values, 1)
    return [(dtype, b.shape)]


def _dense_add_kernel(ctx, op, indices, values, a_shape, b):
    if len(a_shape) != b.ndim:
        raise ValueError(
            f"Two operands have different ranks; received: {len(a_shape)} and {b.ndim}"
        )
    for d, (mine, theirs) in enumerate(zip(a_shape.tolist(), b.shape, strict=True)):
        if mine != theirs:
            raise ValueError(
                f"Dimension {d} does not equal (no broadcasting is supported): sparse side "
                f"{mine} vs dense side {theirs}"
            )
    bad = (indices < 0) | (indices >= np.asarray(b.shape, np.int64))
    if bad.any():
        i, d = (int(v) for v in np.argwhere(bad)[0])
        raise ValueError(
            f"Sparse tensor has an invalid index on dimension {d}: a_indices({i},{d}) = "
            f"{int(indices[i, d])}, dense tensor shape: {' '.join(str(n) for n in b.shape)}"
        )
    if not b.ndim:  # every value adds to the one element
        return b + values.sum(dtype=b.dtype)
    out = b.copy()
    np.add.at(out, tuple(indices.T), values)
    return out


@shaped_like_inputs
def _dense_add_grad(op, grad):
    return [None, gather_nd(grad, op.inputs[0]), None, grad]


register_op(
    "SparseTensorDenseAdd", _dense_add_infer, kernel=_dense_add_kernel, grad=_dense_add_grad
)


def sparse_dense_add(sp: SparseTensor, dense) -> Tensor:
    """``SparseTensorDenseAdd``: ``dense`` plus the values of ``sp`` (same shape)."""
    with name_scope(None, "SparseTensorDenseAdd", [sp.indices, sp.values, dense]) as scope:
        dense = _convert_like(dense, sp.dtype, "b")
        inputs = [sp.indices, sp.values, sp.dense_shape, dense]
        return apply_op("SparseTensorDenseAdd", inputs, name=scope)


# -- SparseDenseCwiseMul / SparseDenseCwiseDiv: a SparseTensor's * and / ---------------------


def _cwise_infer(op_type: str):
    def infer(inputs, attrs):
        sp_indices, sp_values, _, dense = inputs
        check_dtype_in(op_type, "sp_indices", sp_indices, (dtypes.int64,))
        dtype = check_same_dtype(op_type, ("sp_values", "dense"), [sp_values, dense])
        count = with_rank(sp_indices, 2)[0].merge_with(with_rank(sp_values, 1)[0])
        return [(dtype, TensorShape([count]))]

    return infer


def _gathered_dense(indices, dims, dense) -> np.ndarray:
    """The elements of ``dense`` broadcast to ``dims`` at the rows of ``indices``."""
    dims = tuple(int(d) for d in dims)
    try:
        fits = dense.ndim <= len(dims) and np.broadcast_shapes(dense.shape, dims) == dims
    except ValueError:
        fits = False
    if not fits:
        raise ValueError(
            "SparseDenseBinaryOpShared broadcasts dense to sparse only; got incompatible "
            f"shapes: {index_text(dims)} vs. {index_text(dense.shape)}"
        )
    if out_of_bounds(indices, dims).any():
        raise ValueError(
            "Provided indices are out-of-bounds w.r.t. dense side with broadcasted shape"
        )
    return np.broadcast_to(dense, dims)[tuple(indices.T)]


def _cwise_mul_kernel(ctx, op, indices, values, dims, dense):
    return values * _gathered_dense(indices, dims, dense)


def _cwise_add_kernel(ctx, op, indices, values, dims, dense):
    return values + _gathered_dense(indices, dims, dense)


def _cwise_div_kernel(ctx, op, indices, values, dims, dense):
    divisors = _gathered_dense(indices, dims, dense)
    if (divisors == 0).any():
        raise ValueError(
            "SparseDenseCwiseDiv cannot divide by zero,but input dense tensor contains zero "
        )
    if values.dtype.kind in "iu":  # C++'s integer division truncates towards zero
        return (values / divisors).astype(values.dtype)
    return values / divisors


def _cwise_grad(is_mul: bool):
    """TF1's gradient of ``SparseDenseCwiseMul``/``Div``: the dense side's elements are found
    by dividing each index by the broadcast scaling, and its gradient is scatter-added back
    (``SparseTensorDenseAdd``: several values may share one dense element)."""

    @shaped_like_inputs
    def grad_fn(op, grad):
        x_indices, x_values, x_shape, y = op.inputs
        y_shape = cast(shape(y), dtypes.int64)
        added_dims = expand_dims(size(x_shape) - size(y_shape), 0)
        augmented_y_shape = concat([ones(added_dims, dtypes.int64), y_shape], 0)
        scaled_indices = x_indices // (x_shape // augmented_y_shape)
        scaled_indices = slice_(scaled_indices, concat([[0], added_dims], 0), [-1, -1])
        dense_values = gather_nd(y, scaled_indices)
        if is_mul:
            dx, dy_values = grad * dense_values, grad * x_values
        else:
            dx = grad / dense_values
            dy_values = grad * (negative(x_values) / square(dense_values))
        dy = sparse_dense_add(SparseTensor(scaled_indices, dy_values, y_shape), zeros_like(y))
        return [None, dx, None, dy]

    return grad_fn


register_op(
    "SparseDenseCwiseMul",
    _cwise_infer("SparseDenseCwiseMul"),
    kernel=_cwise_mul_kernel,
    grad=_cwise_grad(is_mul=True),
)
register_op(
    "SparseDenseCwiseDiv",
    _cwise_infer("SparseDenseCwiseDiv"),
    kernel=_cwise_div_kernel,
    grad=_cwise_grad(is_mul=False),
)

# TF1's gradient of SparseDenseCwiseAdd raises NotImplementedError; it only appears inside
# SparseSoftmax's gradient
register_op(
    "SparseDenseCwiseAdd",
    _cwise_infer("SparseDenseCwiseAdd"),
    kernel=_cwise_add_kernel,
    grad=NOT_DIFFERENTIABLE,
)


def sparse_dense_cwise_add(sp: SparseTensor, dense) -> SparseTensor:
    """``sp`` with ``dense`` (broadcast to its dense shape) added to its values: TF1's
    ``sparse_ops.sparse_dense_cwise_add``."""
    inputs = [sp.indices, sp.values, sp.dense_shape, dense]
    return SparseTensor(sp.indices, apply_op("SparseDenseCwiseAdd", inputs), sp.dense_shape)


def _cwise_operator(op_type: str, op_name: str):
    """``sp <op> dense`` as TF1 overloads it: the values combined with ``dense`` broadcast to
    the dense shape, in a new ``SparseTensor`` with the same indices."""

    def operator(sp_x, y):
        with name_scope(None, op_name, [sp_x.indices, sp_x.values, y]) as scope:
            y = convert_to_tensor(y, dtype=sp_x.dtype.base_dtype, name="y")
            inputs = [sp_x.indices, sp_x.values, sp_x.dense_shape, y]
            values = apply_op(op_type, inputs, name=scope)
            return SparseTensor(sp_x.indices, values, sp_x.dense_shape)

    operator.__name__ = f"__{op_name}__"
    return undo.atomic(operator)


SparseTensor.__mul__ = _cwise_operator("SparseDenseCwiseMul", "mul")
SparseTensor.__truediv__ = _cwise_operator("SparseDenseCwiseDiv", "truediv")


# The names ``import scopeflow as tf`` exports from this module.
__all__ = [
    "sparse_tensor_dense_matmul",
    "sparse_tensor_to_dense",
    "sparse_to_dense",
]
