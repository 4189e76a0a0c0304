"""``tf.debugging.enable_check_numerics`` in graph mode: from the call on, on this thread, each
float output of each op built goes through a ``CheckNumericsV2`` op (``<scope>/CheckNumericsV2``)
whose run fails with ``InvalidArgumentError`` naming the op type, the output, its inputs and
where the op was made, as TF's; the builder returns the checked tensors. A placeholder keeps
its own tensor (it must stay feedable): the ops that take it wait for its check instead.

TF 2.21 also replaces a reference variable's tensor (so ``tf.Variable`` fails there with an
``AttributeError``); scopeflow leaves reference outputs (variables, assignments) unchecked and
checks the values read from them.
"""

from __future__ import annotations

import threading

import numpy as np

from scopeflow.framework import errors
from scopeflow.framework.op_callbacks import add_op_callback, remove_op_callback
from scopeflow.framework.registry import register_op
from scopeflow.ops.control.assertions import node_note
from scopeflow.ops.core.infer import FLOATS, apply_op, elementwise


def _check_numerics_v2_kernel(ctx, op, x):
    if not np.isfinite(x).all():
        kinds = (("-Inf", np.isneginf), ("+Inf", np.isposinf), ("NaN", np.isnan))
        found = [name for name, test in kinds if test(x).any()]
        if len(found) == 3:
            found = ["-Inf, +Inf,", "NaN"]
        message = f"{op._attrs['message']} : Tensor had {' and '.join(found)} values"
        raise errors.InvalidArgumentError(None, op, message + node_note(op))
    return x


def _check_numerics_v2_grad(op, grad):
    message = repr(op._attrs["message"].encode())  # TF formats the bytes attr: b'...'
    text = f"Not a number (NaN) or infinity (Inf) values detected in gradient. {message}"
    return apply_op("CheckNumericsV2", [grad], {"message": text}, name="CheckNumericsV2")


register_op(
    "CheckNumericsV2",
    elementwise("CheckNumericsV2", FLOATS, arg="tensor"),
    kernel=_check_numerics_v2_kernel,
    grad=_check_numerics_v2_grad,
    stateful=True,
)

# Op types TF's callbacks never see (control flow, functions, TPU plumbing), and the ones its
# check skips as safe (they only move values).
_SKIPPED = frozenset(
    "Enter Exit Identity If LoopCond Merge NextIteration StatelessIf StatefulPartitionedCall "
    "Switch While RemoteCall TPUReplicatedInput TPUReplicateMetadata TPUCompilationResult "
    "TPUReplicatedOutput ConfigureDistributedTPU DestroyResourceOp "
    "Concat ConcatV2 ExpandDims Fill Gather Maximum Minimum Reshape Slice Squeeze Stack "
    "StridedSlice StridedSliceGrad TensorListConcatV2 TensorListGather TensorListGetItem "
    "TensorListPopBack TensorListStack Transpose Unpack".split()
)
# Outputs that are NaN by design for an empty batch (batch statistics, reserve spaces).
_IGNORED = {
    ("FusedBatchNorm", 1), ("FusedBatchNorm", 2), ("FusedBatchNorm", 3), ("FusedBatchNorm", 4),
    ("FusedBatchNormV2", 1), ("FusedBatchNormV2", 2), ("FusedBatchNormV2", 3),
    ("FusedBatchNormV2", 4),
    *(("FusedBatchNormV3", slot) for slot in range(1, 6)),
}  # fmt: skip


def _shorten(path: str, limit: int | None) -> str:
    return path if limit is None or len(path) <= limit else "..." + path[len(path) - limit :]


def _message(op, slot: int, output, originals: dict, height_limit, path_limit) -> str:
    """TF's text for a check of ``op``'s output ``slot`` (inputs named as before their checks:
    ``originals``)."""
    lines = [
        "",
        "",
        f'!!! Detected Infinity or NaN in output {slot} of graph op "{op.type}" '
        f"(# of outputs: {len(op._outputs)}) !!!",
        f"  dtype: {output.dtype}",
        f"  shape: {output.shape}",
    ]
    inputs = [originals.get(t, t) for t in op.inputs]
    if len(inputs) > 1:
        lines += ["", f"  Input tensors ({len(inputs)}):"]
        lines += [f"         {i}: {t}" for i, t in enumerate(inputs)]
    elif inputs:
        lines += ["", f"  Input tensor: {inputs[0]}"]
    frames = op.traceback
    if frames:
        lines += ["", '  Stack trace of op\'s creation ("->": inferred user code):']
        if height_limit is not None and len(frames) > height_limit:
            lines.append(f"    + ... (Omitted {len(frames) - height_limit} frames)")
            frames = frames[-height_limit:]
        for path, line, function, text in frames:  # scopeflow keeps the user's frames only
            lines.append(f"    + {_shorten(path, path_limit)} (L{line}) {function}")
            lines.append(f" -> |   {text}")
    return "\n".join(lines) + "\n\n"


class _Checks:
    """One thread's check: its limits, and the placeholders' checks that their consumers wait
    on."""

    def __init__(self, stack_height_limit, path_length_limit):
        self.limits = (stack_height_limit, path_length_limit)
        self.placeholders: dict = {}
        self.originals: dict = {}  # {check's output: the tensor it checks}

    def __call__(self, op, outputs):
        if op.type in _SKIPPED:
            return None
        if op._outputs:
            for t in op.inputs:
                check = self.placeholders.get(t)
                if check is not None:
                    op._add_control_input(check.op)
        checked = []
        for slot, output in enumerate(outputs):
            dtype = output.dtype
            if not dtype.is_floating or dtype._is_ref_dtype or (op.type, slot) in _IGNORED:
                checked.append(output)
                continue
            text = _message(op, slot, output, self.originals, *self.limits)
            check = apply_op("CheckNumericsV2", [output], {"message": text}, "CheckNumericsV2")
            self.originals[check] = output
            if op.type == "Placeholder":
                self.placeholders[output] = check
                checked.append(output)
            else:
                checked.append(check)
        return checked


_state = threading.local()


def enable_check_numerics(stack_height_limit=30, path_length_limit=50) -> None:
    """Checks every float output of the ops this thread builds from now on for NaN and Inf
    (``CheckNumericsV2``, TF's message); calling it again changes nothing.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     x = tf.placeholder(tf.float32, [2], name="x")
    ...     tf.debugging.enable_check_numerics()
    ...     y = tf.log(x, name="log")
    ...     tf.debugging.disable_check_numerics()
    ...     try:
    ...         tf.Session().run(y, {x: [1.0, 0.0]})
    ...     except tf.errors.InvalidArgumentError as e:
    ...         print(y.name, e.message.splitlines()[2])
    log/CheckNumericsV2:0 !!! Detected Infinity or NaN in output 0 of graph op "Log" (# of outputs: 1) !!!
    """  # noqa: E501
    if getattr(_state, "checks", None) is None:
        _state.checks = _Checks(stack_height_limit, path_length_limit)
        add_op_callback(_state.checks)


def disable_check_numerics() -> None:
    """Stops checking the ops this thread builds (those built meanwhile keep their checks)."""
    checks = getattr(_state, "checks", None)
    if checks is not None:
        remove_op_callback(checks)
        _state.checks = None


__all__: list[str] = []  # tf.debugging's names: scopeflow/debugging.py
