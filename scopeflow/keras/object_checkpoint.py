"""``Model.save_weights``/``load_weights`` in TensorFlow's object-based checkpoint format,
which TF1.15's Keras writes for a path not ending in ``.h5``.

Each weight is stored under its path in the model's object graph:
``layer_with_weights-0/kernel/.ATTRIBUTES/VARIABLE_VALUE`` (the first layer that has weights,
its ``kernel``), the optimizer's under ``optimizer/iter/...`` and its slots under the weight
they belong to (``layer_with_weights-0/kernel/.OPTIMIZER_SLOT/optimizer/m/...``); the object
graph itself (a ``TrackableObjectGraph`` message) is the string tensor
``_CHECKPOINTABLE_OBJECT_GRAPH``, so TensorFlow's ``load_weights`` restores our checkpoints.
Loading matches the same paths, so checkpoints from TensorFlow's Keras load here; optimizer
values wait until the optimizer has made its variables (the first training step).
"""

from __future__ import annotations

import os
import warnings

import numpy as np

from scopeflow.keras import backend, hdf5_format, optimizers
from scopeflow.keras.engine import InputLayer, Layer
from scopeflow.train import bundle, checkpoint_object, trackable
from scopeflow.train.checkpoint_state import update_checkpoint_state


def _layer_children(layer) -> list:
    """What TF's Keras tracks of ``layer``: its layers (a model), wrapped layers or cell,
    or its weights by their short names."""
    if hasattr(layer, "_stack") or hasattr(layer, "_nodes"):
        return _model_children(layer, with_optimizer=False)
    if getattr(layer, "forward_layer", None) is not None:  # Bidirectional
        return [("forward_layer", layer.forward_layer), ("backward_layer", layer.backward_layer)]
    if getattr(layer, "layer", None) is not None:  # TimeDistributed: the layer it wraps
        return [("layer", layer.layer)]
    if getattr(layer, "cell", None) is not None:  # a recurrent layer: its cell's weights
        return [("cell", layer.cell), ("state_spec", trackable.Empty())]
    children = [(name, trackable.Empty()) for name in getattr(layer, "_tracked_lists", ())]
    held = layer._tracked_attributes()
    if held:  # a layer holding layers: its own weights, then its attributes, as TF's
        return children + _own_weights(layer) + held
    return children + [(v.op.name.rsplit("/", 1)[-1], v) for v in layer.weights]


def _own_weights(layer) -> list:
    own = layer._trainable_weights + layer._non_trainable_weights
    return [(v.op.name.rsplit("/", 1)[-1], v) for v in own]


def _model_children(model, with_optimizer: bool = True) -> list:
    layers = [layer for layer in model.layers if not isinstance(layer, InputLayer)]
    if not hasattr(model, "_stack"):
        layers = list(model.layers)
    children, with_weights = [], 0
    if not model._is_graph_network and not hasattr(model, "_stack"):  # subclassed: by attribute
        children, layers = _own_weights(model) + model._tracked_attributes(), []
    for index, layer in enumerate(layers):
        if layer.weights:
            children.append((f"layer_with_weights-{with_weights}", layer))
            with_weights += 1
        children.append((f"layer-{index}", layer))
    optimizer = getattr(model, "optimizer", None)
    if with_optimizer and _is_keras_optimizer(optimizer) and optimizer._weights:
        children.append(("optimizer", optimizer))
    return children


def _is_keras_optimizer(obj) -> bool:
    return isinstance(obj, optimizers.Optimizer) and hasattr(obj, "_slots")


def _optimizer_description(optimizer) -> tuple:
    slot_ids = {id(v) for v in optimizer._slots.values()}
    children = [
        (v.op.name.rsplit("/", 1)[-1], v) for v in optimizer._weights if id(v) not in slot_ids
    ]
    slots = [(name, var_name, slot) for (name, var_name), slot in optimizer._slots.items()]
    return children, optimizer.get_slot_names(), slots


def _describe_layer(layer) -> tuple:
    if hasattr(layer, "_stack") or hasattr(layer, "_nodes"):
        return _model_children(layer), [], []
    return _layer_children(layer), [], []


trackable.register_adapter(lambda obj: isinstance(obj, Layer), _describe_layer)
trackable.register_adapter(_is_keras_optimizer, _optimizer_description)


class _WeightsRoot:
    """The root ``save_weights`` saves: the model's layers and optimizer, and the model
    itself again as ``root``."""

    def __init__(self, model):
        self.model = model

    def _trackable_children(self) -> list:
        return [*_model_children(self.model), ("root", self)]


