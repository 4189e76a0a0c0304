"""``tf.nn.sufficient_statistics`` and ``tf.nn.normalize_moments``, built from other ops as
TF1 builds them (same scopes and op names): the count, shifted sum and shifted sum of squares
of ``x`` over ``axes``, and the mean and variance they give."""

from __future__ import annotations

from scopeflow.framework import undo
from scopeflow.framework.constant import constant, convert_to_tensor
from scopeflow.framework.graph_api import name_scope
from scopeflow.ops.array import basic as array_ops
from scopeflow.ops.array import gather as gather_ops
from scopeflow.ops.array import shape as shape_ops
from scopeflow.ops.math import elementwise as math_ops
from scopeflow.ops.math import reduction as reduction_ops


@undo.atomic
def sufficient_statistics(x, axes, shift=None, keep_dims=None, name=None, keepdims=None):
    """``(count, sum(x - shift), sum((x - shift) ** 2), shift)`` over ``axes``; ``count`` is
    a constant when the reduced dimensions are known, else computed from ``tf.shape(x)``.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     stats = tf.nn.sufficient_statistics(tf.constant([[1.0, 2.0], [3.0, 6.0]]), [0])
    ...     print(tf.Session().run(stats[:3]))
    (np.float32(2.0), array([4., 8.], dtype=float32), array([10., 40.], dtype=float32))
    """
    axes = list(dict.fromkeys(int(a) for a in axes))
    if keep_dims is not None and keepdims is not None:
        raise ValueError("Cannot specify both 'keep_dims' and 'keepdims'.")
    keep = bool(keepdims if keep_dims is None else keep_dims)
    with name_scope(name, "sufficient_statistics", [x, shift]):
        x = convert_to_tensor(x, name="x")
        dims = x.shape.as_list() if x.shape.ndims is not None else None
        if dims is not None and all(dims[d] is not None for d in axes):
            size = 1
            for d in axes:
                size *= dims[d]
            counts = constant(size, dtype=x.dtype.base_dtype)
        else:
            rank = shape_ops.rank(x)
            positive = [a + rank if a < 0 else a for a in axes]
            sizes = math_ops.cast(array_ops.shape(x), x.dtype.base_dtype)
            counts = reduction_ops.reduce_prod(gather_ops.gather(sizes, positive), name="count")
        if shift is not None:
            shift = convert_to_tensor(shift, name="shift")
            m_ss = math_ops.subtract(x, shift)
            v_ss = math_ops.squared_difference(x, shift)
        else:
            m_ss = x
            v_ss = math_ops.square(x)
        m_ss = reduction_ops.reduce_sum(m_ss, axes, keepdims=keep, name="mean_ss")
        v_ss = reduction_ops.reduce_sum(v_ss, axes, keepdims=keep, name="var_ss")
    return counts, m_ss, v_ss, shift


@undo.atomic
def normalize_moments(counts, mean_ss, variance_ss, shift, name=None):
    """``(mean, variance)`` from :func:`sufficient_statistics`' ``count``, sums and
    ``shift`` (``None``: unshifted).

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     mean, variance = tf.nn.normalize_moments(4.0, 12.0, 50.0, None)
    ...     print(tf.Session().run([mean, variance]))
    [np.float32(3.0), np.float32(3.5)]
    """
    with name_scope(name, "normalize", [counts, mean_ss, variance_ss, shift]):
        divisor = math_ops.reciprocal(counts, name="divisor")
        if shift is not None:
            shifted_mean = math_ops.multiply(mean_ss, divisor, name="shifted_mean")
            mean = math_ops.add(shifted_mean, shift, name="mean")
        else:
            shifted_mean = math_ops.multiply(mean_ss, divisor, name="mean")
            mean = shifted_mean
        variance = math_ops.subtract(
            math_ops.multiply(variance_ss, divisor),
            math_ops.square(shifted_mean),
            name="variance",
        )
    return mean, variance


__all__ = ["normalize_moments", "sufficient_statistics"]
