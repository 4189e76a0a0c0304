"""``tf.gradients``: reverse-mode differentiation that builds gradient ops in the graph.

Each op type's gradient function lives beside its kernel in its ``scopeflow/ops`` module
(``register_op(..., grad=fn)``); ``fn(op, *output_grads)`` returns one gradient per input
(a Tensor, or ``None``); an op made inside ``Graph.gradient_override_map`` uses the one
registered under its mapped name (``tf.RegisterGradient``) instead. This module walks the
graph from ``ys`` back to ``xs``, calls those functions under ``gradients/<op name>_grad/``
name scopes as TF1 does, and sums the gradients that reach a tensor along several paths
(``gradients/AddN``).

A gradient is a Tensor or, as in TF1, an ``IndexedSlices`` (the rows a ``gather`` read:
``GatherV2``'s gradient along axis 0). Several IndexedSlices reaching one tensor are
concatenated (``gradients/concat``, ``gradients/concat_1``), with dense ones they are summed
densely; a gradient function gets them as they are only when its op type says so
(``grad_takes_indexed_slices``: ``Identity``, ``Cast``, ``ConcatV2``; ``Mul``, ``Tanh``,
``Relu``, ``Exp``, ``Transpose``, ``Minimum``... whose gradients make them dense where each op
uses them, as TF: ``Mul/x``, ``TanhGrad/dy``, ``ReluGrad/gradients``, ``transpose/x``), else
made dense in its scope (``<op>_grad/UnsortedSegmentSum``). So ``tf.gradients`` with
respect to an embedding table returns an IndexedSlices.

With ``gate_gradients=True`` (what optimizers' default ``GATE_OP`` passes), the gradients
of an op's inputs, when more than one is not None, go through ``tf.tuple`` in its scope
(``<op>_grad/tuple/group_deps``, ``<op>_grad/tuple/control_dependency``, ``..._1``), as in
TF, so none is used before all are computed; in a ``tf.while_loop``'s gradient loop too, for
the body's ops (TF's gradient loop, built differently, also gates its ``Merge`` switches).
"""

from __future__ import annotations

import collections
import contextlib
import enum
from collections.abc import Callable
from typing import NamedTuple

from scopeflow.framework import dtypes, registry, undo
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.defaults import get_default_graph
from scopeflow.framework.frames import LoopFrame
from scopeflow.framework.graph import graph_of
from scopeflow.framework.graph_api import get_name_scope, name_scope
from scopeflow.framework.indexed_slices import IndexedSlices
from scopeflow.framework.operation import Operation
from scopeflow.framework.registry import NOT_DIFFERENTIABLE
from scopeflow.framework.tensor import Tensor
from scopeflow.ops.array.basic import identity, ones, shape, zeros
from scopeflow.ops.array.cast import cast
from scopeflow.ops.array.gather import indexed_slices_to_dense
from scopeflow.ops.array.join import concat
from scopeflow.ops.array.shape import zeros_like
from scopeflow.ops.control import while_grad
from scopeflow.ops.control.cond import zeros_for_output
from scopeflow.ops.control.grouping import tuple as gate_tuple
from scopeflow.ops.core.infer import apply_op
from scopeflow.ops.math.elementwise import add_n


def _stop_op(t):
    """The op a ``stop_gradients`` entry stops at, as TF's ``t.op``: a variable's own op
    (its gradient is still computed; its read's would not be), a tensor's producer."""
    op = getattr(t, "op", None)
    return op if op is not None and not isinstance(t, Tensor) else convert_to_tensor(t).op


def _as_list(x) -> list:
    if x is None:
        return []
    return list(x) if isinstance(x, (list, tuple)) else [x]


def _differentiable(t: Tensor, resource: bool = False) -> bool:
    dtype = t.dtype.base_dtype
    return dtype.is_floating or dtype.is_complex or (resource and dtype == dtypes.resource)


def _backpropagatable(t: Tensor) -> bool:
    """TF1's ``_IsBackpropagatable``: the tensors through which an x reaches the ys (an
    integer x, or a path through integers, gets no gradient)."""
    dtype = t.dtype.base_dtype
    return dtype.is_floating or dtype.is_complex or dtype in (dtypes.resource, dtypes.variant)


