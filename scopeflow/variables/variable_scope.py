"""``variable_scope`` and ``get_variable``.

A variable scope carries a name prefix for variables, a reuse flag and defaults for
``get_variable`` (initializer, regularizer, dtype, custom getter). Scopes are kept per graph
and per thread; the variables themselves live in one store per graph (``store.py``).
"""

from __future__ import annotations

import contextlib
import copy
import re

from scopeflow.framework import dtypes, undo
from scopeflow.framework.defaults import get_default_graph
from scopeflow.framework.graph import Graph, GraphKeys, graph_of
from scopeflow.framework.traceback_filter import leave_boundary, register_boundary
from scopeflow.variables.store import AUTO_REUSE, VariableSpec, _variable_store
from scopeflow.variables.synchronization import on_read

# -- variable scopes ----------------------------------------------------------------------


# What a scope supplies to a ``get_variable`` call that leaves it ``None``: (argument, attribute).
def _fill_defaults(spec: VariableSpec, scope: VariableScope) -> None:
    """The scope's defaults for the arguments ``spec`` leaves ``None`` (written out: this runs
    on every ``get_variable``)."""
    if spec.dtype is None:
        spec.dtype = scope._dtype
    if spec.initializer is None:
        spec.initializer = scope._initializer
    if spec.regularizer is None:
        spec.regularizer = scope._regularizer
    if spec.reuse is None:
        spec.reuse = scope._reuse
    if spec.caching_device is None:
        spec.caching_device = scope._caching_device
    if spec.partitioner is None:
        spec.partitioner = scope._partitioner
    if spec.use_resource is None:
        spec.use_resource = scope._use_resource
    if spec.constraint is None:
        spec.constraint = scope._constraint
    if spec.trainable is None:  # TF: ON_READ variables are not trained by default
        spec.trainable = not on_read(spec.synchronization)


class VariableScope:
    """A variable scope's state: name, reuse flag and ``get_variable`` defaults.

    Get the current one with ``tf.get_variable_scope()`` or ``with tf.variable_scope(...)
    as scope``; ``scope.reuse_variables()`` turns reuse on for the rest of the block.
    """

    def __init__(
        self,
        reuse,
        name="",
        initializer=None,
        regularizer=None,
        caching_device=None,
        partitioner=None,
        custom_getter=None,
        name_scope="",
        dtype=dtypes.float32,
        use_resource=None,
        constraint=None,
    ):
        self._name = name
        self._reuse = reuse
        self._initializer = initializer
        self._regularizer = regularizer
        self._caching_device = caching_device
        self._partitioner = partitioner
        self._custom_getter = custom_getter
        self._name_scope = name_scope
        self._dtype = dtypes.as_dtype(dtype)
        self._use_resource = use_resource
        self._constraint = constraint

    name = property(lambda self: self._name)
    original_name_scope = property(lambda self: self._name_scope)
    reuse = property(lambda self: self._reuse)
    initializer = property(lambda self: self._initializer)
    regularizer = property(lambda self: self._regularizer)
    caching_device = property(lambda self: self._caching_device)
    partitioner = property(lambda self: self._partitioner)
    custom_getter = property(lambda self: self._custom_getter)
    dtype = property(lambda self: self._dtype)
    use_resource = property(lambda self: self._use_resource)
    constraint = property(lambda self: self._constraint)

    def reuse_variables(self) -> None:
        """Makes ``get_variable`` in this scope (and scopes opened in it) reuse variables."""
        self._reuse = True

    def set_initializer(self, initializer) -> None:
        self._initializer = initializer

    def set_dtype(self, dtype) -> None:
        self._dtype = dtypes.as_dtype(dtype)

    def set_regularizer(self, regularizer) -> None:
        self._regularizer = regularizer

    def set_caching_device(self, caching_device) -> None:
        self._caching_device = caching_device

    def set_partitioner(self, partitioner) -> None:
        self._partitioner = partitioner

    def set_custom_getter(self, custom_getter) -> None:
        self._custom_getter = custom_getter

    def set_use_resource(self, use_resource) -> None:
        self._use_resource = use_resource

    def get_collection(self, name: str) -> list:
        """Items of collection ``name`` under this scope's name."""
        prefix = self._name + "/" if self._name else ""
        return get_default_graph().get_collection(name, _escape(prefix))

    def global_variables(self) -> list:
        return self.get_collection(GraphKeys.GLOBAL_VARIABLES)

    def trainable_variables(self) -> list:
        return self.get_collection(GraphKeys.TRAINABLE_VARIABLES)

    def local_variables(self) -> list:
        return self.get_collection(GraphKeys.LOCAL_VARIABLES)

    def get_variable(self, var_store, spec: VariableSpec, custom_getter=None):
        """Finds or makes ``spec``'s variable in this scope (``var_store`` ``None``: the default
        graph's), completing ``spec`` in place: the scope's prefix joins its name, and its
        ``None`` arguments take the scope's defaults (``trainable``: ``True``)."""
        name = spec.name
        if not isinstance(name, str):
            raise TypeError(f"variable name must be a string, got {type(name).__name__}: {name!r}")
        graph = get_default_graph()
        store = var_store if var_store is not None else _variable_store(graph)
        if self._name:
            spec.name = f"{self._name}/{name}"
        _fill_defaults(spec, self)
        getter = self._custom_getter if custom_getter is None else custom_getter
        if getter is None:
            return store.get(spec)
        # Custom getters run at the root name scope, as in TF1.
        with graph.name_scope(None):
            return store.get(spec, getter)

    def __repr__(self) -> str:
        return f"<VariableScope name='{self._name}' reuse={self._reuse}>"


