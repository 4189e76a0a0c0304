"""Module-level functions acting on the default graph (``tf.name_scope``, collections...)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from scopeflow.framework.defaults import get_default_graph
from scopeflow.framework.graph import Graph, graph_of


@contextlib.contextmanager
def name_scope(name, default_name: str | None = None, values=None) -> Iterator[str]:
    """Opens a name scope for ops (not variables) and yields its full name with a ``/``.

    ``name`` is used when given, else ``default_name``; both are made unique. ``values`` are
    the tensors the ops inside will use: their graph becomes the default inside the block.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     with tf.name_scope("layer") as scope:
    ...         c = tf.constant(1.0)
    >>> scope, c.op.name
    ('layer/', 'layer/Const')
    """
    if name is None and default_name is None and values is not None:
        raise ValueError(
            f"At least one of name ({name}) and default_name ({default_name}) must be provided."
        )
    scope_name = default_name if name is None else name
    graph = get_default_graph()
    if values and getattr(graph, "_capture", None) is None:  # tf.data captures other graphs'
        graph = graph_of(values)
    if graph is get_default_graph():
        with graph.name_scope(scope_name) as scope:
            yield scope
    else:
        with graph.as_default(), graph.name_scope(scope_name) as scope:
            yield scope


def get_name_scope() -> str:
    """The current name scope of the default graph (no trailing ``/``)."""
    return get_default_graph().get_name_scope()


def control_dependencies(control_inputs):
    """Ops made in the block run after ``control_inputs`` (``None`` clears outer blocks)."""
    return get_default_graph().control_dependencies(control_inputs)


@contextlib.contextmanager
def init_scope() -> Iterator[None]:
    """A block for ops that initialize state: control dependencies and the control-flow
    context (a ``tf.while_loop`` body, a ``tf.cond`` branch) are cleared, the name scope kept.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     x = tf.constant(1.0)
    ...     with tf.name_scope("s"), tf.control_dependencies([x]), tf.init_scope():
    ...         c = tf.constant(2.0, name="c")
    >>> c.name, c.op.control_inputs
    ('s/c:0', [])
    """
    graph = get_default_graph()
    scope = graph.get_name_scope()
    with graph.name_scope(scope + "/" if scope else ""), graph.control_dependencies(None):
        yield


def device(device_name_or_function):
    """Records a device (e.g. ``"/gpu:0"``, or a function of the op giving one) on the ops
    made in the block."""
    return get_default_graph().device(device_name_or_function)


@contextlib.contextmanager
def _graph_container(graph, container_name: str) -> Iterator[str]:
    """Ops made in the block whose ``container`` attr is empty (variables, queues, tables,
    readers...) get ``container_name`` (``""`` clears an outer one), as TF1's. scopeflow keeps
    their state per session whatever the container: see ``container``."""
    state = graph._local
    old, state.container = state.container, str(container_name or "")
    try:
        yield container_name
    finally:
        state.container = old


Graph.container = _graph_container  # TF1's Graph.container


def container(container_name: str):
    """``tf.container``: the ops made in the block record ``container_name`` in their
    ``container`` attr, as TF1's. The attr travels in GraphDefs; scopeflow's sessions keep
    each op's state on their own (there are no containers to share or reset:
    ``Session.reset`` is not supported).

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     with tf.container("experiment0"):
    ...         v = tf.Variable(1.0)
    >>> v.op.get_attr("container")
    b'experiment0'
    """
    return get_default_graph().container(container_name)


def colocate_with(op, ignore_existing: bool = False):
    """Ops made inside are placed with ``op`` (an op, tensor or variable): they join its
    colocation groups (``_class``) and take its device, as TF1's; see ``Graph.colocate_with``."""
    return get_default_graph().colocate_with(op, ignore_existing)


def add_to_collection(name: str, value) -> None:
    get_default_graph().add_to_collection(name, value)


def add_to_collections(names, value) -> None:
    get_default_graph().add_to_collections(names, value)


def get_collection(key: str, scope: str | None = None) -> list:
    """A copy of the default graph's collection ``key``, filtered by the ``scope`` regex."""
    return get_default_graph().get_collection(key, scope)


def get_collection_ref(key: str) -> list:
    return get_default_graph().get_collection_ref(key)
