"""``tf.nn`` functions TF1 builds from other ops (no op type of their own): ``dropout``,
``embedding_lookup``, ``l2_normalize``, ``moments``, ``batch_normalization`` (and TF1's older
``batch_norm_with_global_normalization``), ``xw_plus_b``,
``relu_layer`` and ``zero_fraction``.

Each builds the ops TF1 builds, under the same scope and op names, so checkpoints, name-based
fetches and graph dumps line up; the kernels are those of the ops used.
"""

from __future__ import annotations

import numbers

from scopeflow.framework import dtypes, undo
from scopeflow.framework.constant import constant, convert_to_tensor
from scopeflow.framework.graph_api import colocate_with, name_scope
from scopeflow.ops.array import basic as array_ops
from scopeflow.ops.array import gather as gather_ops
from scopeflow.ops.array import shape as shape_ops
from scopeflow.ops.control.cond import cond
from scopeflow.ops.math import complex as complex_ops
from scopeflow.ops.math import elementwise as math_ops
from scopeflow.ops.math import matmul as matmul_ops
from scopeflow.ops.math import reduction as reduction_ops
from scopeflow.ops.math import selection as selection_ops
from scopeflow.ops.nn import activation as activation_ops
from scopeflow.ops.nn import basic as basic_ops
from scopeflow.ops.random import sampling as random_ops
from scopeflow.ops.sparse.sharded import clip_rows, sharded_lookup, shards

# -- dropout ------------------------------------------------------------------------------


def _noise_shape(x, noise_shape):
    """TF1's noise shape: ``shape(x)`` by default; ``None`` entries of a given list are
    filled from ``x``'s static shape."""
    if noise_shape is None:
        return array_ops.shape(x, name="Shape")
    if isinstance(noise_shape, (list, tuple)) and x.shape.ndims == len(noise_shape):
        dims = x.shape.as_list()
        return [dims[i] if d is None else d for i, d in enumerate(noise_shape)]
    return noise_shape


@undo.atomic
def dropout(x, keep_prob=None, noise_shape=None, seed=None, name=None, rate=None):
    """Zeroes elements of ``x`` with probability ``rate`` (or ``1 - keep_prob``) and scales
    the others by ``1 / (1 - rate)``; ``noise_shape`` broadcasts one decision over dims.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     y = tf.nn.dropout(tf.ones([2, 3]), keep_prob=0.5, seed=1)
    >>> y.op.name, [t.op.name for t in y.op.inputs]
    ('dropout/SelectV2', ['dropout/GreaterEqual', 'dropout/Mul', 'dropout/Const_1'])
    """
    if keep_prob is not None:
        if rate is not None:
            raise ValueError("Cannot specify both 'keep_prob' and 'rate'.")
        try:
            rate = 1.0 - keep_prob
        except TypeError:
            raise ValueError(
                "keep_prob must be a floating point number or Tensor. Received: "
                f"keep_prob={keep_prob}"
            ) from None
    if rate is None:
        raise ValueError("`rate` must be provided. Received: rate=None")
    return _dropout(x, rate, noise_shape, seed, name)


def _dropout(x, rate, noise_shape, seed, name):
    def sampler(shape, dtype):
        return random_ops.random_uniform(shape, seed=seed, dtype=dtype)

    return dropout_with(x, rate, noise_shape, sampler, name, "dropout",
                        on_zero_rate=lambda: random_ops.get_seed(seed))  # fmt: skip


def dropout_with(x, rate, noise_shape, sampler, name, default_name, on_zero_rate=None):
    """TF's dropout graph with the uniform noise ``sampler(shape, dtype)`` draws (``rate`` 0:
    ``x`` itself, after ``on_zero_rate``)."""
    with name_scope(name, default_name, [x]):
        is_number = isinstance(rate, numbers.Real) and not isinstance(rate, bool)
        if is_number and not 0 <= rate < 1:
            raise ValueError(
                f"`rate` must be a scalar tensor or a float in the range [0, 1). Received: "
                f"rate={rate}"
            )
        x = convert_to_tensor(x, name="x")
        dtype = x.dtype.base_dtype
        if not dtype.is_floating:
            raise ValueError(
                "`x.dtype` must be a floating point tensor as `x` will be scaled. Received: "
                f"x_dtype={dtype!r}"
            )
        if is_number and rate == 0:
            # TF's fast path (tf.nn.dropout's still draws an op seed, so later random ops see
            # the same seeds).
            if on_zero_rate is not None:
                on_zero_rate()
            return x
        if is_number:
            scaled = math_ops.multiply(x, constant(1 / (1 - rate), dtype=dtype), name="Mul")
        else:
            rate = convert_to_tensor(rate, dtype_hint=dtype, name="rate")
            if rate.shape.ndims not in (None, 0):
                raise ValueError(f"`rate` must be a scalar, got shape {rate.shape}")
            rate = math_ops.cast(rate, dtype, name="rate")
            one = constant(1, dtype=dtype)
            scaled = math_ops.realdiv(x, math_ops.subtract(one, rate, name="Sub"), name="RealDiv")
        noise = sampler(_noise_shape(x, noise_shape), dtype)
        keep = math_ops.greater_equal(noise, rate)
        result = selection_ops.where_v2(keep, scaled, constant(0, dtype=dtype))
        result.set_shape(x.shape)
        return result


