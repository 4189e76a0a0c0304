"""``tf.keras.layers.EinsumDense`` (a dense layer whose product is an einsum equation) and
``MultiHeadAttention`` (Vaswani et al., 2017) built from four of them, as TensorFlow's Keras
builds them: weights ``multi_head_attention/query/kernel`` ``[dim, heads, key_dim]``...
``attention_output/kernel`` ``[heads, value_dim, dim]``.

>>> import scopeflow as tf
>>> with tf.Graph().as_default():
...     x = tf.keras.Input(shape=(5, 8))
...     mha = tf.keras.layers.MultiHeadAttention(num_heads=2, key_dim=4)
...     y, scores = mha(x, x, return_attention_scores=True)
>>> y.shape.as_list(), scores.shape.as_list(), [w.name for w in mha.weights][:2]
([None, 5, 8], [None, 2, 5, 5], ['multi_head_attention/query/kernel:0', \
'multi_head_attention/query/bias:0'])
"""

from __future__ import annotations

import math
import re
import string

from scopeflow.framework import dtypes
from scopeflow.framework.tensor_shape import TensorShape
from scopeflow.keras import (
    activation_layers,
    activations,
    backend,
    constraints,
    initializers,
    regularizers,
)
from scopeflow.keras.engine import Layer
from scopeflow.layers import core as tf_core
from scopeflow.ops.array import basic as array_ops
from scopeflow.ops.array import shape as shape_ops
from scopeflow.ops.array.cast import cast
from scopeflow.ops.math import elementwise as math_ops
from scopeflow.ops.math import reduction
from scopeflow.ops.math.einsum import einsum
from scopeflow.ops.math.linalg import matrix_band_part

_CHR_IDX = string.ascii_lowercase


class EinsumDense(Layer):
    """``activation(einsum(equation, inputs, kernel) + bias)``: ``equation`` such as
    ``"ab,bc->ac"`` (``...`` for the leading or trailing axes), ``output_shape`` the
    output's shape without its batch axis, ``bias_axes`` the output letters the bias
    spans."""

    def __init__(
        self,
        equation,
        output_shape,
        activation=None,
        bias_axes=None,
        kernel_initializer="glorot_uniform",
        bias_initializer="zeros",
        kernel_regularizer=None,
        bias_regularizer=None,
        activity_regularizer=None,
        kernel_constraint=None,
        bias_constraint=None,
        **kwargs,
    ):
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        self.equation = equation
        shape = [output_shape] if isinstance(output_shape, int) else list(output_shape)
        self.partial_output_shape = shape
        self.bias_axes = bias_axes
        self.activation = activations.get(activation)
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.bias_constraint = constraints.get(bias_constraint)

    def build(self, input_shape):
        input_shape = TensorShape(input_shape).as_list()
        kernel_shape, bias_shape, self.full_output_shape = _analyze_einsum_string(
            self.equation, self.bias_axes, input_shape, self.partial_output_shape
        )
        self.kernel = self.add_weight(
            "kernel",
            shape=kernel_shape,
            initializer=self.kernel_initializer,
            regularizer=self.kernel_regularizer,
            constraint=self.kernel_constraint,
        )
        self.bias = None
        if bias_shape is not None:
            self.bias = self.add_weight(
                "bias",
                shape=bias_shape,
                initializer=self.bias_initializer,
                regularizer=self.bias_regularizer,
                constraint=self.bias_constraint,
            )
        self.built = True

    def call(self, inputs):
        outputs = einsum(self.equation, inputs, self.kernel)
        if self.bias is not None:
            outputs += self.bias
        return self.activation(outputs)

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "output_shape": self.partial_output_shape,
            "equation": self.equation,
            "activation": activations.serialize(self.activation),
            "bias_axes": self.bias_axes,
        }


def _analyze_einsum_string(equation, bias_axes, input_shape, output_shape):
    """``(kernel shape, bias shape or None, full output shape)`` of an ``EinsumDense``."""
    dot_replaced = re.sub(r"\.\.\.", "0", equation)
    forms = (
        (r"([a-zA-Z]+),([a-zA-Z]+)->([a-zA-Z]+)", False),
        (r"0([a-zA-Z]+),([a-zA-Z]+)->0([a-zA-Z]+)", True),
        (r"([a-zA-Z]{2,})0,([a-zA-Z]+)->([a-zA-Z]+)0", False),
    )
    for pattern, left_elided in forms:
        split = re.match(pattern, dot_replaced)
        if split:
            return _analyze_split_string(split, bias_axes, input_shape, output_shape, left_elided)
    raise ValueError(
        f"Invalid einsum equation '{equation}'. Equations must be in the form [X],[Y]->[Z], "
        "...[X],[Y]->...[Z], or [X]...,[Y]->[Z]...."
    )


