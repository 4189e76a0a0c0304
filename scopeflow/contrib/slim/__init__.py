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

from scopeflow.contrib import framework as _framework
from scopeflow.contrib import metrics
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

# slim re-exports tf.contrib.framework's arg_scope and variable helpers; the checkpoint
# readers and nest are tf.contrib.framework's alone.
_FRAMEWORK_ONLY = {
    "init_from_checkpoint",
    "list_variables",
    "load_checkpoint",
    "load_variable",
    "nest",
}
_FRAMEWORK_NAMES = [name for name in _framework.__all__ if name not in _FRAMEWORK_ONLY]
globals().update((name, getattr(_framework, name)) for name in _FRAMEWORK_NAMES)

__all__ = [
    *_layers_all,
    *_FRAMEWORK_NAMES,
    "data_decoder",
    "data_provider",
    "dataset",
    "dataset_data_provider",
    "evaluation",
    "learning",
    "losses",
    "metrics",
    "model_analyzer",
    "nets",
    "parallel_reader",
    "prefetch_queue",
    "queues",
    "summaries",
    "tfexample_decoder",
]
