"""Object graphs of trackable objects, as TensorFlow's object-based checkpoints store them.

A checkpoint written by ``tf.train.Checkpoint`` (or Keras's ``save_weights``) keys each
variable by the path of attribute names that leads to it from the root object
(``model/layer_with_weights-0/kernel/.ATTRIBUTES/VARIABLE_VALUE``), an optimizer's slots under
the variable they belong to (``.../kernel/.OPTIMIZER_SLOT/optimizer/m/...``), and stores the
graph itself as the ``TrackableObjectGraph`` message in the string tensor
``_CHECKPOINTABLE_OBJECT_GRAPH``. This module builds that graph from Python objects
(``build_graph``), encodes it, parses the one in a file (``parse_object_graph``) and pairs its
nodes with today's objects by their paths (``match``), so restoring follows the objects, not
the variable names.

What is trackable: variables; objects with a ``_trackable_children()`` method (``Checkpoint``,
``tf.Module``); ``tf.train`` optimizers (their ``beta1_power``-like variables and slots); lists,
tuples and dicts that hold trackables; and whatever a registered adapter describes (Keras's
layers, models and optimizers, registered by ``keras/object_checkpoint.py``).
"""

from __future__ import annotations

from collections.abc import Callable

from scopeflow.framework.defaults import get_default_graph
from scopeflow.train.optimizer import Optimizer
from scopeflow.variables.variables import Variable

VALUE_SUFFIX = ".ATTRIBUTES/VARIABLE_VALUE"
GRAPH_KEY = "_CHECKPOINTABLE_OBJECT_GRAPH"

# (predicate, describe): describe(obj) -> (children [(name, obj)], slot names, slots
# [(slot name, original variable's op name, slot variable)]).
_ADAPTERS: list[tuple[Callable, Callable]] = []


def register_adapter(predicate: Callable, describe: Callable) -> None:
    """Teaches ``build_graph`` a family of objects (``describe`` as in ``_ADAPTERS``)."""
    _ADAPTERS.append((predicate, describe))


class Empty:
    """A trackable object with nothing in it (TF tracks some such objects, e.g. Keras's
    ``state_spec``)."""

    def _trackable_children(self) -> list:
        return []


# -- protobuf wire format ------------------------------------------------------------------


def _varint(value: int) -> bytes:
    out = bytearray()
    while True:
        byte, value = value & 0x7F, value >> 7
        out.append(byte | (0x80 if value else 0))
        if not value:
            return bytes(out)


def field(number: int, payload) -> bytes:
    """One protobuf field: an int (varint) or bytes/str (length-delimited)."""
    if isinstance(payload, int):
        return _varint(number << 3) + _varint(payload)
    data = payload.encode() if isinstance(payload, str) else payload
    return _varint(number << 3 | 2) + _varint(len(data)) + data


def _fields(data: bytes):
    """``(number, value)`` of each field of a message: ints for varints, bytes otherwise."""
    pos = 0

    def varint():
        nonlocal pos
        shift = result = 0
        while True:
            if pos >= len(data):
                raise ValueError("truncated TrackableObjectGraph")
            byte = data[pos]
            pos += 1
            result |= (byte & 0x7F) << shift
            shift += 7
            if not byte & 0x80:
                return result

    while pos < len(data):
        key = varint()
        wire = key & 7
        if wire == 0:
            yield key >> 3, varint()
        elif wire == 2:
            size = varint()
            yield key >> 3, data[pos : pos + size]
            pos += size
        elif wire in (1, 5):
            pos += 8 if wire == 1 else 4
        else:
            raise ValueError(f"TrackableObjectGraph: unsupported wire type {wire}")


# -- the graph of today's objects ------------------------------------------------------------


class Node:
    """One object of the graph: named children, a saved value, slot variables."""

    def __init__(self, obj=None, variable=None):
        self.obj = obj
        self.variable = variable
        self.children: list[tuple[str, Node]] = []
        self.slot_names: list[str] = []
        self.pending_slots: list[tuple[str, str, Variable]] = []
        self.slots: list[tuple[Node, str, Node]] = []
        self.key: str | None = None
        self.path = ""

    def child(self, name: str):
        return next((c for n, c in self.children if n == name), None)

    def encode(self, ids: dict) -> bytes:
        """``TrackableObjectGraph.TrackableObject``'s bytes."""
        out = b""
        for name, child in self.children:
            ref = (field(1, ids[id(child)]) if ids[id(child)] else b"") + field(2, name)
            out += field(1, ref)
        if self.variable is not None:
            attribute = field(1, "VARIABLE_VALUE") + field(2, self.variable.op.name)
            out += field(2, attribute + field(3, self.key))
        for original, slot_name, slot in self.slots:
            ref = field(1, ids[id(original)]) + field(2, slot_name) + field(3, ids[id(slot)])
            out += field(3, ref)
        return out + field(5, field(1, 1) if self.has_values() else b"")

    def has_values(self, seen: set | None = None) -> bool:
        seen = set() if seen is None else seen
        if id(self) in seen:
            return False
        seen.add(id(self))
        if self.variable is not None or self.slots:
            return True
        return any(child.has_values(seen) for _, child in self.children)


def is_trackable(obj) -> bool:
    """Whether ``build_graph`` can put ``obj`` in an object graph."""
    if isinstance(obj, (Variable, Optimizer)) or hasattr(obj, "_trackable_children"):
        return True
    if any(predicate(obj) for predicate, _ in _ADAPTERS):
        return True
    if isinstance(obj, dict):
        return any(is_trackable(v) for v in obj.values())
    if isinstance(obj, (list, tuple)):
        return any(is_trackable(v) for v in obj)
    return False


