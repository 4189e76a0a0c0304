"""Matrix functions (``tf.linalg``): ``sqrtm`` (the ``MatrixSquareRoot`` op, with TF's
gradient: a Sylvester equation solved as a Kronecker system), ``logm`` (``MatrixLogarithm``,
complex only, no gradient in TF), ``expm`` (built from other ops as TF builds it: Pade
approximants picked by the 1-norm, scaling and squaring in a ``while_loop``, so gradients
flow) and ``normalize``.

The kernels run SciPy's ``sqrtm``/``logm`` (Schur methods, as Eigen's in TF; values agree to
rounding). Where TF's real square root fails (a negative real eigenvalue) it gives NaN
everywhere, and so does this kernel; a singular matrix (no logarithm) gives NaN, as in TF.
"""

from __future__ import annotations

import warnings

import numpy as np

from scopeflow.framework import dtypes, undo
from scopeflow.framework.constant import constant, convert_to_tensor
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.registry import register_op
from scopeflow.ops.array import basic as array_ops
from scopeflow.ops.array.join import concat, tile
from scopeflow.ops.array.shape import size
from scopeflow.ops.array.slicing import slice as slice_
from scopeflow.ops.array.transpose import matrix_transpose
from scopeflow.ops.control.cond import cond
from scopeflow.ops.control.while_loop import while_loop
from scopeflow.ops.core.infer import apply_op, check_dtype_in, no_gradient
from scopeflow.ops.math import elementwise as math_ops
from scopeflow.ops.math.linalg import eye
from scopeflow.ops.math.linalg_solve import check_square, matrix_solve, square_shape
from scopeflow.ops.math.matmul import matmul
from scopeflow.ops.math.norm import norm
from scopeflow.ops.math.reduction import reduce_max, reduce_prod, reduce_sum
from scopeflow.ops.math.selection import where_v2

_SQRT_TYPES = (dtypes.float64, dtypes.float32, dtypes.float16, dtypes.complex64, dtypes.complex128)
_LOG_TYPES = (dtypes.complex64, dtypes.complex128)


def _matrices(x):
    """``x`` as a stack of matrices in a dtype SciPy takes (float16 as float32)."""
    check_square(x)
    work = x.astype(np.float32) if x.dtype == np.float16 else x
    return work.reshape(int(np.prod(x.shape[:-2])), *x.shape[-2:])


# -- MatrixSquareRoot -----------------------------------------------------------------------


def _sqrtm_infer(inputs, attrs):
    (x,) = inputs
    return [(check_dtype_in("MatrixSquareRoot", "input", x, _SQRT_TYPES), square_shape(x))]


def _sqrtm_kernel(ctx, op, x):
    from scipy.linalg import sqrtm

    out = np.empty(x.shape, x.dtype)
    flat = out.reshape(int(np.prod(x.shape[:-2])), *x.shape[-2:])
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # SciPy's warnings on singular matrices
        for b, matrix in enumerate(_matrices(x)):
            root = sqrtm(matrix) if matrix.size else matrix
            if not np.iscomplexobj(x) and np.iscomplexobj(root):
                # TF's real Schur method: no real square root gives NaN everywhere.
                root = root.real if not np.any(root.imag) else np.full(matrix.shape, np.nan)
            flat[b] = root
    return out


def _kronecker(b1, b2):
    """The Kronecker products of two batches of square matrices, as TF's gradient builds
    them."""
    b1_shape, b2_shape = array_ops.shape(b1), array_ops.shape(b2)
    b1_order, b2_order = b1_shape[-1], b2_shape[-1]
    slice_size = [math_ops.subtract(size(b1_shape), 2)]
    batch = slice_(b1_shape, [0], slice_size)
    b1_reshape_shape = concat([batch, [b1_order], [1], [b1_order], [1]], 0)
    b2_reshape_shape = concat([batch, [1], [b2_order], [1], [b2_order]], 0)
    b1_reshape = array_ops.reshape(b1, b1_reshape_shape)
    b2_reshape = array_ops.reshape(b2, b2_reshape_shape)
    order_prod = b1_order * b2_order
    kprod_shape = concat([batch, [order_prod], [order_prod]], 0)
    return array_ops.reshape(b1_reshape * b2_reshape, kprod_shape)


def _sqrtm_grad(op, grad):
    """TF's: ``dA = R dR + dR R`` (``R`` the root) solved for ``dR`` as
    ``(I (x) R^T + R (x) I) vec(dR) = vec(dA)``."""
    root = op.outputs[0]
    dims = array_ops.shape(root)
    order = dims[-1]
    count = reduce_prod(dims[0:-2])
    identity = eye(order, dtype=root.dtype)
    eye_batch = array_ops.reshape(tile(array_ops.reshape(identity, [-1]), [count]), dims)
    root_transpose = matrix_transpose(root)
    ksum = math_ops.add(_kronecker(eye_batch, root_transpose), _kronecker(root, eye_batch))
    slice_size = [math_ops.subtract(size(dims), 2)]
    batch = slice_(dims, [0], slice_size)
    shape_vec_da = concat([batch, [order * order], [1]], 0)
    vec_da = array_ops.reshape(matrix_transpose(grad), shape_vec_da)
    vec_droot = matrix_solve(ksum, vec_da)
    return matrix_transpose(array_ops.reshape(vec_droot, dims))


