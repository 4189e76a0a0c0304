"""``Graph``: ops, unique names, name scopes, collections and control dependencies."""

from __future__ import annotations

import contextlib
import difflib
import logging
import re
import threading
from collections.abc import Iterator
from typing import Any

from scopeflow.framework import colocation, defaults, source, undo
from scopeflow.framework.device import merge_device
from scopeflow.framework.feed_fetch import FeedFetchRules
from scopeflow.framework.graph_keys import GraphKeys  # noqa: F401 - its home before
from scopeflow.framework.indexed_slices import IndexedSlices
from scopeflow.framework.operation import Operation
from scopeflow.framework.registry import get_op_def
from scopeflow.framework.tensor import Tensor, shape_text

_VALID_OP_NAME = re.compile(r"^[A-Za-z0-9.][A-Za-z0-9_.\-/>]*$")
_VALID_SCOPE_NAME = re.compile(r"^[A-Za-z0-9_.\-/>]*$")
# The GraphDef writer (scopeflow.graph_io, a layer above) registered at import.
_GRAPH_DEF_EXPORTER: list = []


def register_graph_def_exporter(fn) -> None:
    """Called once by ``scopeflow.graph_io``: ``fn(graph, from_version, add_shapes)``."""
    _GRAPH_DEF_EXPORTER[:] = [fn]


class _ControlScope:
    """One ``control_dependencies`` block: its inputs and the ops made inside it."""

    __slots__ = ("control_inputs", "ops_made")

    def __init__(self, control_inputs: list[Operation]):
        self.control_inputs = control_inputs
        self.ops_made: set[Operation] = set()


class _ThreadState(threading.local):
    """Per-thread building state of one graph (TF1 keeps these per thread too)."""

    def __init__(self):
        self.name_stack = ""
        self.control_scopes: list[_ControlScope] = []
        self.device = ""
        self.device_functions: tuple = ()  # tf.device(fn), outermost first
        self.scope_store: Any = None  # the variable-scope stack, owned by scopeflow.variables
        # The innermost tf.cond branch being built (owned by scopeflow.ops.control.cond):
        # it reroutes the inputs of every op made inside it, see ``create_op``.
        self.control_flow_context: Any = None
        self.gradient_overrides: dict[str, str] = {}  # op type -> gradient name
        self.container = ""  # tf.container: given to the ops made inside with an empty one
        self.colocation = colocation.State()  # tf.colocate_with's ops, a variable's group


def closest_names(name: str, candidates, n: int = 3) -> str:
    """``" Did you mean 'a', 'b'?"`` for the nearest candidates, or ``""``."""
    close = difflib.get_close_matches(name, list(candidates), n=n, cutoff=0.6)
    return (" Did you mean " + ", ".join(f"'{c}'" for c in close) + "?") if close else ""


