"""``tf.keras.backend``: the session Keras runs in, the learning phase, and small helpers.

As in TF1.15, Keras keeps one session per default graph (``get_session``: the default session
if one is entered, else a session of its own on the default graph) and initializes the
variables that are not yet initialized each time it hands that session out. The learning
phase is a ``keras_learning_phase`` placeholder (default ``False``) per graph, fed ``True``
by ``fit``; ``set_learning_phase`` fixes it to a Python value instead.

>>> import scopeflow as tf
>>> K = tf.keras.backend
>>> with tf.Graph().as_default():
...     print(K.learning_phase().name, K.floatx(), K.epsilon())
keras_learning_phase:0 float32 1e-07
"""

from __future__ import annotations

import builtins
import collections
import contextlib
import sys

import numpy as np

from scopeflow.framework import dtypes, nest
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.defaults import get_default_graph, get_default_session
from scopeflow.framework.defaults import reset_default_graph as _reset_default_graph
from scopeflow.framework.graph import GraphKeys, graph_of
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.tensor import Tensor
from scopeflow.gradients import gradients as _gradients
from scopeflow.keras import backend_array, backend_math, backend_nn
from scopeflow.keras.backend_array import *  # noqa: F403 - tf.keras.backend's names
from scopeflow.keras.backend_array import ones_like
from scopeflow.keras.backend_config import (  # noqa: F401 - tf.keras.backend's names
    epsilon,
    floatx,
    image_data_format,
    set_epsilon,
    set_floatx,
    set_image_data_format,
)
from scopeflow.keras.backend_ctc import *  # noqa: F403 - tf.keras.backend's names
from scopeflow.keras.backend_extra import *  # noqa: F403 - tf.keras.backend's names
from scopeflow.keras.backend_math import *  # noqa: F403 - tf.keras.backend's names
from scopeflow.keras.backend_math import cast, int_shape, ndim
from scopeflow.keras.backend_nn import *  # noqa: F403 - tf.keras.backend's names
from scopeflow.keras.backend_rnn import *  # noqa: F403 - tf.keras.backend's names
from scopeflow.ops.array import basic as array_ops
from scopeflow.ops.array import join
from scopeflow.ops.array.basic import placeholder as _placeholder
from scopeflow.ops.array.basic import placeholder_with_default
from scopeflow.ops.control.cond import cond
from scopeflow.ops.control.functional import foldl as _foldl
from scopeflow.ops.control.functional import foldr as _foldr
from scopeflow.ops.control.functional import map_fn as _map_fn
from scopeflow.ops.control.grouping import group
from scopeflow.ops.control.printing import print_v2
from scopeflow.ops.math import linalg
from scopeflow.ops.math.selection import where_v2
from scopeflow.ops.sparse.tensor import SparseTensor
from scopeflow.ops.state.storage import assign, assign_add, assign_sub, is_variable_initialized
from scopeflow.session.session import Session
from scopeflow.train.moving_averages import assign_moving_average
from scopeflow.variables import initializers as init_ops
from scopeflow.variables.collections import variables_initializer
from scopeflow.variables.variables import Variable


class _GraphState:
    """What Keras keeps per graph: its session, learning phase, name counters."""

    def __init__(self):
        self.session = None
        self.learning_phase = None  # the placeholder, made on first use
        self.fixed_phase = None  # a value set by set_learning_phase
        self.uids: collections.Counter = collections.Counter()  # get_uid's
        self.initialized: set = set()
        self.tracked: list = []  # Keras's variables outside every collection (metrics')


def _state(graph=None) -> _GraphState:
    return (graph or get_default_graph())._store("keras_backend", _GraphState)


def get_uid(prefix: str = "") -> int:
    """Counts calls per graph and prefix, from 1, as Keras's ``get_uid``."""
    uids = _state().uids
    uids[prefix] += 1
    return uids[prefix]


def reset_uids() -> None:
    """Restarts the name counters of the default graph."""
    _state().uids.clear()
    _object_uids().clear()


