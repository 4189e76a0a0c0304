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

from scopeflow.keras import backend, hdf5_format
from scopeflow.keras.engine import InputLayer
from scopeflow.train import bundle
from scopeflow.train.checkpoint_state import update_checkpoint_state

_VALUE = ".ATTRIBUTES/VARIABLE_VALUE"
_GRAPH_KEY = "_CHECKPOINTABLE_OBJECT_GRAPH"


def _varint(value: int) -> bytes:
    out = bytearray()
    while True:
        byte, value = value & 0x7F, value >> 7
        out.append(byte | (0x80 if value else 0))
        if not value:
            return bytes(out)


def _field(number: int, payload) -> bytes:
    """One protobuf field: an int (varint) or bytes/str (length-delimited)."""
    if isinstance(payload, int):
        return _varint(number << 3) + _varint(payload)
    data = payload.encode() if isinstance(payload, str) else payload
    return _varint(number << 3 | 2) + _varint(len(data)) + data


class _Node:
    """One object of the graph: named children, a saved value, slot variables."""

    def __init__(self, variable=None):
        self.variable = variable
        self.children: list[tuple[str, _Node]] = []
        self.slots: list[tuple[_Node, str, _Node]] = []
        self.key = None

    def encode(self, ids: dict) -> bytes:
        """``TrackableObjectGraph.TrackableObject``'s bytes."""
        out = b""
        for name, child in self.children:
            ref = (_field(1, ids[id(child)]) if ids[id(child)] else b"") + _field(2, name)
            out += _field(1, ref)
        if self.variable is not None:
            attribute = _field(1, "VARIABLE_VALUE") + _field(2, self.variable.op.name)
            out += _field(2, attribute + _field(3, self.key))
        for original, slot_name, slot in self.slots:
            ref = _field(1, ids[id(original)]) + _field(2, slot_name) + _field(3, ids[id(slot)])
            out += _field(3, ref)
        return out + _field(5, _field(1, 1) if self.has_values() else b"")

    def has_values(self, seen: set | None = None) -> bool:
        seen = set() if seen is None else seen
        if id(self) in seen:
            return False
        seen.add(id(self))
        if self.variable is not None or self.slots:
            return True
        return any(child.has_values(seen) for _, child in self.children)


def _layer_node(layer) -> _Node:
    node = _Node()
    if hasattr(layer, "_stack") or hasattr(layer, "_nodes"):
        _add_layers(node, layer)
    elif getattr(layer, "forward_layer", None) is not None:  # Bidirectional
        node.children.append(("forward_layer", _layer_node(layer.forward_layer)))
        node.children.append(("backward_layer", _layer_node(layer.backward_layer)))
    elif getattr(layer, "layer", None) is not None:  # TimeDistributed: the layer it wraps
        node.children.append(("layer", _layer_node(layer.layer)))
    elif getattr(layer, "cell", None) is not None:  # a recurrent layer: its cell's weights
        node.children.append(("cell", _layer_node(layer.cell)))
        node.children.append(("state_spec", _Node()))  # Keras tracks it as an empty object
    else:
        for name in getattr(layer, "_tracked_lists", ()):
            node.children.append((name, _Node()))
        for variable in layer.weights:
            node.children.append((variable.op.name.rsplit("/", 1)[-1], _Node(variable)))
    return node


def _add_layers(node: _Node, model) -> None:
    layers = [layer for layer in model.layers if not isinstance(layer, InputLayer)]
    if not hasattr(model, "_stack"):
        layers = list(model.layers)
    with_weights = 0
    for index, layer in enumerate(layers):
        child = _layer_node(layer)
        if layer.weights:
            node.children.append((f"layer_with_weights-{with_weights}", child))
            with_weights += 1
        node.children.append((f"layer-{index}", child))


def _object_graph(model) -> tuple[_Node, list[_Node]]:
    """The root of ``model``'s object graph and all its nodes, breadth first, with each
    saved node's checkpoint key."""
    root = _Node()
    _add_layers(root, model)
    optimizer = model.optimizer
    slots = []
    if optimizer is not None and hasattr(optimizer, "_slots") and optimizer.weights:
        opt = _Node()
        slot_ids = {id(v) for v in optimizer._slots.values()}
        for variable in optimizer.weights:
            if id(variable) not in slot_ids:
                opt.children.append((variable.op.name.rsplit("/", 1)[-1], _Node(variable)))
        root.children.append(("optimizer", opt))
        slots = [(opt, name, var_name, slot) for (name, var_name), slot in optimizer._slots.items()]
    root.children.append(("root", root))
    nodes, paths, queue = [], {}, [(root, "")]
    while queue:
        node, path = queue.pop(0)
        if any(n is node for n in nodes):
            continue
        nodes.append(node)
        if node.variable is not None:
            node.key = f"{path}/{_VALUE}"
            paths[node.variable.op.name] = (node, path)
        for name, child in node.children:
            queue.append((child, f"{path}/{name}".lstrip("/")))
    for opt, slot_name, var_name, slot in slots:
        original, path = paths[var_name]
        slot_node = _Node(slot)
        slot_node.key = f"{path}/.OPTIMIZER_SLOT/optimizer/{slot_name}/{_VALUE}"
        opt.slots.append((original, slot_name, slot_node))
        nodes.append(slot_node)
    return root, nodes


def _check_format(filepath, save_format) -> str:
    filepath = os.fspath(filepath)
    if save_format not in (None, "tf"):
        raise ValueError(f"Unknown format. Received: `save_format`={save_format}")
    return filepath


def save_weights(model, filepath, save_format=None) -> None:
    """Writes ``model``'s weights (and its optimizer's) to the checkpoint ``filepath``."""
    filepath = _check_format(filepath, save_format)
    _, nodes = _object_graph(model)
    ids = {id(node): i for i, node in enumerate(nodes)}
    saved = [node for node in nodes if node.variable is not None]
    values = backend.batch_get_value([node.variable for node in saved])
    tensors = {node.key: value for node, value in zip(saved, values, strict=True)}
    graph = b"".join(_field(1, node.encode(ids)) for node in nodes)
    tensors[_GRAPH_KEY] = np.array(graph, dtype=object)
    directory = os.path.dirname(os.path.abspath(filepath))
    os.makedirs(directory, exist_ok=True)
    bundle.write_bundle(filepath, tensors)
    update_checkpoint_state(
        directory, filepath, all_model_checkpoint_paths=[filepath], save_relative_paths=True
    )


def load_weights(model, filepath, by_name=False) -> None:
    """Restores the weights saved at ``filepath`` by their object-graph paths; the
    optimizer's values wait for its variables (``restore_optimizer``)."""
    if by_name:
        raise NotImplementedError(
            "Weights may only be loaded based on topology into Models when loading "
            "TensorFlow-formatted weights (got by_name=True to load_weights)."
        )
    reader = bundle.BundleReader(_check_format(filepath, None))
    pairs = _matching(model, reader.entries, reader.read)
    if model.weights and not {id(w) for w in model.weights} & {id(v) for v, _ in pairs}:
        raise ValueError(
            f"None of the model's weights were found in checkpoint '{filepath}': it holds "
            f"{sorted(k for k in reader.entries if k != _GRAPH_KEY)[:5]}..."
        )
    model._pending_optimizer_values = {
        key: reader.read(key)
        for key in reader.entries
        if key.startswith("optimizer/") or ".OPTIMIZER_SLOT/" in key
    }
    backend.batch_set_value(pairs)


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
