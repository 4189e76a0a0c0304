"""The guard TF1 puts on a variable's initial value when it reads other variables.

``tf.Variable(a * 2, name="b")`` must be initializable alone, before ``a``: as TF1, the ops of
the initial value that (transitively) read a variable are copied with that variable replaced by
its ``initialized_value()`` (``b/IsVariableInitialized`` and a ``b/cond`` choosing between its
value and its own initial value), each copy named ``<op name>_<variable scope>`` at the graph's
root (``a/read_b``, ``mul_b``; a ``RefSwitch`` becomes a ``Switch``) and colocated as the op it
copies. Initial values that read no variable, or that hold a cycle (a while loop), are used as
they are.
"""

from __future__ import annotations

from scopeflow.framework.graph import GraphKeys
from scopeflow.framework.tensor import Tensor

# Ops kept as they are: they do not need the variable initialized (or cannot be copied).
_KEPT = frozenset({"IsVariableInitialized", "VarIsInitializedOp", "ReadVariableOp", "If"})
_VARIABLES = frozenset({"Variable", "VariableV2", "VarHandleOp"})


def guard_initial_value(scope: str, initial_value: Tensor) -> Tensor:
    """``initial_value`` with its reads of variables guarded as TF1 guards them, for the
    variable of name scope ``scope`` (``"b/"``)."""
    if not _reads_a_variable(initial_value.op) or _has_cycle(initial_value.op):
        return initial_value
    made = _guarded_ops(scope, initial_value.op)
    return made[initial_value.op].outputs[initial_value.value_index]


def in_control_flow(op) -> bool:
    """Whether ``op`` was made inside a ``tf.cond`` branch or a ``tf.while_loop`` (its
    ``Enter``/``Exit`` ops included), where TF1 refuses a variable's initial value from."""
    return (
        op.type in ("Exit", "RefExit")
        or op._frame is not None
        or not op.graph.is_fetchable(op)
    )


def _reads_a_variable(root) -> bool:
    """Whether a variable op is among the ops ``root``'s data inputs reach (not through the
    ops of :data:`_KEPT`): the common initial value, an initializer's ops, reads none."""
    seen, stack = {root}, [root]
    while stack:
        op = stack.pop()
        if op.type in _VARIABLES:
            return True
        if op.type in _KEPT:
            continue
        for t in op.inputs:
            if t.op not in seen:
                seen.add(t.op)
                stack.append(t.op)
    return False


def _has_cycle(root) -> bool:
    """Whether the ops ``root`` depends on (data and control inputs) form a cycle."""
    finished, started = set(), {root}
    stack = [(root, iter(_dependencies(root)))]
    while stack:
        op, pending = stack[-1]
        nxt = next(pending, None)
        if nxt is None:
            stack.pop()
            started.discard(op)
            finished.add(op)
        elif nxt in started:
            return True
        elif nxt not in finished:
            started.add(nxt)
            stack.append((nxt, iter(_dependencies(nxt))))
    return False


def _dependencies(op):
    return [t.op for t in op.inputs] + list(op.control_inputs)


def _guarded_ops(scope: str, root) -> dict:
    """Each op ``root`` depends on, mapped to itself or its guarded copy, made depth first
    through the inputs in order (the order TF1 makes them in)."""
    made: dict = {}
    stack = [(root, False)]
    while stack:
        op, expanded = stack.pop()
        if op in made:
            continue
        if op.type in _KEPT:
            made[op] = op
        elif op.type in _VARIABLES:
            value = _initialized_value(op)
            made[op] = op if value is None else value.op
        elif not expanded:
            stack.append((op, True))
            stack.extend((t.op, False) for t in reversed(op.inputs))
        else:
            made[op] = _copy(scope, op, made)
    return made


def _initialized_value(variable_op):
    """The ``initialized_value()`` of the global or local variable whose op is
    ``variable_op``, or None (not in those collections, or a kind without one)."""
    names = (variable_op.name, f"{variable_op.name}:0")
    for key in (GraphKeys.GLOBAL_VARIABLES, GraphKeys.LOCAL_VARIABLES):
        for var in variable_op.graph.get_collection(key):
            if getattr(var, "name", None) in names:
                method = getattr(var, "initialized_value", None)
                return None if method is None else method()
    return None


def _copy(scope: str, op, made: dict):
    inputs = [made[t.op].outputs[t.value_index] for t in op.inputs]
    if all(new is old for new, old in zip(inputs, op.inputs, strict=True)):
        return op
    op_type = "Switch" if op.type == "RefSwitch" else op.type
    name = f"{op.name}_{scope}".replace(":", "_")  # ends with "/": exactly this name
    graph = op.graph
    if op.colocation_groups() != [f"loc:@{op.name}".encode()]:  # an explicit _class
        with graph.colocate_with(op):
            return graph.create_op(op_type, inputs, op.attrs, name=name)
    return graph.create_op(op_type, inputs, op.attrs, name=name)
