"""Moving averages of variables and tensors, as TF1's ``moving_averages`` module builds them.

``tf.train.ExponentialMovingAverage(decay).apply(var_list)`` makes one shadow variable per
variable or tensor, named ``<var>/ExponentialMovingAverage`` (the averager's name), global
but not trainable, and returns the op (named after the averager) that moves every shadow
towards its value: ``shadow -= (1 - decay) * (shadow - value)`` (``AssignMovingAvg``,
``AssignMovingAvg_1``...). A variable's shadow starts at the variable's value and the
variable joins ``tf.GraphKeys.MOVING_AVERAGE_VARIABLES``; a tensor's shadow starts at zero.
``variables_to_restore()`` maps the shadows' names to the variables, so that
``tf.train.Saver(ema.variables_to_restore())`` loads the averages into the model's variables.

One difference from TF1: a shadow's initial value reads the variable through
``initialized_value()`` as TF1's does, but without the guarded copies of those ops that TF1's
``Variable`` adds (``cond/read_<shadow>``...); the values are the same.
"""

from __future__ import annotations

import contextlib

from scopeflow.framework import dtypes, undo
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.defaults import get_default_graph
from scopeflow.framework.graph import GraphKeys, graph_of
from scopeflow.framework.graph_api import add_to_collection, get_collection, name_scope
from scopeflow.framework.traceback_filter import api_boundary
from scopeflow.ops.array.cast import cast
from scopeflow.ops.control.cond import cond
from scopeflow.ops.control.grouping import group
from scopeflow.ops.math import elementwise as math_ops
from scopeflow.ops.state import storage as state_ops
from scopeflow.variables import initializers
from scopeflow.variables.collections import global_variables, trainable_variables
from scopeflow.variables.partitioned import slice_slot_like
from scopeflow.variables.variable_scope import get_variable, get_variable_scope, variable_scope
from scopeflow.variables.variables import Variable

_AVERAGED_DTYPES = (dtypes.bfloat16, dtypes.float16, dtypes.float32, dtypes.float64)


@undo.atomic
def assign_moving_average(variable, value, decay, zero_debias=True, name=None):
    """An op moving ``variable`` towards ``value``: ``variable -= (1 - decay) * (variable -
    value)``, named ``AssignMovingAvg`` (or ``name``); evaluates to the new value.

    With ``zero_debias``, the average is corrected for starting at zero, through the
    variables ``<variable>/biased`` and ``<variable>/local_step``, as TF1's
    ``moving_averages.assign_moving_average`` (whose default it is) does.

    >>> import scopeflow as tf
    >>> from scopeflow.train.moving_averages import assign_moving_average
    >>> with tf.Graph().as_default():
    ...     avg = tf.Variable(0.0, name="avg")
    ...     update = assign_moving_average(avg, 10.0, 0.9, zero_debias=False)
    ...     with tf.Session() as sess:
    ...         sess.run(avg.initializer)
    ...         print(sess.run(update))
    1.0
    """
    with name_scope(name, "AssignMovingAvg", [variable, value, decay]) as scope:
        decay = convert_to_tensor(1.0 - decay, name="decay")
        if decay.dtype.base_dtype != variable.dtype.base_dtype:
            decay = cast(decay, variable.dtype.base_dtype)
        if zero_debias:
            return _zero_debias(variable, value, decay)
        return state_ops.assign_sub(variable, (variable - value) * decay, name=scope)


def _unique_in_scope(name: str) -> str:
    """``name``, or ``name_1``... when the current variable scope already has a global
    variable of that name (TF1's ``_maybe_get_unique``)."""
    scope = get_variable_scope()
    if scope.reuse:
        return name
    taken = {v.op.name for v in global_variables(scope.name)}
    full = f"{scope.name}/{name}"
    if full not in taken:
        return name
    i = 1
    while f"{full}_{i}" in taken:
        i += 1
    return f"{name}_{i}"


def _zero_debias(unbiased, value, decay):
    """TF1's zero-debiased update: a biased average and a step count beside ``unbiased``,
    which is set to ``biased / (1 - (1 - decay) ** step)``."""
    with variable_scope(unbiased.op.name, values=[unbiased, value, decay]):
        with get_default_graph().control_dependencies(None):
            biased = get_variable(
                _unique_in_scope("biased"),
                shape=unbiased.shape,
                dtype=unbiased.dtype.base_dtype,
                initializer=initializers.zeros_initializer(),
                trainable=False,
            )
            local_step = get_variable(
                _unique_in_scope("local_step"),
                shape=[],
                dtype=unbiased.dtype.base_dtype,
                initializer=initializers.zeros_initializer(),
                trainable=False,
            )
    update_biased = state_ops.assign_sub(biased, (biased - value) * decay)
    update_step = local_step.assign_add(1)
    bias_factor = 1 - math_ops.pow(1.0 - decay, update_step)
    scope = get_default_graph().get_name_scope()
    return state_ops.assign(unbiased, update_biased / bias_factor, name=scope + "/")


def _initialized_value(var: Variable):
    """TF's start of a variable's average: its value if initialized, else its initial value
    (``cond`` of ``is_variable_initialized``; what ``initialized_value()`` builds, which TF 2's
    resource variables no longer have)."""
    return cond(state_ops.is_variable_initialized(var), var.read_value, lambda: var.initial_value)


