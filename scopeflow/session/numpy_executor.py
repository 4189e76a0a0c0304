"""Runs a :class:`Plan` with the NumPy kernels of the op registry."""

from __future__ import annotations

import numpy as np

from scopeflow.framework import errors
from scopeflow.session.plan import Plan

# The value a not-taken ``tf.cond`` branch carries; ops that receive it are skipped.
DEAD = type("Dead", (), {"__repr__": lambda self: "<dead>"})()


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
    for step in plan.steps:
        op = step.op
        args = [slots[i] for i in step.inputs]
        if op.type != "Merge" and any(a is DEAD for a in args):
            for slot in step.outputs:
                slots[slot] = DEAD
            continue
        try:
            result = step.kernel(ctx, op, *args)
        except errors.OpError:
            raise
        except Exception as e:  # noqa: BLE001
            raise kernel_error(op, args, e) from e
        if len(step.outputs) == 1:
            slots[step.outputs[0]] = result
        else:
            for slot, value in zip(step.outputs, result, strict=True):
                slots[slot] = value


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
