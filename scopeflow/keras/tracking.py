"""What a Keras layer tracks of the layers its attributes hold (``self.dense = Dense(...)``,
lists, tuples and dicts of layers), as TF's Keras does: their weights, losses and updates are
the layer's too (its own first), and a subclassed model's layers are those it holds.

>>> import scopeflow as tf
>>> class Pair(tf.keras.layers.Layer):
...     def __init__(self):
...         super().__init__()
...         self.parts = [tf.keras.layers.Dense(2), tf.keras.layers.Dense(1)]
...     def call(self, x):
...         return self.parts[1](self.parts[0](x))
>>> with tf.Graph().as_default():
...     pair = Pair()
...     _ = pair(tf.placeholder(tf.float32, [None, 3]))
>>> [w.name for w in pair.weights]
['pair/dense/kernel:0', 'pair/dense/bias:0', 'pair/dense_1/kernel:0', 'pair/dense_1/bias:0']
"""

from __future__ import annotations

import threading

from scopeflow.framework import nest
from scopeflow.framework.defaults import get_default_graph
from scopeflow.layers.base import Layer as _TFLayer
from scopeflow.variables.variables import Variable

# Attributes of the layer classes themselves, never tracked as held layers.
_UNTRACKED = frozenset(
    {"_trainable_weights", "_non_trainable_weights", "_updates", "_losses", "_inbound_nodes"}
    | {"_callable_losses"}
    | {"_layers", "_stack", "_nodes", "inputs", "outputs", "_metrics", "_functions", "_model"}
    | {"_state_variables", "_collected_trainable_weights"}  # variables, not weights
)

# Per thread: the layers whose held layers are being walked (a layer held below itself, as a
# model's own layer holding the model, is walked once).
_GATHERING = threading.local()


class TrackingMixin:
    """The attribute tracking of Keras's ``Layer`` (mixed in before ``tf.layers``'s layer)."""

    # -- layers held in attributes ---------------------------------------------------------

    _is_model = False  # a model must call super().__init__() before it sets layers
    _callable_losses: tuple | list = ()  # weight regularization, made each time it is asked

    def __setattr__(self, name: str, value) -> None:
        """Tracks a layer (or a list, tuple or dict of layers) set as an attribute, as Keras
        does: its weights, losses and updates become this layer's."""
        if name not in _UNTRACKED and isinstance(value, _TFLayer | list | tuple | dict):
            if (
                isinstance(value, TrackingMixin)
                and self._is_model
                and "_trainable_weights" not in self.__dict__
            ):
                raise RuntimeError(
                    "It looks like you are subclassing `Model` and you forgot to call "
                    "`super().__init__()`. Always start with this line."
                )
            self.__dict__.setdefault("_tracked", {})[name] = None
        if name not in _UNTRACKED and "_trainable_weights" in self.__dict__:
            for variable in _flat_variables(value):  # tf.Variable(...) set as an attribute
                own = self._trainable_weights if variable.trainable else self._non_trainable_weights
                known = self._trainable_weights + self._non_trainable_weights
                if not any(variable is w for w in known):
                    own.append(variable)
        object.__setattr__(self, name, value)

    def _tracked_attributes(self) -> list:
        """``(attribute name, value)`` of the attributes that hold layers, in the order they
        were first set."""
        found = []
        for name in self.__dict__.get("_tracked", ()):
            value = self.__dict__.get(name)
            if _flat_layers(value, self):
                found.append((name, value))
        return found

    def _child_layers(self) -> list:
        """The layers held in its attributes (lists and dicts flattened), each once."""
        found: list = []
        for _, value in self._tracked_attributes():
            for layer in _flat_layers(value, self):
                if not any(layer is x for x in found):
                    found.append(layer)
        return found

    def _with_children(self, own: list, attribute: str) -> list:
        found = list(own)
        gathering = _GATHERING.__dict__.setdefault("ids", set())
        if id(self) in gathering:  # a layer held again below itself: once
            return found
        gathering.add(id(self))
        try:
            for layer in self._child_layers():
                for item in getattr(layer, attribute):
                    if not any(item is x for x in found):
                        found.append(item)
        finally:
            gathering.discard(id(self))
        return found

    @property
    def trainable_weights(self) -> list:
        """Its trainable weights, then those of the layers it holds."""
        if not self.trainable:
            return []
        return self._with_children(self._trainable_weights, "trainable_weights")

    @property
    def non_trainable_weights(self) -> list:
        """Its other weights, then those of the layers it holds."""
        if self.trainable:
            return self._with_children(self._non_trainable_weights, "non_trainable_weights")
        own = self._trainable_weights + self._non_trainable_weights
        return self._with_children(own, "weights")

    @property
    def weights(self) -> list:
        return self.trainable_weights + self.non_trainable_weights

    @property
    def trainable_variables(self) -> list:
        return self.trainable_weights

    @property
    def non_trainable_variables(self) -> list:
        return self.non_trainable_weights

    @property
    def variables(self) -> list:
        return self.weights

    @property
    def losses(self) -> list:
        """Its losses (``add_loss``, then weight regularization, whose ops are made again at
        each call, as TF's Keras makes them), then those of the layers it holds."""
        return self._with_children(self._losses + self._made_losses(), "losses")

    def _made_losses(self) -> list:
        return [loss for make in self._callable_losses for loss in nest.flatten(make())]

    @property
    def updates(self) -> list:
        """Its update ops (when trainable), then those of the layers it holds."""
        return self._with_children(self._updates if self.trainable else [], "updates")

    def add_update(self, updates, inputs=None) -> None:
        """Adds update ops, each marked as TF's Keras marks it: conditional when computed from
        the inputs of the call adding it (of every call, outside one)."""
        known = len(self._updates)
        super().add_update(updates, inputs)
        given = self.__dict__.get("_call_inputs")
        if given is None:
            given = [node.inputs for node in getattr(self, "_inbound_nodes", [])]
        reached = reachable_ops(given)
        for update in self._updates[known:]:
            update._unconditional_update = id(getattr(update, "op", update)) not in reached

    def get_updates_for(self, inputs) -> list:
        """TF's ``get_updates_for``: the updates not computed from inputs (``None``), or those
        of calls computed from ``inputs``."""
        if inputs is None:
            return [u for u in self.updates if getattr(u, "_unconditional_update", False)]
        reached = reachable_ops(inputs)
        return [
            u
            for u in self.updates
            if not getattr(u, "_unconditional_update", False)
            and id(getattr(u, "op", u)) in reached
        ]

    def get_losses_for(self, inputs) -> list:
        """TF's ``get_losses_for``: the unconditional losses (``None``: weight regularization,
        ``add_loss`` without inputs), or those added with inputs computed from ``inputs``."""
        losses = self.losses
        if inputs is None:
            return [x for x in losses if getattr(x, "_unconditional_loss", True)]
        reached = reachable_ops(inputs)
        return [
            x
            for x in losses
            if not getattr(x, "_unconditional_loss", True) and id(x.op) in reached
        ]


