"""What the JAX executor runs on the host: the steps between compiled segments (ops without
a JAX lowering) and plans that run whole on the host, with the NumPy kernels and a ``ctx``
reading the session's variables (device arrays) as NumPy arrays."""

from __future__ import annotations

import numpy as np

from scopeflow.framework import errors
from scopeflow.session.context import uninitialized_error
from scopeflow.session.loops import run_loop
from scopeflow.session.numpy_executor import kernel_error


class HostContext:
    """The ``ctx`` of a NumPy kernel run on the host between compiled segments: variables
    read as NumPy arrays, writes staged with the run's others."""

    xp = np
    empty = staticmethod(np.empty)  # a kernel's result array (RunContext.empty)

    @staticmethod
    def recycle(array) -> None:
        """Freed values are left to the allocator here (RunContext.recycle keeps them)."""

    def __init__(self, session, staged: dict):
        self._session = session
        self.threads = session._threads
        self.memo: dict = {}
        self.staged = staged

    def read_variable(self, var_op, reader=None):
        value = self.staged.get(var_op)
        if value is None:
            value = self._session._values.get(var_op)
            if value is None:
                raise uninitialized_error(var_op, reader)
        array = np.asarray(value)
        if array.flags.writeable:
            array = array.view()
            array.flags.writeable = False
        return array

    def variable_shape(self, var_op, reader=None):
        return np.shape(self.read_variable(var_op, reader))

    def variable_rows(self, var_op, rows, reader=None):
        return self.read_variable(var_op, reader)[rows]

    def update_rows(self, var_op, rows, new_rows, reader=None):
        new = np.array(self.read_variable(var_op, reader))
        new[rows] = new_rows
        self.write_variable(var_op, new)
        return new

    def write_variable(self, var_op, value) -> None:
        value = np.asarray(value)
        value.flags.writeable = False
        self.staged[var_op] = value

    def is_initialized(self, var_op) -> bool:
        return var_op in self.staged or var_op in self._session._values

    def op_state(self, op, factory):
        return self._session._op_state(op, factory)

    def rng(self, op) -> np.random.Generator:
        return self._session._rng_for(op)

    def run_loop(self, loop, inputs: tuple):
        return run_loop(loop, self, inputs)


def run_host_step(step, slots: list, ctx: HostContext) -> None:
    kernel, op, inputs, outputs, _ = step
    args = [
        slots[i] if hasattr(slots[i], "op_def") or slots[i] is None else np.asarray(slots[i])
        for i in inputs
    ]
    try:
        with np.errstate(all="ignore"):
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
