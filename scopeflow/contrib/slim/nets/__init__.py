"""``tf.contrib.slim.nets``: TF 1.15's model zoo. ``alexnet``, ``overfeat``, ``vgg``,
``resnet_utils``, ``resnet_v1`` and ``resnet_v2`` build TF's networks (same variable, op and
end-point names); the inception modules raise ``NotImplementedError``."""

from __future__ import annotations

from scopeflow.contrib.slim.nets import (
    alexnet,
    inception,
    inception_v3,
    overfeat,
    resnet_utils,
    resnet_v1,
    resnet_v2,
    vgg,
)

# The modules of TF 1.15's tf.contrib.slim.nets that scopeflow does not build.
_NOT_PROVIDED = {"inception_v1", "inception_v2"}

__all__ = [
    "alexnet",
    "inception",
    "inception_v3",
    "overfeat",
    "resnet_utils",
    "resnet_v1",
    "resnet_v2",
    "vgg",
]


def __getattr__(name: str):
    if name in _NOT_PROVIDED:
        raise NotImplementedError(
            f"tf.contrib.slim.nets.{name} is not provided by scopeflow (alexnet, overfeat, "
            "vgg, resnet_v1 and resnet_v2 are): copy the network's definition (plain slim "
            "code: slim.conv2d, slim.max_pool2d, arg_scope...) from the tf-slim models "
            "repository into your project."
        )
    raise AttributeError(f"module 'tf.contrib.slim.nets' has no attribute {name!r}")
