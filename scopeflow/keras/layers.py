"""``tf.keras.layers``: Keras's layers for TF1 graphs. The ones ``tf.layers`` has are those
classes under Keras's ``Layer`` (Keras's names, name scopes and defaults: ``MaxPooling2D()``
pools 2x2); the rest are defined here as TF1.15's Keras builds them.

>>> import scopeflow as tf
>>> with tf.Graph().as_default():
...     x = tf.keras.Input(shape=(8, 8, 3))
...     y = tf.keras.layers.Conv2D(4, 3, activation="relu")(x)
...     y = tf.keras.layers.GlobalAveragePooling2D()(tf.keras.layers.MaxPooling2D()(y))
>>> y.name, y.shape.as_list()
('global_average_pooling2d/Mean:0', [None, 4])
"""

from __future__ import annotations

import inspect
import sys
import types

import numpy as np

from scopeflow.framework import dtypes
from scopeflow.keras import (
    activations,
    convolutional_extra,
    core_extra,
    initializers,
    merging,
    more_layers,
    multi_head_attention,
    preprocessing_layers,
    regularizers,
    volumes,
)
from scopeflow.keras import experimental_layers as experimental
from scopeflow.keras.activation_layers import (
    ELU,
    LeakyReLU,
    PReLU,
    ReLU,
    Softmax,
    ThresholdedReLU,
)
from scopeflow.keras.convolutional_extra import *  # noqa: F403 - tf.keras.layers' names
from scopeflow.keras.core_extra import *  # noqa: F403
from scopeflow.keras.engine import Input, InputLayer, Layer
from scopeflow.keras.grouped_conv import GroupedConv
from scopeflow.keras.layer_signatures import CONV2D_TRANSPOSE, keras_parameters
from scopeflow.keras.layers_extra import (
    AdditiveAttention,
    Attention,
    DepthwiseConv2D,
    Dot,
    LayerNormalization,
    dot,
)
from scopeflow.keras.merging import *  # noqa: F403 - tf.keras.layers' names
from scopeflow.keras.model_config import deserialize, serialize
from scopeflow.keras.more_layers import *  # noqa: F403 - tf.keras.layers' names
from scopeflow.keras.multi_head_attention import *  # noqa: F403
from scopeflow.keras.noise import (
    AlphaDropout,
    GaussianDropout,
    GaussianNoise,
    SpatialDropout1D,
    SpatialDropout2D,
)
from scopeflow.keras.preprocessing_layers import *  # noqa: F403
from scopeflow.keras.recurrent import GRU, LSTM, RNN, SimpleRNN
from scopeflow.keras.recurrent_cells import GRUCell, LSTMCell, SimpleRNNCell, StackedRNNCells
from scopeflow.keras.reshaping import (
    Cropping1D,
    Cropping2D,
    Permute,
    RepeatVector,
    UpSampling1D,
    UpSampling2D,
    ZeroPadding1D,
    ZeroPadding2D,
)
from scopeflow.keras.serialization import deserialize_keras_object, func_dump, func_load
from scopeflow.keras.volumes import *  # noqa: F403
from scopeflow.keras.wrappers import Bidirectional, TimeDistributed, Wrapper
from scopeflow.layers import convolutional as tf_conv
from scopeflow.layers import core as tf_core
from scopeflow.layers import normalization as tf_norm
from scopeflow.layers import pooling as tf_pool
from scopeflow.layers.base import InputSpec
from scopeflow.ops.array import basic as array_ops
from scopeflow.ops.array import shape as shape_ops
from scopeflow.ops.array.cast import cast
from scopeflow.ops.math import elementwise as math_ops
from scopeflow.ops.math import reduction
from scopeflow.ops.nn.composite import embedding_lookup


class Dense(Layer, tf_core.Dense):
    """``activation(inputs @ kernel + bias)``: weights ``dense/kernel``, ``dense/bias``."""

    supports_masking = True


class Dropout(Layer, tf_core.Dropout):
    """Drops a ``rate`` fraction of its inputs while the learning phase is 1 (``fit``)."""

    supports_masking = True


class Flatten(Layer, tf_core.Flatten):
    """Each example flattened to one dimension."""


class Conv1D(GroupedConv, Layer, tf_conv.Conv1D):
    """1-D convolution over ``[batch, steps, channels]``."""


class Conv2D(GroupedConv, Layer, tf_conv.Conv2D):
    """2-D convolution over NHWC images."""


