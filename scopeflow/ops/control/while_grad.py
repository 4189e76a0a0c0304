"""The gradient of a ``tf.while_loop``: a second loop that runs the body's gradient once per
forward iteration, last iteration first.

As in TF1's control flow v1:

- the forward loop gets one more loop variable, an iteration counter (``f_count``), whose
  final value is the number of iterations the gradient loop runs;
- every forward value the body's gradient needs (``h`` in the gradient of ``h * w``) is pushed
  on a stack (``StackPushV2``) each forward iteration and popped (``StackPopV2``) by the
  gradient loop, so the memory kept is what the loop actually ran;
- the gradient loop carries one gradient per float loop variable, and sums the gradients of
  the values the loop read from outside (``w``) over the iterations (an IndexedSlices, the
  gradient of a gather from ``w``, by concatenating its rows, as TF1 does).

The forward loop pushes only in runs that also run its gradient loop (``LoopFrame``'s
``per_iteration`` gate), so a forward-only run keeps nothing.
"""

from __future__ import annotations

from collections.abc import Callable

from scopeflow.framework import dtypes, tensor_shape
from scopeflow.framework.constant import constant, convert_to_tensor
from scopeflow.framework.frames import LoopFrame
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.indexed_slices import IndexedSlices
from scopeflow.framework.tensor import Tensor
from scopeflow.ops.array.basic import shape, zeros
from scopeflow.ops.array.join import concat
from scopeflow.ops.array.shape import zeros_like
from scopeflow.ops.control import stack_ops  # noqa: F401 - registers the stack ops
from scopeflow.ops.control.while_loop import LoopBuilder, WhileContext
from scopeflow.ops.core.infer import apply_op
from scopeflow.ops.math.elementwise import maximum

# (ys, xs, seeds, level) -> {x: gradient}: tf.gradients' reverse pass over the ops of one loop
# level, each x's gradients summed as TF1 sums them (IndexedSlices concatenated; mixed with
# dense ones, made dense); scopeflow/gradients.py hands it in (it sits above this module).
Backprop = Callable[[list, list, list, LoopFrame], dict]


def _flowing(t: Tensor) -> bool:
    dtype = t.dtype.base_dtype
    return dtype.is_floating or dtype.is_complex


def _is_handle(t: Tensor) -> bool:
    return t.dtype.base_dtype == dtypes.resource and t.op.type == "Enter"


def _in_context(graph, context, build: Callable):
    """Runs ``build()`` with ``context`` as the graph's control-flow context."""
    state = graph._local
    saved, state.control_flow_context = state.control_flow_context, context
    try:
        return build()
    finally:
        state.control_flow_context = saved


def forward_count(graph, frame: LoopFrame) -> Tensor:
    """The number of iterations ``frame`` ran: a counter loop variable added to the forward
    loop (once; TF1's ``f_count``), as seen after the loop."""
    cached = getattr(frame.builder, "count_exit", None)
    if cached is not None:
        return cached
    context: WhileContext = frame.builder
    outer = context.outer
    zero = _in_context(graph, outer, lambda: constant(0, name="f_count"))
    with graph.control_dependencies(None):
        start = outer.add_value(graph, zero, "") if outer is not None else zero
        enter = context._enter(graph, start, is_constant=False, name="f_count")
    pivot = context.pivot

    def in_loop():
        merge = apply_op("Merge", [enter._outputs[0], enter._outputs[0]])[0]
        switch = apply_op("Switch", [merge, frame.loop_cond._outputs[0]])
        identity = apply_op("Identity", [switch[1]])
        context.pivot = identity.op
        step = apply_op("NextIteration", [identity + 1])
        merge.op._update_input(1, step)
        return merge, switch, identity, step

    merge, switch, identity, step = _in_context(graph, context, in_loop)
    context.pivot = pivot
    exit_t = _in_context(graph, outer, lambda: apply_op("Exit", [switch[0]], name="f_count"))
    frame.var_enters.append(enter)
    frame.merges.append(merge.op)
    frame.switches.append(switch[0].op)
    frame.identities.append(identity.op)
    frame.next_iterations.append(step.op)
    frame.exits.append(exit_t.op)
    context.count_exit = exit_t
    return exit_t


