"""``tf.import_graph_def``: TensorFlow's ``GraphDef`` rebuilt as scopeflow ops that run.

Everything is checked before the first op is added - op types (``NotFoundError`` naming the
type and the node), duplicate names, inputs naming no node, cycles, attrs of the wrong type
(``ValueError`` naming the node) - and the ops are then built in dependency order through the
op registry, each with its shape inference. Any failure while building undoes the whole
import, so the destination graph is left as it was.
"""

from __future__ import annotations

import heapq
import re

from scopeflow.framework import errors, undo
from scopeflow.framework.defaults import get_default_graph
from scopeflow.framework.graph import Graph
from scopeflow.framework.registry import registered_op_types
from scopeflow.framework.tensor import Tensor
from scopeflow.framework.traceback_filter import api_boundary
from scopeflow.graph_io import loops, op_defs
from scopeflow.graph_io.protos import messages

# Attrs a GraphDef may carry that are hints for TensorFlow's runtime, not op attrs (an op's
# ``_class`` becomes its colocation groups).
_DROPPED_ATTRS = {"_output_shapes", "_class", "_has_manual_control_dependencies"}
_INPUT = re.compile(r"^(\^)?([^:^]+)(?::(\d+))?$")


def as_graph_def_message(graph_def):
    """``graph_def`` as scopeflow's ``GraphDef`` class (TensorFlow's own is re-parsed)."""
    cls = messages().GraphDef
    if isinstance(graph_def, cls):
        return graph_def
    if hasattr(graph_def, "SerializeToString") and hasattr(graph_def, "node"):
        return cls.FromString(graph_def.SerializeToString())
    raise TypeError(f"graph_def must be a GraphDef proto, got {type(graph_def).__name__}")


def _parse_input(node_name: str, text: str) -> tuple[bool, str, int]:
    if ":" not in text and not text.startswith("^") and text:
        return False, text, 0
    match = _INPUT.match(text)
    if match is None:
        raise ValueError(f"Node '{node_name}': malformed input '{text}'")
    control, source, index = match.groups()
    return bool(control), source, int(index or 0)


def _tensor_key(name: str) -> str:
    return name if ":" in name or name.startswith("^") else name + ":0"


@api_boundary
def import_graph_def(
    graph_def,
    input_map=None,
    return_elements=None,
    name=None,
    op_dict=None,
    producer_op_list=None,
):
    """Imports the ops of ``graph_def`` into the default graph under the name scope ``name``
    (``"import"`` when None, none when ``""``), as TF1's ``tf.import_graph_def``.

    ``input_map`` maps names in ``graph_def`` (``"x:0"``, ``"^x"``) to tensors (or ops) of the
    default graph used instead; ``return_elements`` names the imported tensors (``"y:0"``) and
    ops (``"y"``) to return.

    >>> import scopeflow as tf
    >>> g = tf.Graph()
    >>> with g.as_default():
    ...     y = tf.add(tf.placeholder(tf.float32, name="x"), 1.0, name="y")
    >>> with tf.Graph().as_default():
    ...     x = tf.constant(2.0)
    ...     out, = tf.import_graph_def(g.as_graph_def(), {"x:0": x}, ["y:0"])
    ...     out.name, float(tf.Session().run(out))
    ('import/y:0', 3.0)

    Raises:
        tf.errors.NotFoundError: an op type scopeflow does not have (nothing is added).
        ValueError: a duplicate node name, an input naming no node, a cycle, an attr of the
            wrong type, a mapped or returned name not in ``graph_def`` (nothing is added).
    """
    if op_dict is not None:
        raise NotImplementedError(
            "import_graph_def(op_dict=...) is not supported (TF1 deprecated it): op types come "
            "from scopeflow's registry."
        )
    graph_def = as_graph_def_message(graph_def)
    input_map = {_tensor_key(k): v for k, v in (input_map or {}).items()}
    graph = get_default_graph()
    for key, value in input_map.items():
        element = graph.as_graph_element(value)
        if key.startswith("^") != (not isinstance(element, Tensor)):
            raise ValueError(f"input_map entry '{key}' must map a tensor to a tensor and "
                             "'^name' to an op")  # fmt: skip
    order = _checked_order(graph_def, input_map)
    _check_colocation(graph_def)
    returns = _check_returns(graph_def, return_elements)
    return _build(graph, graph_def, order, input_map, returns, name)


