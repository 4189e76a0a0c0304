"""``tf.while_loop``, built as TF1's control flow v1 builds it.

Under the loop's name scope (``while/``), each loop variable gets an ``Enter`` into the loop's
frame, a ``Merge`` of that and its ``NextIteration``, a ``Switch`` on the ``LoopCond``, an
``Identity`` the body sees, and an ``Exit``; a value from outside used inside gets an
``Enter`` with ``is_constant`` (``while/mul/Enter``), and ops without inputs wait on the
loop's pivot, as in TF1. Names, shapes and errors match TF1's.

The graph is TF1's, cycle included; the plan compiler runs each loop as one step (the frame
recorded in ``framework/frames.py``, executed by ``session/loops.py``).

>>> import scopeflow as tf
>>> with tf.Graph().as_default():
...     i, total = tf.while_loop(lambda i, t: i < 4, lambda i, t: (i + 1, t + i), [0, 0])
...     with tf.Session() as sess:
...         print(i.name, total.name, [int(v) for v in sess.run([i, total])])
while/Exit:0 while/Exit_1:0 [4, 6]
"""

from __future__ import annotations

from scopeflow.framework import dtypes, nest, tensor_shape, undo
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.defaults import get_default_graph
from scopeflow.framework.frames import LoopFrame
from scopeflow.framework.graph import GraphKeys
from scopeflow.framework.graph_api import colocate_with, name_scope
from scopeflow.framework.operation import Operation
from scopeflow.framework.registry import NOT_DIFFERENTIABLE, register_op
from scopeflow.framework.tensor import Tensor
from scopeflow.ops.control import tensor_array
from scopeflow.ops.core.infer import apply_op, check_bool
from scopeflow.ops.math.elementwise import logical_and

# -- the ops ------------------------------------------------------------------------------


def _switch(merge: Tensor, loop_cond: Tensor):
    """A loop variable's ``Switch``, placed with its ``Merge`` as TF1's."""
    with colocate_with(merge, ignore_existing=True):
        return apply_op("Switch", [merge, loop_cond])


def _same_infer(inputs, attrs):
    t = inputs[0]
    return [(t.dtype, t.shape)]


def _identity_kernel(ctx, op, value):
    return value


def _ref_enter_kernel(ctx, op, var_op):
    return ctx.read_variable(var_op, op)


def _loop_cond_infer(inputs, attrs):
    check_bool("LoopCond", "input", inputs[0])
    if inputs[0].shape.ndims not in (None, 0):
        raise ValueError(f"Shape must be rank 0 but is rank {inputs[0].shape.ndims}")
    return [(dtypes.bool, tensor_shape.TensorShape([]))]


def _exit_grad(op, grad):
    return grad  # the loop's final value, passed on


def _part_of_its_loop(op, *grads):
    raise AssertionError(
        f"'{op.name}' is differentiated with its whole loop (tf.gradients treats a loop as "
        "one node: ops/control/while_grad.py), never op by op."
    )


_FORWARDS = {"kernel": _identity_kernel, "forwards_input": True}
register_op("Exit", _same_infer, grad=_exit_grad, **_FORWARDS)
for _type in ("Enter", "NextIteration"):
    register_op(_type, _same_infer, grad=_part_of_its_loop, **_FORWARDS)
register_op(
    "RefEnter",
    _same_infer,
    kernel=_ref_enter_kernel,
    grad=NOT_DIFFERENTIABLE,
    ref_inputs=(0,),
    ref_output=True,
    stateful=True,  # reads the variable each time it runs
)
register_op("LoopCond", _loop_cond_infer, grad=NOT_DIFFERENTIABLE, **_FORWARDS)


# -- building the loop --------------------------------------------------------------------