class GradLoopContext(WhileContext):
    """The gradient loop of ``forward``: a forward value of the matching iteration comes off
    a stack the forward loop pushed it on; anything else enters as in any loop."""

    def __init__(self, graph, scope: str, outer, forward: LoopFrame):
        super().__init__(graph, scope, outer, forward.parallel_iterations, True)
        self.forward = forward
        self.popped: dict[Tensor, Tensor] = {}
        gate = self.frame
        while gate.outer is not None:
            gate = gate.outer
        self.gate = gate  # the outermost gradient loop: pushes run when it runs

    def add_value(self, graph, t: Tensor, scope: str) -> Tensor:
        if t.op in self.ops:
            return t
        frame = t.op._frame
        if frame is self.forward and t.op in self.forward.const_enters:
            return self.add_value(graph, t.op._inputs[0], scope)  # the same every iteration
        if frame is self.forward:
            popped = self.popped.get(t)
            if popped is None:
                # as TF's: the stack's ops wait for nothing the gradient function waits for
                with graph.control_dependencies(None):
                    popped = self._pop(graph, t)
                self.popped[t] = popped
            return popped
        if frame is not None and self.forward.contains(frame):
            raise ValueError(
                f"The gradient of loop '{self.forward.name}' needs '{t.name}' from a loop "
                "nested in its body; nested loops are differentiated as a whole."
            )
        return super().add_value(graph, t, scope)

    def _pop(self, graph, t: Tensor) -> Tensor:
        """``t``'s value in the matching forward iteration: pushed there, popped here."""
        forward = self.forward.builder
        stack = _in_context(graph, None, lambda: _new_stack(graph, t))
        scope = stack.op.name + "/"

        def push():
            handle = forward.add_value(graph, stack, scope)
            return graph.create_op("StackPushV2", [handle, t], {"swap_memory": False})

        with graph.name_scope(scope):
            push_op = _in_context(graph, forward, push)
        self.forward.per_iteration.append((push_op, self.gate))
        handle = super().add_value(graph, stack, stack.op.name + "/")

        def pop():  # in this loop, also when a gradient loop nested in it asks for ``t``
            attrs = {"elem_type": t.dtype.base_dtype}
            return graph.create_op("StackPopV2", [handle], attrs, name="StackPopV2")

        with graph.name_scope(stack.op.name + "/"):
            value = _in_context(graph, self, pop)._outputs[0]
        value.set_shape(t.shape)
        return value


def _new_stack(graph, t: Tensor) -> Tensor:
    size = constant(-1, dtype=dtypes.int32, name="Const")
    attrs = {"elem_type": t.dtype.base_dtype, "stack_name": t.op.name}
    return graph.create_op("StackV2", [size], attrs, name="f_acc")._outputs[0]


def loop_gradients(graph, frame: LoopFrame, exit_grads: list, backprop: Backprop) -> dict:
    """The gradients of the values entering ``frame`` (its loop variables' initial values and
    the values it reads from outside), given the gradients of its results (``exit_grads``, one
    per loop variable, ``None`` for none): ``{tensor outside the loop: gradient}``.

    A value read from outside gets an accumulator once the body's gradient shows its kind,
    as TF1 adds them: a dense sum, or, when every iteration's gradient is an IndexedSlices (a
    gather of a table read from outside), the concatenated rows of all iterations."""
    if not frame.back_prop:
        return {}
    if isinstance(frame.builder, GradLoopContext):  # TF1's _ExitGrad refuses it too
        raise TypeError("Second-order gradient for while loops not supported.")
    count = forward_count(graph, frame)  # an int loop variable: it carries no gradient
    flowing = [k for k in range(len(frame.merges)) if _flowing(frame.merges[k]._outputs[0])]
    carried = _needed(frame, flowing, exit_grads)
    if not carried:
        return {}
    # and a resource variable's handle, whose gradient is its reads' (TF's)
    constants = [
        e for e in frame.const_enters if _flowing(e._outputs[0]) or _is_handle(e._outputs[0])
    ]
    results = [frame.next_iterations[k]._inputs[0] for k in carried]
    body_inputs = [frame.identities[k]._outputs[0] for k in carried]
    entered = [e._outputs[0] for e in constants]
    seeds = []
    for k in carried:
        g = exit_grads[k] if k < len(exit_grads) else None
        seeds.append(zeros_like(frame.exits[k]._outputs[0]) if g is None else g)
    found_inside: dict = {}  # entered value -> its gradient in one iteration

    def cond(n, *_):
        return n > 0

    def body(n, *grads):
        found = backprop(results, body_inputs + entered, list(grads), frame)
        new_grads = [
            zeros_like(g) if (d := found.get(x)) is None else convert_to_tensor(d)
            for x, g in zip(body_inputs, grads, strict=True)
        ]
        found_inside.update((x, found[x]) for x in entered if found.get(x) is not None)
        return [n - 1, *new_grads]

    shapes = [tensor_shape.TensorShape([])]
    shapes += [frame.merges[k]._outputs[0].shape for k in carried]
    loop_vars = [count, *seeds]
    name = frame.name.rsplit("/", 1)[0] + "_grad"
    outer_scope = graph.get_name_scope()
    exit_scopes = [None] + [  # TF1's: the gradient of "while/Enter_1" leaves the loop by
        f"{outer_scope}/{frame.var_enters[k].name}_grad/".lstrip("/")  # ".../Enter_1_grad/Exit"
        for k in carried
    ]
    with name_scope(name) as scope:
        context = GradLoopContext(graph, scope, graph._local.control_flow_context, frame)
        builder = LoopBuilder(graph, context, scope[:-1])
        _, exits = builder.build(cond, body, loop_vars, loop_vars, shapes, exit_scopes)
    sums = [
        _accumulate(graph, context, e, found_inside[x]) if x in found_inside else None
        for e, x in zip(constants, entered, strict=True)
    ]
    out: dict = {}
    entering = [frame.var_enters[k]._inputs[0] for k in carried] + [e._inputs[0] for e in constants]
    for t, g in zip(entering, [*exits[1:], *sums], strict=True):
        if g is not None:  # a loop variable's start also read inside: the sum of both
            out[t] = convert_to_tensor(out[t]) + convert_to_tensor(g) if t in out else g
    return out


