"""``tf.keras.backend``'s tensor functions: reductions, elementwise math, comparisons, shape
and array manipulation and random tensors, each the TF op (or the few ops) TF1's Keras
builds, so ``K.mean(x, axis=1)`` is a ``Mean`` op and ``K.batch_dot`` a ``BatchMatMulV2``.

>>> import numpy as np, scopeflow as tf
>>> K = tf.keras.backend
>>> with tf.Graph().as_default():
...     x = K.constant(np.arange(6.0).reshape(2, 3))
...     print(K.eval(K.mean(x, axis=1)), K.int_shape(K.batch_dot(x, x, axes=1)))
[1. 4.] (2, 1)
"""

from __future__ import annotations

import builtins

import numpy as np

from scopeflow.framework import dtypes
from scopeflow.framework.constant import constant as _constant
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.keras.backend_config import floatx
from scopeflow.ops.array import basic as array_ops
from scopeflow.ops.array import join
from scopeflow.ops.array import shape as shape_ops
from scopeflow.ops.array.cast import cast as _cast
from scopeflow.ops.array.transpose import transpose as _transpose
from scopeflow.ops.math import clip as clip_ops
from scopeflow.ops.math import composite, reduction
from scopeflow.ops.math import elementwise as math_ops
from scopeflow.ops.math.matmul import matmul
from scopeflow.ops.sparse.dense import sparse_tensor_to_dense
from scopeflow.ops.sparse.tensor import SparseTensor


def _tensor(x):
    return x if isinstance(x, SparseTensor) else convert_to_tensor(x)


def int_shape(x) -> tuple | None:
    """The static shape of ``x`` as a tuple of ints and ``None``s.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     tf.keras.backend.int_shape(tf.placeholder(tf.float32, [None, 3]))
    (None, 3)
    """
    shape = x.shape if hasattr(x, "shape") else np.shape(x)
    if getattr(shape, "ndims", 0) is None:
        return None
    dims = shape.as_list() if hasattr(shape, "as_list") else list(shape)
    return tuple(None if d is None else int(d) for d in dims)


def ndim(x) -> int | None:
    """The rank of ``x``."""
    shape = int_shape(x)
    return None if shape is None else len(shape)


def dtype(x) -> str:
    """The dtype name of ``x`` (``'float32'``)."""
    return x.dtype.base_dtype.name


def cast_to_floatx(x):
    """``x`` as a NumPy array of ``floatx()``."""
    return np.asarray(x, dtype=floatx())


def constant(value, dtype=None, shape=None, name=None):
    """A ``Const`` of ``value`` (``floatx()`` by default)."""
    return _constant(value, dtype=dtype or floatx(), shape=shape, name=name)


def is_sparse(tensor) -> bool:
    """Whether ``tensor`` is a ``SparseTensor``."""
    return isinstance(tensor, SparseTensor)


def to_dense(tensor):
    """A ``SparseTensor`` as a dense tensor; other tensors unchanged."""
    return sparse_tensor_to_dense(tensor) if is_sparse(tensor) else tensor


def shape(x):
    """The dynamic shape of ``x`` (a ``Shape`` op)."""
    return array_ops.shape(x)


def cast(x, dtype):
    """``x`` cast to ``dtype`` (``Cast``)."""
    return _cast(x, dtype)


# -- reductions ----------------------------------------------------------------------------


def _floating(x):
    x = convert_to_tensor(x)
    return _cast(x, floatx()) if x.dtype.base_dtype == dtypes.bool else x


def max(x, axis=None, keepdims=False):  # noqa: A001 - Keras's name
    """The maximum over ``axis`` (``Max``)."""
    return reduction.reduce_max(x, axis, keepdims)


def min(x, axis=None, keepdims=False):  # noqa: A001 - Keras's name
    """The minimum over ``axis`` (``Min``)."""
    return reduction.reduce_min(x, axis, keepdims)


def sum(x, axis=None, keepdims=False):  # noqa: A001 - Keras's name
    """The sum over ``axis`` (``Sum``)."""
    return reduction.reduce_sum(x, axis, keepdims)


def prod(x, axis=None, keepdims=False):
    """The product over ``axis`` (``Prod``)."""
    return reduction.reduce_prod(x, axis, keepdims)


def mean(x, axis=None, keepdims=False):
    """The mean over ``axis`` (``Mean``; booleans as ``floatx()``)."""
    return reduction.reduce_mean(_floating(x), axis, keepdims)


def var(x, axis=None, keepdims=False):
    """The variance over ``axis``."""
    return composite.reduce_variance(_floating(x), axis=axis, keepdims=keepdims)


def std(x, axis=None, keepdims=False):
    """The standard deviation over ``axis``."""
    return composite.reduce_std(_floating(x), axis=axis, keepdims=keepdims)


def any(x, axis=None, keepdims=False):  # noqa: A001 - Keras's name
    """Whether any element over ``axis`` is true (``Any`` of ``x`` cast to bool)."""
    return reduction.reduce_any(_cast(x, dtypes.bool), axis, keepdims)


