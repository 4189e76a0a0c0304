"""``tf.keras.Model`` (functional: ``Model(inputs, outputs)``) and ``tf.keras.Sequential``.

A functional model is the graph of layer calls (``Node``s) between its inputs and outputs.
Its ``layers`` are ordered as Keras orders them: by depth from the outputs, deepest first
(the input layers), ties in the order a walk back from the outputs first meets them. Calling
a model on new tensors calls its layers again in that order (sharing their weights).

>>> import scopeflow as tf
>>> with tf.Graph().as_default():
...     x = tf.keras.Input(shape=(4,))
...     y = tf.keras.layers.Dense(2, activation="softmax")(tf.keras.layers.Dense(8)(x))
...     model = tf.keras.Model(x, y)
>>> model.name, [layer.name for layer in model.layers], model.output_names
('model', ['input_1', 'dense_1', 'dense'], ['dense'])
"""

from __future__ import annotations

from scopeflow.framework import nest
from scopeflow.framework.tensor import Tensor
from scopeflow.keras import (
    backend,
    engine,
    hdf5_format,
    model_config,
    object_checkpoint,
    subclassed,
    summary,
    tf_op_layers,
)
from scopeflow.keras.engine import InputLayer, Layer, assert_no_legacy_layers, keras_history
from scopeflow.keras.tracking import subclassed_call
from scopeflow.keras.training import TrainingMixin


def _map_graph(inputs, outputs) -> tuple[list, list]:
    """``(layers, nodes)`` of the graph from ``inputs`` to ``outputs``: layers by decreasing
    depth (ties: the order a walk back from the outputs first meets them), nodes in an order
    that computes each after its inputs; TF's ``ValueError`` when a layer needs a tensor the
    inputs do not give."""
    finished: list = []
    seen: set = set()
    layer_indices: dict = {}

    def visit(tensor) -> None:
        history = keras_history(tensor)
        if history is None:
            raise ValueError(
                "Output tensors of a Functional model must be the output of a TensorFlow "
                f"`Layer` (thus holding past layer metadata). Found: {tensor}"
            )
        layer, node_index, _ = history
        node = layer._inbound_nodes[node_index]
        if id(node) in seen:
            return
        layer_indices.setdefault(layer, len(layer_indices))
        seen.add(id(node))
        for x in nest.flatten(node.inputs):
            visit(x)
        finished.append(node)

    for output in outputs:
        visit(output)
    node_depth: dict = {}
    layer_depth: dict = {}
    for node in reversed(finished):
        depth = max(node_depth.setdefault(id(node), 0), layer_depth.get(node.layer, 0))
        layer_depth[node.layer] = node_depth[id(node)] = depth
        for inbound in node.inbound:
            if inbound is not None:
                parent = inbound[0]._inbound_nodes[inbound[1]]
                node_depth[id(parent)] = max(depth + 1, node_depth.get(id(parent), 0))
    layers = sorted(layer_depth, key=lambda layer: (-layer_depth[layer], layer_indices[layer]))
    _check_connected(inputs, sorted(finished, key=lambda node: -node_depth[id(node)]))
    return layers, finished


def _check_connected(inputs, nodes: list) -> None:
    """TF's "Graph disconnected" error at the first of ``nodes`` (deepest first) needing a
    tensor not computed from ``inputs``."""
    computable = {id(x) for x in inputs}
    accessed: list = []
    for node in nodes:
        if isinstance(node.layer, InputLayer):
            continue
        for x in nest.flatten(node.inputs):
            if id(x) not in computable:
                raise ValueError(
                    f"Graph disconnected: cannot obtain value for tensor {x} at layer "
                    f'"{node.layer.name}". The following previous layers were accessed '
                    f"without issue: {accessed}"
                )
        computable.update(id(y) for y in nest.flatten(node.outputs))
        accessed.append(node.layer.name)


def _reads_other_inputs(op, own: set, memo: dict) -> bool:
    """Whether ``op`` is computed from a ``tf.keras.Input`` placeholder not in ``own`` (ids
    of a model's input tensors); ``memo`` keeps the answers by op id across calls."""
    stack = [op]
    expanded: set = set()  # ops whose parents were pushed (a loop's back edge meets one)
    while stack:
        current = stack[-1]
        if id(current) in memo:
            stack.pop()
            continue
        parents = [t.op for t in current.inputs] + list(current.control_inputs)
        if id(current) not in expanded:
            expanded.add(id(current))
            pending = [p for p in parents if id(p) not in memo and id(p) not in expanded]
            if pending:
                stack.extend(pending)
                continue
        stack.pop()
        found = any(memo.get(id(p), False) for p in parents)
        if not found and current.type == "Placeholder":
            history = keras_history(current.outputs[0])
            found = (
                history is not None
                and isinstance(history[0], InputLayer)
                and id(current.outputs[0]) not in own
            )
        memo[id(current)] = found
    return memo[id(op)]


