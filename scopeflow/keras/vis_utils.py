"""``tf.keras.utils.model_to_dot`` and ``plot_model``: a Keras model's layers as a Graphviz
graph (one record node per layer, edges from each layer to the layers that take its
output), as TF's Keras draws it. Both need ``pydot`` (and Graphviz's ``dot`` program to
render images), imported when called; without them they raise Keras's ``ImportError``.
"""

from __future__ import annotations

import importlib
import os

from scopeflow.framework import nest
from scopeflow.keras.engine import InputLayer, keras_history

_MISSING = (
    "You must install pydot (`pip install pydot`) and install graphviz (see instructions at "
    "https://graphviz.gitlab.io/download/) for plot_model to work."
)


def _pydot():
    """The ``pydot`` module when it and Graphviz work, else ``None`` (Keras's check)."""
    try:
        pydot = importlib.import_module("pydot")
    except ImportError:
        return None
    try:
        pydot.Dot.create(pydot.Dot())
    except (OSError, getattr(pydot, "InvocationException", OSError)):
        return None
    return pydot


def _model_layers(model) -> list:
    """The layers a drawing shows: a ``Sequential`` model's input layer first, as TF's."""
    layers = list(model.layers)
    inputs = getattr(model, "inputs", None) or []
    if inputs and not any(isinstance(layer, InputLayer) for layer in layers):
        history = keras_history(inputs[0])
        if history is not None:
            layers.insert(0, history[0])
    return layers


def _format_shape(shape) -> str:
    return str(shape).replace(str(None), "None")


def _label(layer, show_shapes, show_dtype, show_layer_names, activations, trainable) -> str:
    label = type(layer).__name__
    if activations and hasattr(layer, "activation"):
        activation = layer.activation  # scopeflow keeps None where TF keeps ``linear``
        name = "linear" if activation is None else None
        name = name or getattr(activation, "name", None) or getattr(activation, "__name__", None)
        label = "{" + label + "|" + (name or str(activation)) + "}"
    if show_layer_names:
        label = f"{layer.name}|{label}"
    if show_dtype:
        dtype = getattr(layer, "dtype", None)
        label = f"{label}|{'?' if dtype is None else getattr(dtype, 'name', dtype)}"
    if show_shapes:
        try:
            outputs = _format_shape(layer.output_shape)
        except (AttributeError, RuntimeError, ValueError):
            outputs = "?"
        # TF's input layer reports its own output as its input shape
        inputs = outputs if isinstance(layer, InputLayer) else _format_shape(layer.input_shape)
        label = "{" + label + "}|{input:|output:}|{{" + inputs + "}|{" + outputs + "}}"
    if trainable:
        flag = isinstance(layer, InputLayer) or layer.trainable
        label = f"{'T' if flag else 'N'}|{label}"
    return label


def graph_of(
    model,
    show_shapes=False,
    show_dtype=False,
    show_layer_names=True,
    show_layer_activations=False,
    show_trainable=False,
) -> tuple[list, list]:
    """``(nodes, edges)`` of the drawing: ``(node id, label)`` per layer and ``(from id,
    to id)`` per connection, in TF's order (ids are the layers' ``id``)."""
    layers = _model_layers(model)
    nodes = [
        (
            str(id(layer)),
            _label(
                layer,
                show_shapes,
                show_dtype,
                show_layer_names,
                show_layer_activations,
                show_trainable,
            ),
        )
        for layer in layers
    ]
    shown = {id(layer) for layer in layers}
    nodes_of_model = {id(node) for node in model._network_nodes()}
    edges = []
    for layer in layers:
        for node in layer._inbound_nodes:
            if nodes_of_model and id(node) not in nodes_of_model:
                continue
            for x in nest.flatten(node.inputs):
                history = keras_history(x)
                if history is not None and id(history[0]) in shown:
                    edges.append((str(id(history[0])), str(id(layer))))
    return nodes, edges


def model_to_dot(
    model,
    show_shapes=False,
    show_dtype=False,
    show_layer_names=True,
    rankdir="TB",
    expand_nested=False,
    dpi=96,
    subgraph=False,
    layer_range=None,
    show_layer_activations=False,
    show_trainable=False,
):
    """The model as a ``pydot.Dot`` graph (record nodes; ``rankdir`` ``"TB"`` or ``"LR"``).

    Raises:
        ImportError: ``pydot`` or Graphviz is missing.
    """
    if expand_nested or subgraph or layer_range is not None:
        raise NotImplementedError(
            "model_to_dot(expand_nested=..., subgraph=..., layer_range=...) is not supported; "
            "draw the nested model on its own."
        )
    pydot = _pydot()
    if pydot is None:
        raise ImportError(_MISSING)
    dot = pydot.Dot()
    dot.set("rankdir", rankdir)
    dot.set("concentrate", True)
    dot.set("dpi", dpi)
    dot.set_node_defaults(shape="record")
    nodes, edges = graph_of(
        model, show_shapes, show_dtype, show_layer_names, show_layer_activations, show_trainable
    )
    for name, label in nodes:
        dot.add_node(pydot.Node(name, label=label))
    for source, target in edges:
        dot.add_edge(pydot.Edge(source, target))
    return dot


def plot_model(
    model,
    to_file="model.png",
    show_shapes=False,
    show_dtype=False,
    show_layer_names=True,
    rankdir="TB",
    expand_nested=False,
    dpi=96,
    layer_range=None,
    show_layer_activations=False,
    show_trainable=False,
):
    """Writes ``model_to_dot``'s graph to ``to_file`` in the format its extension names
    (``png`` without one); returns an IPython image when IPython is installed."""
    dot = model_to_dot(
        model,
        show_shapes=show_shapes,
        show_dtype=show_dtype,
        show_layer_names=show_layer_names,
        rankdir=rankdir,
        expand_nested=expand_nested,
        dpi=dpi,
        layer_range=layer_range,
        show_layer_activations=show_layer_activations,
        show_trainable=show_trainable,
    )
    to_file = os.fspath(to_file)
    extension = os.path.splitext(to_file)[1][1:] or "png"
    dot.write(to_file, format=extension)
    if extension != "pdf":
        try:
            display = importlib.import_module("IPython.display")
        except ImportError:
            return None
        return display.Image(filename=to_file)
    return None


__all__ = ["model_to_dot", "plot_model"]