def _as_x(x) -> Tensor:
    if hasattr(x, "_ref"):  # a Variable: differentiate with respect to the variable itself
        return x._ref()
    if hasattr(x, "_get_variable_list"):  # a PartitionedVariable, as TF1 refuses it
        raise NotImplementedError(
            "PartitionedVariable doesn't support being used as a reference. Differentiate "
            f"with respect to its parts: tf.gradients(ys, list({x.name!r} variable))"
        )
    return convert_to_tensor(x, name="x")


def RegisterGradient(op_type: str) -> Callable:  # noqa: N802 - TF1's public name
    """Decorator registering ``fn(op, *grads)`` as the gradient named ``op_type``: an op type
    without a gradient, or a new name that ``Graph.gradient_override_map`` maps op types to.

    Raises:
        KeyError: a gradient is already registered under that name.

    >>> import scopeflow as tf
    >>> @tf.RegisterGradient("MyCustomGrad")
    ... def _tenfold(op, grad):
    ...     return grad * 10.0
    >>> x = tf.constant(3.0)
    >>> g = tf.get_default_graph()
    >>> with g.gradient_override_map({"Square": "MyCustomGrad"}):
    ...     y = tf.square(x)  # its gradient is 10 times the incoming one
    >>> print(tf.Session().run(tf.gradients(y, x)[0]))
    10.0
    """
    _check_name(op_type)

    def register(fn):
        registry.register_gradient(op_type, fn)
        return fn

    return register


def NotDifferentiable(op_type: str) -> None:  # noqa: N802 - TF1's public name
    """Declares that ``op_type`` has no gradient (gradients stop there).

    Raises:
        KeyError: a gradient is already registered under that name.
    """
    _check_name(op_type)
    registry.register_gradient(op_type, NOT_DIFFERENTIABLE)


def _check_name(op_type) -> None:
    if not isinstance(op_type, str):
        raise TypeError("op_type must be a string")


NoGradient = NotDifferentiable


class _InBody(NamedTuple):
    """The level of ``tf.gradients`` called while a loop's body is built, of values computed
    in that body (TF1's gradients inside a ``while_loop``: ``tf.hessians``' loop): the body's
    ops, the ``Enter`` ops of the outside values it reads (whose gradient passes through, as
    TF1's ``_EnterGrad`` inside a body) and the ops outside the loop. The gradient ops are
    built in the body, so that they run each iteration."""

    frame: LoopFrame


def _unit(op: Operation, level: LoopFrame | _InBody | None):
    """What the reverse pass at ``level`` (a loop's body, or None: the graph) treats as one
    node: ``op``, or the loop nested in ``level`` that contains it (differentiated as a whole);
    None for an op outside ``level``."""
    if isinstance(level, _InBody):
        frame = level.frame
        if op._frame is frame and op in frame.const_enters:
            return op
        unit = _unit(op, frame)
        if unit is not None or _within(op._frame, frame):
            return unit
        return _unit(op, frame.outer)
    inner = op._frame
    if inner is level:
        return None if level is not None and level.is_plumbing(op) else op
    while inner is not None and inner.outer is not level:
        inner = inner.outer
    return inner


def _within(inner: LoopFrame | None, frame: LoopFrame) -> bool:
    while inner is not None and inner is not frame:
        inner = inner.outer
    return inner is frame


def _unit_inputs(unit) -> list[Tensor]:
    if isinstance(unit, LoopFrame):
        return [e._inputs[0] for e in (*unit.var_enters, *unit.const_enters)]
    return list(unit._inputs)


def _unit_outputs(unit) -> list[Tensor]:
    if isinstance(unit, LoopFrame):  # the final values, which the loop's Exit ops pass on
        return [s._outputs[0] for s in unit.switches]
    return unit._outputs


def _unit_id(unit) -> int:
    return unit.loop_cond._id if isinstance(unit, LoopFrame) else unit._id


