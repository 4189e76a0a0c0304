"""``tf.nest`` and ``tf.contrib.framework.nest``: nested structures of lists, tuples,
namedtuples and dicts (values in sorted key order), as TF1's seq2seq and RNN code walks them.

>>> import scopeflow as tf
>>> tf.nest.flatten({"b": (1, 2), "a": [3]})
[3, 1, 2]
>>> tf.nest.map_structure(lambda x: x * 10, {"b": (1, 2), "a": [3]})
{'b': (10, 20), 'a': [30]}
>>> tf.contrib.framework.nest.flatten_up_to([0, 0], [[1, 2], (3, 4)])
[[1, 2], (3, 4)]
"""

from __future__ import annotations

from collections.abc import Callable

from scopeflow.framework import nest as _nest
from scopeflow.framework.nest import is_sequence

__all__ = [
    "assert_same_structure",
    "assert_shallow_structure",
    "flatten",
    "flatten_dict_items",
    "flatten_up_to",
    "flatten_with_joined_string_paths",
    "is_nested",
    "is_sequence",
    "map_structure",
    "map_structure_up_to",
    "pack_sequence_as",
]


def _no_composites(expand_composites: bool) -> None:
    if expand_composites:
        raise NotImplementedError(
            "expand_composites=True (SparseTensors as their component tensors) is not "
            "supported: flatten a SparseTensor's indices, values and dense_shape yourself."
        )


def is_nested(seq) -> bool:
    """Whether ``seq`` is a list, tuple, namedtuple or dict (not a string)."""
    return is_sequence(seq)


def flatten(structure, expand_composites: bool = False) -> list:
    """The leaves of ``structure``, depth first, dict values in sorted key order."""
    _no_composites(expand_composites)
    return _nest.flatten(structure)


def pack_sequence_as(structure, flat_sequence, expand_composites: bool = False):
    """``flat_sequence`` in the shape of ``structure``.

    Raises:
        ValueError: ``flat_sequence`` has another number of leaves than ``structure``.
    """
    _no_composites(expand_composites)
    if not is_sequence(flat_sequence):
        raise TypeError(
            f"Attempted to pack value:\n  {flat_sequence!r}\ninto a structure, but found "
            f"incompatible type `{type(flat_sequence)}` instead."
        )
    return _nest.pack_sequence_as(structure, flat_sequence)


def assert_same_structure(nest1, nest2, check_types: bool = True, expand_composites=False):
    """Raises ``ValueError`` when the structures differ in nesting or length, ``TypeError``
    when (with ``check_types``) a sequence's type differs (a list for a tuple)."""
    _no_composites(expand_composites)
    if check_types:
        _nest.assert_same_structure(nest1, nest2)
        return
    found = _nest.difference(nest1, nest2, check_types=False)
    if found is not None:
        raise ValueError(
            "The two structures don't have the same nested structure. "
            f"{found}.\nFirst structure: {nest1!r}\nSecond structure: {nest2!r}"
        )


def _children(value) -> list:
    return [value[k] for k in sorted(value)] if isinstance(value, dict) else list(value)


def map_structure(func: Callable, *structure, **kwargs):
    """``func`` applied to the leaves of ``structure`` (one or more structures of one shape),
    in that shape. Keyword arguments: ``check_types`` (default True), ``expand_composites``."""
    check_types = kwargs.pop("check_types", True)
    _no_composites(kwargs.pop("expand_composites", False))
    if kwargs:
        raise ValueError(
            f"Only valid keyword arguments are `check_types` and `expand_composites`, not: "
            f"`{', '.join(sorted(kwargs))}`"
        )
    if not callable(func):
        raise TypeError(f"func must be callable, got: {func}")
    if not structure:
        raise ValueError("Must provide at least one structure")
    for other in structure[1:]:
        assert_same_structure(structure[0], other, check_types=check_types)
    flat = [_nest.flatten(s) for s in structure]
    results = [func(*leaves) for leaves in zip(*flat, strict=True)]
    return _nest.pack_sequence_as(structure[0], results)


# -- tf.contrib.framework.nest's further functions ----------------------------------------