def _escape(prefix: str) -> str:
    return re.escape(prefix)


class _ScopeStore:
    """The current variable scope and how often each scope name was opened (for
    ``default_name`` uniquing), per graph and thread."""

    def __init__(self):
        self.current = VariableScope(False)
        self.counts: dict[str, int] = {}

    def open(self, name: str) -> None:
        self._set(name, self.counts.get(name, 0) + 1)

    def close_subscopes(self, name: str) -> None:
        prefix = name + "/"
        for key in [k for k, n in self.counts.items() if n and k.startswith(prefix)]:
            self._set(key, 0)

    def replace_counts(self, counts: dict[str, int]) -> None:
        old, self.counts = self.counts, counts
        undo.record(lambda: setattr(self, "counts", old))

    def _set(self, key: str, count: int) -> None:
        # Counts change while scopes open inside atomic calls (optimizer slots...): a failed
        # call must leave them as they were, or a retry would get "w/Adam_1".
        counts = self.counts
        old = counts.get(key)
        counts[key] = count
        undo.record(lambda: counts.pop(key) if old is None else counts.__setitem__(key, old))


def _scope_store(graph: Graph) -> _ScopeStore:
    local = graph._local
    store = local.scope_store
    if store is None:
        store = local.scope_store = _ScopeStore()
    return store


def get_variable_scope() -> VariableScope:
    """The current variable scope of the default graph in this thread."""
    return _scope_store(get_default_graph()).current


def _wrap_getter(inner, outer):
    """Chains custom getters: ``inner`` (the newer) gets ``outer`` as its getter."""
    if outer is None:
        return inner

    def chained(getter, *args, **kwargs):
        return inner(lambda *a, **kw: outer(getter, *a, **kw), *args, **kwargs)

    return chained