def _between(ys: list[Tensor], xs: list[Tensor], level=None) -> set:
    """Ops (and loops nested in ``level``) on some path from an x to a y."""
    reached: set = set()
    stack = [u for x in xs if (u := _unit(x.op, level)) is not None]
    stack += [
        u
        for x in xs
        if _backpropagatable(x)
        for c in x._consumers
        if (u := _unit(c, level)) is not None
    ]
    while stack:
        unit = stack.pop()
        if unit in reached:
            continue
        reached.add(unit)
        for t in _unit_outputs(unit):
            if not _backpropagatable(t):
                continue
            for c in t._consumers:
                u = _unit(c, level)
                if u is not None and u not in reached:
                    stack.append(u)
    between: set = set()
    stack = [u for y in ys if (u := _unit(y.op, level)) is not None]
    while stack:
        unit = stack.pop()
        if unit in between or unit not in reached:
            continue
        between.add(unit)
        stack.extend(u for t in _unit_inputs(unit) if (u := _unit(t.op, level)) is not None)
    return between


class _Options(NamedTuple):
    """``colocate`` gradient ops with their op; ``gate`` with ``tf.tuple``; ``tree`` sums."""

    colocate: bool = False
    gate: bool = False
    tree: bool = False


_PLAIN = _Options()


def _sum(grads: list, op_name: str = "", tree: bool = False) -> Tensor | IndexedSlices | None:
    """The gradients reaching one tensor of op ``op_name``, summed as TF1's
    ``_AggregatedGrads`` does (with ``tree``: ``<op_name>_gradient_sum/AddN``, ``AddN_1``...)."""
    if not grads:
        return None
    if len(grads) == 1:
        return grads[0]
    if tree and all(isinstance(g, Tensor) for g in grads):
        with name_scope(op_name + "_gradient_sum"):
            total = grads[0]
            for g in grads[1:]:
                total = add_n([total, g])
            return total
    if all(isinstance(g, Tensor) for g in grads):  # placed with the first, as TF1's
        with grads[0].graph.colocate_with(grads[0].op, ignore_existing=True):
            return add_n(grads)
    if any(isinstance(g, Tensor) for g in grads):
        return add_n(grads)  # IndexedSlices among them are made dense
    return _concat_slices(grads)


def _concat_slices(grads: list[IndexedSlices]) -> IndexedSlices:
    """One IndexedSlices holding the rows of all: repeated indices add up where it is used.
    Mixed int32 and int64 indices are all cast to int64 first, as in TF1."""
    if len({g.indices.dtype.base_dtype for g in grads}) > 1:
        grads = [
            IndexedSlices(g.values, cast(g.indices, dtypes.int64), g.dense_shape) for g in grads
        ]
    values = concat([g.values for g in grads], 0)
    indices = concat([g.indices for g in grads], 0)
    return IndexedSlices(values, indices, grads[0].dense_shape)


class AggregationMethod:
    """How ``tf.gradients`` adds up the gradients reaching a tensor from several ops (TF1's
    ``aggregation_method`` values): ``ADD_N`` with one ``AddN``; the two experimental ones,
    as in TF, with ``AddN`` ops of two inputs each (``<op>_gradient_sum/AddN``, ``AddN_1``...).
    The values are the same."""

    ADD_N = 0
    DEFAULT = ADD_N
    EXPERIMENTAL_TREE = 1
    EXPERIMENTAL_ACCUMULATE_N = 2


class UnconnectedGradients(str, enum.Enum):
    """What ``tf.gradients`` returns for an ``x`` that no ``y`` depends on (its
    ``unconnected_gradients``, which also takes the strings): ``None`` or zeros."""

    NONE = "none"
    ZERO = "zero"


_AGGREGATION_METHODS = (0, 1, 2)  # AggregationMethod's values


