"""Runs a :class:`Plan` with the NumPy kernels of the op registry."""

from __future__ import annotations

import numpy as np
from numpy import ndarray

from scopeflow.framework import error_text, errors
from scopeflow.framework.sentinels import DEAD
from scopeflow.session.buffers import MIN_BYTES
from scopeflow.session.fusion import prepare_steps
from scopeflow.session.overlap import settle
from scopeflow.session.plan import Plan


def run_plan(plan: Plan, ctx, feed_values: list) -> list:
    """Executes ``plan``; returns the fetched values (``None`` for fetched ops)."""
    slots = list(plan.initial_slots)
    for slot, value in zip(plan.feed_slots, feed_values, strict=True):
        slots[slot] = value
    if not plan.prepared:
        plan.prepared.append(prepare_steps(plan, kernel_error))
    steps = plan.prepared[0]
    recycle = ctx.recycle
    if plan.has_control_flow:
        _run_with_dead_branches(plan, steps, ctx, slots)
    else:
        for kernel, op, inputs, outputs, free in steps:
            args = [slots[i] for i in inputs]
            try:
                result = kernel(ctx, op, *args)
            except errors.OpError:
                earlier = settle(ctx, op, kernel_error)
                if earlier is not None:
                    raise earlier from None
                raise
            except Exception as e:  # noqa: BLE001 - every kernel failure becomes an OpError
                earlier = settle(ctx, op, kernel_error)
                if earlier is not None:
                    raise earlier from None
                raise kernel_error(op, args, e) from e
            if len(outputs) == 1:
                slots[outputs[0]] = result
            else:
                for k, slot in enumerate(outputs):
                    slots[slot] = result[k]
            # The slots hold the values alone (fusion.py and buffers.py count references).
            args = result = None
            for slot in free:
                value = slots[slot]
                slots[slot] = None
                if type(value) is ndarray and value.nbytes >= MIN_BYTES:
                    recycle(value)  # kept for later steps and runs when nothing holds it
            value = None
    return [None if s < 0 else slots[s] for s in plan.fetch_slots]


def _run_with_dead_branches(plan: Plan, steps: tuple, ctx, slots: list) -> None:
    """The loop for plans with ``tf.cond``: an op with a dead input or a dead control input
    is skipped and its outputs are dead (an op type with ``merges_dead``, ``Merge``, takes any
    live input instead). Dead slots and skipped steps are kept as sets, so while nothing is
    dead a step costs what it costs in the plain loop."""
    dead_steps: set = set()
    dead_slots: set = set()
    for i, (kernel, op, inputs, outputs, _) in enumerate(steps):
        waits, merges = plan.guards[i]
        if dead_slots and (
            (waits and not dead_steps.isdisjoint(waits))
            or (not merges and not dead_slots.isdisjoint(inputs))
        ):
            dead_steps.add(i)
            dead_slots.update(outputs)
            for slot in outputs:
                slots[slot] = DEAD
            continue
        args = [slots[j] for j in inputs]
        try:
            result = kernel(ctx, op, *args)
        except errors.OpError:
            raise
        except Exception as e:  # noqa: BLE001
            raise kernel_error(op, args, e) from e
        if len(outputs) == 1:
            slots[outputs[0]] = result
            if result is DEAD:
                dead_slots.add(outputs[0])
        else:
            for slot, value in zip(outputs, result, strict=True):
                slots[slot] = value
                if value is DEAD:
                    dead_slots.add(slot)
            value = None
        result = None  # the slots hold the values alone (fusion.py counts references)
    for fetch, slot in zip(plan.fetches, plan.fetch_slots, strict=True):
        if slot >= 0 and slots[slot] is DEAD:
            raise errors.InvalidArgumentError(
                None,
                fetch.op,
                f"Retval '{fetch.name}' does not have a value: it is computed only in a "
                "tf.cond branch that was not taken. Fetch the cond's result instead.",
            )


def kernel_error(op, args, cause: Exception) -> errors.OpError:
    """An ``InvalidArgumentError`` naming the op, its type, input shapes and creation site
    (``ResourceExhaustedError`` for an array too large to allocate, as TF's OOM)."""
    shapes = ", ".join(
        str(list(np.shape(a))) for a in args if not hasattr(a, "op_def") and a is not DEAD
    )
    if isinstance(cause, MemoryError):
        return _out_of_memory(op, shapes, cause)
    # A kernel's ValueError is its "invalid argument" (TF's text alone); other exception types
    # are named, as they point at a fault rather than at the input.
    text = error_text.kernel_text(op, args, cause) or (
        str(cause) if type(cause) is ValueError else f"{type(cause).__name__}: {cause}"
    )
    message = (
        f"{text}\n"
        f"\t [[node {op.name} (op {op.type}, input shapes: {shapes}) "
        f"defined at {op.location}]]"
    )
    return errors.InvalidArgumentError(None, op, message)


_TF_TYPE_NAMES = {"float32": "float", "float64": "double", "float16": "half"}


def _out_of_memory(op, shapes: str, cause: MemoryError) -> errors.ResourceExhaustedError:
    """TF's words for an allocation that fails, with NumPy's (the bytes asked for)."""
    shape = getattr(cause, "shape", None)
    dtype = getattr(cause, "dtype", None)
    what = ""
    if shape is not None and dtype is not None:
        name = _TF_TYPE_NAMES.get(dtype.name, dtype.name)
        what = f" with shape[{','.join(str(d) for d in shape)}] and type {name}"
    return errors.ResourceExhaustedError(
        None,
        op,
        f"OOM when allocating tensor{what} on /job:localhost/replica:0/task:0/device:CPU:0 "
        f"by allocator cpu ({cause})\n"
        f"\t [[node {op.name} (op {op.type}, input shapes: {shapes}) defined at {op.location}]]",
    )
