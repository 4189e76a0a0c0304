"""TensorFlow ops applied to Keras tensors, made into layers as TF1's Keras makes them:
``relu(x + 3.0) * (1 / 6)`` between Keras layers becomes the layers ``tf_op_layer_add`` and
``tf_op_layer_mul`` (class ``TensorFlowOpLayer``), one per op, whose inputs are the op's
Keras inputs and whose other inputs (``3.0``) are kept as constants. MobileNetV3's
hard-swish, ConvNeXt's and RegNet's residual sums are such ops.

``track(tensor)`` makes the layers of the ops between Keras tensors and ``tensor``; the ops
themselves are not made again. As in TF1's Keras it happens by itself as the next layer is
called on such a tensor, or as a model is made with it among its outputs
(:func:`track_calls`, hooked into ``Layer.__call__``).

>>> import scopeflow as tf
>>> with tf.Graph().as_default():
...     x = tf.keras.Input(shape=(2,))
...     model = tf.keras.Model(x, x * 2.0 + 1.0)
>>> [(layer.name, type(layer).__name__) for layer in model.layers]
[('input_1', 'InputLayer'), ('tf_op_layer_mul', 'TensorFlowOpLayer'), \
('tf_op_layer_add', 'TensorFlowOpLayer')]
"""

from __future__ import annotations

from scopeflow.framework import nest
from scopeflow.framework.constant import constant
from scopeflow.framework.defaults import get_default_graph
from scopeflow.framework.tensor import Tensor
from scopeflow.keras.engine import CALL_HOOKS, LEGACY_ADVICE, Layer, Node, keras_history
from scopeflow.ops.core.static_value import get_static_value

PREFIX = "tf_op_layer_"


class TensorFlowOpLayer(Layer):
    """One TensorFlow op as a layer: called on its Keras inputs (in the op's input order,
    the ``constants`` filling the other positions), it makes the op again, under the
    layer's name scope (``model/tf_op_layer_mul/mul``, its constant ``.../mul/y``)."""

    def __init__(self, op_type: str, attrs: dict, constants: dict, name: str, **kwargs):
        super().__init__(name=PREFIX + name, **kwargs)
        self.op_type = op_type
        self.op_name = name
        self.attrs = dict(attrs)
        self.constants = dict(constants)  # input index -> (value, the op name it had)
        self.built = True

    def call(self, inputs):
        given = iter(nest.flatten(inputs))
        count = len(self.constants) + len(nest.flatten(inputs))
        tensors = [
            constant(self.constants[i][0], name=self.constants[i][1])
            if i in self.constants
            else next(given)
            for i in range(count)
        ]
        op = get_default_graph().create_op(self.op_type, tensors, self.attrs, name=self.op_name)
        return op.outputs[0] if len(op.outputs) == 1 else op.outputs

    def get_config(self) -> dict:
        raise NotImplementedError(
            f"{type(self).__name__} {self.name!r} (the op {self.op_name!r} applied to Keras "
            "tensors) has no config in scopeflow, so models holding one cannot be saved whole "
            "or serialized: save their weights (save_weights), or wrap the op in a "
            "tf.keras.layers.Lambda."
        )


def _uses_keras_history(tensor, seen: set) -> bool:
    """Whether a Keras layer made ``tensor`` or one of the tensors it is computed from
    (remembered on the tensor: a layer called on tensors of a large graph walks it once)."""
    if keras_history(tensor) is not None:
        return True
    known = getattr(tensor, "_computed_from_keras", None)
    if known is not None:
        return known
    if tensor.op in seen:
        return False
    seen.add(tensor.op)
    found = any(_uses_keras_history(x, seen) for x in tensor.op.inputs)
    tensor._computed_from_keras = found
    return found


def _made_by_legacy_layer(tensor, op) -> bool:
    """Whether ``tensor`` reads a variable of ``op``'s own scope (``dd/bias`` into
    ``dd/BiasAdd``): the mark of a ``tf.layers`` layer called on Keras tensors."""
    source = tensor.op.inputs[0].op if tensor.op.type == "Identity" and tensor.op.inputs else None
    scope = op.name.rpartition("/")[0]
    return (
        source is not None
        and source.type in ("VariableV2", "VarHandleOp", "ReadVariableOp")
        and bool(scope)
        and source.name.startswith(scope + "/")
    )


def _constant_value(tensor, op):
    value = get_static_value(tensor)
    if value is None and _made_by_legacy_layer(tensor, op):
        raise TypeError(
            "The following are legacy tf.layers.Layers:\n  the layer that made "
            f"{op.name!r} (it reads the variable {tensor.op.inputs[0].op.name!r})\n"
            + LEGACY_ADVICE
        )
    if value is None:
        raise NotImplementedError(
            f"the op {op.name!r} applied to Keras tensors takes {tensor.name!r}, which is "
            "neither a Keras tensor nor a constant; scopeflow cannot keep it in a "
            "TensorFlowOpLayer: compute it in a tf.keras.layers.Lambda instead."
        )
    return value


def track(tensors):
    """``tensors``, each of whose ops computed from Keras tensors (and constants) now has its
    ``TensorFlowOpLayer``, as Keras makes them before a layer call or a model."""
    for tensor in nest.flatten(tensors):
        if keras_history(tensor) is not None:
            continue
        op = tensor.op
        inputs, constants = [], {}
        for i, x in enumerate(op.inputs):
            if _uses_keras_history(x, set()):
                inputs.append(x)
            else:
                constants[i] = (_constant_value(x, op), x.op.name)
        track(inputs)
        layer = TensorFlowOpLayer(op.type, op.attrs, constants, op.name)
        outputs = op.outputs
        Node(layer, inputs[0] if len(inputs) == 1 else inputs, outputs[0] if len(outputs) == 1
             else outputs, {})  # fmt: skip
    return tensors


def track_calls(inputs) -> None:
    """Makes the op layers of the tensors among ``inputs`` (a layer's call, a model's
    outputs) that Keras layers did not make but that are computed from Keras tensors."""
    for tensor in nest.flatten(inputs):
        if (
            isinstance(tensor, Tensor)
            and keras_history(tensor) is None
            and _uses_keras_history(tensor, set())
        ):
            track(tensor)


CALL_HOOKS.append(track_calls)

__all__ = ["TensorFlowOpLayer", "track", "track_calls"]
