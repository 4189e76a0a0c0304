"""Helpers the layers share: ``smart_cond`` (a ``tf.cond`` only when the predicate is not
known while building) and argument normalization (``normalize_tuple``, ``normalize_padding``)
with Keras's errors."""

from __future__ import annotations

import numpy as np

from scopeflow.framework.tensor import Tensor
from scopeflow.ops.control.cond import cond
from scopeflow.ops.core.infer import constant_value
from scopeflow.variables.variables import Variable


def smart_cond(pred, true_fn, false_fn, name=None):
    """``true_fn()`` or ``false_fn()`` when ``pred`` is a Python bool (or 0/1) or a constant
    tensor, else ``tf.cond(pred, true_fn, false_fn)``, as TF1's layers choose.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     print(smart_cond(True, lambda: tf.constant(1), lambda: tf.constant(2)).op.name)
    Const
    """
    if isinstance(pred, Variable):
        return cond(pred, true_fn, false_fn, name=name)
    value = constant_value_of(pred)
    if value is None:
        return cond(pred, true_fn, false_fn, name=name)
    return true_fn() if value else false_fn()


def constant_value_of(pred) -> bool | None:
    """``pred`` as a Python bool when known while building, else ``None``."""
    if isinstance(pred, (bool, np.bool_)) or (isinstance(pred, int) and pred in (0, 1)):
        return bool(pred)
    if isinstance(pred, Tensor):
        value = constant_value(pred)
        return None if value is None else bool(value)
    raise TypeError(
        f"`pred` must be a Tensor, or a Python bool, or 1 or 0. Found instead: {type(pred)}"
    )


def normalize_tuple(value, n: int, name: str) -> tuple:
    """An int or an iterable of ``n`` ints as a tuple of ``n`` ints (Keras's errors)."""
    if isinstance(value, int):
        return (value,) * n
    try:
        items = tuple(value)
    except TypeError:
        raise ValueError(
            f"The `{name}` argument must be a tuple of {n} integers. Received: {value}"
        ) from None
    if len(items) != n or not all(isinstance(v, (int, np.integer)) for v in items):
        raise ValueError(
            f"The `{name}` argument must be a tuple of {n} integers. Received: {value}"
        )
    return tuple(int(v) for v in items)


def normalize_padding(value) -> str:
    """``"valid"`` or ``"same"`` (any case)."""
    padding = value.lower() if isinstance(value, str) else value
    if padding not in ("valid", "same"):
        raise ValueError(
            "The `padding` argument must be a list/tuple or one of "
            f'"valid", "same" (or "causal", only for `Conv1D). Received: {value}'
        )
    return padding
