"""``tf.initializers``: variable initializers under their short names."""

from __future__ import annotations

from scopeflow.lookup.tables import tables_initializer
from scopeflow.variables.collections import global_variables_initializer as global_variables
from scopeflow.variables.collections import local_variables_initializer as local_variables
from scopeflow.variables.collections import variables_initializer as variables
from scopeflow.variables.initializers import Constant as constant
from scopeflow.variables.initializers import GlorotNormal as glorot_normal
from scopeflow.variables.initializers import GlorotUniform as glorot_uniform
from scopeflow.variables.initializers import Identity as identity
from scopeflow.variables.initializers import (
    Initializer,
    he_normal,
    he_uniform,
    lecun_normal,
    lecun_uniform,
)
from scopeflow.variables.initializers import Ones as ones
from scopeflow.variables.initializers import Orthogonal as orthogonal
from scopeflow.variables.initializers import RandomNormal as random_normal
from scopeflow.variables.initializers import RandomUniform as random_uniform
from scopeflow.variables.initializers import TruncatedNormal as truncated_normal
from scopeflow.variables.initializers import UniformUnitScaling as uniform_unit_scaling
from scopeflow.variables.initializers import VarianceScaling as variance_scaling
from scopeflow.variables.initializers import Zeros as zeros

__all__ = [
    "Initializer",
    "global_variables",
    "local_variables",
    "tables_initializer",
    "variables",
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
    "uniform_unit_scaling",
    "variance_scaling",
    "zeros",
]
