"""``tf.saved_model.main_op``: the op a SavedModel runs once loaded."""

from __future__ import annotations

from scopeflow.framework.defaults import get_default_graph
from scopeflow.framework.graph import GraphKeys
from scopeflow.framework.graph_api import control_dependencies
from scopeflow.ops.control.grouping import group, no_op
from scopeflow.variables.collections import (
    global_variables_initializer,
    local_variables_initializer,
)


def _tables_initializer():
    initializers = get_default_graph().get_collection(GraphKeys.TABLE_INITIALIZERS)
    if initializers:
        return group(*initializers, name="init_all_tables")
    return no_op(name="init_all_tables")


def main_op():
    """An op initializing the global and local variables and the lookup tables.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     tf.saved_model.main_op.main_op().type
    'NoOp'
    """
    return group(
        global_variables_initializer(), local_variables_initializer(), _tables_initializer()
    )


def main_op_with_restore(restore_op_name):
    """``main_op()``, then ``restore_op_name`` (a Saver's restore op, or its name)."""
    if isinstance(restore_op_name, str):
        restore_op_name = get_default_graph().as_graph_element(restore_op_name)
    with control_dependencies([main_op()]):
        return group(restore_op_name)
