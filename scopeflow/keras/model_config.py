"""Layers and models as configs: ``tf.keras.layers.serialize``/``deserialize``, a functional
model's config (its layers, each with the calls that feed it: ``inbound_nodes``, as
``[layer name, node index, tensor index, call kwargs]``), a ``Sequential``'s (its layers in
order), the models rebuilt from them, ``model_from_json`` and ``clone_model``.

Node indices count a layer's calls inside the model, as TF's Keras counts them: a nested
functional model's first call is its own construction in TF, so its calls in the outer model
count from 1.

>>> import scopeflow as tf
>>> with tf.Graph().as_default():
...     x = tf.keras.Input(shape=(3,))
...     model = tf.keras.Model(x, tf.keras.layers.Dense(2, name="out")(x))
...     config = model.get_config()
...     clone = tf.keras.Model.from_config(config)
>>> config["layers"][1]["inbound_nodes"], [layer.name for layer in clone.layers]
([[['input_1', 0, 0, {}]]], ['input_1', 'out'])
"""

from __future__ import annotations

import json

from scopeflow.framework import nest
from scopeflow.keras import backend
from scopeflow.keras.engine import InputLayer, Layer, keras_history
from scopeflow.keras.serialization import deserialize_keras_object, serialize_keras_object

_ALIASES = {"Functional": "Model"}


def layer_classes() -> dict:
    """Every Keras layer class scopeflow defines, by name (and ``Functional``: ``Model``)."""
    found: dict = {}
    stack = [Layer]
    while stack:
        cls = stack.pop()
        stack.extend(cls.__subclasses__())
        if cls.__module__.startswith("scopeflow.keras") and not cls.__name__.startswith("_"):
            found.setdefault(cls.__name__, cls)
    for alias, name in _ALIASES.items():
        found[alias] = found[name]
    return found


def serialize(layer) -> dict:
    """``{"class_name": ..., "config": layer.get_config()}`` (a functional model's class
    name is ``Functional``, as TF's Keras writes it)."""
    config = serialize_keras_object(layer)
    if config["class_name"] == "Model" and _is_functional(layer):
        config["class_name"] = "Functional"
    return config


def deserialize(config: dict, custom_objects=None):
    """The layer (or model) a ``serialize`` config describes, new and unbuilt."""
    return deserialize_keras_object(
        config,
        module_objects=layer_classes(),
        custom_objects=custom_objects,
        printable_module_name="layer",
    )


def _is_functional(layer) -> bool:
    return hasattr(layer, "_nodes") and not hasattr(layer, "_stack")


def _skips_first_node(layer) -> bool:
    """A model with inputs of its own: TF's Keras counts its construction as its first
    call."""
    return hasattr(layer, "_nodes") and bool(layer.inputs) and layer._is_graph_network


# -- functional models -----------------------------------------------------------------------


def functional_config(model) -> dict:
    """``model``'s config: name, trainability, layers with their inbound nodes, inputs and
    outputs as ``[layer name, node index, tensor index]``."""
    in_model = {id(node) for node in model._nodes}
    index_of: dict = {}
    for layer in model.layers:
        kept = 1 if _skips_first_node(layer) else 0
        for node in layer._inbound_nodes:
            if id(node) in in_model:
                index_of[id(node)] = kept
                kept += 1
    layers = []
    for layer in model.layers:
        nodes = []
        for node in layer._inbound_nodes:
            if id(node) in in_model and not isinstance(layer, InputLayer):
                nodes.append(_node_data(node, index_of))
        config = serialize(layer)
        config["name"] = layer.name
        config["inbound_nodes"] = nodes
        layers.append(config)
    return {
        "name": model.name,
        "trainable": model.trainable,
        "layers": layers,
        "input_layers": [_coordinates(x, index_of) for x in model.inputs],
        "output_layers": [_coordinates(y, index_of) for y in model.outputs],
    }


def _coordinates(tensor, index_of: dict) -> list:
    layer, node_index, tensor_index = keras_history(tensor)
    return [layer.name, index_of[id(layer._inbound_nodes[node_index])], tensor_index]


