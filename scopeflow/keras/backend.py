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

import collections

import numpy as np

from scopeflow.framework import dtypes
from scopeflow.framework.defaults import get_default_graph, get_default_session
from scopeflow.framework.defaults import reset_default_graph as _reset_default_graph
from scopeflow.framework.graph import GraphKeys
from scopeflow.framework.graph_api import name_scope
from scopeflow.ops.array.basic import placeholder as _placeholder
from scopeflow.ops.array.basic import placeholder_with_default
from scopeflow.ops.state.storage import is_variable_initialized
from scopeflow.session.session import Session
from scopeflow.variables.collections import variables_initializer
from scopeflow.variables.variables import Variable

# Keras's process-wide settings (TF1 keeps them per process too): changed only through
# set_floatx, set_epsilon and set_image_data_format.
_CONFIG = {"floatx": "float32", "epsilon": 1e-7, "image_data_format": "channels_last"}


class _GraphState:
    """What Keras keeps per graph: its session, learning phase, name counters."""

    def __init__(self):
        self.session = None
        self.learning_phase = None  # the placeholder, made on first use
        self.fixed_phase = None  # a value set by set_learning_phase
        self.uids: collections.Counter = collections.Counter()  # get_uid's
        self.object_uids: collections.Counter = collections.Counter()  # layer and model names
        self.initialized: set = set()
        self.tracked: list = []  # Keras's variables outside every collection (metrics')


def _state(graph=None) -> _GraphState:
    return (graph or get_default_graph())._store("keras_backend", _GraphState)


def floatx() -> str:
    """The default float type of Keras's weights and inputs (``'float32'``)."""
    return _CONFIG["floatx"]


def set_floatx(value: str) -> None:
    """Sets ``floatx()`` (``'float16'``, ``'float32'`` or ``'float64'``)."""
    if value not in {"float16", "float32", "float64"}:
        raise ValueError(f"Unknown floatx type: {value}")
    _CONFIG["floatx"] = str(value)


def epsilon() -> float:
    """The fuzz factor Keras adds to avoid dividing by zero (``1e-7``)."""
    return _CONFIG["epsilon"]


def set_epsilon(value: float) -> None:
    """Sets ``epsilon()``."""
    _CONFIG["epsilon"] = float(value)


def image_data_format() -> str:
    """``'channels_last'``: scopeflow's convolutions take NHWC images."""
    return _CONFIG["image_data_format"]


def set_image_data_format(data_format: str) -> None:
    """Only ``'channels_last'`` is supported."""
    if data_format != "channels_last":
        raise NotImplementedError(
            f"image_data_format {data_format!r} is not supported: scopeflow's layers take "
            "NHWC images. Keep 'channels_last' and tf.transpose NCHW inputs."
        )


def get_uid(prefix: str = "") -> int:
    """Counts calls per graph and prefix, from 1, as Keras's ``get_uid``."""
    uids = _state().uids
    uids[prefix] += 1
    return uids[prefix]


def reset_uids() -> None:
    """Restarts the name counters of the default graph."""
    _state().uids.clear()
    _state().object_uids.clear()


def unique_object_name(base: str) -> str:
    """``base``, then ``base_1``, ``base_2``... per graph: how Keras names unnamed layers and
    models."""
    uids = _state().object_uids
    uids[base] += 1
    return base if uids[base] == 1 else f"{base}_{uids[base] - 1}"


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


def get_session():
    """The session Keras runs in: the default session if one is entered, else its own on the
    default graph; variables not yet initialized are initialized first."""
    session = get_default_session()
    state = _state()
    if session is None:
        if state.session is None or state.session._closed:
            state.session = Session(graph=get_default_graph())
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
    value = np.asarray(value, dtype=dtypes.as_dtype(dtype or floatx()).as_numpy_dtype)
    return Variable(value, name=name, constraint=constraint)


def int_shape(x) -> tuple | None:
    """The static shape of ``x`` as a tuple of ints and ``None``s.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     tf.keras.backend.int_shape(tf.placeholder(tf.float32, [None, 3]))
    (None, 3)
    """
    shape = x.shape if hasattr(x, "shape") else np.shape(x)
    if getattr(shape, "ndims", 0) is None:
        return None
    return tuple(None if d is None else int(d) for d in _dims(shape))


def _dims(shape) -> list:
    return shape.as_list() if hasattr(shape, "as_list") else list(shape)


def ndim(x) -> int | None:
    """The rank of ``x``."""
    shape = int_shape(x)
    return None if shape is None else len(shape)


def dtype(x) -> str:
    """The dtype name of ``x`` (``'float32'``)."""
    return x.dtype.base_dtype.name


def get_value(x):
    """The value of a variable or tensor, run in ``get_session()``."""
    return get_session().run(x)


def batch_get_value(tensors) -> list:
    """The values of several variables or tensors in one run."""
    return get_session().run(list(tensors)) if tensors else []


def set_value(x, value) -> None:
    """Loads ``value`` into the variable ``x``."""
    batch_set_value([(x, value)])


def batch_set_value(tuples) -> None:
    """Loads ``(variable, value)`` pairs, each through ``Variable.load``."""
    session = get_session()
    for variable_, value in tuples:
        variable_.load(np.asarray(value, dtype=variable_.dtype.base_dtype.as_numpy_dtype), session)


def eval(x):  # noqa: A001 - Keras's name
    """The value of ``x``, as ``get_value``."""
    return get_value(x)


def count_params(x) -> int:
    """How many numbers the variable or tensor ``x`` holds."""
    return int(np.prod(int_shape(x)))
