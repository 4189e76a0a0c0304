"""Loss scales (``tf.mixed_precision.FixedLossScale``, ``DynamicLossScale``): the factor a
float16 model multiplies its loss by so that small gradients do not underflow.

A dynamic scale keeps two non-trainable variables, ``current_loss_scale`` (float32) and
``good_steps`` (int64), made when the scale is constructed, as TF names them. Each
``update(grads)`` builds TF's rule: with all gradients finite, count a good step and, after
``increment_period`` of them, multiply the scale (if the product is finite) and restart the
count; otherwise divide the scale by ``multiplier`` (never below 1) and restart the count.
"""

from __future__ import annotations

import abc
import numbers

from scopeflow.framework import dtypes
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.defaults import get_default_graph
from scopeflow.framework.indexed_slices import IndexedSlices
from scopeflow.ops.array.basic import stack
from scopeflow.ops.control.cond import cond
from scopeflow.ops.control.grouping import group, no_op
from scopeflow.ops.math import elementwise as math_ops
from scopeflow.ops.math.reduction import reduce_all
from scopeflow.variables.variables import Variable


class LossScale(abc.ABC):
    """The base class of loss scales: ``loss_scale()`` is the current scale (a tensor) and
    ``update(grads)`` returns ``(update_op, should_apply_gradients)``."""

    @abc.abstractmethod
    def __call__(self):
        """The current loss scale as a scalar float32 tensor."""

    @abc.abstractmethod
    def update(self, grads):
        """``(op updating the scale, bool or bool tensor: whether to apply grads)``."""

    @abc.abstractmethod
    def get_config(self) -> dict:
        """The constructor arguments that rebuild this loss scale."""

    @classmethod
    def from_config(cls, config: dict):
        return cls(**config)


class FixedLossScale(LossScale):
    """A loss scale that never changes.

    >>> FixedLossScale(128)
    FixedLossScale(128.0)
    """

    def __init__(self, loss_scale_value):
        if not isinstance(loss_scale_value, numbers.Real) or isinstance(loss_scale_value, bool):
            raise ValueError("loss_scale_value must be a Python int or float.")
        if loss_scale_value < 1:
            raise ValueError("loss_scale_value must be at least 1.")
        self._loss_scale_value = float(loss_scale_value)

    def __call__(self):
        return convert_to_tensor(self._loss_scale_value)

    def update(self, grads):
        del grads
        return no_op(), True

    def get_config(self) -> dict:
        return {"loss_scale_value": self._loss_scale_value}

    def __repr__(self) -> str:
        return f"FixedLossScale({self._loss_scale_value})"


def all_finite(grads) -> object:
    """A bool tensor: every element of every gradient (None skipped) is finite."""
    each = []
    for grad in grads:
        if grad is None:
            continue
        values = grad.values if isinstance(grad, IndexedSlices) else grad
        each.append(reduce_all(math_ops.is_finite(values)))
    return reduce_all(stack(each)) if each else convert_to_tensor(True)


class DynamicLossScale(LossScale):
    """A loss scale that grows after ``increment_period`` finite steps and shrinks at once
    on a non-finite gradient.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     scale = tf.mixed_precision.DynamicLossScale(initial_loss_scale=8.0)
    ...     print([v.op.name for v in tf.global_variables()])
    ['current_loss_scale', 'good_steps']
    """

    def __init__(self, initial_loss_scale=2**15, increment_period=2000, multiplier=2.0):
        self._initial_loss_scale = float(initial_loss_scale)
        self._increment_period = int(increment_period)
        self._multiplier = float(multiplier)
        with get_default_graph().control_dependencies(None):
            self._current_loss_scale = Variable(
                self._initial_loss_scale,
                name="current_loss_scale",
                dtype=dtypes.float32,
                trainable=False,
            )
            self._num_good_steps = Variable(
                0, name="good_steps", dtype=dtypes.int64, trainable=False
            )

    @property
    def initial_loss_scale(self) -> float:
        return self._initial_loss_scale

    @property
    def increment_period(self) -> int:
        return self._increment_period

    @property
    def multiplier(self) -> float:
        return self._multiplier

    def variables(self) -> list:
        """The scale's variables: ``current_loss_scale`` and ``good_steps``."""
        return [self._current_loss_scale, self._num_good_steps]

    def __call__(self):
        return self._current_loss_scale.read_value()

    def update(self, grads):
        finite = all_finite(grads)
        scale, steps = self._current_loss_scale, self._num_good_steps

        def grow_scale():
            bigger = math_ops.multiply(scale.read_value(), self._multiplier)
            kept = cond(math_ops.is_finite(bigger), lambda: scale.assign(bigger).op, no_op)
            return group(kept, steps.assign(0))

        def count_good_step():
            reached = math_ops.greater_equal(steps.read_value() + 1, self._increment_period)
            return cond(reached, grow_scale, lambda: steps.assign_add(1).op)

        def shrink_scale():
            smaller = math_ops.maximum(scale.read_value() / self._multiplier, 1.0)
            return group(scale.assign(smaller), steps.assign(0))

        return cond(finite, count_good_step, shrink_scale), finite

    def get_config(self) -> dict:
        return {
            "initial_loss_scale": self._initial_loss_scale,
            "increment_period": self._increment_period,
            "multiplier": self._multiplier,
        }

    def __repr__(self) -> str:
        return (
            f"DynamicLossScale(initial_loss_scale={self._initial_loss_scale}, "
            f"increment_period={self._increment_period}, multiplier={self._multiplier})"
        )


def get(identifier):
    """A loss scale from ``identifier``: a ``LossScale``, a number (fixed), ``"dynamic"``,
    or None."""
    if identifier is None or isinstance(identifier, LossScale):
        return identifier
    if isinstance(identifier, numbers.Real) and not isinstance(identifier, bool):
        return FixedLossScale(identifier)
    if identifier == "dynamic":
        return DynamicLossScale()
    raise ValueError(f"Could not interpret loss scale identifier: {identifier}")
