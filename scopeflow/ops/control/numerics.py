"""Checks for NaN and Inf: the ``CheckNumerics`` op (``tf.check_numerics``), and TF1's
``tf.verify_tensor_all_finite`` and ``tf.add_check_numerics_ops`` built on it."""

from __future__ import annotations

import numpy as np

from scopeflow.framework import dtypes, errors, undo
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.defaults import get_default_graph
from scopeflow.framework.graph_api import control_dependencies, name_scope
from scopeflow.framework.registry import register_op
from scopeflow.ops.control.assertions import node_note
from scopeflow.ops.control.grouping import group, with_dependencies
from scopeflow.ops.core.infer import FLOATS, apply_op, elementwise


def _check_numerics_kernel(ctx, op, x):
    nan, inf = bool(np.isnan(x).any()), bool(np.isinf(x).any())
    if nan or inf:
        found = "Inf and NaN" if nan and inf else "NaN" if nan else "Inf"
        message = f"{op._attrs['message']} : Tensor had {found} values"
        raise errors.InvalidArgumentError(None, op, message + node_note(op))
    return x


def _check_numerics_grad(op, grad):
    message = op._attrs["message"]
    text = f"Not a number (NaN) or infinity (Inf) values detected in gradient. {message}"
    with name_scope("CheckNumerics") as scope:  # an IndexedSlices made dense as its argument
        grad = convert_to_tensor(grad, name="tensor")
        return apply_op("CheckNumerics", [grad], {"message": text}, name=scope)


register_op(
    "CheckNumerics",
    elementwise("CheckNumerics", FLOATS, arg="tensor"),
    kernel=_check_numerics_kernel,
    grad=_check_numerics_grad,
    stateful=True,
    grad_takes_indexed_slices=True,
)


@undo.atomic
def check_numerics(tensor, message, name=None):
    """``tensor``, failing the run with ``InvalidArgumentError`` if it holds a NaN or an Inf
    (the error starts with ``message``). Its gradient is checked the same way.

    >>> import scopeflow as tf
    >>> x = tf.placeholder(tf.float32, [2])
    >>> y = tf.check_numerics(tf.log(x), "log of x")
    >>> try:
    ...     tf.Session().run(y, {x: [1.0, -1.0]})
    ... except tf.errors.InvalidArgumentError as e:
    ...     print(e.message.splitlines()[0])
    log of x : Tensor had NaN values
    """
    with name_scope(name, "CheckNumerics", [tensor]) as scope:
        x = convert_to_tensor(tensor, name="tensor")
        return apply_op("CheckNumerics", [x], {"message": str(message)}, name=scope)


@undo.atomic
def verify_tensor_all_finite(t=None, msg=None, name=None, x=None, message=None):
    """``t`` (or ``x``), after a ``check_numerics`` of it with ``msg`` (or ``message``) has
    run (``VerifyFinite/control_dependency``)."""
    t = x if t is None else t
    msg = message if msg is None else msg
    with name_scope(name, "VerifyFinite", [t]):
        t = convert_to_tensor(t, name="x")
        return with_dependencies([check_numerics(t, message=msg)], t)


def _in_control_flow(ops) -> set:
    """The ops among ``ops`` that TF1 places in a ``tf.cond`` branch or a loop: those in a
    loop frame, a cond's ``Switch`` ops, and the ops outside loops that take inputs (or wait
    on ops) in a branch, up to its ``Merge``."""
    in_branch: dict = {}
    for start in ops:
        stack = [start]
        while stack:
            op = stack[-1]
            if op in in_branch:
                stack.pop()
            elif op._frame is not None or op.op_def.control_flow:  # a Merge is outside
                in_branch[op] = op._frame is None and op.type in ("Switch", "RefSwitch")
                stack.pop()
            else:
                sources = [t.op for t in op._inputs] + list(op._control_inputs)
                pending = [s for s in sources if s not in in_branch]
                if pending:
                    stack.extend(pending)
                else:  # a loop's Exit (its input in the loop) is outside
                    in_branch[op] = any(in_branch[s] for s in sources)
                    stack.pop()
    return {op for op in ops if op._frame is not None or in_branch[op]}


@undo.atomic
def add_check_numerics_ops():
    """A ``group`` of one ``check_numerics`` per float16/32/64 tensor in the default graph,
    each after the previous one (so the first NaN or Inf a run meets is reported).

    Raises:
        ValueError: a float tensor is computed inside a ``tf.cond`` or a loop (as in TF1).
    """
    graph = get_default_graph()
    checked = (dtypes.float16, dtypes.float32, dtypes.float64)
    ops = graph.get_operations()
    inside = _in_control_flow(ops)
    checks: list = []
    for op in ops:
        for output in op._outputs:
            if output.dtype not in checked:
                continue
            if op in inside:
                raise ValueError(
                    "`tf.add_check_numerics_ops() is not compatible with TensorFlow control flow "
                    "operations such as `tf.cond()` or `tf.while_loop()`."
                )
            with control_dependencies(checks):
                name = f"{op.name}:{output.value_index}"
                checks = [check_numerics(output, message=name).op]
    return group(*checks)


__all__ = ["add_check_numerics_ops", "check_numerics", "verify_tensor_all_finite"]
