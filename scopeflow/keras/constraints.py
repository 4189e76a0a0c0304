"""``tf.keras.constraints``: projections Keras applies to a weight after each optimizer step
(``Dense(4, kernel_constraint=tf.keras.constraints.MaxNorm(2))``), as TF1.15's Keras
computes them.

>>> import numpy as np, scopeflow as tf
>>> with tf.Graph().as_default(), tf.Session() as sess:
...     w = tf.constant([[3.0, 0.5], [4.0, 0.0]])
...     print(np.round(sess.run(tf.keras.constraints.MaxNorm(1.0)(w)).astype(float), 3).tolist())
[[0.6, 0.5], [0.8, 0.0]]
"""

from __future__ import annotations

from scopeflow.framework.constant import convert_to_tensor
from scopeflow.keras import backend_math as K
from scopeflow.keras.backend_config import epsilon, floatx


def _norms(w, axis):
    return K.sqrt(K.sum(K.square(w), axis=axis, keepdims=True))


class Constraint:
    """A weight constraint: ``constraint(w)`` is the projected weight."""

    def __call__(self, w):
        return w

    def get_config(self) -> dict:
        return {}


class MaxNorm(Constraint):
    """Scales the weight vectors along ``axis`` whose norm exceeds ``max_value`` down to it."""

    def __init__(self, max_value=2, axis=0):
        self.max_value = max_value
        self.axis = axis

    def __call__(self, w):
        norms = _norms(w, self.axis)
        desired = K.clip(norms, 0, self.max_value)
        return w * (desired / (epsilon() + norms))

    def get_config(self) -> dict:
        return {"max_value": self.max_value, "axis": self.axis}


class NonNeg(Constraint):
    """Sets the negative entries to zero."""

    def __call__(self, w):
        w = convert_to_tensor(w)
        return w * K.cast(K.greater_equal(w, 0.0), floatx())


class UnitNorm(Constraint):
    """Scales the weight vectors along ``axis`` to norm one."""

    def __init__(self, axis=0):
        self.axis = axis

    def __call__(self, w):
        return w / (epsilon() + _norms(w, self.axis))

    def get_config(self) -> dict:
        return {"axis": self.axis}


class MinMaxNorm(Constraint):
    """Moves the norm of each weight vector along ``axis`` (a ``rate`` of the way) into
    ``[min_value, max_value]``."""

    def __init__(self, min_value=0.0, max_value=1.0, rate=1.0, axis=0):
        self.min_value = min_value
        self.max_value = max_value
        self.rate = rate
        self.axis = axis

    def __call__(self, w):
        norms = _norms(w, self.axis)
        desired = self.rate * K.clip(norms, self.min_value, self.max_value)
        desired += (1 - self.rate) * norms
        return w * (desired / (epsilon() + norms))

    def get_config(self) -> dict:
        return {
            "min_value": self.min_value,
            "max_value": self.max_value,
            "rate": self.rate,
            "axis": self.axis,
        }


max_norm = MaxNorm
non_neg = NonNeg
unit_norm = UnitNorm
min_max_norm = MinMaxNorm

_BY_NAME = {
    "Constraint": Constraint,
    "MaxNorm": MaxNorm,
    "NonNeg": NonNeg,
    "UnitNorm": UnitNorm,
    "MinMaxNorm": MinMaxNorm,
    "max_norm": MaxNorm,
    "non_neg": NonNeg,
    "unit_norm": UnitNorm,
    "min_max_norm": MinMaxNorm,
}


def serialize(constraint) -> dict:
    """``{"class_name": ..., "config": ...}`` of a constraint object."""
    return {"class_name": type(constraint).__name__, "config": constraint.get_config()}


def deserialize(config: dict, custom_objects=None):
    """The constraint a ``serialize`` dictionary describes."""
    classes = {**_BY_NAME, **(custom_objects or {})}
    name = config["class_name"]
    if name not in classes:
        raise ValueError(f"Unknown constraint: {name}")
    return classes[name](**config.get("config", {}))


def get(identifier):
    """A constraint from a name (``"max_norm"``), a config dictionary or a callable;
    ``None`` stays ``None``."""
    if identifier is None:
        return None
    if isinstance(identifier, dict):
        return deserialize(identifier)
    if isinstance(identifier, str):
        return deserialize({"class_name": identifier, "config": {}})
    if callable(identifier):
        return identifier
    raise ValueError(f"Could not interpret constraint identifier: {identifier}")


__all__ = [*sorted(_BY_NAME), "deserialize", "get", "serialize"]