def assert_shallow_structure(shallow_tree, input_tree, check_types: bool = True) -> None:
    """Raises when ``input_tree`` does not have ``shallow_tree``'s nesting as far as
    ``shallow_tree`` goes (``TypeError`` for a sequence where ``input_tree`` has a leaf, or,
    with ``check_types``, another sequence type; ``ValueError`` for another length or
    other keys)."""
    if not is_sequence(shallow_tree):
        return
    if not is_sequence(input_tree):
        raise TypeError(
            "If shallow structure is a sequence, input must also be a sequence. Input has "
            f"type: {type(input_tree)}."
        )
    if check_types and type(shallow_tree) is not type(input_tree):
        raise TypeError(
            "The two structures don't have the same sequence type. Input structure has type "
            f"{type(input_tree)}, while shallow structure has type {type(shallow_tree)}."
        )
    if len(input_tree) != len(shallow_tree):
        raise ValueError(
            "The two structures don't have the same sequence length. Input structure has "
            f"length {len(input_tree)}, while shallow structure has length "
            f"{len(shallow_tree)}."
        )
    if isinstance(shallow_tree, dict):
        missing = set(shallow_tree) - set(input_tree)
        if missing:
            raise ValueError(
                f"The two structures don't have the same keys. Input structure has keys "
                f"{sorted(input_tree)}, while shallow structure has keys {sorted(shallow_tree)}."
            )
    for shallow, value in zip(_children(shallow_tree), _children(input_tree), strict=True):
        assert_shallow_structure(shallow, value, check_types)


def flatten_up_to(shallow_tree, input_tree, check_types: bool = True) -> list:
    """``input_tree`` flattened as far as ``shallow_tree`` nests: the subtrees of
    ``input_tree`` at ``shallow_tree``'s leaves."""
    assert_shallow_structure(shallow_tree, input_tree, check_types)
    out: list = []

    def walk(shallow, value) -> None:
        if not is_sequence(shallow):
            out.append(value)
            return
        for s, v in zip(_children(shallow), _children(value), strict=True):
            walk(s, v)

    walk(shallow_tree, input_tree)
    return out


def map_structure_up_to(shallow_tree, func: Callable, *inputs, **kwargs):
    """``func`` applied to the subtrees of ``inputs`` at ``shallow_tree``'s leaves, in
    ``shallow_tree``'s shape."""
    check_types = kwargs.pop("check_types", True)
    if kwargs:
        raise ValueError(f"Only valid keyword argument is `check_types`, not: {sorted(kwargs)}")
    if not inputs:
        raise ValueError("Cannot map over no sequences")
    flat = [flatten_up_to(shallow_tree, tree, check_types) for tree in inputs]
    results = [func(*parts) for parts in zip(*flat, strict=True)]
    return _nest.pack_sequence_as(shallow_tree, results)


def flatten_dict_items(dictionary: dict) -> dict:
    """A dict whose keys may be structures (tuples) paired with value structures of the same
    shape, flattened to one key per leaf.

    Raises:
        TypeError: ``dictionary`` is not a dict.
        ValueError: a key structure and its value differ in shape, or a leaf key repeats.
    """
    if not isinstance(dictionary, dict):
        raise TypeError(
            "FlattenDictItems: 'dict' must be a dictionary or collection.Mapping type object, "
            f"instead of '{type(dictionary).__name__}'."
        )
    flat: dict = {}
    for key, value in dictionary.items():
        if not is_sequence(key):
            if key in flat:
                raise ValueError(f"Cannot flatten dict because this key is not unique: {key}")
            flat[key] = value
            continue
        keys, values = _nest.flatten(key), _nest.flatten(value)
        if len(keys) != len(values):
            raise ValueError(
                f"Could not flatten dictionary. Key had {len(keys)} elements, but value had "
                f"{len(values)} elements. Key: {keys}, value: {values}."
            )
        for k, v in zip(keys, values, strict=True):
            if k in flat:
                raise ValueError(f"Cannot flatten dict because this key is not unique: {k}")
            flat[k] = v
    return flat


def flatten_with_joined_string_paths(structure, separator: str = "/") -> list:
    """``(path, leaf)`` pairs, the path the keys, field names and indices down to the leaf
    joined by ``separator``."""
    out: list = []

    def walk(value, path: tuple) -> None:
        if not is_sequence(value):
            out.append((separator.join(str(p) for p in path), value))
            return
        if isinstance(value, dict):
            keys = sorted(value)
        elif isinstance(value, tuple) and hasattr(value, "_fields"):  # a namedtuple
            keys = value._fields
        else:
            keys = range(len(value))
        for key, child in zip(keys, _children(value), strict=True):
            walk(child, (*path, key))

    walk(structure, ())
    return out