def _node_data(node, index_of: dict) -> list:
    kwargs = {key: _plain(value) for key, value in node.arguments.items()}
    data = []
    for layer, node_index, tensor_index in node.inbound:
        parent = layer._inbound_nodes[node_index]
        data.append([layer.name, index_of[id(parent)], tensor_index, kwargs])
    return data


def _plain(value):
    if hasattr(value, "op"):
        raise NotImplementedError(
            "A layer called with a tensor as a keyword argument cannot be saved in a config; "
            "pass the tensor as an input instead."
        )
    return value


def functional_from_config(cls, config: dict, custom_objects=None):
    """The functional model ``config`` describes (new layers, new weights), as ``cls``."""
    created: dict = {}
    outputs_of: dict = {}
    counts: dict = {}
    pending: list = []
    for layer_data in config["layers"]:
        layer = deserialize(layer_data, custom_objects)
        created[layer_data["name"]] = layer
        counts[layer.name] = 1 if _skips_first_node(layer) else 0
        if isinstance(layer, InputLayer):
            outputs_of[(layer.name, 0)] = layer._inbound_nodes[0].outputs
            counts[layer.name] = 1
        pending.extend((layer, node) for node in layer_data["inbound_nodes"])
    while pending:
        waiting = []
        for layer, node_data in pending:
            if not _call(layer, node_data, created, outputs_of, counts):
                waiting.append((layer, node_data))
        if len(waiting) == len(pending):
            names = sorted({layer.name for layer, _ in waiting})
            raise ValueError(f"Cannot rebuild the model: the inputs of layers {names} are missing.")
        pending = waiting
    inputs = [_tensor(entry, outputs_of) for entry in config["input_layers"]]
    outputs = [_tensor(entry, outputs_of) for entry in config["output_layers"]]
    return cls(inputs=inputs, outputs=outputs, name=config.get("name"))


def _call(layer, node_data: list, created: dict, outputs_of: dict, counts: dict) -> bool:
    """Calls ``layer`` on the node's inputs when they exist; ``False`` when not yet."""
    inputs, kwargs = [], {}
    for entry in node_data:
        name, node_index, tensor_index = entry[:3]
        if (name, node_index) not in outputs_of:
            return False
        inputs.append(nest.flatten(outputs_of[(name, node_index)])[tensor_index])
        kwargs = entry[3] if len(entry) > 3 else {}
    outputs = layer(inputs[0] if len(inputs) == 1 else inputs, **kwargs)
    outputs_of[(layer.name, counts[layer.name])] = outputs
    counts[layer.name] += 1
    return True


def _tensor(entry: list, outputs_of: dict):
    name, node_index, tensor_index = entry[:3]
    return nest.flatten(outputs_of[(name, node_index)])[tensor_index]


# -- sequential models -----------------------------------------------------------------------


def sequential_config(model) -> dict:
    """A ``Sequential``'s config: its name and layers (its input layer first, once it has
    one)."""
    layers = []
    if model.inputs and model._is_graph_network:  # not an input_1 made from data
        layers.append(serialize(keras_history(model.inputs[0])[0]))
    layers.extend(serialize(layer) for layer in model.layers)
    return {"name": model.name, "layers": layers}


def sequential_from_config(cls, config: dict, custom_objects=None):
    """The ``Sequential`` ``config`` describes: its layers added in order."""
    layers = config["layers"] if isinstance(config, dict) else config
    model = cls(name=config.get("name") if isinstance(config, dict) else None)
    for layer_data in layers:
        model.add(deserialize(layer_data, custom_objects))
    return model


# -- whole models ----------------------------------------------------------------------------


