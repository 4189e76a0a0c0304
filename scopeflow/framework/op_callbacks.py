"""Op callbacks: functions this thread asks to see each op built from then on (TF's
``op_callbacks``), which may give the builder other tensors in place of the op's outputs
(``tf.debugging.enable_check_numerics`` gives each float output through a check).

Builders hand an op's outputs on through :func:`outputs_of` (``apply_op``, ``constant``); ops
a callback builds are not shown to the callbacks again.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable

# (op, outputs) -> None, or a list of tensors in place of ``outputs`` (as many): the op's
# outputs as the callbacks added before it left them.
OpCallback = Callable

_local = threading.local()


def add_op_callback(callback: OpCallback) -> None:
    """Shows ``callback`` every op this thread builds from now on (once, however often
    added)."""
    callbacks = _callbacks()
    if callback not in callbacks:
        callbacks.append(callback)


def remove_op_callback(callback: OpCallback) -> None:
    """Stops showing ops to ``callback``.

    Raises:
        KeyError: ``callback`` was not added on this thread (TF's error).
    """
    callbacks = _callbacks()
    if callback not in callbacks:
        raise KeyError(f"The op callback to be removed is not found: {callback}")
    callbacks.remove(callback)


def _callbacks() -> list:
    callbacks = getattr(_local, "callbacks", None)
    if callbacks is None:
        callbacks = _local.callbacks = []
    return callbacks


def outputs_of(op, own_scope: bool = True) -> list:
    """``op``'s outputs as its builder should return them: after this thread's callbacks,
    which build their ops in ``op``'s own name scope (``<op name>/``, as TF's op builders) or,
    without ``own_scope``, in the current one (as TF's constants)."""
    callbacks = getattr(_local, "callbacks", None)
    if not callbacks or getattr(_local, "invoking", False):
        return op._outputs
    _local.invoking = True
    scope = op.graph.name_scope(op.name + "/") if own_scope else contextlib.nullcontext()
    try:
        with scope:
            outputs = op._outputs
            for callback in list(callbacks):
                new = callback(op, outputs)
                if new is not None:
                    if len(new) != len(op._outputs):
                        raise ValueError(
                            f"The op callback returned {len(new)} tensors, which does not "
                            f"match the original number of outputs of op {op.name} "
                            f"({len(op._outputs)})."
                        )
                    outputs = list(new)
        return outputs
    finally:
        _local.invoking = False
