"""What each Keras layer's ``get_config`` holds beyond its name, trainability and dtype: the
keys TF's Keras (tf_keras 2.x, the version that reads and writes today's HDF5 files) lists,
in its order, each read from the layer's attribute of that name.

``KEYS`` maps a layer class name to its keys; a layer uses the entry of the first class in
its method resolution order that has one (so subclasses of ``Dense`` list ``Dense``'s keys).
``FIXED`` holds the keys TF lists that scopeflow supports at TF's default value only
(``groups=1``): ``get_config`` writes the default, ``from_config`` accepts the default and
raises ``NotImplementedError`` for any other value. A layer defined elsewhere adds its entry
here, or overrides ``get_config``.

>>> import scopeflow as tf
>>> with tf.Graph().as_default():
...     config = tf.keras.layers.Dense(3, activation="relu").get_config()
>>> config["units"], config["activation"], config["kernel_initializer"]["class_name"]
(3, 'relu', 'GlorotUniform')
"""

from __future__ import annotations

import inspect

from scopeflow.keras import initializers
from scopeflow.keras.serialization import config_value

_REGULARIZED = ("kernel_regularizer", "bias_regularizer", "activity_regularizer")
_DENSE_LIKE = (
    "activation",
    "use_bias",
    "kernel_initializer",
    "bias_initializer",
    *_REGULARIZED,
    "kernel_constraint",
    "bias_constraint",
)
_CONV = ("filters", "kernel_size", "strides", "padding", "data_format", "dilation_rate")
_CONV_KEYS = (*_CONV, "groups", *_DENSE_LIKE)
_SEPARABLE = (
    "depth_multiplier",
    "depthwise_initializer",
    "pointwise_initializer",
    "depthwise_regularizer",
    "pointwise_regularizer",
    "depthwise_constraint",
    "pointwise_constraint",
)
_POOL_1D = ("strides", "pool_size", "padding", "data_format")
_POOL = ("pool_size", "padding", "strides", "data_format")
_NORM_TAIL = (
    "beta_initializer",
    "gamma_initializer",
)
_NORM_REG = ("beta_regularizer", "gamma_regularizer", "beta_constraint", "gamma_constraint")
_GLOBAL = ("data_format", "keepdims")

_CELL_INITIALIZERS = ("kernel_initializer", "recurrent_initializer", "bias_initializer")
_CELL_REGULARIZED = (
    "kernel_regularizer",
    "recurrent_regularizer",
    "bias_regularizer",
    "kernel_constraint",
    "recurrent_constraint",
    "bias_constraint",
)
_CELL = ("use_bias", *_CELL_INITIALIZERS, *_CELL_REGULARIZED)

KEYS: dict[str, tuple] = {
    "Dense": ("units", *_DENSE_LIKE),
    "Dropout": ("rate", "noise_shape", "seed"),
    "Flatten": ("data_format",),
    "Conv1D": _CONV_KEYS,
    "Conv2D": _CONV_KEYS,
    "Conv3D": _CONV_KEYS,
    "Conv2DTranspose": (*_CONV_KEYS, "output_padding"),
    "Conv1DTranspose": (*_CONV_KEYS, "output_padding"),
    "Conv3DTranspose": (*_CONV[:-1], "groups", *_DENSE_LIKE, "output_padding"),
    "SeparableConv1D": (*_CONV_KEYS, *_SEPARABLE),
    "SeparableConv2D": (*_CONV_KEYS, *_SEPARABLE),
    "DepthwiseConv2D": (
        "kernel_size",
        "strides",
        "padding",
        "data_format",
        "dilation_rate",
        "groups",
        "activation",
        "use_bias",
        "bias_initializer",
        "bias_regularizer",
        "activity_regularizer",
        "bias_constraint",
        "depth_multiplier",
        "depthwise_initializer",
        "depthwise_regularizer",
        "depthwise_constraint",
    ),
    "BatchNormalization": (
        "axis",
        "momentum",
        "epsilon",
        "center",
        "scale",
        *_NORM_TAIL,
        "moving_mean_initializer",
        "moving_variance_initializer",
        *_NORM_REG,
    ),
    "LayerNormalization": ("axis", "epsilon", "center", "scale", *_NORM_TAIL, *_NORM_REG),
    "MaxPooling1D": _POOL_1D,
    "AveragePooling1D": _POOL_1D,
    "MaxPooling2D": _POOL,
    "AveragePooling2D": _POOL,
    "MaxPooling3D": _POOL,
    "AveragePooling3D": _POOL,
    "GlobalAveragePooling1D": _GLOBAL,
    "GlobalAveragePooling2D": _GLOBAL,
    "GlobalMaxPooling1D": _GLOBAL,
    "GlobalMaxPooling2D": _GLOBAL,
    "Activation": ("activation",),
    "Reshape": ("target_shape",),
    "Permute": ("dims",),
    "RepeatVector": ("n",),
    "Masking": ("mask_value",),
    "Concatenate": ("axis",),
    "Dot": ("axes", "normalize"),
    "Embedding": (
        "input_dim",
        "output_dim",
        "embeddings_initializer",
        "embeddings_regularizer",
        "activity_regularizer",
        "embeddings_constraint",
        "mask_zero",
        "input_length",
    ),
    "GaussianNoise": ("stddev", "seed"),
    "GaussianDropout": ("rate", "seed"),
    "AlphaDropout": ("rate", "seed"),
    "SpatialDropout1D": ("rate", "noise_shape", "seed"),
    "SpatialDropout2D": ("rate", "noise_shape", "seed"),
    "ZeroPadding1D": ("padding",),
    "ZeroPadding2D": ("padding", "data_format"),
    "Cropping1D": ("cropping",),
    "Cropping2D": ("cropping", "data_format"),
    "UpSampling1D": ("size",),
    "UpSampling2D": ("size", "data_format", "interpolation"),
    "ELU": ("alpha",),
    "ReLU": ("max_value", "negative_slope", "threshold"),
    "Softmax": ("axis",),
    "ThresholdedReLU": ("theta",),
    "PReLU": ("alpha_initializer", "alpha_regularizer", "alpha_constraint", "shared_axes"),
    "SimpleRNNCell": ("units", "activation", *_CELL, "dropout", "recurrent_dropout"),
    "LSTMCell": (
        "units",
        "activation",
        "recurrent_activation",
        "use_bias",
        *_CELL_INITIALIZERS,
        "unit_forget_bias",
        *_CELL_REGULARIZED,
        "dropout",
        "recurrent_dropout",
        "implementation",
    ),
    "GRUCell": (
        "units",
        "activation",
        "recurrent_activation",
        *_CELL,
        "dropout",
        "recurrent_dropout",
        "implementation",
        "reset_after",
    ),
    "Attention": ("dropout", "use_scale", "score_mode"),
    "AdditiveAttention": ("dropout", "use_scale"),
}