def model_from_config(config: dict, custom_objects=None):
    """The model (or layer) a ``{"class_name", "config"}`` dictionary describes.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     model = tf.keras.Sequential([tf.keras.layers.Dense(2, input_shape=(3,))])
    ...     copy = tf.keras.models.model_from_config(
    ...         {"class_name": "Sequential", "config": model.get_config()})
    >>> [layer.name for layer in copy.layers], copy.inputs[0].name
    (['dense'], 'dense_input_1:0')
    """
    if isinstance(config, list):
        raise TypeError(
            "`model_from_config` expects a dictionary, not a list. Received: "
            f"config={config}. Did you meant to use `Sequential.from_config(config)`?"
        )
    return deserialize(config, custom_objects)


def model_to_json(model, **kwargs) -> str:
    """``model``'s config as TF's Keras writes it (``class_name``, ``config``,
    ``keras_version``, ``backend``), in JSON."""
    return json.dumps(model_metadata_config(model), **kwargs)


def model_metadata_config(model) -> dict:
    return {**serialize(model), "keras_version": KERAS_VERSION, "backend": "tensorflow"}


KERAS_VERSION = "2.21.0"  # the tf_keras whose format scopeflow writes


def model_from_json(json_string: str, custom_objects=None):
    """The model a ``to_json`` string describes (new weights)."""
    return model_from_config(json.loads(json_string), custom_objects)


def model_from_yaml(yaml_string, custom_objects=None):
    """Not provided: TF's Keras removed YAML configs (security)."""
    raise RuntimeError(
        "Method `model_from_yaml()` has been removed due to security risk of arbitrary code "
        "execution. Please use `Model.to_json()` and `model_from_json()` instead."
    )


def clone_model(model, input_tensors=None, clone_function=None):
    """A new model of the same structure as ``model``, with new layers and new weights
    (``clone_function(layer)`` makes each layer; default: from its config), on new inputs
    or ``input_tensors``."""
    clone_function = clone_function or (lambda layer: type(layer).from_config(layer.get_config()))
    if not getattr(model, "_is_graph_network", True):  # subclassed: from its config, as TF
        return type(model).from_config(model.get_config())
    if _is_functional(model):
        return _clone_functional(model, input_tensors, clone_function)
    layers = [clone_function(layer) for layer in model.layers]
    clone = type(model)(name=backend.unique_object_name(model.name))
    if input_tensors is not None:
        clone.add(InputLayer(input_tensor=nest.flatten(input_tensors)[0]))
    elif model.inputs:
        source = keras_history(model.inputs[0])[0]
        clone.add(InputLayer.from_config({**source.get_config(), "name": None}))
    for layer in layers:
        clone.add(layer)
    return clone


def _clone_functional(model, input_tensors, clone_function):
    new_of: dict = {}
    new_inputs = []
    given = nest.flatten(input_tensors) if input_tensors is not None else None
    for i, x in enumerate(model.inputs):
        source = keras_history(x)[0]
        if given is not None:
            new = given[i]
            if keras_history(new) is None:  # a plain tensor: an InputLayer around it, as TF
                new = InputLayer(input_tensor=new, name=source.name)
                new = new._inbound_nodes[0].outputs[0]
        else:
            new = InputLayer.from_config({**source.get_config(), "name": None})
            new = new._inbound_nodes[0].outputs[0]
        new_of[id(x)] = new
        new_inputs.append(new)
    clones: dict = {}
    for node in model._nodes:
        layer = node.layer
        if isinstance(layer, InputLayer):
            continue
        if id(layer) not in clones:
            clones[id(layer)] = clone_function(layer)
        args = nest.map_structure(lambda t: new_of[id(t)], node.inputs)
        results = clones[id(layer)](args, **node.arguments)
        for old, value in zip(nest.flatten(node.outputs), nest.flatten(results), strict=True):
            new_of[id(old)] = value
    outputs = nest.map_structure(lambda y: new_of[id(y)], model._nested_outputs)
    return type(model)(inputs=new_inputs, outputs=outputs, name=model.name)


__all__ = [
    "clone_model",
    "deserialize",
    "functional_config",
    "functional_from_config",
    "layer_classes",
    "model_from_config",
    "model_from_json",
    "model_from_yaml",
    "model_to_json",
    "sequential_config",
    "sequential_from_config",
    "serialize",
]