def all(x, axis=None, keepdims=False):  # noqa: A001 - Keras's name
    """Whether all elements over ``axis`` are true (``All``)."""
    return reduction.reduce_all(_cast(x, dtypes.bool), axis, keepdims)


def argmax(x, axis=-1):
    """The index of the maximum along ``axis`` (``ArgMax``)."""
    return reduction.argmax(x, axis)


def argmin(x, axis=-1):
    """The index of the minimum along ``axis`` (``ArgMin``)."""
    return reduction.argmin(x, axis)


def logsumexp(x, axis=None, keepdims=False):
    """``log(sum(exp(x)))`` over ``axis``, computed stably."""
    return reduction.reduce_logsumexp(x, axis, keepdims)


def cumsum(x, axis=0):
    """The running sum along ``axis`` (``Cumsum``)."""
    return reduction.cumsum(x, axis=axis)


def cumprod(x, axis=0):
    """The running product along ``axis`` (``Cumprod``)."""
    return reduction.cumprod(x, axis=axis)


# -- elementwise ---------------------------------------------------------------------------


def square(x):
    """``Square``."""
    return math_ops.square(x)


def abs(x):  # noqa: A001 - Keras's name
    """``Abs``."""
    return math_ops.abs(x)


def sqrt(x):
    """``Sqrt`` of ``x`` clipped below at 0."""
    x = convert_to_tensor(x)
    return math_ops.sqrt(math_ops.maximum(x, _constant(0.0, dtype=x.dtype.base_dtype)))


def exp(x):
    """``Exp``."""
    return math_ops.exp(x)


def log(x):
    """``Log``."""
    return math_ops.log(x)


def round(x):  # noqa: A001 - Keras's name
    """``Round`` (halves to even)."""
    return math_ops.round(x)


def sign(x):
    """``Sign``."""
    return math_ops.sign(x)


def pow(x, a):  # noqa: A001 - Keras's name
    """``x ** a`` (``Pow``)."""
    return math_ops.pow(x, a)


def clip(x, min_value, max_value):
    """``x`` clipped to ``[min_value, max_value]`` (``None``: unbounded; a ``max_value`` below
    ``min_value`` is raised to it)."""
    if isinstance(min_value, int | float) and isinstance(max_value, int | float):
        max_value = max_value if max_value >= min_value else min_value
    min_value = -np.inf if min_value is None else min_value
    max_value = np.inf if max_value is None else max_value
    return clip_ops.clip_by_value(x, min_value, max_value)


def equal(x, y):
    """``Equal``."""
    return math_ops.equal(x, y)


def not_equal(x, y):
    """``NotEqual``."""
    return math_ops.not_equal(x, y)


def greater(x, y):
    """``Greater``."""
    return math_ops.greater(x, y)


def greater_equal(x, y):
    """``GreaterEqual``."""
    return math_ops.greater_equal(x, y)


def less(x, y):
    """``Less``."""
    return math_ops.less(x, y)


def less_equal(x, y):
    """``LessEqual``."""
    return math_ops.less_equal(x, y)


def maximum(x, y):
    """``Maximum``."""
    return math_ops.maximum(x, y)


def minimum(x, y):
    """``Minimum``."""
    return math_ops.minimum(x, y)


def sin(x):
    """``Sin``."""
    return math_ops.sin(x)


def cos(x):
    """``Cos``."""
    return math_ops.cos(x)


# -- products ------------------------------------------------------------------------------


def _dims_or_tensors(x) -> tuple:
    """Each dimension of ``x``: its static size, else its ``Shape`` entry."""
    dynamic = join.unstack(array_ops.shape(x))
    return tuple(d if d is not None else s for d, s in zip(int_shape(x), dynamic, strict=True))


def dot(x, y):
    """The matrix product of ``x`` and ``y``; for ranks above 2, ``x``'s last axis with ``y``'s
    second to last (as NumPy's ``dot``).

    >>> import numpy as np, scopeflow as tf
    >>> K = tf.keras.backend
    >>> with tf.Graph().as_default():
    ...     print(K.int_shape(K.dot(K.ones((2, 3, 4)), K.ones((5, 4, 6)))))
    (2, 3, 5, 6)
    """
    x, y = _tensor(x), _tensor(y)
    if ndim(x) is not None and (ndim(x) > 2 or ndim(y) > 2):
        x_shape, y_shape = _dims_or_tensors(x), _dims_or_tensors(y)
        perm = list(range(ndim(y)))
        perm = [perm.pop(-2), *perm]
        xt = array_ops.reshape(x, [-1, x_shape[-1]])
        yt = array_ops.reshape(_transpose(y, perm=perm), [y_shape[-2], -1])
        return array_ops.reshape(matmul(xt, yt), x_shape[:-1] + y_shape[:-2] + y_shape[-1:])
    if is_sparse(x):
        raise NotImplementedError(
            "K.dot of a SparseTensor is not supported; use tf.sparse.sparse_dense_matmul."
        )
    return matmul(x, y)


