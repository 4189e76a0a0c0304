"""``tf.layers.Dense``, ``Dropout`` and ``Flatten``, and their functions ``dense``,
``dropout`` and ``flatten``, building the ops TF1's ``tf.layers`` build."""

from __future__ import annotations

import numpy as np

from scopeflow.framework import dtypes
from scopeflow.framework.constant import constant, convert_to_tensor
from scopeflow.framework.tensor import Tensor
from scopeflow.framework.tensor_shape import TensorShape
from scopeflow.layers.base import InputSpec, Layer
from scopeflow.layers.utils import smart_cond
from scopeflow.ops.array.basic import identity, reshape
from scopeflow.ops.array.basic import shape as array_shape
from scopeflow.ops.array.shape import expand_dims
from scopeflow.ops.array.transpose import transpose
from scopeflow.ops.math.matmul import matmul, tensordot
from scopeflow.ops.nn.basic import bias_add
from scopeflow.ops.nn.composite import dropout as nn_dropout
from scopeflow.variables.initializers import zeros_initializer


class Dense(Layer):
    """A fully connected layer: ``activation(inputs @ kernel + bias)``; inputs of rank > 2 are
    contracted along their last dimension (``Tensordot``).

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     y = tf.layers.Dense(4, activation=tf.nn.relu)(tf.placeholder(tf.float32, [None, 3]))
    >>> y.name, y.shape.as_list()
    ('dense/Relu:0', [None, 4])
    """

    def __init__(
        self,
        units,
        activation=None,
        use_bias=True,
        kernel_initializer=None,
        bias_initializer=None,
        kernel_regularizer=None,
        bias_regularizer=None,
        activity_regularizer=None,
        kernel_constraint=None,
        bias_constraint=None,
        trainable=True,
        name=None,
        **kwargs,
    ):
        super().__init__(
            trainable=trainable, name=name, activity_regularizer=activity_regularizer, **kwargs
        )
        self.units = int(units)
        if self.units < 0:
            raise ValueError(
                "Received an invalid value for `units`, expected a positive integer. "
                f"Received: units={units}"
            )
        self.activation = activation
        self.use_bias = use_bias
        self.kernel_initializer = kernel_initializer
        self.bias_initializer = bias_initializer
        self.kernel_regularizer = kernel_regularizer
        self.bias_regularizer = bias_regularizer
        self.kernel_constraint = kernel_constraint
        self.bias_constraint = bias_constraint
        self.input_spec = InputSpec(min_ndim=2)

    def build(self, input_shape):
        input_shape = TensorShape(input_shape)  # a tuple or list too, as TF's
        dtype = dtypes.as_dtype(self.dtype or dtypes.float32)
        if not (dtype.is_floating or dtype.is_complex):
            raise TypeError(
                "A Dense layer can only be built with a floating-point dtype. "
                f"Received: dtype=<dtype: '{dtype.name}'>"
            )
        last_dim = input_shape[-1].value
        if last_dim is None:
            raise ValueError(
                "The last dimension of the inputs to a Dense layer should be defined. Found "
                f"None. Full input shape received: {input_shape}"
            )
        self.input_spec = InputSpec(min_ndim=2, axes={-1: last_dim})
        self.kernel = self.add_weight(
            "kernel",
            shape=[last_dim, self.units],
            initializer=self.kernel_initializer,
            regularizer=self.kernel_regularizer,
            constraint=self.kernel_constraint,
            dtype=self.dtype,
            trainable=True,
        )
        self.bias = None
        if self.use_bias:
            self.bias = self.add_weight(
                "bias",
                shape=[self.units],
                initializer=self.bias_initializer or zeros_initializer(),
                regularizer=self.bias_regularizer,
                constraint=self.bias_constraint,
                dtype=self.dtype,
                trainable=True,
            )
        self.built = True

    def compute_output_shape(self, input_shape) -> TensorShape:
        """``input_shape`` with its last dimension ``units`` (builds nothing), as TF's."""
        input_shape = TensorShape(input_shape).with_rank_at_least(2)
        if input_shape[-1].value is None:
            raise ValueError(
                "The last dimension of the input shape of a Dense layer should be defined. "
                f"Found None. Received: input_shape={input_shape}"
            )
        return input_shape[:-1].concatenate([self.units])

    def call(self, inputs):
        rank = inputs.shape.ndims
        if rank == 2 or rank is None:
            outputs = matmul(inputs, self.kernel)
        else:
            outputs = tensordot(inputs, self.kernel, [[rank - 1], [0]])
            outputs.set_shape(inputs.shape.as_list()[:-1] + [self.units])
        if self.use_bias:
            outputs = bias_add(outputs, self.bias)
        if self.activation is not None:
            outputs = self.activation(outputs)
        return outputs


