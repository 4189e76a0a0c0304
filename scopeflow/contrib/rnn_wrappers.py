"""``tf.contrib.rnn``'s cell wrappers from TF1's older seq2seq code: ``EmbeddingWrapper``,
``InputProjectionWrapper``, ``OutputProjectionWrapper``, ``HighwayWrapper`` and
``AttentionCellWrapper``, with TF 1.15's
variables: each projection wrapper is a cell scope of its own (``output_projection_wrapper``)
holding ``kernel``, ``bias`` and the wrapped cell's scope; ``EmbeddingWrapper`` holds
``embedding``; ``HighwayWrapper`` puts ``carry_w``/``carry_b`` (``transform_w``/``transform_b``)
in the caller's scope beside the wrapped cell's.

>>> import scopeflow as tf
>>> with tf.Graph().as_default():
...     cell = tf.contrib.rnn.OutputProjectionWrapper(tf.nn.rnn_cell.GRUCell(3), 7)
...     out, _ = tf.nn.dynamic_rnn(cell, tf.ones([2, 4, 5]), dtype=tf.float32)
...     print(out.shape, [v.op.name for v in tf.global_variables()][-2:])
(2, 4, 7) ['rnn/output_projection_wrapper/kernel', 'rnn/output_projection_wrapper/bias']
"""

from __future__ import annotations

import math

from scopeflow.framework import nest, tensor_shape
from scopeflow.framework.graph_api import name_scope
from scopeflow.ops.array.basic import reshape
from scopeflow.ops.array.join import concat, split
from scopeflow.ops.array.shape import expand_dims
from scopeflow.ops.math.elementwise import sigmoid, tanh
from scopeflow.ops.math.matmul import matmul
from scopeflow.ops.math.reduction import reduce_sum
from scopeflow.ops.nn.basic import bias_add, softmax
from scopeflow.ops.nn.composite import embedding_lookup, xw_plus_b
from scopeflow.ops.nn.conv import conv2d
from scopeflow.rnn.cell_base import RNNCell
from scopeflow.variables.initializers import constant_initializer, random_uniform_initializer
from scopeflow.variables.variable_scope import get_variable, get_variable_scope, variable_scope


def _check_cell(cell) -> None:
    if not all(hasattr(cell, a) for a in ("output_size", "state_size", "zero_state")) or (
        not callable(cell)
    ):
        raise TypeError(f"The parameter cell is not RNNCell: got {type(cell).__name__}.")


def linear(args, output_size, bias=True, bias_initializer=None):
    """TF1's ``_Linear``: ``concat(args, 1) @ kernel (+ bias)`` in the current variable scope
    (``bias`` zeros unless ``bias_initializer``), of one or a list of 2-D tensors."""
    args = list(args) if isinstance(args, (list, tuple)) else [args]
    shapes = [a.shape for a in args]
    depth = 0
    for shape in shapes:
        if shape.ndims != 2:
            raise ValueError(f"linear is expecting 2D arguments: {shapes}")
        if tensor_shape.dimension_value(shape[1]) is None:
            raise ValueError(
                f"linear expects shape[1] to be provided for shape {shape}, but saw {shape[1]}"
            )
        depth += tensor_shape.dimension_value(shape[1])
    dtype = args[0].dtype
    kernel = get_variable("kernel", [depth, output_size], dtype=dtype)
    res = matmul(args[0] if len(args) == 1 else concat(args, 1), kernel)
    if not bias:
        return res
    init = bias_initializer or constant_initializer(0.0)
    return bias_add(res, get_variable("bias", [output_size], dtype=dtype, initializer=init))


class _CellWrapper(RNNCell):
    """What the wrappers share: the wrapped cell's state, and its zero state."""

    def __init__(self, cell, reuse=None):
        super().__init__(_reuse=reuse)
        _check_cell(cell)
        self._cell = cell

    @property
    def state_size(self):
        return self._cell.state_size

    @property
    def output_size(self):
        return self._cell.output_size

    def zero_state(self, batch_size, dtype):
        with name_scope(type(self).__name__ + "ZeroState"):
            return self._cell.zero_state(batch_size, dtype)