class WhileContext:
    """The loop being built: the graph's control-flow context while its condition and body
    run, so that every op made inside joins the loop's frame."""

    def __init__(self, graph, scope: str, outer, parallel_iterations: int, back_prop: bool):
        outer_frame = _frame_of(outer)
        self.frame = LoopFrame(
            graph.unique_name("while_context"),
            outer_frame,
            back_prop=back_prop,
            parallel_iterations=parallel_iterations,
        )
        self.frame.builder = self
        self.scope = scope
        self.outer = outer
        self.ops: set[Operation] = set()
        self.entered: dict[Tensor, Tensor] = {}
        self.pivot: Operation | None = None  # what ops without inputs wait on

    def _enter(self, graph, t: Tensor, is_constant: bool, name: str | None = None) -> Operation:
        op_type = "RefEnter" if t.dtype._is_ref_dtype else "Enter"
        name = name or op_type  # TF1 names it by its type: ".../RefEnter" for a reference
        attrs = {
            "frame_name": self.frame.name,
            "is_constant": is_constant,
            "parallel_iterations": self.frame.parallel_iterations,
        }
        state = graph._local
        saved, state.control_flow_context = state.control_flow_context, None
        try:
            enter = graph.create_op(op_type, [t], attrs, name=name)
        finally:
            state.control_flow_context = saved
        self.op_added(enter)
        return enter

    def add_value(self, graph, t: Tensor, scope: str) -> Tensor:
        """``t`` as seen inside the loop: itself if made inside, else an ``Enter`` of it."""
        if t.op in self.ops:
            return t
        cached = self.entered.get(t)
        if cached is not None:
            return cached
        outside = self.outer.add_value(graph, t, scope) if self.outer is not None else t
        with graph.name_scope(scope):
            enter = self._enter(graph, outside, is_constant=True)
        self.frame.const_enters.append(enter)
        self.entered[t] = enter._outputs[0]
        return enter._outputs[0]

    def add_op(self, graph, op: Operation) -> None:
        """Called by ``Graph.create_op`` for each op made in the loop, once it is in the graph
        (TF1's order: the op, then the ``Enter`` ops of its outside inputs)."""
        self.op_added(op)
        for i, t in enumerate(op._inputs):
            entered = self.add_value(graph, t, op.name + "/")
            if entered is not t:
                op._update_input(i, entered)
        internal = [c for c in op._control_inputs if c in self.ops]
        self.frame.external_control.extend(c for c in op._control_inputs if c not in self.ops)
        invariant = all(t.op in self.frame.const_enters for t in op._inputs)
        if not internal and invariant and self.pivot is not None:
            internal.append(self.pivot)  # as TF1: loop invariants alone must not start the op
        op._control_inputs[:] = internal

    def op_added(self, op: Operation) -> None:
        """Records ``op`` as made in this loop (its innermost frame, unless a nested loop's).
        As TF1's, an op made in the loop's own context (not a ``tf.cond`` branch inside) may
        not be fetched, an ``Enter`` excepted, and its outputs may not be fed."""
        self.ops.add(op)
        enter = op._op_def.type in ("Enter", "RefEnter")
        if enter or op.graph._local.control_flow_context is self:
            _prevent_feeding_and_fetching(op, fetching=not enter)
        if op._frame is None:
            op._frame = self.frame
        if self.outer is not None:
            self.outer.op_added(op)


def _prevent_feeding_and_fetching(op: Operation, fetching: bool = True) -> None:
    if fetching:
        op.graph.prevent_fetching(op)
    for t in op._outputs:
        op.graph.prevent_feeding(t)


def _frame_of(context) -> LoopFrame | None:
    while context is not None and not isinstance(context, WhileContext):
        context = context.outer
    return None if context is None else context.frame


def _shape_fits(shape: tensor_shape.TensorShape, invariant: tensor_shape.TensorShape) -> bool:
    """TF1's ``_ShapeLessThanOrEqual``: ``shape`` is at least as specific as ``invariant``."""
    if invariant.ndims is None:
        return True
    if shape.ndims != invariant.ndims:
        return False
    return all(
        b is None or a == b for a, b in zip(shape.as_list(), invariant.as_list(), strict=True)
    )


def _to_tensor(value, what: str):
    if isinstance(value, tensor_array.TensorArray):
        return value.flow
    if value is None:
        raise ValueError("None values not supported.")
    if isinstance(value, Operation):
        raise TypeError(f"can't convert Operation '{value.name}' to Tensor ({what})")
    return convert_to_tensor(value)


def _components(value, what: str) -> list[Tensor]:
    """The tensors a loop carries for one loop variable: a TensorArray's flow, the tensors of
    an ``IndexedSlices`` or ``SparseTensor`` (TF1's ``expand_composites``), else itself."""
    if hasattr(value, "_session_fetches"):  # a composite: IndexedSlices, SparseTensor
        return list(value._session_fetches())
    return [_to_tensor(value, what)]


def _rebuild(originals: list, tensors: list) -> list:
    """Loop values in the loop variables' kinds: TensorArrays around their new flows,
    composites from their new tensors, tensors as they are."""
    out, at = [], 0
    for original in originals:
        if isinstance(original, tensor_array.TensorArray):
            out.append(original.with_flow(tensors[at]))
            at += 1
        elif hasattr(original, "_session_fetches"):
            count = len(original._session_fetches())
            out.append(type(original)(*tensors[at : at + count]))
            at += count
        else:
            out.append(tensors[at])
            at += 1
    if at != len(tensors):
        raise ValueError(f"{len(tensors)} loop tensors for {at} component tensors")
    return out