class variable_scope:  # noqa: N801 - TF1's public name
    """Opens a variable scope (and, by default, a name scope of the same name).

    ``name_or_scope`` is a string (nested under the current scope) or a ``VariableScope``
    (jumps to that scope, wherever it was made). With ``name_or_scope=None``,
    ``default_name`` is made unique. ``reuse=True`` reuses existing variables,
    ``tf.AUTO_REUSE`` creates them when missing; ``None``/``False`` inherit the parent's flag.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     with tf.variable_scope("foo"):
    ...         v = tf.get_variable("v", [1])
    ...     with tf.variable_scope("foo", reuse=True):
    ...         v1 = tf.get_variable("v", [1])
    >>> v.name, v1 is v
    ('foo/v:0', True)
    """

    def __init__(
        self,
        name_or_scope,
        default_name=None,
        values=None,
        initializer=None,
        regularizer=None,
        caching_device=None,
        partitioner=None,
        custom_getter=None,
        reuse=None,
        dtype=None,
        use_resource=None,
        constraint=None,
        auxiliary_name_scope=True,
    ):
        try:
            if default_name is None and name_or_scope is None:
                raise TypeError("If default_name is None then name_or_scope is required")
            if name_or_scope is not None and not isinstance(name_or_scope, (str, VariableScope)):
                raise TypeError(
                    "VariableScope: name_or_scope must be a string or VariableScope, got "
                    f"{type(name_or_scope).__name__}: {name_or_scope!r}"
                )
            if not isinstance(auxiliary_name_scope, bool):
                raise TypeError(
                    "The auxiliary_name_scope must be `True` or `False`, while get "
                    f"{auxiliary_name_scope!r}"
                )
            if reuse not in (None, True, False, AUTO_REUSE):
                raise ValueError(f"reuse must be True, False, None or tf.AUTO_REUSE, got {reuse!r}")
            if custom_getter is not None and not callable(custom_getter):
                raise ValueError(f"Passed a custom_getter which is not callable: {custom_getter!r}")
        except Exception as e:  # a traceback boundary: framework/traceback_filter.py
            leave_boundary(e)
            raise
        self._name_or_scope = name_or_scope
        self._default_name = default_name
        self._values = values
        self._overrides = {
            "initializer": initializer,
            "regularizer": regularizer,
            "caching_device": caching_device,
            "partitioner": partitioner,
            "dtype": dtype,
            "use_resource": use_resource,
            "constraint": constraint,
        }
        self._custom_getter = custom_getter
        self._reuse = None if reuse is False else reuse
        self._aux = auxiliary_name_scope
        self._exit_stack: contextlib.ExitStack | None = None

    def __enter__(self) -> VariableScope:
        stack = contextlib.ExitStack()
        try:
            if self._exit_stack is not None:
                raise RuntimeError("variable_scope objects are not re-entrant; make a new one")
            scope = self._enter(stack)
        except BaseException as e:  # a traceback boundary: framework/traceback_filter.py
            stack.close()
            leave_boundary(e)
            raise
        self._exit_stack = stack
        return scope

    def __exit__(self, *exc) -> None:
        stack, self._exit_stack = self._exit_stack, None
        stack.close()

    def _enter(self, stack: contextlib.ExitStack) -> VariableScope:
        graph = graph_of(self._values) if self._values else get_default_graph()
        if graph is not get_default_graph():
            stack.enter_context(graph.as_default())
        store = _scope_store(graph)
        old = store.current
        target = self._name_or_scope
        if target is None and self._reuse is True:
            raise ValueError("reuse=True cannot be used without a name_or_scope")
        name_scope = self._open_name_scope(graph, stack)
        if isinstance(target, VariableScope):
            scope = self._derived(target, target.name, target.original_name_scope)
            store.open(scope.name)
            saved_counts = dict(store.counts)
            stack.callback(store.replace_counts, saved_counts)
        else:
            if target is None:
                target = _unique_scope_name(store, self._default_name)
            full = f"{old.name}/{target}" if old.name else target
            scope = self._derived(old, full, name_scope if name_scope is not None else "")
            store.open(full)
            stack.callback(store.close_subscopes, full)
        store.current = scope
        stack.callback(setattr, store, "current", old)
        return scope

    def _open_name_scope(self, graph: Graph, stack: contextlib.ExitStack) -> str | None:
        if not self._aux:
            current = graph.get_name_scope()
            return stack.enter_context(graph.name_scope(current + "/" if current else None))
        target = self._name_or_scope
        if target is None:
            name = self._default_name
        elif isinstance(target, VariableScope):
            name = target.name.split("/")[-1]
        else:
            name = target
        if not name:
            return None
        return stack.enter_context(graph.name_scope(name))

    def _derived(self, base: VariableScope, name: str, name_scope: str) -> VariableScope:
        """``base``'s defaults under ``name``, with this block's reuse flag and overrides."""
        scope = copy.copy(base)
        scope._reuse = self._reuse or base.reuse
        scope._name = name
        scope._name_scope = name_scope
        for key, value in self._overrides.items():
            if value is not None:
                setattr(scope, "_" + key, dtypes.as_dtype(value) if key == "dtype" else value)
        if self._custom_getter is not None:
            scope._custom_getter = _wrap_getter(self._custom_getter, base.custom_getter)
        return scope


register_boundary(variable_scope.__init__)
register_boundary(variable_scope.__enter__)


def _unique_scope_name(store: _ScopeStore, prefix: str) -> str:
    current = store.current.name
    full = f"{current}/{prefix}" if current else prefix
    if store.counts.get(full, 0) == 0:
        return prefix
    i = 1
    while store.counts.get(f"{full}_{i}", 0) > 0:
        i += 1
    return f"{prefix}_{i}"