# -- embedding_lookup ---------------------------------------------------------------------


@undo.atomic
def embedding_lookup(
    params, ids, partition_strategy="mod", name=None, validate_indices=True, max_norm=None
):
    """The rows of ``params`` at ``ids`` (any shape): ``result.shape == ids.shape +
    params.shape[1:]``. ``params`` is a tensor or a list of shards of one table, split by
    ``partition_strategy`` as TF1 splits them ("mod": id ``i`` is row ``i // n`` of shard
    ``i % n``; "div": contiguous blocks). ``max_norm`` scales each row down to that L2 norm
    at most (``clip_by_norm``). The gradient with respect to a table (each shard)
    is an ``IndexedSlices`` of the rows looked up in it, as in TF1.

    Deliberate difference: several shards are looked up each with a ``GatherV2`` of the ids
    it holds (found with ``Where``) and the rows put back in order with one ``GatherV2``,
    instead of TF1's ``DynamicPartition``/``ParallelDynamicStitch``; the values and the
    gradients are the same.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     table = tf.get_variable("table", [100, 8])
    ...     rows = tf.nn.embedding_lookup(table, [[3, 7], [3, 0]])
    ...     (grad,) = tf.gradients(rows, table)
    >>> rows.shape.as_list(), type(grad).__name__, grad.values.shape.as_list()
    ([2, 2, 8], 'IndexedSlices', [4, 8])
    """
    if partition_strategy not in ("mod", "div"):
        raise ValueError(f"Unrecognized partition strategy: {partition_strategy}")
    params = shards(params)
    if not params:
        raise ValueError("Need at least one param")
    with name_scope(name, "embedding_lookup", [*params, ids]) as scope:
        if len(params) > 1 or not getattr(params[0], "_is_resource", False):
            params = [convert_to_tensor(p, name=f"params_{i}") for i, p in enumerate(params)]
        ids = convert_to_tensor(ids, name="ids")
        if ids.dtype.base_dtype not in (dtypes.int32, dtypes.int64):
            raise TypeError(f"ids must be int32 or int64, got {ids.dtype.base_dtype.name}")
        if len(params) == 1:
            with colocate_with(params[0]):
                result = gather_ops.gather(params[0], ids, name=scope)
                result = clip_rows(result, ids, max_norm)
            return array_ops.identity(result)
        return sharded_lookup(params, ids, partition_strategy, scope, max_norm)


# -- normalization ------------------------------------------------------------------------


@undo.atomic
def l2_normalize(x, axis=None, epsilon=1e-12, name=None, dim=None):
    """``x / sqrt(max(sum(x ** 2, axis), epsilon))``; ``axis=None`` normalizes over all."""
    axis = dim if axis is None else axis
    with name_scope(name, "l2_normalize", [x]) as scope:
        x = convert_to_tensor(x, name="x")
        if x.dtype.is_complex:  # TF: both parts scaled by the real inverse norm
            squares = math_ops.square(complex_ops.real(x)) + math_ops.square(complex_ops.imag(x))
            square_sum = complex_ops.real(reduction_ops.reduce_sum(squares, axis, keepdims=True))
            inverse_norm = math_ops.rsqrt(math_ops.maximum(square_sum, epsilon))
            real_part = math_ops.multiply(complex_ops.real(x), inverse_norm)
            imag_part = math_ops.multiply(complex_ops.imag(x), inverse_norm)
            return complex_ops.complex(real_part, imag_part, name=scope)
        square_sum = reduction_ops.reduce_sum(math_ops.square(x), axis, keepdims=True)
        inverse_norm = math_ops.rsqrt(math_ops.maximum(square_sum, epsilon))
        return math_ops.multiply(x, inverse_norm, name=scope)


@undo.atomic
def moments(x, axes, shift=None, name=None, keep_dims=None, keepdims=None):
    """Mean and variance of ``x`` over ``axes`` (float16 is computed in float32).

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     mean, variance = tf.nn.moments(tf.constant([1.0, 2.0, 3.0, 6.0]), axes=[0])
    ...     print(tf.Session().run([mean, variance]))
    [np.float32(3.0), np.float32(3.5)]
    """
    if keep_dims is not None and keepdims is not None:
        raise ValueError("Cannot specify both 'keep_dims' and 'keepdims'.")
    keep = bool(keepdims if keep_dims is None else keep_dims)
    with name_scope(name, "moments", [x, axes]):
        x = convert_to_tensor(x, name="x")
        y = math_ops.cast(x, dtypes.float32) if x.dtype.base_dtype == dtypes.float16 else x
        mean = reduction_ops.reduce_mean(y, axes, keepdims=True, name="mean")
        deviation = math_ops.squared_difference(y, array_ops.stop_gradient(mean))
        variance = reduction_ops.reduce_mean(deviation, axes, keepdims=True, name="variance")
        if not keep:
            mean = shape_ops.squeeze(mean, axes)
            variance = shape_ops.squeeze(variance, axes)
        if x.dtype.base_dtype == dtypes.float16:
            return math_ops.cast(mean, dtypes.float16), math_ops.cast(variance, dtypes.float16)
        return mean, variance