def _expanded_invariants(originals: list, invariants: list) -> list:
    """One shape invariant per carried tensor. A composite's tensors may change their first
    dimension (an IndexedSlices gains rows): TF1 relaxes them the same way."""
    out = []
    for original, invariant in zip(originals, invariants, strict=True):
        if hasattr(original, "_session_fetches"):
            for t in original._session_fetches():
                dims = t.shape.as_list() if t.shape.ndims else None
                out.append(None if dims is None else tensor_shape.TensorShape([None, *dims[1:]]))
        else:
            out.append(invariant)
    return out


class LoopBuilder:
    """Builds one loop's ops in TF1's order (``BuildLoop``)."""

    def __init__(self, graph, context: WhileContext, name: str):
        self.graph, self.context, self.frame, self.name = graph, context, context.frame, name

    def enter_vars(self, values: list[Tensor], invariants) -> list[Tensor]:
        outer = self.context.outer
        real = [outer.add_value(self.graph, v, self.context.scope) if outer else v for v in values]
        enters = []
        with self.graph.control_dependencies(None):
            for v, invariant in zip(real, invariants, strict=True):
                enter = self.context._enter(self.graph, v, is_constant=False)
                if invariant is not None:
                    if not _shape_fits(v.shape, invariant):
                        raise ValueError(
                            f"The shape invariant specified for {v.name} is not compatible with "
                            "the initial shape of the loop variable. It enters the loop with "
                            f"shape {v.shape}, but the specified shape invariant is {invariant}."
                        )
                    enter._outputs[0]._shape = invariant
                self.frame.var_enters.append(enter)
                enters.append(enter._outputs[0])
        return enters

    def build(self, cond, body, original_vars, flat_vars, invariants, exit_scopes=None):
        """The loop's results and its ``Exit`` tensors; ``exit_scopes``: a name scope (ending
        in ``/``) per ``Exit``, or None for the loop's own (a gradient loop names them after
        the forward loop's ``Enter`` ops, as TF1 does)."""
        graph, context, frame = self.graph, self.context, self.frame
        enters = self.enter_vars(flat_vars, invariants)
        state = graph._local
        saved, state.control_flow_context = state.control_flow_context, context
        try:
            merges = [apply_op("Merge", [e, e])[0] for e in enters]
            frame.merges = [m.op for m in merges]
            context.pivot = merges[0].op
            packed = nest.pack_sequence_as(
                original_vars, _rebuild(nest.flatten(original_vars), merges)
            )
            pred = convert_to_tensor(cond(*packed))
            loop_cond = apply_op("LoopCond", [pred], name="LoopCond")
            frame.loop_cond = loop_cond.op
            switches = [_switch(m, loop_cond) for m in merges]
            frame.switches = [s[0].op for s in switches]
            identities = [apply_op("Identity", [s[1]]) for s in switches]
            frame.identities = [i.op for i in identities]
            context.pivot = identities[0].op
            packed = nest.pack_sequence_as(
                original_vars, _rebuild(nest.flatten(original_vars), identities)
            )
            result = body(*packed)
            if not nest.is_sequence(result):
                result = [result]
            original_result = result
            nest.assert_same_structure(
                list(packed),
                list(result),
                f"in tf.while_loop '{self.name}', loop_vars and the values body returns",
            )
            flat_result = [t for v in nest.flatten(result) for t in _components(v, "body's result")]
            if len(flat_result) != len(merges):
                raise ValueError(
                    f"tf.while_loop '{self.name}': the body returns {len(flat_result)} tensors "
                    f"for {len(merges)} (a composite loop variable returned as another kind?)"
                )
            self.check_results(merges, flat_result, flat_vars)
            for merge, value in zip(merges, flat_result, strict=True):
                next_op = apply_op("NextIteration", [value]).op
                frame.next_iterations.append(next_op)
                merge.op._update_input(1, next_op._outputs[0])
        finally:
            state.control_flow_context = saved
        exits = []
        for switch, where in zip(switches, exit_scopes or [None] * len(switches), strict=True):
            with graph.name_scope(where or graph.get_name_scope() + "/"):
                exits.append(apply_op("Exit", [switch[0]]))
        frame.exits = [e.op for e in exits]
        if context.outer is not None:  # as TF1: a loop's Exit is its outer context's
            for e in exits:
                _prevent_feeding_and_fetching(e.op)
        return original_result, exits

    def check_results(self, merges, results, initial) -> None:
        for index, (merge, value, start) in enumerate(zip(merges, results, initial, strict=True)):
            want, got = merge.dtype.base_dtype, value.dtype.base_dtype
            if want != got:
                raise TypeError(
                    f"tf.while_loop '{self.name}': loop variable {index} ('{start.name}') "
                    f"enters the loop as {want.name}, but the body returns {got.name} for it "
                    f"('{value.name}'). Cast the body's result to {want.name}."
                )
            if not _shape_fits(value.shape, merge.shape):
                raise ValueError(
                    f"Input tensor '{start.name}' enters the loop with shape {start.shape}, but "
                    f"has shape {value.shape} after one iteration. To allow the shape to vary "
                    "across iterations, use the `shape_invariants` argument of tf.while_loop to "
                    "specify a less-specific shape."
                )