def _analyze_split_string(split, bias_axes, input_shape, output_shape, left_elided):
    input_spec, weight_spec, output_spec = split.group(1), split.group(2), split.group(3)
    elided = len(input_shape) - len(input_spec)
    output_shape = [input_shape[0], *output_shape]
    if elided > 0 and left_elided:
        for i in range(1, elided):
            output_shape.insert(1, input_shape[i])
    elif elided > 0:
        output_shape.extend(input_shape[len(input_shape) - elided :])
    if left_elided:
        input_dim_map = {dim: i + elided - len(input_shape) for i, dim in enumerate(input_spec)}
        output_dim_map = {dim: i + elided for i, dim in enumerate(output_spec)}
    else:
        input_dim_map = {dim: i for i, dim in enumerate(input_spec)}
        output_dim_map = {dim: i for i, dim in enumerate(output_spec)}
    for dim in input_spec:
        at_input = input_shape[input_dim_map[dim]]
        if dim in output_dim_map:
            at_output = output_shape[output_dim_map[dim]]
            if at_output is not None and at_output != at_input:
                raise ValueError(
                    f"Input shape and output shape do not match at shared dimension '{dim}'. "
                    f"Input shape is {at_input}, and output shape is {at_output}."
                )
    for dim in output_spec:
        if dim not in input_spec and dim not in weight_spec:
            raise ValueError(
                f"Dimension '{dim}' was specified in the output '{output_spec}' but has no "
                f"corresponding dim in the input spec '{input_spec}' or weight spec "
                f"'{output_spec}'"
            )
    weight_shape = []
    for dim in weight_spec:
        if dim in input_dim_map:
            weight_shape.append(input_shape[input_dim_map[dim]])
        elif dim in output_dim_map:
            weight_shape.append(output_shape[output_dim_map[dim]])
        else:
            raise ValueError(
                f"Weight dimension '{dim}' did not have a match in either the input spec "
                f"'{input_spec}' or the output spec '{output_spec}'. For this layer, the weight "
                "must be fully specified."
            )
    if bias_axes is None:
        return weight_shape, None, output_shape
    num_left_elided = elided if left_elided else 0
    idx_map = {char: output_shape[i + num_left_elided] for i, char in enumerate(output_spec)}
    for char in bias_axes:
        if char not in output_spec:
            raise ValueError(
                f"Bias dimension '{char}' was requested, but is not part of the output spec "
                f"'{output_spec}'"
            )
    first = min(output_spec.find(char) for char in bias_axes)
    bias_shape = [idx_map[char] if char in bias_axes else 1 for char in output_spec[first:]]
    if not left_elided:
        bias_shape.extend([1] * max(elided, 0))
    return weight_shape, bias_shape, output_shape


def _build_attention_equation(rank, attn_axes):
    """The einsum equations of the attention scores and of their combination of values."""
    target = _CHR_IDX[:rank]
    batch_dims = [i for i in range(rank) if i not in (*attn_axes, rank - 1)]
    offset = rank
    source = ""
    for i in range(rank):
        if i in batch_dims or i == rank - 1:
            source += target[i]
        else:
            source += _CHR_IDX[offset]
            offset += 1
    product = "".join(
        [target[i] for i in batch_dims]
        + [target[i] for i in attn_axes]
        + [source[i] for i in attn_axes]
    )
    return f"{source},{target}->{product}", f"{product},{source}->{target}", len(product)


def _build_proj_equation(free_dims, bound_dims, output_dims):
    """``(equation, bias axes, output rank)`` of a projection ``EinsumDense``."""
    letters = iter(_CHR_IDX)
    free = "".join(next(letters) for _ in range(free_dims))
    bound = "".join(next(letters) for _ in range(bound_dims))
    out = "".join(next(letters) for _ in range(output_dims))
    return f"{free}{bound},{bound}{out}->{free}{out}", out, free_dims + output_dims


def _get_output_shape(output_rank, known_last_dims):
    return [None] * (output_rank - len(known_last_dims)) + list(known_last_dims)


class Softmax(activation_layers.Softmax):
    """The softmax over ``axis`` (an int or a tuple of axes) of the entries ``mask``
    keeps (the others get -1e9 first)."""

    def call(self, inputs, mask=None):
        if mask is not None:
            inputs += (1.0 - cast(mask, inputs.dtype.base_dtype)) * -1e9
        if isinstance(self.axis, tuple | list):
            logsumexp = reduction.reduce_logsumexp(inputs, axis=self.axis, keepdims=True)
            return math_ops.exp(inputs - logsumexp)
        return super().call(inputs)