def _object_uids() -> collections.Counter:
    # the graph's layer name counter, shared with tf.layers (layers.base.unique_layer_name)
    # as TF shares one per-graph map between Keras and tf.layers layers
    return get_default_graph()._store("layer_name_uids", collections.Counter)


def unique_object_name(base: str) -> str:
    """``base`` then ``base_1``, ``base_2``...: the graph's count of ``base`` names so far,
    how Keras names unnamed layers and models. The count is shared with ``tf.layers``, which
    counts from 1 (``dense_1``), so a Keras ``Dense`` made after one ``tf.layers.Dense`` is
    ``dense_1`` too, as in TF."""
    uids = _object_uids()
    number = uids[base]
    uids[base] += 1
    return f"{base}_{number}" if number else base


def learning_phase():
    """The learning phase: ``set_learning_phase``'s value, else the graph's
    ``keras_learning_phase`` placeholder (a bool, ``False`` unless fed)."""
    state = _state()
    if state.fixed_phase is not None:
        return state.fixed_phase
    if state.learning_phase is None:
        graph = get_default_graph()
        with graph.as_default(), graph.control_dependencies(None), name_scope(None):
            state.learning_phase = placeholder_with_default(
                False, shape=(), name="keras_learning_phase"
            )
    return state.learning_phase


def set_learning_phase(value) -> None:
    """Fixes the learning phase to ``0`` (test) or ``1`` (train) for the default graph."""
    if value not in {0, 1}:
        raise ValueError("Expected learning phase to be 0 or 1.")
    _state().fixed_phase = value


def get_session(op_input_list=()):
    """The session Keras runs in: the default session if one is entered, else its own on the
    graph of ``op_input_list``'s tensors (the default graph if none); variables not yet
    initialized are initialized first."""
    session = get_default_session()
    graph = graph_of(op_input_list)
    state = _state(graph)
    if session is None:
        if state.session is None or state.session._closed:
            state.session = Session(graph=graph)
        session = state.session
    _initialize_variables(session)
    return session


def set_session(session) -> None:
    """Makes ``session`` the one Keras uses for its graph."""
    _state(session.graph).session = session


def clear_session() -> None:
    """Resets the default graph (and with it Keras's session, learning phase and names)."""
    state = _state()
    if state.session is not None:
        state.session.close()
    _reset_default_graph()


def _initialize_variables(session) -> None:
    graph = session.graph
    state = _state(graph)
    candidates = [
        v
        for v in graph.get_collection(GraphKeys.GLOBAL_VARIABLES)
        + graph.get_collection(GraphKeys.LOCAL_VARIABLES)
        + state.tracked
        if v.name not in state.initialized
    ]
    if not candidates:
        return
    with graph.as_default():
        flags = session.run([is_variable_initialized(v) for v in candidates])
        missing = [v for v, done in zip(candidates, flags, strict=True) if not done]
        if missing:
            session.run(variables_initializer(missing))
    state.initialized.update(v.name for v in candidates)


def track_variable(variable) -> None:
    """Has ``get_session`` initialize ``variable``, which no collection holds."""
    _state(variable.graph).tracked.append(variable)


def placeholder(shape=None, ndim=None, dtype=None, sparse=False, name=None):
    """A placeholder of ``shape`` (or of ``ndim`` unknown dimensions), ``floatx()`` by
    default."""
    if sparse:
        raise NotImplementedError(
            "K.placeholder(sparse=True) is not supported; use tf.sparse_placeholder."
        )
    if shape is None and ndim is not None:
        shape = (None,) * ndim
    return _placeholder(dtypes.as_dtype(dtype or floatx()), shape=shape, name=name)


def variable(value, dtype=None, name=None, constraint=None):
    """A variable holding ``value`` (``floatx()`` by default), initialized by ``get_session``."""
    if isinstance(value, Tensor):
        return Variable(value, name=name, constraint=constraint, use_resource=True)
    value = np.asarray(value, dtype=dtypes.as_dtype(dtype or floatx()).as_numpy_dtype)
    return Variable(value, name=name, constraint=constraint, use_resource=True)


