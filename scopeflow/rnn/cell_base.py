"""``tf.nn.rnn_cell.RNNCell``: TF1's base of every RNN cell, a legacy ``tf.layers``-style
layer that makes its variables with ``get_variable`` under a scope captured on its first call.

A cell's object name is unique per graph and counts from 1 (``basic_lstm_cell_1``, as TF's
legacy layers), while its variable scope is the class's snake-case name made unique within the
scope the cell is first called in (``rnn/basic_lstm_cell``): later calls reuse it, so a cell
called at every step of a sequence shares its variables across the steps. Ops go into the name
scope the variable scope had when it was captured (``rnn/while/basic_lstm_cell/MatMul``).

Cells with a ``build`` method (:class:`LayerRNNCell`) make their variables there, once, for
the shape of the first inputs; a plain :class:`RNNCell` subclass may call ``tf.get_variable``
inside ``call`` and its variables are tracked all the same.

>>> import scopeflow as tf
>>> class Doubler(tf.nn.rnn_cell.RNNCell):
...     state_size = output_size = 3
...     def call(self, inputs, state):
...         w = tf.get_variable("w", [3], initializer=tf.ones_initializer())
...         return inputs * w + state, state * 2.0
>>> with tf.Graph().as_default():
...     cell = Doubler()
...     out, state = cell(tf.ones([2, 3]), cell.zero_state(2, tf.float32))
...     print(cell.name, [v.name for v in cell.variables], state.shape)
doubler_1 ['doubler/w:0'] (2, 3)

A cell is a ``tf.layers.Layer`` (``scopeflow/layers/base.py``), as TF1's cells are legacy
layers: ``add_weight``, ``variables``, ``trainable_variables`` and the scope rules are the
layers'.
"""

from __future__ import annotations

import collections

from scopeflow.framework import dtypes, nest, tensor_shape
from scopeflow.framework.constant import constant, convert_to_tensor
from scopeflow.framework.graph import GraphKeys
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.tensor import Tensor
from scopeflow.layers.base import Layer
from scopeflow.ops.array.basic import shape, zeros
from scopeflow.ops.array.join import concat
from scopeflow.ops.array.shape import expand_dims
from scopeflow.ops.core.infer import constant_value
from scopeflow.variables.variable_scope import VariableScope, get_variable_scope, variable_scope


