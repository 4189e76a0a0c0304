"""Keras's ``Layer`` on scopeflow's ``tf.layers`` layers, its call history (``Node``) and the
``Input``/``InputLayer`` that start a functional model.

A Keras layer differs from a ``tf.layers`` layer in three ways that show in names: it is
named once, when made (``dense``, ``dense_1``... per graph, counted from the bare name); each
call opens the name scope of that name afresh (``dense/``, then ``dense_1/`` for a second
call of the same layer); and its weights are plain variables made in that name scope
(``dense/kernel:0``), not ``get_variable``'s, so variable scopes and reuse do not apply. Its
losses and updates stay on the layer (``Model.fit`` runs them) rather than going into
``REGULARIZATION_LOSSES``/``UPDATE_OPS``. Arguments layers take by name (``activation="relu"``,
``kernel_initializer="he_normal"``, ``kernel_regularizer="l2"``) are looked up as Keras does.

>>> import scopeflow as tf
>>> with tf.Graph().as_default():
...     x = tf.keras.Input(shape=(3,))
...     layer = tf.keras.layers.Dense(4, activation="relu")
...     y, y2 = layer(x), layer(x)
>>> x.name, y.name, y2.name, [w.name for w in layer.weights]
('input_1:0', 'dense/Relu:0', 'dense_1/Relu:0', ['dense/kernel:0', 'dense/bias:0'])
"""

from __future__ import annotations

import functools
import inspect

import numpy as np

from scopeflow.framework import dtypes, nest, undo
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.defaults import get_default_graph
from scopeflow.framework.tensor import Tensor
from scopeflow.framework.tensor_shape import TensorShape
from scopeflow.keras import (
    activations,
    backend,
    backend_config,
    constraints,
    initializers,
    layer_configs,
    regularizers,
    tracking,
)
from scopeflow.layers import base as tf_base
from scopeflow.ops.array import basic as array_ops
from scopeflow.ops.array.cast import cast
from scopeflow.variables.variables import Variable

_LOOKUPS = {
    "activation": activations.get,
    "recurrent_activation": activations.get,
    "kernel_initializer": initializers.get,
    "bias_initializer": initializers.get,
    "beta_initializer": initializers.get,
    "gamma_initializer": initializers.get,
    "moving_mean_initializer": initializers.get,
    "moving_variance_initializer": initializers.get,
    "depthwise_initializer": initializers.get,
    "pointwise_initializer": initializers.get,
    "embeddings_initializer": initializers.get,
    "kernel_regularizer": regularizers.get,
    "bias_regularizer": regularizers.get,
    "activity_regularizer": regularizers.get,
    "beta_regularizer": regularizers.get,
    "gamma_regularizer": regularizers.get,
    "embeddings_regularizer": regularizers.get,
    "kernel_constraint": constraints.get,
    "bias_constraint": constraints.get,
    "beta_constraint": constraints.get,
    "gamma_constraint": constraints.get,
    "depthwise_constraint": constraints.get,
    "pointwise_constraint": constraints.get,
    "embeddings_constraint": constraints.get,
}
_KERAS_ONLY = {"input_shape", "batch_input_shape", "batch_size", "input_dim", "weights"}
# Called with each layer call's inputs before the layer runs (keras/tf_op_layers.py adds the
# one that makes TF ops applied to Keras tensors into layers, as TF1's Keras does).
CALL_HOOKS: list = []


class Node:
    """One call of a layer: its inputs and outputs as given and returned, the keyword
    arguments, and where each input came from (``(layer, node index, tensor index)``)."""

    def __init__(self, layer, inputs, outputs, arguments: dict):
        self.layer = layer
        self.inputs = inputs
        self.outputs = outputs
        self.arguments = arguments
        history = _history()
        self.inbound = [history.get(x) for x in nest.flatten(inputs)]
        self.index = len(layer._inbound_nodes)
        layer._inbound_nodes.append(self)
        for i, y in enumerate(nest.flatten(outputs)):
            history[y] = (layer, self.index, i)


def _history() -> dict:
    """Per graph: each Keras output tensor -> ``(layer, node index, tensor index)``."""
    return get_default_graph()._store("keras_history", dict)


def keras_history(x):
    """Where the tensor ``x`` came from, or ``None`` when no Keras layer made it."""
    graph = getattr(x, "graph", None)  # x's own graph: clone_model copies across graphs
    return (graph or get_default_graph())._store("keras_history", dict).get(x)