class EmbeddingWrapper(_CellWrapper):
    """Feeds ``cell`` the rows of ``embedding`` (``[embedding_classes, embedding_size]``, by
    default uniform in ``±sqrt(3)``, variance 1) at the int inputs (``[batch]`` or
    ``[batch, 1]``).

    Raises:
        TypeError: when ``cell`` is not a cell.
        ValueError: unless both sizes are positive.
    """

    def __init__(self, cell, embedding_classes, embedding_size, initializer=None, reuse=None):
        super().__init__(cell, reuse=reuse)
        if embedding_classes <= 0 or embedding_size <= 0:
            raise ValueError(
                "Both embedding_classes and embedding_size must be > 0: "
                f"{embedding_classes}, {embedding_size}."
            )
        self._embedding_classes = embedding_classes
        self._embedding_size = embedding_size
        self._initializer = initializer

    def call(self, inputs, state):
        initializer = self._initializer or get_variable_scope().initializer
        if not initializer:
            initializer = random_uniform_initializer(-math.sqrt(3), math.sqrt(3))
        dtype = state[0].dtype if isinstance(state, tuple) else state.dtype
        embedding = get_variable(
            "embedding", [self._embedding_classes, self._embedding_size],
            initializer=initializer, dtype=dtype,
        )  # fmt: skip
        return self._cell(embedding_lookup(embedding, reshape(inputs, [-1])), state)


class InputProjectionWrapper(_CellWrapper):
    """Projects the inputs to ``num_proj`` (``kernel``, ``bias``; then ``activation`` when
    given) before ``cell``. ``input_size`` is deprecated and unused, as in TF 1.15."""

    def __init__(self, cell, num_proj, activation=None, input_size=None, reuse=None):
        super().__init__(cell, reuse=reuse)
        del input_size
        self._num_proj = num_proj
        self._activation = activation

    def call(self, inputs, state):
        projected = linear(inputs, self._num_proj)
        if self._activation:
            projected = self._activation(projected)
        return self._cell(projected, state)


class OutputProjectionWrapper(_CellWrapper):
    """Projects ``cell``'s output to ``output_size`` (``kernel``, ``bias``; then
    ``activation`` when given).

    Raises:
        TypeError: when ``cell`` is not a cell.
        ValueError: unless ``output_size`` is positive.
    """

    def __init__(self, cell, output_size, activation=None, reuse=None):
        super().__init__(cell, reuse=reuse)
        if output_size < 1:
            raise ValueError(f"Parameter output_size must be > 0: {output_size}.")
        self._output_size = output_size
        self._activation = activation

    @property
    def output_size(self):
        return self._output_size

    def call(self, inputs, state):
        output, new_state = self._cell(inputs, state)
        projected = linear(output, self._output_size)
        if self._activation:
            projected = self._activation(projected)
        return projected, new_state


class HighwayWrapper(_CellWrapper):
    """A highway connection around ``cell`` (Srivastava et al., 2015):
    ``x * carry + cell(x) * transform`` with ``carry = sigmoid(x @ carry_w + carry_b)``
    (``carry_b`` starting at ``carry_bias_init``) and ``transform = 1 - carry``, or its own
    ``transform_w``/``transform_b`` (starting at ``-carry_bias_init``) when the gates are not
    coupled. The output must have the inputs' shape."""

    def __init__(self, cell, couple_carry_transform_gates=True, carry_bias_init=1.0):
        super().__init__(cell)
        self._couple = couple_carry_transform_gates
        self._carry_bias_init = carry_bias_init

    def _highway(self, inp, out):
        size = tensor_shape.dimension_value(inp.shape.with_rank(2)[1])
        carry_w = get_variable("carry_w", [size, size])
        init = constant_initializer(self._carry_bias_init)
        carry = sigmoid(xw_plus_b(inp, carry_w, get_variable("carry_b", [size], initializer=init)))
        if self._couple:
            transform = 1 - carry
        else:
            transform_w = get_variable("transform_w", [size, size])
            init = constant_initializer(-self._carry_bias_init)
            transform_b = get_variable("transform_b", [size], initializer=init)
            transform = sigmoid(xw_plus_b(inp, transform_w, transform_b))
        return inp * carry + out * transform

    def __call__(self, inputs, state, scope=None):
        outputs, new_state = self._cell(inputs, state, scope=scope)
        nest.assert_same_structure(inputs, outputs)
        for inp, out in zip(nest.flatten(inputs), nest.flatten(outputs), strict=True):
            inp.shape.assert_is_compatible_with(out.shape)
        return nest.map_structure(self._highway, inputs, outputs), new_state


