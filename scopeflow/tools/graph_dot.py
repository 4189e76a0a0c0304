"""A graph as Graphviz ``dot`` text, its name scopes drawn as nested clusters (as
TensorBoard groups them): one box per op (its name and type), data edges labelled with the
tensor's shape, control edges dashed."""

from __future__ import annotations

from scopeflow.framework.defaults import get_default_graph


def _quote(text: str) -> str:
    return '"' + text.replace('"', '\\"') + '"'


def _shape_label(tensor) -> str:
    shape = tensor.shape
    if shape.ndims is None:
        return "?"
    return "(" + ", ".join("?" if d is None else str(d) for d in shape.as_list()) + ")"


def _scope_tree(names: list[str]) -> dict:
    """``{scope: {"ops": [...], "scopes": {...}}}``: each op in the cluster of its name scope;
    an op whose name is itself a scope (``v`` beside ``v/read``) goes inside that scope."""
    scopes = {name.rpartition("/")[0] for name in names}
    prefixes = {"/".join(s.split("/")[:i]) for s in scopes for i in range(1, s.count("/") + 2)}
    root: dict = {"ops": [], "scopes": {}}
    for name in names:
        home = name if name in prefixes else name.rpartition("/")[0]
        node = root
        parts = home.split("/") if home else []
        for depth in range(len(parts)):
            scope = "/".join(parts[: depth + 1])
            node = node["scopes"].setdefault(scope, {"ops": [], "scopes": {}})
        node["ops"].append(name)
    return root


def graph_to_dot(graph=None) -> str:
    """The ``dot`` text of ``graph`` (default: the default graph).

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default() as g:
    ...     with tf.name_scope("layer"):
    ...         y = tf.nn.relu(tf.placeholder(tf.float32, [None, 3], name="x"))
    ...     print(graph_to_dot(g))
    digraph G {
      compound=true;
      node [shape=box, style=rounded, fontsize=10];
      subgraph "cluster_layer" {
        label="layer";
        "layer/x" [label="x\\nPlaceholder"];
        "layer/Relu" [label="Relu\\nRelu"];
      }
      "layer/x" -> "layer/Relu" [label="(?, 3)"];
    }
    """
    graph = graph or get_default_graph()
    ops = graph.get_operations()
    lines = ["digraph G {", "  compound=true;", "  node [shape=box, style=rounded, fontsize=10];"]

    def emit(node: dict, indent: str) -> None:
        for name in node["ops"]:
            op = graph.get_operation_by_name(name)
            label = f"{name.rpartition('/')[2]}\\n{op.type}"
            lines.append(f"{indent}{_quote(name)} [label={_quote(label)}];")
        for scope, child in node["scopes"].items():
            lines.append(f"{indent}subgraph {_quote('cluster_' + scope)} {{")
            lines.append(f"{indent}  label={_quote(scope.rpartition('/')[2])};")
            emit(child, indent + "  ")
            lines.append(f"{indent}}}")

    emit(_scope_tree([op.name for op in ops]), "  ")
    for op in ops:
        for tensor in op.inputs:
            edge = f"{_quote(tensor.op.name)} -> {_quote(op.name)}"
            lines.append(f"  {edge} [label={_quote(_shape_label(tensor))}];")
        for control in op.control_inputs:
            lines.append(f"  {_quote(control.name)} -> {_quote(op.name)} [style=dashed];")
    lines.append("}")
    return "\n".join(lines)


__all__ = ["graph_to_dot"]