class _ScoresDropout(Layer, tf_core.Dropout):
    """Keras's ``Dropout`` (``tf.keras.layers.Dropout``) on the attention scores."""


class MultiHeadAttention(Layer):
    """Attention of ``query`` (``[batch, target, dim]``) over ``value`` (and ``key``,
    default ``value``) with ``num_heads`` heads of ``key_dim`` (``value_dim``) features:
    ``layer(query, value, key=None, attention_mask=None, return_attention_scores=False,
    training=None, use_causal_mask=False)``."""

    def __init__(
        self,
        num_heads,
        key_dim,
        value_dim=None,
        dropout=0.0,
        use_bias=True,
        output_shape=None,
        attention_axes=None,
        kernel_initializer="glorot_uniform",
        bias_initializer="zeros",
        kernel_regularizer=None,
        bias_regularizer=None,
        activity_regularizer=None,
        kernel_constraint=None,
        bias_constraint=None,
        softmax_robust_masking=False,
        **kwargs,
    ):
        super().__init__(**kwargs)
        if softmax_robust_masking:
            raise NotImplementedError(
                "MultiHeadAttention(softmax_robust_masking=True) is not supported; leave it "
                "False (masked scores get -1e9)."
            )
        self._num_heads = num_heads
        self._key_dim = key_dim
        self._value_dim = value_dim if value_dim else key_dim
        self._dropout = dropout
        self._use_bias = use_bias
        self._output_shape = output_shape
        self._common = {
            "kernel_initializer": initializers.get(kernel_initializer),
            "bias_initializer": initializers.get(bias_initializer),
            "kernel_regularizer": regularizers.get(kernel_regularizer),
            "bias_regularizer": regularizers.get(bias_regularizer),
            "activity_regularizer": regularizers.get(activity_regularizer),
            "kernel_constraint": constraints.get(kernel_constraint),
            "bias_constraint": constraints.get(bias_constraint),
        }
        if attention_axes is not None and isinstance(attention_axes, int):
            attention_axes = (attention_axes,)
        self._attention_axes = attention_axes
        self._built_from_signature = False
        self._query_shape = self._key_shape = self._value_shape = None

    supports_masking = True

    def _sublayers(self) -> list:
        if not self._built_from_signature:
            return []
        return [self._query_dense, self._key_dense, self._value_dense, self._output_dense]

    @property
    def trainable_weights(self) -> list:
        if not self.trainable:
            return []
        return [w for layer in self._sublayers() for w in layer.trainable_weights]

    @property
    def non_trainable_weights(self) -> list:
        attribute = "non_trainable_weights" if self.trainable else "weights"
        return [w for layer in self._sublayers() for w in getattr(layer, attribute)]

    @property
    def weights(self) -> list:
        return self.trainable_weights + self.non_trainable_weights

    trainable_variables = trainable_weights
    non_trainable_variables = non_trainable_weights
    variables = weights

    @property
    def losses(self) -> list:
        """Its projections' regularization losses, then its own."""
        return [x for layer in self._sublayers() for x in layer.losses] + list(self._losses)

    def __call__(self, query, value=None, key=None, **kwargs):
        """Applies the layer; ``query``, ``value`` and ``key`` are its inputs (so a model
        records all three)."""
        if value is None:
            if not isinstance(query, list | tuple):
                raise TypeError("MultiHeadAttention needs `query` and `value`.")
            return super().__call__(list(query), **kwargs)
        inputs = [query, value] if key is None else [query, value, key]
        return super().__call__(inputs, **kwargs)

    def compute_mask(self, inputs, mask=None):
        """The query's mask."""
        return mask[0] if isinstance(mask, list | tuple) else mask

    def _build_from_signature(self, query, value, key=None):
        self._built_from_signature = True
        self._query_shape = TensorShape(query.shape)
        self._value_shape = TensorShape(value.shape)
        self._key_shape = self._value_shape if key is None else TensorShape(key.shape)
        free_dims = self._query_shape.ndims - 1
        common = dict(self._common)
        self._query_dense = self._projection(free_dims, self._key_dim, "query")
        self._key_dense = self._projection(self._key_shape.ndims - 1, self._key_dim, "key")
        self._value_dense = self._projection(self._value_shape.ndims - 1, self._value_dim, "value")
        output_rank = self._value_shape.ndims + 1
        if self._attention_axes is None:
            self._attention_axes = tuple(range(1, output_rank - 2))
        else:
            self._attention_axes = tuple(self._attention_axes)
        self._dot_product_equation, self._combine_equation, scores_rank = _build_attention_equation(
            output_rank, attn_axes=self._attention_axes
        )
        norm_axes = tuple(range(scores_rank - len(self._attention_axes), scores_rank))
        # Named as TF's Keras names them (its Softmax and Dropout layers take those names).
        self._softmax = Softmax(axis=norm_axes, name=backend.unique_object_name("softmax"))
        self._dropout_layer = _ScoresDropout(
            rate=self._dropout, name=backend.unique_object_name("dropout")
        )
        output_shape = self._output_shape or [self._query_shape[-1].value]
        if isinstance(output_shape, int):
            output_shape = [output_shape]
        equation, bias_axes, rank = _build_proj_equation(free_dims, 2, len(output_shape))
        self._output_dense = EinsumDense(
            equation,
            output_shape=_get_output_shape(rank - 1, output_shape),
            bias_axes=bias_axes if self._use_bias else None,
            name="attention_output",
            **common,
        )

    def _projection(self, free_dims, dim, name):
        equation, bias_axes, rank = _build_proj_equation(free_dims, 1, 2)
        return EinsumDense(
            equation,
            output_shape=_get_output_shape(rank - 1, [self._num_heads, dim]),
            bias_axes=bias_axes if self._use_bias else None,
            name=name,
            **self._common,
        )

    def call(
        self,
        inputs,
        attention_mask=None,
        return_attention_scores=False,
        training=None,
        use_causal_mask=False,
    ):
        query, value, key = (*inputs, None)[:3] if len(inputs) == 2 else inputs
        if not self._built_from_signature:
            self._build_from_signature(query=query, value=value, key=key)
        key = value if key is None else key
        attention_mask = self._attention_mask(query, value, key, attention_mask, use_causal_mask)
        query = self._query_dense(query)
        key = self._key_dense(key)
        value = self._value_dense(value)
        query = math_ops.multiply(query, 1.0 / math.sqrt(float(self._key_dim)))
        scores = einsum(self._dot_product_equation, key, query)
        if attention_mask is not None:
            for _ in range(scores.shape.ndims - attention_mask.shape.ndims):
                attention_mask = shape_ops.expand_dims(
                    attention_mask, axis=-len(self._attention_axes) * 2 - 1
                )
        scores = self._softmax(scores, mask=attention_mask)
        dropped = self._dropout_layer(scores, training=training)
        output = self._output_dense(einsum(self._combine_equation, dropped, value))
        return (output, scores) if return_attention_scores else output

    def _attention_mask(self, query, value, key, attention_mask, use_causal_mask):
        """The explicit mask and the inputs' Keras masks (and the causal mask) combined."""
        auto_mask = None
        masks = [getattr(t, "_keras_mask", None) for t in (query, value, key)]
        if masks[0] is not None:
            auto_mask = shape_ops.expand_dims(cast(masks[0], dtypes.bool), 2)
        for mask in masks[1:]:
            if mask is not None:
                mask = shape_ops.expand_dims(cast(mask, dtypes.bool), 1)
                auto_mask = mask if auto_mask is None else math_ops.logical_and(auto_mask, mask)
        if use_causal_mask:
            q_length = array_ops.shape(query)[1]
            v_length = array_ops.shape(value)[1]
            ones = array_ops.ones(array_ops.stack([1, q_length, v_length]), dtypes.bool)
            mask = matrix_band_part(ones, -1, 0)
            auto_mask = mask if auto_mask is None else math_ops.logical_and(auto_mask, mask)
        if auto_mask is None:
            return attention_mask
        if attention_mask is None:
            return auto_mask
        return math_ops.logical_and(cast(attention_mask, dtypes.bool), auto_mask)

    @classmethod
    def from_config(cls, config: dict):
        """A new layer from ``get_config``'s entries (its input shapes are not kept: it is
        built at its first call)."""
        shapes = ("query_shape", "key_shape", "value_shape")
        return cls(**{k: v for k, v in config.items() if k not in shapes})

    def get_config(self) -> dict:
        as_list = lambda s: None if s is None else s.as_list()  # noqa: E731
        return {
            **super().get_config(),
            "num_heads": self._num_heads,
            "key_dim": self._key_dim,
            "value_dim": self._value_dim,
            "dropout": self._dropout,
            "use_bias": self._use_bias,
            "output_shape": self._output_shape,
            "attention_axes": self._attention_axes,
            "query_shape": as_list(self._query_shape),
            "key_shape": as_list(self._key_shape),
            "value_shape": as_list(self._value_shape),
            "softmax_robust_masking": False,
        }


__all__ = ["EinsumDense", "MultiHeadAttention"]
