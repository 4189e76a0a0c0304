"""``tf.layers.Layer``: TF1's base class of layers, on ``variable_scope`` and ``get_variable``.

A layer owns one variable scope, chosen the first time it is called (or made, with
``_scope=``): ``variable_scope(None, default_name=<snake_case class name>)``, so unnamed
layers get ``dense``, ``dense_1``... and their variables ``dense/kernel``. Each call runs
``build`` once (making the variables, reusing them afterwards) and ``call`` inside that scope,
its ops in the scope's name scope (``dense/MatMul``, then ``dense/MatMul_1``). Update ops a
call adds with ``add_update`` go into ``tf.GraphKeys.UPDATE_OPS``, losses added with
``add_loss`` (weight and activity regularization) into ``REGULARIZATION_LOSSES``, as TF1's
``tf.layers`` do.

>>> import scopeflow as tf
>>> with tf.Graph().as_default():
...     layer = tf.layers.Dense(4)
...     y = layer(tf.placeholder(tf.float32, [None, 3]))
...     y2 = layer(tf.placeholder(tf.float32, [None, 3]))
>>> [v.name for v in layer.variables], y2.name
(['dense/kernel:0', 'dense/bias:0'], 'dense/BiasAdd_1:0')
"""

from __future__ import annotations

import collections
import inspect
import re

import numpy as np

from scopeflow.framework import dtypes, nest, undo
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.defaults import get_default_graph
from scopeflow.framework.graph import GraphKeys
from scopeflow.framework.tensor import Tensor
from scopeflow.framework.tensor_shape import TensorShape
from scopeflow.layers.experimental import in_keras_style_scope
from scopeflow.layers.input_spec import InputSpec  # noqa: F401 (imported from here by the layers)
from scopeflow.ops.array.basic import shape as array_shape
from scopeflow.ops.array.cast import cast
from scopeflow.variables.initializers import GlorotUniform, zeros_initializer
from scopeflow.variables.variable_scope import VariableScope, get_variable, variable_scope
from scopeflow.variables.variables import Variable


def to_snake_case(name: str) -> str:
    """A class name as Keras names its layers: ``Conv2DTranspose`` -> ``conv2d_transpose``.

    >>> to_snake_case("BatchNormalization"), to_snake_case("Conv2DTranspose")
    ('batch_normalization', 'conv2d_transpose')
    """
    intermediate = re.sub("(.)([A-Z][a-z0-9]+)", r"\1_\2", name)
    insecure = re.sub("([a-z])([A-Z])", r"\1_\2", intermediate).lower()
    return insecure if insecure[0] != "_" else "private" + insecure


def unique_layer_name(base: str) -> str:
    """``base_<n>``, counted per default graph from 1, as Keras names a layer object made
    without a name (its variable scope is still ``base``, ``base_1``...)."""
    counts = get_default_graph()._store("layer_name_uids", collections.Counter)
    counts[base] += 1
    return f"{base}_{counts[base]}"


_NOT_KERAS_STYLE = "{} argument not allowed when keras style layers are enabled, but saw: {}"
_LAYER_KWARGS = {"_scope", "_reuse", "activity_regularizer", "input_shape", "batch_size"}


