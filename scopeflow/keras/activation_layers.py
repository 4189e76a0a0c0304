"""``tf.keras.layers.LeakyReLU``, ``PReLU``, ``ELU``, ``ReLU``, ``Softmax`` and
``ThresholdedReLU``: activations as layers, as TF1.15's Keras builds them (``PReLU`` learns
its slopes in the weight ``alpha``).

>>> import scopeflow as tf
>>> with tf.Graph().as_default():
...     x = tf.keras.Input(shape=(3,))
...     layer = tf.keras.layers.PReLU()
...     y = tf.keras.layers.LeakyReLU()(layer(x))
>>> [w.name for w in layer.weights], y.name
(['p_re_lu/alpha:0'], 'leaky_re_lu/LeakyRelu:0')
"""

from __future__ import annotations

from scopeflow.keras import backend_nn as K
from scopeflow.keras import constraints, initializers, regularizers
from scopeflow.keras.engine import Layer
from scopeflow.layers.base import InputSpec
from scopeflow.ops.array.cast import cast
from scopeflow.ops.math import elementwise as math_ops
from scopeflow.ops.nn import activation as nn_act


class LeakyReLU(Layer):
    """``x`` if positive, else ``alpha * x`` (``LeakyRelu``)."""

    supports_masking = True

    def __init__(self, alpha=0.3, **kwargs):
        super().__init__(**kwargs)
        if alpha is None:
            raise ValueError(
                "The alpha value of a Leaky ReLU layer cannot be None, needs a float. Got None"
            )
        self.alpha = float(alpha)

    def call(self, inputs):
        return nn_act.leaky_relu(inputs, alpha=self.alpha)

    def get_config(self) -> dict:
        return {**super().get_config(), "alpha": self.alpha}


class PReLU(Layer):
    """``x`` if positive, else ``alpha * x`` with ``alpha`` a weight (one per input entry,
    shared along ``shared_axes``)."""

    supports_masking = True

    def __init__(
        self,
        alpha_initializer="zeros",
        alpha_regularizer=None,
        alpha_constraint=None,
        shared_axes=None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.alpha_initializer = initializers.get(alpha_initializer)
        self.alpha_regularizer = regularizers.get(alpha_regularizer)
        self.alpha_constraint = constraints.get(alpha_constraint)
        if shared_axes is None:
            self.shared_axes = None
        elif isinstance(shared_axes, list | tuple):
            self.shared_axes = list(shared_axes)
        else:
            self.shared_axes = [shared_axes]

    def build(self, input_shape):
        dims = input_shape.as_list()
        param_shape = list(dims[1:])
        if self.shared_axes is not None:
            for axis in self.shared_axes:
                param_shape[axis - 1] = 1
        self.alpha = self.add_weight(
            "alpha",
            shape=param_shape,
            initializer=self.alpha_initializer,
            regularizer=self.alpha_regularizer,
            constraint=self.alpha_constraint,
        )
        axes = {}
        if self.shared_axes:
            axes = {i: dims[i] for i in range(1, len(dims)) if i not in self.shared_axes}
        self.input_spec = InputSpec(ndim=len(dims), axes=axes)
        self.built = True

    def call(self, inputs):
        pos = nn_act.relu(inputs)
        neg = -self.alpha * nn_act.relu(-inputs)
        return pos + neg


class ELU(Layer):
    """``x`` if positive, else ``alpha * (exp(x) - 1)``."""

    supports_masking = True

    def __init__(self, alpha=1.0, **kwargs):
        super().__init__(**kwargs)
        if alpha is None:
            raise ValueError(
                "Alpha of an ELU layer cannot be None, expecting a float. Received: None"
            )
        self.alpha = float(alpha)

    def call(self, inputs):
        return K.elu(inputs, self.alpha)


class ReLU(Layer):
    """``max(x, 0)``, with ``negative_slope`` below ``threshold`` and a cap ``max_value``."""

    supports_masking = True

    def __init__(self, max_value=None, negative_slope=0.0, threshold=0.0, **kwargs):
        super().__init__(**kwargs)
        if max_value is not None and max_value < 0.0:
            raise ValueError(
                f"max_value of a ReLU layer cannot be a negative value. Received: {max_value}"
            )
        if negative_slope is None or negative_slope < 0.0:
            raise ValueError(
                "negative_slope of a ReLU layer cannot be a negative value. Received: "
                f"{negative_slope}"
            )
        if threshold is None or threshold < 0.0:
            raise ValueError(
                f"threshold of a ReLU layer cannot be a negative value. Received: {threshold}"
            )
        self.max_value = max_value
        self.negative_slope = negative_slope
        self.threshold = threshold

    def call(self, inputs):
        return K.relu(
            inputs, alpha=self.negative_slope, max_value=self.max_value, threshold=self.threshold
        )


class Softmax(Layer):
    """``Softmax`` along ``axis``."""

    supports_masking = True

    def __init__(self, axis=-1, **kwargs):
        super().__init__(**kwargs)
        self.axis = axis

    def call(self, inputs):
        return K.softmax(inputs, axis=self.axis)


class ThresholdedReLU(Layer):
    """``x`` where ``x > theta``, else 0."""

    supports_masking = True

    def __init__(self, theta=1.0, **kwargs):
        super().__init__(**kwargs)
        if theta is None:
            raise ValueError(
                "Theta of a Thresholded ReLU layer cannot be None, expecting a float. "
                "Received: None"
            )
        if theta < 0:
            raise ValueError(
                f"The theta value of a Thresholded ReLU layer should be >=0. Received: {theta}"
            )
        self.theta = float(theta)

    def call(self, inputs):
        dtype = inputs.dtype.base_dtype
        return inputs * cast(math_ops.greater(inputs, self.theta), dtype)


__all__ = ["ELU", "LeakyReLU", "PReLU", "ReLU", "Softmax", "ThresholdedReLU"]