@undo.atomic
def get_variable(
    name,
    shape=None,
    dtype=None,
    initializer=None,
    regularizer=None,
    trainable=None,
    collections=None,
    caching_device=None,
    partitioner=None,
    validate_shape=True,
    use_resource=None,
    custom_getter=None,
    constraint=None,
    synchronization=None,
    aggregation=None,
):
    """Gets the variable ``<scope>/<name>``, or creates it, as the scope's reuse flag says.

    Arguments left ``None`` take the current variable scope's defaults.

    Raises:
        ValueError: it exists and the scope does not reuse ("already exists"), it is missing
            and the scope reuses ("does not exist"), or shape/dtype differ from the existing
            variable.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     with tf.variable_scope("layer"):
    ...         w = tf.get_variable("w", [3, 4], initializer=tf.zeros_initializer())
    >>> w.name, w.shape.as_list()
    ('layer/w:0', [3, 4])
    """
    spec = VariableSpec(
        name,
        shape=shape,
        dtype=dtype,
        initializer=initializer,
        regularizer=regularizer,
        trainable=trainable,
        collections=collections,
        caching_device=caching_device,
        partitioner=partitioner,
        validate_shape=validate_shape,
        use_resource=use_resource,
        constraint=constraint,
        synchronization=synchronization,
        aggregation=aggregation,
    )
    return get_variable_scope().get_variable(None, spec, custom_getter)


@undo.atomic
def get_local_variable(
    name,
    shape=None,
    dtype=None,
    initializer=None,
    regularizer=None,
    trainable=False,
    collections=None,
    caching_device=None,
    partitioner=None,
    validate_shape=True,
    use_resource=None,
    custom_getter=None,
    constraint=None,
    synchronization=None,
    aggregation=None,
):
    """``get_variable`` into ``LOCAL_VARIABLES`` (not saved, not trained: ``trainable`` is
    ignored, as in TF1)."""
    spec = VariableSpec(
        name,
        shape=shape,
        dtype=dtype,
        initializer=initializer,
        regularizer=regularizer,
        trainable=False,
        collections=list(collections or []) + [GraphKeys.LOCAL_VARIABLES],
        caching_device=caching_device,
        partitioner=partitioner,
        validate_shape=validate_shape,
        use_resource=use_resource,
        constraint=constraint,
        synchronization=synchronization,
        aggregation=aggregation,
    )
    return get_variable_scope().get_variable(None, spec, custom_getter)


@undo.atomic
def create_partitioned_variables(
    shape,
    slicing,
    initializer,
    dtype=dtypes.float32,
    trainable=True,
    collections=None,
    name=None,
    reuse=None,
):
    """TF1's deprecated way to partitioned variables: the parts (a list) of a variable named
    after the scope ``name`` (default ``"PartitionedVariable"``), cut as ``slicing`` says.
    Prefer ``get_variable(..., partitioner=...)``.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     parts = tf.create_partitioned_variables([10, 4], [2, 1], tf.zeros_initializer())
    >>> [v.name for v in parts]
    ['PartitionedVariable/part_0:0', 'PartitionedVariable/part_1:0']
    """
    if len(shape) != len(slicing):
        raise ValueError(
            "The 'shape' and 'slicing' of a partitioned Variable must have the length: "
            f"shape: {shape}, slicing: {slicing}"
        )
    if len(shape) < 1:
        raise ValueError(f"A partitioned Variable must have rank at least 1: shape: {shape}")
    with variable_scope(name, "PartitionedVariable", reuse=reuse) as scope:
        if scope.custom_getter is not None:
            raise ValueError(
                "Private access to _get_partitioned_variable is not allowed when a custom "
                f"getter is set.  Current custom getter: {scope.custom_getter}.  It is likely "
                "that you're using create_partitioned_variables.  If so, consider instead "
                "using get_variable with a non-empty partitioner parameter instead."
            )
        spec = VariableSpec(
            scope.name,
            shape=shape,
            dtype=dtype,
            initializer=initializer,
            trainable=trainable,
            collections=collections,
            partitioner=lambda **unused: slicing,
        )
        _fill_defaults(spec, scope)
        return list(_variable_store(get_default_graph()).get(spec))