@undo.atomic
def while_loop(
    cond,
    body,
    loop_vars,
    shape_invariants=None,
    parallel_iterations=10,
    back_prop=True,
    swap_memory=False,
    name=None,
    maximum_iterations=None,
    return_same_structure=False,
):
    """Repeats ``body`` while ``cond`` holds: ``loop_vars = body(*loop_vars)``.

    ``loop_vars`` is a list or tuple (nested structures, namedtuples, dicts and TensorArrays
    inside); ``cond`` and ``body`` take its elements as arguments and ``body`` returns the same
    structure. A loop variable keeps its shape across iterations unless ``shape_invariants``
    allows it to change. ``maximum_iterations`` stops the loop after that many iterations.
    ``swap_memory`` is accepted (there is no device memory to swap).

    Returns the final values, in ``loop_vars``'s structure (a single loop variable alone,
    unless ``return_same_structure``).
    """
    if not callable(cond):
        raise TypeError("'cond' must be callable.")
    if not callable(body):
        raise TypeError("'body' must be callable.")
    if not isinstance(parallel_iterations, int) or parallel_iterations < 1:
        raise TypeError("'parallel_iterations' must be a positive integer.")
    graph = get_default_graph()
    with name_scope(name, "while", nest.flatten(loop_vars)) as scope:
        if _is_empty(loop_vars):
            raise ValueError("'loop_vars' must be provided.")
        try_to_pack = _length(loop_vars) == 1 and not return_same_structure
        if try_to_pack and not isinstance(loop_vars, (list, tuple)):
            loop_vars = (loop_vars,)
        if maximum_iterations is not None:
            cond, body, loop_vars, shape_invariants = _with_counter(
                cond, body, loop_vars, shape_invariants, maximum_iterations, try_to_pack
            )
        if shape_invariants is not None:
            nest.assert_same_structure(loop_vars, shape_invariants, "in shape_invariants")
        originals = nest.flatten(loop_vars)
        flat = [t for v in originals for t in _components(v, "loop_vars")]
        invariants = _expanded_invariants(
            originals,
            [None] * len(originals)
            if shape_invariants is None
            else [tensor_shape.as_shape(s) for s in nest.flatten(shape_invariants)],
        )
        context = WhileContext(
            graph, scope, graph._local.control_flow_context, parallel_iterations, back_prop
        )
        if context.outer is None:
            graph.add_to_collection(GraphKeys.WHILE_CONTEXT, context)
        loop = LoopBuilder(graph, context, scope[:-1])
        result, exits = loop.build(cond, body, loop_vars, flat, invariants)
        packed = nest.pack_sequence_as(result, _rebuild(nest.flatten(result), exits))
        if maximum_iterations is not None:
            return packed[1]  # the user's variables, without the counter
        if return_same_structure:
            return packed
        return packed[0] if len(exits) == 1 else packed


def _is_empty(loop_vars) -> bool:
    if isinstance(loop_vars, (list, tuple, dict)):
        return not loop_vars
    return loop_vars is None


def _length(loop_vars) -> int:
    return len(loop_vars) if isinstance(loop_vars, (list, tuple, dict)) else 1


def _with_counter(cond, body, loop_vars, shape_invariants, maximum_iterations, try_to_pack):
    """TF1's ``maximum_iterations``: an ``iteration_counter`` loop variable in front, and
    ``cond`` also asks that it be below the maximum."""
    limit = convert_to_tensor(maximum_iterations, name="maximum_iterations")
    if limit.shape.ndims not in (None, 0):
        raise ValueError(f"'maximum_iterations' must be a scalar. Received shape: {limit.shape}")
    counter = convert_to_tensor(0, dtype=limit.dtype.base_dtype, name="iteration_counter")
    if try_to_pack:
        inner_vars = loop_vars[0]

        def new_cond(i, lv):
            return logical_and(i < limit, cond(lv))

        def new_body(i, lv):
            return (i + 1, body(lv))

    else:
        inner_vars = loop_vars

        def new_cond(i, lv):
            return logical_and(i < limit, cond(*lv))

        def new_body(i, lv):
            return (i + 1, body(*lv))

    if shape_invariants is not None:
        inner = shape_invariants[0] if try_to_pack else shape_invariants
        shape_invariants = (tensor_shape.TensorShape([]), inner)
    return new_cond, new_body, (counter, inner_vars), shape_invariants


__all__ = ["while_loop"]
