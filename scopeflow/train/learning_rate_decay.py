"""Learning-rate schedules of ``tf.train``: ops computing the rate from the global step, so the
rate changes as training runs (pass the result to an optimizer as its learning rate).

Each builds the ops TF builds under the same name scope (``ExponentialDecay/...``), computing
in the dtype of ``learning_rate``; ``piecewise_constant`` is TF's exclusive ``tf.case``
(``PiecewiseConstant/case/cond/Merge``). Deliberate difference: ``cosine_decay_restarts`` picks
between its two restart counts (``t_mul`` one or not) with a ``SelectV2`` where TF has a
``cond`` (``SGDRDecay/cond/...``).
"""

from __future__ import annotations

import math

from scopeflow.framework import dtypes, undo
from scopeflow.framework.constant import constant, convert_to_tensor
from scopeflow.framework.graph_api import name_scope
from scopeflow.ops.control.case import case
from scopeflow.ops.math import division
from scopeflow.ops.math import elementwise as math_ops
from scopeflow.ops.math import selection as selection_ops
from scopeflow.ops.random.sampling import random_normal


def _require_step(global_step, schedule: str):
    if global_step is None:
        raise ValueError(f"global_step is required for {schedule}.")


def _start(learning_rate, global_step, decay_steps):
    """``(learning_rate, step, decay_steps)`` as tensors of the learning rate's dtype."""
    lr = convert_to_tensor(learning_rate, name="initial_learning_rate")
    dtype = lr.dtype.base_dtype
    return lr, dtype, math_ops.cast(decay_steps, dtype)


def _rate_and_ratio(decay_rate, global_step, steps, staircase):
    """``decay_rate`` in ``steps``' dtype and ``global_step / steps`` (floored when
    ``staircase``)."""
    dtype = steps.dtype.base_dtype
    rate = math_ops.cast(decay_rate, dtype)
    p = math_ops.cast(global_step, dtype) / steps
    if staircase:
        p = math_ops.floor(p)
    return rate, p


def half_cosine(fraction):
    """``0.5 * (1 + cos(pi * fraction))``: from 1 at 0 down to 0 at 1."""
    pi = constant(math.pi, dtype=fraction.dtype.base_dtype)
    return 0.5 * (1.0 + math_ops.cos(pi * fraction))


def cosine_curve(step, steps, start, alpha):
    """Half a cosine from ``start`` at step 0 to ``alpha * start`` at ``steps`` (the rate of
    ``cosine_decay`` and of Keras' ``CosineDecay``)."""
    return math_ops.multiply(start, (1 - alpha) * half_cosine(step / steps) + alpha)


@undo.atomic
def exponential_decay(
    learning_rate, global_step, decay_steps, decay_rate, staircase=False, name=None
):
    """``learning_rate * decay_rate ** (global_step / decay_steps)``, the exponent floored
    when ``staircase``.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     lr = tf.train.exponential_decay(0.1, 200, 100, 0.5)
    ...     with tf.Session() as sess:
    ...         print(lr.name, round(float(sess.run(lr)), 6))
    ExponentialDecay:0 0.025
    """
    _require_step(global_step, "exponential_decay")
    with name_scope(name, "ExponentialDecay") as scope:
        lr, dtype, steps = _start(learning_rate, global_step, decay_steps)
        rate, p = _rate_and_ratio(decay_rate, global_step, steps, staircase)
        return math_ops.multiply(lr, math_ops.pow(rate, p), name=scope)


@undo.atomic
def polynomial_decay(
    learning_rate,
    global_step,
    decay_steps,
    end_learning_rate=0.0001,
    power=1.0,
    cycle=False,
    name=None,
):
    """``(learning_rate - end_learning_rate) * (1 - step / decay_steps) ** power +
    end_learning_rate`` with ``step`` capped at ``decay_steps``; with ``cycle``,
    ``decay_steps`` grows to the next multiple of itself instead."""
    _require_step(global_step, "polynomial_decay")
    with name_scope(name, "PolynomialDecay") as scope:
        lr = convert_to_tensor(learning_rate, name="initial_learning_rate")
        dtype = lr.dtype.base_dtype
        end = math_ops.cast(end_learning_rate, dtype)
        power = math_ops.cast(power, dtype)
        step = math_ops.cast(global_step, dtype)
        steps = math_ops.cast(decay_steps, dtype)
        if cycle:
            multiplier = selection_ops.where_v2(
                math_ops.equal(step, 0), 1.0, math_ops.ceil(step / decay_steps)
            )
            steps = math_ops.multiply(steps, multiplier)
        else:
            step = math_ops.minimum(step, steps)
        p = division.divide(step, steps)
        decayed = math_ops.multiply(lr - end, math_ops.pow(1 - p, power))
        return math_ops.add(decayed, end, name=scope)


