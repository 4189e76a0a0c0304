"""``tf.keras.layers.LayerNormalization``, ``Dot``/``dot``, ``DepthwiseConv2D``,
``Attention`` and ``AdditiveAttention``, as TF1.15's Keras builds them.

>>> import scopeflow as tf
>>> with tf.Graph().as_default():
...     x = tf.keras.Input(shape=(5, 4))
...     norm = tf.keras.layers.LayerNormalization()
...     y = tf.keras.layers.Attention()([norm(x), x])
>>> [w.name for w in norm.weights], y.shape.as_list()
(['layer_normalization/gamma:0', 'layer_normalization/beta:0'], [None, 5, 4])
"""

from __future__ import annotations

from scopeflow.framework import dtypes
from scopeflow.keras import activations, backend, constraints, initializers, regularizers
from scopeflow.keras.engine import Layer
from scopeflow.layers.base import InputSpec
from scopeflow.layers.convolutional import check_strides_with_dilation
from scopeflow.layers.core import check_channels_last
from scopeflow.ops.array import basic as array_ops
from scopeflow.ops.array import shape as shape_ops
from scopeflow.ops.array.cast import cast
from scopeflow.ops.math import linalg, reduction
from scopeflow.ops.math.elementwise import logical_not, tanh
from scopeflow.ops.math.matmul import matmul
from scopeflow.ops.nn import basic as nn_basic
from scopeflow.ops.nn import batch_norm as nn_batch_norm
from scopeflow.ops.nn import composite as nn_composite


