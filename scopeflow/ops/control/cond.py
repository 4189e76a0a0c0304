"""``tf.cond``, built as TF1 builds it: ``Switch`` ops route each value into the taken branch
only, and ``Merge`` takes whichever branch produced a value.

While a branch function runs, a :class:`CondContext` is the graph's control-flow context: every
op made inside gets its outside inputs through a ``Switch`` (``cond/add/Switch``), and ops with
no inputs wait on the branch's pivot. At run time the executor marks the outputs of the
not-taken side of a ``Switch`` dead, and skips every op that receives a dead value, so only the
taken branch computes.
"""

from __future__ import annotations

import numpy as np

from scopeflow.framework import dtypes, tensor_shape, undo
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.defaults import get_default_graph
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.indexed_slices import IndexedSlices
from scopeflow.framework.operation import Operation
from scopeflow.framework.registry import register_op
from scopeflow.framework.sentinels import DEAD
from scopeflow.framework.tensor import Tensor
from scopeflow.ops.array.basic import identity, zeros
from scopeflow.ops.array.cast import cast
from scopeflow.ops.core.infer import apply_op
from scopeflow.ops.math.sequence import range as range_

# -- the ops ------------------------------------------------------------------------------


def _switch_infer(inputs, attrs):
    data, pred = inputs
    if pred.dtype.base_dtype != dtypes.bool:
        raise TypeError(f"Switch's pred must be a bool tensor, got {pred.dtype.base_dtype.name}")
    if pred.shape.ndims not in (None, 0):
        raise ValueError(f"Shape must be rank 0 but is rank {pred.shape.ndims}")
    return [(data.dtype, data.shape), (data.dtype, data.shape)]


def _switch_kernel(ctx, op, data, pred):
    return (DEAD, data) if pred else (data, DEAD)


def _ref_switch_kernel(ctx, op, var_op, pred):
    # The variable is read only for the side that is taken and used, so a branch that is not
    # taken may refer to a variable that is not initialized (Variable.initialized_value()).
    live = 1 if pred else 0
    if not op._outputs[live]._consumers:
        return DEAD, DEAD
    value = ctx.read_variable(var_op, op)
    return (DEAD, value) if pred else (value, DEAD)


def _merge_infer(inputs, attrs):
    shape = inputs[0].shape
    for t in inputs[1:]:
        if t.dtype.base_dtype != inputs[0].dtype.base_dtype:
            raise TypeError(
                f"Merge inputs must have one dtype, got {inputs[0].dtype.name} and {t.dtype.name}"
            )
        shape = shape.most_specific_compatible_shape(t.shape)
    return [(inputs[0].dtype.base_dtype, shape), (dtypes.int32, tensor_shape.TensorShape([]))]


def _merge_kernel(ctx, op, *values):
    for index, value in enumerate(values):
        if value is not DEAD:
            return value, np.int32(index)
    return DEAD, DEAD


def _as_indexed_slices(grads: list) -> list[IndexedSlices]:
    """TF1's ``_as_indexed_slices_list``: a dense gradient as the IndexedSlices of all its rows,
    and int32 indices made int64 when the others are int64."""
    slices = []
    for g in grads:
        if not isinstance(g, IndexedSlices):  # a Shape op, never folded: dead with ``g``
            dims = apply_op("Shape", [g], {"out_type": dtypes.int32}, name="Shape")
            g = IndexedSlices(g, range_(0, dims[0]), dims)
        slices.append(g)
    if len({g.indices.dtype.base_dtype for g in slices}) > 1:
        slices = [
            IndexedSlices(g.values, cast(g.indices, dtypes.int64), g.dense_shape)
            if g.indices.dtype.base_dtype == dtypes.int32
            else g
            for g in slices
        ]
    return slices


def _components(g: IndexedSlices) -> list[Tensor]:
    parts = [g.values, g.indices]
    return parts if g.dense_shape is None else [*parts, g.dense_shape]