def _object_graph(model) -> tuple:
    """The root of ``model``'s object graph and all its nodes, breadth first, with each
    saved node's checkpoint key."""
    return trackable.build_graph(_WeightsRoot(model))


def _check_format(filepath, save_format) -> str:
    filepath = os.fspath(filepath)
    if save_format not in (None, "tf"):
        raise ValueError(f"Unknown format. Received: `save_format`={save_format}")
    return filepath


def save_weights(model, filepath, save_format=None) -> None:
    """Writes ``model``'s weights (and its optimizer's) to the checkpoint ``filepath``."""
    filepath = _check_format(filepath, save_format)
    _, nodes = _object_graph(model)
    saved = [node for node in nodes if node.variable is not None]
    values = backend.batch_get_value([node.variable for node in saved])
    tensors = {node.key: value for node, value in zip(saved, values, strict=True)}
    tensors[trackable.GRAPH_KEY] = np.array(trackable.graph_bytes(nodes), dtype=object)
    directory = os.path.dirname(os.path.abspath(filepath))
    os.makedirs(directory, exist_ok=True)
    bundle.write_bundle(filepath, tensors)
    update_checkpoint_state(
        directory, filepath, all_model_checkpoint_paths=[filepath], save_relative_paths=True
    )


def load_weights(model, filepath, by_name=False):
    """Restores the weights saved at ``filepath`` by their object-graph paths; the
    optimizer's values wait for its variables (``restore_optimizer``). Returns the load
    status (``expect_partial``, ``assert_consumed``...), as TF's Keras."""
    if by_name:
        raise NotImplementedError(
            "Weights may only be loaded based on topology into Models when loading "
            "TensorFlow-formatted weights (got by_name=True to load_weights)."
        )
    reader = bundle.BundleReader(_check_format(filepath, None))
    if not model._is_graph_network and not model.built:  # restored once it makes its weights
        model.__dict__["_pending_checkpoint"] = os.fspath(filepath)
    pairs = _matching(model, reader.entries, reader.read)
    if model.weights and not {id(w) for w in model.weights} & {id(v) for v, _ in pairs}:
        raise ValueError(
            f"None of the model's weights were found in checkpoint '{filepath}': it holds "
            f"{sorted(k for k in reader.entries if k != trackable.GRAPH_KEY)[:5]}..."
        )
    model._pending_optimizer_values = {
        key: reader.read(key)
        for key in reader.entries
        if key.startswith("optimizer/") or ".OPTIMIZER_SLOT/" in key
    }
    backend.batch_set_value(pairs)
    if trackable.GRAPH_KEY in reader.entries:  # what TF's returns: assert_consumed()...
        return checkpoint_object.CheckpointLoadStatus(_WeightsRoot(model), reader)
    return None


def restore_pending(model) -> None:
    """Loads the weights a ``load_weights`` before the subclassed ``model`` was built left
    waiting (TF's deferred restoration), now that it has made them."""
    filepath = model.__dict__.pop("_pending_checkpoint", None)
    if filepath is not None:
        reader = bundle.BundleReader(filepath)
        backend.batch_set_value(_matching(model, reader.entries, reader.read))


def restore_optimizer(model) -> None:
    """Loads the optimizer values a ``load_weights`` left waiting, once its variables exist."""
    pending = getattr(model, "_pending_optimizer_values", None)
    if isinstance(pending, list):  # an HDF5 file's: step count and slots, in order
        weights = hdf5_format.optimizer_weights(model.optimizer)
        shapes = [tuple(w.shape.as_list()) for w in weights]
        if shapes != [np.shape(value) for value in pending]:
            warnings.warn(
                "Error in loading the saved optimizer state. As a result, your model is "
                "starting with a freshly initialized optimizer.",
                stacklevel=2,
            )
        else:
            backend.batch_set_value(list(zip(weights, pending, strict=True)))
        model._pending_optimizer_values = None
    elif pending:
        pairs = _matching(model, pending, pending.__getitem__)
        backend.batch_set_value(pairs)
        model._pending_optimizer_values = None


def _matching(model, keys, read) -> list:
    """``(variable, value)`` for each weight of ``model`` whose key is among ``keys``."""
    _, nodes = _object_graph(model)
    pairs = []
    for node in nodes:
        if node.variable is None or node.key not in keys:
            continue
        value = np.asarray(read(node.key))
        want = tuple(node.variable.shape.as_list())
        if value.shape != want:
            raise ValueError(
                f"Received incompatible tensor with shape {value.shape} when attempting to "
                f"restore variable with shape {want} and name {node.variable.op.name}."
            )
        pairs.append((node.variable, value))
    return pairs