class Model(TrainingMixin, Layer):
    """A model: ``Model(inputs, outputs, name=None)`` over tensors from ``tf.keras.Input``
    and Keras layers, or a subclass whose ``__init__`` makes layers and whose
    ``call(inputs, training=None)`` applies them (see ``subclassed``); train it with
    ``compile`` and ``fit``."""

    _is_graph_network = True
    _is_model = True
    _fills_learning_phase = False  # as TF's: its layers make the learning phase they use

    def __new__(cls, *args, **kwargs):
        model = super().__new__(cls)
        subclassed.capture_arguments(model, args, kwargs)
        return model

    def __init__(self, inputs=None, outputs=None, name=None, **kwargs):
        if inputs is None and outputs is None:
            TrainingMixin.__init__(self)
            subclassed.init(self, {"name": name, **kwargs})
            self._nodes = []
            return
        if inputs is None or outputs is None:
            raise ValueError(
                "If your model is not subclassed, give both `inputs` and `outputs` "
                f"(got inputs={inputs}, outputs={outputs})."
            )
        trainable = kwargs.pop("trainable", True)
        if kwargs:
            raise TypeError(f"Keyword argument not understood: {sorted(kwargs)}")
        base = "sequential" if isinstance(self, Sequential) else "model"
        Layer.__init__(self, trainable=trainable, name=name or backend.unique_object_name(base))
        TrainingMixin.__init__(self)
        self._init_graph(inputs, outputs)

    def _init_graph(self, inputs, outputs) -> None:
        self._nested_outputs = outputs
        self.inputs = list(nest.flatten(inputs))
        self.outputs = list(nest.flatten(outputs))
        for x in self.inputs:
            history = keras_history(x)
            if history is None or not isinstance(history[0], InputLayer):
                raise ValueError(
                    "Input tensors to a Functional model must come from `tf.keras.Input`. "
                    f"Received inputs={x} (missing previous layer metadata)."
                )
        tf_op_layers.track_calls(self.outputs)  # outputs made by TF ops: their op layers
        self._is_graph_network = True
        self._layers, self._nodes = _map_graph(self.inputs, self.outputs)
        self.input_names = [keras_history(x)[0].name for x in self.inputs]
        self.output_names = [keras_history(y)[0].name for y in self.outputs]
        self.built = True

    # -- structure -------------------------------------------------------------------------

    @property
    def layers(self) -> list:
        """Its layers (functional models: input layers first; subclassed models: those its
        attributes hold, in the order they were set)."""
        if not self._is_graph_network:
            return subclassed.layers(self)
        return list(self._layers)

    def _built_on(self, attribute: str, tensors: list, shapes: bool = False):
        if not tensors:  # a Sequential model not built yet
            return getattr(Layer, attribute).fget(self)
        found = [backend.int_shape(x) for x in tensors] if shapes else list(tensors)
        return found[0] if len(found) == 1 else found

    @property
    def input(self):
        """Its input tensor (a list of them for several inputs)."""
        return self._built_on("input", self.inputs)

    @property
    def output(self):
        """Its output tensor (a list of them for several outputs)."""
        return self._built_on("output", self.outputs)

    @property
    def input_shape(self):
        return self._built_on("input_shape", self.inputs, shapes=True)

    @property
    def output_shape(self):
        return self._built_on("output_shape", self.outputs, shapes=True)

    def get_layer(self, name=None, index=None):
        """The layer named ``name``, or at ``index`` in ``layers``."""
        if index is not None:
            if len(self.layers) <= index:
                raise ValueError(
                    f"Was asked to retrieve layer at index {index} but model only has "
                    f"{len(self.layers)} layers."
                )
            return self.layers[index]
        for layer in self.layers:
            if layer.name == name:
                return layer
        raise ValueError(
            f"No such layer: {name}. Existing layers are: {[layer.name for layer in self.layers]}."
        )

    def _network_nodes(self) -> list:
        return list(self._nodes)

    def _is_sequential_like(self) -> bool:
        counts: dict = {}
        for node in self._nodes:
            if len([x for x in nest.flatten(node.inputs)]) > 1:
                return False
            counts[id(node.layer)] = counts.get(id(node.layer), 0) + 1
        return all(count == 1 for count in counts.values())

    def _gather(self, attribute: str) -> list:
        if not self._is_graph_network:
            own = {
                "trainable_weights": self._trainable_weights,
                "non_trainable_weights": self._non_trainable_weights,
                "weights": self._trainable_weights + self._non_trainable_weights,
            }[attribute]
            return subclassed.gather(self.layers, attribute, own)
        found: list = []
        for layer in self.layers:
            for item in getattr(layer, attribute):
                if not any(item is x for x in found):
                    found.append(item)
        return found

    @property
    def trainable_weights(self) -> list:
        return self._gather("trainable_weights") if self.trainable else []

    @property
    def non_trainable_weights(self) -> list:
        if not self.trainable:
            return self._gather("weights")
        return self._gather("non_trainable_weights")

    @property
    def weights(self) -> list:
        """Its layers' weights (each once), layer by layer, as Keras lists them."""
        return self._gather("weights")

    trainable_variables = trainable_weights
    non_trainable_variables = non_trainable_weights
    variables = weights

    @property
    def updates(self) -> list:
        """Its layers' update ops (batch normalization's moving averages), of every call."""
        if not self._is_graph_network:
            own = self._updates if self.trainable else []
            return subclassed.gather(self.layers, "updates", own, own_first=True)
        return self._gather("updates")

    def _updates_for_own_inputs(self, found=None) -> list:
        """:attr:`updates` (or ``found``) but those of calls on other models' inputs: what a
        training step runs, as TF's (a model called on a new ``Input``, in transfer learning,
        trains with the updates of that call, not those of its first one, whose input is not
        fed)."""
        found = self.updates if found is None else found
        if not self.inputs:  # a Sequential model not built yet
            return found
        own = {id(t) for t in self.inputs}
        memo: dict = {}
        return [u for u in found if not _reads_other_inputs(getattr(u, "op", u), own, memo)]

    @property
    def stateful(self) -> bool:
        """Whether one of its layers is stateful (a recurrent layer's ``stateful=True``)."""
        return any(getattr(layer, "stateful", False) for layer in self.layers)

    @property
    def state_updates(self) -> list:
        """The update ops of its stateful layers (their states' assignments), which
        ``predict`` and ``evaluate`` run too."""
        found: list = []
        for layer in self.layers:
            if getattr(layer, "stateful", False):
                found += [u for u in layer.updates if not any(u is x for x in found)]
        return found

    def _own_state_updates(self) -> list:
        return self._updates_for_own_inputs(self.state_updates)

    def reset_states(self) -> None:
        """Zeros the states of its stateful layers."""
        for layer in self.layers:
            if getattr(layer, "stateful", False) and hasattr(layer, "reset_states"):
                layer.reset_states()

    @property
    def losses(self) -> list:
        """Its layers' losses (weight and activity regularization), then the losses added to
        the model itself with ``add_loss``, as TF's (a subclassed model: its own first)."""
        if not self._is_graph_network:
            return subclassed.gather(self.layers, "losses", self._losses, own_first=True)
        found = self._gather("losses")
        return found + [t for t in self._losses if not any(t is x for x in found)]

    def count_params(self) -> int:
        if not self._is_graph_network:
            subclassed.check_built(self, "count_params")
            return Layer.count_params(self)
        return int(sum(layer.count_params() for layer in self.layers if layer.built))

    def summary(self, line_length=None, positions=None, print_fn=None) -> None:
        """Prints its layers, output shapes and parameter counts, as Keras's table."""
        if not self._is_graph_network:
            subclassed.check_built(self, "summary")
        summary.print_summary(self, line_length, positions, print_fn)

    # -- calls -----------------------------------------------------------------------------

    def __call__(self, inputs, *args, **kwargs):
        if self._is_graph_network:
            engine.check_model_inputs(self, inputs)
            return Layer.__call__(self, inputs, *args, **kwargs)
        with subclassed_call(self):
            outputs = Layer.__call__(self, inputs, *args, **kwargs)
        if not self.inputs:
            subclassed.set_io(self, self._inbound_nodes[-1].inputs, outputs)
        object_checkpoint.restore_pending(self)
        return outputs

    def call(self, inputs, training=None):
        if not self._is_graph_network:
            raise NotImplementedError(
                "When subclassing the `Model` class, you should implement a `call()` method."
            )
        flat = nest.flatten(inputs)
        if len(flat) != len(self.inputs):
            raise ValueError(
                f'Layer "{self.name}" expects {len(self.inputs)} input(s), but it received '
                f"{len(flat)} input tensors. Inputs received: {flat}"
            )
        new = {id(x): y for x, y in zip(self.inputs, flat, strict=True)}
        for node in self._nodes:
            if isinstance(node.layer, InputLayer):
                continue
            args = nest.map_structure(lambda x: new[id(x)], node.inputs)
            kwargs = dict(node.arguments)
            if training is not None and "training" in node.layer._call_arguments():
                kwargs["training"] = training
            results = node.layer(args, **kwargs)
            for old, value in zip(nest.flatten(node.outputs), nest.flatten(results), strict=True):
                new[id(old)] = value
        return nest.map_structure(lambda y: new[id(y)], self._nested_outputs)

    def _build_for(self, inputs) -> None:
        if not self._is_graph_network and type(self).build is not Model.build:
            Layer._build_for(self, inputs)  # the subclass's own build(input_shape)
        self.built = True

    def build(self, input_shape) -> None:
        """Makes a subclassed model's weights: calls it on placeholders of ``input_shape``
        (outside its name scope, as TF's Keras does)."""
        if not self._is_graph_network and not self.inputs:
            subclassed.build(self, input_shape)
            self.built = True
            object_checkpoint.restore_pending(self)
            return
        self.built = True

    def _ensure_built(self, x) -> None:
        """A subclassed model never called: calls it on placeholders shaped as ``x``."""
        if not self._is_graph_network:
            subclassed.build_from_data(self, x)

    # -- weights on disk -------------------------------------------------------------------

    def save_weights(self, filepath, overwrite=True, save_format=None) -> None:
        """Writes its weights (and its optimizer's) as a TF checkpoint TensorFlow's Keras
        reads with ``load_weights`` (``<filepath>.index``, ``.data-00000-of-00001`` and a
        ``checkpoint`` file), or as HDF5 for a path ending ``.h5`` (``save_format="h5"``)."""
        if hdf5_format.is_h5(filepath, save_format):
            hdf5_format.save_weights(self, filepath, overwrite)
        else:
            object_checkpoint.save_weights(self, filepath, save_format)

    def load_weights(self, filepath, by_name=False, skip_mismatch=False):
        """Reads weights saved by ``save_weights`` or ``save`` (ours or TensorFlow's Keras):
        a TF checkpoint by object-graph paths, an HDF5 file by layer order or
        ``by_name``."""
        if hdf5_format.is_h5(filepath):
            if not self._is_graph_network and not self.built:
                raise ValueError(
                    "Unable to load weights saved in HDF5 format into a subclassed Model which "
                    "has not created its variables yet. Call the Model first, then load the "
                    "weights."
                )
            hdf5_format.load_weights(self, filepath, by_name, skip_mismatch)
        else:
            return object_checkpoint.load_weights(self, filepath, by_name)
        return None

    def save(
        self,
        filepath,
        overwrite=True,
        include_optimizer=True,
        save_format=None,
        signatures=None,
        options=None,
        save_traces=True,
    ) -> None:
        """Writes the whole model (config, weights, compile arguments, optimizer state) as
        TF's Keras's HDF5 file (a path ending ``.h5``/``.hdf5``, or ``save_format="h5"``)."""
        subclassed_model = not self._is_graph_network and not isinstance(self, Sequential)
        if subclassed_model and hdf5_format.is_h5(filepath, save_format):
            raise NotImplementedError(subclassed.SAVE_H5_ERROR)
        hdf5_format.save_model(self, filepath, overwrite, include_optimizer, save_format)

    # -- configs ---------------------------------------------------------------------------

    def get_config(self) -> dict:
        """Its layers and how they connect, as TF's Keras's functional config (a subclassed
        model: its constructor's arguments, when plain values)."""
        if not self._is_graph_network:
            return subclassed.config(self)
        return model_config.functional_config(self)

    @classmethod
    def from_config(cls, config: dict, custom_objects=None):
        """A new model (new weights) from a ``get_config`` dictionary (a subclassed model:
        ``cls(**config)``)."""
        if "layers" not in config or "input_layers" not in config:
            return cls(**config)
        return model_config.functional_from_config(cls, config, custom_objects)

    def to_json(self, **kwargs) -> str:
        """Its config in JSON (``tf.keras.models.model_from_json`` reads it)."""
        return model_config.model_to_json(self, **kwargs)

    def to_yaml(self, **kwargs):
        """Not provided: TF's Keras removed YAML configs."""
        raise RuntimeError(
            "Method `model.to_yaml()` has been removed due to security risk of arbitrary code "
            "execution. Please use `model.to_json()` instead."
        )