def _describe(obj) -> tuple[list, list, list]:
    for predicate, describe in _ADAPTERS:
        if predicate(obj):
            return describe(obj)
    if hasattr(obj, "_trackable_children"):
        return [(k, v) for k, v in obj._trackable_children() if is_trackable(v)], [], []
    if isinstance(obj, Optimizer):
        return _train_optimizer(obj)
    if isinstance(obj, dict):
        return [(str(k), v) for k, v in obj.items() if is_trackable(v)], [], []
    return [(str(i), v) for i, v in enumerate(obj) if is_trackable(v)], [], []


def _train_optimizer(optimizer: Optimizer) -> tuple[list, list, list]:
    """A ``tf.train`` optimizer's variables in the default graph (``beta1_power``...) and the
    slots it made (``m`` of ``dense/kernel``), as TF tracks them."""
    graph = get_default_graph()
    children = sorted((n, v) for (n, g), v in optimizer._non_slot_dict.items() if g is graph)
    names = optimizer.get_slot_names()
    slots = [
        (name, op_name, slot)
        for name in names
        for (_, op_name), slot in optimizer._slots[name].items()
    ]
    return children, names, slots


def build_graph(root) -> tuple[Node, list[Node]]:
    """The node of ``root`` and all the graph's nodes in TF's order (breadth first from the
    root, then the slot variables), each saved node holding its checkpoint key."""
    memo: dict[int, Node] = {}

    def node_of(obj) -> Node:
        if id(obj) in memo:
            return memo[id(obj)]
        if isinstance(obj, Variable):
            memo[id(obj)] = Node(obj, variable=obj)
            return memo[id(obj)]
        node = memo[id(obj)] = Node(obj)
        children, node.slot_names, node.pending_slots = _describe(obj)
        node.children = [(name, node_of(child)) for name, child in children]
        return node

    top = node_of(root)
    nodes, queue, seen = [], [(top, "")], set()
    while queue:
        node, path = queue.pop(0)
        if id(node) in seen:
            continue
        seen.add(id(node))
        nodes.append(node)
        node.path = path
        if node.variable is not None:
            node.key = f"{path}/{VALUE_SUFFIX}"
        queue.extend((child, f"{path}/{name}".lstrip("/")) for name, child in node.children)
    by_var = {n.variable.op.name: n for n in nodes if n.variable is not None}
    order = {id(n): i for i, n in enumerate(nodes)}
    for optimizer in [n for n in nodes if n.pending_slots]:
        pending = [s for s in optimizer.pending_slots if s[1] in by_var]
        names = optimizer.slot_names
        pending.sort(key=lambda s: (names.index(s[0]), order[id(by_var[s[1]])]))
        for slot_name, var_name, slot in pending:
            original = by_var[var_name]
            slot_node = Node(slot, variable=slot)
            slot_node.key = (
                f"{original.path}/.OPTIMIZER_SLOT/{optimizer.path}/{slot_name}/{VALUE_SUFFIX}"
            )
            optimizer.slots.append((original, slot_name, slot_node))
            nodes.append(slot_node)
    return top, nodes


def graph_bytes(nodes: list[Node]) -> bytes:
    """The serialized ``TrackableObjectGraph`` of ``nodes`` (in ``build_graph``'s order)."""
    ids = {id(node): i for i, node in enumerate(nodes)}
    return b"".join(field(1, node.encode(ids)) for node in nodes)


# -- the graph stored in a checkpoint ----------------------------------------------------------


class SavedNode:
    """One ``TrackableObject`` of a checkpoint's object graph."""

    def __init__(self):
        self.children: list[tuple[str, int]] = []
        self.attributes: list[tuple[str, str, str]] = []  # (name, full_name, checkpoint_key)
        self.slots: list[tuple[int, str, int]] = []  # (original id, slot name, slot id)

    def __repr__(self) -> str:
        parts = [f"children={self.children}"] if self.children else []
        parts += [f"attributes={self.attributes}"] if self.attributes else []
        parts += [f"slot_variables={self.slots}"] if self.slots else []
        return f"TrackableObject({', '.join(parts)})"


def parse_object_graph(data: bytes) -> list[SavedNode]:
    """The nodes of a serialized ``TrackableObjectGraph``."""
    nodes = []
    for number, body in _fields(data):
        if number != 1:
            continue
        node = SavedNode()
        for inner, value in _fields(body):
            parts = dict(_fields(value)) if isinstance(value, bytes) else {}
            if inner == 1:
                node.children.append((parts.get(2, b"").decode(), parts.get(1, 0)))
            elif inner == 2:
                node.attributes.append(
                    tuple(parts.get(i, b"").decode() for i in (1, 2, 3))  # type: ignore[arg-type]
                )
            elif inner == 3:
                node.slots.append((parts.get(1, 0), parts.get(2, b"").decode(), parts.get(3, 0)))
        nodes.append(node)
    return nodes


def match(saved: list[SavedNode], root: Node) -> dict[int, Node]:
    """``{saved node id: today's node}`` for each saved object today's graph also holds,
    found by following the same child names from the roots, then the slots of matched
    optimizers."""
    pairs = {0: root}
    queue = [0]
    while queue:
        saved_id = queue.pop(0)
        node = pairs[saved_id]
        for name, child_id in saved[saved_id].children:
            child = node.child(name)
            if child is not None and child_id not in pairs and child_id < len(saved):
                pairs[child_id] = child
                queue.append(child_id)
    for saved_id, node in list(pairs.items()):
        for original_id, slot_name, slot_id in saved[saved_id].slots:
            original = pairs.get(original_id)
            if original is None:
                continue
            for today_original, name, slot_node in node.slots:
                if today_original is original and name == slot_name:
                    pairs[slot_id] = slot_node
    return pairs