@undo.atomic
def gradients(
    ys,
    xs,
    grad_ys=None,
    name="gradients",
    colocate_gradients_with_ops=False,
    gate_gradients=False,
    aggregation_method=None,
    stop_gradients=None,
    unconnected_gradients="none",
):
    """The sum over ``ys`` of d(y)/d(x) for each ``x`` in ``xs`` (``None`` where ``x`` does
    not affect any ``y``, or zeros with ``unconnected_gradients="zero"``).

    ``grad_ys`` weights each ``y`` (default ones); ``stop_gradients`` are tensors treated as
    constants. Gradient ops are named ``gradients/...`` (``gradients_1/...`` next time).
    ``gate_gradients=True`` groups each op's input gradients with ``tf.tuple``
    (``<op>_grad/tuple/...``); ``aggregation_method`` is one of ``tf.AggregationMethod``.

    Raises:
        LookupError: an op on the path has no registered gradient.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     x = tf.constant(3.0)
    ...     y = x * x
    ...     (dx,) = tf.gradients(y, x)
    ...     with tf.Session() as sess:
    ...         print(dx.op.name, sess.run(dx))
    gradients/AddN 6.0
    """
    if aggregation_method is None:
        aggregation_method = AggregationMethod.DEFAULT
    if aggregation_method not in _AGGREGATION_METHODS:
        raise ValueError(
            f"Invalid `aggregation_method` specified {aggregation_method}. Accepted values are "
            f"{list(_AGGREGATION_METHODS)}."
        )
    if unconnected_gradients not in ("none", "zero"):
        raise ValueError(
            f"Unknown value for unconnected_gradients: {unconnected_gradients!r}; use 'none' "
            "or 'zero'"
        )
    ys, xs = _as_list(ys), _as_list(xs)
    grad_ys = _as_list(grad_ys)
    if grad_ys and len(grad_ys) != len(ys):
        raise ValueError(
            f"Passed {len(grad_ys)} grad_ys for {len(ys)} ys: pass one per y (or None)."
        )
    graph = graph_of([*ys, *xs, *(g for g in grad_ys if g is not None)])
    with graph.as_default():
        ys = [convert_to_tensor(y, name="y") for y in ys]
        xs = [_as_x(x) for x in xs]
        level = _level_of(graph, ys)
        stops = {_stop_op(t) for t in _as_list(stop_gradients)}
        with name_scope(name, "gradients", [*ys, *xs]):
            seeds = _seed_grads(ys, grad_ys, colocate_gradients_with_ops)
            options = _Options(
                colocate=bool(colocate_gradients_with_ops),
                gate=bool(gate_gradients),
                tree=aggregation_method != AggregationMethod.ADD_N,
            )
            grads = _backprop(ys, xs, seeds, stops, level, options)
            out = [_sum(grads.get(x, []), x.op.name, options.tree) for x in xs]
        if unconnected_gradients == "zero":  # in the caller's scope, as TF's (`zeros_like`)
            out = [_unconnected_zeros(x) if g is None else g for x, g in zip(xs, out, strict=True)]
        return out


def _unconnected_zeros(x: Tensor) -> Tensor:
    """Zeros for an ``x`` no ``y`` reaches: ``zeros_like``, or for a resource variable's
    handle ``zeros`` of its shape (a ``Const``, ``VariableShape`` when not fully known)."""
    if x.dtype.base_dtype != dtypes.resource:
        return zeros_like(x)
    static = x.op._attrs.get("shape") if x.op.type == "VarHandleOp" else None
    if static is not None and static.is_fully_defined():
        dims = convert_to_tensor(static.as_list(), dtype=dtypes.int32)
    else:
        dims = apply_op("VariableShape", [x], {"out_type": dtypes.int32}, name="VariableShape")
    return zeros(dims, dtype=x.op._attrs.get("dtype", dtypes.float32))


def _level_of(graph, ys: list[Tensor]) -> _InBody | None:
    """None for ``ys`` outside loops; :class:`_InBody` for ``ys`` computed in the body of the
    loop being built (``tf.gradients`` called by the body function, as TF1 allows)."""
    frames = {t.op._frame for t in ys}
    if frames == {None}:
        return None
    building = graph._local.control_flow_context
    while building is not None and not isinstance(getattr(building, "frame", None), LoopFrame):
        building = building.outer
    frame = None if building is None else building.frame
    for t in ys:
        if t.op._frame is not None and t.op._frame is not frame:
            raise NotImplementedError(
                f"tf.gradients of '{t.name}', computed inside tf.while_loop "
                f"'{t.op._frame.name.rsplit('/', 1)[0]}', outside that loop's body: "
                "scopeflow differentiates a loop from outside as a whole. Differentiate the "
                "loop's results (its Exit tensors), call tf.gradients in the body function, or "
                "collect per-iteration values in a TensorArray and differentiate its stack()."
            )
    return _InBody(frame)