class Conv3D(GroupedConv, Layer, tf_conv.Conv3D):
    """3-D convolution over NDHWC volumes (``groups``, seventh as in tf_keras, must be 1)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.groups != 1:
            raise NotImplementedError(
                f"Conv3D(groups={self.groups}) is not supported: use groups=1, or split the "
                "channels (tf.split) and concatenate the Conv3D of each group."
            )


@keras_parameters(*CONV2D_TRANSPOSE)
class Conv2DTranspose(Layer, tf_conv.Conv2DTranspose):
    """The transpose (gradient) of a 2-D convolution."""


class SeparableConv2D(Layer, tf_conv.SeparableConv2D):
    """A depthwise 2-D convolution followed by a 1x1 one."""


class BatchNormalization(Layer, tf_norm.BatchNormalization):
    """Normalizes by the batch's statistics in training (learning phase 1) and by moving
    averages otherwise; the moving-average updates are the layer's ``updates``."""

    _tracked_lists = ("axis",)  # Keras checkpoints its axis list as an (empty) object
    supports_masking = True

    def get_config(self):
        config = super().get_config()
        if self.renorm:  # TF lists the renorm options of renorm layers only
            config.update(
                renorm=True,
                renorm_clipping=self.renorm_clipping,
                renorm_momentum=self.renorm_momentum,
            )
        if self.virtual_batch_size is not None:
            config["virtual_batch_size"] = self.virtual_batch_size
        return config


def _pooling(base, pool_default, doc: str):
    class Pooling(Layer, base):
        __doc__ = doc

        def __init__(
            self, pool_size=pool_default, strides=None, padding="valid", data_format=None, **kw
        ):
            super().__init__(pool_size, strides, padding=padding, data_format=data_format, **kw)

    Pooling.__name__ = Pooling.__qualname__ = base.__name__
    return Pooling


MaxPooling1D = _pooling(tf_pool.MaxPooling1D, 2, "Max pooling over steps (default 2).")
AveragePooling1D = _pooling(tf_pool.AveragePooling1D, 2, "Average pooling over steps.")
MaxPooling2D = _pooling(tf_pool.MaxPooling2D, (2, 2), "Max pooling (default 2x2).")
AveragePooling2D = _pooling(tf_pool.AveragePooling2D, (2, 2), "Average pooling (2x2).")
MaxPooling3D = _pooling(tf_pool.MaxPooling3D, (2, 2, 2), "Max pooling over volumes.")
AveragePooling3D = _pooling(tf_pool.AveragePooling3D, (2, 2, 2), "Average pooling (volumes).")


class _GlobalPooling(Layer):
    axes: list = [1, 2]
    reduce = staticmethod(reduction.reduce_mean)

    def __init__(self, data_format=None, keepdims=False, **kwargs):
        super().__init__(**kwargs)
        tf_core.check_channels_last(data_format, type(self).__name__)
        self.input_spec = InputSpec(ndim=len(self.axes) + 2)
        self.keepdims = keepdims

    def call(self, inputs):
        return self.reduce(inputs, axis=self.axes, keepdims=self.keepdims)


class GlobalAveragePooling1D(_GlobalPooling):
    """The mean over steps: ``[batch, steps, channels]`` -> ``[batch, channels]``."""

    axes = [1]


class GlobalAveragePooling2D(_GlobalPooling):
    """The mean over height and width: ``[batch, channels]``."""


class GlobalMaxPooling1D(_GlobalPooling):
    """The maximum over steps."""

    axes = [1]
    reduce = staticmethod(reduction.reduce_max)


class GlobalMaxPooling2D(_GlobalPooling):
    """The maximum over height and width."""

    reduce = staticmethod(reduction.reduce_max)


class GlobalAveragePooling3D(_GlobalPooling):
    """The mean over depth, height and width of NDHWC volumes."""

    axes = [1, 2, 3]


class GlobalMaxPooling3D(_GlobalPooling):
    """The maximum over depth, height and width of NDHWC volumes."""

    axes = [1, 2, 3]
    reduce = staticmethod(reduction.reduce_max)


class Activation(Layer):
    """Applies an activation (a name such as ``"relu"`` or a function)."""

    supports_masking = True

    def __init__(self, activation, **kwargs):
        super().__init__(**kwargs)
        self.activation = activations.get(activation)

    def call(self, inputs):
        return self.activation(inputs)


