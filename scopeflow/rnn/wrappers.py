"""TF1's cell wrappers: ``DropoutWrapper``, ``ResidualWrapper`` and ``DeviceWrapper``.

A wrapper is a cell whose calls go straight to the wrapped cell's ``__call__`` (its variables
keep the wrapped cell's names: ``rnn/basic_lstm_cell/kernel``) with work before or after it.

>>> import scopeflow as tf
>>> with tf.Graph().as_default():
...     cell = tf.nn.rnn_cell.DropoutWrapper(tf.nn.rnn_cell.GRUCell(4), output_keep_prob=0.5)
...     out, _ = cell(tf.ones([2, 3]), cell.zero_state(2, tf.float32))
...     print(out.op.name, [v.name for v in tf.global_variables()][0])
dropout/SelectV2 gru_cell/gates/kernel:0
"""

from __future__ import annotations

import hashlib
import numbers

from scopeflow.framework import nest, tensor_shape
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.graph_api import device, name_scope
from scopeflow.ops.array.join import concat
from scopeflow.ops.core.infer import constant_value
from scopeflow.ops.math.division import divide
from scopeflow.ops.math.elementwise import floor
from scopeflow.ops.nn.composite import dropout
from scopeflow.ops.random.sampling import random_uniform
from scopeflow.rnn.cell_base import LSTMStateTuple, RNNCell, assert_like_rnncell


class _Wrapper(RNNCell):
    """What wrappers share: the wrapped cell's sizes and zero state; ``__call__`` runs
    :meth:`_call_wrapped_cell` with the wrapped cell's ``__call__``."""

    def __init__(self, cell, name=None, dtype=None, **kwargs):
        super().__init__(name=name, dtype=dtype, **kwargs)
        assert_like_rnncell("cell", cell)
        self.cell = cell

    def _call_wrapped_cell(self, inputs, state, cell_call_fn, **kwargs):
        raise NotImplementedError

    def __call__(self, inputs, state, scope=None):
        return self._call_wrapped_cell(inputs, state, cell_call_fn=self.cell.__call__, scope=scope)

    @property
    def state_size(self):
        return self.cell.state_size

    @property
    def output_size(self):
        return self.cell.output_size

    @property
    def wrapped_cell(self):
        return self.cell

    @property
    def trainable_weights(self) -> list:
        return list(getattr(self.cell, "trainable_weights", [])) if self.trainable else []

    @property
    def non_trainable_weights(self) -> list:
        weights = list(getattr(self.cell, "non_trainable_weights", []))
        if self.trainable:
            return weights
        return list(getattr(self.cell, "trainable_weights", [])) + weights

    trainable_variables = trainable_weights
    non_trainable_variables = non_trainable_weights

    @property
    def weights(self) -> list:
        return self.trainable_weights + self.non_trainable_weights

    variables = weights

    def zero_state(self, batch_size, dtype):
        with name_scope(type(self).__name__ + "ZeroState"):
            return self.cell.zero_state(batch_size, dtype)


def _default_state_filter(substate):
    """Which parts of a state ``DropoutWrapper`` drops: all but an LSTM's memory ``c``."""
    if isinstance(substate, LSTMStateTuple):
        return LSTMStateTuple(c=False, h=True)
    return True


def _shallow(visit, structure):
    """TF's ``get_traverse_shallow_structure``: ``structure`` cut where ``visit`` answers a
    bool (``True`` on a sequence: go on into it) or a structure of bools."""
    answer = visit(structure)
    if not isinstance(answer, bool):
        return answer
    if answer and nest.is_sequence(structure):
        children = [_shallow(visit, child) for child in _children(structure)]
        return _rebuild(structure, children)
    return answer


def _children(structure) -> list:
    if isinstance(structure, dict):
        return [structure[k] for k in sorted(structure)]
    return list(structure)


def _rebuild(like, children):
    if isinstance(like, dict):
        return type(like)(zip(sorted(like), children, strict=True))
    if hasattr(like, "_fields"):
        return type(like)(*children)
    return type(like)(children)


def _map_up_to(shallow, fn, *structures):
    """``fn(i, leaf of shallow, parts of structures...)`` at each leaf of ``shallow`` (``i``
    counting them in order); the structures' parts below a leaf are passed whole."""
    counter = iter(range(len(nest.flatten(shallow))))

    def walk(s, *parts):
        if nest.is_sequence(s):
            children = zip(*map(_children, (s, *parts)), strict=True)
            return _rebuild(s, [walk(*items) for items in children])
        return fn(next(counter), *parts)

    return walk(shallow, *structures)