def _seed_grads(ys: list[Tensor], grad_ys: list, colocate: bool = False) -> list[Tensor]:
    seeds = []
    for i, y in enumerate(ys):
        placed = y.graph.colocate_with(y.op) if colocate else contextlib.nullcontext()
        given = grad_ys[i] if grad_ys else None
        if given is None:
            if y.dtype.base_dtype.is_complex:
                raise TypeError(
                    f"Gradients of complex tensors ({y.name}) must set grad_ys (y.dtype = "
                    f"{y.dtype.base_dtype.name})"
                )
            with placed:
                seeds.append(ones(shape(y), dtype=y.dtype.base_dtype, name=f"grad_ys_{i}"))
        else:
            given = convert_to_tensor(given, dtype=y.dtype.base_dtype, name=f"grad_y_{i}")
            if not given.shape.is_compatible_with(y.shape):
                raise ValueError(
                    f"Incompatible shapes between op input and calculated input gradient: "
                    f"grad_ys[{i}] has shape {given.shape} but {y.name} has shape {y.shape}"
                )
            # As TF1: the seed gets a name in the gradients' scope, which TensorArrays key on.
            with placed:
                seeds.append(identity(given, name=f"grad_ys_{i}"))
    return seeds


_ENTERS = frozenset({"Enter", "RefEnter"})


def _backprop(ys, xs, seeds, stops, level=None, options=_PLAIN) -> dict[Tensor, list[Tensor]]:
    """The gradients reaching each tensor from ``ys`` (seeded with ``seeds``), walking back
    over the ops at ``level`` towards ``xs``; a nested loop is differentiated as a whole.
    See ``_Options`` for ``options`` (``colocate``: TF1's ``colocate_gradients_with_ops``)."""
    between = _between(ys, xs, level)
    pending = {unit: 0 for unit in between}
    for unit in between:
        for t in _unit_inputs(unit):
            u = _unit(t.op, level)
            if u in between:
                pending[u] += 1
    grads: dict[Tensor, list[Tensor]] = {}
    for y, seed in zip(ys, seeds, strict=True):
        grads.setdefault(y, []).append(seed)
    # First in, first out from the ys' ops, in the ys' order, as TF's queue: the order in
    # which gradient ops are made, their names' numbers and the order AddN adds them in.
    first = [u for y in ys if (u := _unit(y.op, level)) in between and pending[u] == 0]
    first = list(dict.fromkeys(first))
    rest = sorted((u for u in between if pending[u] == 0 and u not in first), key=_unit_id)
    ready = collections.deque(first + rest)
    x_set = set(xs)
    while ready:
        unit = ready.popleft()
        placed = options.colocate and isinstance(unit, Operation)
        with unit.graph.colocate_with(unit) if placed else contextlib.nullcontext():
            _unit_grads(unit, grads, stops, between, x_set, level, options)
        for t in _unit_inputs(unit):
            u = _unit(t.op, level)
            if u in between:
                pending[u] -= 1
                if pending[u] == 0:
                    ready.append(u)
    return grads


def _unit_grads(unit, grads: dict, stops, between, x_set, level, options: _Options) -> None:
    """Sums the gradients of ``unit``'s outputs and adds those of its inputs to ``grads``."""
    out_grads = []
    for t in _unit_outputs(unit):
        g = _sum(grads.get(t, []), t.op.name, options.tree)
        if g is not None:
            grads[t] = [g]  # summed once; xs reuse this sum
        out_grads.append(g)
    inputs = _unit_inputs(unit)
    if unit not in stops and any(g is not None for g in out_grads):
        # Tensors in xs still pass gradients on to their own inputs, as in TF1.
        if isinstance(unit, LoopFrame):
            in_grads = _loop_input_grads(unit, out_grads, inputs, options)
        elif isinstance(level, _InBody) and unit._frame is level.frame and unit.type in _ENTERS:
            in_grads = out_grads  # an outside value read in the body: its gradient, as is
        else:
            in_grads = _op_input_grads(unit, out_grads, options.gate)
        for i, (t, g) in enumerate(zip(inputs, in_grads, strict=True)):
            if isinstance(g, Tensor) and t.dtype.base_dtype != dtypes.resource:
                _take_shape(g, t, unit, i)
            if g is not None and (_unit(t.op, level) in between or t in x_set):
                grads.setdefault(t, []).append(g)