def _shadow(primary, initial, name: str) -> Variable:
    """The shadow variable ``<primary's op name>/<name>`` (``_1``... when taken), global, not
    trainable, starting at ``initial`` (a tensor, or an initializer for a zero start)."""
    shape = primary.shape
    # as TF1: a variable's shadow is placed with it (a tensor's is not)
    placed = isinstance(primary, Variable) or primary.op.type in ("VariableV2", "Variable")
    graph = primary.graph
    with (
        graph.colocate_with(primary) if placed else contextlib.nullcontext(),
        variable_scope(None, default_name=f"{primary.op.name}/{name}") as scope,
    ):
        scope.set_partitioner(None)  # a shadow is one variable, sliced like its primary
        if callable(initial):
            if not shape.is_fully_defined():
                raise NotImplementedError(
                    f"ExponentialMovingAverage: the average of tensor '{primary.name}' needs a "
                    f"fully defined shape, got {shape}. Give the tensor a static shape "
                    "(tf.ensure_shape or set_shape) before averaging it."
                )
            shadow = get_variable(
                "",
                shape=shape,
                dtype=primary.dtype.base_dtype,
                initializer=initial,
                trainable=False,
            )
        else:  # a resource variable's shadow is one too, as TF's slot_creator makes it
            resource = getattr(primary, "_is_resource", False)
            shadow = get_variable("", initializer=initial, trainable=False, use_resource=resource)
    if isinstance(primary, Variable):
        slice_slot_like(primary, shadow)
    return shadow


class ExponentialMovingAverage:
    """Maintains moving averages of variables and tensors with exponential decay.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     w = tf.Variable(1.0, name="w")
    ...     ema = tf.train.ExponentialMovingAverage(decay=0.5)
    ...     update = ema.apply([w])
    ...     with tf.Session() as sess:
    ...         sess.run(tf.global_variables_initializer())
    ...         _ = sess.run(w.assign(3.0))
    ...         _ = sess.run(update)
    ...         print(ema.average_name(w), sess.run(ema.average(w)))
    w/ExponentialMovingAverage 2.0
    """

    def __init__(self, decay, num_updates=None, zero_debias=False, name="ExponentialMovingAverage"):
        """``decay``: a float or float tensor; with ``num_updates`` (an int or int tensor,
        such as the global step), the decay used is ``min(decay, (1 + num_updates) / (10 +
        num_updates))``; ``zero_debias``: debias the averages of tensors (not variables)."""
        self._decay = decay
        self._num_updates = num_updates
        self._zero_debias = zero_debias
        self._name = name
        self._averages: dict = {}  # variable or tensor -> its shadow variable

    @property
    def name(self) -> str:
        return self._name

    @api_boundary
    @undo.atomic
    def apply(self, var_list=None):
        """Makes shadow variables for ``var_list`` (variables and float tensors; default: the
        trainable variables) and returns the op updating all their averages.

        Raises:
            TypeError: an entry is not of a floating dtype.
        """
        if var_list is None:
            var_list = trainable_variables()
        var_list = list(var_list)
        debiased = set()
        for var in var_list:
            if var.dtype.base_dtype not in _AVERAGED_DTYPES:
                raise TypeError(f"The variables must be half, float, or double: {var.name}")
        graph = graph_of(var_list) if var_list else get_default_graph()
        averages = dict(self._averages)  # kept only if the whole apply succeeds
        with graph.as_default():
            for var in var_list:
                if var in averages:
                    continue
                with graph.control_dependencies(None):
                    if isinstance(var, Variable):
                        avg = _shadow(var, _initialized_value(var), self._name)
                        add_to_collection(GraphKeys.MOVING_AVERAGE_VARIABLES, var)
                    else:
                        avg = _shadow(var, initializers.zeros_initializer(), self._name)
                        if self._zero_debias:
                            debiased.add(avg)
                averages[var] = avg
            with name_scope(self._name) as scope:
                decay = convert_to_tensor(self._decay, name="decay")
                if self._num_updates is not None:
                    num_updates = cast(self._num_updates, dtypes.float32, name="num_updates")
                    decay = math_ops.minimum(decay, (1.0 + num_updates) / (10.0 + num_updates))
                updates = [
                    assign_moving_average(
                        averages[var], var, decay, zero_debias=averages[var] in debiased
                    )
                    for var in var_list
                ]
                update = group(*updates, name=scope)
        self._averages = averages
        return update

    def average(self, var):
        """The shadow variable of ``var``, or ``None`` before ``apply`` made one."""
        return self._averages.get(var)

    def average_name(self, var) -> str:
        """The name of ``var``'s shadow variable (what it will be, before ``apply``): the
        name checkpoints hold the average under."""
        if var in self._averages:
            return self._averages[var].op.name
        graph = var.op.graph
        return graph.unique_name(f"{var.op.name}/{self._name}", mark_as_used=False)

    def variables_to_restore(self, moving_avg_variables=None) -> dict:
        """``{checkpoint name: variable}`` loading the averages into the variables: the
        moving-average variables (default: the trainable ones and those in
        ``MOVING_AVERAGE_VARIABLES``) under their shadows' names, every other global variable
        under its own name. Pass it to ``tf.train.Saver`` to evaluate with averaged weights."""
        if moving_avg_variables is None:
            moving_avg_variables = trainable_variables() + get_collection(
                GraphKeys.MOVING_AVERAGE_VARIABLES
            )
        averaged = list(dict.fromkeys(moving_avg_variables))
        name_map = {self.average_name(v): v for v in averaged}
        averaged_names = {v.name for v in averaged}
        for v in global_variables():
            if v.name not in averaged_names and v.op.name not in name_map:
                name_map[v.op.name] = v
        return name_map


def moving_average_variables(scope: str | None = None) -> list:
    """The variables some ``ExponentialMovingAverage.apply`` averages (the
    ``MOVING_AVERAGE_VARIABLES`` collection), optionally those whose name matches ``scope``."""
    return get_collection(GraphKeys.MOVING_AVERAGE_VARIABLES, scope)


__all__ = ["ExponentialMovingAverage", "assign_moving_average", "moving_average_variables"]
