"""``tf.keras.regularizers``: ``l1``, ``l2``, ``l1_l2`` as Keras's ``L1L2`` builds them
(``l2(0.01)(w)`` is ``0.01 * reduce_sum(square(w))``), and ``get``.

>>> import scopeflow as tf
>>> with tf.Graph().as_default(), tf.Session() as sess:
...     print(sess.run(tf.keras.regularizers.l2(0.5)(tf.constant([1.0, 2.0]))))
2.5
"""

from __future__ import annotations

import numpy as np

from scopeflow.framework.constant import convert_to_tensor
from scopeflow.ops.math import elementwise as math_ops
from scopeflow.ops.math import reduction as reduction_ops


def _floatx(value: float) -> float:
    """``value`` as Keras keeps it (a float32), as a Python float."""
    return float(np.float32(value))


class Regularizer:
    """Base class: ``regularizer(weights)`` returns a scalar penalty."""

    def __call__(self, x):
        return 0.0


class L1L2(Regularizer):
    """``l1 * sum(|w|) + l2 * sum(w ** 2)``."""

    def __init__(self, l1=0.0, l2=0.0):
        self.l1 = float(l1)
        self.l2 = float(l2)

    def __call__(self, x):
        regularization = 0.0
        if self.l1:
            regularization += self.l1 * reduction_ops.reduce_sum(math_ops.abs(x))
        if self.l2:
            regularization += self.l2 * reduction_ops.reduce_sum(math_ops.square(x))
        return convert_to_tensor(regularization)

    def get_config(self) -> dict:
        return {"l1": _floatx(self.l1), "l2": _floatx(self.l2)}


class L1(L1L2):
    """``l1 * sum(|w|)``."""

    def __init__(self, l1=0.01, **kwargs):
        super().__init__(l1=kwargs.pop("l", l1))

    def get_config(self) -> dict:
        return {"l1": _floatx(self.l1)}


class L2(L1L2):
    """``l2 * sum(w ** 2)``."""

    def __init__(self, l2=0.01, **kwargs):
        super().__init__(l2=kwargs.pop("l", l2))

    def get_config(self) -> dict:
        return {"l2": _floatx(self.l2)}


def serialize(regularizer) -> dict:
    """``{"class_name": ..., "config": ...}`` of a regularizer object."""
    return {"class_name": type(regularizer).__name__, "config": regularizer.get_config()}


def deserialize(config: dict, custom_objects=None):
    """The regularizer a ``serialize`` dictionary describes."""
    classes = {"L1": L1, "L2": L2, "L1L2": L1L2, **(custom_objects or {})}
    if config["class_name"] not in classes:
        raise ValueError(f"Unknown regularizer: {config['class_name']}")
    return classes[config["class_name"]](**config.get("config", {}))


def l1(l=0.01):  # noqa: E741 - Keras's argument name
    """``L1L2(l1=l)``."""
    return L1L2(l1=l)


def l2(l=0.01):  # noqa: E741 - Keras's argument name
    """``L1L2(l2=l)``."""
    return L1L2(l2=l)


def l1_l2(l1=0.01, l2=0.01):  # noqa: F811 - Keras's argument names
    """``L1L2(l1, l2)``."""
    return L1L2(l1=l1, l2=l2)


def get(identifier):
    """``None``, a regularizer (or callable) as is, or ``"l1"``/``"l2"``/``"l1_l2"``."""
    if identifier is None or callable(identifier):
        return identifier
    if isinstance(identifier, dict):
        return deserialize(identifier)
    by_name = {"l1": l1, "l2": l2, "l1_l2": l1_l2}
    if isinstance(identifier, str) and identifier in by_name:
        return by_name[identifier]()
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
