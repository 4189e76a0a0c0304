"""``tf.contrib.slim.nets``: TF 1.15's model zoo - ``alexnet``, ``inception`` (with
``inception_v1``, ``inception_v2``, ``inception_v3``), ``overfeat``, ``resnet_utils``,
``resnet_v1``, ``resnet_v2`` and ``vgg`` - building TF's networks with the same variable, op
and end-point names."""

from __future__ import annotations

from scopeflow.contrib.slim.nets import (
    alexnet,
    inception,
    inception_v1,
    inception_v2,
    inception_v3,
    overfeat,
    resnet_utils,
    resnet_v1,
    resnet_v2,
    vgg,
)

__all__ = [
    "alexnet",
    "inception",
    "inception_v1",
    "inception_v2",
    "inception_v3",
    "overfeat",
    "resnet_utils",
    "resnet_v1",
    "resnet_v2",
    "vgg",
]