def _switch_grad(op, grad_false, grad_true):
    """Only the taken side carries a live gradient; Merge picks it. IndexedSlices (a gather
    in a branch) stay IndexedSlices, their parts merged one by one, as in TF1."""
    if not any(isinstance(g, IndexedSlices) for g in (grad_false, grad_true)):
        return apply_op("Merge", [grad_false, grad_true], name="cond_grad")[0], None
    with name_scope("cond_grad"):
        grad_false, grad_true = _as_indexed_slices([grad_false, grad_true])
        if (grad_false.dense_shape is None) != (grad_true.dense_shape is None):
            grad_false, grad_true = (
                IndexedSlices(g.values, g.indices) for g in (grad_false, grad_true)
            )
        merged = [
            apply_op("Merge", [f, t])[0]
            for f, t in zip(_components(grad_false), _components(grad_true), strict=True)
        ]
        return IndexedSlices(*merged), None


def _merge_grad(op, grad, _grad_index):
    pred = op._attrs.get("_pred")
    if pred is None:
        raise LookupError(
            f"No gradient for Merge '{op.name}': only Merge ops made by tf.cond are differentiable."
        )
    # As TF's: the Switch placed with the gradient it passes on.
    with op.graph.colocate_with(grad, ignore_existing=True):
        if not isinstance(grad, IndexedSlices):
            grad_false, grad_true = apply_op("Switch", [grad, pred], name="cond_grad")
            return grad_false, grad_true
        with name_scope("cond_grad"):  # IndexedSlices: each part switched, as in TF1
            parts = [apply_op("Switch", [part, pred]) for part in _components(grad)]
    return IndexedSlices(*(p[0] for p in parts)), IndexedSlices(*(p[1] for p in parts))


def zeros_for_output(op: Operation, index: int) -> Tensor:
    """The zeros ``tf.gradients`` gives output ``index`` of ``op`` when it gets no gradient,
    dead exactly when that output is (which ``Switch``'s gradient relies on), as TF's: a
    ``ZerosLike`` reading it; for the ``Switch`` of a branch, zeros shaped like the other side
    of a new ``Switch`` of its input (``Switch``, ``Identity``, ``Shape``, ``zeros``)."""
    t = op._outputs[index]
    branch = op._attrs.get("_branch")
    resource = t.dtype.base_dtype == dtypes.resource  # zeros shaped like its variable
    if branch is None and not resource:
        return apply_op("ZerosLike", [t], name="zeros_like")
    if branch is None:
        dims = apply_op("VariableShape", [t], {"out_type": dtypes.int32}, name="VariableShape")
        return _variable_zeros(dims, t)
    other = apply_op("Switch", [op._inputs[0], op._inputs[1]], name="Switch")[1 - branch]
    pivot = identity(other)
    shape_op = "VariableShape" if resource else "Shape"
    dims = apply_op(shape_op, [other], {"out_type": dtypes.int32}, name=shape_op)
    with op.graph.control_dependencies([pivot.op]):
        return _variable_zeros(dims, t) if resource else zeros(dims, dtype=t.dtype.base_dtype)


def _variable_zeros(dims: Tensor, handle: Tensor) -> Tensor:
    """Zeros of the dtype and static shape of the variable behind ``handle`` (found through
    Switch, Identity...), as TF's from the handle's data."""
    op = handle.op
    while op.type != "VarHandleOp" and op._inputs:
        op = op._inputs[0].op
    if op.type != "VarHandleOp":
        return zeros(dims, dtype=dtypes.float32)
    result = zeros(dims, dtype=op._attrs.get("dtype", dtypes.float32))
    result.set_shape(op._attrs.get("shape", tensor_shape.unknown_shape()))
    return result