class Lambda(Layer):
    """Applies a Python function of tensors (``arguments``: its extra keyword arguments; a
    function taking ``mask`` or ``training`` is given them). ``mask``: the output's mask, a
    function ``mask(inputs, input_mask)`` or a tensor (none by default, as TF's)."""

    def __init__(self, function, output_shape=None, mask=None, arguments=None, **kwargs):
        super().__init__(**kwargs)
        self.function = function
        self.output_shape_argument = output_shape
        self.arguments = dict(arguments or {})
        self.mask = mask
        self.supports_masking = mask is not None
        try:
            names = set(inspect.signature(function).parameters)
        except (TypeError, ValueError):  # a callable without a signature
            names = set()
        self._fn_arguments = names & {"mask", "training"}

    def _call_arguments(self) -> set:
        return {"inputs"} | self._fn_arguments  # the learning phase only when it is wanted

    def call(self, inputs, mask=None, training=None):
        given = {"mask": mask, "training": training}
        extra = {name: given[name] for name in self._fn_arguments}
        return self.function(inputs, **self.arguments, **extra)

    def compute_mask(self, inputs, mask=None):
        return self.mask(inputs, mask) if callable(self.mask) else self.mask

    def get_config(self) -> dict:
        """Its function (code, or name), output shape and arguments, as TF's Keras saves
        them."""
        function, function_type, module = _function_config(self.function)
        shape, shape_type, shape_module = _function_config(self.output_shape_argument)
        config = {
            **super().get_config(),
            "function": function,
            "function_type": function_type,
            "module": module,
            "output_shape": shape,
            "output_shape_type": shape_type,
            "output_shape_module": shape_module,
        }
        if self.mask is not None:
            mask, mask_type, mask_module = _function_config(self.mask)
            config.update(mask=mask, mask_type=mask_type, mask_module=mask_module)
        return {**config, "arguments": self.arguments}

    @classmethod
    def from_config(cls, config: dict, custom_objects=None):
        """The ``Lambda`` a config describes: its code loaded with the names of its module."""
        config = dict(config)
        function = _function_from(config, "function", "module", "function_type", custom_objects)
        shape = _function_from(
            config, "output_shape", "output_shape_module", "output_shape_type", custom_objects
        )
        if "mask" in config:
            config["mask"] = _function_from(
                config, "mask", "mask_module", "mask_type", custom_objects
            )
        return cls(function, output_shape=shape, **config)


def _function_config(function) -> tuple:
    if isinstance(function, types.LambdaType):
        return func_dump(function), "lambda", function.__module__
    if callable(function):
        return function.__name__, "function", function.__module__
    return function, "raw", None


def _function_from(config: dict, key: str, module_key: str, type_key: str, custom_objects):
    module = config.pop(module_key, None)
    kind = config.pop(type_key, "raw")
    value = config.pop(key, None)
    names = {"np": np, "tf": sys.modules.get("scopeflow")}  # as TF's lambda_layer module
    names.update(vars(sys.modules[module]) if module in sys.modules else {})
    names.update(custom_objects or {})
    if kind == "function":
        return names.get(value) or deserialize_keras_object(
            value, custom_objects=custom_objects, printable_module_name="function in Lambda layer"
        )
    if kind == "lambda":
        return func_load(value, globs=names)
    return tuple(value) if isinstance(value, list) else value


class Reshape(Layer):
    """Reshapes each example to ``target_shape`` (one entry may be -1)."""

    def __init__(self, target_shape, **kwargs):
        super().__init__(**kwargs)
        self.target_shape = tuple(target_shape)

    def call(self, inputs):
        batch = array_ops.shape(inputs)[0]
        outputs = array_ops.reshape(inputs, (batch, *self.target_shape))
        known = [inputs.shape.as_list()[0], *self.target_shape]
        if -1 in self.target_shape and inputs.shape[1:].is_fully_defined():
            size = int(np.prod(inputs.shape.as_list()[1:]))
            rest = int(np.prod([d for d in self.target_shape if d != -1]))
            known[1 + self.target_shape.index(-1)] = size // rest
        outputs.set_shape([None if d == -1 else d for d in known])
        return outputs


class Embedding(Layer):
    """Looks up rows of ``embeddings`` (``[input_dim, output_dim]``, uniform within 0.05 by
    default) for integer inputs."""

    def __init__(
        self,
        input_dim,
        output_dim,
        embeddings_initializer="uniform",
        embeddings_regularizer=None,
        activity_regularizer=None,
        embeddings_constraint=None,
        mask_zero=False,
        input_length=None,
        **kwargs,
    ):
        if "input_shape" not in kwargs and input_length is not None:
            kwargs["input_shape"] = (input_length,)
        kwargs.setdefault("dtype", "float32")
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        self.input_dim, self.output_dim = int(input_dim), int(output_dim)
        init = "random_uniform" if embeddings_initializer == "uniform" else embeddings_initializer
        self.embeddings_initializer = initializers.get(init)
        self.embeddings_regularizer = regularizers.get(embeddings_regularizer)
        self.embeddings_constraint = embeddings_constraint
        self.mask_zero = mask_zero
        self.input_length = input_length

    def build(self, input_shape):
        self.embeddings = self.add_weight(
            "embeddings",
            shape=(self.input_dim, self.output_dim),
            initializer=self.embeddings_initializer,
            regularizer=self.embeddings_regularizer,
            constraint=self.embeddings_constraint,
        )
        self.built = True

    def compute_mask(self, inputs, mask=None):
        """``inputs != 0`` with ``mask_zero``, else no mask."""
        return math_ops.not_equal(inputs, 0) if self.mask_zero else None

    def call(self, inputs):
        if inputs.dtype.base_dtype != dtypes.int32:
            inputs = cast(inputs, dtypes.int32)
        return embedding_lookup(self.embeddings, inputs)