class Layer(tracking.TrackingMixin, tf_base.Layer):
    """``tf.keras.layers.Layer``: subclass it with ``build(input_shape)`` (``add_weight``) and
    ``call(inputs)``; call the object on tensors to apply it.

    Args:
        trainable: whether its weights are trained.
        name: its name (default: from the class name, unique per graph).
        dtype: its weights' dtype (default: the first input's).
        input_shape, batch_input_shape, batch_size: the inputs a ``Sequential`` model starts
            from when this layer comes first.
    """

    def __init__(self, *args, **kwargs):
        bound = inspect.signature(super().__init__).bind_partial(*args, **kwargs)
        arguments = dict(bound.arguments)
        arguments.update(arguments.pop("kwargs", {}))
        keras = {key: arguments.pop(key) for key in _KERAS_ONLY if key in arguments}
        for key, lookup in _LOOKUPS.items():
            if key in arguments:
                arguments[key] = lookup(arguments[key])
        base_name = tf_base.to_snake_case(type(self).__name__)
        # named before tf.layers' base counts it: one count per layer, as TF's shared map
        given = arguments.pop("name", None)
        super().__init__(name=given or backend.unique_object_name(base_name), **arguments)
        if not given:
            self._base_name = base_name  # tf.layers' default variable scope name
        self._inbound_nodes: list[Node] = []
        self._initial_weights = keras.get("weights")  # set once built, as TF's
        self._batch_input_shape = _batch_input_shape(keras)
        self._autocast = backend_config.v2_dtype_behavior()
        if self._dtype is None and (self._batch_input_shape is not None or self._autocast):
            self._dtype = dtypes.as_dtype(backend.floatx())

    # -- weights ---------------------------------------------------------------------------

    def add_weight(
        self,
        name: str,
        shape=None,
        dtype=None,
        initializer=None,
        regularizer=None,
        trainable: bool | None = None,
        constraint=None,
        partitioner=None,
        use_resource=None,
        synchronization=None,
        aggregation=None,
        getter=None,
    ):
        """Makes the variable ``<name scope>/<name>`` (``dense/kernel``) and tracks it; a
        floating weight without an initializer gets ``glorot_uniform``, others zeros."""
        if partitioner is not None or getter is not None:
            raise NotImplementedError(
                "Keras layers' add_weight(partitioner=..., getter=...) is not supported; use "
                "tf.layers (on tf.get_variable) for partitioned or custom-made variables."
            )
        dtype = dtypes.as_dtype(dtype or self._dtype or backend.floatx()).base_dtype
        initializer = initializers.get(initializer)
        if initializer is None:
            initializer = (
                initializers.GlorotUniform() if dtype.is_floating else initializers.Zeros()
            )
        trainable = True if trainable is None else bool(trainable)
        dims = TensorShape(shape).as_list()
        variable = Variable(
            lambda: initializer(dims, dtype=dtype),
            name=name,
            dtype=dtype,
            trainable=trainable and self.trainable,
            constraint=constraint,
            use_resource=True,  # tf_keras's weights are resource variables in graph mode too
        )
        if regularizer is not None:  # its ops made each time the losses are asked, as TF's
            made = functools.partial(_regularization, variable, regularizers.get(regularizer))
            self._callable_losses = [*self._callable_losses, made]
        self._track(self._trainable_weights if trainable else self._non_trainable_weights, variable)
        return variable

    add_variable = add_weight

    def add_loss(self, losses, inputs=None) -> None:
        """Adds loss tensors to the layer (``Model.fit`` adds them to the loss it trains);
        ``inputs`` given: the losses depend on them (compile adds such losses last)."""
        for loss in nest.flatten(losses):
            if loss is not None:
                loss = convert_to_tensor(loss)
                loss._unconditional_loss = inputs is None
                self._losses.append(loss)

    def _regularize_activity(self, outputs) -> None:
        known = len(self._losses)
        super()._regularize_activity(outputs)
        for loss in self._losses[known:]:  # TF adds them with the layer's inputs
            loss._unconditional_loss = False

    def get_weights(self) -> list:
        """The weights' values, in ``weights`` order, from ``backend.get_session()``."""
        return backend.batch_get_value(self.weights)

    def set_weights(self, weights) -> None:
        """Loads ``weights`` (NumPy arrays, in ``weights`` order, shapes matching)."""
        params = self.weights
        if len(params) != len(weights):
            raise ValueError(
                f'You called `set_weights(weights)` on layer "{self.name}" with a weight list '
                f"of length {len(weights)}, but the layer was expecting {len(params)} weights. "
                f"Provided weights: {str(weights)[:50]}..."
            )
        for param, value in zip(params, weights, strict=True):
            if tuple(param.shape.as_list()) != np.shape(value):
                raise ValueError(
                    f"Layer weight shape {tuple(param.shape.as_list())} not compatible with "
                    f"provided weight shape {np.shape(value)}"
                )
        backend.batch_set_value(list(zip(params, weights, strict=True)))

    # -- calls and their history -----------------------------------------------------------

    _fills_learning_phase = True  # a call without ``training`` gets the learning phase

    @undo.atomic
    def __call__(self, inputs, *args, **kwargs):
        """Builds the layer for ``inputs`` (once) and applies it in a fresh name scope of the
        layer's name."""
        state = {k: v[:] if isinstance(v, list) else v for k, v in vars(self).items()}
        undo.record(lambda: (vars(self).clear(), vars(self).update(state)))
        inputs = nest.map_structure(tf_base._as_tensor, inputs)
        if not tracking.subclassed_calls():  # TF ops between Keras layers become layers first
            for hook in CALL_HOOKS:
                hook(inputs)
        if (
            "training" in self._call_arguments()
            and kwargs.get("training") is None
            and self._fills_learning_phase
        ):
            kwargs["training"] = backend.learning_phase()
        elif "training" not in self._call_arguments():
            kwargs.pop("training", None)
        input_mask = _masks_of(inputs)
        if "mask" in self._call_arguments() and kwargs.get("mask") is None:
            if input_mask is not None:
                kwargs["mask"] = input_mask
        graph = get_default_graph()
        with graph.name_scope(self._name):
            given = inputs
            if self._autocast and self._dtype is not None and self._dtype.is_floating:
                inputs = nest.map_structure(self._cast_input, inputs)
            self._check_inputs(inputs)
            if not self.built:
                self._build_for(inputs)
                if getattr(self, "_initial_weights", None) is not None:
                    self.set_weights(self._initial_weights)
                    self._initial_weights = None
            self.__dict__["_call_inputs"] = inputs  # the inputs its add_update calls see
            try:
                outputs = self.call(inputs, *args, **kwargs)
            finally:
                self.__dict__.pop("_call_inputs", None)
            if outputs is None:
                raise ValueError(
                    "A layer's `call` method should return a Tensor or a list of Tensors, "
                    f"not None (layer: {self._name})."
                )
            outputs = _copied_inputs(given, outputs)
            if self._activity_regularizer is not None:
                self._regularize_activity(outputs)
            _set_masks(outputs, self.compute_mask(inputs, kwargs.get("mask", input_mask)))
        arguments = {k: v for k, v in kwargs.items() if k not in ("training", "mask")}
        Node(self, given, outputs, arguments)
        return outputs

    def _cast_input(self, x):
        """A floating input as the layer's dtype (TF2's dtype behaviour)."""
        if isinstance(x, Tensor) and x.dtype.is_floating and x.dtype.base_dtype != self._dtype:
            return cast(x, self._dtype)
        return x

    supports_masking = False

    def compute_mask(self, inputs, mask=None):
        """The mask of the outputs: the inputs' (``mask``) for a layer that
        ``supports_masking``, else none."""
        return mask if self.supports_masking else None

    def _output_nodes(self, attribute: str):
        if not self._inbound_nodes:
            raise AttributeError(
                f"The layer {self.name} has never been called and thus has no defined {attribute}."
            )
        return self._inbound_nodes

    @property
    def input(self):
        """The input of its only call (the first call's when called more than once)."""
        return self._output_nodes("input")[0].inputs

    @property
    def output(self):
        """The output of its first call."""
        return self._output_nodes("output")[0].outputs

    @property
    def input_shape(self):
        shapes = {_shapes(node.inputs) for node in self._output_nodes("input shape")}
        return shapes.pop() if len(shapes) == 1 else "multiple"

    @property
    def output_shape(self):
        shapes = {_shapes(node.outputs) for node in self._output_nodes("output shape")}
        if len(shapes) != 1:
            return "multiple"
        shape = shapes.pop()
        return list(shape) if isinstance(shape, tuple) and _is_shape_list(shape) else shape

    def get_config(self) -> dict:
        """The layer's constructor arguments as TF's Keras lists them: name, trainability,
        ``batch_input_shape`` (when given), dtype, then the layer's own (``layer_configs``)."""
        _check_own_config(type(self))
        config = {"name": self.name, "trainable": self.trainable}
        if self._batch_input_shape is not None:
            config["batch_input_shape"] = self._batch_input_shape
        config["dtype"] = None if self._dtype is None else self._dtype.name
        return {**config, **layer_configs.arguments_of(self)}

    @classmethod
    def from_config(cls, config: dict):
        """The layer ``get_config`` describes (a new one, not built)."""
        return cls(**layer_configs.constructor_arguments(cls, config))


