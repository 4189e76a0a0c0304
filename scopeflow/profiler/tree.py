"""The profiler's views of a graph: ops as a tree of name scopes (``scope``) or grouped by op
type (``op``), with TF's rules for which nodes are accounted, shown and totalled."""

from __future__ import annotations

import math
import re

from scopeflow.profiler import flops
from scopeflow.profiler.protos import GraphNodeProto, MultiGraphNodeProto

ROOT = "_TFProfRoot"
SCOPE_PARENT = "_kTFScopeParent"  # the type of a name scope that is not an op
TRAINABLE = "_trainable_variables"
# a ``select``/``order_by`` word -> the stat it reads (``total_`` + stat for the subtree)
STAT_OF = {
    "params": "parameters",
    "float_ops": "float_ops",
    "bytes": "requested_bytes",
    "peak_bytes": "peak_bytes",
    "residual_bytes": "residual_bytes",
    "output_bytes": "output_bytes",
    "micros": "exec_micros",
    "accelerator_micros": "accelerator_exec_micros",
    "cpu_micros": "cpu_exec_micros",
    "occurrence": "run_count",
}
_MINIMUMS = {
    "min_params": "parameters",
    "min_float_ops": "float_ops",
    "min_bytes": "requested_bytes",
    "min_peak_bytes": "peak_bytes",
    "min_residual_bytes": "residual_bytes",
    "min_output_bytes": "output_bytes",
    "min_micros": "exec_micros",
    "min_accelerator_micros": "accelerator_exec_micros",
    "min_cpu_micros": "cpu_exec_micros",
    "min_occurrence": "run_count",
}
_SUMMED = tuple(sorted(set(STAT_OF.values())))
_GROUPED = tuple(s for s in _SUMMED if s != "run_count")  # an op type's sums


class Node:
    """One op (or name scope without an op) and its own stats."""

    def __init__(self, name: str, op=None):
        self.name = name
        self.op = op
        self.children: list[Node] = []
        self.stats = dict.fromkeys(_SUMMED, 0)
        self.types = {op.type} if op is not None else {SCOPE_PARENT}
        self.shape: list[int] | None = None


def _shape_attr(op) -> list[int] | None:
    shape = op._attrs.get("shape")
    if shape is None or not hasattr(shape, "ndims") or shape.ndims is None:
        return None
    return [-1 if d is None else int(d) for d in shape.as_list()] or [1]


def build(graph, op_log=None) -> tuple[Node, list[Node], int]:
    """The scope tree of ``graph``'s ops, its op nodes, and how many ops lacked the shapes
    their float-op rule needs."""
    trainable = {v.op.name for v in graph.get_collection("trainable_variables")}
    logged = {e.name: e for e in (op_log.log_entries if op_log is not None else [])}
    root = Node(ROOT)
    root.types = set()
    nodes = {ROOT: root}
    ops, missing = [], 0
    for op in graph.get_operations():
        node = Node(op.name, op)
        count = flops.float_ops(op)
        missing += count is None
        node.stats["float_ops"] = count or 0
        node.shape = _shape_attr(op)
        if node.shape is not None and min(node.shape) >= 0:
            node.stats["parameters"] = math.prod(node.shape)
        if op.name in trainable:
            node.types.add(TRAINABLE)
        entry = logged.get(op.name)
        if entry is not None:
            node.types.update(entry.types)
            if entry.float_ops:
                node.stats["float_ops"] = entry.float_ops
        nodes[op.name] = node
        ops.append(node)
    for name in sorted(nodes):
        if name == ROOT:
            continue
        parent_name = name.rpartition("/")[0] or ROOT
        if parent_name not in nodes:
            _add_scopes(nodes, parent_name)
    for name in sorted(nodes):
        if name != ROOT:
            nodes[name.rpartition("/")[0] or ROOT].children.append(nodes[name])
    return root, ops, missing


def _add_scopes(nodes: dict, name: str) -> None:
    while name and name not in nodes:
        nodes[name] = Node(name)
        name = name.rpartition("/")[0]


def _matches(regexes, text: str) -> bool:
    return any(re.fullmatch(r, text) for r in regexes)


class _View:
    def __init__(self, options: dict):
        self.options = options
        self.account = list(options.get("account_type_regexes", []))
        self.displayed_only = bool(options.get("account_displayed_op_only", False))

    def accounted(self, node: Node) -> bool:
        return any(_matches(self.account, t) for t in node.types)

    def passes(self, name: str, stats: dict) -> bool:
        opts = self.options
        for key, stat in _MINIMUMS.items():
            if stats[stat] < opts.get(key, 0):
                return False
        show = opts.get("show_name_regexes", [])
        return _matches(show, name) and not _matches(opts.get("hide_name_regexes", []), name)

    def sort(self, items: list, name_of, total_of) -> list:
        key = STAT_OF.get(self.options.get("order_by", "name"))
        items = sorted(items, key=name_of)
        if key is None:
            return items
        return sorted(items, key=lambda item: -(total_of(item, key) or 0))