register_op(
    "Switch",
    _switch_infer,
    kernel=_switch_kernel,
    grad=_switch_grad,
    control_flow=True,
    grad_takes_indexed_slices=True,
)
register_op(
    "RefSwitch",
    _switch_infer,
    kernel=_ref_switch_kernel,
    grad=_switch_grad,
    ref_inputs=(0,),
    ref_output=True,
    control_flow=True,
    grad_takes_indexed_slices=True,
)
register_op(
    "Merge",
    _merge_infer,
    kernel=_merge_kernel,
    grad=_merge_grad,
    control_flow=True,
    merges_dead=True,
    grad_takes_indexed_slices=True,
)


# -- building branches --------------------------------------------------------------------


class CondContext:
    """The branch of a ``tf.cond`` being built: which ops are inside, and the ``Switch``
    output that stands for each outside value used inside."""

    def __init__(self, pred: Tensor, pivot: Tensor, branch: int, outer: CondContext | None):
        self.pred = pred
        self.pivot = pivot
        self.branch = branch
        self.outer = outer
        self.ops: set[Operation] = {pivot.op}
        self.switched: dict[Tensor, Tensor] = {}

    def add_value(self, graph, t: Tensor, scope: str) -> Tensor:
        """``t`` as seen inside this branch: itself if made inside, else its ``Switch``."""
        if t.op in self.ops:
            return t
        cached = self.switched.get(t)
        if cached is not None:
            return cached
        outside = t if self.outer is None else self.outer.add_value(graph, t, scope)
        state = graph._local
        saved, state.control_flow_context = state.control_flow_context, None
        try:
            # as TF1's _SwitchRefOrTensor: placed with the value, whatever the outer blocks
            with graph.name_scope(scope), graph.colocate_with(outside, ignore_existing=True):
                op_type = "RefSwitch" if outside.dtype._is_ref_dtype else "Switch"
                switch = graph.create_op(op_type, [outside, self.pred], name="Switch")
        finally:
            state.control_flow_context = saved
        switch._attrs["_branch"] = self.branch  # for tf.gradients' zeros of the other side
        self.op_added(switch)
        out = switch._outputs[self.branch]
        self.switched[t] = self.switched[outside] = out  # as TF1: one Switch per value
        return out

    def add_op(self, graph, op: Operation) -> None:
        """Called by ``Graph.create_op`` for each op made in the branch, once it is in the
        graph (TF1's order: the op, then the ``Switch`` ops of its outside inputs)."""
        self.op_added(op)
        for i, t in enumerate(op._inputs):
            routed = self.add_value(graph, t, op.name + "/")
            if routed is not t:
                op._update_input(i, routed)
        if not op._inputs:
            op._add_control_input(self.pivot.op)

    def op_added(self, op: Operation) -> None:
        """Records ``op`` as made in this branch and in every context around it (not
        fetchable, as TF1's, unless the ``Enter`` of a loop inside)."""
        self.ops.add(op)
        if op._op_def.type not in ("Enter", "RefEnter"):
            op.graph.prevent_fetching(op)
        if self.outer is not None:
            self.outer.op_added(op)


def _build_branch(graph, ctx: CondContext, fn, which: str, scope: str) -> list:
    if not callable(fn):
        raise TypeError(f"{which} must be callable, got {fn!r}")
    state = graph._local
    saved, state.control_flow_context = state.control_flow_context, ctx
    try:
        result = fn()
    finally:
        state.control_flow_context = saved
    if result is None:
        raise ValueError(f"{which} must have a return value.")
    flat, rebuild = _flatten(result)
    outputs = []
    for value in flat:
        state.control_flow_context = ctx  # a value made here is made in the branch, as TF1
        try:
            if isinstance(value, Operation):
                with graph.control_dependencies([value]):  # TF1's with_dependencies
                    value = identity(ctx.pivot, name="control_dependency")
            else:
                value = convert_to_tensor(value)
        finally:
            state.control_flow_context = saved
        outputs.append(ctx.add_value(graph, value, scope))
    return outputs, rebuild


