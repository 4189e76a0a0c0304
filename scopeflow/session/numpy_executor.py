"""Runs a :class:`Plan` with the NumPy kernels of the op registry."""

from __future__ import annotations

import numpy as np

from scopeflow.framework import errors
from scopeflow.framework.sentinels import DEAD
from scopeflow.session.plan import Plan


def run_plan(plan: Plan, ctx, feed_values: list) -> list:
    """Executes ``plan``; returns the fetched values (``None`` for fetched ops)."""
    slots = list(plan.initial_slots)
    for slot, value in zip(plan.feed_slots, feed_values, strict=True):
        slots[slot] = value
    if plan.has_control_flow:
        _run_with_dead_branches(plan, ctx, slots)
    else:
        for kernel, op, inputs, outputs, free in plan.steps:
            args = [slots[i] for i in inputs]
            try:
                result = kernel(ctx, op, *args)
            except errors.OpError:
                raise
            except Exception as e:  # noqa: BLE001 - every kernel failure becomes an OpError
                raise kernel_error(op, args, e) from e
            if len(outputs) == 1:
                slots[outputs[0]] = result
            else:
                for slot, value in zip(outputs, result, strict=True):
                    slots[slot] = value
            for slot in free:
                slots[slot] = None
    return [None if s < 0 else slots[s] for s in plan.fetch_slots]


def _run_with_dead_branches(plan: Plan, ctx, slots: list) -> None:
    """The loop for plans with ``tf.cond``: an op with a dead input or a dead control input
    is skipped and its outputs are dead (an op type with ``merges_dead``, ``Merge``, takes any
    live input instead)."""
    dead_ops = set()
    for kernel, op, inputs, outputs, _ in plan.steps:
        args = [slots[i] for i in inputs]
        dead = any(c in dead_ops for c in op._control_inputs)
        if not dead and not op.op_def.merges_dead:
            dead = any(a is DEAD for a in args)
        if dead:
            dead_ops.add(op)
            for slot in outputs:
                slots[slot] = DEAD
            continue
        try:
            result = kernel(ctx, op, *args)
        except errors.OpError:
            raise
        except Exception as e:  # noqa: BLE001
            raise kernel_error(op, args, e) from e
        if len(outputs) == 1:
            slots[outputs[0]] = result
        else:
            for slot, value in zip(outputs, result, strict=True):
                slots[slot] = value
    for fetch, slot in zip(plan.fetches, plan.fetch_slots, strict=True):
        if slot >= 0 and slots[slot] is DEAD:
            raise errors.InvalidArgumentError(
                None,
                fetch.op,
                f"Retval '{fetch.name}' does not have a value: it is computed only in a "
                "tf.cond branch that was not taken. Fetch the cond's result instead.",
            )


def kernel_error(op, args, cause: Exception) -> errors.InvalidArgumentError:
    """An ``InvalidArgumentError`` naming the op, its type, input shapes and creation site."""
    shapes = ", ".join(
        str(list(np.shape(a))) for a in args if not hasattr(a, "op_def") and a is not DEAD
    )
    message = (
        f"{type(cause).__name__}: {cause}\n"
        f"\t [[node {op.name} (op {op.type}, input shapes: {shapes}) "
        f"defined at {op.location}]]"
    )
    return errors.InvalidArgumentError(None, op, message)