class DropoutWrapper(_Wrapper):
    """Dropout on the inputs, outputs and (all but an LSTM's ``c``) state of a cell, each kept
    with its probability. With ``variational_recurrent`` one mask per sequence (drawn once,
    as TF1: ``dtype`` and, with ``input_keep_prob < 1``, ``input_size`` required)."""

    def __init__(
        self,
        cell,
        input_keep_prob=1.0,
        output_keep_prob=1.0,
        state_keep_prob=1.0,
        variational_recurrent=False,
        input_size=None,
        dtype=None,
        seed=None,
        dropout_state_filter_visitor=None,
        **kwargs,
    ):
        super().__init__(cell, dtype=dtype, **kwargs)
        if dropout_state_filter_visitor is not None and not callable(dropout_state_filter_visitor):
            raise TypeError(
                "dropout_state_filter_visitor must be callable. Received: "
                f"{dropout_state_filter_visitor}"
            )
        self._state_filter = dropout_state_filter_visitor or _default_state_filter
        with name_scope("DropoutWrapperInit"):
            for prob, attr in (
                (input_keep_prob, "input_keep_prob"),
                (state_keep_prob, "state_keep_prob"),
                (output_keep_prob, "output_keep_prob"),
            ):
                tensor = convert_to_tensor(prob)
                value = constant_value(tensor)
                if value is None:
                    setattr(self, f"_{attr}", tensor)
                    continue
                if value < 0 or value > 1:
                    raise ValueError(f"Parameter {attr} must be between 0 and 1. Received {value}")
                setattr(self, f"_{attr}", float(value))
        self._variational_recurrent = variational_recurrent
        self._seed = seed
        self._input_noise = self._state_noise = self._output_noise = None
        if variational_recurrent:
            if dtype is None:
                raise ValueError("When variational_recurrent=True, dtype must be provided")

            def noise(prefix, sizes):
                return _map_up_to(
                    sizes,
                    lambda i, s: random_uniform(
                        concat(([1], tensor_shape.as_shape(s).as_list()), 0),
                        seed=self._gen_seed(prefix, i),
                        dtype=dtype,
                    ),
                    sizes,
                )

            keep = self._input_keep_prob
            if not isinstance(keep, numbers.Real) or keep < 1.0:
                if input_size is None:
                    raise ValueError(
                        "When variational_recurrent=True and input_keep_prob < 1.0 or is "
                        "unknown, input_size must be provided"
                    )
                self._input_noise = noise("input", input_size)
            self._state_noise = noise("state", cell.state_size)
            self._output_noise = noise("output", cell.output_size)

    def _gen_seed(self, salt_prefix: str, index: int):
        if self._seed is None:
            return None
        salted = f"{self._seed}{salt_prefix}_{index}".encode()
        return int(hashlib.md5(salted).hexdigest()[:8], 16) & 0x7FFFFFFF

    def build(self, input_shape):
        self.cell.build(input_shape)
        self.built = True

    def _dropout(self, values, prefix, noise, keep_prob, shallow=None):
        shallow = values if shallow is None else shallow
        if not self._variational_recurrent:

            def drop(i, do_dropout, v):
                if not isinstance(do_dropout, bool) or do_dropout:
                    return dropout(v, rate=1.0 - keep_prob, seed=self._gen_seed(prefix, i))
                return v

            return _map_up_to(shallow, drop, shallow, values)

        def drop_variational(i, do_dropout, v, n):
            if not isinstance(do_dropout, bool) or do_dropout:
                binary = floor(keep_prob + n)  # 1 with probability keep_prob
                out = divide(v, keep_prob) * binary
                out.set_shape(v.shape)
                return out
            return v

        return _map_up_to(shallow, drop_variational, shallow, values, noise)

    def _call_wrapped_cell(self, inputs, state, cell_call_fn, **kwargs):
        def should_drop(p):
            return not isinstance(p, float) or p < 1

        if should_drop(self._input_keep_prob):
            inputs = self._dropout(inputs, "input", self._input_noise, self._input_keep_prob)
        output, new_state = cell_call_fn(inputs, state, **kwargs)
        if should_drop(self._state_keep_prob):
            shallow = _shallow(self._state_filter, new_state)
            new_state = self._dropout(
                new_state, "state", self._state_noise, self._state_keep_prob, shallow
            )
        if should_drop(self._output_keep_prob):
            output = self._dropout(output, "output", self._output_noise, self._output_keep_prob)
        return output, new_state


class ResidualWrapper(_Wrapper):
    """Adds a cell's inputs to its outputs (or combines them with ``residual_fn(inputs,
    outputs)``); inputs and outputs must have compatible shapes."""

    def __init__(self, cell, residual_fn=None, **kwargs):
        super().__init__(cell, **kwargs)
        self._residual_fn = residual_fn

    def _call_wrapped_cell(self, inputs, state, cell_call_fn, **kwargs):
        outputs, new_state = cell_call_fn(inputs, state, **kwargs)

        def default_residual_fn(inputs, outputs):
            nest.assert_same_structure(inputs, outputs)
            for inp, out in zip(nest.flatten(inputs), nest.flatten(outputs), strict=True):
                if not inp.shape.is_compatible_with(out.shape):
                    raise ValueError(
                        f"Shapes {inp.shape} and {out.shape} are incompatible (ResidualWrapper "
                        f"'{self.name}': the inputs are added to the outputs of "
                        f"'{getattr(self.cell, 'name', self.cell)}')"
                    )
            return nest.map_structure(lambda inp, out: inp + out, inputs, outputs)

        return (self._residual_fn or default_residual_fn)(inputs, outputs), new_state


class DeviceWrapper(_Wrapper):
    """Runs a cell on ``device`` (a placement hint: scopeflow runs every op on the host)."""

    def __init__(self, cell, device, **kwargs):
        super().__init__(cell, **kwargs)
        self._device = device

    def zero_state(self, batch_size, dtype):
        with name_scope(type(self).__name__ + "ZeroState"), device(self._device):
            return self.cell.zero_state(batch_size, dtype)

    def _call_wrapped_cell(self, inputs, state, cell_call_fn, **kwargs):
        with device(self._device):
            return cell_call_fn(inputs, state, **kwargs)
