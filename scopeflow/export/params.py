"""The parameter trees of an exported graph: variables nested by variable scope.

A variable ``"conv1/weights"`` becomes ``tree["conv1"]["weights"]``: the path of its leaf,
joined with ``"/"``, is its checkpoint key. Trainable variables (``tf.trainable_variables()``)
go in one tree, every other variable the computation touches (batch-norm moving statistics,
``global_step``, optimizer slots, Adam's ``beta1_power``) in the other.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from scopeflow.framework.graph import GraphKeys

TRAINABLE = "trainable"
STATE = "state"


def split_variables(graph, var_ops: Iterable) -> dict[str, tuple]:
    """``{"trainable": ops, "state": ops}``: ``var_ops`` (``VariableV2`` ops) by whether
    they are in ``graph``'s ``TRAINABLE_VARIABLES`` collection, each sorted by name."""
    trainable = {v.op for v in graph.get_collection(GraphKeys.TRAINABLE_VARIABLES)}
    ops = sorted(set(var_ops), key=lambda op: op.name)
    return {
        TRAINABLE: tuple(op for op in ops if op in trainable),
        STATE: tuple(op for op in ops if op not in trainable),
    }


def nest(flat: Mapping[str, object]) -> dict:
    """``{"a/b": x, "a/c": y}`` as ``{"a": {"b": x, "c": y}}``.

    Raises:
        ValueError: one name is a scope of another (``"a"`` and ``"a/b"``): no tree holds
            both.

    >>> nest({"conv1/weights": 1, "conv1/biases": 2, "step": 3})
    {'conv1': {'weights': 1, 'biases': 2}, 'step': 3}
    """
    tree: dict = {}
    for name, value in flat.items():
        *scopes, leaf = name.split("/")
        node = tree
        for depth, scope in enumerate(scopes):
            node = node.setdefault(scope, {})
            if not isinstance(node, dict):
                _clash("/".join(scopes[: depth + 1]), name)
        if leaf in node:
            _clash(name, next(iter(flatten({name: node[leaf]}))))
        node[leaf] = value
    return tree


def _clash(leaf: str, inner: str):
    raise ValueError(
        f"Variable '{leaf}' is also the scope of variable '{inner}': a parameter tree keyed "
        "by scope cannot hold both. Rename one of them (e.g. with a variable_scope)."
    )


def flatten(tree: Mapping, prefix: str = "") -> dict:
    """The inverse of :func:`nest`: ``{checkpoint key: leaf}``.

    >>> flatten({"conv1": {"weights": 1, "biases": 2}, "step": 3})
    {'conv1/weights': 1, 'conv1/biases': 2, 'step': 3}
    """
    flat: dict = {}
    for key, value in tree.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            flat.update(flatten(value, name + "/"))
        else:
            flat[name] = value
    return flat


def leaf(tree: Mapping, name: str, which: str):
    """The leaf at checkpoint key ``name`` of ``tree`` (the ``which`` tree of the params).

    Raises:
        KeyError: the tree has no such leaf.
    """
    node = tree
    for part in name.split("/"):
        if not isinstance(node, Mapping) or part not in node:
            raise KeyError(
                f"params[{which!r}] has no entry for variable '{name}': pass the tree "
                "to_jax returned (or one with the same keys)"
            )
        node = node[part]
    return node