def _filled_variable(make, shape, dtype, name):
    value = make(shape, dtype=dtype or floatx(), name=name)
    return variable(value, name=name) if builtins.all(value.shape.as_list()) else value


def zeros(shape, dtype=None, name=None):
    """A variable of zeros (a plain tensor when a dimension is 0)."""
    return _filled_variable(array_ops.zeros, shape, dtype, name)


def ones(shape, dtype=None, name=None):
    """A variable of ones (a plain tensor when a dimension is 0)."""
    return _filled_variable(array_ops.ones, shape, dtype, name)


def eye(size, dtype=None, name=None):
    """A variable holding the identity matrix of ``size`` (an int or ``(rows, columns)``)."""
    rows, columns = (size, size) if isinstance(size, int) else size
    return variable(linalg.eye(rows, columns, dtype=dtype or floatx()), name=name)


def random_uniform_variable(shape, low, high, dtype=None, name=None, seed=None):
    """A variable initialized with uniform samples in ``[low, high)``."""
    seed = np.random.randint(10e8) if seed is None else seed
    init = init_ops.random_uniform_initializer(low, high, seed=seed, dtype=dtype or floatx())
    return variable(init(shape), name=name)


def random_normal_variable(shape, mean, scale, dtype=None, name=None, seed=None):
    """A variable initialized with normal samples of ``mean`` and ``scale``."""
    seed = np.random.randint(10e8) if seed is None else seed
    init = init_ops.random_normal_initializer(mean, scale, seed=seed, dtype=dtype or floatx())
    return variable(init(shape), name=name)


def is_keras_tensor(x) -> bool:
    """Whether a Keras layer (or ``Input``) made the tensor ``x``."""
    if not isinstance(x, Tensor | Variable | SparseTensor):
        raise ValueError(
            "Unexpectedly found an instance of type `" + str(type(x)) + "`. Expected a "
            "symbolic tensor instance."
        )
    return x in get_default_graph()._store("keras_history", dict)


def is_placeholder(x) -> bool:
    """Whether ``x`` is a placeholder."""
    return getattr(getattr(x, "op", None), "type", None) == "Placeholder"


def get_graph():
    """The default graph."""
    return get_default_graph()


def manual_variable_initialization(value: bool) -> None:
    """Only ``False`` (``get_session`` initializes new variables) is supported."""
    if value:
        raise NotImplementedError(
            "manual_variable_initialization(True) is not supported; run "
            "tf.global_variables_initializer() yourself in a tf.Session instead."
        )


# -- training helpers ----------------------------------------------------------------------


def update(x, new_x):
    """``Assign``."""
    return assign(x, new_x)


def update_add(x, increment):
    """``AssignAdd``."""
    return assign_add(x, increment)


def update_sub(x, decrement):
    """``AssignSub``."""
    return assign_sub(x, decrement)


def moving_average_update(x, value, momentum):
    """Moves the variable ``x`` towards ``value`` (zero-debiased, as TF1's Keras)."""
    return assign_moving_average(x, value, momentum, zero_debias=True)


def gradients(loss, variables):
    """``tf.gradients(loss, variables)``, colocated with their ops."""
    return _gradients(loss, variables, colocate_gradients_with_ops=True)


def print_tensor(x, message="", summarize=3):
    """``x`` after printing ``message`` and its value to stdout when run."""
    op = print_v2(message, x, output_stream=sys.stdout, summarize=summarize)
    with get_default_graph().control_dependencies([op]):
        return array_ops.identity(x)


