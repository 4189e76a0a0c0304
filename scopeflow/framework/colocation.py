"""Colocation groups: which ops TF1 keeps on one device, recorded as each op's ``_class``.

An op's groups are its ``_class`` attr, a sorted list of ``b"loc:@<op name>"``, or its own
``loc:@<name>`` when it has none (``op.colocation_groups()``). TF1 gives an op a ``_class``:

- inside ``tf.colocate_with(x)``: the groups of ``x`` (and of the enclosing blocks' ops unless
  ``ignore_existing``); the op takes the device of the innermost such op that has one, and
  the enclosing ``tf.device`` blocks do not apply;
- with reference inputs (``Assign``, ``AssignSub``, ``ApplyAdam``, ``ScatterUpdate``...):
  the groups of those references (the variables'), as inside ``colocate_with`` of each;
- made by a variable from an initializer function (``get_variable``): the initializer's ops
  and the ``VariableV2`` are in ``loc:@<variable>``, and the variable's ``read`` is
  colocated with it.

scopeflow runs a graph on one device and places nothing by these groups: they are kept for
GraphDefs (exported and imported as TF's), ``graph_util`` and code that reads them.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.operation import Operation
from scopeflow.framework.tensor import Tensor


class State:
    """A graph's colocation state in one thread: the ``colocate_with`` targets (innermost
    last) and the group a variable being made gives its ops."""

    __slots__ = ("group", "stack")

    def __init__(self):
        self.stack: tuple[Operation, ...] = ()
        self.group: tuple[bytes, ...] = ()


def target_of(value, ignore_existing: bool) -> Operation | None:
    """The op ``colocate_with(value)`` colocates with: an op, a tensor's op, a variable's
    ``VariableV2`` (a constant made of any other value); ``None`` resets (with
    ``ignore_existing`` only, as TF1)."""
    if value is None:
        if not ignore_existing:
            raise ValueError(
                "Trying to reset colocation (op is None) but ignore_existing is not True"
            )
        return None
    if isinstance(value, Operation):
        return value
    if isinstance(value, Tensor):
        return value.op
    op = getattr(value, "op", None)  # a variable, IndexedSlices
    if isinstance(op, Operation):
        return op
    return convert_to_tensor(value).op  # as TF1: a new constant to colocate with


def place(op: Operation, state: State) -> None:
    """Records the groups (and device) TF1 gives ``op`` as it is made; see the module."""
    refs = tuple(  # a resource handle (ReadVariableOp's) is no reference: TF gives no _class
        op._inputs[i].op
        for i in op._op_def.ref_inputs
        if i < len(op._inputs) and op._inputs[i].dtype._is_ref_dtype
    )
    if refs:  # TF1 makes it inside colocate_with(reference), which clears the device blocks
        op._device = ""
    stack = state.stack + refs
    if not stack:
        op._colocation = state.group
        return
    op._colocation = tuple(
        sorted({group for target in stack for group in target.colocation_groups()})
    )
    for target in reversed(stack):
        if target.device:
            op._device = target.device
            break


@contextlib.contextmanager
def variable_group(graph, name: str, active: bool = True) -> Iterator[None]:
    """Ops made inside (a variable's initializer and ``VariableV2``) are in ``loc:@name``
    unless a ``colocate_with`` block says otherwise, as TF1's variable made from a function
    (when ``active``)."""
    if not active:
        yield
        return
    state = graph._local.colocation
    old = state.group
    state.group = (f"loc:@{name}".encode(),)
    try:
        yield
    finally:
        state.group = old