def _checked_order(graph_def, input_map: dict) -> list[int]:
    """The nodes' indices in an order where each comes after its inputs; raises on any
    problem before anything is built."""
    nodes = graph_def.node
    index: dict[str, int] = {}
    for i, node in enumerate(nodes):
        if node.name in index:
            raise ValueError(f"Duplicate node name in graph: '{node.name}'")
        index[node.name] = i
    known = set(registered_op_types())
    producer = graph_def.versions.producer
    for node in nodes:
        removed = op_defs.removed_in(node.op, producer)
        if removed is not None:
            raise errors.UnimplementedError(None, None, removed)
        if node.op not in known:
            raise errors.NotFoundError(
                None, None,
                f"Op type not registered '{node.op}' in binary (scopeflow) while importing "
                f"node '{node.name}'. Make sure the op is one scopeflow has.",
            )  # fmt: skip
        _check_attrs(node)
    missing = sorted(k for k in input_map if k.lstrip("^").partition(":")[0] not in index)
    if missing:
        raise ValueError(f"Attempted to map inputs that were not found in graph_def: {missing}")
    waiting = [0] * len(nodes)
    consumers: list[list[int]] = [[] for _ in nodes]
    for i, node in enumerate(nodes):
        for text in node.input:
            control, source, out = _parse_input(node.name, text)
            key = ("^" + source) if control else f"{source}:{out}"
            if key in input_map:
                continue
            if source not in index:
                raise ValueError(f"Node '{node.name}': Unknown input node '{text}'")
            if loops.is_back_edge(node.op, nodes[index[source]].op):
                continue  # built after the Merge, which is rewired to it then
            waiting[i] += 1
            consumers[index[source]].append(i)
    ready = [i for i, w in enumerate(waiting) if w == 0]
    heapq.heapify(ready)
    order = []
    while ready:
        i = heapq.heappop(ready)
        order.append(i)
        for j in consumers[i]:
            waiting[j] -= 1
            if waiting[j] == 0:
                heapq.heappush(ready, j)
    if len(order) < len(nodes):
        stuck = next(nodes[i].name for i, w in enumerate(waiting) if w)
        raise ValueError(
            f"GraphDef contains a cycle: node '{stuck}' depends on itself through its inputs "
            "(only tf.while_loop's NextIteration may close a cycle)."
        )
    return order


def _check_attrs(node) -> None:
    """Attrs of TF's types, none missing, and as many data inputs as the attrs imply."""
    definition = op_defs.tf_op_def(node.op)
    if definition is None:
        return
    for name, (type_name, default) in definition.attrs.items():
        if default is None and name not in node.attr:
            raise ValueError(f"Node '{node.name}': NodeDef missing attr '{name}' of op type "
                             f"{node.op} (of type '{type_name}')")  # fmt: skip
    expected = 0
    for arg in definition.inputs:
        if arg.number_attr:
            expected += node.attr[arg.number_attr].i
        elif arg.type_list_attr:
            expected += len(node.attr[arg.type_list_attr].list.type)
        else:
            expected += 1
    given = sum(1 for i in node.input if not i.startswith("^"))
    if given != expected:
        raise ValueError(
            f"Node '{node.name}': op type {node.op} expects {expected} inputs, got {given}"
        )
    for name, value in node.attr.items():
        if name.startswith("_"):
            continue
        expected = definition.attrs.get(name)
        if expected is None:
            raise ValueError(
                f"Node '{node.name}': attr '{name}' is not an attr of op type {node.op} "
                f"(its attrs: {sorted(definition.attrs)})"
            )
        kind = op_defs.attr_type_of(value)
        if expected[0] in ("func", "list(func)") and not op_defs.attr_matches(kind, expected[0]):
            raise NotImplementedError(
                f"Node '{node.name}': attr '{name}' of op type {node.op} is a function, whose "
                "body lives in the GraphDef's function library, which scopeflow does not "
                "import (tf.data pipelines, functional ops): rebuild that part in Python, or "
                "remove its nodes from the GraphDef before importing the rest."
            )
        if not op_defs.attr_matches(kind, expected[0]):
            raise ValueError(
                f"Node '{node.name}': attr '{name}' of op type {node.op} must be of type "
                f"'{expected[0]}', got '{kind}'"
            )


