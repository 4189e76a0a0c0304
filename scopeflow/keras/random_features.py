"""``tf.keras.layers.experimental.RandomFourierFeatures``: ``cos(x @ (unscaled_kernel /
kernel_scale) + bias)``, random features approximating a Gaussian (or Laplacian) kernel
(Rahimi and Recht), with TF's Keras weights: ``unscaled_kernel`` from a standard normal (or
Cauchy) distribution and ``bias`` uniform in ``[0, 2 pi)``, both fixed, and a trainable
non-negative ``kernel_scale``. The random draws are scopeflow's, not TF's.

>>> import scopeflow as tf
>>> with tf.Graph().as_default():
...     layer = tf.keras.layers.experimental.RandomFourierFeatures(4, scale=2.0)
...     y = layer(tf.ones([2, 3]))
>>> [w.name for w in layer.weights]  # doctest: +NORMALIZE_WHITESPACE
['random_fourier_features/kernel_scale:0', 'random_fourier_features/unscaled_kernel:0',
 'random_fourier_features/bias:0']
"""

from __future__ import annotations

import math

from scopeflow.framework import dtypes
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.tensor_shape import TensorShape
from scopeflow.keras import constraints, initializers
from scopeflow.keras.engine import Layer
from scopeflow.ops.array.cast import cast
from scopeflow.ops.math import elementwise as math_ops
from scopeflow.ops.math import trig
from scopeflow.ops.math.matmul import matmul
from scopeflow.ops.nn.basic import bias_add
from scopeflow.ops.random.sampling import random_uniform

_KERNELS = ["gaussian", "laplacian"]


def _cauchy(shape, dtype=None, partition_info=None):
    """Standard Cauchy draws: ``tan(pi (u - 1/2))`` of uniform ``u``."""
    u = random_uniform(shape, 0.0, 1.0, dtype=dtype or dtypes.float32)
    return trig.tan(math.pi * (u - 0.5))


class RandomFourierFeatures(Layer):
    """``[batch, input_dim]`` to ``[batch, output_dim]`` random Fourier features.

    Raises:
        ValueError: ``output_dim`` not positive, ``scale`` not positive, an unknown
            ``kernel_initializer``, or inputs not of rank 2.
    """

    def __init__(
        self,
        output_dim,
        kernel_initializer="gaussian",
        scale=None,
        trainable=False,
        name=None,
        **kwargs,
    ):
        if output_dim <= 0:
            raise ValueError(f"`output_dim` should be a positive integer. Received: {output_dim}")
        if isinstance(kernel_initializer, str) and kernel_initializer.lower() not in _KERNELS:
            raise ValueError(
                f"Unsupported `kernel_initializer`: {kernel_initializer} Expected one of: "
                f"{_KERNELS}"
            )
        if scale is not None and scale <= 0.0:
            raise ValueError(
                f"When provided, `scale` should be a positive float. Received: {scale}"
            )
        super().__init__(trainable=trainable, name=name, **kwargs)
        self.output_dim = output_dim
        self.kernel_initializer = kernel_initializer
        self.scale = scale

    def build(self, input_shape):
        shape = TensorShape(input_shape)
        if shape.ndims != 2:
            raise ValueError(
                "The rank of the input tensor should be 2. Received input with rank "
                f"{shape.ndims} instead. Full input shape received: {shape}"
            )
        input_dim = shape[1].value
        if input_dim is None:
            raise ValueError(
                "The last dimension of the input tensor should be defined. Found `None`."
            )
        kind = self.kernel_initializer
        if isinstance(kind, str):
            kind = kind.lower()
            initializer = initializers.RandomNormal(stddev=1.0) if kind == "gaussian" else _cauchy
        else:
            initializer = initializers.get(kind)
        self.unscaled_kernel = self.add_weight(
            "unscaled_kernel",
            shape=(input_dim, self.output_dim),
            initializer=initializer,
            trainable=False,
        )
        self.bias = self.add_weight(
            "bias",
            shape=(self.output_dim,),
            initializer=initializers.RandomUniform(minval=0.0, maxval=2 * math.pi),
            trainable=False,
        )
        scale = self.scale
        if scale is None:
            scale = math.sqrt(input_dim / 2.0) if kind == "gaussian" else 1.0
        self.kernel_scale = self.add_weight(
            "kernel_scale",
            shape=(1,),
            initializer=initializers.Constant(scale),
            trainable=True,
            constraint=constraints.NonNeg(),
        )
        self.built = True

    def call(self, inputs):
        inputs = cast(convert_to_tensor(inputs), dtypes.float32)
        kernel = (1.0 / self.kernel_scale) * self.unscaled_kernel
        return math_ops.cos(bias_add(matmul(inputs, kernel), self.bias))

    def get_config(self) -> dict:
        kernel = self.kernel_initializer
        if not isinstance(kernel, str):
            kernel = initializers.serialize(kernel)
        config = {"output_dim": self.output_dim, "kernel_initializer": kernel, "scale": self.scale}
        return {**super().get_config(), **config}


__all__ = ["RandomFourierFeatures"]