def _fill(proto, node: Node) -> None:
    for stat, value in node.stats.items():
        setattr(proto, stat, value)


def scope_view(root: Node, options: dict) -> tuple[GraphNodeProto, dict]:
    """The ``scope`` profile of the tree under ``root``: the root proto, and for each shown
    proto (by id) the node it shows and whether its own stats are accounted."""
    view = _View(options)
    has_accounted: dict[int, bool] = {}

    def mark(node: Node) -> bool:
        found = view.accounted(node)
        for child in node.children:
            found = mark(child) or found
        has_accounted[id(node)] = found
        return found

    mark(root)
    shown: dict[int, tuple[Node, bool]] = {}
    max_depth = options.get("max_depth", 0)
    trim = options.get("trim_name_regexes", [])

    def display(node: Node, level: int) -> list:
        if level >= max_depth or not has_accounted[id(node)]:
            return []
        kids = [] if _matches(trim, node.name) else _below(node, level)
        if not view.passes(node.name, node.stats):
            return kids
        return [_proto(node, kids)]

    def _below(node: Node, level: int) -> list:
        return [p for child in node.children for p in display(child, level + 1)]

    def _proto(node: Node, kids: list) -> GraphNodeProto:
        proto = GraphNodeProto(name=node.name, shapes=[node.shape] if node.shape else [])
        _fill(proto, node)
        accounted = view.accounted(node)
        shown[id(proto)] = (node, accounted)
        proto.children = view.sort(kids, lambda p: p.name, _total)
        _totals(proto, node, accounted)
        return proto

    def _totals(proto, node: Node, accounted: bool) -> None:
        if view.displayed_only:
            for stat in _SUMMED:
                own = node.stats[stat] if accounted else 0
                kids = sum(getattr(c, "total_" + stat) for c in proto.children)
                setattr(proto, "total_" + stat, own + kids)
            count = 1 + sum(c.total_definition_count for c in proto.children)
        else:
            sums, count = _subtree(node)
            for stat in _SUMMED:
                setattr(proto, "total_" + stat, sums[stat])
        proto.total_definition_count = count

    def _subtree(node: Node) -> tuple[dict, int]:
        sums, count = dict.fromkeys(_SUMMED, 0), 0
        stack = [node]
        while stack:
            current = stack.pop()
            if current is not root and view.accounted(current):
                count += 1
                for stat in _SUMMED:
                    sums[stat] += current.stats[stat]
            stack.extend(current.children)
        return sums, count

    starts = options.get("start_name_regexes", [".*"])
    if list(starts) == [".*"]:
        tops = _below(root, 0)
    else:
        tops = [p for node in _starts(root, starts) for p in display(node, 1)]
    return _proto(root, tops), shown


def _total(proto, stat: str) -> int:
    return getattr(proto, "total_" + stat, 0)


def _starts(node: Node, regexes) -> list[Node]:
    found = []
    for child in node.children:
        found.extend([child] if _matches(regexes, child.name) else _starts(child, regexes))
    return found


def op_view(ops: list[Node], options: dict) -> tuple[MultiGraphNodeProto, list]:
    """The ``op`` profile: accounted ops grouped by type, each group's total running down
    the chain of the groups after it (TF links them one under the next)."""
    view = _View(options)
    groups: dict[str, list[Node]] = {}
    for node in ops:
        if view.accounted(node):
            groups.setdefault(node.op.type, []).append(node)
    protos, every = [], []
    for kind, members in groups.items():
        proto = MultiGraphNodeProto(name=kind)
        for stat in _GROUPED:
            setattr(proto, stat, sum(m.stats[stat] for m in members))
        for member in sorted(members, key=lambda m: m.name):
            graph_node = GraphNodeProto(name=member.name)
            _fill(graph_node, member)
            for stat in _SUMMED:
                setattr(graph_node, "total_" + stat, member.stats[stat])
            graph_node.total_definition_count = 1
            proto.graph_nodes.append(graph_node)
        every.append(proto)
        if view.passes(kind, {s: getattr(proto, s, 0) for s in _SUMMED}):
            protos.append(proto)
    protos = view.sort(protos, lambda p: p.name, lambda p, s: getattr(p, s, 0))
    below = dict.fromkeys(_GROUPED, 0)
    for proto in reversed(protos):
        for stat in _GROUPED:
            below[stat] += getattr(proto, stat)
            setattr(proto, "total_" + stat, below[stat])
    for upper, lower in zip(protos, protos[1:], strict=False):
        upper.children = [lower]
    root = MultiGraphNodeProto(name=ROOT, children=protos[:1])
    counted = protos if view.displayed_only else every
    for stat in _GROUPED:
        setattr(root, "total_" + stat, sum(getattr(p, stat) for p in counted))
    return root, protos