def check_model_inputs(model, inputs) -> None:
    """TF's check of tensors a functional model is called on against its inputs' shapes
    (batch size free; a last axis of 1 may be left out): "Input 0 of layer ... is
    incompatible with the layer: expected shape=..., found shape=..."."""
    given = nest.flatten(inputs)
    if len(given) != len(model.inputs):
        return
    for index, (x, own) in enumerate(zip(given, model.inputs, strict=True)):
        if not isinstance(x, Tensor) or x.shape.ndims is None or own.shape.ndims is None:
            continue
        expected = [None, *own.shape.as_list()[1:]] if own.shape.ndims else []
        found, wanted = x.shape.as_list(), expected
        if found and found[-1] == 1:
            found = found[:-1]
        if wanted and wanted[-1] == 1:
            wanted = wanted[:-1]
        for want, got in zip(wanted, found, strict=False):
            if want is not None and got is not None and want != got:
                raise ValueError(
                    f'Input {index} of layer "{model.name}" is incompatible with the layer: '
                    f"expected shape={tuple(expected)}, found shape={tuple(x.shape.as_list())}"
                )


def _regularization(variable, regularizer):
    """``regularizer``'s loss for ``variable``, under ``<variable name>/Regularizer``."""
    with get_default_graph().name_scope(f"{variable.name.split(':')[0]}/Regularizer"):
        return convert_to_tensor(regularizer(variable))