FIXED: dict[str, dict] = {
    "Conv1D": {"groups": 1},
    "Conv2D": {"groups": 1},
    "Conv3D": {"groups": 1},
    "Conv2DTranspose": {"groups": 1, "output_padding": None},
    "SeparableConv2D": {"groups": 1},
    "DepthwiseConv2D": {"groups": 1, "data_format": "channels_last"},
    "Conv1DTranspose": {"groups": 1, "output_padding": None},
    "Conv3DTranspose": {"groups": 1, "output_padding": None},
    "SeparableConv1D": {"groups": 1},
    "Dropout": {"noise_shape": None},
    "Flatten": {"data_format": "channels_last"},
    "GlobalAveragePooling1D": {"data_format": "channels_last", "keepdims": False},
    "GlobalAveragePooling2D": {"data_format": "channels_last", "keepdims": False},
    "GlobalMaxPooling1D": {"data_format": "channels_last", "keepdims": False},
    "GlobalMaxPooling2D": {"data_format": "channels_last", "keepdims": False},
    "ZeroPadding2D": {"data_format": "channels_last"},
    "Cropping2D": {"data_format": "channels_last"},
    "UpSampling2D": {"data_format": "channels_last"},
    "SpatialDropout1D": {"noise_shape": None, "seed": None},
    "SpatialDropout2D": {"noise_shape": None, "seed": None},
    "InputLayer": {"ragged": False, "optional": False},
    "SimpleRNNCell": {"dropout": 0.0, "recurrent_dropout": 0.0},
    "LSTMCell": {"dropout": 0.0, "recurrent_dropout": 0.0},
    "GRUCell": {"dropout": 0.0, "recurrent_dropout": 0.0},
}
# Keys whose value changes nothing in scopeflow's results: written as TF's default, any
# value read (an LSTM's ``implementation`` picks how TF batches its matrix products).
IGNORED: dict[str, object] = {"implementation": 2}
# What a Keras layer's ``None`` means for these keys (tf.layers' classes keep ``None``).
_NONE_MEANS = {
    "activation": "linear",
    "kernel_initializer": initializers.GlorotUniform,
    "depthwise_initializer": initializers.GlorotUniform,
    "pointwise_initializer": initializers.GlorotUniform,
    "bias_initializer": initializers.Zeros,
}


def _entry(table: dict, cls) -> dict | tuple:
    for klass in cls.__mro__:
        if klass.__name__ in table and klass.__module__.startswith("scopeflow."):
            return table[klass.__name__]
    return {} if table is FIXED else ()


def arguments_of(layer) -> dict:
    """The layer's own config entries (``KEYS``), converted as configs hold them."""
    fixed = _entry(FIXED, type(layer))
    config = {}
    for key in _entry(KEYS, type(layer)):
        if key in IGNORED and not hasattr(layer, key):
            value = IGNORED[key]
        elif hasattr(layer, key):
            value = getattr(layer, key)
        elif key in fixed:
            value = fixed[key]
        else:
            value = getattr(layer, f"_{key}")
        if (
            key == "axis"
            and layer.built
            and _entry(KEYS, type(layer)) is KEYS["BatchNormalization"]
        ):
            value = [value] if isinstance(value, int) else value  # TF lists it once built
        if value is None and key in _NONE_MEANS:
            value = _NONE_MEANS[key]
            value = value if isinstance(value, str) else value()
        config[key] = config_value(value)
    return config


def constructor_arguments(cls, config: dict) -> dict:
    """``config`` less the ``FIXED`` keys ``cls`` does not take (at TF's default value)."""
    config = dict(config)
    for key in IGNORED:
        if key in config and not _takes(cls, key):
            config.pop(key)
    for key, default in _entry(FIXED, cls).items():
        if key not in config or _takes(cls, key):
            continue
        value = config.pop(key)
        if value != default and not (isinstance(default, str) and value is None):
            raise NotImplementedError(
                f"{cls.__name__}({key}={value!r}) is not supported by scopeflow: only "
                f"{key}={default!r} (TF's default) is."
            )
    return config


def _takes(cls, key: str) -> bool:
    """Whether ``cls``'s constructor takes ``key``: past constructors that only pass
    ``*args, **kwargs`` on (Keras's ``Layer`` over a ``tf.layers`` class), to the one that
    names its arguments."""
    for klass in cls.__mro__:
        if "__init__" not in vars(klass):
            continue
        parameters = inspect.signature(klass.__init__).parameters
        kinds = {p.kind for name, p in parameters.items() if name != "self"}
        if kinds != {inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD}:
            return key in parameters
    return False