def switch(condition, then_expression, else_expression):
    """``then_expression`` where ``condition`` holds, else ``else_expression``: a ``cond``
    for a scalar condition (the expressions may be functions), else ``where``."""
    if condition.dtype != dtypes.bool:
        condition = cast(condition, "bool")
    cond_ndim = ndim(condition)
    if not cond_ndim:
        then_fn = then_expression if callable(then_expression) else lambda: then_expression
        else_fn = else_expression if callable(else_expression) else lambda: else_expression
        return cond(condition, then_fn, else_fn)
    then_expression = then_expression() if callable(then_expression) else then_expression
    else_expression = else_expression() if callable(else_expression) else else_expression
    expr_ndim = ndim(then_expression)
    if cond_ndim > expr_ndim:
        raise ValueError(
            "Rank of `condition` should be less than or equal to rank of `then_expression` "
            f"and `else_expression`. ndim(condition)={cond_ndim}, "
            f"ndim(then_expression)={expr_ndim}"
        )
    if cond_ndim > 1:
        cond_shape = join.concat([array_ops.shape(condition), [1] * (expr_ndim - cond_ndim)], 0)
        condition = array_ops.reshape(condition, cond_shape)
        expr_shape = array_ops.shape(then_expression)
        tiles = where_v2(expr_shape - cond_shape > 0, expr_shape, ones_like(expr_shape))
        condition = join.tile(condition, tiles)
    return where_v2(condition, then_expression, else_expression)


def in_train_phase(x, alt, training=None):
    """``x`` in the training phase, else ``alt`` (either may be a function): chosen now for
    a Python phase, else by a ``cond`` on the learning phase."""
    if training is None:
        training = learning_phase()
    if not isinstance(training, Tensor):
        if training == 1 or training is True:
            return x() if callable(x) else x
        if training == 0 or training is False:
            return alt() if callable(alt) else alt
    return switch(training, x, alt)


def in_test_phase(x, alt, training=None):
    """``x`` in the test phase, else ``alt``."""
    return in_train_phase(alt, x, training=training)


class GraphExecutionFunction:
    """What ``K.function`` returns: called with a list of values for ``inputs``, runs
    ``outputs`` (then ``updates``) in ``get_session()`` and returns their values."""

    def __init__(self, inputs, outputs, updates=None, name=None, **session_kwargs):
        updates = updates or []
        if not isinstance(updates, list | tuple):
            raise TypeError("`updates` in a TF-Keras backend function should be a list or tuple.")
        self.inputs = nest.flatten(inputs)
        self._outputs_structure = outputs
        self.outputs = [convert_to_tensor(y) for y in nest.flatten(outputs)]
        with get_default_graph().control_dependencies(self.outputs[:1]):
            ops = [assign(*u) if isinstance(u, tuple) else u for u in updates]
            self.updates_op = group(*ops)
        self.name = name
        self.feed_dict = session_kwargs.pop("feed_dict", None) or {}
        fetches = session_kwargs.pop("fetches", [])
        self.fetches = [array_ops.identity(x) for x in nest.flatten(fetches)]
        if session_kwargs:
            raise ValueError(
                "Some keys in session_kwargs are not supported at this time: "
                f"{session_kwargs.keys()}"
            )

    def __call__(self, inputs):
        inputs = nest.flatten(inputs)
        if len(inputs) != len(self.inputs):
            raise ValueError(
                f"Expected {len(self.inputs)} inputs to the Keras function, got {len(inputs)}."
            )
        feed = dict(self.feed_dict)
        for tensor, value in zip(self.inputs, inputs, strict=True):
            if value is not None:
                feed[tensor] = np.asarray(value, tensor.dtype.base_dtype.as_numpy_dtype)
        fetched = get_session().run([*self.outputs, self.updates_op, *self.fetches], feed)
        return nest.pack_sequence_as(self._outputs_structure, fetched[: len(self.outputs)])


def function(inputs, outputs, updates=None, name=None, **kwargs):
    """A Python function of ``inputs``' values returning ``outputs``' values, running
    ``updates`` each call.

    >>> import numpy as np, scopeflow as tf
    >>> K = tf.keras.backend
    >>> with tf.Graph().as_default():
    ...     x = K.placeholder(shape=(None, 2))
    ...     f = K.function([x], [K.sum(x, axis=1)])
    ...     print(f([np.ones((3, 2))]))
    [array([2., 2., 2.], dtype=float32)]
    """
    return GraphExecutionFunction(inputs, outputs, updates=updates, name=name, **kwargs)


