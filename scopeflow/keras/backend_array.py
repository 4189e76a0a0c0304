"""``tf.keras.backend``'s array functions: joining, reshaping, repeating, padding and
random tensors, as TF1's Keras builds them.

>>> import numpy as np, scopeflow as tf
>>> K = tf.keras.backend
>>> with tf.Graph().as_default():
...     x = K.constant([[1.0, 2.0]])
...     print(K.eval(K.repeat_elements(x, 2, axis=1)), K.int_shape(K.repeat(x, 3)))
[[1. 1. 2. 2.]] (1, 3, 2)
"""

from __future__ import annotations

import builtins

import numpy as np

from scopeflow.framework.constant import constant as _constant
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.keras.backend_config import floatx
from scopeflow.keras.backend_math import is_sparse, ndim, prod, shape, to_dense
from scopeflow.ops.array import basic as array_ops
from scopeflow.ops.array import join, pad
from scopeflow.ops.array import shape as shape_ops
from scopeflow.ops.array.cast import cast as _cast
from scopeflow.ops.array.gather import gather as _gather
from scopeflow.ops.array.gather import one_hot as _one_hot
from scopeflow.ops.array.transpose import transpose as _transpose
from scopeflow.ops.math.selection import where_v2
from scopeflow.ops.math.sequence import range as _range
from scopeflow.ops.random import sampling
from scopeflow.ops.sparse.combine import sparse_concat

# -- shapes and arrays ---------------------------------------------------------------------


def transpose(x):
    """``x`` with its axes reversed (``Transpose``)."""
    return _transpose(x)


def gather(reference, indices):
    """Rows ``indices`` of ``reference`` (``GatherV2``)."""
    return _gather(reference, indices)


def concatenate(tensors, axis=-1):
    """``tensors`` joined along ``axis`` (sparse ones with ``SparseConcat``)."""
    if axis < 0:
        rank = ndim(tensors[0])
        axis = axis % rank if rank else 0
    if tensors and builtins.all(is_sparse(x) for x in tensors):
        return sparse_concat(axis, list(tensors))
    return join.concat([to_dense(x) for x in tensors], axis)


def reshape(x, shape):
    """``Reshape``."""
    return array_ops.reshape(x, shape)


def permute_dimensions(x, pattern):
    """``x`` with its axes in the order ``pattern`` (``Transpose``)."""
    return _transpose(x, perm=pattern)


def repeat_elements(x, rep, axis):
    """Each slice of ``x`` along ``axis`` repeated ``rep`` times (as ``np.repeat``)."""
    x = convert_to_tensor(x)
    size = x.shape.as_list()[axis]
    if size is not None:
        pieces = join.split(x, size, axis=axis)
        return concatenate([s for s in pieces for _ in range(rep)], axis)
    auxiliary = axis + 1
    reps = np.ones(x.shape.ndims + 1, np.int32)
    reps[auxiliary] = rep
    tiled = join.tile(shape_ops.expand_dims(x, auxiliary), reps)
    reps = np.delete(reps, auxiliary)
    reps[axis] = rep
    result = array_ops.reshape(tiled, array_ops.shape(x) * _constant(reps, dtype="int32"))
    result.set_shape(x.shape)
    return result


def repeat(x, n):
    """A ``[batch, dim]`` tensor as ``[batch, n, dim]``, each row repeated ``n`` times."""
    if ndim(x) != 2:
        raise AssertionError(f"K.repeat expects a 2D tensor, got {ndim(x)}D.")
    return join.tile(shape_ops.expand_dims(x, 1), array_ops.stack([1, n, 1]))


def arange(start, stop=None, step=1, dtype="int32"):
    """``[start, stop)`` by ``step`` (one argument: ``[0, start)``) as ``dtype``."""
    if stop is None and start < 0:
        start = 0
    result = _range(start, limit=stop, delta=step, name="arange")
    return result if dtype == "int32" else _cast(result, dtype)


def tile(x, n):
    """``x`` repeated ``n`` times along each axis (an int: along the only one)."""
    return join.tile(x, [n] if isinstance(n, int) else n)


def flatten(x):
    """``x`` as one dimension."""
    return array_ops.reshape(x, [-1])


def batch_flatten(x):
    """Each example of ``x`` flattened: ``[batch, -1]``."""
    return array_ops.reshape(x, array_ops.stack([-1, prod(shape(x)[1:])]))


