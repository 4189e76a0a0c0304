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

import numpy as np

from scopeflow.framework.constant import convert_to_tensor
from scopeflow.keras import backend_math as K
from scopeflow.keras.backend_config import epsilon, floatx
from scopeflow.ops.array import basic as array_ops
from scopeflow.ops.array.gather import gather


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


def _radial_sources(n: int) -> np.ndarray:
    """For an ``n`` by ``n`` kernel, the diagonal entry each position takes: TF's Keras keeps
    one value per ring around the centre (the centre cell, or 2x2 block, takes the entry
    just up-left of the middle; ring ``d`` the entry ``d`` below-right of the middle)."""
    start = n // 2
    if n % 2:
        ring = np.maximum.outer(*(2 * [np.abs(np.arange(n) - start)]))
        return np.where(ring == 0, start - 1, start + ring - 1)
    rows = np.arange(n)
    away = np.where(rows < start - 1, start - 1 - rows, np.maximum(rows - start, 0))
    ring = np.maximum.outer(away, away)
    return np.where(ring == 0, start - 1, start + ring)


class RadialConstraint(Constraint):
    """Makes each ``[h, h]`` slice of a 4-D ``Conv2D`` kernel constant on each ring around
    its centre, as TF's Keras does."""

    def __call__(self, w):
        w = convert_to_tensor(w)
        if w.shape.ndims != 4:
            raise ValueError(
                f"The weight tensor must have rank 4. Received weight tensor with shape: {w.shape}"
            )
        height, width, channels, kernels = w.shape.as_list()
        if height is None or height != width:
            raise ValueError(
                "RadialConstraint needs square kernels of known size. Received weight tensor "
                f"with shape: {w.shape}"
            )
        flat = array_ops.reshape(w, (height * width, channels * kernels))
        diagonal = gather(flat, [i * width + i for i in range(height)])
        radial = gather(diagonal, _radial_sources(height).ravel().tolist())
        return array_ops.reshape(radial, (height, width, channels, kernels))


radial_constraint = RadialConstraint

_BY_NAME = {
    "Constraint": Constraint,
    "MaxNorm": MaxNorm,
    "NonNeg": NonNeg,
    "UnitNorm": UnitNorm,
    "MinMaxNorm": MinMaxNorm,
    "RadialConstraint": RadialConstraint,
    "max_norm": MaxNorm,
    "non_neg": NonNeg,
    "unit_norm": UnitNorm,
    "min_max_norm": MinMaxNorm,
    "radial_constraint": RadialConstraint,
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
