"""``tf.xla.experimental``: ``jit_scope`` (XLA clustering hints on the ops made inside) and
``compile`` (a computation built as one XLA cluster), as TF 2.21's graph mode builds them; also
``tf.contrib.compiler``'s ``jit.experimental_jit_scope`` and ``xla.compile``.

scopeflow's NumPy executor runs these ops as any others and does not compile them with XLA;
``tf.Session(executor="jax")`` compiles whole graphs with XLA anyway. The hints are kept on the
ops (``op.get_attr("_XlaCompile")``, ``_xla_compile_id``) and exported with the GraphDef.

>>> import scopeflow as tf
>>> with tf.Graph().as_default():
...     x = tf.constant(1.0)
...     with tf.xla.experimental.jit_scope():
...         y = x * 2.0
...     print(y.op.get_attr("_XlaCompile"), y.op.get_attr("_XlaScope"))
True b'jit_scope_0'
"""

from __future__ import annotations

import collections.abc
import contextlib
from collections.abc import Callable

from scopeflow.framework import nest
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.graph_api import (
    control_dependencies,
    get_collection_ref,
    get_default_graph,
)
from scopeflow.framework.operation import Operation
from scopeflow.framework.registry import register_op
from scopeflow.ops.array.basic import identity
from scopeflow.ops.control.grouping import group, no_op
from scopeflow.ops.core.infer import apply_op, same_as_first

__all__ = ["compile", "jit_scope"]

_XLA_SCOPE_KEY = "__xla_scope"  # per graph: [count of top-level scopes, depth now]


@contextlib.contextmanager
def jit_scope(compile_ops: bool | Callable = True, separate_compiled_gradients=False):
    """Marks the ops made inside for XLA: ``_XlaCompile`` (``compile_ops``, or
    ``compile_ops(node_def)`` when it is callable), ``_XlaSeparateCompiledGradients`` and
    ``_XlaScope`` (``jit_scope_<n>``, one per outermost scope in the graph; nested scopes share
    it). An inner scope's values win over an outer one's. Values are unchanged.

    The ops ``tf.gradients`` makes for a marked op's gradient get ``_XlaCompile`` and its
    ``_XlaScope`` (``<scope>_grad_<gradients scope>`` with ``separate_compiled_gradients``).
    """
    graph = get_default_graph()
    counter = get_collection_ref(_XLA_SCOPE_KEY)
    if not counter:
        counter.append([0, 0])
    state = counter[0]
    attrs = {"_XlaSeparateCompiledGradients": bool(separate_compiled_gradients)}
    if state[1] == 0:
        attrs["_XlaScope"] = f"jit_scope_{state[0]}"
        state[0] += 1
    first = graph.version
    state[1] += 1
    try:
        yield
    finally:
        state[1] -= 1
        for op in graph.get_operations()[first:]:
            if "_XlaCompile" not in op._attrs:
                flag = compile_ops(op.node_def) if callable(compile_ops) else compile_ops
                op._attrs["_XlaCompile"] = bool(flag)
            for key, value in attrs.items():
                op._attrs.setdefault(key, value)


# -- compile -------------------------------------------------------------------------------


def _cluster_output_grad(op, grad):
    raise RuntimeError(
        "Gradient computation of graph in xla.compile() is prohibited because it can cause "
        "performance degradation.Please move gradient computation inside xla.compile()."
    )


# XlaClusterOutput: the cluster's result handed to the graph outside it; differentiating
# through it is an error, as TF's.
register_op(
    "XlaClusterOutput",
    same_as_first,
    kernel=lambda ctx, op, x: x,
    grad=_cluster_output_grad,
    forwards_input=True,
)


class ClusterContext:
    """The control-flow context of a computation being built as one cluster
    (``xla.compile``'s, ``tf.tpu.replicate``'s): every op made inside gets the cluster's
    ``attr`` (``_xla_compile_id``, ``_tpu_replicate``); one without inputs or control inputs
    from inside waits for the cluster's pivot; control inputs from outside the cluster become
    ``Identity`` ops inside it, as TF's. Values from outside go through the context around it
    (a ``tf.cond`` branch, a loop body). ``what`` names the kind in errors."""

    attr = "_xla_compile_id"
    what = "XLA computations"

    def __init__(self, name: str, pivot: Operation, outer):
        self.name = name
        self.pivot = pivot
        self.outer = outer
        self.ops: set[Operation] = set()

    def add_value(self, graph, t, scope):
        return t if self.outer is None else self.outer.add_value(graph, t, scope)

    def nested_error(self, op: Operation) -> ValueError:
        return ValueError(f"XLA compiled computations cannot be nested, (operator name: {op.name})")

    def op_added(self, op: Operation) -> None:
        if self.attr in op._attrs:
            raise self.nested_error(op)
        op._attrs[self.attr] = self.name
        self.ops.add(op)
        if self.outer is not None:
            self.outer.op_added(op)

    def add_op(self, graph, op: Operation) -> None:
        for t in op._inputs:
            if t.dtype._is_ref_dtype and t.op._id < self.pivot._id:
                raise NotImplementedError(
                    f"Non-resource Variables are not supported inside {self.what} "
                    f"(operator name: {op.name})"
                )
        self.op_added(op)
        outside = [c for c in op._control_inputs if c not in self.ops]
        op._control_inputs[:] = [c for c in op._control_inputs if c in self.ops]
        if not op._inputs and not op._control_inputs:
            op._add_control_input(self.pivot)
        for i, t in enumerate(op._inputs):
            routed = self.add_value(graph, t, op.name + "/")
            if routed is not t:
                op._update_input(i, routed)
        state = graph._local
        for c in outside:
            if c.outputs:
                with control_dependencies(None):
                    state.control_flow_context = self
                    op._add_control_input(identity(c.outputs[0]).op)