@undo.atomic
def cosine_decay(learning_rate, global_step, decay_steps, alpha=0.0, name=None):
    """``learning_rate * ((1 - alpha) * 0.5 * (1 + cos(pi * t)) + alpha)`` with
    ``t = min(global_step, decay_steps) / decay_steps``."""
    _require_step(global_step, "cosine_decay")
    with name_scope(name, "CosineDecay"):
        lr, dtype, steps = _start(learning_rate, global_step, decay_steps)
        step = math_ops.minimum(math_ops.cast(global_step, dtype), steps)
        return cosine_curve(step, steps, lr, alpha)


@undo.atomic
def inverse_time_decay(
    learning_rate, global_step, decay_steps, decay_rate, staircase=False, name=None
):
    """``learning_rate / (1 + decay_rate * global_step / decay_steps)``, the ratio floored
    when ``staircase``."""
    _require_step(global_step, "inverse_time_decay")
    with name_scope(name, "InverseTimeDecay") as scope:
        lr, dtype, steps = _start(learning_rate, global_step, decay_steps)
        rate, p = _rate_and_ratio(decay_rate, global_step, steps, staircase)
        one = math_ops.cast(constant(1), dtype)
        denominator = math_ops.add(one, math_ops.multiply(rate, p))
        return math_ops.realdiv(lr, denominator, name=scope)


@undo.atomic
def piecewise_constant(x, boundaries, values, name=None):
    """``values[0]`` while ``x <= boundaries[0]``, ``values[i]`` while
    ``boundaries[i-1] < x <= boundaries[i]``, ``values[-1]`` after the last boundary.

    Raises:
        ValueError: ``len(values) != len(boundaries) + 1``, or mismatched dtypes.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     lr = tf.train.piecewise_constant(15, [10, 20], [1.0, 0.5, 0.1])
    ...     with tf.Session() as sess:
    ...         print(sess.run(lr))
    0.5
    """
    if len(boundaries) != len(values) - 1:
        raise ValueError("The length of boundaries should be 1 less than the length of values")
    boundaries = [convert_to_tensor(b) for b in boundaries]
    values = [convert_to_tensor(v) for v in values]
    x = convert_to_tensor(x)
    x_dtype = x.dtype.base_dtype
    for i, b in enumerate(boundaries):
        if b.dtype.base_dtype != x_dtype:
            if b.dtype.base_dtype == dtypes.int32 and x_dtype == dtypes.int64:
                boundaries[i] = math_ops.cast(b, x_dtype)
            else:
                raise ValueError(
                    f"Boundaries ({b.dtype.base_dtype.name}) must have the same dtype as x "
                    f"({x_dtype.name})."
                )
    for v in values[1:]:
        if v.dtype.base_dtype != values[0].dtype.base_dtype:
            raise ValueError(
                "Values must have elements all with the same dtype "
                f"({values[0].dtype.base_dtype.name} vs {v.dtype.base_dtype.name})."
            )
    with name_scope(name, "PiecewiseConstant"):
        if not boundaries:
            return values[0]
        pairs = [(x <= boundaries[0], lambda: values[0]), (x > boundaries[-1], lambda: values[-1])]
        for low, high, v in zip(boundaries[:-1], boundaries[1:], values[1:-1], strict=True):
            pairs.append(((x > low) & (x <= high), lambda v=v: v))
        return case(pairs, lambda: values[0], exclusive=True)


@undo.atomic
def natural_exp_decay(
    learning_rate, global_step, decay_steps, decay_rate, staircase=False, name=None
):
    """``learning_rate * exp(-decay_rate * global_step / decay_steps)`` (the ratio floored
    when ``staircase``): TF's ``exponential_decay`` with the rate ``exp(-decay_rate)``.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     lr = tf.train.natural_exp_decay(0.1, 10, 10, 0.5)
    ...     with tf.Session() as sess:
    ...         print(lr.name, round(float(sess.run(lr)), 6))
    ExponentialDecay:0 0.060653
    """
    _require_step(global_step, "natural_exp_decay")
    rate = math_ops.exp(math_ops.negative(decay_rate))
    return exponential_decay(learning_rate, global_step, decay_steps, rate, staircase, name)


