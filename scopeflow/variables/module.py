"""``tf.Module``: a named container of variables and other modules, found through its
attributes; ``tf.train.Checkpoint`` saves it by those attribute names."""

from __future__ import annotations

import functools
import re

from scopeflow.framework.graph_api import name_scope as _name_scope
from scopeflow.variables.variables import Variable

_CAMEL = re.compile(r"(?<=[a-z0-9])([A-Z])|(?<!^)([A-Z])(?=[a-z])")


def _snake_case(name: str) -> str:
    """``MyDense`` -> ``my_dense``, ``MLPBlock`` -> ``mlp_block``."""
    return _CAMEL.sub(lambda m: "_" + (m.group(1) or m.group(2)), name).lower()


class _ModuleScope:
    """A module's name scope (``name`` ends in ``/``), re-entered each time it is used."""

    def __init__(self, name: str):
        self.name = name
        self._stack: list = []

    def __enter__(self) -> str:
        manager = _name_scope(self.name)
        self._stack.append(manager)
        return manager.__enter__()

    def __exit__(self, *exc):
        return self._stack.pop().__exit__(*exc)


def _leaves(value, found: list) -> None:
    """The non-container values inside ``value`` (lists, tuples, dicts by sorted key)."""
    if isinstance(value, dict):
        for key in sorted(value, key=str):
            _leaves(value[key], found)
    elif isinstance(value, (list, tuple)):
        for item in value:
            _leaves(item, found)
    else:
        found.append(value)


class Module:
    """``tf.Module``: attributes that are variables or modules (also inside lists, tuples and
    dicts) are found by ``variables``, ``trainable_variables`` and ``submodules`` and saved by
    ``tf.train.Checkpoint``; ``name_scope`` names the ops built within it.

    >>> import scopeflow as tf
    >>> class Scale(tf.Module):
    ...     def __init__(self, name=None):
    ...         super().__init__(name=name)
    ...         with self.name_scope:
    ...             self.w = tf.Variable(2.0, name="w")
    >>> with tf.Graph().as_default():
    ...     print(Scale().w.name, [v.name for v in Scale().variables])
    scale/w:0 ['scale_1/w:0']
    """

    _TF_MODULE_IGNORED_PROPERTIES = frozenset(("_name", "_scope_name", "_module_scope"))
    _is_tf_module = True  # also set by tf.layers' Layer: TF's Keras layers are modules

    def __init__(self, name: str | None = None):
        if name is None:
            name = _snake_case(type(self).__name__)
        elif not (isinstance(name, str) and name.isidentifier()):
            raise ValueError(
                f"{name!r} is not a valid module name. Module names must be valid Python "
                "identifiers (e.g. a valid class name)."
            )
        self._name = name
        with _name_scope(name) as scope_name:
            self._module_scope = _ModuleScope(scope_name)

    @property
    def name(self) -> str:
        """The name given (or the class's name in snake case)."""
        return self._name

    @property
    def name_scope(self) -> _ModuleScope:
        """The module's name scope (``.name`` is e.g. ``"dense_1/"``): ``with m.name_scope:``."""
        return self._module_scope

    @property
    def variables(self) -> tuple:
        """The variables of this module and its submodules, each once: this module's own
        attributes first (sorted by attribute name), then each submodule's."""
        return tuple(self._flatten(lambda v: isinstance(v, Variable)))

    @property
    def trainable_variables(self) -> tuple:
        """``variables`` that are trainable."""
        return tuple(self._flatten(lambda v: isinstance(v, Variable) and v.trainable))

    @property
    def non_trainable_variables(self) -> tuple:
        """``variables`` that are not trainable."""
        return tuple(self._flatten(lambda v: isinstance(v, Variable) and not v.trainable))

    @property
    def submodules(self) -> tuple:
        """The modules held by this one's attributes, and theirs, each once."""
        return tuple(self._flatten(_is_module))

    def _flatten(self, predicate) -> list:
        found: list = []
        _walk(self, predicate, {id(self)}, found)
        return found

    def _trackable_children(self) -> list:
        """``(attribute, value)`` for each attribute, in the order they were set (the
        checkpoint keeps those that are trackable)."""
        ignored = self._TF_MODULE_IGNORED_PROPERTIES
        return [(k, v) for k, v in vars(self).items() if k not in ignored]

    @classmethod
    def with_name_scope(cls, method):
        """Decorates a method so that it runs within the module's ``name_scope``."""

        @functools.wraps(method)
        def wrapped(self, *args, **kwargs):
            with self.name_scope:
                return method(self, *args, **kwargs)

        return wrapped


def _is_module(value) -> bool:
    return getattr(type(value), "_is_tf_module", False)


def _walk(module, predicate, seen: set, found: list) -> None:
    """TF's order: the module's own attributes sorted by name, then each submodule in
    turn (depth first); each object once."""
    submodules = []
    ignored = getattr(module, "_TF_MODULE_IGNORED_PROPERTIES", ())
    for key in sorted(vars(module)):
        if key in ignored:
            continue
        leaves: list = []
        _leaves(vars(module)[key], leaves)
        for leaf in leaves:
            if id(leaf) in seen:
                continue
            seen.add(id(leaf))
            if predicate(leaf):
                found.append(leaf)
            if _is_module(leaf):
                submodules.append(leaf)
    for submodule in submodules:
        _walk(submodule, predicate, seen, found)