def _batch_dot_axes(x_shape, y_shape, axes) -> list:
    x_ndim, y_ndim = len(x_shape), len(y_shape)
    if x_ndim < 2 or y_ndim < 2:
        raise ValueError(
            "Cannot do batch_dot on inputs with rank < 2. Received inputs with shapes "
            f"{x_shape} and {y_shape}."
        )
    if x_shape[0] is not None and y_shape[0] is not None and x_shape[0] != y_shape[0]:
        raise ValueError(
            "Cannot do batch_dot on inputs with different batch sizes. Received inputs with "
            f"shapes {x_shape} and {y_shape}."
        )
    if isinstance(axes, int):
        axes = [axes, axes]
    if axes is None:
        axes = [x_ndim - 1, y_ndim - 1] if y_ndim == 2 else [x_ndim - 1, y_ndim - 2]
    if builtins.any(isinstance(a, list | tuple) for a in axes):
        raise ValueError(
            "Multiple target dimensions are not supported. Expected: None, int, (int, int), "
            f"Provided: {axes}"
        )
    axes = [
        axes[0] + x_ndim if axes[0] < 0 else axes[0],
        axes[1] + y_ndim if axes[1] < 0 else axes[1],
    ]
    if 0 in axes:
        raise ValueError(
            "Cannot perform batch_dot over axis 0. If your inputs are not batched, add a dummy "
            "batch dimension to your inputs using K.expand_dims(x, 0)"
        )
    d1, d2 = x_shape[axes[0]], y_shape[axes[1]]
    if d1 is not None and d2 is not None and d1 != d2:
        raise ValueError(
            f"Cannot do batch_dot on inputs with shapes {x_shape} and {y_shape} with "
            f"axes={axes}. x.shape[{axes[0]}] != y.shape[{axes[1]}] ({d1} != {d2})."
        )
    return axes


def batch_dot(x, y, axes=None):
    """The dot product of each example of ``x`` with the same example of ``y``, over
    ``axes`` (default: ``x``'s last and ``y``'s second to last, or last for a matrix)."""
    x, y = convert_to_tensor(x), convert_to_tensor(y)
    a0, a1 = _batch_dot_axes(int_shape(x), int_shape(y), axes)
    x_ndim = orig_x_ndim = ndim(x)
    y_ndim = orig_y_ndim = ndim(y)
    if x_ndim == 2:
        x, a0, x_ndim = shape_ops.expand_dims(x, 1), a0 + 1, x_ndim + 1
    if y_ndim == 2:
        y, y_ndim = shape_ops.expand_dims(y, 2), y_ndim + 1
    if a0 != x_ndim - 1:
        pattern = list(range(x_ndim))
        pattern[a0:-1] = pattern[a0 + 1 :]
        pattern[-1] = a0
        x = _transpose(x, pattern)
    if a1 != 1:
        pattern = list(range(y_ndim))
        pattern[2 : a1 + 1] = pattern[1:a1]
        pattern[1] = a1
        y = _transpose(y, pattern)
    x_mid = y_trail = None
    if x_ndim > 3:
        x_shape = array_ops.shape(x)
        x_mid = x_shape[1:-1]
        x = array_ops.reshape(x, array_ops.stack([x_shape[0], -1, x_shape[-1]]))
    if y_ndim > 3:
        y_shape = array_ops.shape(y)
        y_trail = y_shape[2:]
        y = array_ops.reshape(y, array_ops.stack([y_shape[0], y_shape[1], -1]))
    result = matmul(x, y)
    output_shape = array_ops.shape(result)
    if x_mid is not None:
        output_shape = join.concat([output_shape[:1], x_mid, output_shape[-1:]], 0)
    if y_trail is not None:
        output_shape = join.concat([output_shape[:-1], y_trail], 0)
    if x_mid is not None or y_trail is not None:
        result = array_ops.reshape(result, output_shape)
    if orig_x_ndim == 2:
        return shape_ops.squeeze(result, [1])
    if orig_y_ndim == 2:
        return shape_ops.squeeze(result, [-1])
    return result


__all__ = [
    "abs",
    "all",
    "any",
    "argmax",
    "argmin",
    "batch_dot",
    "cast",
    "cast_to_floatx",
    "clip",
    "constant",
    "cos",
    "cumprod",
    "cumsum",
    "dot",
    "dtype",
    "equal",
    "exp",
    "greater",
    "greater_equal",
    "int_shape",
    "is_sparse",
    "less",
    "less_equal",
    "log",
    "logsumexp",
    "max",
    "maximum",
    "mean",
    "min",
    "minimum",
    "ndim",
    "not_equal",
    "pow",
    "prod",
    "round",
    "shape",
    "sign",
    "sin",
    "sqrt",
    "square",
    "std",
    "sum",
    "to_dense",
    "var",
]