def _flatten(structure):
    if isinstance(structure, (list, tuple)):
        parts = [_flatten(s) for s in structure]
        flat = [x for p, _ in parts for x in p]
        sizes = [len(p) for p, _ in parts]
        kind = type(structure)

        def rebuild(values):
            out, i = [], 0
            for (_, sub), n in zip(parts, sizes, strict=True):
                out.append(sub(values[i : i + n]))
                i += n
            return kind(*out) if hasattr(kind, "_fields") else kind(out)

        return flat, rebuild
    if hasattr(structure, "_session_fetches"):  # a composite (SparseTensor...): its tensors
        kind = type(structure)
        return list(structure._session_fetches()), lambda values: kind(*values)
    if isinstance(structure, dict):
        keys = sorted(structure)
        flat, rebuild_list = _flatten([structure[k] for k in keys])
        return flat, lambda values: dict(zip(keys, rebuild_list(values), strict=True))
    return [structure], lambda values: values[0]


@undo.atomic
def cond(pred, true_fn=None, false_fn=None, strict=False, name=None, fn1=None, fn2=None):
    """``true_fn()`` if ``pred`` else ``false_fn()``; only the taken branch runs.

    Both functions must return the same structure of tensors (or ops). Tensors used inside a
    branch but made outside are routed through ``Switch`` ops, as in TF1.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     x = tf.placeholder(tf.float32, [])
    ...     y = tf.cond(x > 0, lambda: x * 10.0, lambda: x - 1.0)
    ...     with tf.Session() as sess:
    ...         print(y.name, sess.run(y, {x: 2.0}), sess.run(y, {x: -2.0}))
    cond/Merge:0 20.0 -3.0
    """
    true_fn = true_fn if true_fn is not None else fn1
    false_fn = false_fn if false_fn is not None else fn2
    if true_fn is None or false_fn is None:
        raise TypeError("cond(): true_fn and false_fn arguments are both required.")
    if isinstance(pred, (bool, np.bool_)):
        raise TypeError("pred must not be a Python bool")
    with name_scope(name, "cond", [pred]) as scope:
        graph = get_default_graph()  # pred's graph, as in TF1, though another be the default
        pred = convert_to_tensor(pred, name="pred")
        if pred.dtype.base_dtype != dtypes.bool:
            raise TypeError(f"pred must be a bool tensor, got {pred.dtype.name}")
        p_false, p_true = apply_op("Switch", [pred, pred])
        pivot_t = identity(p_true, name="switch_t")
        pivot_f = identity(p_false, name="switch_f")
        pred_id = identity(pred, name="pred_id")
        for pivot in (p_true, pivot_t, pivot_f, pred_id):  # only one branch sees them
            graph.prevent_fetching(pivot.op)
        outer = graph._local.control_flow_context
        ctx_t = CondContext(pred_id, pivot_t, 1, outer)
        res_t, rebuild = _build_branch(graph, ctx_t, true_fn, "true_fn", scope)
        ctx_f = CondContext(pred_id, pivot_f, 0, outer)
        res_f, _ = _build_branch(graph, ctx_f, false_fn, "false_fn", scope)
        if len(res_t) != len(res_f):
            raise ValueError(
                "Outputs of true_fn and false_fn must have the same structure: true_fn returns "
                f"{len(res_t)} values, false_fn {len(res_f)}."
            )
        merges = []
        for f, t in zip(res_f, res_t, strict=True):
            if f.dtype.base_dtype != t.dtype.base_dtype:
                raise ValueError(
                    "Outputs of 'true_fn' and 'false_fn' must have the same type(s). Received "
                    f"{t.dtype.base_dtype.name} from 'true_fn' and {f.dtype.base_dtype.name} "
                    "from 'false_fn'."
                )
            merges.append(apply_op("Merge", [f, t], {"_pred": pred_id})[0])
        if not strict and len(merges) == 1:
            return merges[0]
        return rebuild(merges)


__all__ = ["cond"]
