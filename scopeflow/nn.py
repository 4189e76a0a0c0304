"""``tf.nn``: neural-network ops."""

from __future__ import annotations

from scopeflow.ops.math_ops import sigmoid, tanh
from scopeflow.ops.nn_ops import (
    bias_add,
    conv2d,
    elu,
    l2_loss,
    relu,
    relu6,
    selu,
    softplus,
    softsign,
)

__all__ = [
    "bias_add",
    "conv2d",
    "elu",
    "l2_loss",
    "relu",
    "relu6",
    "selu",
    "sigmoid",
    "softplus",
    "softsign",
    "tanh",
]
