"""``tf.keras.regularizers``: ``L1``, ``L2``, ``L1L2`` (and their lower-case aliases
``l1``, ``l2``, ``l1_l2``) as TF's Keras (tf_keras, TF 2.21) builds them: ``l2(0.01)(w)`` is
``0.02 * l2_loss(w)`` (``L2Loss``, ``mul``), ``l1(0.01)(w)`` is ``0.01 * reduce_sum(abs(w))``,
``L1L2`` adds either to a ``0.0`` constant; ``get``, ``serialize`` and ``deserialize`` by
class name.

>>> import scopeflow as tf
>>> with tf.Graph().as_default(), tf.Session() as sess:
...     print(sess.run(tf.keras.regularizers.l2(0.5)(tf.constant([1.0, 2.0]))))
2.5
"""

from __future__ import annotations

import math

import numpy as np

from scopeflow.framework.constant import constant
from scopeflow.keras.custom_objects import get_custom_objects
from scopeflow.ops.core.build import l2_loss
from scopeflow.ops.math import elementwise as math_ops
from scopeflow.ops.math import reduction as reduction_ops


def _penalty(value, default: float) -> np.float32:
    """``value`` (``None``: ``default``) as Keras keeps it, a float32, after TF's checks."""
    value = default if value is None else value
    if not isinstance(value, float | int):
        raise ValueError(
            f"Value {value} is not a valid regularization penalty number, expected an int or "
            "float value."
        )
    if math.isinf(value) or math.isnan(value):
        raise ValueError(
            f"Value {value} is not a valid regularization penalty number, an infinite number "
            "or NaN are not valid values."
        )
    return np.float32(value)


def _one_penalty(kwargs: dict, value, default: float) -> np.float32:
    """``L1``/``L2``'s argument, also given as ``l=``; other keywords are refused as TF's."""
    value = kwargs.pop("l", value)
    if kwargs:
        raise TypeError(f"Argument(s) not recognized: {kwargs}")
    return _penalty(value, default)


class Regularizer:
    """Base class: ``regularizer(weights)`` returns a scalar penalty."""

    def __call__(self, x):
        return 0.0

    def get_config(self) -> dict:
        raise NotImplementedError(f"{self} does not implement get_config()")

    @classmethod
    def from_config(cls, config: dict):
        return cls(**config)


class L1L2(Regularizer):
    """``l1 * sum(|w|) + 2 * l2 * l2_loss(w)``, summed onto a ``0.0`` constant."""

    def __init__(self, l1=0.0, l2=0.0):
        self.l1 = _penalty(l1, 0.0)
        self.l2 = _penalty(l2, 0.0)

    def __call__(self, x):
        regularization = constant(0.0, dtype=x.dtype.base_dtype)
        if self.l1:
            regularization += self.l1 * reduction_ops.reduce_sum(math_ops.abs(x))
        if self.l2:
            regularization += 2.0 * self.l2 * l2_loss(x)
        return regularization

    def get_config(self) -> dict:
        return {"l1": float(self.l1), "l2": float(self.l2)}


class L1(Regularizer):
    """``l1 * sum(|w|)``."""

    def __init__(self, l1=0.01, **kwargs):
        self.l1 = _one_penalty(kwargs, l1, 0.01)

    def __call__(self, x):
        return self.l1 * reduction_ops.reduce_sum(math_ops.abs(x))

    def get_config(self) -> dict:
        return {"l1": float(self.l1)}


class L2(Regularizer):
    """``2 * l2 * l2_loss(w)``, that is ``l2 * sum(w ** 2)``."""

    def __init__(self, l2=0.01, **kwargs):
        self.l2 = _one_penalty(kwargs, l2, 0.01)

    def __call__(self, x):
        return 2.0 * self.l2 * l2_loss(x)

    def get_config(self) -> dict:
        return {"l2": float(self.l2)}


l1 = L1
l2 = L2


def l1_l2(l1=0.01, l2=0.01):  # noqa: F811 - Keras's argument names
    """``L1L2(l1, l2)``."""
    return L1L2(l1=l1, l2=l2)


_BY_NAME = {"L1": L1, "L2": L2, "L1L2": L1L2, "l1": L1, "l2": L2, "l1_l2": l1_l2,
            "Regularizer": Regularizer}  # fmt: skip


def serialize(regularizer) -> dict:
    """``{"class_name": ..., "config": ...}`` of a regularizer object."""
    return {"class_name": type(regularizer).__name__, "config": regularizer.get_config()}


def deserialize(config, custom_objects=None):
    """The regularizer a ``serialize`` dictionary (or a class or alias name) describes."""
    name = config if isinstance(config, str) else config["class_name"]
    classes = {**_BY_NAME, **get_custom_objects(), **(custom_objects or {})}
    if name not in classes:
        raise ValueError(
            f"Unknown regularizer: '{name}'. Please ensure you are using a "
            "`keras.utils.custom_object_scope` and that this object is included in the scope. "
            "See https://www.tensorflow.org/guide/keras/save_and_serialize"
            "#registering_the_custom_object for details."
        )
    if isinstance(config, str):
        return classes[name]()
    found = classes[name]
    settings = config.get("config", {})
    return found.from_config(settings) if hasattr(found, "from_config") else found(**settings)


def get(identifier):
    """``None``, a regularizer (or callable) as is, a ``serialize`` dictionary, or a name
    (``"l2"``, ``"L1L2"``)."""
    if identifier is None:
        return None
    if isinstance(identifier, dict | str):
        return deserialize(identifier)
    if callable(identifier):
        return identifier
    raise ValueError(f"Could not interpret regularizer identifier: {identifier}")


__all__ = [
    "L1",
    "L1L2",
    "L2",
    "Regularizer",
    "deserialize",
    "get",
    "l1",
    "l1_l2",
    "l2",
    "serialize",
]