def map_fn(fn, elems, name=None, dtype=None):
    """``tf.map_fn(fn, elems)``."""
    return _map_fn(fn, elems, name=name, dtype=dtype)


def foldl(fn, elems, initializer=None, name=None):
    """``tf.foldl``: ``fn(acc, x)`` over ``elems`` from the first."""
    return _foldl(fn, elems, initializer=initializer, name=name)


def foldr(fn, elems, initializer=None, name=None):
    """``tf.foldr``: ``fn(acc, x)`` over ``elems`` from the last."""
    return _foldr(fn, elems, initializer=initializer, name=name)


def get_value(x):
    """The value of a variable or tensor, run in ``get_session()`` (anything else as it
    is)."""
    if not isinstance(x, Tensor | Variable | SparseTensor):
        return x
    return get_session().run(x)


def batch_get_value(tensors) -> list:
    """The values of several variables or tensors in one run."""
    return get_session().run(list(tensors)) if tensors else []


def set_value(x, value) -> None:
    """Loads ``value`` into the variable ``x``."""
    batch_set_value([(x, value)])


def batch_set_value(tuples) -> None:
    """Loads ``(variable, value)`` pairs in one run, as TF's Keras: through a ``Placeholder``
    (``[None] * rank``) and an ``Assign`` made once per variable, then kept with it."""
    assigns, feeds = [], {}
    for variable_, value in tuples:
        value = np.asarray(value, dtype=variable_.dtype.base_dtype.as_numpy_dtype)
        if getattr(variable_, "_assign_placeholder", None) is None:
            with variable_.graph.as_default():
                variable_._assign_placeholder = _placeholder(
                    variable_.dtype.base_dtype, shape=[None] * value.ndim
                )
                variable_._assign_op = variable_.assign(variable_._assign_placeholder)
        assigns.append(variable_._assign_op)
        feeds[variable_._assign_placeholder] = value
    if assigns:
        get_session().run(assigns, feeds)


def eval(x):  # noqa: A001 - Keras's name
    """The value of ``x``, as ``get_value``."""
    return get_value(x)


def count_params(x):
    """How many numbers the variable or tensor ``x`` holds."""
    return np.prod(int_shape(x))


@contextlib.contextmanager
def learning_phase_scope(value):
    """Within it, the learning phase is ``value`` (0 or 1), as ``set_learning_phase``."""
    if value not in {0, 1}:
        raise ValueError("Expected learning phase to be 0 or 1.")
    state = _state()
    previous, state.fixed_phase = state.fixed_phase, value
    try:
        yield value
    finally:
        state.fixed_phase = previous


__all__ = sorted(
    [
        *backend_array.__all__,
        *backend_math.__all__,
        *backend_nn.__all__,
        "epsilon",
        "floatx",
        "image_data_format",
        "set_epsilon",
        "set_floatx",
        "set_image_data_format",
        "get_uid",
        "reset_uids",
        "unique_object_name",
        "learning_phase",
        "set_learning_phase",
        "get_session",
        "set_session",
        "clear_session",
        "track_variable",
        "placeholder",
        "variable",
        "zeros",
        "ones",
        "eye",
        "random_uniform_variable",
        "random_normal_variable",
        "is_keras_tensor",
        "is_placeholder",
        "get_graph",
        "manual_variable_initialization",
        "update",
        "update_add",
        "update_sub",
        "moving_average_update",
        "gradients",
        "print_tensor",
        "switch",
        "in_train_phase",
        "in_test_phase",
        "function",
        "map_fn",
        "foldl",
        "foldr",
        "get_value",
        "batch_get_value",
        "set_value",
        "batch_set_value",
        "eval",
        "count_params",
        "learning_phase_scope",
    ]
)