class LayerNormalization(Layer):
    """Normalizes each example over ``axis`` (the last by default) to mean 0 and variance 1,
    then scales by ``gamma`` and shifts by ``beta``."""

    supports_masking = True

    def __init__(
        self,
        axis=-1,
        epsilon=1e-3,
        center=True,
        scale=True,
        beta_initializer="zeros",
        gamma_initializer="ones",
        beta_regularizer=None,
        gamma_regularizer=None,
        beta_constraint=None,
        gamma_constraint=None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.axis = list(axis) if isinstance(axis, list | tuple) else axis
        self.epsilon = epsilon
        self.center = center
        self.scale = scale
        self.beta_initializer = initializers.get(beta_initializer)
        self.gamma_initializer = initializers.get(gamma_initializer)
        self.beta_regularizer = regularizers.get(beta_regularizer)
        self.gamma_regularizer = regularizers.get(gamma_regularizer)
        self.beta_constraint = constraints.get(beta_constraint)
        self.gamma_constraint = constraints.get(gamma_constraint)

    def build(self, input_shape):
        ndims = input_shape.ndims
        axes = self.axis if isinstance(self.axis, list) else [self.axis]
        axes = [a + ndims if a < 0 else a for a in axes]
        for a in axes:
            if a < 0 or a >= ndims:
                raise ValueError(
                    "Invalid value for `axis` argument. Expected 0 <= axis < inputs.rank (with "
                    f"inputs.rank={ndims}). Received: axis={tuple(axes)}"
                )
        if len(axes) != len(set(axes)):
            raise ValueError(f"Duplicate axis: {tuple(axes)}")
        self._axes = sorted(axes)
        param_shape = [input_shape[a].value for a in self._axes]
        self.gamma = self.beta = None
        if self.scale:
            self.gamma = self.add_weight(
                "gamma",
                shape=param_shape,
                initializer=self.gamma_initializer,
                regularizer=self.gamma_regularizer,
                constraint=self.gamma_constraint,
            )
        if self.center:
            self.beta = self.add_weight(
                "beta",
                shape=param_shape,
                initializer=self.beta_initializer,
                regularizer=self.beta_regularizer,
                constraint=self.beta_constraint,
            )
        self.built = True

    def call(self, inputs):
        ndims = inputs.shape.ndims
        broadcast = [1] * ndims
        for a in self._axes:
            broadcast[a] = inputs.shape[a].value

        def shaped(v):
            if v is None or self._axes == [ndims - 1]:
                return v
            return array_ops.reshape(v, broadcast)

        if self._fused(ndims, inputs.dtype.base_dtype):
            return self._fused_call(inputs, shaped)
        mean, variance = nn_composite.moments(inputs, self._axes, keep_dims=True)
        return nn_composite.batch_normalization(
            inputs, mean, variance, shaped(self.beta), shaped(self.gamma), self.epsilon
        )

    def _fused(self, ndims: int, dtype) -> bool:
        """TF's test for its fused form: trailing contiguous axes, epsilon of at least
        1.001e-5, float32."""
        axes = self._axes
        trailing = axes[-1] == ndims - 1 and axes[-1] - axes[0] == len(axes) - 1
        return trailing and self.epsilon >= 1.001e-5 and dtype == dtypes.float32

    def _fused_call(self, inputs, shaped):
        """TF's fused layer normalization: the examples as channels of one NCHW image, a
        ``FusedBatchNormV3`` of them, then ``gamma`` and ``beta`` applied."""
        shape = shape_ops.shape(inputs)
        first = self._axes[0]
        pre = reduction.reduce_prod(shape[:first])
        inner = reduction.reduce_prod(shape[first:])
        folded = array_ops.reshape(inputs, [1, pre, inner, 1])
        ones = array_ops.ones([pre], dtype=dtypes.float32)
        zeros = array_ops.zeros([pre], dtype=dtypes.float32)
        outputs, _, _ = nn_batch_norm.fused_batch_norm(
            folded, scale=ones, offset=zeros, epsilon=self.epsilon, data_format="NCHW"
        )
        outputs = array_ops.reshape(outputs, shape)
        gamma, beta = shaped(self.gamma), shaped(self.beta)
        if gamma is not None:
            outputs = outputs * gamma
        if beta is not None:
            outputs = outputs + beta
        return outputs


class Dot(Layer):
    """The dot product of two tensors' examples over ``axes`` (``normalize``: of their L2
    normalizations, a cosine similarity)."""

    def __init__(self, axes, normalize=False, **kwargs):
        super().__init__(**kwargs)
        if not isinstance(axes, int):
            if not isinstance(axes, list | tuple):
                raise TypeError(
                    "Invalid type for argument `axes`: it should be a list or an int. "
                    f"Received: axes={axes}"
                )
            if len(axes) != 2:
                raise ValueError(
                    "Invalid format for argument `axes`: it should contain two elements. "
                    f"Received: axes={axes}"
                )
        self.axes = axes
        self.normalize = normalize

    def call(self, inputs):
        if not isinstance(inputs, list | tuple) or len(inputs) != 2:
            raise ValueError(
                f"A `Dot` layer should be called on exactly 2 inputs. Received: inputs={inputs}"
            )
        x1, x2 = inputs
        axes = [self.axes, self.axes] if isinstance(self.axes, int) else list(self.axes)
        axes = [a % x.shape.ndims if a < 0 else a for a, x in zip(axes, (x1, x2), strict=True)]
        shape1, shape2 = (
            () if x.shape.ndims is None else tuple(x.shape.as_list()) for x in (x1, x2)
        )
        if (
            shape1 and shape2 and shape1[axes[0]] != shape2[axes[1]]
        ):  # TF's check (None against a size included)
            raise ValueError(
                f"Incompatible input shapes: axis values {shape1[axes[0]]} (at axis {axes[0]}) "
                f"!= {shape2[axes[1]]} (at axis {axes[1]}). Full input shapes: {shape1}, "
                f"{shape2}"
            )
        if self.normalize:
            x1 = nn_composite.l2_normalize(x1, axis=axes[0])
            x2 = nn_composite.l2_normalize(x2, axis=axes[1])
        return backend.batch_dot(x1, x2, axes)


def dot(inputs, axes, normalize=False, **kwargs):
    """``Dot(axes, normalize, **kwargs)(inputs)``."""
    return Dot(axes=axes, normalize=normalize, **kwargs)(inputs)


class DepthwiseConv2D(Layer):
    """Each input channel of NHWC images convolved with its own ``depth_multiplier``
    filters (weight ``depthwise_kernel``), plus ``bias``."""

    def __init__(
        self,
        kernel_size,
        strides=(1, 1),
        padding="valid",
        depth_multiplier=1,
        data_format=None,
        dilation_rate=(1, 1),
        activation=None,
        use_bias=True,
        depthwise_initializer="glorot_uniform",
        bias_initializer="zeros",
        depthwise_regularizer=None,
        bias_regularizer=None,
        activity_regularizer=None,
        depthwise_constraint=None,
        bias_constraint=None,
        **kwargs,
    ):
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        check_channels_last(data_format, "DepthwiseConv2D")
        pair = lambda v: (v, v) if isinstance(v, int) else tuple(v)  # noqa: E731
        self.kernel_size = pair(kernel_size)
        self.strides = pair(strides)
        self.padding = padding.lower()
        self.depth_multiplier = depth_multiplier
        self.dilation_rate = pair(dilation_rate)
        check_strides_with_dilation(self.strides, self.dilation_rate)
        self.activation = activations.get(activation)
        self.use_bias = use_bias
        self.depthwise_initializer = initializers.get(depthwise_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.depthwise_regularizer = regularizers.get(depthwise_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.depthwise_constraint = constraints.get(depthwise_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self.input_spec = InputSpec(ndim=4)

    def build(self, input_shape):
        channels = input_shape[-1].value
        if channels is None:
            raise ValueError(
                "The channel dimension of the inputs to `DepthwiseConv2D` should be defined. "
                f"The input_shape received is {input_shape}, where axis -1 (0-based) is the "
                "channel dimension, which found to be `None`."
            )
        self.depthwise_kernel = self.add_weight(
            "depthwise_kernel",
            shape=(*self.kernel_size, channels, self.depth_multiplier),
            initializer=self.depthwise_initializer,
            regularizer=self.depthwise_regularizer,
            constraint=self.depthwise_constraint,
        )
        self.bias = None
        if self.use_bias:
            self.bias = self.add_weight(
                "bias",
                shape=(channels * self.depth_multiplier,),
                initializer=self.bias_initializer,
                regularizer=self.bias_regularizer,
                constraint=self.bias_constraint,
            )
        self.input_spec = InputSpec(ndim=4, axes={3: channels})
        self.built = True

    def call(self, inputs):
        outputs = backend.depthwise_conv2d(
            inputs,
            self.depthwise_kernel,
            strides=self.strides,
            padding=self.padding,
            dilation_rate=self.dilation_rate,
        )
        if self.use_bias:
            outputs = backend.bias_add(outputs, self.bias)
        return self.activation(outputs)


class _DenseAttention(Layer):
    def __init__(self, causal=False, dropout=0.0, **kwargs):
        super().__init__(**kwargs)
        self.causal = causal
        self.dropout = dropout

    def call(self, inputs, mask=None, training=None):
        if not isinstance(inputs, list | tuple) or len(inputs) not in (2, 3):
            raise ValueError(
                f"{type(self).__name__} layer must be called on a list of inputs, namely "
                f"[query, value] or [query, value, key]. Received: {inputs}."
            )
        query, value = inputs[0], inputs[1]
        key = inputs[2] if len(inputs) == 3 else value
        scores = self._calculate_scores(query, key)
        masks = [] if mask is None else [m for m in mask if m is not None]
        if mask is not None and len(mask) > 1 and mask[1] is not None:
            masks = [shape_ops.expand_dims(mask[1], axis=-2)]
        if self.causal:
            shape = array_ops.shape(scores)[-2:]
            ones = array_ops.ones(shape, dtypes.int32)
            masks.append(cast(linalg.matrix_band_part(ones, -1, 0), dtypes.bool))
        for keep in masks:
            scores -= 1.0e9 * cast(logical_not(keep), scores.dtype.base_dtype)
        weights = nn_basic.softmax(scores)
        if self.dropout:
            weights = backend.in_train_phase(
                lambda: backend.dropout(weights, self.dropout), weights, training=training
            )
        result = matmul(weights, value)
        if mask is not None and mask[0] is not None:
            result *= cast(shape_ops.expand_dims(mask[0], -1), result.dtype.base_dtype)
        return result


class Attention(_DenseAttention):
    """Dot-product attention: ``softmax(query @ key^T) @ value`` (``use_scale``: the scores
    times a learned scalar ``scale``)."""

    def __init__(self, use_scale=False, score_mode="dot", **kwargs):
        super().__init__(**kwargs)
        if score_mode not in ("dot", "concat"):
            raise ValueError(
                f"Received: score_mode={score_mode}. Acceptable values are: ['dot', 'concat']"
            )
        self.use_scale = use_scale
        self.score_mode = score_mode

    def build(self, input_shape):
        self.scale = None
        if self.use_scale:
            self.scale = self.add_weight("scale", shape=(), initializer="ones")
        self.concat_score_weight = None
        if self.score_mode == "concat":
            self.concat_score_weight = self.add_weight(
                "concat_score_weight", shape=(), initializer="ones"
            )
        self.built = True

    def _calculate_scores(self, query, key):
        if self.score_mode == "dot":
            scores = matmul(query, key, transpose_b=True)
            return scores * self.scale if self.scale is not None else scores
        q = shape_ops.expand_dims(query, axis=-2)
        k = shape_ops.expand_dims(key, axis=-3)
        if self.scale is not None:
            return self.concat_score_weight * reduction.reduce_sum(
                tanh(self.scale * (q + k)), axis=-1
            )
        return self.concat_score_weight * reduction.reduce_sum(tanh(q + k), axis=-1)


class AdditiveAttention(_DenseAttention):
    """Additive (Bahdanau) attention: scores ``sum(scale * tanh(query + key))`` over the
    features (``scale``: a learned vector when ``use_scale``)."""

    def __init__(self, use_scale=True, **kwargs):
        super().__init__(**kwargs)
        self.use_scale = use_scale

    def build(self, input_shape):
        dim = input_shape[1][-1].value
        self.scale = None
        if self.use_scale:
            self.scale = self.add_weight("scale", shape=[dim], initializer="glorot_uniform")
        self.built = True

    def _calculate_scores(self, query, key):
        q = shape_ops.expand_dims(query, axis=-2)
        k = shape_ops.expand_dims(key, axis=-3)
        scale = self.scale if self.scale is not None else 1.0
        return reduction.reduce_sum(scale * tanh(q + k), axis=-1)


__all__ = [
    "AdditiveAttention",
    "Attention",
    "DepthwiseConv2D",
    "Dot",
    "LayerNormalization",
    "dot",
]
