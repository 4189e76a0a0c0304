"""The row updates of the Keras optimizers' sparse paths (tf_keras's
``_resource_apply_sparse``), shared by the optimizers that compose them rather than call a
sparse apply op: new rows stored into a slot (``ResourceScatterUpdate``: Adamax), rows added
into a variable (``ResourceScatterAdd``), each followed by a read of the variable's value
(``ReadVariableOp``, as TF's ``_resource_scatter_*``), and a slot decayed on every row before
the gradient's rows are added (Adam, Nadam, RMSprop without momentum).

On a reference variable the same functions build ``ScatterUpdate``/``ScatterAdd``, whose
output is the variable after the update.
"""

from __future__ import annotations

from scopeflow.framework.graph_api import control_dependencies
from scopeflow.framework.indexed_slices import IndexedSlices
from scopeflow.ops.array.gather import gather
from scopeflow.ops.state import storage as state_ops


def rows_of(slot, indices):
    """The rows ``indices`` of ``slot`` (``ResourceGather`` of a resource variable)."""
    return gather(slot, indices)


def store_rows(slot, indices, rows):
    """Sets the rows ``indices`` of ``slot`` to ``rows``; ``slot``'s whole value after."""
    return _scatter(slot, "Update", indices, rows)


def add_rows(var, indices, rows):
    """Adds ``rows`` into the rows ``indices`` of ``var``; ``var``'s whole value after."""
    return _scatter(var, "Add", indices, rows)


def scatter_add_op(var, indices, rows):
    """The op adding ``rows`` into the rows ``indices`` of ``var`` (no read after it)."""
    if var._is_resource:
        return var._resource_scatter("ResourceScatterAdd", indices, rows, None, False)
    return var.scatter_add(IndexedSlices(rows, indices)).op


def _scatter(var, how: str, indices, rows):
    if not var._is_resource:  # a reference scatter's output is the variable after it
        return getattr(var, f"scatter_{how.lower()}")(IndexedSlices(rows, indices))
    # TF's _resource_scatter_*: the op, then one ReadVariableOp after it
    op = var._resource_scatter(f"ResourceScatter{how}", indices, rows, None, False)
    with control_dependencies([op]):
        return var.value()


def decay_then_add_rows(slot, decay, indices, rows):
    """``slot * decay`` stored on every row, then ``rows`` added at ``indices`` (a sparse
    ``beta * m + (1 - beta) * g``); ``slot``'s whole value after both."""
    decayed = state_ops.assign(slot, slot * decay)
    with control_dependencies([decayed.op]):
        return add_rows(slot, indices, rows)


__all__ = ["add_rows", "decay_then_add_rows", "rows_of", "scatter_add_op", "store_rows"]
