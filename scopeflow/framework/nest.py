"""Nested structures as TF1's ``nest`` sees them: lists, tuples, namedtuples and dicts (by
sorted key) are sequences; everything else, ``None`` and strings included, is a leaf.

``tf.cond``, ``tf.while_loop``, ``tf.scan`` and ``tf.map_fn`` take and return such
structures; a structure that differs raises TF1's ``ValueError`` ("The two structures don't
have the same nested structure"; ``TypeError`` for a list given for a tuple) with the path of
the first difference.

>>> from scopeflow.framework import nest
>>> nest.flatten({"b": (1, 2), "a": [3]})
[3, 1, 2]
>>> nest.pack_sequence_as({"b": (0, 0), "a": [0]}, [30, 10, 20])
{'b': (10, 20), 'a': [30]}
"""

from __future__ import annotations

from collections.abc import Callable


def is_sequence(value) -> bool:
    """Whether ``nest`` descends into ``value`` (a list, tuple, namedtuple or dict)."""
    return isinstance(value, (list, tuple, dict))


def _children(value) -> list:
    if isinstance(value, dict):
        return [value[k] for k in sorted(value)]
    return list(value)


def flatten(structure) -> list:
    """The leaves of ``structure``, depth first, dict values in sorted key order."""
    if not is_sequence(structure):
        return [structure]
    out: list = []
    stack = [structure]
    while stack:
        item = stack.pop()
        if is_sequence(item):
            stack.extend(reversed(_children(item)))
        else:
            out.append(item)
    return out


def _rebuild(like, children: list):
    if isinstance(like, dict):  # values come in sorted key order; keys keep like's order
        by_key = dict(zip(sorted(like), children, strict=True))
        return type(like)((k, by_key[k]) for k in like)
    if isinstance(like, tuple) and hasattr(like, "_fields"):  # a namedtuple
        return type(like)(*children)
    return type(like)(children)


def pack_sequence_as(structure, flat_sequence: list):
    """``flat_sequence``'s leaves put back into the shape of ``structure``."""
    flat_sequence = list(flat_sequence)
    expected = len(flatten(structure))
    if len(flat_sequence) != expected:
        raise ValueError(
            f"Could not pack sequence. Structure had {expected} elements, but flat_sequence "
            f"had {len(flat_sequence)} elements."
        )
    leaves = iter(flat_sequence)

    def pack(like):
        if not is_sequence(like):
            return next(leaves)
        return _rebuild(like, [pack(child) for child in _children(like)])

    return pack(structure)


def map_structure(fn: Callable, *structures):
    """``fn`` applied leaf by leaf to structures of one shape, in that shape."""
    for other in structures[1:]:
        assert_same_structure(structures[0], other)
    flat = [flatten(s) for s in structures]
    return pack_sequence_as(structures[0], [fn(*leaves) for leaves in zip(*flat, strict=True)])


def _difference(a, b, path: str, check_types: bool) -> str | None:
    """Where ``a`` and ``b`` first differ in structure, in words, or None (``check_types``
    False: a list and a tuple, or two dict types, count as the same)."""
    if is_sequence(a) != is_sequence(b):
        seq, leaf = (a, b) if is_sequence(a) else (b, a)
        return f"at {path or 'the top'}, {_kind(seq)} is a sequence while {_kind(leaf)} is not"
    if not is_sequence(a):
        return None
    if type(a) is not type(b) and (check_types or isinstance(a, dict) != isinstance(b, dict)):
        return f"at {path or 'the top'}, {_kind(a)} and {_kind(b)} differ in sequence type"
    if isinstance(a, dict) and sorted(a) != sorted(b):
        return f"at {path or 'the top'}, dict keys {sorted(a)} and {sorted(b)} differ"
    ca, cb = _children(a), _children(b)
    if len(ca) != len(cb):
        return f"at {path or 'the top'}, {len(ca)} and {len(cb)} elements"
    keys = sorted(a) if isinstance(a, dict) else range(len(ca))
    for key, x, y in zip(keys, ca, cb, strict=True):
        found = _difference(x, y, f"{path}[{key!r}]", check_types)
        if found is not None:
            return found
    return None


def _kind(value) -> str:
    return f"{type(value).__name__} {_short(value)}"


def _short(value, limit: int = 120) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def difference(a, b, check_types: bool = True) -> str | None:
    """Where two structures first differ (a path and what differs), or None when they match
    (``check_types`` False: whatever their sequence types)."""
    return _difference(a, b, "", check_types)


def assert_same_structure(a, b, what: str = "") -> None:
    """Raises TF1's ``ValueError`` when ``a`` and ``b`` differ in nesting (``TypeError`` when
    they differ in a sequence's type: a list for a tuple)."""
    found = difference(a, b)
    if found is not None:
        context = f" {what}:" if what else ""
        error = TypeError if found.endswith("differ in sequence type") else ValueError
        raise error(
            "The two structures don't have the same nested structure."
            f"{context} {found}.\nFirst structure: {_short(a, 400)}\n"
            f"Second structure: {_short(b, 400)}"
        )