register_op("MatrixSquareRoot", _sqrtm_infer, kernel=_sqrtm_kernel, grad=_sqrtm_grad)


@undo.atomic
def sqrtm(input, name=None):  # noqa: A002 - TF's argument name
    """The principal square roots of the square matrices of ``input`` (``tf.matrix_square_root``).

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     print(tf.Session().run(tf.linalg.sqrtm([[4.0, 0.0], [0.0, 9.0]])))
    [[2. 0.]
     [0. 3.]]
    """
    with name_scope(name, "MatrixSquareRoot", [input]) as scope:
        x = convert_to_tensor(input, name="input")
        return apply_op("MatrixSquareRoot", [x], {}, name=scope)


# -- MatrixLogarithm ------------------------------------------------------------------------


def _logm_infer(inputs, attrs):
    (x,) = inputs
    return [(check_dtype_in("MatrixLogarithm", "input", x, _LOG_TYPES), square_shape(x))]


def _logm_kernel(ctx, op, x):
    from scipy.linalg import logm as scipy_logm
    from scipy.linalg import schur

    out = np.empty(x.shape, x.dtype)
    flat = out.reshape(int(np.prod(x.shape[:-2])), *x.shape[-2:])
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # SciPy's warnings on singular matrices
        for b, matrix in enumerate(_matrices(x)):
            if not matrix.size:
                continue
            log = scipy_logm(matrix)
            singular = np.any(np.diagonal(schur(matrix, output="complex")[0]) == 0)
            # log(0) in the Schur form: TF's kernel gives NaN everywhere.
            flat[b] = complex(np.nan, np.nan) if singular or not np.isfinite(log).all() else log
    return out


register_op("MatrixLogarithm", _logm_infer, kernel=_logm_kernel, grad=no_gradient)


@undo.atomic
def logm(input, name=None):  # noqa: A002 - TF's argument name
    """The principal logarithms of the complex square matrices of ``input``; TF registers no
    gradient for it.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     y = tf.linalg.logm(tf.constant([[1.0, 0.0], [0.0, 1.0]], tf.complex64))
    ...     print(tf.Session().run(tf.abs(y)).tolist())
    [[0.0, 0.0], [0.0, 0.0]]
    """
    with name_scope(name, "MatrixLogarithm", [input]) as scope:
        x = convert_to_tensor(input, name="input")
        return apply_op("MatrixLogarithm", [x], {}, name=scope)


# -- expm, as TF builds it ------------------------------------------------------------------

# Pade coefficients b[0..k] of each order, and (TF's) 1-norm thresholds between orders.
_PADE = {
    3: [120.0, 60.0, 12.0],
    5: [30240.0, 15120.0, 3360.0, 420.0, 30.0],
    7: [17297280.0, 8648640.0, 1995840.0, 277200.0, 25200.0, 1512.0, 56.0],
    9: [
        17643225600.0,
        8821612800.0,
        2075673600.0,
        302702400.0,
        30270240.0,
        2162160.0,
        110880.0,
        3960.0,
        90.0,
    ],
    13: [
        64764752532480000.0,
        32382376266240000.0,
        7771770303897600.0,
        1187353796428800.0,
        129060195264000.0,
        10559470521600.0,
        670442572800.0,
        33522128640.0,
        1323241920.0,
        40840800.0,
        960960.0,
        16380.0,
        182.0,
    ],
}


def _pade(matrix, order: int):
    """TF's ``_matrix_exp_pade<order>``: the numerator's odd part ``u`` and even part ``v``."""
    b = [constant(x, matrix.dtype) for x in _PADE[order]]
    rows = array_ops.shape(matrix)[-2]
    ident = eye(rows, batch_shape=array_ops.shape(matrix)[:-2], dtype=matrix.dtype)
    m2 = matmul(matrix, matrix)
    if order == 3:
        return matmul(matrix, m2 + b[1] * ident), b[2] * m2 + b[0] * ident
    m4 = matmul(m2, m2)
    if order == 5:
        u = matmul(matrix, m4 + b[3] * m2 + b[1] * ident)
        return u, b[4] * m4 + b[2] * m2 + b[0] * ident
    m6 = matmul(m4, m2)
    if order == 7:
        u = matmul(matrix, m6 + b[5] * m4 + b[3] * m2 + b[1] * ident)
        return u, b[6] * m6 + b[4] * m4 + b[2] * m2 + b[0] * ident
    if order == 9:
        m8 = matmul(m6, m2)
        u = matmul(matrix, m8 + b[7] * m6 + b[5] * m4 + b[3] * m2 + b[1] * ident)
        return u, b[8] * m8 + b[6] * m6 + b[4] * m4 + b[2] * m2 + b[0] * ident
    tmp_u = (
        matmul(m6, m6 + b[11] * m4 + b[9] * m2) + b[7] * m6 + b[5] * m4 + b[3] * m2 + b[1] * ident
    )
    u = matmul(matrix, tmp_u)
    tmp_v = b[12] * m6 + b[10] * m4 + b[8] * m2
    v = matmul(m6, tmp_v) + b[6] * m6 + b[4] * m4 + b[2] * m2 + b[0] * ident
    return u, v


