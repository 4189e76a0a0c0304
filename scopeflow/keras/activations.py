"""``tf.keras.activations``: the activation functions layers take by name
(``Dense(4, activation="relu")``), building the ops TF1.15's Keras builds.

>>> import scopeflow as tf
>>> tf.keras.activations.get("relu") is tf.keras.activations.relu
True
"""

from __future__ import annotations

from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.graph_api import name_scope
from scopeflow.keras import backend_nn, custom_objects
from scopeflow.keras.serialization import deserialize_keras_object, serialize_keras_object
from scopeflow.ops.array.cast import cast
from scopeflow.ops.math import elementwise as math_ops
from scopeflow.ops.math.special import erfc
from scopeflow.ops.nn import activation as nn_act
from scopeflow.ops.nn import activations_losses as nn_extra
from scopeflow.ops.nn import basic as nn_basic


def relu(x, alpha=0.0, max_value=None, threshold=0):
    """``max(x, 0)`` (``Relu``); ``alpha`` is the slope below ``threshold``, ``max_value``
    caps the result."""
    return backend_nn.relu(x, alpha=alpha, max_value=max_value, threshold=threshold)


def softmax(x, axis=-1):
    """``exp(x) / sum(exp(x))`` along ``axis`` (``Softmax``)."""
    return nn_basic.softmax(x, axis=axis)


def elu(x, alpha=1.0):
    """``x`` if positive, else ``alpha * (exp(x) - 1)`` (``Elu``)."""
    return backend_nn.elu(x, alpha)


def selu(x):
    """The scaled ELU (``Selu``)."""
    return nn_act.selu(x)


def softplus(x):
    """``log(exp(x) + 1)`` (``Softplus``)."""
    return nn_act.softplus(x)


def softsign(x):
    """``x / (|x| + 1)`` (``Softsign``)."""
    return nn_act.softsign(x)


def tanh(x):
    """``Tanh``."""
    return math_ops.tanh(x)


def sigmoid(x):
    """``Sigmoid``."""
    return math_ops.sigmoid(x)


def hard_sigmoid(x):
    """``clip(0.2 * x + 0.5, 0, 1)``, with TF's ops (``Const``, ``Mul``, ``Add``,
    ``clip_by_value``): ``K.hard_sigmoid``."""
    return backend_nn.hard_sigmoid(x)


def swish(x):
    """``x * sigmoid(x)`` (``tf.nn.silu``: an ``IdentityN`` op with TF's own gradient)."""
    return nn_extra.swish(x)


def mish(x):
    """``x * tanh(softplus(x))`` (Misra, 2019)."""
    return x * math_ops.tanh(nn_act.softplus(x))


def gelu(x, approximate=False):
    """The Gaussian error linear unit, ``x * P(X <= x)`` for a standard normal ``X``:
    ``0.5 * x * erfc(-x / sqrt(2))``, or with ``approximate``
    ``0.5 * x * (1 + tanh(sqrt(2 / pi) * (x + 0.044715 * x^3)))`` (TF's ``Gelu`` scope)."""
    with name_scope(None, "Gelu", [x]):
        x = convert_to_tensor(x, name="features")
        if not x.dtype.is_floating:
            raise ValueError(
                "`features.dtype` must be a floating point tensor."
                f"Received:features.dtype={x.dtype}"
            )
        if approximate:
            coeff = cast(0.044715, x.dtype)
            return (
                0.5
                * x
                * (1.0 + math_ops.tanh(0.7978845608028654 * (x + coeff * math_ops.pow(x, 3))))
            )
        return 0.5 * x * erfc(-x * cast(0.7071067811865476, x.dtype))


def exponential(x):
    """``Exp``."""
    return math_ops.exp(x)


def linear(x):
    """``x`` unchanged (no op)."""
    return x


_BY_NAME = {
    f.__name__: f
    for f in (relu, softmax, elu, selu, softplus, softsign, tanh, sigmoid, hard_sigmoid)
}
_BY_NAME.update(exponential=exponential, linear=linear, swish=swish, mish=mish, gelu=gelu)


def get(identifier):
    """The activation named ``identifier`` (``None`` and ``"linear"``: ``linear``), or
    ``identifier`` itself when it is callable."""
    if identifier is None:
        return linear
    if callable(identifier):
        return identifier
    if custom_objects.lookup(identifier) is not None:
        return custom_objects.lookup(identifier)
    if isinstance(identifier, str) and identifier in _BY_NAME:
        return _BY_NAME[identifier]
    raise ValueError(f"Unknown activation function: {identifier}")


def serialize(activation) -> str:
    """The name of an activation function (its registered name for a custom one)."""
    return serialize_keras_object(activation)


def deserialize(name, custom_objects=None):
    """The activation function named ``name``."""
    return deserialize_keras_object(
        name,
        module_objects=_BY_NAME,
        custom_objects=custom_objects,
        printable_module_name="activation function",
    )


__all__ = [*sorted(_BY_NAME), "deserialize", "get", "serialize"]
