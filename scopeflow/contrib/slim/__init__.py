"""``tf.contrib.slim``: TF 1.15's slim namespace - the ``tf.contrib.layers`` functions,
``arg_scope``, ``repeat``, ``stack``, the variable helpers of ``tf.contrib.framework``,
``losses``, ``metrics``, ``learning``, ``evaluation``, ``queues``, ``prefetch_queue``,
``summaries``, the data pipeline (``dataset``, ``tfexample_decoder``, ``parallel_reader``,
``dataset_data_provider``...) and ``nets`` (alexnet, inception v1-v3, overfeat, vgg,
resnet_v1, resnet_v2).

>>> import scopeflow as tf
>>> slim = tf.contrib.slim
>>> with tf.Graph().as_default():
...     x = tf.placeholder(tf.float32, [None, 8, 8, 3])
...     with slim.arg_scope([slim.conv2d], kernel_size=[3, 3]):
...         net = slim.repeat(x, 2, slim.conv2d, 4, scope="conv1")
...     net = slim.fully_connected(slim.flatten(net), 10, activation_fn=None, scope="logits")
...     print(net.name, [v.op.name for v in slim.get_model_variables("conv1")][:2])
logits/BiasAdd:0 ['conv1/conv1_1/weights', 'conv1/conv1_1/biases']
"""

from __future__ import annotations

from scopeflow.contrib import metrics
from scopeflow.contrib.framework import (
    add_arg_scope,
    add_model_variable,
    arg_scope,
    arg_scope_func_key,
    arg_scoped_arguments,
    assert_global_step,
    assert_or_get_global_step,
    assign_from_checkpoint,
    assign_from_checkpoint_fn,
    assign_from_values,
    assign_from_values_fn,
    create_global_step,
    current_arg_scope,
    filter_variables,
    get_global_step,
    get_local_variables,
    get_model_variables,
    get_or_create_global_step,
    get_trainable_variables,
    get_unique_variable,
    get_variable_full_name,
    get_variables,
    get_variables_by_name,
    get_variables_by_suffix,
    get_variables_to_restore,
    global_variable,
    has_arg_scope,
    local_variable,
    model_variable,
    variable,
)
from scopeflow.contrib.layers import *  # noqa: F403 - slim re-exports contrib.layers
from scopeflow.contrib.layers import __all__ as _layers_all
from scopeflow.contrib.slim import (
    data_decoder,
    data_provider,
    dataset,
    dataset_data_provider,
    evaluation,
    learning,
    losses,
    model_analyzer,
    nets,
    parallel_reader,
    prefetch_queue,
    queues,
    summaries,
    tfexample_decoder,
)

__all__ = [
    *_layers_all,
    "add_arg_scope",
    "add_model_variable",
    "arg_scope",
    "arg_scope_func_key",
    "arg_scoped_arguments",
    "assert_global_step",
    "assert_or_get_global_step",
    "assign_from_checkpoint",
    "assign_from_checkpoint_fn",
    "assign_from_values",
    "assign_from_values_fn",
    "create_global_step",
    "current_arg_scope",
    "filter_variables",
    "get_global_step",
    "get_local_variables",
    "get_model_variables",
    "get_or_create_global_step",
    "get_trainable_variables",
    "get_unique_variable",
    "get_variable_full_name",
    "get_variables",
    "get_variables_by_name",
    "get_variables_by_suffix",
    "get_variables_to_restore",
    "global_variable",
    "has_arg_scope",
    "data_decoder",
    "data_provider",
    "dataset",
    "dataset_data_provider",
    "evaluation",
    "learning",
    "local_variable",
    "losses",
    "metrics",
    "model_analyzer",
    "model_variable",
    "nets",
    "parallel_reader",
    "prefetch_queue",
    "queues",
    "summaries",
    "tfexample_decoder",
    "variable",
]