def _linear_cosine(dtype, steps, global_step, num_periods, alpha, beta, noise=None):
    """``(alpha + linear) * cosine + beta`` (``noise(step, linear)`` adds to
    ``linear``), with the step capped at ``steps``."""
    num_periods, alpha, beta = (math_ops.cast(x, dtype) for x in (num_periods, alpha, beta))
    step = math_ops.minimum(math_ops.cast(global_step, dtype), steps)
    linear = (steps - step) / steps
    if noise is not None:
        linear = noise(step, linear)
    cosine = half_cosine(2.0 * num_periods * (step / steps))
    return (alpha + linear) * cosine + beta


@undo.atomic
def linear_cosine_decay(
    learning_rate, global_step, decay_steps, num_periods=0.5, alpha=0.0, beta=0.001, name=None
):
    """``learning_rate * ((alpha + linear) * cosine + beta)`` with ``linear`` falling from 1
    to 0 and ``cosine = 0.5 * (1 + cos(2 pi num_periods t))`` over ``t`` in [0, 1], ``t`` the
    step over ``decay_steps`` (Bello et al., 2017)."""
    _require_step(global_step, "linear_cosine_decay")
    with name_scope(name, "LinearCosineDecay") as scope:
        lr, dtype, steps = _start(learning_rate, global_step, decay_steps)
        decayed = _linear_cosine(dtype, steps, global_step, num_periods, alpha, beta)
        return math_ops.multiply(lr, decayed, name=scope)


@undo.atomic
def noisy_linear_cosine_decay(
    learning_rate,
    global_step,
    decay_steps,
    initial_variance=1.0,
    variance_decay=0.55,
    num_periods=0.5,
    alpha=0.0,
    beta=0.001,
    name=None,
):
    """``linear_cosine_decay`` with Gaussian noise of variance
    ``initial_variance / (1 + step) ** variance_decay`` added to its linear part (a new
    sample each run)."""
    _require_step(global_step, "noisy_linear_cosine_decay")
    with name_scope(name, "NoisyLinearCosineDecay") as scope:
        lr, dtype, steps = _start(learning_rate, global_step, decay_steps)
        variance0 = math_ops.cast(initial_variance, dtype)
        decay = math_ops.cast(variance_decay, dtype)

        def noise(step, linear):
            std = math_ops.sqrt(variance0 / math_ops.pow(1.0 + step, decay))
            return linear + random_normal([], stddev=std, dtype=dtype)

        decayed = _linear_cosine(dtype, steps, global_step, num_periods, alpha, beta, noise)
        return math_ops.multiply(lr, decayed, name=scope)


@undo.atomic
def cosine_decay_restarts(
    learning_rate, global_step, first_decay_steps, t_mul=2.0, m_mul=1.0, alpha=0.0, name=None
):
    """Cosine decay with warm restarts (SGDR, Loshchilov & Hutter): the i-th period lasts
    ``first_decay_steps * t_mul ** i`` steps and starts from ``learning_rate * m_mul ** i``;
    each decays to ``alpha`` times that.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     lr = tf.train.cosine_decay_restarts(0.1, 10, 10)
    ...     with tf.Session() as sess:
    ...         print(lr.name, round(float(sess.run(lr)), 6))
    SGDRDecay:0 0.1
    """
    _require_step(global_step, "cosine_decay_restarts")
    with name_scope(name, "SGDRDecay") as scope:
        lr, dtype, steps = _start(learning_rate, global_step, first_decay_steps)
        alpha, t_mul, m_mul = (math_ops.cast(x, dtype) for x in (alpha, t_mul, m_mul))
        fraction = math_ops.cast(global_step, dtype) / steps
        # t_mul == 1: equal periods; otherwise the geometric series of their lengths.
        flat_restart = math_ops.floor(fraction)
        geometric_restart = math_ops.floor(
            math_ops.log(1.0 - fraction * (1.0 - t_mul)) / math_ops.log(t_mul)
        )
        sum_r = (1.0 - t_mul**geometric_restart) / (1.0 - t_mul)
        geometric = (fraction - sum_r) / t_mul**geometric_restart
        equal = math_ops.equal(t_mul, 1.0)
        i_restart = selection_ops.where_v2(equal, flat_restart, geometric_restart)
        fraction = selection_ops.where_v2(equal, fraction - flat_restart, geometric)
        m_fac = m_mul**i_restart
        cosine = 0.5 * m_fac * (1.0 + math_ops.cos(constant(math.pi, dtype=dtype) * fraction))
        decayed = (1 - alpha) * cosine + alpha
        return math_ops.multiply(lr, decayed, name=scope)