def _colocation_targets(node) -> list[str]:
    """The ops ``node``'s ``_class`` attr colocates it with (``loc:@name``)."""
    if "_class" not in node.attr:
        return []
    groups = [g.decode() if isinstance(g, bytes) else g for g in node.attr["_class"].list.s]
    return [g[len("loc:@") :] for g in groups if g.startswith("loc:@")]


def _check_colocation(graph_def) -> None:
    names = {node.name for node in graph_def.node}
    for node in graph_def.node:
        for target in _colocation_targets(node):
            if target not in names:
                raise ValueError(
                    f"Node '{node.name}' expects to be colocated with unknown node '{target}'"
                )


def _check_returns(graph_def, return_elements) -> list[str] | None:
    if return_elements is None:
        return None
    names = {node.name for node in graph_def.node}
    for element in return_elements:
        if not isinstance(element, str):
            raise TypeError(f"return_elements must be names (str), got {element!r}")
        if element.partition(":")[0] not in names:
            raise ValueError(f"Requested return_element '{element}' not found in graph_def.")
    return list(return_elements)


def _node_attrs(node) -> dict:
    attrs = {}
    for name, value in node.attr.items():
        if name in _DROPPED_ATTRS:
            continue
        try:
            attrs[name] = op_defs.from_attr_value(value)
        except (TypeError, ValueError) as e:
            raise ValueError(f"Node '{node.name}': attr '{name}': {e}") from None
    definition = op_defs.tf_op_def(node.op)
    if definition is not None:
        for name, (_, default) in definition.attrs.items():
            if name not in attrs and default is not None:
                attrs[name] = op_defs.from_attr_value(default)
    return attrs


@undo.atomic
def _build(graph: Graph, graph_def, order, input_map, returns, name: str | None):
    with graph.name_scope(name if name is not None else "import") as prefix:
        made = _build_nodes(graph, graph_def.node, order, input_map, prefix)
    if returns is None:
        return None
    out = []
    for element in returns:
        source, _, index = element.partition(":")
        out.append(made[source] if not index else made[source].outputs[int(index)])
    return out


def _build_nodes(graph: Graph, nodes, order, input_map, prefix: str) -> dict:
    made, built, back_edges = {}, [], []
    with graph.control_dependencies(None):
        for i in order:
            node = nodes[i]
            inputs, control, pending = [], [], []
            for text in node.input:
                is_control, source, out = _parse_input(node.name, text)
                key = ("^" + source) if is_control else f"{source}:{out}"
                if input_map and key in input_map:
                    element = graph.as_graph_element(input_map[key])
                elif is_control:
                    element = made[source]
                elif source not in made:  # a loop's NextIteration, built later
                    pending.append((len(inputs), source, out))
                    element = None
                else:
                    outputs = made[source]._outputs
                    if out >= len(outputs):
                        raise ValueError(
                            f"Node '{node.name}': input '{text}' names output {out} of "
                            f"'{source}', which has {len(outputs)} outputs"
                        )
                    element = outputs[out]
                (control if is_control else inputs).append(element)
            if pending:  # the Merge takes its entering value twice until the loop is closed
                entering = next(t for t in inputs if t is not None)
                inputs = [entering if t is None else t for t in inputs]
            attrs = _node_attrs(node)
            gradient_type = attrs.pop("_gradient_op_type", None)
            try:
                op = graph.create_op(node.op, inputs, attrs, name=f"{prefix}{node.name}/")
            except (TypeError, KeyError, IndexError) as e:  # the attrs or inputs do not fit
                raise ValueError(f"Node '{node.name}' ({node.op}): {e}") from None
            for c in control:
                op._add_control_input(c.op if isinstance(c, Tensor) else c)
            op._gradient_op_type = gradient_type
            # its groups under the import scope, as TF1 renames them (none when it had none)
            groups = (f"loc:@{prefix}{t}".encode() for t in _colocation_targets(node))
            op._colocation = tuple(groups)
            if node.device:
                op._device = node.device
            graph._reserve_name(op.name)
            made[node.name] = op
            built.append(op)
            back_edges.extend((op, *edge) for edge in pending)
    loops.close_back_edges(made, back_edges)
    loops.rebuild_frames(built)
    return made
