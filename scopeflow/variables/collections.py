"""The variable collections of the default graph (``tf.global_variables()``...)."""

from __future__ import annotations

from scopeflow.framework import dtypes
from scopeflow.framework.constant import constant
from scopeflow.framework.defaults import get_default_graph
from scopeflow.framework.graph import GraphKeys
from scopeflow.framework.graph_api import colocate_with, get_collection, name_scope
from scopeflow.framework.tensor import Tensor
from scopeflow.ops.array.basic import stack
from scopeflow.ops.array.gather import boolean_mask
from scopeflow.ops.control.grouping import group, no_op
from scopeflow.ops.core.infer import apply_op
from scopeflow.ops.math.elementwise import logical_not
from scopeflow.ops.state.storage import is_variable_initialized


def global_variables(scope: str | None = None) -> list:
    """Variables in ``GLOBAL_VARIABLES`` (saved by a Saver), filtered by the ``scope`` regex."""
    return get_collection(GraphKeys.GLOBAL_VARIABLES, scope)


def trainable_variables(scope: str | None = None) -> list:
    """Variables in ``TRAINABLE_VARIABLES`` (updated by optimizers)."""
    return get_collection(GraphKeys.TRAINABLE_VARIABLES, scope)


def local_variables(scope: str | None = None) -> list:
    """Variables in ``LOCAL_VARIABLES`` (per-process state such as metric counters)."""
    return get_collection(GraphKeys.LOCAL_VARIABLES, scope)


def model_variables(scope: str | None = None) -> list:
    """Variables in ``MODEL_VARIABLES``."""
    return get_collection(GraphKeys.MODEL_VARIABLES, scope)


def variables_initializer(var_list, name: str = "init"):
    """An op running the initializers of ``var_list`` (a no-op when it is empty)."""
    if var_list:
        return group(*[v.initializer for v in var_list], name=name)
    return no_op(name=name)


def global_variables_initializer():
    """``variables_initializer(global_variables())``, named ``init``."""
    return variables_initializer(global_variables())


def local_variables_initializer():
    """``variables_initializer(local_variables())``, named ``init``."""
    return variables_initializer(local_variables())


def report_uninitialized_variables(var_list=None, name="report_uninitialized_variables"):
    """A 1-D string tensor: the names of the variables of ``var_list`` (default: global and
    local variables) that are not initialized in the running session."""
    if var_list is None:
        var_list = global_variables() + local_variables()
    with name_scope(name):
        if not var_list:
            return constant([], dtype=dtypes.string)
        initialized = [is_variable_initialized(v) for v in var_list]
        uninitialized = logical_not(stack(initialized))
        names = constant([v.op.name for v in var_list])
        return boolean_mask(names, uninitialized)


def assert_variables_initialized(var_list=None):
    """A tensor whose evaluation fails with ``FailedPreconditionError`` while a variable of
    ``var_list`` (default: global and local variables, else every ``VariableV2`` op) is not
    initialized: TF1's ``Rank`` of each, stacked when several; ``None`` when there are none.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     v = tf.Variable([1.0, 2.0], name="v")
    ...     check = tf.assert_variables_initialized([v])
    >>> check.op.type, check.op.inputs[0].name
    ('Rank', 'v/read:0')
    """
    if var_list is None:
        var_list = global_variables() + local_variables()
    if not var_list:
        ops = get_default_graph().get_operations()
        var_list = [op.outputs[0] for op in ops if op.type in ("VariableV2", "Variable")]
    if not var_list:
        return None
    ranks = []
    for var in var_list:
        with colocate_with(var.op):
            value = var if isinstance(var, Tensor) else var.value()
            ranks.append(apply_op("Rank", [value], name="Rank"))
    return ranks[0] if len(ranks) == 1 else stack(ranks)


def no_regularizer(_):
    """A regularizer that adds nothing (``None``): turns off a scope's regularizer."""
    return None


# TF1's older names.
all_variables = global_variables
initialize_all_variables = global_variables_initializer
initialize_local_variables = local_variables_initializer
initialize_variables = variables_initializer
