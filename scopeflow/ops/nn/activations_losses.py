"""``tf.nn`` activations and losses TF1 builds from other ops (no op type of their own):
``crelu``, ``swish`` (``silu``), ``weighted_cross_entropy_with_logits``, ``log_poisson_loss``
and ``weighted_moments``.

Each builds the ops TF builds, under the same scope and op names; the kernels and gradients
are those of the ops used (``swish`` carries its own gradient through ``custom_gradient``, as
in TF).
"""

from __future__ import annotations

import math

from scopeflow.framework import dtypes, undo
from scopeflow.framework.constant import constant, convert_to_tensor
from scopeflow.framework.graph_api import control_dependencies, name_scope
from scopeflow.ops.array import join as join_ops
from scopeflow.ops.array import shape as shape_ops
from scopeflow.ops.array.cast import cast
from scopeflow.ops.control.custom_gradient import custom_gradient
from scopeflow.ops.math import division as division_ops
from scopeflow.ops.math import elementwise as math_ops
from scopeflow.ops.math import reduction as reduction_ops
from scopeflow.ops.math import selection as selection_ops
from scopeflow.ops.nn import activation as activation_ops


@undo.atomic
def crelu(features, name=None, axis=-1):
    """Concatenated ReLU: ``relu(concat([features, -features], axis))``, doubling ``axis``.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     print(tf.Session().run(tf.nn.crelu([[1.0, -2.0]])))
    [[1. 0. 0. 2.]]
    """
    with name_scope(name, "CRelu", [features]) as scope:
        features = convert_to_tensor(features, name="features")
        concatenated = join_ops.concat([features, -features], axis, name=scope)
        return activation_ops.relu(concatenated)


@custom_gradient
def _swish(features, beta):
    def grad(dy):
        with control_dependencies([dy]):
            sigmoid_features = math_ops.sigmoid(beta * features)
        activation_grad = sigmoid_features * (1.0 + (beta * features) * (1.0 - sigmoid_features))
        beta_grad = reduction_ops.reduce_sum(
            dy * math_ops.square(features) * sigmoid_features * (1.0 - sigmoid_features)
        )
        return dy * activation_grad, beta_grad

    return features * math_ops.sigmoid(beta * features), grad


@undo.atomic
def swish(features, beta=1.0):
    """``features * sigmoid(beta * features)`` (also ``tf.nn.silu``), with TF's own gradient
    for ``features`` and ``beta`` (an ``IdentityN`` op, as TF builds it; no name scope).

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     print(tf.Session().run(tf.nn.swish([0.0, 2.0])).round(4))
    [0.     1.7616]
    """
    features = convert_to_tensor(features, name="features")
    beta = cast(convert_to_tensor(beta, name="beta"), features.dtype)
    return _swish(features, beta)


silu = swish


def _check_same_shape(first: str, a, second: str, b) -> None:
    if not b.shape.is_compatible_with(a.shape):
        raise ValueError(
            f"`{first}` and `{second}` must have the same shape, received ({a.shape} vs {b.shape})."
        )


@undo.atomic
def weighted_cross_entropy_with_logits(
    labels=None, logits=None, pos_weight=None, name=None, targets=None
):
    """The logistic loss with the positive term weighted by ``pos_weight``:
    ``(1 - z) * x + (1 + (pos_weight - 1) * z) * (log1p(exp(-|x|)) + relu(-x))`` for logits
    ``x`` and labels ``z`` (``targets=`` is TF1's older spelling of ``labels=``).

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     loss = tf.nn.weighted_cross_entropy_with_logits([1.0], [0.0], pos_weight=2.0)
    ...     print(tf.Session().run(loss).round(4))
    [1.3863]
    """
    if labels is not None and targets is not None:
        raise ValueError("Cannot specify both 'targets' and 'labels'.")
    labels = targets if labels is None else labels
    with name_scope(name, "logistic_loss", [logits, labels]) as scope:
        logits = convert_to_tensor(logits, name="logits")
        labels = convert_to_tensor(labels, name="labels")
        _check_same_shape("logits", logits, "labels", labels)
        log_weight = 1 + (pos_weight - 1) * labels
        return math_ops.add(
            (1 - labels) * logits,
            log_weight
            * (math_ops.log1p(math_ops.exp(-math_ops.abs(logits))) + activation_ops.relu(-logits)),
            name=scope,
        )


