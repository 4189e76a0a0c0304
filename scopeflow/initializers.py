"""``tf.initializers``: variable initializers under their short names."""

from __future__ import annotations

from scopeflow.variables.initializers import Constant as constant
from scopeflow.variables.initializers import GlorotNormal as glorot_normal
from scopeflow.variables.initializers import GlorotUniform as glorot_uniform
from scopeflow.variables.initializers import HeNormal as he_normal
from scopeflow.variables.initializers import HeUniform as he_uniform
from scopeflow.variables.initializers import Identity as identity
from scopeflow.variables.initializers import Initializer
from scopeflow.variables.initializers import LecunNormal as lecun_normal
from scopeflow.variables.initializers import LecunUniform as lecun_uniform
from scopeflow.variables.initializers import Ones as ones
from scopeflow.variables.initializers import Orthogonal as orthogonal
from scopeflow.variables.initializers import RandomNormal as random_normal
from scopeflow.variables.initializers import RandomUniform as random_uniform
from scopeflow.variables.initializers import TruncatedNormal as truncated_normal
from scopeflow.variables.initializers import VarianceScaling as variance_scaling
from scopeflow.variables.initializers import Zeros as zeros

__all__ = [
    "Initializer",
    "constant",
    "glorot_normal",
    "glorot_uniform",
    "he_normal",
    "he_uniform",
    "identity",
    "lecun_normal",
    "lecun_uniform",
    "ones",
    "orthogonal",
    "random_normal",
    "random_uniform",
    "truncated_normal",
    "variance_scaling",
    "zeros",
]
