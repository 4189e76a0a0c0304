"""``Model.summary()``: the table TF1.15's Keras prints (``print_summary``), column for column."""

from __future__ import annotations

import numpy as np

from scopeflow.keras import engine


def _count(weights) -> tuple[int, int]:
    """(numbers, bytes) of distinct ``weights``."""
    seen, numbers, size = set(), 0, 0
    for w in weights:
        if id(w) in seen:
            continue
        seen.add(id(w))
        count = int(np.prod(w.shape.as_list(), dtype=np.int64))
        numbers += count
        size += count * w.dtype.base_dtype.size
    return numbers, size


def _readable(size: float) -> str:
    for unit in ("Byte", "KB", "MB", "GB", "TB", "PB"):
        if size / 1024 < 1:
            return f"{size:.2f} {unit}"
        size /= 1024
    return f"{size:.2f} PB"


def _print_row(fields, positions, print_fn) -> None:
    left = [str(x) for x in fields]
    while any(left):
        line = ""
        for col in range(len(left)):
            start = positions[col - 1] if col > 0 else 0
            end = positions[col]
            space = 2 if col != len(positions) - 1 else 0
            cutoff = end - start - space
            if col != len(positions) - 1:
                cutoff -= 1
            fit = left[col][:cutoff]
            candidates = [fit.find(x) + len(x) for x in ("),", "},", "],", "',") if x in fit]
            if candidates:
                cutoff = min(candidates)
                fit = fit[:cutoff]
            if col == 0:
                line += " "
            line += fit
            line += " " * space if space else ""
            left[col] = left[col][cutoff:]
            line += " " * (positions[col] - len(line))
        print_fn(line)


def _shape_text(model, layer) -> str:
    if not model._is_graph_network:  # a subclassed model's: its calls on Keras inputs only
        shapes = {engine._shapes(n.outputs) for n in layer._inbound_nodes if _from_inputs(n)}
        if len(shapes) != 1:
            return "multiple"
        shape = shapes.pop()
        return str(
            list(shape) if isinstance(shape, tuple) and engine._is_shape_list(shape) else shape
        )
    try:
        return str(layer.output_shape)
    except AttributeError:
        return "multiple"


def _from_inputs(node) -> bool:
    """Whether a call's inputs come from ``tf.keras.Input``s through Keras layers (TF's Keras
    records only those calls; a subclassed model's calls on other tensors are not)."""
    if not node.inbound:
        return False
    for inbound in node.inbound:
        if inbound is None:
            return False
        source, index, _ = inbound
        if not isinstance(source, engine.InputLayer) and not _from_inputs(
            source._inbound_nodes[index]
        ):
            return False
    return True


def print_summary(model, line_length=None, positions=None, print_fn=None) -> None:
    """Prints ``model``'s layers, output shapes, parameter counts (and, for a model that is
    not a chain, each layer's inputs) as TF1.15's Keras does."""
    print_fn = print_fn or print
    sequential_like = model._is_sequential_like()
    if sequential_like:
        line_length = line_length or 65
        positions = positions or [0.45, 0.85, 1.0]
        header = ["Layer (type)", "Output Shape", "Param #"]
    else:
        line_length = line_length or 98
        positions = positions or [0.3, 0.6, 0.70, 1.0]
        header = ["Layer (type)", "Output Shape", "Param #", "Connected to"]
    if positions[-1] <= 1:
        positions = [int(line_length * p) for p in positions]
    relevant = model._network_nodes()
    print_fn(f'Model: "{model.name}"')
    print_fn("_" * line_length)
    _print_row(header, positions, print_fn)
    print_fn("=" * line_length)
    for layer in model.layers:
        kind = type(layer).__name__
        if kind == "Model" and layer._is_graph_network:  # TF's class of Model(inputs, outputs)
            kind = "Functional"
        fields = [f"{layer.name} ({kind})", _shape_text(model, layer)]
        fields.append(layer.count_params() if layer.built else "0 (unused)")
        if not sequential_like:
            connections = []
            for node in layer._inbound_nodes:
                if node not in relevant:
                    continue
                for inbound in node.inbound:
                    if inbound is not None:
                        source, node_index, tensor_index = inbound
                        connections.append(f"{source.name}[{node_index}][{tensor_index}]")
            fields.append(connections)
        _print_row(fields, positions, print_fn)
        print_fn(" " * line_length)
    print_fn("=" * line_length)
    trainable, trainable_size = _count(model.trainable_weights)
    frozen, frozen_size = _count(model.non_trainable_weights)
    print_fn(f"Total params: {trainable + frozen} ({_readable(trainable_size + frozen_size)})")
    print_fn(f"Trainable params: {trainable} ({_readable(trainable_size)})")
    print_fn(f"Non-trainable params: {frozen} ({_readable(frozen_size)})")
    print_fn("_" * line_length)
