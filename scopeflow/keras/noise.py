"""``tf.keras.layers.GaussianNoise``, ``GaussianDropout``, ``AlphaDropout`` and
``SpatialDropout1D``/``2D``: regularizing noise applied in the training phase only (a
``cond`` on the learning phase, as TF1.15's Keras builds it); at test time the inputs pass
unchanged.

>>> import numpy as np, scopeflow as tf
>>> with tf.Graph().as_default():
...     x = tf.keras.Input(shape=(3,))
...     model = tf.keras.Model(x, tf.keras.layers.GaussianNoise(1.0)(x))
...     print(model.predict(np.ones((1, 3))))
[[1. 1. 1.]]
"""

from __future__ import annotations

import numpy as np

from scopeflow.keras import backend
from scopeflow.keras.engine import Layer
from scopeflow.layers import core as tf_core
from scopeflow.layers.base import InputSpec
from scopeflow.layers.core import check_channels_last
from scopeflow.ops.array import basic as array_ops
from scopeflow.ops.array.cast import cast
from scopeflow.ops.math import elementwise as math_ops


class GaussianNoise(Layer):
    """Adds normal noise of ``stddev`` while training."""

    supports_masking = True

    def __init__(self, stddev, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.stddev = stddev
        self.seed = seed

    def call(self, inputs, training=None):
        def noised():
            noise = backend.random_normal(
                array_ops.shape(inputs), 0.0, self.stddev, inputs.dtype.base_dtype, self.seed
            )
            return inputs + noise

        return backend.in_train_phase(noised, inputs, training=training)


class GaussianDropout(Layer):
    """Multiplies by normal noise of mean 1 and standard deviation
    ``sqrt(rate / (1 - rate))`` while training."""

    supports_masking = True

    def __init__(self, rate, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.rate = rate
        self.seed = seed

    def call(self, inputs, training=None):
        if not 0 < self.rate < 1:
            return inputs

        def noised():
            stddev = np.sqrt(self.rate / (1.0 - self.rate))
            noise = backend.random_normal(
                array_ops.shape(inputs), 1.0, stddev, inputs.dtype.base_dtype, self.seed
            )
            return inputs * noise

        return backend.in_train_phase(noised, inputs, training=training)


class AlphaDropout(Layer):
    """Dropout that keeps the mean and variance of SELU activations: dropped entries set to
    SELU's negative saturation, then an affine correction, while training."""

    supports_masking = True

    def __init__(self, rate, noise_shape=None, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.rate = rate
        self.noise_shape = noise_shape
        self.seed = seed

    def call(self, inputs, training=None):
        if not 0.0 < self.rate < 1.0:
            return inputs
        rate = self.rate
        noise_shape = self.noise_shape or array_ops.shape(inputs)

        def dropped():
            alpha = 1.6732632423543772848170429916717
            scale = 1.0507009873554804934193349852946
            alpha_p = -alpha * scale
            uniform = backend.random_uniform(noise_shape, seed=self.seed)
            kept = cast(math_ops.greater_equal(uniform, rate), inputs.dtype.base_dtype)
            a = ((1 - rate) * (1 + rate * alpha_p**2)) ** -0.5
            b = -a * alpha_p * rate
            x = inputs * kept + alpha_p * (1 - kept)
            return a * x + b

        return backend.in_train_phase(dropped, inputs, training=training)


class _SpatialDropout(Layer, tf_core.Dropout):
    """Keras's ``Dropout`` with whole channels dropped: the noise shape ``(batch, 1, ...,
    channels)`` made inside the training branch, as TF's."""

    ndim = 3
    supports_masking = True

    def __init__(self, rate, data_format=None, **kwargs):
        super().__init__(rate=rate, **kwargs)
        check_channels_last(data_format, type(self).__name__)
        self.input_spec = InputSpec(ndim=self.ndim)

    def _get_noise_shape(self, inputs):
        shape = array_ops.shape(inputs)
        return (shape[0], *[1] * (self.ndim - 2), shape[self.ndim - 1])


class SpatialDropout1D(_SpatialDropout):
    """Drops whole feature channels of ``[batch, steps, channels]`` while training."""


class SpatialDropout2D(_SpatialDropout):
    """Drops whole channels of NHWC images while training."""

    ndim = 4


__all__ = [
    "AlphaDropout",
    "GaussianDropout",
    "GaussianNoise",
    "SpatialDropout1D",
    "SpatialDropout2D",
]