class Sequential(Model):
    """A model that is a chain of layers: ``Sequential([Dense(...), ...])`` or ``add``.

    Its input placeholder is ``<first layer>_input``, made as soon as the first layer has an
    ``input_shape`` (or ``build(input_shape)`` is called). Without one, TF's Keras runs it as a
    subclassed model: the first ``fit``/``predict`` (or call) applies its layers in its name
    scope (``sequential/dense/kernel:0``) to ``input_1`` (or to the tensors given), its output
    ``output_1``.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     model = tf.keras.Sequential([tf.keras.layers.Dense(2, input_shape=(3,))])
    >>> model.name, model.inputs[0].name, model.outputs[0].name
    ('sequential', 'dense_input:0', 'dense/BiasAdd:0')
    """

    def __init__(self, layers=None, name=None):
        Layer.__init__(self, name=name or backend.unique_object_name("sequential"))
        TrainingMixin.__init__(self)
        self._stack: list = []
        self.inputs = self.outputs = None  # until it has an input, as TF's
        self._layers, self._nodes = [], []
        self._is_graph_network = False
        self.built = False
        assert_no_legacy_layers(layers or [])
        for layer in layers or []:
            self.add(layer)

    def add(self, layer) -> None:
        """Appends ``layer`` (applied to the current output when the model has inputs)."""
        assert_no_legacy_layers([layer])
        if isinstance(layer, Tensor) or not isinstance(layer, Layer):
            raise TypeError(
                "The added layer must be an instance of class Layer. "
                f"Received: layer={layer} of type {type(layer)}."
            )
        if isinstance(layer, InputLayer):
            if self._stack or self.inputs:
                raise ValueError("An InputLayer can only be the first layer of a Sequential.")
            self._connect(layer._inbound_nodes[0].outputs[0])
            return
        self._stack.append(layer)
        if self.outputs and not self._is_graph_network:  # built from data: again, next time
            self._forget_inputs()
        elif self.outputs:
            self._apply(layer)
        elif len(self._stack) == 1 and layer._batch_input_shape is not None:
            shape = layer._batch_input_shape
            self._start(shape, layer.dtype or backend.floatx())

    def pop(self) -> None:
        """Removes the last layer."""
        if not self._stack:
            raise TypeError("There are no layers in the model.")
        self._stack.pop()
        if not self._is_graph_network:
            self._forget_inputs()
            return
        inputs = self.inputs
        self.inputs = self.outputs = None
        if inputs:
            self._connect(inputs[0])

    def _forget_inputs(self) -> None:
        """A model built from data, changed: built again (and its loss) on its next use."""
        self.inputs = self.outputs = None
        self.built = self._compiled = False
        self._functions = {}

    def _start(self, batch_input_shape, dtype) -> None:
        name = f"{self._stack[0].name}_input"
        layer = InputLayer(batch_input_shape=tuple(batch_input_shape), dtype=dtype, name=name)
        self._connect(layer._inbound_nodes[0].outputs[0])

    def _connect(self, input_tensor) -> None:
        self.inputs, self.outputs = [input_tensor], [input_tensor]
        self._is_graph_network = True
        for layer in self._stack:
            self._apply(layer)

    def _apply(self, layer) -> None:
        output = layer(self.outputs[0])
        if len(nest.flatten(output)) != 1:
            raise ValueError(
                "All layers in a Sequential model should have a single output tensor. For "
                "multi-output layers, use the functional API."
            )
        self._init_graph(self.inputs, output)

    def _ensure_built(self, x) -> None:
        if not self.inputs:
            subclassed.build_from_data(self, x)

    def _build_for(self, inputs) -> None:
        self.built = True  # called on tensors: its layers build themselves

    def build(self, input_shape=None) -> None:
        """Makes its weights as a subclassed model's ``build`` does (TF 2.21's Keras: its
        layers called on a ``Placeholder``, outside its name scope; no inputs set)."""
        if input_shape is None and not self.inputs:
            raise ValueError("You must provide an `input_shape` argument.")
        Model.build(self, input_shape)

    @property
    def layers(self) -> list:
        """Its layers, without the input layer."""
        return list(self._stack)

    def _network_nodes(self) -> list:
        return list(self._nodes)

    def _is_sequential_like(self) -> bool:
        return True

    def get_config(self) -> dict:
        """Its name and layers' configs, its input layer first."""
        return model_config.sequential_config(self)

    @classmethod
    def from_config(cls, config: dict, custom_objects=None):
        """A new ``Sequential`` of new layers from a ``get_config`` dictionary."""
        return model_config.sequential_from_config(cls, config, custom_objects)

    def call(self, inputs, training=None):
        if self._is_graph_network:
            return super().call(inputs, training)
        for layer in self._stack:
            inputs = layer(inputs, training=training)
        return inputs