@undo.atomic
def batch_normalization(x, mean, variance, offset, scale, variance_epsilon, name=None):
    """``(x - mean) / sqrt(variance + epsilon) * scale + offset`` (``offset`` and ``scale``
    may be ``None``), computed as TF1 does: ``x * inv + (offset - mean * inv)``."""
    with name_scope(name, "batchnorm", [x, mean, variance, scale, offset]):
        x = convert_to_tensor(x, name="x")
        inv = math_ops.rsqrt(variance + variance_epsilon)
        if scale is not None:
            inv = inv * scale
        # One expression, as in TF1: the op names (mul_1 for x * inv...) follow its order.
        return x * math_ops.cast(inv, x.dtype) + math_ops.cast(
            offset - mean * inv if offset is not None else -mean * inv, x.dtype
        )


@undo.atomic
def batch_norm_with_global_normalization(
    t=None,
    m=None,
    v=None,
    beta=None,
    gamma=None,
    variance_epsilon=None,
    scale_after_normalization=None,
    name=None,
    input=None,  # noqa: A002 - TF1's argument name
    mean=None,
    variance=None,
):
    """TF1's older :func:`batch_normalization`: ``gamma`` is used only with
    ``scale_after_normalization``."""
    for new, old, what in ((input, t, "t"), (mean, m, "m"), (variance, v, "v")):
        if new is not None and old is not None:
            raise ValueError(f"Cannot specify both '{what}' and its new name.")
    t = input if t is None else t
    m = mean if m is None else m
    v = variance if v is None else v
    scale = gamma if scale_after_normalization else None
    return batch_normalization(t, m, v, beta, scale, variance_epsilon, name)


# -- small helpers ------------------------------------------------------------------------


@undo.atomic
def xw_plus_b(x, weights, biases, name=None):
    """``matmul(x, weights) + biases``, the bias added by a ``BiasAdd`` named ``xw_plus_b``.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     y = tf.nn.xw_plus_b([[1.0, 2.0]], [[1.0], [1.0]], [0.5])
    ...     print(tf.Session().run(y))
    [[3.5]]
    """
    with name_scope(name, "xw_plus_b", [x, weights, biases]) as scope:
        x = convert_to_tensor(x, name="x")
        weights = convert_to_tensor(weights, name="weights")
        biases = convert_to_tensor(biases, name="biases")
        return basic_ops.bias_add(matmul_ops.matmul(x, weights), biases, name=scope)


@undo.atomic
def relu_layer(x, weights, biases, name=None):
    """``relu(matmul(x, weights) + biases)``, the ``Relu`` named ``relu_layer``.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     y = tf.nn.relu_layer([[1.0, -2.0]], [[1.0], [1.0]], [0.5])
    ...     print(y.op.name, tf.Session().run(y))
    relu_layer [[0.]]
    """
    with name_scope(name, "relu_layer", [x, weights, biases]) as scope:
        x = convert_to_tensor(x, name="x")
        weights = convert_to_tensor(weights, name="weights")
        biases = convert_to_tensor(biases, name="biases")
        xw_plus_b = basic_ops.bias_add(matmul_ops.matmul(x, weights), biases)
        return activation_ops.relu(xw_plus_b, name=scope)


def _count_nonzero(value, dtype):
    with name_scope("count_nonzero", values=[value]):
        zero = array_ops.zeros([], dtype=value.dtype.base_dtype)
        nonzero = math_ops.cast(math_ops.not_equal(value, zero), dtype=dtype)
        return reduction_ops.reduce_sum(nonzero, name="nonzero_count")


@undo.atomic
def zero_fraction(value, name=None):
    """The fraction (float32) of the entries of ``value`` that are zero; ``nan`` when it is
    empty. Built as TF1 builds it: counts in int32 unless the size needs int64 (a ``cond``).

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     print(tf.Session().run(tf.nn.zero_fraction([0.0, 1.0, 0.0, 3.0])))
    0.5
    """
    with name_scope(name, "zero_fraction", [value]):
        value = convert_to_tensor(value, name="value")
        size = shape_ops.size(value, out_type=dtypes.int64)
        num_nonzero = cond(
            size <= dtypes.int32.max,
            true_fn=lambda: math_ops.cast(_count_nonzero(value, dtypes.int32), dtypes.int64),
            false_fn=lambda: _count_nonzero(value, dtypes.int64),
        )
        with name_scope("counts_to_fraction"):
            num_zero = size - num_nonzero
            fraction = math_ops.cast(num_zero, dtypes.float32) / math_ops.cast(size, dtypes.float32)
        return array_ops.identity(fraction, "fraction")


__all__ = [
    "batch_norm_with_global_normalization",
    "batch_normalization",
    "dropout",
    "embedding_lookup",
    "l2_normalize",
    "moments",
    "relu_layer",
    "xw_plus_b",
    "zero_fraction",
]
