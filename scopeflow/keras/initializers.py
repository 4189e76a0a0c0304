"""``tf.keras.initializers``: TF1's initializers under Keras's names and defaults
(``RandomNormal``/``RandomUniform``/``TruncatedNormal`` draw within 0.05, as Keras's do), and
``get`` for the names layers take (``kernel_initializer="he_normal"``).

>>> import scopeflow as tf
>>> type(tf.keras.initializers.get("glorot_uniform")).__name__
'GlorotUniform'
"""

from __future__ import annotations

from scopeflow.framework import dtypes
from scopeflow.keras import custom_objects
from scopeflow.keras.serialization import deserialize_keras_object, serialize_keras_object
from scopeflow.variables import initializers as tf_init
from scopeflow.variables.initializers import (
    Constant,
    GlorotNormal,
    GlorotUniform,
    Identity,
    Initializer,
    Ones,
    Orthogonal,
    VarianceScaling,
    Zeros,
)


class RandomNormal(tf_init.RandomNormal):
    """Normal with ``mean`` and ``stddev`` (Keras's default stddev: 0.05)."""

    def __init__(self, mean=0.0, stddev=0.05, seed=None, dtype=dtypes.float32):
        super().__init__(mean, stddev, seed, dtype)


class RandomUniform(tf_init.RandomUniform):
    """Uniform in ``[minval, maxval)`` (Keras's defaults: -0.05, 0.05)."""

    def __init__(self, minval=-0.05, maxval=0.05, seed=None, dtype=dtypes.float32):
        super().__init__(minval, maxval, seed, dtype)


class TruncatedNormal(tf_init.TruncatedNormal):
    """Normal truncated at two standard deviations (Keras's default stddev: 0.05)."""

    def __init__(self, mean=0.0, stddev=0.05, seed=None, dtype=dtypes.float32):
        super().__init__(mean, stddev, seed, dtype)


def _variance_scaling(class_name: str, scale: float, distribution: str):
    def __init__(self, seed=None):  # noqa: N807
        VarianceScaling.__init__(self, scale, "fan_in", distribution, seed)

    return type(
        class_name,
        (VarianceScaling,),
        {
            "__init__": __init__,
            "get_config": lambda self: {"seed": self.seed},
            "__doc__": f'``VarianceScaling({scale}, "fan_in", "{distribution}")``.',
            "__module__": __name__,
        },
    )


HeNormal = _variance_scaling("HeNormal", 2.0, "truncated_normal")
HeUniform = _variance_scaling("HeUniform", 2.0, "uniform")
LecunNormal = _variance_scaling("LecunNormal", 1.0, "truncated_normal")
LecunUniform = _variance_scaling("LecunUniform", 1.0, "uniform")

_BY_NAME = {
    "zeros": Zeros,
    "ones": Ones,
    "constant": Constant,
    "identity": Identity,
    "orthogonal": Orthogonal,
    "glorot_uniform": GlorotUniform,
    "glorot_normal": GlorotNormal,
    "he_normal": HeNormal,
    "he_uniform": HeUniform,
    "lecun_normal": LecunNormal,
    "lecun_uniform": LecunUniform,
    "random_normal": RandomNormal,
    "random_uniform": RandomUniform,
    "truncated_normal": TruncatedNormal,
    "variance_scaling": VarianceScaling,
}
_BY_NAME.update({cls.__name__: cls for cls in (Zeros, Ones, Constant, Identity, Orthogonal)})
_BY_NAME.update({cls.__name__: cls for cls in (RandomNormal, RandomUniform, TruncatedNormal)})
_BY_NAME.update({cls.__name__: cls for cls in (GlorotUniform, GlorotNormal, VarianceScaling)})
_BY_NAME.update({cls.__name__: cls for cls in (HeNormal, HeUniform, LecunNormal, LecunUniform)})


def get(identifier):
    """The initializer named ``identifier`` (a new instance), ``identifier`` itself when it is
    one (or callable), ``None`` for ``None``."""
    if identifier is None or isinstance(identifier, Initializer) or callable(identifier):
        return identifier
    if custom_objects.lookup(identifier) is not None:
        return custom_objects.lookup(identifier)
    if isinstance(identifier, str) and identifier in _BY_NAME:
        return _BY_NAME[identifier]()
    if isinstance(identifier, dict):
        return deserialize(identifier)
    raise ValueError(f"Could not interpret initializer identifier: {identifier}")


def serialize(initializer) -> dict:
    """``{"class_name": ..., "config": ...}`` of an initializer."""
    return serialize_keras_object(initializer)


def deserialize(config, custom_objects=None):
    """The initializer a ``serialize`` dictionary (or a name) describes."""
    return deserialize_keras_object(
        config,
        module_objects=_BY_NAME,
        custom_objects=custom_objects,
        printable_module_name="initializer",
    )


zeros, ones, constant = Zeros, Ones, Constant
he_normal, he_uniform, lecun_normal, lecun_uniform = HeNormal, HeUniform, LecunNormal, LecunUniform
glorot_uniform, glorot_normal = GlorotUniform, GlorotNormal
random_normal, random_uniform, truncated_normal = RandomNormal, RandomUniform, TruncatedNormal
normal, uniform, orthogonal, identity = RandomNormal, RandomUniform, Orthogonal, Identity

__all__ = [
    "Constant",
    "GlorotNormal",
    "GlorotUniform",
    "HeNormal",
    "HeUniform",
    "Identity",
    "Initializer",
    "LecunNormal",
    "LecunUniform",
    "Ones",
    "Orthogonal",
    "RandomNormal",
    "RandomUniform",
    "TruncatedNormal",
    "VarianceScaling",
    "Zeros",
    "constant",
    "deserialize",
    "get",
    "glorot_normal",
    "glorot_uniform",
    "he_normal",
    "he_uniform",
    "identity",
    "lecun_normal",
    "lecun_uniform",
    "normal",
    "ones",
    "orthogonal",
    "random_normal",
    "random_uniform",
    "serialize",
    "truncated_normal",
    "uniform",
    "zeros",
]