LEGACY_ADVICE = (
    "To use keras as a framework (for instance using the Network, Model, or Sequential "
    "classes), please use the tf.keras.layers implementation instead. (Or, if writing custom "
    "layers, subclass from tf.keras.layers rather than tf.layers)"
)


def assert_no_legacy_layers(layers) -> None:
    """Raises TF's ``TypeError`` when any of ``layers`` is a ``tf.layers`` layer that is not a
    Keras one: Keras's models refuse them."""
    legacy = [x for x in layers if isinstance(x, tf_base.Layer) and not isinstance(x, Layer)]
    if legacy:
        listed = "\n".join(f"  {x}" for x in legacy)
        raise TypeError(f"The following are legacy tf.layers.Layers:\n{listed}\n{LEGACY_ADVICE}")


def _check_own_config(cls) -> None:
    """A ``Layer`` subclass of the user's whose ``__init__`` takes arguments must define its
    ``get_config``, as TF's Keras requires."""
    first = next(c for c in cls.__mro__ if c.__module__.startswith("scopeflow."))
    if first is not Layer or cls.get_config is not Layer.get_config:
        return
    parameters = list(inspect.signature(cls.__init__).parameters.values())[1:]
    if any(p.kind not in (p.VAR_KEYWORD, p.VAR_POSITIONAL) for p in parameters):
        raise NotImplementedError(
            "Layers with arguments in `__init__` must override `get_config`."
        )


def _copied_inputs(inputs, outputs):
    """``outputs`` with each tensor a layer returned its input unchanged (``Activation(None)``)
    replaced by an ``Identity`` of it, as Keras does, so that each output has its own call."""
    given = nest.flatten(inputs)
    return nest.map_structure(
        lambda t: array_ops.identity(t) if any(t is x for x in given) else t, outputs
    )


def _masks_of(inputs):
    """The Keras masks (``_keras_mask``) of ``inputs``: ``None`` when none has one, else one
    mask or a list in the inputs' order."""
    masks = [getattr(x, "_keras_mask", None) for x in nest.flatten(inputs)]
    if all(m is None for m in masks):
        return None
    return masks if isinstance(inputs, list | tuple) else masks[0]


