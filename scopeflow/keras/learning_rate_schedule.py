"""``tf.keras.optimizers.schedules``: learning rates that change with the step, as objects a
Keras optimizer takes for its ``learning_rate`` (it calls them with its ``iterations`` when
it builds its update) and configs can hold.

Calling a schedule with a step builds the ops of the ``tf.train`` function of the same
family (``ExponentialDecay(...)(step)`` is ``tf.train.exponential_decay(..., step)``), in
the initial rate's dtype, so the rates per step are TF's.

>>> import scopeflow as tf
>>> schedule = tf.keras.optimizers.schedules.ExponentialDecay(0.1, 10, 0.5)
>>> with tf.Graph().as_default():
...     rate = schedule(20)
...     with tf.Session() as sess:
...         print(rate.name, round(float(sess.run(rate)), 6))
ExponentialDecay:0 0.025
"""

from __future__ import annotations

import math

from scopeflow.framework.constant import constant, convert_to_tensor
from scopeflow.framework.graph_api import name_scope
from scopeflow.keras.serialization import deserialize_keras_object, serialize_keras_object
from scopeflow.ops.math import elementwise as math_ops
from scopeflow.ops.math import selection as selection_ops
from scopeflow.train import learning_rate_decay as decay


class LearningRateSchedule:
    """The base of the schedules: ``schedule(step)`` is the rate at ``step`` (a tensor)."""

    def __call__(self, step):
        raise NotImplementedError(
            f"Learning rate schedule '{type(self).__name__}' must override `__call__(self, step)`."
        )

    def get_config(self) -> dict:
        raise NotImplementedError(
            f"Learning rate schedule '{type(self).__name__}' must override `get_config()` "
            "in order to be serializable."
        )

    @classmethod
    def from_config(cls, config: dict):
        """The schedule ``get_config`` described."""
        return cls(**config)


class ExponentialDecay(LearningRateSchedule):
    """``initial_learning_rate * decay_rate ** (step / decay_steps)`` (the exponent floored
    when ``staircase``)."""

    def __init__(self, initial_learning_rate, decay_steps, decay_rate, staircase=False, name=None):
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.decay_rate = decay_rate
        self.staircase = staircase
        self.name = name

    def __call__(self, step):
        return decay.exponential_decay(
            self.initial_learning_rate,
            step,
            self.decay_steps,
            self.decay_rate,
            staircase=self.staircase,
            name=self.name,
        )

    def get_config(self) -> dict:
        return {
            "initial_learning_rate": self.initial_learning_rate,
            "decay_steps": self.decay_steps,
            "decay_rate": self.decay_rate,
            "staircase": self.staircase,
            "name": self.name,
        }


class PiecewiseConstantDecay(LearningRateSchedule):
    """``values[0]`` while ``step <= boundaries[0]``, ``values[i]`` while
    ``boundaries[i-1] < step <= boundaries[i]``, ``values[-1]`` after the last boundary.

    Raises:
        ValueError: ``len(values) != len(boundaries) + 1``.
    """

    def __init__(self, boundaries, values, name=None):
        if len(boundaries) != len(values) - 1:
            raise ValueError(
                "The length of boundaries should be 1 less than the length of values. "
                f"Received: boundaries={boundaries} of length {len(boundaries)}, and "
                f"values={values} of length {len(values)}."
            )
        self.boundaries = boundaries
        self.values = values
        self.name = name

    def __call__(self, step):
        step = convert_to_tensor(step)
        boundaries = [convert_to_tensor(b) for b in self.boundaries]
        # Keras casts each boundary to the step's dtype (tf.train's function would refuse).
        boundaries = [
            b if b.dtype.base_dtype == step.dtype.base_dtype else math_ops.cast(b, step.dtype)
            for b in boundaries
        ]
        return decay.piecewise_constant(step, boundaries, list(self.values), name=self.name)

    def get_config(self) -> dict:
        return {"boundaries": self.boundaries, "values": self.values, "name": self.name}


class PolynomialDecay(LearningRateSchedule):
    """From ``initial_learning_rate`` to ``end_learning_rate`` over ``decay_steps`` along
    ``(1 - step / decay_steps) ** power``; with ``cycle`` it starts again at each multiple of
    ``decay_steps``, else it stays at the end rate."""

    def __init__(
        self,
        initial_learning_rate,
        decay_steps,
        end_learning_rate=0.0001,
        power=1.0,
        cycle=False,
        name=None,
    ):
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.end_learning_rate = end_learning_rate
        self.power = power
        self.cycle = cycle
        self.name = name

    def __call__(self, step):
        return decay.polynomial_decay(
            self.initial_learning_rate,
            step,
            self.decay_steps,
            end_learning_rate=self.end_learning_rate,
            power=self.power,
            cycle=self.cycle,
            name=self.name,
        )

    def get_config(self) -> dict:
        return {
            "initial_learning_rate": self.initial_learning_rate,
            "decay_steps": self.decay_steps,
            "end_learning_rate": self.end_learning_rate,
            "power": self.power,
            "cycle": self.cycle,
            "name": self.name,
        }