class Graph(FeedFetchRules):
    """A TF1 dataflow graph: operations, their names and scopes, and collections.

    >>> import scopeflow as tf
    >>> g = tf.Graph()
    >>> with g.as_default():
    ...     c = tf.constant(1.0)
    >>> c.graph is g, c.op.name
    (True, 'Const')
    """

    def __init__(self):
        self._lock = threading.RLock()
        self._ops: list[Operation] = []
        self._ops_by_name: dict[str, Operation] = {}
        self._names_in_use: dict[str, int] = {}
        self._collections: dict[str, list] = {}
        self._local = _ThreadState()
        self._finalized = False
        self._stores: dict[str, Any] = {}
        self.seed: int | None = None
        self._device_logged = False  # tf.device's log line: once per graph

    # -- building -------------------------------------------------------------------------

    def as_default(self):
        """Context manager making this graph the default in the current thread."""
        return defaults.push_graph(self)

    @property
    def finalized(self) -> bool:
        return self._finalized

    def finalize(self) -> None:
        """Makes the graph read-only: adding ops or collection entries then raises."""
        self._finalized = True

    def _unsafe_unfinalize(self) -> None:
        """Makes a finalized graph writable again (a monitored session does so on close)."""
        self._finalized = False

    def _check_not_finalized(self) -> None:
        if self._finalized:
            raise RuntimeError("Graph is finalized and cannot be modified.")

    @property
    def version(self) -> int:
        return len(self._ops)

    def create_op(
        self,
        op_type: str,
        inputs: list[Tensor],
        attrs: dict[str, Any] | None = None,
        name: str | None = None,
    ) -> Operation:
        """Adds an op of a registered type; its outputs' dtypes and shapes are inferred.

        A ``name`` ending in ``/`` (a scope returned by ``name_scope``) is used as is; any other
        name is made unique under the current name scope.
        """
        self._check_not_finalized()
        op_def = get_op_def(op_type)
        attrs = {} if attrs is None else attrs
        for i, t in enumerate(inputs):
            if not isinstance(t, Tensor):
                raise TypeError(f"Input to op '{op_type}' must be a Tensor, got {t!r}")
            if t.graph is not self:
                if getattr(self, "_capture", None) is None:  # tf.data: see data/function.py
                    raise ValueError(f"{t!r} must be from the same graph as the op being created.")
                inputs = [*inputs[:i], self._capture(t), *inputs[i + 1 :]]
        with self._lock:
            # An empty name (``name_scope("")`` at the root) falls back to the op type, as in TF.
            requested = name or op_type
            exact = requested.endswith("/")
            # Peek at the name first: a failed inference must not reserve it.
            name = requested[:-1] if exact else self.unique_name(requested, mark_as_used=False)
            try:
                specs = op_def.infer(inputs, attrs)
            except ValueError as e:
                shapes = ", ".join(shape_text(t.shape) for t in inputs)
                args = ", ".join(t.op.name if t.value_index == 0 else t.name for t in inputs)
                node = f"'{{{{node {name}}}}} = {op_type}({args})'"
                raise ValueError(f"{e} for {node} with input shapes: {shapes}.") from None
            if not _VALID_OP_NAME.match(name):
                raise ValueError(f"'{name}' is not a valid node name")
            if name in self._ops_by_name:
                raise ValueError(f"Duplicate node name in graph: '{name}'")
            if not exact:
                self.unique_name(requested)
            state = self._local
            if state.container and attrs.get("container", None) in ("", b""):
                attrs = {**attrs, "container": state.container.encode()}  # bytes, as TF's
            control_inputs = self._control_inputs_for(inputs, state.control_scopes)
            op = Operation(
                self,
                op_def,
                name,
                inputs,
                specs,
                attrs,
                control_inputs,
                state.device,
                source.user_frames(),
            )
            for function in state.device_functions:  # as TF1: each sees the device so far
                op._device = merge_device(op._device, function(op) or "")
            colocation.place(op, state.colocation)
            op._gradient_op_type = state.gradient_overrides.get(op_type)
            self._add_op(op)
            for scope in state.control_scopes:
                scope.ops_made.add(op)
            flow = state.control_flow_context
            if flow is not None:  # a cond branch or loop body: reroutes outside inputs
                flow.add_op(self, op)
        return op

    def _add_op(self, op: Operation) -> None:
        op._id = len(self._ops)
        self._ops.append(op)
        self._ops_by_name[op.name] = op
        for t in op.inputs:
            t._consumers.append(op)
        undo.record(lambda: self._remove_op(op))

    def _remove_op(self, op: Operation) -> None:
        for t in op.inputs:
            t._consumers.remove(op)
        del self._ops_by_name[op.name]
        self._ops.remove(op)

    def _control_inputs_for(self, inputs, scopes: list[_ControlScope]) -> list[Operation]:
        if not scopes:
            return []
        input_ops = {t.op for t in inputs}
        out: list[Operation] = []
        for scope in scopes:
            # An input made inside this block already waits for the block's control inputs.
            if input_ops & scope.ops_made:
                continue
            out.extend(c for c in scope.control_inputs if c not in input_ops and c not in out)
        return out

    # -- names ----------------------------------------------------------------------------

    def unique_name(self, name: str, mark_as_used: bool = True) -> str:
        """Prefixes ``name`` with the current name scope and makes it unique, as TF1 does.

        The first use keeps the name; later uses get ``_1``, ``_2``... skipping any suffix
        already taken. Names collide case-insensitively (``"Add"`` after ``"add"`` is
        ``"Add_1"``), because some filesystems that hold checkpoints ignore case.

        >>> g = Graph()
        >>> [g.unique_name("add"), g.unique_name("add"), g.unique_name("Add")]
        ['add', 'add_1', 'Add_2']
        >>> g.unique_name("add_3"), g.unique_name("add")
        ('add_3', 'add_4')
        """
        stack = self._local.name_stack
        if stack:
            name = f"{stack}/{name}"
        key = name.lower()
        with self._lock:
            count = self._names_in_use.get(key, 0)
            if mark_as_used:
                self._set_name_count(key, count + 1)
            if count > 0:
                base = key
                while key in self._names_in_use:
                    key = f"{base}_{count}"
                    count += 1
                if mark_as_used:
                    self._set_name_count(key, 1)
                name = f"{name}_{count - 1}"
        return name

    def _reserve_name(self, name: str) -> None:
        """Marks the exact op name ``name`` (an imported node's) as used: later ops asking
        for it get ``_1``, as after TF1's ``import_graph_def``."""
        key = name.lower()
        with self._lock:
            if key not in self._names_in_use:
                self._set_name_count(key, 1)

    def _set_name_count(self, key: str, count: int) -> None:
        names = self._names_in_use
        old = names.get(key)
        names[key] = count
        if old is None:
            undo.record(lambda: names.pop(key, None))
        else:
            undo.record(lambda: names.__setitem__(key, old))

    def get_name_scope(self) -> str:
        """The current name scope, without a trailing ``/`` (``""`` at the root)."""
        return self._local.name_stack

    @contextlib.contextmanager
    def name_scope(self, name: str | None) -> Iterator[str]:
        """Opens a name scope and yields its name with a trailing ``/``.

        ``None`` or ``""`` returns to the root; a name ending in ``/`` re-enters that exact
        scope; any other name opens a new, uniquified scope under the current one.
        """
        state = self._local
        old = state.name_stack
        if name:
            if isinstance(name, bytes):
                name = name.decode()
            if not isinstance(name, str):
                raise TypeError(f"name scope must be a string, got {type(name).__name__}: {name!r}")
            pattern = _VALID_SCOPE_NAME if old else _VALID_OP_NAME
            if not pattern.match(name):
                kind = "scope name" if old else "root scope name"
                raise ValueError(
                    f"'{name}' is not a valid {kind}. A {kind} has to match the following "
                    f"pattern: {pattern.pattern}"
                )
            if name.endswith("/"):
                new, returned = name[:-1], name
            else:
                new = self.unique_name(name)
                returned = new + "/"
        else:
            new = returned = ""
        state.name_stack = new
        try:
            yield returned
        finally:
            state.name_stack = old

    @contextlib.contextmanager
    def gradient_override_map(self, op_type_map: dict[str, str]) -> Iterator[None]:
        """Ops of the mapped types made inside, in this graph, take the gradient registered
        under the mapped name (``tf.RegisterGradient``) instead of their type's own.

        Like the name scope, the mapping belongs to the current thread (TF1 shares it between
        the threads building one graph).

        >>> import scopeflow as tf
        >>> g = tf.Graph()
        >>> with g.as_default():
        ...     x = tf.constant(3.0)
        ...     with g.gradient_override_map({"Identity": "StopGradient"}):
        ...         y = tf.identity(x)
        ...     tf.gradients(y, x)
        [None]
        """
        if not isinstance(op_type_map, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in op_type_map.items()
        ):
            raise TypeError("op_type_map must be a dictionary mapping strings to strings")
        state = self._local
        old = state.gradient_overrides
        state.gradient_overrides = {**old, **op_type_map}
        try:
            yield
        finally:
            state.gradient_overrides = old

    # -- control dependencies and placement -------------------------------------------------

    @contextlib.contextmanager
    def control_dependencies(self, control_inputs) -> Iterator[None]:
        """Ops made inside run only after ``control_inputs``; ``None`` clears outer blocks and,
        as in TF1, the control-flow context (a variable made in a loop body or a cond branch
        is made outside it)."""
        state = self._local
        old, old_flow = state.control_scopes, state.control_flow_context
        if control_inputs is None:
            state.control_scopes = []
            state.control_flow_context = None
        else:
            ops = [self._as_control_input(c) for c in control_inputs]
            state.control_scopes = [*old, _ControlScope(ops)]
        try:
            yield
        finally:
            state.control_scopes = old
            state.control_flow_context = old_flow

    def _as_control_input(self, c) -> Operation:
        element = c._as_graph_element() if hasattr(c, "_as_graph_element") else c
        if isinstance(element, IndexedSlices):  # as TF: the op making its values
            element = element.op
        if isinstance(element, Tensor):
            element = element.op
        if not isinstance(element, Operation):
            raise TypeError(
                f"Can not convert a {type(c).__name__} into a Operation: control inputs must "
                "be ops, tensors or variables."
            )
        if element.graph is not self:
            raise ValueError(
                f"Control input {element!r} is not an element of this graph: control inputs "
                "must come from the graph of the ops made in the block."
            )
        return element

    @contextlib.contextmanager
    def device(self, device_name_or_function) -> Iterator[None]:
        """Records a device (a string, a ``tf.DeviceSpec``, or a function of the op returning
        one, as ``tf.train.replica_device_setter``; ``None`` clears it) on the ops made inside,
        in ``op.device`` and GraphDefs; it places nothing: scopeflow runs a graph on the
        executor's devices (``scopeflow.distribute.data_parallel`` for many)."""
        state = self._local
        old, old_functions = state.device, state.device_functions
        spec = device_name_or_function
        if spec is None:
            state.device, state.device_functions = "", ()
        elif callable(spec):
            state.device_functions = (*old_functions, spec)
        else:
            state.device = merge_device(old, spec)
        if spec is not None and not self._device_logged:
            self._device_logged = True
            logging.getLogger("scopeflow").info(
                "tf.device(%r): scopeflow records devices on ops but does not place them by "
                "device; for many devices use scopeflow.distribute.data_parallel",
                spec,
            )
        try:
            yield
        finally:
            state.device, state.device_functions = old, old_functions

    @contextlib.contextmanager
    def colocate_with(self, op, ignore_existing: bool = False) -> Iterator[None]:
        """Ops made inside join ``op``'s colocation groups (their ``_class`` attr, as TF1's) and
        take its device, not the enclosing ``device`` blocks'; see ``framework/colocation.py``."""
        target = colocation.target_of(op, ignore_existing)
        state = self._local
        old = state.device, state.device_functions, state.colocation.stack
        state.device, state.device_functions = "", ()
        stack = () if ignore_existing else old[2]
        state.colocation.stack = stack if target is None else (*stack, target)
        try:
            yield
        finally:
            state.device, state.device_functions, state.colocation.stack = old

    def as_graph_def(self, from_version: int | None = None, add_shapes: bool = False):
        """This graph as TensorFlow's ``GraphDef`` protocol buffer (see ``scopeflow.graph_io``).

        >>> import scopeflow as tf
        >>> g = tf.Graph()
        >>> with g.as_default():
        ...     _ = tf.constant(1.0, name="c")
        >>> [(n.name, n.op) for n in g.as_graph_def().node]
        [('c', 'Const')]
        """
        return _GRAPH_DEF_EXPORTER[0](self, from_version, add_shapes)

    @property
    def graph_def_versions(self):
        """The ``VersionDef`` of this graph's ``GraphDef``."""
        return self.as_graph_def(from_version=self.version).versions

    # -- lookup ---------------------------------------------------------------------------

    def get_operations(self) -> list[Operation]:
        """All ops, in the order they were created."""
        return list(self._ops)

    def get_operation_by_name(self, name: str) -> Operation:
        if not isinstance(name, str):
            raise TypeError(f"Operation names are strings (or similar), not {type(name).__name__}.")
        element = self.as_graph_element(name, allow_tensor=False, allow_operation=True)
        return element

    def get_tensor_by_name(self, name: str) -> Tensor:
        if not isinstance(name, str):
            raise TypeError(f"Tensor names are strings (or similar), not {type(name).__name__}.")
        return self.as_graph_element(name, allow_tensor=True, allow_operation=False)

    def as_graph_element(self, obj, allow_tensor: bool = True, allow_operation: bool = True):
        """Resolves a Tensor, Operation, name or graph-element-like object in this graph."""
        if hasattr(obj, "_as_graph_element"):
            obj = obj._as_graph_element()
        if isinstance(obj, str):
            return self._element_by_name(obj, allow_tensor, allow_operation)
        if isinstance(obj, (Tensor, Operation)):
            kind_ok = allow_tensor if isinstance(obj, Tensor) else allow_operation
            if not kind_ok:
                want = "Tensor" if allow_tensor else "Operation"
                raise TypeError(f"Can not convert a {type(obj).__name__} into a {want}.")
            if obj.graph is not self:
                raise ValueError(f"{obj!r} is not an element of this graph.")
            return obj
        want = " or ".join(
            k for k, ok in (("Tensor", allow_tensor), ("Operation", allow_operation)) if ok
        )
        raise TypeError(f"Can not convert a {type(obj).__name__} into a {want}.")

    def _element_by_name(self, name: str, allow_tensor: bool, allow_operation: bool):
        if ":" in name and allow_tensor:
            op_name, _, index = name.partition(":")
            try:
                index_i = int(index)
            except ValueError:
                raise ValueError(
                    f"The name '{name}' looks a like a Tensor name, but is not a valid one. "
                    'Tensor names must be of the form "<op_name>:<output_index>".'
                ) from None
            op = self._ops_by_name.get(op_name)
            if op is None:
                raise KeyError(
                    f"The name '{name}' refers to a Tensor which does not exist. The operation, "
                    f"'{op_name}', does not exist in the graph."
                    + closest_names(op_name, self._ops_by_name)
                )
            if not 0 <= index_i < len(op._outputs):
                raise KeyError(
                    f"The name '{name}' refers to a Tensor which does not exist. The operation, "
                    f"'{op_name}', exists but only has {len(op._outputs)} outputs."
                )
            return op._outputs[index_i]
        if ":" in name:
            raise ValueError(f"Name '{name}' appears to refer to a Tensor, not a Operation.")
        op = self._ops_by_name.get(name)
        if not allow_operation:
            if op is not None:
                raise ValueError(
                    f"The name '{name}' refers to an Operation, not a Tensor. Tensor names "
                    f"must be of the form \"<op_name>:<output_index>\", e.g. '{name}:0'."
                )
            raise ValueError(
                f"The name '{name}' looks like an (invalid) Operation name, not a Tensor. "
                'Tensor names must be of the form "<op_name>:<output_index>".'
            )
        if op is None:
            raise KeyError(
                f"The name '{name}' refers to an Operation not in the graph."
                + closest_names(name, self._ops_by_name)
            )
        return op

    # -- collections ----------------------------------------------------------------------

    def add_to_collection(self, name: str, value) -> None:
        """Appends ``value`` to the collection ``name``."""
        self._check_not_finalized()
        with self._lock:
            items = self._collections.setdefault(name, [])
            items.append(value)
        undo.record(lambda: _remove_last(items, value))

    def add_to_collections(self, names, value) -> None:
        names = (names,) if isinstance(names, str) else set(names)
        for name in names:
            self.add_to_collection(name, value)

    def get_collection_ref(self, name: str) -> list:
        """The live list behind collection ``name`` (created empty if missing)."""
        with self._lock:
            return self._collections.setdefault(name, [])

    def get_collection(self, name: str, scope: str | None = None) -> list:
        """A copy of collection ``name``, keeping items whose name matches ``scope`` at its
        start (a regular expression, as in TF1)."""
        items = list(self._collections.get(name, ()))
        if scope is None:
            return items
        pattern = re.compile(scope)
        return [v for v in items if hasattr(v, "name") and pattern.match(v.name)]

    def get_all_collection_keys(self) -> list[str]:
        return [k for k in self._collections if isinstance(k, str)]

    @property
    def collections(self) -> list:
        """The names (keys) of the graph's collections, in the order they were made."""
        return list(self._collections)

    # A scopeflow graph is never a function's body (tf.function builds ops inline).
    building_function = False

    def switch_to_thread_local(self) -> None:
        """Nothing to do: each thread already keeps its own control dependencies, device,
        name and colocation stacks (what TF's switch makes thread-local)."""

    def clear_collection(self, name: str) -> None:
        self._check_not_finalized()
        self._collections.pop(name, None)

    def _store(self, key: str, factory):
        """A per-graph object owned by a higher layer (e.g. the variable store)."""
        with self._lock:
            store = self._stores.get(key)
            if store is None:
                store = self._stores[key] = factory()
            return store


def _remove_last(items: list, value) -> None:
    for i in range(len(items) - 1, -1, -1):
        if items[i] is value:
            del items[i]
            return


def graph_of(values) -> Graph:
    """The graph shared by the graph elements among ``values`` (the default graph if none);
    ``ValueError`` if two elements come from different graphs."""
    graph = first = None
    for v in values:
        if isinstance(v, (Tensor, Operation)):
            g = v.graph
        elif hasattr(v, "_as_graph_element"):
            element = v._as_graph_element()
            g = element.graph if element is not None else None
        else:
            continue
        if g is None:
            continue
        if graph is None:
            graph, first = g, v
        elif g is not graph:
            raise ValueError(
                f"{v!r} must be from the same graph as {first!r} (they belong to two different "
                "tf.Graph objects)."
            )
    return graph if graph is not None else defaults.get_default_graph()


defaults.register_graph_class(Graph)