def _set_masks(outputs, mask) -> None:
    flat = nest.flatten(outputs)
    masks = mask if isinstance(mask, list | tuple) else [mask] * len(flat)
    for output, m in zip(flat, masks, strict=False):
        if isinstance(output, Tensor):
            output._keras_mask = m


def _batch_input_shape(keras: dict):
    if keras.get("batch_input_shape") is not None:
        return tuple(keras["batch_input_shape"])
    shape = keras.get("input_shape")
    if shape is None and keras.get("input_dim") is not None:
        shape = (keras["input_dim"],)
    if shape is None:
        return None
    return (keras.get("batch_size"), *tuple(shape))


def _shapes(structure):
    """``int_shape`` of a tensor, or a tuple of them for several tensors."""
    if isinstance(structure, Tensor):
        return backend.int_shape(structure)
    return tuple(backend.int_shape(x) for x in nest.flatten(structure))


def _is_shape_list(shape: tuple) -> bool:
    return bool(shape) and all(isinstance(s, tuple) or s is None for s in shape)


class InputLayer(Layer):
    """The layer that holds a model's input placeholder (``input_1``, or
    ``<first layer>_input`` in a ``Sequential`` model)."""

    def __init__(
        self,
        input_shape=None,
        batch_size=None,
        dtype=None,
        input_tensor=None,
        sparse=False,
        name=None,
        **kwargs,
    ):
        if sparse:
            raise NotImplementedError(
                "InputLayer(sparse=True) is not supported; feed dense arrays."
            )
        batch_input_shape = kwargs.pop("batch_input_shape", None)
        if kwargs:
            raise ValueError(f"Unrecognized keyword arguments: {sorted(kwargs)}")
        if name is None:
            name = f"input_{backend.get_uid('input')}"
        tf_base.Layer.__init__(self, trainable=False, name=name, dtype=dtype)
        self._inbound_nodes = []
        if input_tensor is None:
            if batch_input_shape is None:
                if input_shape is None:
                    raise ValueError("Input shape must be defined")
                batch_input_shape = (batch_size, *tuple(input_shape))
            input_tensor = backend.placeholder(
                shape=batch_input_shape, dtype=dtype or backend.floatx(), name=name
            )
        self._batch_input_shape = backend.int_shape(input_tensor)
        self._dtype = input_tensor.dtype.base_dtype
        self.built = True
        Node(self, [], [input_tensor], {})

    @property
    def output_shape(self):
        return [self._batch_input_shape]

    input_shape = output_shape  # as TF's: a list of one shape

    @property
    def output(self):
        """Its placeholder (one tensor, as TF's), which is also its ``input``."""
        return self._inbound_nodes[0].outputs[0]

    input = output

    def get_config(self) -> dict:
        """Its input's shape and dtype, and its name."""
        return {
            "batch_input_shape": self._batch_input_shape,
            "dtype": self._dtype.name,
            "sparse": False,
            "ragged": False,
            "name": self.name,
            "optional": False,
        }


def Input(  # noqa: N802 - Keras's name
    shape=None, batch_size=None, name=None, dtype=None, sparse=False, tensor=None, **kwargs
):
    """A Keras input: a placeholder (``input_1:0``, ``[None, *shape]``) that starts a
    functional model.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     x = tf.keras.Input(shape=(28, 28), name="image")
    >>> x.name, x.shape.as_list()
    ('image:0', [None, 28, 28])
    """
    batch_shape = kwargs.pop("batch_shape", None)
    if kwargs:
        raise ValueError(f"Unrecognized keyword arguments: {sorted(kwargs)}")
    if shape is None and batch_shape is None and tensor is None:
        raise ValueError(
            "Please provide to Input a `shape` or a `tensor` or a `type_spec` argument. Note "
            "that `shape` does not include the batch dimension."
        )
    if batch_shape is not None:
        layer = InputLayer(
            batch_input_shape=batch_shape, dtype=dtype, name=name, input_tensor=tensor
        )
    else:
        layer = InputLayer(
            input_shape=shape,
            batch_size=batch_size,
            dtype=dtype,
            name=name,
            input_tensor=tensor,
            sparse=sparse,
        )
    return layer._inbound_nodes[0].outputs[0]