def _take_shape(grad: Tensor, t: Tensor, unit, index: int) -> None:
    """As TF, a dense gradient takes its input's static shape (an IndexedSlices keeps its)."""
    try:
        grad.set_shape(t.shape)
    except ValueError:
        name = unit.name.rsplit("/", 1)[0] if isinstance(unit, LoopFrame) else unit.name
        raise ValueError(
            "Incompatible shapes between op input and calculated input gradient. Forward "
            f"operation: {name}. Input index: {index}. Original input shape: {t.shape}. "
            f"Calculated input gradient shape: {grad.shape}"
        ) from None


def _loop_input_grads(frame: LoopFrame, out_grads: list, inputs: list[Tensor], options) -> list:
    """The gradients of a loop's ``inputs``, from a gradient loop (``ops/control/
    while_grad.py``; it adds inputs of its own to the loop, which need none); the body's
    gradients gated and summed as ``options`` say, as TF's in the loop."""

    if frame.builder is None:
        raise NotImplementedError(
            f"tf.gradients through while loop '{frame.name.rsplit('/', 1)[0]}', which was "
            "imported from a GraphDef, is not supported: build the gradients (the train_op) "
            "before exporting the graph, whose gradient loops then run, or rebuild the loop "
            "with code."
        )

    def body_backprop(ys, xs, seeds, level):
        found = _backprop(ys, xs, seeds, set(), level, options)
        return {x: _sum(found[x]) for x in xs if x in found}

    found = while_grad.loop_gradients(get_default_graph(), frame, out_grads, body_backprop)
    return [found.pop(t, None) for t in inputs]  # a tensor entering twice gets its sum once


def _with_xla_hints(op: Operation, grad_scope: str, build: Callable):
    """``build()``; as TF's ``_MaybeCompile``, the ops it makes for the gradient of an op
    marked for XLA (``tf.contrib.compiler.jit``) get ``_XlaCompile`` and the op's
    ``_XlaScope`` (``<scope>_grad_<gradients scope>`` with separate compiled gradients)."""
    attrs = op._attrs
    if not attrs.get("_XlaCompile"):
        return build()
    scope = attrs.get("_XlaScope", "")
    if attrs.get("_XlaSeparateCompiledGradients"):
        scope = f"{scope}_grad_{grad_scope}"
    graph = op.graph
    before = len(graph.get_operations())
    result = build()
    for made in graph.get_operations()[before:]:
        made._attrs.setdefault("_XlaCompile", True)
        made._attrs.setdefault("_XlaScope", scope)
    return result


def _op_input_grads(op: Operation, out_grads: list, gate: bool = False) -> list:
    name = op._gradient_op_type or op.type
    grad_fn = registry.gradient_function(name)
    if grad_fn is NOT_DIFFERENTIABLE:
        return [None] * len(op._inputs)
    if grad_fn is None:
        override = "" if name == op.type else f", mapped to '{name}' by gradient_override_map"
        raise LookupError(
            f"No gradient defined for operation '{op.name}' (op type: {op.type}{override}). "
            f"Register one with @tf.RegisterGradient('{name}'), or stop gradients there with "
            "tf.stop_gradient. The op was created at " + op.location
        )
    if any(g is None for g in out_grads):
        out_grads = [
            zeros_for_output(op, i) if g is None and _differentiable(t, resource=True) else g
            for i, (t, g) in enumerate(zip(op._outputs, out_grads, strict=True))
        ]
    grad_scope = get_name_scope()
    with name_scope(op.name + "_grad"):
        if not registry.gradient_takes_indexed_slices(name):
            out_grads = [
                indexed_slices_to_dense(g, warn=False) if isinstance(g, IndexedSlices) else g
                for g in out_grads
            ]
        in_grads = _with_xla_hints(op, grad_scope, lambda: grad_fn(op, *out_grads))
        in_grads = list(in_grads) if isinstance(in_grads, (list, tuple)) else [in_grads]
        if len(in_grads) != len(op._inputs):
            raise ValueError(
                f"Num gradients {len(in_grads)} generated for op {op.node_def.name} do not "
                f"match num inputs {len(op._inputs)}"
            )
        if gate and sum(g is not None for g in in_grads) > 1:  # on no device, as TF
            with op.graph.colocate_with(None, ignore_existing=True):
                in_grads = gate_tuple(in_grads)
    return [
        g if g is None or isinstance(g, IndexedSlices) else convert_to_tensor(g) for g in in_grads
    ]


__all__ = ["NoGradient", "NotDifferentiable", "RegisterGradient", "gradients"]