class InverseTimeDecay(LearningRateSchedule):
    """``initial_learning_rate / (1 + decay_rate * step / decay_steps)`` (the ratio floored
    when ``staircase``)."""

    def __init__(self, initial_learning_rate, decay_steps, decay_rate, staircase=False, name=None):
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.decay_rate = decay_rate
        self.staircase = staircase
        self.name = name

    def __call__(self, step):
        return decay.inverse_time_decay(
            self.initial_learning_rate,
            step,
            self.decay_steps,
            self.decay_rate,
            staircase=self.staircase,
            name=self.name,
        )

    def get_config(self) -> dict:
        return {
            "initial_learning_rate": self.initial_learning_rate,
            "decay_steps": self.decay_steps,
            "decay_rate": self.decay_rate,
            "staircase": self.staircase,
            "name": self.name,
        }


class CosineDecay(LearningRateSchedule):
    """Half a cosine from the rate to ``alpha`` times it over ``decay_steps``; with a
    ``warmup_target``, first a straight line from ``initial_learning_rate`` to it over
    ``warmup_steps``, then the cosine from ``warmup_target``."""

    def __init__(
        self,
        initial_learning_rate,
        decay_steps,
        alpha=0.0,
        name=None,
        warmup_target=None,
        warmup_steps=0,
    ):
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.alpha = alpha
        self.name = name
        self.warmup_target = warmup_target
        self.warmup_steps = warmup_steps

    def _cosine(self, step, steps, start, dtype):
        fraction = step / steps
        cosine = 0.5 * (1.0 + math_ops.cos(constant(math.pi, dtype=dtype) * fraction))
        return math_ops.multiply(start, (1 - self.alpha) * cosine + self.alpha)

    def __call__(self, step):
        with name_scope(self.name or "CosineDecay"):
            lr = convert_to_tensor(self.initial_learning_rate, name="initial_learning_rate")
            dtype = lr.dtype.base_dtype
            steps = math_ops.cast(self.decay_steps, dtype)
            step = math_ops.cast(step, dtype)
            if self.warmup_target is None:
                return self._cosine(math_ops.minimum(step, steps), steps, lr, dtype)
            target = math_ops.cast(self.warmup_target, dtype)
            warmup = math_ops.cast(self.warmup_steps, dtype)
            step = math_ops.minimum(step, steps + warmup)
            rising = (target - lr) * (step / warmup) + lr
            falling = self._cosine(step - warmup, steps, target, dtype)
            # TF picks with a cond; both sides are cheap scalars, so a select gives the same.
            return selection_ops.where_v2(step < warmup, rising, falling)

    def get_config(self) -> dict:
        return {
            "initial_learning_rate": self.initial_learning_rate,
            "decay_steps": self.decay_steps,
            "alpha": self.alpha,
            "name": self.name,
            "warmup_target": self.warmup_target,
            "warmup_steps": self.warmup_steps,
        }


class CosineDecayRestarts(LearningRateSchedule):
    """Cosine decay with warm restarts (SGDR): period ``i`` lasts
    ``first_decay_steps * t_mul ** i`` steps and starts at ``initial_learning_rate *
    m_mul ** i``."""

    def __init__(
        self, initial_learning_rate, first_decay_steps, t_mul=2.0, m_mul=1.0, alpha=0.0, name=None
    ):
        self.initial_learning_rate = initial_learning_rate
        self.first_decay_steps = first_decay_steps
        self._t_mul = t_mul
        self._m_mul = m_mul
        self.alpha = alpha
        self.name = name

    def __call__(self, step):
        return decay.cosine_decay_restarts(
            self.initial_learning_rate,
            step,
            self.first_decay_steps,
            t_mul=self._t_mul,
            m_mul=self._m_mul,
            alpha=self.alpha,
            name=self.name,
        )

    def get_config(self) -> dict:
        return {
            "initial_learning_rate": self.initial_learning_rate,
            "first_decay_steps": self.first_decay_steps,
            "t_mul": self._t_mul,
            "m_mul": self._m_mul,
            "alpha": self.alpha,
            "name": self.name,
        }


_SCHEDULES = {
    cls.__name__: cls
    for cls in (
        ExponentialDecay,
        PiecewiseConstantDecay,
        PolynomialDecay,
        InverseTimeDecay,
        CosineDecay,
        CosineDecayRestarts,
    )
}


def serialize(learning_rate_schedule, use_legacy_format=False) -> dict:
    """``{"class_name": ..., "config": ...}`` of a schedule."""
    return serialize_keras_object(learning_rate_schedule)


def deserialize(config, custom_objects=None, use_legacy_format=False):
    """The schedule a ``serialize`` dictionary describes.

    Raises:
        ValueError: an unknown class name ("Unknown decay").
    """
    return deserialize_keras_object(
        config,
        module_objects=_SCHEDULES,
        custom_objects=custom_objects,
        printable_module_name="decay",
    )


__all__ = [
    "CosineDecay",
    "CosineDecayRestarts",
    "ExponentialDecay",
    "InverseTimeDecay",
    "LearningRateSchedule",
    "PiecewiseConstantDecay",
    "PolynomialDecay",
    "deserialize",
    "serialize",
]