class Layer:
    """TF1's ``tf.layers.Layer``: subclass it with ``build(input_shape)`` (make variables with
    ``add_weight``) and ``call(inputs, ...)``; call the object to apply it.

    Args:
        trainable: whether its variables go into ``TRAINABLE_VARIABLES``.
        name: its variable scope's name (default: from the class name, made unique).
        dtype: its variables' dtype (default: the first input's).
    """

    def __init__(self, trainable: bool = True, name: str | None = None, dtype=None, **kwargs):
        for key in kwargs:
            if key not in _LAYER_KWARGS:
                raise TypeError("Keyword argument not understood:", key)
        self.trainable = trainable
        self.built = False
        self.input_spec = None
        self._dtype = None if dtype is None else dtypes.as_dtype(dtype).base_dtype
        self._reuse = kwargs.get("_reuse")
        self._activity_regularizer = kwargs.get("activity_regularizer")
        self._trainable_weights: list = []
        self._non_trainable_weights: list = []
        self._updates: list = []
        self._losses: list = []
        self._base_name = name or to_snake_case(type(self).__name__)
        self._name = name or unique_layer_name(self._base_name)
        self._current_scope: VariableScope | None = None
        self._scope: VariableScope | None = None
        scope = kwargs.get("_scope")
        self._keras_style = in_keras_style_scope()  # tf.layers.experimental.keras_style_scope
        if self._keras_style:
            if scope is not None:
                raise ValueError(_NOT_KERAS_STYLE.format("scope", scope))
            if self._reuse is not None:
                raise ValueError(_NOT_KERAS_STYLE.format("reuse", self._reuse))
        if scope:
            with variable_scope(scope) as captured:
                self._scope = captured

    # -- what subclasses define ----------------------------------------------------------

    def build(self, input_shape) -> None:
        """Makes the layer's variables for inputs of ``input_shape`` (once)."""
        self.built = True

    def call(self, inputs, **kwargs):
        """The layer's computation; the base layer returns its inputs."""
        return inputs

    # -- properties --------------------------------------------------------------------

    @property
    def name(self) -> str:
        return self._name

    @property
    def dtype(self):
        return self._dtype

    @property
    def scope_name(self) -> str:
        if not self._scope:
            raise ValueError(
                f'No name available for layer scope because the layer "{self._name}" has not '
                "been used yet. The scope name  is determined the first time the layer "
                "instance is called. You must therefore call the layer before querying "
                "`scope_name`."
            )
        return self._scope.name

    @property
    def activity_regularizer(self):
        return self._activity_regularizer

    @property
    def trainable_weights(self) -> list:
        return list(self._trainable_weights) if self.trainable else []

    @property
    def non_trainable_weights(self) -> list:
        if self.trainable:
            return list(self._non_trainable_weights)
        return self._trainable_weights + self._non_trainable_weights

    @property
    def weights(self) -> list:
        return self.trainable_weights + self.non_trainable_weights

    trainable_variables = trainable_weights
    non_trainable_variables = non_trainable_weights
    variables = weights

    def count_params(self) -> int:
        """How many numbers its weights hold (``ValueError`` before it is built)."""
        if not self.built:
            raise ValueError(
                f"You tried to call `count_params` on {self.name}, but the layer isn't "
                "built. You can build it manually via: "
                f"`{self.name}.build(batch_input_shape)`."
            )
        return int(sum(np.prod(w.shape.as_list(), dtype=np.int64) for w in self.weights))

    _is_tf_module = True  # found by tf.Module's variables and submodules, as in TF

    def _trackable_children(self) -> list:
        """What ``tf.train.Checkpoint`` saves of the layer: its weights by their short names
        (``kernel``, ``bias``), as TF tracks a ``tf.layers`` layer."""
        return [(v.op.name.rsplit("/", 1)[-1], v) for v in self.weights]

    @property
    def updates(self) -> list:
        """The update ops its calls added (none when the layer is not trainable, as TF1)."""
        return list(self._updates) if self.trainable else []

    @property
    def losses(self) -> list:
        """Its regularization losses: of its weights, and of each call's outputs."""
        return list(self._losses)

    # -- building blocks for subclasses -------------------------------------------------

    def add_weight(
        self,
        name: str,
        shape=None,
        dtype=None,
        initializer=None,
        regularizer=None,
        trainable: bool | None = None,
        constraint=None,
        use_resource=None,
        synchronization=None,
        aggregation=None,
        partitioner=None,
        getter=None,
    ):
        """Gets or makes the variable ``<layer scope>/<name>`` and tracks it (trainable or
        not); a new variable's ``regularizer`` loss goes into ``REGULARIZATION_LOSSES``;
        ``use_resource=True`` makes a resource variable, as TF1's layers."""
        if self._keras_style:
            if partitioner is not None or getter is not None:
                raise NotImplementedError(
                    "Keras-style layers' add_weight(partitioner=..., getter=...) is not "
                    "supported; make the layer outside keras_style_scope()."
                )
            return self._add_keras_weight(
                name, shape, dtype, initializer, regularizer, trainable, constraint, use_resource
            )
        trainable = True if trainable is None else trainable
        dtype = dtypes.as_dtype(dtype or self._dtype or dtypes.float32)
        graph = get_default_graph()
        existing = set(graph.get_collection(GraphKeys.GLOBAL_VARIABLES))
        self._set_scope(None)
        reuse = self.built or self._reuse
        with variable_scope(self._scope, reuse=reuse, auxiliary_name_scope=False) as scope:
            self._current_scope = scope
            with graph.name_scope(scope.original_name_scope):
                make = get_variable if getter is None else getter
                variable = make(
                    name,
                    shape=shape,
                    dtype=dtype,
                    initializer=initializer if initializer is not None else scope.initializer,
                    trainable=trainable and self.trainable,
                    constraint=constraint,
                    partitioner=partitioner,
                    use_resource=use_resource,
                )
                # a partitioned variable's parts are weights (and regularized) one by one
                parts = list(variable) if hasattr(variable, "_get_variable_list") else [variable]
                if regularizer is not None and parts[0] not in existing:
                    for part in parts:
                        with graph.name_scope(f"{name}/Regularizer"):
                            self.add_loss(regularizer(part))
        trainables = graph.get_collection(GraphKeys.TRAINABLE_VARIABLES)
        for part in parts:
            if trainable and part in trainables:
                self._track(self._trainable_weights, part)
            else:
                self._track(self._non_trainable_weights, part)
        return variable

    add_variable = add_weight

    def _add_keras_weight(
        self, name, shape, dtype, initializer, regularizer, trainable, constraint, use_resource
    ):
        """A Keras-style layer's weight: a plain variable ``<name scope>/<name>``, made with
        ``glorot_uniform`` (floats) or zeros when no initializer is given, as Keras's."""
        dtype = dtypes.as_dtype(dtype or self._dtype or dtypes.float32).base_dtype
        if initializer is None:
            initializer = GlorotUniform() if dtype.is_floating else zeros_initializer()
        trainable = True if trainable is None else bool(trainable)
        dims = TensorShape(shape).as_list()
        variable = Variable(
            lambda: initializer(dims, dtype=dtype),
            name=name,
            dtype=dtype,
            trainable=trainable and self.trainable,
            constraint=constraint,
            use_resource=use_resource,
        )
        if regularizer is not None:  # in the call's name scope, as TF's collection holds it
            with get_default_graph().name_scope(f"{variable.op.name}/Regularizer"):
                self.add_loss(regularizer(variable))
        self._track(self._trainable_weights if trainable else self._non_trainable_weights, variable)
        return variable

    @staticmethod
    def _track(weights: list, variable) -> None:
        if not any(w is variable for w in weights):
            weights.append(variable)

    def add_loss(self, losses, inputs=None) -> None:
        """Adds loss tensors to the layer and to ``REGULARIZATION_LOSSES``."""
        collection = get_default_graph().get_collection_ref(GraphKeys.REGULARIZATION_LOSSES)
        for loss in nest.flatten(losses):
            if loss is None:
                continue
            loss = convert_to_tensor(loss)
            self._losses.append(loss)
            if not any(item is loss for item in collection):
                collection.append(loss)

    def add_update(self, updates, inputs=None) -> None:
        """Adds update ops (say, moving averages) that callers should run with training: ops,
        tensors (their ops are kept, as TF1 keeps them) or functions making them."""
        for update in nest.flatten(updates):
            update = update() if callable(update) else update
            if update is not None:
                # a tensor's or a resource variable's update (its _UnreadVariable): the op
                keep = isinstance(update, Tensor) or getattr(update, "_is_resource", False)
                self._updates.append(update.op if keep else update)

    # -- applying the layer ------------------------------------------------------------

    def _set_scope(self, scope=None) -> None:
        if self._scope is not None:
            return
        if self._reuse:
            target = scope if scope is not None else self._base_name
            with variable_scope(target) as captured:
                self._scope = captured
        else:
            with variable_scope(scope, default_name=self._base_name) as captured:
                self._scope = captured

    def _name_scope(self) -> str:
        return self._name if self._keras_style else self._current_scope.original_name_scope

    def apply(self, inputs, *args, **kwargs):
        """The same as calling the layer."""
        return self(inputs, *args, **kwargs)

    @undo.atomic
    def __call__(self, inputs, *args, **kwargs):
        """Builds the layer for ``inputs`` (once) and applies it; ``scope=`` names the
        variable scope on a first call."""
        state = {k: v[:] if isinstance(v, list) else v for k, v in vars(self).items()}
        undo.record(lambda: (vars(self).clear(), vars(self).update(state)))
        scope = kwargs.pop("scope", None)
        if "training" in kwargs and "training" not in self._call_arguments():
            kwargs.pop("training")
        inputs = nest.map_structure(_as_tensor, inputs)
        graph = get_default_graph()
        if self._keras_style:  # a fresh name scope of its name; updates stay on the layer
            if scope is not None:
                raise ValueError(_NOT_KERAS_STYLE.format("scope", scope))
            with graph.name_scope(self._name):
                return self._apply(inputs, args, kwargs)
        self._set_scope(scope)
        reuse = True if self.built else self._reuse
        with variable_scope(self._scope, reuse=reuse, auxiliary_name_scope=False) as vscope:
            self._current_scope = vscope
            if "scope" in self._call_arguments():
                kwargs["scope"] = vscope
            with graph.name_scope(self._name_scope()):
                outputs = self._apply(inputs, args, kwargs)
        collection = graph.get_collection_ref(GraphKeys.UPDATE_OPS)
        for update in self.updates:
            if not any(item is update for item in collection):
                collection.append(update)
        return outputs

    def _apply(self, inputs, args, kwargs):
        """Builds the layer (once) and calls it, in the name scope the caller opened."""
        self._check_inputs(inputs)
        if not self.built:
            self._build_for(inputs)
        outputs = self.call(inputs, *args, **kwargs)
        if outputs is None:
            raise ValueError(
                "A layer's `call` method should return a Tensor or a list of Tensors, "
                f"not None (layer: {self._name})."
            )
        if self._activity_regularizer is not None:
            self._regularize_activity(outputs)
        return outputs

    def _call_arguments(self) -> set:
        return set(inspect.signature(self.call).parameters)

    def _check_inputs(self, inputs) -> None:
        if self.input_spec is None:
            return
        specs = nest.flatten(self.input_spec)
        for index, (x, spec) in enumerate(zip(nest.flatten(inputs), specs, strict=False)):
            if spec is not None:
                spec.check(index, x, self._name)

    def _build_for(self, inputs) -> None:
        flat = nest.flatten(inputs)
        if self._dtype is None and flat and hasattr(flat[0], "dtype"):
            self._dtype = flat[0].dtype.base_dtype
        shapes = nest.map_structure(lambda x: TensorShape(x.shape), inputs)
        self.build(shapes)
        self.built = True

    def _regularize_activity(self, outputs) -> None:
        with get_default_graph().name_scope("ActivityRegularizer"):
            for output in nest.flatten(outputs):
                loss = convert_to_tensor(self._activity_regularizer(output))
                batch_size = cast(array_shape(output)[0], loss.dtype)
                self.add_loss(loss / batch_size)


def _as_tensor(x):
    """A NumPy array or Python number given as a layer's input, as a constant tensor."""
    if isinstance(x, (np.ndarray, float, int)) and not isinstance(x, Tensor):
        return convert_to_tensor(x)
    return x
