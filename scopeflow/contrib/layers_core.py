"""``tf.contrib.layers`` (and ``tf.contrib.slim``) layer functions as TF 1.15's: variables
``weights`` and ``biases`` under the layer's scope (``fully_connected``, ``Conv``...), filed
in ``MODEL_VARIABLES`` as well, ``activation_fn`` relu by default, ``normalizer_fn`` in place
of the biases, and every function taking its defaults from ``arg_scope``.

>>> import scopeflow as tf
>>> slim = tf.contrib.slim
>>> with tf.Graph().as_default():
...     x = tf.placeholder(tf.float32, [None, 8, 8, 3])
...     with slim.arg_scope([slim.conv2d], padding="VALID"):
...         y = slim.conv2d(x, 4, [3, 3], scope="conv1")
...     print(y.name, y.shape.as_list(), [v.op.name for v in slim.get_model_variables()])
conv1/Relu:0 [None, 6, 6, 4] ['conv1/weights', 'conv1/biases']
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields

from scopeflow.contrib.arg_scope import add_arg_scope
from scopeflow.contrib.framework import model_variable
from scopeflow.contrib.initializers import xavier_initializer
from scopeflow.framework import dtypes
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.graph_api import (
    add_to_collections,
    get_default_graph,
    get_name_scope,
    name_scope,
)
from scopeflow.framework.tensor import Tensor
from scopeflow.layers.utils import smart_cond
from scopeflow.ops.array.basic import identity, reshape, stack
from scopeflow.ops.array.basic import shape as array_shape
from scopeflow.ops.array.gather import one_hot
from scopeflow.ops.math.deprecated import to_int64
from scopeflow.ops.math.matmul import matmul, tensordot
from scopeflow.ops.nn.activation import relu
from scopeflow.ops.nn.basic import bias_add as nn_bias_add
from scopeflow.ops.nn.composite import dropout as nn_dropout
from scopeflow.ops.nn.composite import embedding_lookup
from scopeflow.ops.nn.conv import conv2d as nn_conv2d
from scopeflow.ops.nn.conv import conv2d_transpose as nn_conv2d_transpose
from scopeflow.ops.nn.dilated import convolution
from scopeflow.ops.nn.pooling import avg_pool, max_pool
from scopeflow.variables.initializers import zeros_initializer
from scopeflow.variables.variable_scope import variable_scope

_XAVIER = xavier_initializer()
_ZEROS = zeros_initializer()


def variable_collections(variables_collections, name: str):
    """The collections for the variable ``name``: ``variables_collections[name]`` when it is
    a dict, else ``variables_collections`` itself (TF's ``get_variable_collections``)."""
    if isinstance(variables_collections, dict):
        return variables_collections.get(name)
    return variables_collections


def collect_named_outputs(collections, alias: str, outputs):
    """Files ``outputs`` into ``collections`` (if any) under ``alias``; returns it."""
    if collections:
        alias = alias[:-1] if alias.endswith("/") else alias
        aliases = getattr(outputs, "aliases", None)
        if aliases is None:
            try:
                outputs.aliases = [alias]
            except AttributeError:  # a tensor type that takes no attributes
                pass
        else:
            aliases.append(alias)
        add_to_collections(collections, outputs)
    return outputs


def layer_regularizer(regularizer, layer_name: str):
    """``regularizer`` under ``<scope>/<layer_name>/Regularizer``: tf_slim builds its layers
    as ``tf.layers`` ones, whose losses keep the layer's names (``kernel``, ``bias``) though
    the variables are renamed ``weights`` and ``biases``."""
    if regularizer is None:
        return None
    scope = get_name_scope()
    prefix = f"{scope}/" if scope else ""

    def regularize(variable):
        with name_scope(f"{prefix}{layer_name}/Regularizer/"):
            return regularizer(variable)

    return regularize


@dataclass(frozen=True)
class WeightLayer:
    """The arguments every tf_slim weight layer shares (taken from the layer's own arguments
    by ``WeightLayer.of(locals())``) and what the layer does with them: make ``weights`` and
    ``biases``, then add the biases, normalize, activate and collect the outputs."""

    activation_fn: object
    normalizer_fn: object
    normalizer_params: object
    weights_initializer: object
    weights_regularizer: object
    biases_initializer: object
    biases_regularizer: object
    variables_collections: object
    outputs_collections: object
    trainable: object

    @classmethod
    def of(cls, arguments: dict) -> WeightLayer:
        return cls(**{field.name: arguments[field.name] for field in fields(cls)})

    def variables(self, weights_shape, num_outputs, dtype):
        """The model variables ``weights`` and (without a normalizer) ``biases``."""
        weights = model_variable(
            "weights",
            shape=weights_shape,
            dtype=dtype,
            initializer=self.weights_initializer,
            regularizer=layer_regularizer(self.weights_regularizer, "kernel"),
            collections=variable_collections(self.variables_collections, "weights"),
            trainable=self.trainable,
        )
        biases = None
        if not self.normalizer_fn and self.biases_initializer:
            biases = model_variable(
                "biases",
                shape=[num_outputs],
                dtype=dtype,
                initializer=self.biases_initializer,
                regularizer=layer_regularizer(self.biases_regularizer, "bias"),
                collections=variable_collections(self.variables_collections, "biases"),
                trainable=self.trainable,
            )
        return weights, biases

    def finish(self, outputs, biases, sc):
        """``outputs`` plus ``biases``, normalized, activated and filed under ``sc``'s name."""
        if biases is not None:
            outputs = nn_bias_add(outputs, biases)
        if self.normalizer_fn is not None:
            outputs = self.normalizer_fn(outputs, **(self.normalizer_params or {}))
        if self.activation_fn is not None:
            outputs = self.activation_fn(outputs)
        return collect_named_outputs(self.outputs_collections, sc.name, outputs)


@add_arg_scope
def fully_connected(
    inputs,
    num_outputs,
    activation_fn=relu,
    normalizer_fn=None,
    normalizer_params=None,
    weights_initializer=_XAVIER,
    weights_regularizer=None,
    biases_initializer=_ZEROS,
    biases_regularizer=None,
    reuse=None,
    variables_collections=None,
    outputs_collections=None,
    trainable=True,
    scope=None,
):
    """A dense layer: ``activation_fn(inputs @ weights + biases)`` over the last axis, in the
    variable scope ``scope`` (``fully_connected``, ``fully_connected_1``... by default)."""
    layer = WeightLayer.of(locals())
    if not isinstance(num_outputs, int) or isinstance(num_outputs, bool):
        raise ValueError(
            f"num_outputs type should be one of [<class 'int'>], got {type(num_outputs)}."
        )
    with variable_scope(scope, "fully_connected", [inputs], reuse=reuse) as sc:
        inputs = convert_to_tensor(inputs)
        rank = inputs.shape.ndims
        if rank is None or rank < 2 or inputs.shape[-1].value is None:
            raise ValueError(
                "The last dimension of the inputs to `Dense` should be defined. Found `None`. "
                f"(fully_connected {sc.name!r}, inputs shape {inputs.shape})"
            )
        weights, biases = layer.variables(
            [inputs.shape[-1].value, num_outputs], num_outputs, inputs.dtype.base_dtype
        )
        if rank > 2:
            outputs = tensordot(inputs, weights, [[rank - 1], [0]])
            outputs.set_shape(inputs.shape.as_list()[:-1] + [num_outputs])
        else:
            outputs = matmul(inputs, weights)
        return layer.finish(outputs, biases, sc)


def pair(value, name: str) -> list[int]:
    values = [value, value] if isinstance(value, int) else list(value)
    if len(values) != 2:
        raise ValueError(f"The `{name}` argument must be a tuple of 2 integers. Received: {value}")
    return [int(v) for v in values]


def check_nhwc(data_format, layer: str) -> None:
    if data_format not in (None, "NHWC"):
        raise NotImplementedError(
            f"{layer}(data_format={data_format!r}) is not supported: scopeflow runs channels "
            "last; transpose the inputs to NHWC and use data_format='NHWC'."
        )


def check_rank4(inputs, layer: str, scope_name: str) -> None:
    if inputs.shape.ndims != 4 or inputs.shape[-1].value is None:
        raise ValueError(
            f"Input 0 of layer {scope_name} ({layer}) is incompatible with the layer: expected "
            f"ndim=4 with a known channel dimension, found shape {inputs.shape}"
        )


@add_arg_scope
def convolution2d(
    inputs,
    num_outputs,
    kernel_size,
    stride=1,
    padding="SAME",
    data_format=None,
    rate=1,
    activation_fn=relu,
    normalizer_fn=None,
    normalizer_params=None,
    weights_initializer=_XAVIER,
    weights_regularizer=None,
    biases_initializer=_ZEROS,
    biases_regularizer=None,
    reuse=None,
    variables_collections=None,
    outputs_collections=None,
    trainable=True,
    scope=None,
):
    """A 2-D convolution of NHWC ``inputs`` with ``weights`` ``[kh, kw, in, num_outputs]``
    (``stride``, ``padding`` "SAME" by default, dilation ``rate``) plus ``biases``, in the
    variable scope ``scope`` (``Conv``, ``Conv_1``... by default)."""
    layer = WeightLayer.of(locals())
    check_nhwc(data_format, "conv2d")
    kernel = pair(kernel_size, "kernel_size")
    strides = pair(stride, "strides")
    rates = pair(rate, "dilation_rate")
    if max(rates) > 1 and max(strides) > 1:
        raise ValueError("`strides > 1` not supported in conjunction with `dilation_rate > 1`")
    with variable_scope(scope, "Conv", [inputs], reuse=reuse) as sc:
        inputs = convert_to_tensor(inputs)
        check_rank4(inputs, "Conv2D", sc.name)
        weights, biases = layer.variables(
            [*kernel, inputs.shape[-1].value, num_outputs], num_outputs, inputs.dtype.base_dtype
        )
        if max(rates) > 1:  # as TF: SpaceToBatchND, a VALID Conv2D, BatchToSpaceND
            outputs = convolution(
                inputs, weights, padding.upper(), dilation_rate=rates, name="Conv2D"
            )
        else:
            outputs = nn_conv2d(inputs, weights, strides=[1, *strides, 1], padding=padding.upper())
        return layer.finish(outputs, biases, sc)


conv2d = convolution2d


def _deconv_length(size, kernel: int, stride: int, padding: str):
    if size is None:
        return None
    return size * stride if padding == "SAME" else size * stride + max(kernel - stride, 0)


@add_arg_scope
def convolution2d_transpose(
    inputs,
    num_outputs,
    kernel_size,
    stride=1,
    padding="SAME",
    data_format="NHWC",
    activation_fn=relu,
    normalizer_fn=None,
    normalizer_params=None,
    weights_initializer=_XAVIER,
    weights_regularizer=None,
    biases_initializer=_ZEROS,
    biases_regularizer=None,
    reuse=None,
    variables_collections=None,
    outputs_collections=None,
    trainable=True,
    scope=None,
):
    """The transpose of ``conv2d`` (``weights`` ``[kh, kw, num_outputs, in]``): SAME padding
    multiplies the height and width by ``stride``; scope ``Conv2d_transpose`` by default."""
    layer = WeightLayer.of(locals())
    check_nhwc(data_format, "conv2d_transpose")
    kernel = pair(kernel_size, "kernel_size")
    strides = pair(stride, "strides")
    padding = padding.upper()
    with variable_scope(scope, "Conv2d_transpose", [inputs], reuse=reuse) as sc:
        inputs = convert_to_tensor(inputs)
        check_rank4(inputs, "Conv2DTranspose", sc.name)
        weights, biases = layer.variables(
            [*kernel, num_outputs, inputs.shape[-1].value], num_outputs, inputs.dtype.base_dtype
        )
        dims = array_shape(inputs)
        sizes = [_deconv_length(dims[i], kernel[i - 1], strides[i - 1], padding) for i in (1, 2)]
        output_shape = stack([dims[0], *sizes, num_outputs])
        outputs = nn_conv2d_transpose(
            inputs, weights, output_shape, strides=[1, *strides, 1], padding=padding
        )
        static = inputs.shape.as_list()
        outputs.set_shape(
            [
                static[0],
                *(
                    _deconv_length(static[i], kernel[i - 1], strides[i - 1], padding)
                    for i in (1, 2)
                ),
                num_outputs,
            ]
        )
        return layer.finish(outputs, biases, sc)


conv2d_transpose = convolution2d_transpose


def _pool(pool, default, inputs, kernel_size, stride, padding, data_format, collections, scope):
    check_nhwc(data_format, default)
    kernel = pair(kernel_size, "pool_size")
    strides = pair(stride, "strides")
    with name_scope(scope, default, [inputs]) as sc:
        inputs = convert_to_tensor(inputs)
        outputs = pool(inputs, [1, *kernel, 1], [1, *strides, 1], padding.upper())
        return collect_named_outputs(collections, sc, outputs)


@add_arg_scope
def max_pool2d(
    inputs,
    kernel_size,
    stride=2,
    padding="VALID",
    data_format="NHWC",
    outputs_collections=None,
    scope=None,
):
    """Max pooling over ``kernel_size`` windows (stride 2, VALID by default), in the name
    scope ``MaxPool2D``."""
    return _pool(
        max_pool,
        "MaxPool2D",
        inputs,
        kernel_size,
        stride,
        padding,
        data_format,
        outputs_collections,
        scope,
    )


@add_arg_scope
def avg_pool2d(
    inputs,
    kernel_size,
    stride=2,
    padding="VALID",
    data_format="NHWC",
    outputs_collections=None,
    scope=None,
):
    """Average pooling over ``kernel_size`` windows (stride 2, VALID by default), in the
    name scope ``AvgPool2D``."""
    return _pool(
        avg_pool,
        "AvgPool2D",
        inputs,
        kernel_size,
        stride,
        padding,
        data_format,
        outputs_collections,
        scope,
    )


@add_arg_scope
def flatten(inputs, outputs_collections=None, scope=None):
    """``inputs`` reshaped to ``[batch, -1]``, in the name scope ``Flatten``."""
    with name_scope(scope, "Flatten", [inputs]) as sc:
        inputs = convert_to_tensor(inputs)
        if inputs.shape.ndims is None or inputs.shape.ndims < 2:
            raise ValueError(
                f"Inputs must have a least 2 dimensions. (Flatten {sc!r}, shape {inputs.shape})"
            )
        with name_scope("flatten"):
            batch = inputs.shape[0].value
            if batch is None:
                batch = array_shape(inputs)[0]
            outputs = reshape(
                inputs, stack([batch, -1]) if isinstance(batch, Tensor) else [batch, -1]
            )
            rest = inputs.shape.as_list()[1:]
            if None not in rest:
                outputs.set_shape([inputs.shape[0].value, math.prod(rest)])
        return collect_named_outputs(outputs_collections, sc, outputs)


@add_arg_scope
def dropout(
    inputs,
    keep_prob=0.5,
    noise_shape=None,
    is_training=True,
    outputs_collections=None,
    scope=None,
    seed=None,
):
    """Zeroes each element with probability ``1 - keep_prob`` and scales the rest by
    ``1 / keep_prob`` when ``is_training`` (a bool or a bool tensor), in the scope
    ``Dropout``; the identity otherwise."""
    with variable_scope(scope, "Dropout", [inputs]) as sc:
        inputs = convert_to_tensor(inputs)
        # TF builds a tf.layers Dropout named after the scope, which takes that name inside
        # it: the ops of a dropout in the scope "Dropout" are in "Dropout/dropout_1".
        get_default_graph().unique_name(sc.name.rsplit("/", 1)[-1])
        outputs = smart_cond(
            is_training,
            lambda: nn_dropout(inputs, noise_shape=noise_shape, seed=seed, rate=1 - keep_prob),
            lambda: identity(inputs),
        )
        return collect_named_outputs(outputs_collections, sc.name, outputs)


@add_arg_scope
def bias_add(
    inputs,
    activation_fn=None,
    initializer=_ZEROS,
    regularizer=None,
    reuse=None,
    variables_collections=None,
    outputs_collections=None,
    trainable=True,
    data_format="NHWC",
    scope=None,
):
    """Adds a ``biases`` variable over the last axis, in the variable scope ``BiasAdd``."""
    check_nhwc(data_format, "bias_add")
    with variable_scope(scope, "BiasAdd", [inputs], reuse=reuse) as sc:
        inputs = convert_to_tensor(inputs)
        if inputs.shape.ndims is None or inputs.shape[-1].value is None:
            raise ValueError(f"Dims of shape must be known but is None ({sc.name}: {inputs.shape})")
        if inputs.shape.ndims < 2:
            raise ValueError(f"Data format NHWC requires rank >= 2, got {inputs.shape}")
        biases = model_variable(
            "biases",
            shape=[inputs.shape[-1].value],
            dtype=inputs.dtype.base_dtype,
            initializer=initializer,
            regularizer=regularizer,
            collections=variable_collections(variables_collections, "biases"),
            trainable=trainable,
        )
        outputs = nn_bias_add(inputs, biases)
        if activation_fn is not None:
            outputs = activation_fn(outputs)
        return collect_named_outputs(outputs_collections, sc.name, outputs)


@add_arg_scope
def one_hot_encoding(
    labels, num_classes, on_value=1.0, off_value=0.0, outputs_collections=None, scope=None
):
    """``tf.one_hot(labels, num_classes)`` in the name scope ``OneHotEncoding``."""
    with name_scope(scope, "OneHotEncoding", [labels, num_classes]) as sc:
        labels = convert_to_tensor(labels)
        if labels.dtype == dtypes.int32:
            labels = to_int64(labels)
        outputs = one_hot(labels, num_classes, on_value=on_value, off_value=off_value)
        return collect_named_outputs(outputs_collections, sc, outputs)


@add_arg_scope
def embed_sequence(
    ids,
    vocab_size=None,
    embed_dim=None,
    unique=False,
    initializer=None,
    regularizer=None,
    trainable=True,
    scope=None,
    reuse=None,
):
    """Looks ``ids`` up in a ``[vocab_size, embed_dim]`` model variable ``embeddings`` in the
    variable scope ``EmbedSequence``."""
    if not (vocab_size and embed_dim):
        raise ValueError("Must specify vocab size and embedding dimension")
    if unique:
        raise NotImplementedError(
            "embed_sequence(unique=True) is not supported; use unique=False (same values)."
        )
    with variable_scope(scope, "EmbedSequence", [ids], reuse=reuse):
        embeddings = model_variable(
            "embeddings",
            shape=[vocab_size, embed_dim],
            dtype=dtypes.float32,
            initializer=initializer,
            regularizer=regularizer,
            trainable=trainable,
        )
        return embedding_lookup(embeddings, ids)


__all__ = [
    "avg_pool2d",
    "bias_add",
    "conv2d",
    "conv2d_transpose",
    "convolution2d",
    "convolution2d_transpose",
    "dropout",
    "embed_sequence",
    "flatten",
    "fully_connected",
    "max_pool2d",
    "one_hot_encoding",
]