def expand_dims(x, axis=-1):
    """``ExpandDims``."""
    return shape_ops.expand_dims(x, axis)


def squeeze(x, axis):
    """``x`` without its size-1 axis ``axis``."""
    return shape_ops.squeeze(x, [axis])


def temporal_padding(x, padding=(1, 1)):
    """Zeros before and after the steps of a ``[batch, steps, features]`` tensor."""
    return pad.pad(x, [[0, 0], list(padding), [0, 0]])


def spatial_2d_padding(x, padding=((1, 1), (1, 1)), data_format=None):
    """Zeros around the rows and columns of NHWC images."""
    _channels_last(data_format)
    return pad.pad(x, [[0, 0], list(padding[0]), list(padding[1]), [0, 0]])


def spatial_3d_padding(x, padding=((1, 1), (1, 1), (1, 1)), data_format=None):
    """Zeros around the three spatial axes of NDHWC volumes."""
    _channels_last(data_format)
    return pad.pad(x, [[0, 0], *[list(p) for p in padding], [0, 0]])


def _channels_last(data_format) -> None:
    if data_format not in (None, "channels_last"):
        raise NotImplementedError(
            f"data_format={data_format!r} is not supported: scopeflow takes channels_last "
            "(NHWC) tensors; tf.transpose NCHW inputs."
        )


def stack(x, axis=0):
    """``Pack``."""
    return array_ops.stack(x, axis=axis)


def one_hot(indices, num_classes):
    """``OneHot`` of ``indices`` with ``num_classes`` classes, on the last axis."""
    return _one_hot(indices, depth=num_classes, axis=-1)


def reverse(x, axes):
    """``x`` reversed along ``axes`` (an int or a list)."""
    return join.reverse(x, [axes] if isinstance(axes, int) else list(axes))


def zeros_like(x, dtype=None, name=None):
    """``ZerosLike`` (or zeros of ``dtype``)."""
    return shape_ops.zeros_like(x, dtype=dtype, name=name)


def ones_like(x, dtype=None, name=None):
    """Ones of ``x``'s shape."""
    return shape_ops.ones_like(x, dtype=dtype, name=name)


def identity(x, name=None):
    """``Identity``."""
    return array_ops.identity(x, name=name)


def stop_gradient(variables):
    """``StopGradient`` of a tensor, or of each in a list."""
    if isinstance(variables, list | tuple):
        return [array_ops.stop_gradient(v) for v in variables]
    return array_ops.stop_gradient(variables)


# -- random --------------------------------------------------------------------------------


def _seed(seed):
    return np.random.randint(10e6) if seed is None else seed


def random_normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
    """Normal samples (``RandomStandardNormal``), a fresh seed unless ``seed`` is given."""
    return sampling.random_normal(shape, mean, stddev, dtype or floatx(), _seed(seed))


def random_uniform(shape, minval=0.0, maxval=1.0, dtype=None, seed=None):
    """Uniform samples in ``[minval, maxval)``."""
    return sampling.random_uniform(shape, minval, maxval, dtype or floatx(), _seed(seed))


def truncated_normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
    """Normal samples redrawn beyond two standard deviations."""
    return sampling.truncated_normal(shape, mean, stddev, dtype or floatx(), _seed(seed))


def random_bernoulli(shape, p=0.0, dtype=None, seed=None):
    """1 with probability ``p``, else 0."""
    dtype = dtype or floatx()
    return where_v2(
        random_uniform(shape, dtype=dtype, seed=seed) <= p,
        array_ops.ones(shape, dtype=dtype),
        array_ops.zeros(shape, dtype=dtype),
    )


random_binomial = random_bernoulli

__all__ = [
    "arange",
    "batch_flatten",
    "concatenate",
    "expand_dims",
    "flatten",
    "gather",
    "identity",
    "one_hot",
    "ones_like",
    "permute_dimensions",
    "random_bernoulli",
    "random_binomial",
    "random_normal",
    "random_uniform",
    "repeat",
    "repeat_elements",
    "reshape",
    "reverse",
    "spatial_2d_padding",
    "spatial_3d_padding",
    "squeeze",
    "stack",
    "stop_gradient",
    "temporal_padding",
    "tile",
    "transpose",
    "truncated_normal",
    "zeros_like",
]
