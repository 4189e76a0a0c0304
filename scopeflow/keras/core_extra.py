"""``tf.keras.layers.ActivityRegularization`` and ``Identity``: layers that pass their
inputs through, the first adding an L1/L2 penalty on them to the model's losses.

>>> import scopeflow as tf
>>> with tf.Graph().as_default():
...     x = tf.keras.Input(shape=(3,))
...     layer = tf.keras.layers.ActivityRegularization(l1=0.1)
...     y = tf.keras.layers.Identity()(layer(x))
>>> len(layer.losses), y.shape.as_list()
(1, [None, 3])
"""

from __future__ import annotations

from scopeflow.keras import regularizers
from scopeflow.keras.engine import Layer
from scopeflow.ops.array.basic import identity


class ActivityRegularization(Layer):
    """Its inputs unchanged; ``l1 * sum(|x|) + l2 * sum(x ** 2)`` (over the batch, divided
    by the batch size) added to the losses."""

    supports_masking = True

    def __init__(self, l1=0.0, l2=0.0, **kwargs):
        super().__init__(activity_regularizer=regularizers.L1L2(l1=l1, l2=l2), **kwargs)
        self.l1, self.l2 = l1, l2

    def call(self, inputs):
        return identity(inputs)

    def get_config(self) -> dict:
        return {**super().get_config(), "l1": self.l1, "l2": self.l2}


class Identity(Layer):
    """Its inputs unchanged (a placeholder layer)."""

    supports_masking = True

    def call(self, inputs):
        return identity(inputs)


__all__ = ["ActivityRegularization", "Identity"]
