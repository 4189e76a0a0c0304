"""tf_keras's constructor signatures for Keras layers built on a ``tf.layers`` class whose
parameters come in another order (``Conv2DTranspose``'s ``output_padding`` comes fifth in
Keras, ``tf.layers`` has none): :func:`keras_parameters` gives the class tf_keras's order
for positional arguments and ``inspect.signature``; what is given goes on by keyword.

>>> import inspect, scopeflow as tf
>>> list(inspect.signature(tf.keras.layers.Conv2DTranspose).parameters)[:6]
['filters', 'kernel_size', 'strides', 'padding', 'output_padding', 'data_format']
"""

from __future__ import annotations

import inspect

REQUIRED = inspect.Parameter.empty
_POSITIONAL = inspect.Parameter.POSITIONAL_OR_KEYWORD


def keras_parameters(*params):
    """A class decorator: the layer takes ``params`` (``(name, default)`` pairs, ``REQUIRED``
    for none, in tf_keras's order) by position or keyword, then other keywords."""
    signature = inspect.Signature([
        inspect.Parameter("self", _POSITIONAL),
        *(inspect.Parameter(name, _POSITIONAL, default=default) for name, default in params),
        inspect.Parameter("kwargs", inspect.Parameter.VAR_KEYWORD),
    ])  # fmt: skip

    names = [name for name, _ in params]
    required = [name for name, default in params if default is REQUIRED]

    def decorate(cls):
        base_init = cls.__init__

        def __init__(self, *args, **kwargs):  # noqa: N807
            where = f"{cls.__name__}.__init__()"
            if len(args) > len(names):  # Python's own words
                raise TypeError(
                    f"{where} takes from {len(required) + 1} to {len(names) + 1} positional "
                    f"arguments but {len(args) + 1} were given"
                )
            for name in names[: len(args)]:
                if name in kwargs:
                    raise TypeError(f"{where} got multiple values for argument '{name}'")
            kwargs.update(zip(names, args, strict=False))  # the leading ones
            missing = [name for name in required if name not in kwargs]
            if missing:
                listed = " and ".join(f"'{name}'" for name in missing)
                plural = "s" if len(missing) > 1 else ""
                raise TypeError(
                    f"{where} missing {len(missing)} required positional argument{plural}: "
                    f"{listed}"
                )
            base_init(self, **kwargs)

        __init__.__signature__ = signature
        cls.__init__ = __init__
        return cls

    return decorate


def _conv_transpose(ones: tuple) -> tuple:
    return (
        ("filters", REQUIRED), ("kernel_size", REQUIRED), ("strides", ones),
        ("padding", "valid"), ("output_padding", None), ("data_format", None),
        ("dilation_rate", ones), ("activation", None), ("use_bias", True),
        ("kernel_initializer", "glorot_uniform"), ("bias_initializer", "zeros"),
        ("kernel_regularizer", None), ("bias_regularizer", None),
        ("activity_regularizer", None), ("kernel_constraint", None), ("bias_constraint", None),
    )  # fmt: skip


CONV1D_TRANSPOSE = _conv_transpose(1)
CONV2D_TRANSPOSE = _conv_transpose((1, 1))
CONV3D_TRANSPOSE = _conv_transpose((1, 1, 1))
SEPARABLE_CONV1D = (
    ("filters", REQUIRED), ("kernel_size", REQUIRED), ("strides", 1), ("padding", "valid"),
    ("data_format", None), ("dilation_rate", 1), ("depth_multiplier", 1), ("activation", None),
    ("use_bias", True), ("depthwise_initializer", "glorot_uniform"),
    ("pointwise_initializer", "glorot_uniform"), ("bias_initializer", "zeros"),
    ("depthwise_regularizer", None), ("pointwise_regularizer", None),
    ("bias_regularizer", None), ("activity_regularizer", None),
    ("depthwise_constraint", None), ("pointwise_constraint", None), ("bias_constraint", None),
)  # fmt: skip
