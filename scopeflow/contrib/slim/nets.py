"""``tf.contrib.slim.nets``: the model zoo (``vgg``, ``resnet_v1``, ``inception``...) is
not provided; its modules raise ``NotImplementedError``."""

from __future__ import annotations

# The modules of TF 1.15's tf.contrib.slim.nets.
_NETS = {
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
}


def __getattr__(name: str):
    if name in _NETS:
        raise NotImplementedError(
            f"tf.contrib.slim.nets.{name} is not provided by scopeflow: copy the network's "
            "definition (plain slim code: slim.conv2d, slim.max_pool2d, arg_scope...) from the "
            "tf-slim models repository into your project."
        )
    raise AttributeError(f"module 'tf.contrib.slim.nets' has no attribute {name!r}")
