"""``tf.nn.sufficient_statistics`` and ``tf.nn.normalize_moments`` (the count, shifted sum and
shifted sum of squares of ``x`` over ``axes``, and the mean and variance they give), and
``tf.nn.compute_average_loss``/``scale_regularization_loss`` (a loss averaged over the global
batch; one replica here), built from other ops as TF builds them (same scopes and op
names)."""

from __future__ import annotations

from scopeflow.framework import dtypes, undo
from scopeflow.framework.constant import constant, convert_to_tensor
from scopeflow.framework.graph_api import name_scope
from scopeflow.ops.array import basic as array_ops
from scopeflow.ops.array import gather as gather_ops
from scopeflow.ops.array import shape as shape_ops
from scopeflow.ops.math import elementwise as math_ops
from scopeflow.ops.math import reduction as reduction_ops
from scopeflow.ops.math.division import div_no_nan


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


def _weighted(losses, sample_weight):
    """TF's ``scale_losses_by_sample_weight``: both in float32, the weights' rank matched to
    the losses' by one squeeze or expand."""
    losses = math_ops.cast(losses, dtypes.float32)
    sample_weight = math_ops.cast(sample_weight, dtypes.float32)
    loss_rank, weight_rank = losses.shape.ndims, sample_weight.shape.ndims
    if loss_rank is None or weight_rank is None:
        raise NotImplementedError(
            "compute_average_loss(sample_weight=...) with an unknown rank is not supported; "
            "give the losses and weights static ranks"
        )
    if weight_rank - loss_rank == 1:
        sample_weight = shape_ops.squeeze(sample_weight, [-1])
    elif loss_rank - weight_rank == 1:
        sample_weight = shape_ops.expand_dims(sample_weight, -1)
    return math_ops.multiply(losses, sample_weight)


@undo.atomic
def compute_average_loss(per_example_loss, sample_weight=None, global_batch_size=None):
    """``sum(per_example_loss * sample_weight) / global_batch_size`` (0 for an empty batch);
    the global batch is the per-replica batch (one replica: no ``tf.distribute`` strategy).

    Deliberate difference: TF also builds ``assert_integer``/``assert_non_negative`` ops on
    ``global_batch_size`` that nothing runs; scopeflow checks a Python value while building
    and builds no unused asserts.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     loss = tf.nn.compute_average_loss([1.0, 2.0, 3.0], global_batch_size=4)
    ...     print(tf.Session().run(loss))
    1.5
    """
    per_example_loss = convert_to_tensor(per_example_loss)
    input_dtype = per_example_loss.dtype.base_dtype
    if per_example_loss.shape.ndims == 0:
        raise ValueError(
            "Invalid value passed for `per_example_loss`. Expected a tensor with at least "
            f"rank 1. Received per_example_loss={per_example_loss} with rank 0"
        )
    if per_example_loss.shape.ndims is None:
        raise NotImplementedError(
            "compute_average_loss of a loss of unknown rank is not supported; give it a static rank"
        )
    if sample_weight is not None:
        sample_weight = convert_to_tensor(sample_weight)
        per_example_loss = _weighted(per_example_loss, sample_weight)
    per_example_loss = math_ops.cast(per_example_loss, input_dtype)
    if global_batch_size is None:
        global_batch_size = array_ops.shape(per_example_loss)[0] * 1
    elif isinstance(global_batch_size, (int, float)):
        if not isinstance(global_batch_size, int):
            raise TypeError("global_batch_size must be an integer.")
        if global_batch_size < 0:
            raise ValueError("global_batch_size must be non-negative.")
    loss = reduction_ops.reduce_sum(per_example_loss)
    global_batch_size = math_ops.cast(global_batch_size, input_dtype)
    return div_no_nan(loss, global_batch_size)


@undo.atomic
def scale_regularization_loss(regularization_loss):
    """``sum(regularization_loss) / num_replicas`` (one replica: no ``tf.distribute``
    strategy).

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     print(tf.Session().run(tf.nn.scale_regularization_loss([0.5, 0.25])))
    0.75
    """
    return reduction_ops.reduce_sum(regularization_loss) / 1


__all__ = [
    "compute_average_loss",
    "normalize_moments",
    "scale_regularization_loss",
    "sufficient_statistics",
]
