"""``tf.contrib.layers``: TF 1.15's layer functions (``fully_connected``, ``conv2d``,
``batch_norm``...), initializers and weight regularizers, each taking its defaults from
``tf.contrib.framework.arg_scope``."""

from __future__ import annotations

from scopeflow.contrib.group_norm import group_norm, instance_norm
from scopeflow.contrib.initializers import (
    variance_scaling_initializer,
    xavier_initializer,
    xavier_initializer_conv2d,
)
from scopeflow.contrib.layers_core import (
    avg_pool2d,
    bias_add,
    conv2d,
    conv2d_transpose,
    convolution2d,
    convolution2d_transpose,
    dropout,
    embed_sequence,
    flatten,
    fully_connected,
    max_pool2d,
    one_hot_encoding,
)
from scopeflow.contrib.normalization import batch_norm, layer_norm, repeat
from scopeflow.contrib.normalization import stack_layers as stack
from scopeflow.contrib.optimizers import OPTIMIZER_CLS_NAMES, OPTIMIZER_SUMMARIES, optimize_loss
from scopeflow.contrib.separable import separable_conv2d, separable_convolution2d
from scopeflow.regularizers import (
    apply_regularization,
    l1_l2_regularizer,
    l1_regularizer,
    l2_regularizer,
    sum_regularizer,
)

linear = fully_connected  # TF1's alias

__all__ = [
    "OPTIMIZER_CLS_NAMES",
    "OPTIMIZER_SUMMARIES",
    "apply_regularization",
    "avg_pool2d",
    "batch_norm",
    "bias_add",
    "conv2d",
    "conv2d_transpose",
    "convolution2d",
    "convolution2d_transpose",
    "dropout",
    "embed_sequence",
    "flatten",
    "fully_connected",
    "group_norm",
    "instance_norm",
    "l1_l2_regularizer",
    "l1_regularizer",
    "l2_regularizer",
    "layer_norm",
    "linear",
    "max_pool2d",
    "one_hot_encoding",
    "optimize_loss",
    "repeat",
    "separable_conv2d",
    "separable_convolution2d",
    "stack",
    "sum_regularizer",
    "variance_scaling_initializer",
    "xavier_initializer",
    "xavier_initializer_conv2d",
]
