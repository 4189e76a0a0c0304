"""``tf.contrib.compiler.xla``: ``compile``, a computation built as TF 1.15's XLA cluster
returns it (scopeflow's executor runs it without XLA)."""

from __future__ import annotations

from collections.abc import Callable

from scopeflow.framework import nest
from scopeflow.framework.graph_api import control_dependencies
from scopeflow.framework.operation import Operation
from scopeflow.framework.tensor import Tensor
from scopeflow.ops.array.basic import identity
from scopeflow.ops.control.grouping import no_op


def compile(  # noqa: A001 - TF's name
    computation: Callable, inputs=None
):
    """Builds ``computation(*inputs)`` and returns its outputs as TF's ``xla.compile`` does:
    the tensors (each through an ``Identity`` named ``output_<i>`` that waits for every
    operation the computation returned) in the structure it returned, a lone tensor as a
    one-element list; a ``NoOp`` when it returned no tensor (``None`` or only operations).

    scopeflow's executor does not compile the computation with XLA: it runs its ops as any
    others (``tf.Session(executor="jax")`` compiles whole graphs with XLA).

    Raises:
        TypeError: ``inputs`` is not a list (or tuple).
    """
    if inputs is None:
        inputs = []
    if not isinstance(inputs, (list, tuple)):
        raise TypeError("inputs must be a list")
    args = [
        identity(x, name=f"input_{i}") if isinstance(x, Tensor) else x for i, x in enumerate(inputs)
    ]
    outputs = computation(*args)
    if outputs is None:
        outputs = []
    elif isinstance(outputs, (Tensor, Operation)):
        outputs = [outputs]
    flat = nest.flatten(outputs)
    ops = [x for x in flat if isinstance(x, Operation)]
    tensors = [x for x in flat if not isinstance(x, Operation)]
    if not tensors:
        with control_dependencies(ops):
            return no_op(name="output_0")
    with control_dependencies(ops):
        results = [identity(t, name=f"output_{i}") for i, t in enumerate(tensors)]
    if ops:  # an operation among tensors: TF keeps the tensors only, as a list
        return results
    if isinstance(outputs, dict):
        return nest.pack_sequence_as(outputs, results)
    return nest.pack_sequence_as(list(outputs), results) if nest.is_sequence(outputs) else results


__all__ = ["compile"]