class Dropout(Layer):
    """Sets a ``rate`` fraction of its inputs to zero and scales the rest by
    ``1 / (1 - rate)`` when ``training`` (a bool or a bool tensor); passes them through
    (``Identity``) otherwise."""

    def __init__(self, rate=0.5, noise_shape=None, seed=None, name=None, **kwargs):
        super().__init__(name=name, **kwargs)
        self.rate = rate
        self.noise_shape = noise_shape
        self.seed = seed
        self.supports_masking = True

    def _get_noise_shape(self, inputs):
        if self.noise_shape is None:
            return None
        concrete = array_shape(inputs)
        dims = [concrete[i] if value is None else value for i, value in enumerate(self.noise_shape)]
        return convert_to_tensor(dims)

    def call(self, inputs, training=False):
        if isinstance(self.rate, (int, float)) and self.rate == 0:
            return identity(inputs)

        def dropped():
            seed = self.seed
            if seed is not None:
                self.seed += 1
            noise = self._get_noise_shape(inputs)
            return nn_dropout(inputs, rate=self.rate, noise_shape=noise, seed=seed)

        return smart_cond(training, dropped, lambda: identity(inputs))


class Flatten(Layer):
    """Flattens each example of its inputs to one dimension: ``[batch, -1]``."""

    def __init__(self, data_format=None, **kwargs):
        super().__init__(**kwargs)
        if data_format != "channels_first":
            check_channels_last(data_format, "Flatten")
        self.data_format = data_format or "channels_last"
        self.input_spec = InputSpec(min_ndim=1)

    def call(self, inputs):
        rank = inputs.shape.ndims
        if self.data_format == "channels_first" and rank is not None and rank >= 3:
            # the channels moved last first, as TF's: the flattened order is channels_last's
            inputs = transpose(inputs, [0, *range(2, rank), 1])
        dims = inputs.shape.as_list()
        if len(dims) == 1:
            return expand_dims(inputs, axis=1)
        if None not in dims[1:]:
            target = constant([-1, int(np.prod(dims[1:], dtype=np.int64))])
        elif dims[0] is not None:
            target = constant([int(dims[0]), -1])
        else:
            target = [array_shape(inputs)[0], -1]
        return reshape(inputs, target)


def check_channels_last(data_format, layer: str) -> None:
    """Raises for ``data_format="channels_first"``, which scopeflow's layers lack."""
    if data_format not in (None, "channels_last"):
        if data_format == "channels_first":
            raise NotImplementedError(
                f"{layer}(data_format='channels_first') is not supported: scopeflow's layers "
                "take NHWC images. Use data_format='channels_last' and tf.transpose the "
                "inputs (perm=[0, 2, 3, 1]) if they are NCHW."
            )
        raise ValueError(
            'The `data_format` argument must be one of "channels_first", "channels_last". '
            f"Received: {data_format}"
        )


def dense(
    inputs,
    units,
    activation=None,
    use_bias=True,
    kernel_initializer=None,
    bias_initializer=None,
    kernel_regularizer=None,
    bias_regularizer=None,
    activity_regularizer=None,
    kernel_constraint=None,
    bias_constraint=None,
    trainable=True,
    name=None,
    reuse=None,
) -> Tensor:
    """``Dense(...)(inputs)`` in the variable scope ``name`` (``dense``, ``dense_1``... by
    default), reusing its variables with ``reuse=True`` or ``tf.AUTO_REUSE``.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     y = tf.layers.dense(tf.placeholder(tf.float32, [None, 3]), 4, name="fc")
    ...     print(y.name, [v.name for v in tf.global_variables()])
    fc/BiasAdd:0 ['fc/kernel:0', 'fc/bias:0']
    """
    layer = Dense(
        units,
        activation=activation,
        use_bias=use_bias,
        kernel_initializer=kernel_initializer,
        bias_initializer=bias_initializer,
        kernel_regularizer=kernel_regularizer,
        bias_regularizer=bias_regularizer,
        activity_regularizer=activity_regularizer,
        kernel_constraint=kernel_constraint,
        bias_constraint=bias_constraint,
        trainable=trainable,
        name=name,
        _scope=name,
        _reuse=reuse,
    )
    return layer.apply(inputs)


def dropout(inputs, rate=0.5, noise_shape=None, seed=None, training=False, name=None) -> Tensor:
    """``Dropout(rate)(inputs, training=training)``: inputs unchanged unless ``training`` (a
    Python bool, or a bool tensor choosing at run time through ``tf.cond``).

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default(), tf.Session() as sess:
    ...     x = tf.ones([1000])
    ...     kept = tf.reduce_mean(tf.layers.dropout(x, 0.5, training=True))
    ...     print(sess.run(tf.layers.dropout(x, 0.5))[:3], 0.8 < sess.run(kept) < 1.2)
    [1. 1. 1.] True
    """
    layer = Dropout(rate, noise_shape=noise_shape, seed=seed, name=name)
    return layer.apply(inputs, training=training)


def flatten(inputs, name=None, data_format="channels_last") -> Tensor:
    """``inputs`` reshaped to ``[batch, -1]``."""
    return Flatten(name=name, data_format=data_format).apply(inputs)