def reachable_ops(inputs) -> set:
    """Ids of the ops computed from the tensors in ``inputs`` (a walk along consumers and
    control outputs, as TF's: a resource variable's update reads its value after its assign)."""
    seen: set = set()
    tensors = [x for x in nest.flatten(inputs) if hasattr(x, "consumers")]
    stack = [op for x in tensors for op in x.consumers()]
    control_outputs: dict = {}
    for op in tensors[0].graph.get_operations() if tensors else ():
        for before in op.control_inputs:
            control_outputs.setdefault(id(before), []).append(op)
    while stack:
        op = stack.pop()
        if id(op) in seen:
            continue
        seen.add(id(op))
        stack.extend(c for out in op.outputs for c in out.consumers())
        stack.extend(control_outputs.get(id(op), ()))
    return seen


def _flat_variables(value) -> list:
    """The variables in ``value`` (a variable, or lists, tuples and dicts of them)."""
    if isinstance(value, Variable):
        return [value]
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, list | tuple):
        return [v for item in value for v in _flat_variables(item)]
    return []


def _flat_layers(value, owner) -> list:
    """The layers in ``value`` (a layer, or lists, tuples and dicts of them; dicts by sorted
    key), but ``owner``."""
    if isinstance(value, _TFLayer):  # a Keras layer, or a tf.layers one
        return [] if value is owner else [value]
    if isinstance(value, dict):
        value = [value[key] for key in sorted(value, key=str)]
    if isinstance(value, list | tuple):
        return [layer for item in value for layer in _flat_layers(item, owner)]
    return []


def subclassed_calls() -> list:
    """Per graph: the subclassed models whose ``call`` is running (inside one, TF's Keras
    leaves the TF ops between layers as they are)."""
    return get_default_graph()._store("keras_subclassed_calls", list)


class subclassed_call:  # noqa: N801 - a context manager used as a function
    """A context in which ``model.call`` runs (see ``subclassed_calls``)."""

    def __init__(self, model):
        self.model = model

    def __enter__(self):
        subclassed_calls().append(self.model)

    def __exit__(self, *exc):
        subclassed_calls().pop()
