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
    he_normal,
    he_uniform,
    lecun_normal,
    lecun_uniform,
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


_BY_NAME = {
    "zeros": Zeros,
    "ones": Ones,
    "constant": Constant,
    "identity": Identity,
    "orthogonal": Orthogonal,
    "glorot_uniform": GlorotUniform,
    "glorot_normal": GlorotNormal,
    "he_normal": he_normal,
    "he_uniform": he_uniform,
    "lecun_normal": lecun_normal,
    "lecun_uniform": lecun_uniform,
    "random_normal": RandomNormal,
    "random_uniform": RandomUniform,
    "truncated_normal": TruncatedNormal,
    "variance_scaling": VarianceScaling,
}
_BY_NAME.update({cls.__name__: cls for cls in (Zeros, Ones, Constant, Identity, Orthogonal)})
_BY_NAME.update({cls.__name__: cls for cls in (RandomNormal, RandomUniform, TruncatedNormal)})
_BY_NAME.update({cls.__name__: cls for cls in (GlorotUniform, GlorotNormal, VarianceScaling)})


def get(identifier):
    """The initializer named ``identifier`` (a new instance), ``identifier`` itself when it is
    one (or callable), ``None`` for ``None``."""
    if identifier is None or isinstance(identifier, Initializer) or callable(identifier):
        return identifier
    if custom_objects.lookup(identifier) is not None:
        return custom_objects.lookup(identifier)
    if isinstance(identifier, str) and identifier in _BY_NAME:
        return _BY_NAME[identifier]()
    if isinstance(identifier, dict) and identifier.get("class_name") in _BY_NAME:
        return _BY_NAME[identifier["class_name"]](**identifier.get("config", {}))
    raise ValueError(f"Could not interpret initializer identifier: {identifier}")


zeros, ones, constant = Zeros, Ones, Constant
glorot_uniform, glorot_normal = GlorotUniform, GlorotNormal
random_normal, random_uniform, truncated_normal = RandomNormal, RandomUniform, TruncatedNormal
normal, uniform, orthogonal, identity = RandomNormal, RandomUniform, Orthogonal, Identity

__all__ = [
    "Constant",
    "GlorotNormal",
    "GlorotUniform",
    "Identity",
    "Initializer",
    "Ones",
    "Orthogonal",
    "RandomNormal",
    "RandomUniform",
    "TruncatedNormal",
    "VarianceScaling",
    "Zeros",
    "constant",
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
    "truncated_normal",
    "uniform",
    "zeros",
]