def _is_flat(outputs) -> bool:
    if isinstance(outputs, collections.abc.Mapping):
        return False
    if isinstance(outputs, collections.abc.Sequence):  # a string too, as TF's
        return not any(
            isinstance(o, (collections.abc.Sequence, collections.abc.Mapping)) for o in outputs
        )
    return True


def _as_output(o):
    if isinstance(o, Operation):
        return o
    try:
        return convert_to_tensor(o)
    except (TypeError, ValueError) as e:
        raise ValueError(
            "XLA computation function return values must all either be Operations or "
            f'convertible to Tensors. Got error: "{e}"'
        ) from None


def _flat_outputs(outputs):
    if outputs is None:
        outputs = ()
    if not isinstance(outputs, collections.abc.Sequence):
        outputs = (outputs,)
    outputs = [_as_output(o) for o in (*outputs, no_op())]
    ops = [o for o in outputs if isinstance(o, Operation)]
    tensors = [o for o in outputs if not isinstance(o, Operation)]
    if outputs != tensors + ops:
        raise ValueError(
            "XLA computation function must return zero or more Tensor values followed by zero "
            "or more Operations."
        )
    return [identity(t) for t in tensors], ops


def _structured_outputs(outputs):
    tensors = []
    for o in nest.flatten(outputs):
        if isinstance(o, Operation):
            raise ValueError(
                "xla.compile does not support Operation as return value in non-flat output "
                "structure. You can set returned Operations as control dependencies of "
                "returned Tensors so Operations are triggered when Tensors are evaluated. "
                f'Operation found: "{o.name}"'
            )
        tensors.append(identity(_as_output(o)))
    return tensors, []


def compile(computation: Callable, inputs=None):  # noqa: A001 - TF's name
    """Builds ``computation(*inputs)`` as one XLA cluster, as TF's graph mode does: a
    ``cluster/pivot`` NoOp, an ``input_<i>`` Identity per input, the computation's ops marked
    ``_xla_compile_id``, an ``XlaClusterOutput`` (``output<i>``) per result and the results
    as ``output_<i>`` Identities that wait for the operations it returned.

    Returns a list of tensors for a flat result (one tensor included), the result's structure
    for a nested one, and a ``NoOp`` named ``output_0`` when it returned no tensor. Variables
    made outside and used inside raise ``NotImplementedError`` as TF's (make them inside).

    Raises:
        TypeError: ``inputs`` is not a list (or tuple).
        ValueError: an output is neither an operation nor convertible to a tensor, or
            operations come before tensors, or inside a nested structure.
    """
    if inputs is None:
        inputs = []
    if not isinstance(inputs, collections.abc.Sequence):
        raise TypeError("inputs must be a list")
    flat = [convert_to_tensor(x) for x in nest.flatten(inputs)]
    graph = get_default_graph()
    cluster = graph.unique_name("cluster")
    state = graph._local
    context = ClusterContext(cluster, no_op(name=cluster + "/pivot"), state.control_flow_context)
    saved, state.control_flow_context = state.control_flow_context, context
    try:
        flat = [identity(x, name=f"input_{i}") for i, x in enumerate(flat)]
        outputs = computation(*nest.pack_sequence_as(inputs, flat))
        is_flat = _is_flat(outputs)
        tensors, ops = (_flat_outputs if is_flat else _structured_outputs)(outputs)
    finally:
        state.control_flow_context = saved
    if not tensors:
        return group(*ops, name="output_0")
    tensors = [apply_op("XlaClusterOutput", [t], name=f"output{i}") for i, t in enumerate(tensors)]
    with control_dependencies(ops):
        tensors = [identity(t, name=f"output_{i}") for i, t in enumerate(tensors)]
    return tensors if is_flat else nest.pack_sequence_as(outputs, tensors)