def _needed(frame: LoopFrame, flowing: list[int], exit_grads: list) -> list[int]:
    """The loop variables (of ``flowing``) the gradient loop carries: those with a gradient
    after the loop, and those whose values feed theirs in the body. As in TF1, the others get
    no gradient (their starts none, not zeros)."""
    body_input = {frame.identities[k]._outputs[0]: k for k in flowing}
    needed = {k for k in flowing if k < len(exit_grads) and exit_grads[k] is not None}
    todo = list(needed)
    while todo:
        stack, seen = [frame.next_iterations[todo.pop()]._inputs[0]], set()
        while stack:
            t = stack.pop()
            if t in seen or not frame.contains(t.op._frame):
                continue
            seen.add(t)
            k = body_input.get(t)
            if k is None:
                stack.extend(t.op._inputs)
            elif k not in needed:
                needed.add(k)
                todo.append(k)
    return [k for k in flowing if k in needed]


def _accumulate(graph, context: WhileContext, enter, grad):
    """The sum over the gradient loop's iterations of ``grad``, the gradient in one iteration
    of the value ``enter`` brings into the forward loop: loop variables added to the built
    gradient loop, named as TF1's ``AddBackpropAccumulator`` names them; for an IndexedSlices,
    its indices and rows concatenated (after a zero row at index 0, TF1's start) and its dense
    shape the largest seen (``AddBackpropIndexedSlicesAccumulator``)."""
    outside = enter._inputs[0]
    with name_scope(enter.name + "_grad"):
        if not isinstance(grad, IndexedSlices):
            start = zeros(_static_or_dynamic(grad.shape, outside), grad.dtype, name="b_acc")
            step = [lambda acc: apply_op("AddV2", [acc, grad], name="Add")]
            return _add_variables(graph, context, [start], step, grows=0)[0]
        values = grad.values
        starts = [
            constant([0], dtype=grad.indices.dtype.base_dtype),
            zeros(_static_or_dynamic(values.shape, outside, rows=1), values.dtype, name="b_acc"),
        ]
        steps = [
            lambda acc: concat([acc, grad.indices], 0),
            lambda acc: concat([acc, values], 0),
        ]
        if grad.dense_shape is not None:
            starts.append(zeros_like(shape(outside, out_type=grad.dense_shape.dtype.base_dtype)))
            steps.append(lambda acc: maximum(grad.dense_shape, acc))
        indices, values, *dense_shape = _add_variables(graph, context, starts, steps, grows=2)
        return IndexedSlices(values, indices, dense_shape[0] if dense_shape else None)


def _static_or_dynamic(known: tensor_shape.TensorShape, outside: Tensor, rows=None):
    """A gradient's shape as a list when fully known, else from ``outside``'s ``Shape``; with
    ``rows``, its first dimension replaced by ``rows``."""
    if known.is_fully_defined():
        dims = known.as_list()
        return dims if rows is None else [rows, *dims[1:]]
    dims = shape(outside)
    return dims if rows is None else concat([[rows], dims[1:]], 0)


def _add_variables(graph, context: WhileContext, starts: list, steps: list, grows: int) -> list:
    """Loop variables added to the built loop of ``context``: each ``starts[k]`` entering and
    ``steps[k]`` of it each iteration (the first ``grows`` concatenate rows, so their first
    dimension changes); their values after the loop."""
    frame = context.frame
    with graph.control_dependencies(None):
        enters = [context._enter(graph, t, is_constant=False, name="b_acc") for t in starts]
    for enter, start in zip(enters[:grows], starts, strict=False):
        enter._outputs[0]._shape = tensor_shape.TensorShape([None]).concatenate(start.shape[1:])

    def in_loop():
        merges = [apply_op("Merge", [e._outputs[0]] * 2, name="b_acc")[0] for e in enters]
        switches = [apply_op("Switch", [m, frame.loop_cond._outputs[0]]) for m in merges]
        identities = [apply_op("Identity", [s[1]]) for s in switches]
        following = [
            apply_op("NextIteration", [step(i)]) for i, step in zip(identities, steps, strict=True)
        ]
        for merge, value in zip(merges, following, strict=True):
            merge.op._update_input(1, value)
        return merges, switches, identities, following

    merges, switches, identities, following = _in_context(graph, context, in_loop)
    exits = _in_context(
        graph, context.outer, lambda: [apply_op("Exit", [s[0]], name="b_acc") for s in switches]
    )
    frame.var_enters.extend(enters)
    frame.merges.extend(m.op for m in merges)
    frame.switches.extend(s[0].op for s in switches)
    frame.identities.extend(i.op for i in identities)
    frame.next_iterations.extend(n.op for n in following)
    frame.exits.extend(e.op for e in exits)
    return exits