class RNNCell(Layer):
    """An RNN cell: ``output, new_state = cell(inputs, state)``.

    Subclasses give ``state_size`` and ``output_size`` (an int, a ``TensorShape`` or a nested
    tuple of them) and implement ``call(inputs, state)``; variables made with
    ``tf.get_variable`` in ``call`` (or with :meth:`add_weight` in ``build``) go under the
    cell's scope. ``scope=`` on a call picks that scope instead.
    """

    def __init__(self, trainable=True, name=None, dtype=None, **kwargs):
        scope_name = name.name if isinstance(name, VariableScope) else None
        super().__init__(trainable, None if scope_name else name, dtype, **kwargs)
        if scope_name:  # TF1: a scope as the name gives the variables' scope
            self._base_name = scope_name
        self._build_depth = None  # the inputs' last dimension when built

    @property
    def state_size(self):
        """The size(s) of the state: an int, a ``TensorShape`` or a nested tuple of them."""
        raise NotImplementedError("Abstract method")

    @property
    def output_size(self):
        """The size of the output: an int or a ``TensorShape``."""
        raise NotImplementedError("Abstract method")

    def call(self, inputs, state):
        """One step: ``(output, new_state)``."""
        raise NotImplementedError(f"{type(self).__name__} must implement call(inputs, state)")

    def __call__(self, inputs, state, scope=None):
        """Runs one step from ``state``: ``(output, new_state)``, variables under ``scope``
        (a name or ``VariableScope``) or the cell's own scope."""
        if scope is not None:
            with variable_scope(scope, custom_getter=self._rnn_get_variable) as captured:
                return Layer.__call__(self, inputs, state, scope=captured)
        entered = getattr(self, "_rnncell_scope", None)
        if entered is None:
            entered = get_variable_scope()
            self._rnncell_scope = entered
        with variable_scope(entered, custom_getter=self._rnn_get_variable):
            return Layer.__call__(self, inputs, state)

    def _rnn_get_variable(self, getter, *args, **kwargs):
        """Tracks the variables ``call`` gets, as trainable or not as the graph says."""
        variable = getter(*args, **kwargs)
        trainable = _is_in(variable, variable.graph.get_collection(GraphKeys.TRAINABLE_VARIABLES))
        self._track(self._trainable_weights if trainable else self._non_trainable_weights, variable)
        return variable

    def _check_inputs(self, inputs) -> None:
        super()._check_inputs(inputs)
        flat = nest.flatten(inputs)
        shape = flat[0].shape if len(flat) == 1 else None
        if shape is None or not shape.ndims or self._build_depth is None:
            return
        depth = tensor_shape.dimension_value(shape[-1])
        if depth is not None and depth != self._build_depth:
            raise ValueError(
                f'Input 0 of layer "{self._name}" is incompatible with the layer: it was built '
                f"for inputs of depth {self._build_depth}, and is called with inputs of shape "
                f"{tuple(shape.as_list())} (Dimensions must be equal, but are {depth} and "
                f"{self._build_depth}). Use a new cell for inputs of another size."
            )

    def _build_for(self, inputs) -> None:
        super()._build_for(inputs)
        flat = nest.flatten(inputs)
        if type(self).build is not RNNCell.build and len(flat) == 1 and flat[0].shape.ndims:
            self._build_depth = tensor_shape.dimension_value(flat[0].shape[-1])

    # -- states ---------------------------------------------------------------------------

    def zero_state(self, batch_size, dtype):
        """Zero-filled state(s) for ``batch_size`` rows: ``[batch_size, s]`` for each ``s`` in
        ``state_size``, in its structure."""
        with name_scope(type(self).__name__ + "ZeroState"):
            return zero_state_tensors(self.state_size, batch_size, dtype)

    def get_initial_state(self, inputs=None, batch_size=None, dtype=None):
        """The zero state, its batch size and dtype taken from ``inputs`` when given."""
        if inputs is not None:
            inputs = convert_to_tensor(inputs, name="inputs")
            if batch_size is not None:
                static = batch_size
                if isinstance(batch_size, Tensor):
                    value = constant_value(batch_size)
                    static = None if value is None else int(value)
                if tensor_shape.dimension_value(inputs.shape[0]) != static:
                    raise ValueError(
                        "batch size from input tensor is different from the input param. Input "
                        f"tensor batch: {tensor_shape.dimension_value(inputs.shape[0])}, "
                        f"batch_size: {batch_size}"
                    )
            if dtype is not None and inputs.dtype != dtype:
                raise ValueError(
                    "dtype from input tensor is different from the input param. Input tensor "
                    f"dtype: {inputs.dtype}, dtype: {dtype}"
                )
            batch_size = tensor_shape.dimension_value(inputs.shape[0])
            if batch_size is None:
                batch_size = shape(inputs)[0]
            dtype = inputs.dtype
        if batch_size is None or dtype is None:
            raise ValueError(
                "batch_size and dtype cannot be None while constructing initial state: "
                f"batch_size={batch_size}, dtype={dtype}"
            )
        return self.zero_state(batch_size, dtype)


def _is_in(variable, items) -> bool:
    return any(v is variable for v in items)


class LayerRNNCell(RNNCell):
    """A cell that makes its variables in ``build`` (with :meth:`add_weight`), as TF's
    ``LayerRNNCell``: calls go straight to the layer machinery, without the capture of the
    calling scope plain :class:`RNNCell` subclasses get."""

    def __call__(self, inputs, state, scope=None, *args, **kwargs):
        return Layer.__call__(self, inputs, state, *args, scope=scope, **kwargs)


