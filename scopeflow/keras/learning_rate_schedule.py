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

import inspect
from collections.abc import Callable

from scopeflow.framework.constant import convert_to_tensor
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


class _ArgumentsSchedule(LearningRateSchedule):
    """A schedule whose config is its constructor's arguments, in order: ``__init__`` keeps
    them as attributes of the same names (``_PRIVATE`` ones with a leading underscore, as
    TF's) by ``self._keep(locals())``."""

    _PRIVATE: tuple[str, ...] = ()

    @classmethod
    def _config_names(cls) -> list[str]:
        return list(inspect.signature(cls.__init__).parameters)[1:]

    def _keep(self, arguments: dict) -> None:
        for name in self._config_names():
            setattr(self, self._attribute(name), arguments[name])

    def _attribute(self, name: str) -> str:
        return f"_{name}" if name in self._PRIVATE else name

    def get_config(self) -> dict:
        return {name: getattr(self, self._attribute(name)) for name in self._config_names()}


class _TrainFunctionSchedule(_ArgumentsSchedule):
    """A schedule that is the ``tf.train`` decay function ``_decay``, called with the
    schedule's arguments in their order and the step second."""

    _decay: Callable

    def __call__(self, step):
        initial_learning_rate, *rest = self.get_config().values()
        return self._decay(initial_learning_rate, step, *rest)


class ExponentialDecay(_TrainFunctionSchedule):
    """``initial_learning_rate * decay_rate ** (step / decay_steps)`` (the exponent floored
    when ``staircase``)."""

    _decay = staticmethod(decay.exponential_decay)

    def __init__(self, initial_learning_rate, decay_steps, decay_rate, staircase=False, name=None):
        self._keep(locals())


class PiecewiseConstantDecay(_ArgumentsSchedule):
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
        self._keep(locals())

    def __call__(self, step):
        step = convert_to_tensor(step)
        boundaries = [convert_to_tensor(b) for b in self.boundaries]
        # Keras casts each boundary to the step's dtype (tf.train's function would refuse).
        boundaries = [
            b if b.dtype.base_dtype == step.dtype.base_dtype else math_ops.cast(b, step.dtype)
            for b in boundaries
        ]
        return decay.piecewise_constant(step, boundaries, list(self.values), name=self.name)


class PolynomialDecay(_TrainFunctionSchedule):
    """From ``initial_learning_rate`` to ``end_learning_rate`` over ``decay_steps`` along
    ``(1 - step / decay_steps) ** power``; with ``cycle`` it starts again at each multiple of
    ``decay_steps``, else it stays at the end rate."""

    _decay = staticmethod(decay.polynomial_decay)

    def __init__(
        self,
        initial_learning_rate,
        decay_steps,
        end_learning_rate=0.0001,
        power=1.0,
        cycle=False,
        name=None,
    ):
        self._keep(locals())


class InverseTimeDecay(_TrainFunctionSchedule):
    """``initial_learning_rate / (1 + decay_rate * step / decay_steps)`` (the ratio floored
    when ``staircase``)."""

    _decay = staticmethod(decay.inverse_time_decay)

    def __init__(self, initial_learning_rate, decay_steps, decay_rate, staircase=False, name=None):
        self._keep(locals())


class CosineDecay(_ArgumentsSchedule):
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
        self._keep(locals())

    def __call__(self, step):
        with name_scope(self.name or "CosineDecay"):
            lr = convert_to_tensor(self.initial_learning_rate, name="initial_learning_rate")
            dtype = lr.dtype.base_dtype
            steps = math_ops.cast(self.decay_steps, dtype)
            step = math_ops.cast(step, dtype)
            if self.warmup_target is None:
                return decay.cosine_curve(math_ops.minimum(step, steps), steps, lr, self.alpha)
            target = math_ops.cast(self.warmup_target, dtype)
            warmup = math_ops.cast(self.warmup_steps, dtype)
            step = math_ops.minimum(step, steps + warmup)
            rising = (target - lr) * (step / warmup) + lr
            falling = decay.cosine_curve(step - warmup, steps, target, self.alpha)
            # TF picks with a cond; both sides are cheap scalars, so a select gives the same.
            return selection_ops.where_v2(step < warmup, rising, falling)


class CosineDecayRestarts(_TrainFunctionSchedule):
    """Cosine decay with warm restarts (SGDR): period ``i`` lasts
    ``first_decay_steps * t_mul ** i`` steps and starts at ``initial_learning_rate *
    m_mul ** i``."""

    _decay = staticmethod(decay.cosine_decay_restarts)
    _PRIVATE = ("t_mul", "m_mul")

    def __init__(
        self, initial_learning_rate, first_decay_steps, t_mul=2.0, m_mul=1.0, alpha=0.0, name=None
    ):
        self._keep(locals())


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