class AttentionCellWrapper(_CellWrapper):
    """Attention over the last ``attn_length`` outputs (Cheng et al., 2016), as TF 1.15's:
    the inputs joined with the previous attention through ``kernel``/``bias`` (to
    ``input_size``, by default the inputs' depth) feed ``cell``; ``attention/attn_w``,
    ``attention/attn_v`` and ``attention/kernel``/``bias`` (on the new state) score the
    window; ``attn_output_projection/kernel``/``bias`` give the ``attn_size`` output, which
    joins the window. The state is ``(cell state, attention, window)``, concatenated without
    ``state_is_tuple``.

    Raises:
        ValueError: for a ``cell`` with a tuple state without ``state_is_tuple``, or
            ``attn_length`` not positive.
    """

    def __init__(self, cell, attn_length, attn_size=None, attn_vec_size=None,
                 input_size=None, state_is_tuple=True, reuse=None):  # fmt: skip
        super().__init__(cell, reuse=reuse)
        if nest.is_sequence(cell.state_size) and not state_is_tuple:
            raise ValueError(
                "Cell returns tuple of states, but the flag state_is_tuple is not set. State "
                f"size is: {cell.state_size}"
            )
        if attn_length <= 0:
            raise ValueError(f"attn_length should be greater than zero, got {attn_length}")
        self._attn_size = cell.output_size if attn_size is None else attn_size
        self._attn_vec_size = self._attn_size if attn_vec_size is None else attn_vec_size
        self._attn_length = attn_length
        self._input_size = input_size
        self._state_is_tuple = state_is_tuple

    @property
    def state_size(self):
        size = (self._cell.state_size, self._attn_size, self._attn_size * self._attn_length)
        return size if self._state_is_tuple else sum(size)

    @property
    def output_size(self):
        return self._attn_size

    def zero_state(self, batch_size, dtype):
        return RNNCell.zero_state(self, batch_size, dtype)

    def call(self, inputs, state):
        size, length = self._attn_size, self._attn_length
        if self._state_is_tuple:
            state, attns, attn_states = state
        else:
            cell_size = self._cell.state_size
            state, attns, attn_states = split(state, [cell_size, size, size * length], 1)
        attn_states = reshape(attn_states, [-1, length, size])
        input_size = self._input_size or inputs.shape.as_list()[1]
        cell_output, new_state = self._cell(linear([inputs, attns], input_size), state)
        flat_state = concat(nest.flatten(new_state), 1) if self._state_is_tuple else new_state
        new_attns, new_attn_states = self._attention(flat_state, attn_states)
        with variable_scope("attn_output_projection"):
            output = linear([cell_output, new_attns], size)
        new_attn_states = concat([new_attn_states, expand_dims(output, 1)], 1)
        new_attn_states = reshape(new_attn_states, [-1, length * size])
        new_state = (new_state, new_attns, new_attn_states)
        return output, (new_state if self._state_is_tuple else concat(list(new_state), 1))

    def _attention(self, query, attn_states):
        size, vec, length = self._attn_size, self._attn_vec_size, self._attn_length
        with variable_scope("attention"):
            k = get_variable("attn_w", [1, 1, size, vec])
            v = get_variable("attn_v", [vec])
            hidden = reshape(attn_states, [-1, length, 1, size])
            features = conv2d(hidden, k, [1, 1, 1, 1], "SAME")
            y = reshape(linear(query, vec), [-1, 1, 1, vec])
            a = softmax(reduce_sum(v * tanh(features + y), [2, 3]))
            d = reduce_sum(reshape(a, [-1, length, 1, 1]) * hidden, [1, 2])
            return reshape(d, [-1, size]), attn_states[:, 1:, :]


__all__ = [
    "AttentionCellWrapper",
    "EmbeddingWrapper",
    "HighwayWrapper",
    "InputProjectionWrapper",
    "OutputProjectionWrapper",
]