@undo.atomic
def expm(input, name=None):  # noqa: A002 - TF's argument name
    """The matrix exponentials of the square matrices of ``input``, built from other ops as
    TF builds them (differentiable).

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     y = tf.linalg.expm(tf.constant([[0.0, 1.0], [0.0, 0.0]], tf.float64))
    ...     print(tf.Session().run(y))
    [[1. 1.]
     [0. 1.]]
    """
    with name_scope(name, "matrix_exponential", [input]):
        matrix = convert_to_tensor(input, name="input")
        if matrix.shape.ndims is not None and matrix.shape.as_list()[-2:] == [0, 0]:
            return matrix
        batch_shape = matrix.shape[:-2]
        if not batch_shape.is_fully_defined():
            batch_shape = array_ops.shape(matrix)[:-2]
        matrix = array_ops.reshape(matrix, concat(([-1], array_ops.shape(matrix)[-2:]), axis=0))
        column_sums = reduce_sum(math_ops.abs(matrix), axis=size(array_ops.shape(matrix)) - 2)
        if matrix.shape.ndims is not None:  # TF folds the axis to a constant while inferring
            dims = matrix.shape.as_list()
            column_sums.set_shape(dims[:-2] + dims[-1:])
        l1_norm = reduce_max(column_sums, axis=-1)[..., None, None]

        def const(x):
            return constant(x, l1_norm.dtype)

        def nest_where(vals, cases):
            if len(vals) == 1:
                return where_v2(math_ops.less(l1_norm, const(vals[0])), cases[0], cases[1])
            return where_v2(
                math_ops.less(l1_norm, const(vals[0])), cases[0], nest_where(vals[1:], cases[1:])
            )

        if matrix.dtype.base_dtype in (dtypes.float16, dtypes.float32, dtypes.complex64):
            maxnorm, orders = 3.925724783138660, (3, 5, 7)
            conds = (4.258730016922831e-001, 1.880152677804762e000)
        elif matrix.dtype.base_dtype in (dtypes.float64, dtypes.complex128):
            maxnorm, orders = 5.371920351148152, (3, 5, 7, 9, 13)
            conds = (
                1.495585217958292e-002,
                2.539398330063230e-001,
                9.504178996162932e-001,
                2.097847961257068e000,
            )
        else:
            raise ValueError(f"tf.linalg.expm does not support matrices of type {matrix.dtype}")
        maxnorm = const(maxnorm)
        squarings = math_ops.maximum(
            math_ops.floor(math_ops.log(l1_norm / maxnorm) / math_ops.log(const(2.0))), 0
        )
        pades = [_pade(matrix, k) for k in orders[:-1]]
        scaled = matrix / math_ops.cast(math_ops.pow(const(2.0), squarings), matrix.dtype)
        pades.append(_pade(scaled, orders[-1]))
        u = nest_where(conds, [p[0] for p in pades])
        v = nest_where(conds, [p[1] for p in pades])
        is_finite = math_ops.is_finite(reduce_max(l1_norm))
        nan = constant(np.nan, matrix.dtype)
        result = cond(
            is_finite,
            lambda: matrix_solve(-u + v, u + v),
            lambda: array_ops.fill(array_ops.shape(matrix), nan),
        )
        max_squarings = reduce_max(squarings)
        i = const(0.0)

        def c(i, _):
            return cond(is_finite, lambda: math_ops.less(i, max_squarings), lambda: constant(False))

        def b(i, r):
            return i + 1, where_v2(math_ops.less(i, squarings), matmul(r, r), r)

        _, result = while_loop(c, b, [i, result])
        if not matrix.shape.is_fully_defined():
            return array_ops.reshape(
                result, concat((batch_shape, array_ops.shape(result)[-2:]), axis=0)
            )
        return array_ops.reshape(result, batch_shape.concatenate(matrix.shape[-2:]))


@undo.atomic
def normalize(tensor, ord="euclidean", axis=None, name=None):  # noqa: A002 - TF's name
    """``(tensor / norm, norm)`` with the norm over ``axis`` kept as a dimension.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     unit, length = tf.linalg.normalize([3.0, 4.0])
    ...     print(tf.Session().run([unit, length]))
    [array([0.6, 0.8], dtype=float32), array([5.], dtype=float32)]
    """
    with name_scope(name, "normalize", [tensor]):
        tensor = convert_to_tensor(tensor)
        length = math_ops.cast(norm(tensor, ord, axis, keepdims=True), tensor.dtype)
        return tensor / length, length


__all__ = ["expm", "logm", "normalize", "sqrtm"]