class Masking(Layer):
    """Masks the steps of ``[batch, steps, features]`` whose features all equal
    ``mask_value`` (zeroed, and skipped by the recurrent layers after it)."""

    supports_masking = True

    def __init__(self, mask_value=0.0, **kwargs):
        super().__init__(**kwargs)
        self.mask_value = mask_value

    def compute_mask(self, inputs, mask=None):
        made = self.__dict__.get("_made_mask")
        if made is not None and made[0] is inputs:  # the call's (``masking/Squeeze``, as TF's)
            return made[1]
        return reduction.reduce_any(math_ops.not_equal(inputs, self.mask_value), axis=-1)

    def call(self, inputs):
        keep = reduction.reduce_any(
            math_ops.not_equal(inputs, self.mask_value), axis=-1, keepdims=True
        )
        outputs = inputs * cast(keep, inputs.dtype.base_dtype)
        self.__dict__["_made_mask"] = (inputs, shape_ops.squeeze(keep, axis=-1))
        return outputs


_UNSUPPORTED: dict = {}


def __getattr__(name: str):
    if name in _UNSUPPORTED:
        raise NotImplementedError(
            f"tf.keras.layers.{name} is not provided by scopeflow yet; use {_UNSUPPORTED[name]}."
        )
    raise AttributeError(f"module 'tf.keras.layers' has no attribute {name!r}")


Convolution1D, Convolution2D, Convolution3D = Conv1D, Conv2D, Conv3D
Convolution2DTranspose, SeparableConvolution2D = Conv2DTranspose, SeparableConv2D
MaxPool1D, MaxPool2D, MaxPool3D = MaxPooling1D, MaxPooling2D, MaxPooling3D
AvgPool1D, AvgPool2D, AvgPool3D = AveragePooling1D, AveragePooling2D, AveragePooling3D
GlobalAvgPool1D, GlobalAvgPool2D = GlobalAveragePooling1D, GlobalAveragePooling2D
GlobalMaxPool1D, GlobalMaxPool2D = GlobalMaxPooling1D, GlobalMaxPooling2D
GlobalAvgPool3D, GlobalMaxPool3D = GlobalAveragePooling3D, GlobalMaxPooling3D

__all__ = [
    *convolutional_extra.__all__,
    *core_extra.__all__,
    *merging.__all__,
    *more_layers.__all__,
    *multi_head_attention.__all__,
    *preprocessing_layers.__all__,
    *volumes.__all__,
    "GlobalAveragePooling3D",
    "GlobalMaxPooling3D",
    "experimental",
    "Masking",
    "Activation",
    "AdditiveAttention",
    "AlphaDropout",
    "Attention",
    "AveragePooling1D",
    "AveragePooling2D",
    "AveragePooling3D",
    "BatchNormalization",
    "Bidirectional",
    "Conv1D",
    "Conv2D",
    "Conv2DTranspose",
    "Conv3D",
    "Cropping1D",
    "Cropping2D",
    "Dense",
    "DepthwiseConv2D",
    "Dot",
    "Dropout",
    "ELU",
    "Embedding",
    "Flatten",
    "GRU",
    "GRUCell",
    "GaussianDropout",
    "GaussianNoise",
    "GlobalAveragePooling1D",
    "GlobalAveragePooling2D",
    "GlobalMaxPooling1D",
    "GlobalMaxPooling2D",
    "Input",
    "InputLayer",
    "InputSpec",
    "LSTM",
    "LSTMCell",
    "Lambda",
    "Layer",
    "LayerNormalization",
    "LeakyReLU",
    "MaxPooling1D",
    "MaxPooling2D",
    "MaxPooling3D",
    "PReLU",
    "Permute",
    "RNN",
    "ReLU",
    "RepeatVector",
    "Reshape",
    "SeparableConv2D",
    "SimpleRNN",
    "SimpleRNNCell",
    "Softmax",
    "SpatialDropout1D",
    "SpatialDropout2D",
    "StackedRNNCells",
    "ThresholdedReLU",
    "TimeDistributed",
    "UpSampling1D",
    "UpSampling2D",
    "Wrapper",
    "ZeroPadding1D",
    "ZeroPadding2D",
    "deserialize",
    "dot",
    "serialize",
]
