"""The global step: an int64 scalar variable ``global_step`` in the ``GLOBAL_STEP`` collection
that ``Optimizer.minimize(..., global_step=step)`` increments once per training step."""

from __future__ import annotations

import logging

from scopeflow.framework import dtypes, undo
from scopeflow.framework.defaults import get_default_graph
from scopeflow.framework.graph import GraphKeys
from scopeflow.framework.tensor import Tensor
from scopeflow.ops.control.cond import cond
from scopeflow.ops.state.storage import is_variable_initialized
from scopeflow.variables import initializers
from scopeflow.variables.variable_scope import get_variable
from scopeflow.variables.variables import Variable

_log = logging.getLogger("scopeflow")

# The collection caching the global step's read that hooks fetch (TF1's key).
GLOBAL_STEP_READ_KEY = "global_step_read_op_cache"


def assert_global_step(global_step_tensor) -> None:
    """Raises ``TypeError`` unless ``global_step_tensor`` is an integer scalar variable or
    tensor."""
    if not isinstance(global_step_tensor, (Variable, Tensor)):
        raise TypeError(
            f'Existing "global_step" must be a Variable or Tensor: {global_step_tensor}.'
        )
    if not global_step_tensor.dtype.base_dtype.is_integer:
        raise TypeError(
            f'Existing "global_step" does not have integer type: {global_step_tensor.dtype}'
        )
    shape = global_step_tensor.get_shape()
    if shape.ndims != 0 and shape.is_fully_defined():
        raise TypeError(f'Existing "global_step" is not scalar: {shape}')


def get_global_step(graph=None):
    """The graph's global step: the one variable in ``GLOBAL_STEP``, else the tensor named
    ``global_step:0``, else ``None``."""
    graph = graph or get_default_graph()
    found = graph.get_collection(GraphKeys.GLOBAL_STEP)
    if len(found) > 1:
        _log.error("Multiple tensors in global_step collection.")
        return None
    if found:
        step = found[0]
    else:
        try:
            step = graph.get_tensor_by_name("global_step:0")
        except KeyError:
            return None
    assert_global_step(step)
    return step


@undo.atomic
def create_global_step(graph=None) -> Variable:
    """Creates ``global_step``: int64, scalar, zero, not trainable, in ``GLOBAL_VARIABLES`` and
    ``GLOBAL_STEP``.

    Raises:
        ValueError: the graph already has a global step.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     step = tf.train.create_global_step()
    >>> step.name, step.dtype.name
    ('global_step:0', 'int64_ref')
    """
    graph = graph or get_default_graph()
    if get_global_step(graph) is not None:
        raise ValueError('"global_step" already exists.')
    with graph.as_default(), graph.name_scope(None):
        return get_variable(
            GraphKeys.GLOBAL_STEP,
            shape=[],
            dtype=dtypes.int64,
            initializer=initializers.Zeros(),
            trainable=False,
            collections=[GraphKeys.GLOBAL_VARIABLES, GraphKeys.GLOBAL_STEP],
        )


def get_or_create_global_step(graph=None):
    """The graph's global step, created by ``create_global_step`` if it has none."""
    graph = graph or get_default_graph()
    step = get_global_step(graph)
    return create_global_step(graph) if step is None else step


def global_step(sess, global_step_tensor) -> int:
    """The global step's value in ``sess``, as a Python int."""
    return int(sess.run(global_step_tensor))


def _get_or_create_global_step_read(graph=None):
    """The tensor the session-run hooks fetch for the global step (``global_step/add:0``, a
    copy of its value, or of its initial value when it is not yet initialized), made once per
    graph as TF1 makes it; ``None`` without a global step.

    Raises:
        RuntimeError: the graph caches more than one such tensor.
    """
    graph = graph or get_default_graph()
    cached = graph.get_collection(GLOBAL_STEP_READ_KEY)
    if len(cached) > 1:
        raise RuntimeError(
            f"There are multiple items in collection {GLOBAL_STEP_READ_KEY}. "
            "There should be only one."
        )
    if cached:
        return cached[0]
    step = get_global_step(graph)
    if step is None:
        return None
    with graph.as_default(), graph.name_scope(None), graph.name_scope(step.op.name + "/"):
        value = step
        if isinstance(step, Variable):  # TF's: the value once initialized (resource or not)
            initialized = is_variable_initialized(step)
            value = cond(initialized, step.read_value, lambda: step.initial_value)
        read = value + 0
    graph.add_to_collection(GLOBAL_STEP_READ_KEY, read)
    return read