class LSTMStateTuple(collections.namedtuple("LSTMStateTuple", ("c", "h"))):
    """An LSTM's state ``(c, h)``: the cell state and the output, in that order."""

    __slots__ = ()

    @property
    def dtype(self):
        c, h = self
        if c.dtype != h.dtype:
            raise TypeError(f"Inconsistent dtypes for internal state: {c.dtype} vs {h.dtype}")
        return c.dtype


def _size_tensor(value, what: str):
    """TF's ``_concat`` operand: ``(tensor or None, static dims or None)``."""
    if isinstance(value, Tensor):
        static = constant_value(value)
        static = None if static is None else [int(d) for d in static.reshape(-1)]
        if value.shape.ndims == 0:
            value = expand_dims(value, 0)
        elif value.shape.ndims != 1:
            raise ValueError(
                f"{what} tensor must be either a scalar or vector, but received tensor: {value}"
            )
        return value, static
    shape = tensor_shape.as_shape(value)
    static = shape.as_list() if shape.ndims is not None else None
    tensor = constant(shape.as_list(), dtype=dtypes.int32) if shape.is_fully_defined() else None
    return tensor, static


def concat_sizes(prefix, suffix, static: bool = False):
    """TF's ``rnn_cell_impl._concat``: a batch size (and time) ``prefix`` joined to a state or
    output size ``suffix`` (ints, ``TensorShape``s or tensors): a shape tensor, or with
    ``static`` a list of dims (``None`` where unknown)."""
    p, p_static = _size_tensor(prefix, "Prefix")
    s, s_static = _size_tensor(suffix, "suffix")
    if static:
        shape = tensor_shape.TensorShape(p_static).concatenate(s_static)
        return shape.as_list() if shape.ndims is not None else None
    if p is None or s is None:
        raise ValueError(
            f"Prefix or suffix can't be None. Received prefix = {prefix} and suffix = {suffix}"
        )
    return concat((p, s), 0)


def zero_state_tensors(state_size, batch_size, dtype):
    """Zeros of shape ``[batch_size] + s`` for each ``s`` in ``state_size``, in its structure
    (TF's ops: a ``Fill`` per state, its static shape set)."""

    def zeros_for(size):
        out = zeros(concat_sizes(batch_size, size), dtype=dtype)
        out.set_shape(concat_sizes(batch_size, size, static=True))
        return out

    return nest.map_structure(zeros_for, state_size)


def _own_device(op) -> str:
    return op.device


def cache_reads_in_place(scope) -> None:
    """As TF1's RNN functions: variables made in ``scope`` have their ``read`` placed where
    that op is (caching device ``op.device``), not colocated with them, unless the scope
    has a caching device already."""
    if scope.caching_device is None:
        scope.set_caching_device(_own_device)


def assert_like_rnncell(cell_name: str, cell) -> None:
    """TF's ``TypeError`` when ``cell`` lacks what every RNN cell has."""
    conditions = [
        (_has(cell, "output_size"), "'output_size' property is missing"),
        (_has(cell, "state_size"), "'state_size' property is missing"),
        (
            _has(cell, "get_initial_state") or _has(cell, "zero_state"),
            "either 'zero_state' or 'get_initial_state' method is required",
        ),
        (callable(cell), "is not callable"),
    ]
    missing = [error for ok, error in conditions if not ok]
    if missing:
        raise TypeError(
            f"The argument {cell_name!r} ({cell}) is not an RNNCell: {', '.join(missing)}."
        )


def _has(obj, attr: str) -> bool:
    try:
        getattr(obj, attr)
    except AttributeError:
        return False
    return True


def check_supported_dtypes(values) -> None:
    """TF's ``ValueError`` for a cell fed anything but floats or complex numbers."""
    for value in nest.flatten(values):
        dtype = getattr(value, "dtype", value)
        if dtype is None:
            continue
        dtype = dtypes.as_dtype(dtype)
        if not (dtype.is_floating or dtype.is_complex):
            raise ValueError(
                f"RNN cell only supports floating point inputs, but received dtype: {dtype!r}"
            )
