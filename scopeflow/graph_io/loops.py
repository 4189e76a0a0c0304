"""The ``tf.while_loop`` frames of an imported graph, rebuilt from its ops.

A GraphDef holds a loop only as ops (``Enter``, ``Merge``, ``Switch``, ``Identity``,
``NextIteration``, ``Exit``, ``LoopCond``) with a cycle through each ``Merge``'s
``NextIteration`` input. Importing builds a ``Merge`` before its ``NextIteration`` exists (its
back edge points at its other input until :func:`close_back_edges`), then
:func:`rebuild_frames` gives every op its innermost loop (``op._frame``) and each loop the
:class:`LoopFrame` the plan compiler runs it from, as ``ops/control/while_loop.py`` records
them for loops built with code:

- an ``Enter`` opens its ``frame_name``'s loop inside the loop of its input; an ``Exit`` leaves
  its input's loop; any other op is in the loop of its inputs;
- per loop variable (one ``Enter`` with ``is_constant`` false): its ``Merge``, the ``Switch`` on
  the ``LoopCond``, the body's ``Identity``, the ``NextIteration`` and the ``Exit``;
- a gradient's ``StackPushV2`` in a forward loop runs each iteration while the gradient loop
  that pops the same stack is part of the run (TF1 keeps it through a control input on the
  forward counter's ``NextIteration``).

The loops rebuilt run, forward and gradient alike (an imported ``train_op`` trains); new
gradients through them need the loop's Python builder, which a GraphDef does not carry.
"""

from __future__ import annotations

from scopeflow.framework.frames import LoopFrame
from scopeflow.framework.operation import Operation

ENTERS = {"Enter", "RefEnter"}
EXITS = {"Exit", "RefExit"}
NEXT_ITERATIONS = {"NextIteration", "RefNextIteration"}
MERGES = {"Merge", "RefMerge"}


def is_back_edge(consumer_type: str, source_type: str) -> bool:
    """Whether an input from a ``source_type`` op into a ``consumer_type`` op closes a loop."""
    return consumer_type in MERGES and source_type in NEXT_ITERATIONS


def close_back_edges(made: dict, deferred: list) -> None:
    """Rewires each deferred ``(merge op, input index, source node, output)`` to its
    ``NextIteration``, now that it exists."""
    for merge, index, source, out in deferred:
        merge._update_input(index, made[source]._outputs[out])


def rebuild_frames(ops: list[Operation]) -> None:
    """Sets ``_frame`` on the imported ``ops`` (in build order) and fills each loop's
    :class:`LoopFrame`. Raises ``ValueError`` naming the loop when its ops do not form a
    TF1 while loop."""
    frames: dict[str, LoopFrame] = {}
    after: set[Operation] = set()  # ops run once a loop ends, on its Switch's false output
    for op in ops:
        left = _loop_left(op, after)
        if left is not None:
            op._frame = left.outer  # as its Exit is
            after.add(op)
        elif op.type in ENTERS:
            name = op._attrs["frame_name"]
            name = name.decode() if isinstance(name, bytes) else name
            frame = frames.get(name)
            if frame is None:
                frame = LoopFrame(
                    name,
                    _frame_of_inputs(op),
                    parallel_iterations=int(op._attrs.get("parallel_iterations", 10)),
                )
                frames[name] = frame
            op._frame = frame
        elif op.type in EXITS and op._inputs[0].op not in after:
            inner = _frame_of_inputs(op)
            op._frame = None if inner is None else inner.outer
        else:
            op._frame = _frame_of_inputs(op)
    members: dict[LoopFrame, list[Operation]] = {f: [] for f in frames.values()}
    for op in ops:
        if op._frame is not None and op.type not in EXITS:
            members[op._frame].append(op)
    for frame, inside in members.items():
        _fill(frame, inside, ops)


def _loop_left(op: Operation, after: set) -> LoopFrame | None:
    """The loop that ``op`` reads the final values of, straight from the loop's ``Switch``
    (TF1's gradient loops pass them through a ``tf.tuple`` before their ``Exit``), or None."""
    if op.type in ENTERS:
        return None
    for t in op._inputs:
        if t.value_index == 0 and _is_loop_switch(t.op) and op.type not in EXITS:
            return t.op._frame
    return None


def _is_loop_switch(op: Operation) -> bool:
    return op.type in ("Switch", "RefSwitch") and op._inputs[1].op.type == "LoopCond"


def _frame_of_inputs(op: Operation) -> LoopFrame | None:
    for t in op._inputs:
        if t.op._frame is not None:
            return t.op._frame
    for c in op._control_inputs:
        if c._frame is not None:
            return c._frame
    return None


def _fill(frame: LoopFrame, inside: list[Operation], ops: list[Operation]) -> None:
    loop = frame.name.rsplit("/", 1)[0]
    conds = [op for op in inside if op.type == "LoopCond"]
    if len(conds) != 1:
        raise ValueError(
            f"Imported while loop '{loop}' has {len(conds)} LoopCond ops (one expected): "
            "the GraphDef's loop is incomplete."
        )
    frame.loop_cond = conds[0]
    pred = frame.loop_cond._outputs[0]
    for enter in inside:
        if enter.type not in ENTERS:
            continue
        if enter._attrs.get("is_constant"):
            frame.const_enters.append(enter)
            continue
        merge = _first(enter._outputs[0], MERGES)
        if merge is None:
            continue  # TF1's gradient loops leave the Enter of an unused gradient dangling
        switch = _consumer(merge._outputs[0], {"Switch", "RefSwitch"}, loop, merge, pred)
        frame.var_enters.append(enter)
        frame.merges.append(merge)
        frame.switches.append(switch)
        # What the body reads and what leaves the loop: TF1's counters have no Identity, and
        # a frozen graph may have pruned an unused Exit.
        frame.identities.append(_first(switch._outputs[1], {"Identity"}))
        frame.next_iterations.append(merge._inputs[1].op)
        frame.exits.append(_first(switch._outputs[0], EXITS))
    _gate_stack_pushes(frame, inside, ops)


def _consumer(t, types: set, loop: str, of: Operation, pred=None) -> Operation:
    for c in t._consumers:
        if c.type in types and (pred is None or c._inputs[1] is pred):
            return c
    raise ValueError(
        f"Imported while loop '{loop}': '{of.name}' ({of.type}) has no {'/'.join(sorted(types))} "
        "consumer, so its loop variable is incomplete in the GraphDef."
    )


def _first(t, types: set) -> Operation | None:
    return next((c for c in t._consumers if c.type in types), None)


def _gate_stack_pushes(frame: LoopFrame, inside: list[Operation], ops: list) -> None:
    """Each ``StackPushV2`` in ``frame`` runs every iteration of runs that pop its stack."""
    pops: dict[Operation, Operation] = {}
    for op in ops:
        if op.type == "StackPopV2":
            pops.setdefault(_stack_of(op), op)
    for op in inside:
        if op.type != "StackPushV2":
            continue
        pop = pops.get(_stack_of(op))
        if pop is None or pop._frame is None:
            continue  # nothing reads what it pushes
        gate = pop._frame
        while gate.outer is not None:
            gate = gate.outer
        frame.per_iteration.append((op, gate))


def _stack_of(op: Operation) -> Operation:
    source = op._inputs[0].op  # the handle, entered into loops and switched into conds
    while source.type in ENTERS or source.type in ("Switch", "RefSwitch", "Identity"):
        source = source._inputs[0].op
    return source
