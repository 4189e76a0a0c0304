"""``tf.layers.experimental``: Keras-style ``tf.layers`` (``keras_style_scope``,
``set_keras_style``).

A Keras-style layer is named once, when made (``dense_1``, ``dense_2``..., the layer's
``name``), opens a fresh name scope of that name on each call (``dense_1/``, then
``dense_1_1/``) and makes its weights there as plain variables (``dense_1/kernel:0``):
variable scopes and ``reuse`` do not apply, so two models never share or clash over
variables. ``scope=`` and ``_reuse=`` are refused; its update ops stay on the layer
(``layer.updates``), out of ``UPDATE_OPS``. As TF's, the switch is process-wide.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator


class _Switch:
    """Whether layers made now are Keras-style (TF keeps one flag for the whole process)."""

    on = False


def keras_style_scope() -> contextlib.AbstractContextManager:
    """Layers (and RNN cells) made in the block are Keras-style (see the module's docstring).

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     x = tf.placeholder(tf.float32, [None, 3])
    ...     with tf.layers.experimental.keras_style_scope():
    ...         layer = tf.layers.Dense(4)
    ...         y, y2 = layer(x), layer(x)
    >>> layer.name, y2.name, [v.name for v in layer.weights]
    ('dense_1', 'dense_1_1/BiasAdd:0', ['dense_1/kernel:0', 'dense_1/bias:0'])
    """
    return _scope()


@contextlib.contextmanager
def _scope() -> Iterator[None]:
    outer = _Switch.on
    _Switch.on = True
    try:
        yield
    finally:
        _Switch.on = outer


def set_keras_style() -> None:
    """Makes every layer made from now on Keras-style (``keras_style_scope`` for good)."""
    _Switch.on = True


def in_keras_style_scope() -> bool:
    return _Switch.on


__all__ = ["keras_style_scope", "set_keras_style"]