@undo.atomic
def log_poisson_loss(targets, log_input, compute_full_loss=False, name=None):
    """The Poisson negative log-likelihood ``exp(log_input) - log_input * targets``, plus
    Stirling's approximation of ``log(targets!)`` (for targets above 1) when
    ``compute_full_loss``.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     print(tf.Session().run(tf.nn.log_poisson_loss([2.0], [0.0])))
    [1.]
    """
    with name_scope(name, "log_poisson_loss", [log_input, targets]):
        log_input = convert_to_tensor(log_input, name="log_input")
        targets = convert_to_tensor(targets, name="targets")
        _check_same_shape("log_input", log_input, "targets", targets)
        result = math_ops.exp(log_input) - log_input * targets
        if compute_full_loss:
            point_five = constant(0.5, dtype=targets.dtype)
            two_pi = constant(2 * math.pi, dtype=targets.dtype)
            stirling_approx = (
                (targets * math_ops.log(targets))
                - targets
                + (point_five * math_ops.log(two_pi * targets))
            )
            zeros = shape_ops.zeros_like(targets, dtype=targets.dtype)
            ones = shape_ops.ones_like(targets, dtype=targets.dtype)
            cond = math_ops.logical_and(targets >= zeros, targets <= ones)
            result += selection_ops.where(cond, zeros, stirling_approx)
        return result


@undo.atomic
def weighted_moments(x, axes, frequency_weights, name=None, keep_dims=None, keepdims=None):
    """Mean and variance of ``x`` over ``axes``, each element counted ``frequency_weights``
    times (broadcast against ``x``); ``0`` where the weights sum to 0.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     mean, var = tf.nn.weighted_moments(tf.constant([1.0, 3.0]), [0], [1.0, 3.0])
    ...     print(tf.Session().run([mean, var]))
    [np.float32(2.5), np.float32(0.75)]
    """
    if keep_dims is not None and keepdims is not None:
        raise ValueError("Cannot specify both 'keep_dims' and 'keepdims'.")
    keep = bool(keepdims if keep_dims is None else keep_dims)
    with name_scope(name, "weighted_moments", [x, frequency_weights, axes]):
        x = convert_to_tensor(x, name="x")
        weights = convert_to_tensor(frequency_weights, name="frequency_weights")
        needs_cast = x.dtype.base_dtype == dtypes.float16
        if needs_cast:
            x = cast(x, dtypes.float32)
        if weights.dtype.base_dtype != x.dtype.base_dtype:
            weights = cast(weights, x.dtype)
        input_sum = reduction_ops.reduce_sum(
            weights * x, axes, name="weighted_input_sum", keepdims=True
        )
        broadcast_weights = weights + shape_ops.zeros_like(x)
        sum_of_weights = reduction_ops.reduce_sum(
            broadcast_weights, axes, name="sum_of_weights", keepdims=True
        )
        mean = division_ops.div_no_nan(input_sum, sum_of_weights)
        distsq = reduction_ops.reduce_sum(
            weights * math_ops.squared_difference(x, mean),
            axes,
            name="weighted_distsq",
            keepdims=True,
        )
        variance = division_ops.div_no_nan(distsq, sum_of_weights)
        if not keep:
            mean = shape_ops.squeeze(mean, axis=axes)
            variance = shape_ops.squeeze(variance, axis=axes)
        if needs_cast:
            mean = cast(mean, dtypes.float16)
            variance = cast(variance, dtypes.float16)
        return mean, variance


__all__ = [
    "crelu",
    "log_poisson_loss",
    "silu",
    "swish",
    "weighted_cross_entropy_with_logits",
    "weighted_moments",
]
